#pragma once
// The values a template computes with, modelled on the Python objects Jinja2 hands around:
// Undefined, None, bool, int, float, str, list/tuple (and the generator/range/dict-view flavours that
// print and measure differently), dict with insertion order, and opaque objects (namespace, macro, ...).
// Containers are shared and never mutated once built: the sandbox is immutable.

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <variant>
#include <vector>

namespace ft::jinja {

class Value;
class Object;
struct ListData;
struct DictData;

enum class ListKind {
    List,
    Tuple,
    Iterator,   // a generator from select/map/...: always true, no len(), prints as an object, iterates once
    Range,      // range(): prints as "range(a, b)"
    ItemsView,  // dict.items()
    KeysView,   // dict.keys()
    ValuesView, // dict.values()
};

class Value {
  public:
    enum class Kind { Undefined, None, Bool, Int, Float, String, List, Dict, Object };

    Value() = default; // undefined
    static Value undefined(std::string hint = {});
    static Value none();
    static Value boolean(bool b);
    static Value integer(int64_t i);
    static Value real(double d);
    static Value string(std::string s, bool markup = false);
    static Value list(std::vector<Value> items, ListKind kind = ListKind::List);
    static Value range(int64_t start, int64_t stop, int64_t step);
    static Value dict(std::shared_ptr<DictData> d);
    static Value object(std::shared_ptr<Object> o);

    Kind kind() const { return static_cast<Kind>(m_data.index()); }
    bool isUndefined() const { return kind() == Kind::Undefined; }
    bool isNone() const { return kind() == Kind::None; }
    bool isBool() const { return kind() == Kind::Bool; }
    bool isInt() const { return kind() == Kind::Int; }
    bool isFloat() const { return kind() == Kind::Float; }
    bool isNumber() const { return isInt() || isFloat() || isBool(); } // Python: bool is an int
    bool isString() const { return kind() == Kind::String; }
    bool isList() const { return kind() == Kind::List; }
    bool isDict() const { return kind() == Kind::Dict; }
    bool isObject() const { return kind() == Kind::Object; }

    bool asBool() const { return std::get<bool>(m_data); }
    int64_t asInt() const;   // int or bool
    double asDouble() const; // int, bool or float
    const std::string& str() const { return std::get<Str>(m_data).text; }
    bool isMarkup() const { return isString() && std::get<Str>(m_data).markup; }
    const std::string& undefinedHint() const { return std::get<UndefinedData>(m_data).hint; }
    const std::shared_ptr<ListData>& listPtr() const { return std::get<std::shared_ptr<ListData>>(m_data); }
    ListData& list() const { return *listPtr(); }
    const DictData& dict() const { return *std::get<std::shared_ptr<DictData>>(m_data); }
    const std::shared_ptr<DictData>& dictPtr() const { return std::get<std::shared_ptr<DictData>>(m_data); }
    Object& object() const { return *std::get<std::shared_ptr<Object>>(m_data); }
    const std::shared_ptr<Object>& objectPtr() const { return std::get<std::shared_ptr<Object>>(m_data); }

  private:
    struct UndefinedData {
        std::string hint; // why it is undefined, for the error when it is used
    };
    struct NoneData {};
    struct Str {
        std::string text;
        bool markup = false; // markupsafe.Markup from |safe or |escape: `+` and `%` escape the other side
    };
    std::variant<UndefinedData, NoneData, bool, int64_t, double, Str, std::shared_ptr<ListData>,
                 std::shared_ptr<DictData>, std::shared_ptr<Object>>
        m_data;
};

// Deeper values are refused (LimitExceeded): destroying, printing or comparing them recurses per level.
constexpr int kMaxValueDepth = 512;
int depthOf(const Value& v); // 0 for scalars, 1 + the deepest item for containers

struct ListData {
    std::vector<Value> items;
    int depth = 1;
    ListKind kind = ListKind::List;
    int64_t rangeStart = 0, rangeStop = 0, rangeStep = 1; // ListKind::Range only
    bool consumed = false;                                // ListKind::Iterator after its first pass
};

struct DictData {
    std::vector<std::pair<Value, Value>> entries; // insertion order
    int depth = 1;                                // set when wrapped in a Value, or by NamespaceObject
    const Value* find(const Value& key) const;
    const Value* find(std::string_view key) const;
    void set(Value key, Value value); // overwriting keeps the first key, as Python does

  private:
    std::unordered_map<std::string, size_t> m_stringIndex; // str keys, the JSON case
};

// Namespace, macro, built-in function, bound method, loop: things with identity rather than a value.
class Object {
  public:
    enum class Type { Namespace, Macro, Builtin, Method, Loop };
    explicit Object(Type type) : m_type(type) {}
    virtual ~Object() = default;
    Type type() const { return m_type; }
    virtual std::string typeName() const = 0; // Python's type name, for error messages
    virtual std::string repr() const = 0;     // throws Unsupported where Python would print an address
    virtual bool callable() const { return m_type != Type::Namespace; }
    virtual int depth() const { return 1; } // nesting, as for containers

  private:
    Type m_type;
};

// Python semantics, throwing ft::Error with an empty `where` (the interpreter adds the location).
std::string typeName(const Value& v);
bool truthy(const Value& v);
std::string toStr(const Value& v); // str(v); Undefined prints as ""
std::string repr(const Value& v);  // repr(v), as str() of a container shows its items
std::string reprString(std::string_view s);
std::string reprDict(const DictData& d); // "{...}" when re-entered, like Python's recursive repr
std::string formatFloat(double d);       // Python's float repr: 1.0, 1e+16, 0.30000000000000004
bool pyEquals(const Value& a, const Value& b);
bool pyLess(const Value& a, const Value& b);      // `<`; throws InvalidValue for unorderable types
std::string htmlEscape(std::string_view s);       // markupsafe.escape
[[noreturn]] void throwUndefined(const Value& v); // UndefinedError for using an undefined value
void requireDefined(const Value& v);

} // namespace ft::jinja
