#pragma once
// Jinja2's built-in filters (filters.cpp, sequences.cpp) and `is` tests (is_tests.cpp), transformers' tojson, and
// Python's str/dict/list methods (python_methods.cpp).

#include "core/text/jinja/value.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace ft::jinja {

class Interpreter;

struct CallArgs {
    std::vector<Value> positional;
    std::vector<std::pair<std::string, Value>> keyword;
};

using FilterFn = Value (*)(Interpreter&, const Value&, CallArgs&);
using TestFn = bool (*)(Interpreter&, const Value&, CallArgs&);

// Jinja2 knows the name (the parser rejects anything else at compile time, as Jinja does).
bool isKnownFilter(std::string_view name);
bool isKnownTest(std::string_view name);
// nullptr where Jinja2 has the filter or test but this engine does not: the caller fails with Unsupported.
FilterFn findFilter(std::string_view name);
TestFn findTest(std::string_view name);
// Adds the filters over sequences and mappings (sequences.cpp) to the filter table.
void addSequenceFilters(std::unordered_map<std::string_view, FilterFn>& table);

// str.strip(), dict.items(), list.index(), ... Returns false when `self` has no method `name` in Python.
bool hasMethod(const Value& self, std::string_view name);
// A mutating method (list.append, dict.update, ...) that the immutable sandbox refuses.
bool isUnsafeMethod(const Value& self, std::string_view name);
Value callMethod(Interpreter& interp, const Value& self, const std::string& name, CallArgs& args);

// json.dumps with transformers' defaults: ensure_ascii=False, ", " and ": " separators, keys in order.
struct JsonOptions {
    bool ensureAscii = false;
    bool sortKeys = false;
    bool indented = false;
    std::string indent;
    std::string itemSeparator = ", ";
    std::string keySeparator = ": ";
    size_t maxBytes = SIZE_MAX; // LimitExceeded beyond this
};
std::string toJson(const Value& value, const JsonOptions& options);

// Python's printf-style `format % args` (the % operator on str and the |format filter); `escapeArgs` for a
// Markup format, which HTML-escapes what %s and %r insert.
std::string percentFormat(Interpreter& interp, const std::string& format, const Value& args, bool escapeArgs);
// Python's str.format() with plain fields ({} {0} {name}, !r, !s); format specs fail with Unsupported.
std::string strFormat(Interpreter& interp, const std::string& format, const CallArgs& args);

// Binds Python-style arguments to a fixed signature, failing like Python on surplus or unknown ones.
class ArgParser {
  public:
    ArgParser(const CallArgs& args, std::string_view function, std::vector<std::string_view> names);
    const Value* get(size_t index) const { return m_slots[index]; }
    bool flag(size_t index, bool fallback) const {
        return m_slots[index] ? truthy(*m_slots[index]) : fallback;
    }
    Value get(size_t index, Value fallback) const {
        return m_slots[index] ? *m_slots[index] : std::move(fallback);
    }

  private:
    std::vector<const Value*> m_slots;
};

inline void noArguments(const CallArgs& args, std::string_view function) { // Python's f() with no parameters
    ArgParser(args, function, {});
}

} // namespace ft::jinja
