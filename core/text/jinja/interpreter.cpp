// Statements, scopes, calls and the sandbox limits; expressions are in expressions.cpp.

#include "core/text/jinja/interpreter.h"

#include "core/common/error.h"
#include "core/text/jinja/support.h"

namespace ft::jinja {

const Value* Scope::lookup(const std::string& name) const {
    for (const Scope* s = this; s; s = s->parent.get()) {
        const auto it = s->vars.find(name);
        if (it != s->vars.end()) return &it->second;
    }
    return nullptr;
}

void NamespaceObject::set(Value key, Value value) {
    const int depth = std::max(depthOf(key), depthOf(value)) + 1;
    if (depth > kMaxValueDepth)
        throw Error(ErrorCode::LimitExceeded, "",
                    "a value nested deeper than " + std::to_string(kMaxValueDepth) + " levels");
    attrs.depth = std::max(attrs.depth, depth);
    attrs.set(std::move(key), std::move(value));
}

std::string BuiltinObject::repr() const {
    if (id == Id::Range || id == Id::Dict) return "<class '" + name + "'>";
    if (id == Id::Namespace) return "<class 'jinja2.utils.Namespace'>";
    throw Error(ErrorCode::Unsupported, "",
                "printing the function '" + name + "' shows a memory address in Python");
}

std::string MethodObject::repr() const {
    throw Error(ErrorCode::Unsupported, "",
                "printing the method '" + name + "' shows a memory address in Python");
}

std::string LoopObject::repr() const {
    return "<LoopContext " + std::to_string(index0 + 1) + "/" + std::to_string(items->size()) + ">";
}

Value LoopObject::attribute(const std::string& name) const {
    const auto length = static_cast<int64_t>(items->size());
    const auto i = static_cast<int64_t>(index0);
    if (name == "index") return Value::integer(i + 1);
    if (name == "index0") return Value::integer(i);
    if (name == "revindex") return Value::integer(length - i);
    if (name == "revindex0") return Value::integer(length - i - 1);
    if (name == "first") return Value::boolean(i == 0);
    if (name == "last") return Value::boolean(i == length - 1);
    if (name == "length") return Value::integer(length);
    if (name == "depth") return Value::integer(1);
    if (name == "depth0") return Value::integer(0);
    if (name == "previtem")
        return i > 0 ? (*items)[index0 - 1] : Value::undefined("there is no previous item");
    if (name == "nextitem")
        return i + 1 < length ? (*items)[index0 + 1] : Value::undefined("there is no next item");
    return Value::undefined("'LoopContext object' has no attribute '" + name + "'");
}

Interpreter::~Interpreter() {
    for (const auto& weak : m_closures)
        if (const auto macro = weak.lock()) macro->closure.reset();
    for (const auto& weak : m_namespaces)
        if (const auto ns = weak.lock()) ns->attrs = DictData();
}

Value Interpreter::makeNamespace() {
    auto ns = std::make_shared<NamespaceObject>();
    m_namespaces.push_back(ns);
    return Value::object(std::move(ns));
}

// ---- limits ----

void Interpreter::checkStringSize(size_t bytes) const {
    if (bytes > m_limits.maxOutputBytes)
        throw Error(ErrorCode::LimitExceeded, "",
                    "a string grew past the output limit of " + std::to_string(m_limits.maxOutputBytes) +
                        " bytes");
}

void Interpreter::checkListSize(size_t items) const {
    if (items > m_limits.maxListItems)
        throw Error(ErrorCode::LimitExceeded, "",
                    "a list grew past the limit of " + std::to_string(m_limits.maxListItems) + " items");
}

void Interpreter::countIterations(size_t n) {
    m_iterations += static_cast<long long>(n);
    if (m_iterations > m_limits.maxLoopIterations)
        throw Error(ErrorCode::LimitExceeded, "",
                    "more than " + std::to_string(m_limits.maxLoopIterations) + " loop iterations");
}

void Interpreter::emit(std::string& out, std::string_view text) const {
    checkStringSize(out.size() + text.size());
    out += text;
}

// ---- statements ----

std::string Interpreter::render(const ScopePtr& context) {
    std::string out;
    exec(m_template.body, context, out);
    return out;
}

std::string Interpreter::renderBody(const Body& body, const ScopePtr& scope) {
    std::string out;
    exec(body, scope, out);
    return out;
}

Interpreter::Flow Interpreter::exec(const Body& body, const ScopePtr& scope, std::string& out) {
    for (const auto& s : body) {
        const Flow flow = execStmt(*s, scope, out);
        if (flow != Flow::Normal) return flow;
    }
    return Flow::Normal;
}

Interpreter::Flow Interpreter::execStmt(const Stmt& s, const ScopePtr& scope, std::string& out) {
    try {
        switch (s.kind) {
        case StmtKind::Text:
            emit(out, s.text);
            break;
        case StmtKind::Output:
            emit(out, toStr(eval(*s.expr, scope)));
            break;
        case StmtKind::If:
            for (const auto& branch : s.branches)
                if (!branch.test || truthy(eval(*branch.test, scope))) return exec(branch.body, scope, out);
            break;
        case StmtKind::For:
            return execFor(s, scope, out);
        case StmtKind::Set:
            assign(*s.target, eval(*s.expr, scope), scope);
            break;
        case StmtKind::SetBlock: {
            Value value = Value::string(renderBody(s.body, std::make_shared<Scope>(scope)));
            if (s.expr) {
                Value saved = std::exchange(m_slot, std::move(value));
                value = eval(*s.expr, scope);
                m_slot = std::move(saved);
            }
            assign(*s.target, value, scope);
            break;
        }
        case StmtKind::Macro: {
            auto macro = std::make_shared<MacroObject>(s.macro.get(), scope);
            m_closures.push_back(macro);
            scope->vars[s.macro->name] = Value::object(std::move(macro));
            break;
        }
        case StmtKind::CallBlock: {
            const Expr& callExpr = *s.expr;
            Value callee = eval(*callExpr.children[0], scope);
            CallArgs args = evalArgs(callExpr.args, scope);
            auto caller = std::make_shared<MacroObject>(s.macro.get(), scope);
            m_closures.push_back(caller);
            args.keyword.emplace_back("caller", Value::object(std::move(caller)));
            try {
                emit(out, toStr(call(callee, args)));
            } catch (const Error& e) {
                if (e.where().empty()) throw Error(e.code(), where(callExpr.line), e.detail());
                throw;
            }
            break;
        }
        case StmtKind::FilterBlock: {
            Value saved =
                std::exchange(m_slot, Value::string(renderBody(s.body, std::make_shared<Scope>(scope))));
            const Value result = eval(*s.expr, scope);
            m_slot = std::move(saved);
            emit(out, toStr(result));
            break;
        }
        case StmtKind::With: {
            auto inner = std::make_shared<Scope>(scope);
            std::vector<Value> values;
            for (const auto& [target, value] : s.assignments)
                values.push_back(eval(*value, scope)); // all evaluated in the outer scope first
            for (size_t i = 0; i < values.size(); ++i)
                assign(*s.assignments[i].first, values[i], inner);
            return exec(s.body, inner, out);
        }
        case StmtKind::Break:
            return Flow::Break;
        case StmtKind::Continue:
            return Flow::Continue;
        case StmtKind::Scope:
            return exec(s.body, scope, out);
        }
    } catch (const Error& e) {
        if (e.where().empty()) throw Error(e.code(), where(s.line), e.detail());
        throw;
    }
    return Flow::Normal;
}

Interpreter::Flow Interpreter::execFor(const Stmt& s, const ScopePtr& scope, std::string& out) {
    std::vector<Value> items = iterate(eval(*s.expr, scope));
    if (s.condition) { // `for x in xs if cond`: loop.index and loop.length count only the kept items
        std::vector<Value> kept;
        for (auto& item : items) {
            countIterations(1);
            auto probe = std::make_shared<Scope>(scope);
            assign(*s.target, item, probe);
            if (truthy(eval(*s.condition, probe))) kept.push_back(std::move(item));
        }
        items = std::move(kept);
    }
    auto shared = std::make_shared<const std::vector<Value>>(std::move(items));
    auto loop = std::make_shared<LoopObject>(shared);
    const Value loopValue = Value::object(loop);
    // Jinja runs the else branch unless an iteration reached the end of the body: a pass cut short by
    // break or continue does not count.
    bool completedPass = false;
    for (size_t i = 0; i < shared->size(); ++i) {
        countIterations(1);
        loop->index0 = i;
        auto iteration = std::make_shared<Scope>(scope); // fresh each pass: assignments do not carry over
        iteration->vars["loop"] = loopValue;
        assign(*s.target, (*shared)[i], iteration);
        const Flow flow = exec(s.body, iteration, out);
        completedPass |= flow == Flow::Normal;
        if (flow == Flow::Break) break;
    }
    if (!completedPass && !s.elseBody.empty()) return exec(s.elseBody, std::make_shared<Scope>(scope), out);
    return Flow::Normal;
}

void Interpreter::assign(const Expr& target, Value value, const ScopePtr& scope) {
    if (target.kind == ExprKind::Name) {
        scope->vars[target.name] = std::move(value);
        return;
    }
    if (target.kind == ExprKind::Tuple) {
        const std::vector<Value> items = iterate(value);
        const size_t n = target.children.size();
        if (items.size() > n) typeError("too many values to unpack (expected " + std::to_string(n) + ")");
        if (items.size() < n)
            typeError("not enough values to unpack (expected " + std::to_string(n) + ", got " +
                      std::to_string(items.size()) + ")");
        for (size_t i = 0; i < n; ++i)
            assign(*target.children[i], items[i], scope);
        return;
    }
    // {% set ns.attr = value %}
    const Value* ns = scope->lookup(target.children[0]->name);
    if (!ns || !ns->isObject() || ns->object().type() != Object::Type::Namespace)
        throw Error(ErrorCode::InvalidValue, "", "cannot assign attribute on non-namespace object");
    static_cast<NamespaceObject&>(ns->object()).set(Value::string(target.name), std::move(value));
}
Value Interpreter::call(const Value& callee, CallArgs& args) {
    requireDefined(callee);
    if (!callee.isObject() || !callee.object().callable())
        typeError("'" + typeName(callee) + "' object is not callable");
    Object& obj = callee.object();
    switch (obj.type()) {
    case Object::Type::Macro:
        return callMacro(static_cast<MacroObject&>(obj), args);
    case Object::Type::Builtin:
        return callBuiltin(static_cast<BuiltinObject&>(obj), args);
    case Object::Type::Method: {
        auto& method = static_cast<MethodObject&>(obj);
        if (method.self.isObject() && method.self.object().type() == Object::Type::Loop)
            return callLoopMethod(static_cast<LoopObject&>(method.self.object()), method.name, args);
        return callMethod(*this, method.self, method.name, args);
    }
    case Object::Type::Loop:
        throw Error(ErrorCode::Unsupported, "", "recursive loops are not supported");
    default:
        typeError("'" + obj.typeName() + "' object is not callable");
    }
}

Value Interpreter::callMacro(const MacroObject& macro, CallArgs& args) {
    const MacroDef& def = *macro.def;
    if (++m_callDepth > m_limits.maxCallDepth) {
        m_callDepth = 0;
        throw Error(ErrorCode::LimitExceeded, "",
                    "macro calls nested deeper than " + std::to_string(m_limits.maxCallDepth) + " levels");
    }
    struct DepthRelease {
        int& depth;
        ~DepthRelease() { depth = depth > 0 ? depth - 1 : 0; }
    } release{m_callDepth};

    // Mirrors jinja2.runtime.Macro.__call__.
    auto scope = std::make_shared<Scope>(macro.closure);
    const size_t paramCount = def.params.size();
    const size_t given = std::min(paramCount, args.positional.size());
    std::vector<bool> bound(paramCount, false);
    for (size_t i = 0; i < given; ++i) {
        scope->vars[def.params[i]] = args.positional[i];
        bound[i] = true;
    }
    auto kwargs = std::make_shared<DictData>();
    std::optional<Value> caller;
    for (auto& [name, value] : args.keyword) {
        size_t index = paramCount;
        for (size_t i = given; i < paramCount; ++i)
            if (def.params[i] == name) index = i;
        if (index < paramCount) {
            scope->vars[name] = value;
            bound[index] = true;
        } else if (name == "caller" && def.usesCaller && !caller) {
            caller = value;
        } else {
            kwargs->set(Value::string(name), value);
        }
    }
    if (!def.usesKwargs && !kwargs->entries.empty()) {
        const std::string first = kwargs->entries.front().first.str();
        if (first == "caller")
            typeError("macro '" + def.name +
                      "' was invoked with two values for the special caller argument.");
        typeError("macro '" + def.name + "' takes no keyword argument '" + first + "'");
    }
    if (!def.usesVarargs && args.positional.size() > paramCount)
        typeError("macro '" + def.name + "' takes not more than " + std::to_string(paramCount) +
                  " argument(s)");
    for (size_t i = 0; i < paramCount; ++i) {
        if (bound[i]) continue;
        scope->vars[def.params[i]] =
            def.defaults[i] ? eval(*def.defaults[i], scope)
                            : Value::undefined("parameter '" + def.params[i] + "' was not provided");
    }
    if (def.usesCaller) scope->vars["caller"] = caller ? *caller : Value::undefined("No caller defined");
    if (def.usesKwargs) scope->vars["kwargs"] = Value::dict(kwargs);
    if (def.usesVarargs) {
        std::vector<Value> rest;
        for (size_t i = paramCount; i < args.positional.size(); ++i)
            rest.push_back(args.positional[i]);
        scope->vars["varargs"] = Value::list(std::move(rest), ListKind::Tuple);
    }
    return Value::string(renderBody(def.body, scope));
}

Value Interpreter::callLoopMethod(LoopObject& loop, const std::string& name, CallArgs& args) {
    if (!args.keyword.empty()) typeError("loop." + name + "() takes no keyword arguments");
    if (name == "cycle") {
        if (args.positional.empty()) typeError("no items for cycling given");
        return args.positional[loop.index0 % args.positional.size()];
    }
    // changed(*values): true when the values differ from the previous call's
    const Value current = Value::list(args.positional, ListKind::Tuple);
    if (loop.lastChanged && pyEquals(Value::list(*loop.lastChanged, ListKind::Tuple), current))
        return Value::boolean(false);
    loop.lastChanged = args.positional;
    return Value::boolean(true);
}

Value Interpreter::applyFilter(const std::string& name, const Value& subject, CallArgs& args) {
    if (!isKnownFilter(name)) throw Error(ErrorCode::InvalidValue, "", "No filter named '" + name + "'.");
    const FilterFn fn = findFilter(name);
    if (!fn) throw Error(ErrorCode::Unsupported, "", "the filter '" + name + "' is not supported");
    return fn(*this, subject, args);
}

bool Interpreter::applyTest(const std::string& name, const Value& subject, CallArgs& args) {
    if (!isKnownTest(name)) throw Error(ErrorCode::InvalidValue, "", "No test named '" + name + "'.");
    const TestFn fn = findTest(name);
    if (!fn) throw Error(ErrorCode::Unsupported, "", "the test '" + name + "' is not supported");
    return fn(*this, subject, args);
}

} // namespace ft::jinja
