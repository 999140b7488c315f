#pragma once
// Renders a parsed template by walking its tree, with Jinja2's scoping (every loop iteration, macro call,
// {% with %} and block set gets a child scope; assignments never leak out of them) and the sandbox limits.

#include "core/text/chat_template.h"
#include "core/text/jinja/ast.h"
#include "core/text/jinja/filters.h"

#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace ft::jinja {

struct Scope;
using ScopePtr = std::shared_ptr<Scope>;

struct Scope {
    explicit Scope(ScopePtr parentScope = nullptr) : parent(std::move(parentScope)) {}
    const Value* lookup(const std::string& name) const;

    std::unordered_map<std::string, Value> vars;
    ScopePtr parent;
};

class NamespaceObject : public Object {
  public:
    NamespaceObject() : Object(Type::Namespace) {}
    std::string typeName() const override { return "Namespace"; }
    std::string repr() const override { return "<Namespace " + reprDict(attrs) + ">"; }
    int depth() const override { return attrs.depth; }
    void set(Value key, Value value); // tracks the nesting depth, which only grows

    DictData attrs; // the one mutable thing in the sandbox: {% set ns.x = ... %}
};

class MacroObject : public Object {
  public:
    MacroObject(const MacroDef* def, ScopePtr closure)
        : Object(Type::Macro), def(def), closure(std::move(closure)) {}
    std::string typeName() const override { return "Macro"; }
    std::string repr() const override { return "<Macro '" + def->name + "'>"; }

    const MacroDef* def;
    ScopePtr closure; // free names resolve here at call time, like Jinja's closures
};

class BuiltinObject : public Object {
  public:
    enum class Id { Range, Dict, Namespace, RaiseException, StrftimeNow, Lipsum, Cycler, Joiner };
    BuiltinObject(Id id, std::string name) : Object(Type::Builtin), id(id), name(std::move(name)) {}
    std::string typeName() const override { return "function"; }
    std::string repr() const override;

    Id id;
    std::string name;
};

class MethodObject : public Object {
  public:
    MethodObject(Value self, std::string name)
        : Object(Type::Method), self(std::move(self)), name(std::move(name)) {}
    std::string typeName() const override { return "builtin_function_or_method"; }
    std::string repr() const override;
    int depth() const override { return depthOf(self) + 1; }

    Value self;
    std::string name;
};

class LoopObject : public Object {
  public:
    explicit LoopObject(std::shared_ptr<const std::vector<Value>> items)
        : Object(Type::Loop), items(std::move(items)) {}
    std::string typeName() const override { return "LoopContext"; }
    std::string repr() const override;
    Value attribute(const std::string& name) const;

    std::shared_ptr<const std::vector<Value>> items;
    size_t index0 = 0;
    std::optional<std::vector<Value>> lastChanged; // loop.changed() state
};

class Interpreter {
  public:
    Interpreter(const Template& tmpl, const TemplateLimits& limits) : m_template(tmpl), m_limits(limits) {}
    ~Interpreter(); // breaks the reference cycles a render can build (see m_closures)
    Interpreter(const Interpreter&) = delete;
    Interpreter& operator=(const Interpreter&) = delete;

    std::string render(const ScopePtr& context);

    Value eval(const Expr& e, const ScopePtr& scope);
    Value call(const Value& callee, CallArgs& args);
    Value evalBinary(BinaryOp op, const Value& a, const Value& b); // Python's + - * / // % ** and ~
    Value applyFilter(const std::string& name, const Value& subject, CallArgs& args);
    bool applyTest(const std::string& name, const Value& subject, CallArgs& args);
    Value getAttr(const Value& obj, const std::string& name);
    Value getItem(const Value& obj, const Value& key);
    std::vector<Value> iterate(const Value& v); // Python iter(); TypeError for non-iterables
    bool contains(const Value& container, const Value& item);

    const TemplateLimits& limits() const { return m_limits; }
    void checkStringSize(size_t bytes) const;
    void checkListSize(size_t items) const;
    void countIterations(size_t n);

    static ScopePtr makeGlobals(); // range, namespace, raise_exception, strftime_now, ...
    Value makeNamespace();

  private:
    enum class Flow { Normal, Break, Continue };

    Flow exec(const Body& body, const ScopePtr& scope, std::string& out);
    Flow execStmt(const Stmt& s, const ScopePtr& scope, std::string& out);
    Flow execFor(const Stmt& s, const ScopePtr& scope, std::string& out);
    std::string renderBody(const Body& body, const ScopePtr& scope);
    void emit(std::string& out, std::string_view text) const;
    void assign(const Expr& target, Value value, const ScopePtr& scope);
    Value evalInner(const Expr& e, const ScopePtr& scope);
    Value evalSlice(const Expr& e, const ScopePtr& scope);
    CallArgs evalArgs(const std::vector<Argument>& args, const ScopePtr& scope);
    Value callMacro(const MacroObject& macro, CallArgs& args);
    Value callBuiltin(const BuiltinObject& fn, CallArgs& args);
    Value callLoopMethod(LoopObject& loop, const std::string& name, CallArgs& args);
    std::string where(int line) const { return m_template.name + ":" + std::to_string(line); }

    const Template& m_template;
    TemplateLimits m_limits;
    long long m_iterations = 0;
    int m_callDepth = 0;
    Value m_slot; // the rendered body a {% filter %} block feeds into its filter chain
    // Macros hold their defining scope, which may hold them back, and namespaces can hold themselves:
    // nothing outlives a render, so the destructor cuts these links.
    std::vector<std::weak_ptr<MacroObject>> m_closures;
    std::vector<std::weak_ptr<NamespaceObject>> m_namespaces;
};

} // namespace ft::jinja
