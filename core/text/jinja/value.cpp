#include "core/text/jinja/value.h"

#include "core/common/error.h"
#include "core/text/jinja/unicode.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>

namespace ft::jinja {

Value Value::undefined(std::string hint) {
    Value v;
    v.m_data = UndefinedData{std::move(hint)};
    return v;
}

Value Value::none() {
    Value v;
    v.m_data = NoneData{};
    return v;
}

Value Value::boolean(bool b) {
    Value v;
    v.m_data = b;
    return v;
}

Value Value::integer(int64_t i) {
    Value v;
    v.m_data = i;
    return v;
}

Value Value::real(double d) {
    Value v;
    v.m_data = d;
    return v;
}

Value Value::string(std::string s, bool markup) {
    Value v;
    v.m_data = Str{std::move(s), markup};
    return v;
}

namespace {
int checkedDepth(int depth) {
    if (depth > kMaxValueDepth)
        throw Error(ErrorCode::LimitExceeded, "",
                    "a value nested deeper than " + std::to_string(kMaxValueDepth) + " levels");
    return depth;
}
} // namespace

int depthOf(const Value& v) {
    switch (v.kind()) {
    case Value::Kind::List:
        return v.list().depth;
    case Value::Kind::Dict:
        return v.dict().depth;
    case Value::Kind::Object:
        return v.object().depth();
    default:
        return 0;
    }
}

Value Value::list(std::vector<Value> items, ListKind kind) {
    auto data = std::make_shared<ListData>();
    int deepest = 0;
    for (const auto& item : items)
        deepest = std::max(deepest, depthOf(item));
    data->depth = checkedDepth(deepest + 1);
    data->items = std::move(items);
    data->kind = kind;
    Value v;
    v.m_data = std::move(data);
    return v;
}

Value Value::range(int64_t start, int64_t stop, int64_t step) {
    std::vector<Value> items;
    for (int64_t i = start; step > 0 ? i < stop : i > stop; i += step)
        items.push_back(integer(i));
    Value v = list(std::move(items), ListKind::Range);
    v.list().rangeStart = start;
    v.list().rangeStop = stop;
    v.list().rangeStep = step;
    return v;
}

Value Value::dict(std::shared_ptr<DictData> d) {
    int deepest = 0;
    for (const auto& [key, value] : d->entries)
        deepest = std::max({deepest, depthOf(key), depthOf(value)});
    d->depth = checkedDepth(deepest + 1);
    Value v;
    v.m_data = std::move(d);
    return v;
}

Value Value::object(std::shared_ptr<Object> o) {
    Value v;
    v.m_data = std::move(o);
    return v;
}

int64_t Value::asInt() const {
    return isBool() ? (asBool() ? 1 : 0) : std::get<int64_t>(m_data);
}

double Value::asDouble() const {
    return isFloat() ? std::get<double>(m_data) : static_cast<double>(asInt());
}

const Value* DictData::find(std::string_view key) const {
    const auto it = m_stringIndex.find(std::string(key));
    return it == m_stringIndex.end() ? nullptr : &entries[it->second].second;
}

const Value* DictData::find(const Value& key) const {
    if (key.isString()) return find(key.str());
    for (const auto& [k, v] : entries)
        if (pyEquals(k, key)) return &v;
    return nullptr;
}

void DictData::set(Value key, Value value) {
    if (key.isString()) {
        const auto [it, inserted] = m_stringIndex.emplace(key.str(), entries.size());
        if (!inserted) {
            entries[it->second].second = std::move(value);
            return;
        }
    } else {
        for (auto& [k, v] : entries) {
            if (pyEquals(k, key)) {
                v = std::move(value);
                return;
            }
        }
    }
    entries.emplace_back(std::move(key), std::move(value));
}

std::string typeName(const Value& v) {
    switch (v.kind()) {
    case Value::Kind::Undefined:
        return "Undefined";
    case Value::Kind::None:
        return "NoneType";
    case Value::Kind::Bool:
        return "bool";
    case Value::Kind::Int:
        return "int";
    case Value::Kind::Float:
        return "float";
    case Value::Kind::String:
        return v.isMarkup() ? "Markup" : "str";
    case Value::Kind::Dict:
        return "dict";
    case Value::Kind::Object:
        return v.object().typeName();
    case Value::Kind::List:
        switch (v.list().kind) {
        case ListKind::List:
            return "list";
        case ListKind::Tuple:
            return "tuple";
        case ListKind::Iterator:
            return "generator";
        case ListKind::Range:
            return "range";
        case ListKind::ItemsView:
            return "dict_items";
        case ListKind::KeysView:
            return "dict_keys";
        case ListKind::ValuesView:
            return "dict_values";
        }
    }
    return "object";
}

bool truthy(const Value& v) {
    switch (v.kind()) {
    case Value::Kind::Undefined:
    case Value::Kind::None:
        return false;
    case Value::Kind::Bool:
        return v.asBool();
    case Value::Kind::Int:
        return v.asInt() != 0;
    case Value::Kind::Float:
        return v.asDouble() != 0.0;
    case Value::Kind::String:
        return !v.str().empty();
    case Value::Kind::List:
        return v.list().kind == ListKind::Iterator || !v.list().items.empty();
    case Value::Kind::Dict:
        return !v.dict().entries.empty();
    case Value::Kind::Object:
        return true;
    }
    return false;
}

std::string formatFloat(double d) {
    if (std::isnan(d)) return "nan";
    if (std::isinf(d)) return d < 0 ? "-inf" : "inf";
    // Shortest round-trip digits, then Python's layout: fixed notation for 1e-4 <= |d| < 1e16.
    char buf[64];
    const auto res = std::to_chars(buf, buf + sizeof buf, d, std::chars_format::scientific);
    const std::string sci(buf, res.ptr);
    const size_t ePos = sci.find('e');
    std::string mantissa = sci.substr(0, ePos);
    const int exponent = std::stoi(sci.substr(ePos + 1));
    std::string sign;
    if (mantissa[0] == '-') {
        sign = "-";
        mantissa.erase(0, 1);
    }
    std::string digits;
    for (char c : mantissa)
        if (c != '.') digits.push_back(c);
    const int decpt = exponent + 1; // value = 0.DIGITS * 10^decpt
    const int ndigits = static_cast<int>(digits.size());
    std::string out;
    if (decpt <= -4 || decpt > 16) {
        out = digits.substr(0, 1);
        if (ndigits > 1) out += "." + digits.substr(1);
        char expBuf[16];
        std::snprintf(expBuf, sizeof expBuf, "e%c%02d", exponent < 0 ? '-' : '+', std::abs(exponent));
        out += expBuf;
    } else if (decpt <= 0) {
        out = "0." + std::string(-decpt, '0') + digits;
    } else if (decpt >= ndigits) {
        out = digits + std::string(decpt - ndigits, '0') + ".0";
    } else {
        out = digits.substr(0, decpt) + "." + digits.substr(decpt);
    }
    return sign + out;
}

std::string reprString(std::string_view s) {
    const bool hasSingle = s.find('\'') != std::string_view::npos;
    const bool hasDouble = s.find('"') != std::string_view::npos;
    const char quote = hasSingle && !hasDouble ? '"' : '\'';
    std::string out(1, quote);
    for (size_t pos = 0; pos < s.size();) {
        const char32_t c = unicode::next(s, pos);
        char buf[16];
        if (c == static_cast<char32_t>(quote) || c == '\\') {
            out.push_back('\\');
            out.push_back(static_cast<char>(c));
        } else if (c == '\t') {
            out += "\\t";
        } else if (c == '\n') {
            out += "\\n";
        } else if (c == '\r') {
            out += "\\r";
        } else if (unicode::isPrintable(c)) {
            unicode::append(out, c);
        } else {
            const char* fmt = c <= 0xFF ? "\\x%02x" : c <= 0xFFFF ? "\\u%04x" : "\\U%08x";
            std::snprintf(buf, sizeof buf, fmt, static_cast<unsigned>(c));
            out += buf;
        }
    }
    out.push_back(quote);
    return out;
}

namespace {
thread_local std::vector<const void*> t_reprStack; // containers being printed, to cut cycles

struct ReprGuard {
    explicit ReprGuard(const void* p) { t_reprStack.push_back(p); }
    ~ReprGuard() { t_reprStack.pop_back(); }
    static bool active(const void* p) {
        return std::find(t_reprStack.begin(), t_reprStack.end(), p) != t_reprStack.end();
    }
};

std::string joinRepr(const std::vector<Value>& items) {
    std::string out;
    for (size_t i = 0; i < items.size(); ++i) {
        if (i) out += ", ";
        out += repr(items[i]);
    }
    return out;
}
} // namespace

std::string repr(const Value& v) {
    switch (v.kind()) {
    case Value::Kind::Undefined:
        return "Undefined";
    case Value::Kind::String:
        return v.isMarkup() ? "Markup(" + reprString(v.str()) + ")" : reprString(v.str());
    case Value::Kind::Object:
        return v.object().repr();
    case Value::Kind::Dict:
        return reprDict(v.dict());
    case Value::Kind::List: {
        const ListData& l = v.list();
        if (ReprGuard::active(&l)) return "[...]";
        const ReprGuard guard(&l);
        switch (l.kind) {
        case ListKind::List:
            return "[" + joinRepr(l.items) + "]";
        case ListKind::Tuple:
            return "(" + joinRepr(l.items) + (l.items.size() == 1 ? ",)" : ")");
        case ListKind::Range: {
            std::string out = "range(" + std::to_string(l.rangeStart) + ", " + std::to_string(l.rangeStop);
            return out + (l.rangeStep == 1 ? ")" : ", " + std::to_string(l.rangeStep) + ")");
        }
        case ListKind::ItemsView:
            return "dict_items([" + joinRepr(l.items) + "])";
        case ListKind::KeysView:
            return "dict_keys([" + joinRepr(l.items) + "])";
        case ListKind::ValuesView:
            return "dict_values([" + joinRepr(l.items) + "])";
        case ListKind::Iterator:
            throw Error(ErrorCode::Unsupported, "",
                        "printing a generator shows a memory address in Python; convert it with |list");
        }
        return {};
    }
    default:
        return toStr(v);
    }
}

std::string reprDict(const DictData& d) {
    if (ReprGuard::active(&d)) return "{...}";
    const ReprGuard guard(&d);
    std::string out = "{";
    bool first = true;
    for (const auto& [key, value] : d.entries) {
        if (!first) out += ", ";
        first = false;
        out += repr(key) + ": " + repr(value);
    }
    return out + "}";
}

std::string toStr(const Value& v) {
    switch (v.kind()) {
    case Value::Kind::Undefined:
        return {};
    case Value::Kind::None:
        return "None";
    case Value::Kind::Bool:
        return v.asBool() ? "True" : "False";
    case Value::Kind::Int:
        return std::to_string(v.asInt());
    case Value::Kind::Float:
        return formatFloat(v.asDouble());
    case Value::Kind::String:
        return v.str();
    default:
        return repr(v);
    }
}

bool pyEquals(const Value& a, const Value& b) {
    if (a.isNumber() && b.isNumber()) {
        if (!a.isFloat() && !b.isFloat()) return a.asInt() == b.asInt();
        return a.asDouble() == b.asDouble();
    }
    if (a.kind() != b.kind()) return false;
    switch (a.kind()) {
    case Value::Kind::Undefined:
    case Value::Kind::None:
        return true;
    case Value::Kind::String:
        return a.str() == b.str();
    case Value::Kind::Object:
        return a.objectPtr() == b.objectPtr();
    case Value::Kind::Dict: {
        const DictData& x = a.dict();
        const DictData& y = b.dict();
        if (x.entries.size() != y.entries.size()) return false;
        for (const auto& [key, value] : x.entries) {
            const Value* other = y.find(key);
            if (!other || !pyEquals(value, *other)) return false;
        }
        return true;
    }
    case Value::Kind::List: {
        const ListData& x = a.list();
        const ListData& y = b.list();
        if (x.kind != y.kind) return false;
        if (x.kind == ListKind::Iterator) return &x == &y;
        if (x.items.size() != y.items.size()) return false;
        for (size_t i = 0; i < x.items.size(); ++i)
            if (!pyEquals(x.items[i], y.items[i])) return false;
        return true;
    }
    default:
        return false;
    }
}

bool pyLess(const Value& a, const Value& b) {
    if (a.isUndefined()) throwUndefined(a);
    if (b.isUndefined()) throwUndefined(b);
    if (a.isNumber() && b.isNumber()) {
        if (!a.isFloat() && !b.isFloat()) return a.asInt() < b.asInt();
        return a.asDouble() < b.asDouble();
    }
    if (a.isString() && b.isString()) return a.str() < b.str();
    if (a.isList() && b.isList() && a.list().kind == b.list().kind &&
        (a.list().kind == ListKind::List || a.list().kind == ListKind::Tuple)) {
        const auto& x = a.list().items;
        const auto& y = b.list().items;
        for (size_t i = 0; i < x.size() && i < y.size(); ++i)
            if (!pyEquals(x[i], y[i])) return pyLess(x[i], y[i]);
        return x.size() < y.size();
    }
    throw Error(ErrorCode::InvalidValue, "",
                "'<' not supported between instances of '" + typeName(a) + "' and '" + typeName(b) + "'");
}

std::string htmlEscape(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (char c : s) {
        switch (c) {
        case '&':
            out += "&amp;";
            break;
        case '<':
            out += "&lt;";
            break;
        case '>':
            out += "&gt;";
            break;
        case '"':
            out += "&#34;";
            break;
        case '\'':
            out += "&#39;";
            break;
        default:
            out.push_back(c);
        }
    }
    return out;
}

void throwUndefined(const Value& v) {
    throw Error(ErrorCode::InvalidValue, "",
                v.undefinedHint().empty() ? "value is undefined" : v.undefinedHint());
}

void requireDefined(const Value& v) {
    if (v.isUndefined()) throwUndefined(v);
}

} // namespace ft::jinja
