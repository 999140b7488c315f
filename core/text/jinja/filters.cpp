// Jinja2 3.1's built-in text and number filters (jinja2/filters.py), transformers' tojson, and the table of
// all filters. Each follows the Python source, including how it treats Undefined.

#include "core/text/jinja/filters.h"

#include "core/common/error.h"
#include "core/text/jinja/interpreter.h"
#include "core/text/jinja/numbers.h"
#include "core/text/jinja/support.h"
#include "core/text/jinja/unicode.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <optional>
#include <unordered_map>

namespace ft::jinja {

namespace {

// soft_str(): keeps a Markup string as it is, str() of anything else.
Value softStr(const Value& v) {
    return v.isString() ? v : Value::string(toStr(v));
}

Value fAbs(Interpreter&, const Value& v, CallArgs& args) {
    noArguments(args, "abs");
    if (v.isFloat()) return Value::real(std::fabs(v.asDouble()));
    if (isInteger(v)) {
        if (v.asInt() == INT64_MIN)
            throw Error(ErrorCode::Unsupported, "", "integer result does not fit in 64 bits");
        return Value::integer(v.asInt() < 0 ? -v.asInt() : v.asInt());
    }
    typeError("bad operand type for abs(): '" + typeName(v) + "'");
}

Value fAttr(Interpreter& interp, const Value& v, CallArgs& args) {
    const ArgParser p(args, "attr", {"name"});
    if (!p.get(0)) typeError("attr() missing 1 required positional argument: 'name'");
    const std::string name = toStr(*p.get(0));
    requireDefined(v);
    // Python attributes only: dict keys are not attributes
    if (v.isDict() || v.isString() || v.isList()) {
        return hasMethod(v, name)
                   ? interp.getAttr(v, name)
                   : Value::undefined("'" + typeName(v) + " object' has no attribute '" + name + "'");
    }
    return interp.getAttr(v, name);
}

Value fCapitalize(Interpreter&, const Value& v, CallArgs& args) {
    noArguments(args, "capitalize");
    const Value s = softStr(v);
    return Value::string(unicode::capitalize(s.str()), s.isMarkup());
}

Value fCenter(Interpreter& interp, const Value& v, CallArgs& args) {
    const ArgParser p(args, "center", {"width"});
    const Value width = p.get(0, Value::integer(80));
    if (!isInteger(width)) typeError("'" + typeName(width) + "' object cannot be interpreted as an integer");
    const std::string s = toStr(v);
    const int64_t margin = width.asInt() - static_cast<int64_t>(unicode::length(s));
    if (margin <= 0) return softStr(v);
    const int64_t left = margin / 2 + (margin & width.asInt() & 1);
    interp.checkStringSize(s.size() + static_cast<size_t>(margin));
    return Value::string(std::string(left, ' ') + s + std::string(margin - left, ' '));
}

Value fDefault(Interpreter&, const Value& v, CallArgs& args) {
    const ArgParser p(args, "default", {"default_value", "boolean"});
    if (v.isUndefined() || (p.flag(1, false) && !truthy(v))) return p.get(0, Value::string(""));
    return v;
}

Value fEscape(Interpreter&, const Value& v, CallArgs& args) {
    noArguments(args, "escape");
    if (v.isMarkup()) return v;
    return Value::string(htmlEscape(toStr(v)), true);
}

Value fForceEscape(Interpreter&, const Value& v, CallArgs& args) {
    noArguments(args, "forceescape");
    return Value::string(htmlEscape(toStr(v)), true);
}

Value fFloat(Interpreter&, const Value& v, CallArgs& args) {
    const ArgParser p(args, "float", {"default"});
    requireDefined(v);
    std::optional<double> d;
    if (v.isNumber())
        d = v.asDouble();
    else if (v.isString())
        d = parsePythonFloat(v.str());
    return d ? Value::real(*d) : p.get(0, Value::real(0.0));
}

Value fFormat(Interpreter& interp, const Value& v, CallArgs& args) {
    if (!args.positional.empty() && !args.keyword.empty())
        typeError("can't handle positional and keyword arguments at the same time");
    Value operands;
    if (!args.keyword.empty()) {
        auto dict = std::make_shared<DictData>();
        for (const auto& [name, value] : args.keyword)
            dict->set(Value::string(name), value);
        operands = Value::dict(std::move(dict));
    } else {
        operands = Value::list(args.positional, ListKind::Tuple);
    }
    return interp.evalBinary(BinaryOp::Mod, softStr(v), operands);
}

Value fIndent(Interpreter& interp, const Value& v, CallArgs& args) {
    const ArgParser p(args, "indent", {"width", "first", "blank"});
    const Value width = p.get(0, Value::integer(4));
    std::string indention;
    if (width.isString())
        indention = width.str();
    else if (isInteger(width)) {
        const auto n = static_cast<size_t>(std::max<int64_t>(0, width.asInt()));
        interp.checkStringSize(n);
        indention.assign(n, ' ');
    } else
        typeError("can't multiply sequence by non-int of type '" + typeName(width) + "'");
    requireDefined(v);
    if (!v.isString()) typeError("unsupported operand type(s) for +=: '" + typeName(v) + "' and 'str'");
    const std::u32string text = unicode::decode(v.str() + "\n");
    std::vector<std::string> lines; // str.splitlines()
    size_t start = 0;
    for (size_t i = 0; i < text.size(); ++i) {
        if (!unicode::isLineBreak(text[i])) continue;
        lines.push_back(unicode::encode(std::u32string_view(text).substr(start, i - start)));
        if (text[i] == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
        start = i + 1;
    }
    if (start < text.size()) lines.push_back(unicode::encode(std::u32string_view(text).substr(start)));
    std::string out;
    for (size_t i = 0; i < lines.size(); ++i) {
        if (i) out += "\n";
        if (i && (p.flag(2, false) || !lines[i].empty())) out += indention;
        out += lines[i];
        interp.checkStringSize(out.size());
    }
    if (p.flag(1, false)) out = indention + out;
    return Value::string(std::move(out), v.isMarkup());
}

Value fInt(Interpreter&, const Value& v, CallArgs& args) {
    const ArgParser p(args, "int", {"default", "base"});
    const Value fallback = p.get(0, Value::integer(0));
    const Value base = p.get(1, Value::integer(10));
    requireDefined(v);
    if (isInteger(v)) return Value::integer(v.asInt());
    if (v.isString()) {
        if (!isInteger(base))
            typeError("'" + typeName(base) + "' object cannot be interpreted as an integer");
        if (const auto i = parsePythonInt(v.str(), static_cast<int>(base.asInt()))) return Value::integer(*i);
    }
    std::optional<double> d; // "42.23"|int gives 42
    if (v.isFloat())
        d = v.asDouble();
    else if (v.isString())
        d = parsePythonFloat(v.str());
    if (!d || std::isnan(*d)) return fallback;
    return Value::integer(truncateToInt(*d));
}

Value fLower(Interpreter&, const Value& v, CallArgs& args) {
    noArguments(args, "lower");
    const Value s = softStr(v);
    return Value::string(unicode::lower(s.str()), s.isMarkup());
}

Value fReplace(Interpreter& interp, const Value& v, CallArgs& args) {
    const ArgParser p(args, "replace", {"old", "new", "count"});
    if (!p.get(0) || !p.get(1)) typeError("replace() missing required arguments 'old' and 'new'");
    CallArgs methodArgs{{Value::string(toStr(*p.get(0))), Value::string(toStr(*p.get(1)))}, {}};
    if (p.get(2) && !p.get(2)->isNone()) methodArgs.positional.push_back(*p.get(2));
    return callMethod(interp, Value::string(toStr(v)), "replace", methodArgs);
}

Value fRound(Interpreter&, const Value& v, CallArgs& args) {
    const ArgParser p(args, "round", {"precision", "method"});
    const Value precision = p.get(0, Value::integer(0));
    const std::string method = p.get(1) ? toStr(*p.get(1)) : "common";
    if (method != "common" && method != "ceil" && method != "floor")
        typeError("method must be common, ceil or floor");
    requireDefined(v);
    if (!v.isNumber()) typeError("type " + typeName(v) + " doesn't define __round__ method");
    if (!isInteger(precision))
        typeError("'" + typeName(precision) + "' object cannot be interpreted as an integer");
    const int64_t digits = precision.asInt();
    if (method == "common") return pythonRound(v, digits);
    const double scale = std::pow(10.0, static_cast<double>(digits));
    const double scaled = v.asDouble() * scale;
    return Value::real((method == "ceil" ? std::ceil(scaled) : std::floor(scaled)) / scale);
}

Value fSafe(Interpreter&, const Value& v, CallArgs& args) {
    noArguments(args, "safe");
    return Value::string(toStr(v), true);
}

Value fString(Interpreter&, const Value& v, CallArgs& args) {
    noArguments(args, "string");
    return softStr(v);
}

Value fTitle(Interpreter&, const Value& v, CallArgs& args) {
    noArguments(args, "title");
    // Jinja's own title: split at runs of "-", whitespace, "(", "{", "[", "<" and upper-case each piece's
    // start
    const std::u32string text = unicode::decode(toStr(v));
    std::string out;
    bool wordStart = true;
    for (size_t i = 0; i < text.size(); ++i) {
        const char32_t c = text[i];
        const bool separator =
            c == '-' || c == '(' || c == '{' || c == '[' || c == '<' || unicode::isSpace(c);
        const std::u32string one(1, c);
        if (separator)
            unicode::append(out, c);
        else
            out += wordStart ? unicode::upper(unicode::encode(one)) : unicode::lower(unicode::encode(one));
        wordStart = separator;
    }
    return Value::string(std::move(out));
}

Value fToJson(Interpreter& interp, const Value& v, CallArgs& args) {
    const ArgParser p(args, "tojson", {"ensure_ascii", "indent", "separators", "sort_keys"});
    JsonOptions options;
    options.maxBytes = interp.limits().maxOutputBytes;
    options.ensureAscii = p.flag(0, false);
    options.sortKeys = p.flag(3, false);
    if (p.get(1) && !p.get(1)->isNone()) {
        const Value& indent = *p.get(1);
        options.indented = true;
        if (indent.isString()) {
            options.indent = indent.str();
        } else if (isInteger(indent)) {
            const auto n = static_cast<size_t>(std::max<int64_t>(0, indent.asInt()));
            interp.checkStringSize(n);
            options.indent.assign(n, ' ');
        } else {
            typeError("indent must be an int or a str");
        }
        options.itemSeparator = ",";
    }
    if (p.get(2) && !p.get(2)->isNone()) {
        const std::vector<Value> seps = interp.iterate(*p.get(2));
        if (seps.size() != 2 || !seps[0].isString() || !seps[1].isString())
            typeError("separators must be a pair of strings");
        options.itemSeparator = seps[0].str();
        options.keySeparator = seps[1].str();
    }
    std::string out = toJson(v, options);
    interp.checkStringSize(out.size());
    return Value::string(std::move(out));
}

Value fTrim(Interpreter&, const Value& v, CallArgs& args) {
    const ArgParser p(args, "trim", {"chars"});
    const Value s = softStr(v);
    std::optional<std::string> chars;
    if (p.get(0) && !p.get(0)->isNone()) {
        if (!p.get(0)->isString()) typeError("strip arg must be None or str");
        chars = p.get(0)->str();
    }
    return Value::string(unicode::strip(s.str(), chars ? &*chars : nullptr, true, true), s.isMarkup());
}

Value fUpper(Interpreter&, const Value& v, CallArgs& args) {
    noArguments(args, "upper");
    const Value s = softStr(v);
    return Value::string(unicode::upper(s.str()), s.isMarkup());
}

Value fWordcount(Interpreter&, const Value& v, CallArgs& args) {
    noArguments(args, "wordcount");
    const std::string s = toStr(v);
    if (!unicode::isAscii(s))
        throw Error(ErrorCode::Unsupported, "", "wordcount of non-ASCII text is not supported");
    int64_t count = 0;
    bool inWord = false;
    for (char c : s) {
        const bool word =
            (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
        count += word && !inWord;
        inWord = word;
    }
    return Value::integer(count);
}

const std::unordered_map<std::string_view, FilterFn>& filterTable() {
    static const auto table = [] {
        std::unordered_map<std::string_view, FilterFn> t = {
            {"abs", fAbs},
            {"attr", fAttr},
            {"capitalize", fCapitalize},
            {"center", fCenter},
            {"d", fDefault},
            {"default", fDefault},
            {"e", fEscape},
            {"escape", fEscape},
            {"float", fFloat},
            {"forceescape", fForceEscape},
            {"format", fFormat},
            {"indent", fIndent},
            {"int", fInt},
            {"lower", fLower},
            {"replace", fReplace},
            {"round", fRound},
            {"safe", fSafe},
            {"string", fString},
            {"title", fTitle},
            {"tojson", fToJson},
            {"trim", fTrim},
            {"upper", fUpper},
            {"wordcount", fWordcount},
            // Jinja2 filters not implemented: found by name, fail with Unsupported when used
            {"filesizeformat", nullptr},
            {"groupby", nullptr},
            {"pprint", nullptr},
            {"random", nullptr},
            {"slice", nullptr},
            {"striptags", nullptr},
            {"truncate", nullptr},
            {"urlencode", nullptr},
            {"urlize", nullptr},
            {"wordwrap", nullptr},
            {"xmlattr", nullptr},
        };
        addSequenceFilters(t);
        return t;
    }();
    return table;
}

} // namespace

ArgParser::ArgParser(const CallArgs& args, std::string_view function, std::vector<std::string_view> names)
    : m_slots(names.size(), nullptr) {
    const std::string fn(function);
    if (args.positional.size() > names.size())
        typeError(fn + "() takes at most " + std::to_string(names.size()) + " argument(s) (" +
                  std::to_string(args.positional.size()) + " given)");
    for (size_t i = 0; i < args.positional.size(); ++i)
        m_slots[i] = &args.positional[i];
    for (const auto& [name, value] : args.keyword) {
        const auto it = std::find(names.begin(), names.end(), name);
        if (it == names.end()) typeError(fn + "() got an unexpected keyword argument '" + name + "'");
        const auto index = static_cast<size_t>(it - names.begin());
        if (m_slots[index]) typeError(fn + "() got multiple values for argument '" + name + "'");
        m_slots[index] = &value;
    }
}

bool isKnownFilter(std::string_view name) {
    return filterTable().count(name) > 0;
}

FilterFn findFilter(std::string_view name) {
    const auto it = filterTable().find(name);
    return it == filterTable().end() ? nullptr : it->second;
}

} // namespace ft::jinja
