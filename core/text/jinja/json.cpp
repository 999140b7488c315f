// json.dumps as transformers' tojson filter calls it (ensure_ascii=False by default, Python's separators,
// floats in repr form, keys kept in insertion order unless sort_keys).

#include "core/common/error.h"
#include "core/text/jinja/filters.h"
#include "core/text/jinja/unicode.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace ft::jinja {

namespace {

constexpr int kMaxDepth = 512; // Python stops near its recursion limit too

void appendEscapedString(std::string& out, std::string_view s, bool ensureAscii) {
    out.push_back('"');
    char buf[16];
    for (size_t pos = 0; pos < s.size();) {
        const char32_t c = unicode::next(s, pos);
        switch (c) {
        case '"':
            out += "\\\"";
            continue;
        case '\\':
            out += "\\\\";
            continue;
        case '\n':
            out += "\\n";
            continue;
        case '\r':
            out += "\\r";
            continue;
        case '\t':
            out += "\\t";
            continue;
        case '\b':
            out += "\\b";
            continue;
        case '\f':
            out += "\\f";
            continue;
        default:
            break;
        }
        if (c < 0x20 || (ensureAscii && c >= 0x7F)) {
            if (c >= 0x10000) {
                const char32_t v = c - 0x10000;
                std::snprintf(buf, sizeof buf, "\\u%04x\\u%04x", 0xD800 + (v >> 10), 0xDC00 + (v & 0x3FF));
            } else {
                std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(c));
            }
            out += buf;
        } else {
            unicode::append(out, c);
        }
    }
    out.push_back('"');
}

std::string floatToJson(double d) {
    if (std::isnan(d)) return "NaN";
    if (std::isinf(d)) return d < 0 ? "-Infinity" : "Infinity";
    return formatFloat(d);
}

[[noreturn]] void notSerializable(const Value& v) {
    throw Error(ErrorCode::InvalidValue, "", "Object of type " + typeName(v) + " is not JSON serializable");
}

std::string keyToJson(const Value& key) {
    switch (key.kind()) {
    case Value::Kind::String:
        return key.str();
    case Value::Kind::Int:
        return std::to_string(key.asInt());
    case Value::Kind::Float:
        return floatToJson(key.asDouble());
    case Value::Kind::Bool:
        return key.asBool() ? "true" : "false";
    case Value::Kind::None:
        return "null";
    default:
        throw Error(ErrorCode::InvalidValue, "",
                    "keys must be str, int, float, bool or None, not " + typeName(key));
    }
}

void dump(const Value& v, const JsonOptions& o, std::string& out, int level) {
    if (level > kMaxDepth)
        throw Error(ErrorCode::LimitExceeded, "",
                    "tojson: value nested deeper than " + std::to_string(kMaxDepth));
    if (out.size() > o.maxBytes)
        throw Error(ErrorCode::LimitExceeded, "",
                    "tojson output grew past " + std::to_string(o.maxBytes) + " bytes");
    const auto newline = [&](int depth) {
        if (!o.indented) return;
        if (out.size() + 1 + o.indent.size() * static_cast<size_t>(depth) > o.maxBytes)
            throw Error(ErrorCode::LimitExceeded, "",
                        "tojson output grew past " + std::to_string(o.maxBytes) + " bytes");
        out.push_back('\n');
        for (int i = 0; i < depth; ++i)
            out += o.indent;
    };
    switch (v.kind()) {
    case Value::Kind::None:
        out += "null";
        return;
    case Value::Kind::Bool:
        out += v.asBool() ? "true" : "false";
        return;
    case Value::Kind::Int:
        out += std::to_string(v.asInt());
        return;
    case Value::Kind::Float:
        out += floatToJson(v.asDouble());
        return;
    case Value::Kind::String:
        appendEscapedString(out, v.str(), o.ensureAscii);
        return;
    case Value::Kind::List: {
        const ListData& l = v.list();
        if (l.kind != ListKind::List && l.kind != ListKind::Tuple) notSerializable(v);
        if (l.items.empty()) {
            out += "[]";
            return;
        }
        out.push_back('[');
        for (size_t i = 0; i < l.items.size(); ++i) {
            if (i) out += o.itemSeparator;
            newline(level + 1);
            dump(l.items[i], o, out, level + 1);
        }
        newline(level);
        out.push_back(']');
        return;
    }
    case Value::Kind::Dict: {
        const auto& entries = v.dict().entries;
        if (entries.empty()) {
            out += "{}";
            return;
        }
        std::vector<const std::pair<Value, Value>*> order;
        for (const auto& e : entries)
            order.push_back(&e);
        if (o.sortKeys) {
            std::stable_sort(order.begin(), order.end(),
                             [](const auto* a, const auto* b) { return pyLess(a->first, b->first); });
        }
        out.push_back('{');
        for (size_t i = 0; i < order.size(); ++i) {
            if (i) out += o.itemSeparator;
            newline(level + 1);
            appendEscapedString(out, keyToJson(order[i]->first), o.ensureAscii);
            out += o.keySeparator;
            dump(order[i]->second, o, out, level + 1);
        }
        newline(level);
        out.push_back('}');
        return;
    }
    default:
        notSerializable(v);
    }
}

} // namespace

std::string toJson(const Value& value, const JsonOptions& options) {
    std::string out;
    dump(value, options, out, 0);
    return out;
}

} // namespace ft::jinja
