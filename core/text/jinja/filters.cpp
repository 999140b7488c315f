// Jinja2 3.1's built-in filters and tests (jinja2/filters.py, jinja2/tests.py), with transformers' tojson.
// Each follows the Python source, including how it treats Undefined and which results are generators.

#include "core/text/jinja/filters.h"

#include "core/common/error.h"
#include "core/text/jinja/interpreter.h"
#include "core/text/jinja/numbers.h"
#include "core/text/jinja/unicode.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <optional>
#include <unordered_map>

namespace ft::jinja {

namespace {

[[noreturn]] void typeError(const std::string& detail) {
    throw Error(ErrorCode::InvalidValue, "", detail);
}

bool isInteger(const Value& v) {
    return v.isNumber() && !v.isFloat();
}

// soft_str(): keeps a Markup string as it is, str() of anything else.
Value softStr(const Value& v) {
    return v.isString() ? v : Value::string(toStr(v));
}

Value generator(std::vector<Value> items) {
    return Value::list(std::move(items), ListKind::Iterator);
}

Value ignoreCase(const Value& v) {
    return v.isString() ? Value::string(unicode::lower(v.str())) : v;
}

// make_attrgetter(): "a.b.0" walks items through environment.getitem, digits as integer indices.
class AttrGetter {
public:
    AttrGetter(const Value* attribute, bool lowerCase, std::optional<Value> fallback = std::nullopt)
        : m_lowerCase(lowerCase), m_fallback(std::move(fallback)) {
        if (!attribute || attribute->isNone())
            return;
        if (!attribute->isString()) {
            m_parts.push_back(*attribute);
            return;
        }
        const std::string& path = attribute->str();
        size_t start = 0;
        for (;;) {
            const size_t dot = path.find('.', start);
            const std::string part = path.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
            const bool digits = !part.empty() && std::all_of(part.begin(), part.end(), [](char c) {
                return c >= '0' && c <= '9';
            });
            m_parts.push_back(digits ? Value::integer(std::stoll(part)) : Value::string(part));
            if (dot == std::string::npos)
                break;
            start = dot + 1;
        }
    }

    Value operator()(Interpreter& interp, Value item) const {
        for (const auto& part : m_parts) {
            item = interp.getItem(item, part);
            if (m_fallback && item.isUndefined())
                item = *m_fallback;
        }
        return m_lowerCase ? ignoreCase(item) : item;
    }

private:
    std::vector<Value> m_parts;
    bool m_lowerCase;
    std::optional<Value> m_fallback;
};

bool optBool(const ArgParser& p, size_t i, bool fallback) {
    return p.get(i) ? truthy(*p.get(i)) : fallback;
}

// ---- filters ----

Value fAbs(Interpreter&, const Value& v, CallArgs& args) {
    ArgParser(args, "abs", {});
    if (v.isFloat())
        return Value::real(std::fabs(v.asDouble()));
    if (isInteger(v)) {
        if (v.asInt() == INT64_MIN)
            throw Error(ErrorCode::Unsupported, "", "integer result does not fit in 64 bits");
        return Value::integer(v.asInt() < 0 ? -v.asInt() : v.asInt());
    }
    typeError("bad operand type for abs(): '" + typeName(v) + "'");
}

Value fAttr(Interpreter& interp, const Value& v, CallArgs& args) {
    const ArgParser p(args, "attr", {"name"});
    if (!p.get(0))
        typeError("attr() missing 1 required positional argument: 'name'");
    const std::string name = toStr(*p.get(0));
    requireDefined(v);
    // Python attributes only: dict keys are not attributes
    if (v.isDict() || v.isString() || v.isList()) {
        return hasMethod(v, name) ? interp.getAttr(v, name)
                                  : Value::undefined("'" + typeName(v) + " object' has no attribute '" + name + "'");
    }
    return interp.getAttr(v, name);
}

Value fBatch(Interpreter& interp, const Value& v, CallArgs& args) {
    const ArgParser p(args, "batch", {"linecount", "fill_with"});
    if (!p.get(0) || !isInteger(*p.get(0)))
        typeError("batch() needs an integer line count");
    const auto size = static_cast<size_t>(std::max<int64_t>(1, p.get(0)->asInt()));
    std::vector<Value> rows;
    std::vector<Value> row;
    for (auto& item : interp.iterate(v)) {
        if (row.size() == size)
            rows.push_back(Value::list(std::exchange(row, {})));
        row.push_back(std::move(item));
    }
    if (!row.empty()) {
        if (p.get(1) && !p.get(1)->isNone())
            while (row.size() < size)
                row.push_back(*p.get(1));
        rows.push_back(Value::list(std::move(row)));
    }
    return generator(std::move(rows));
}

Value fCapitalize(Interpreter&, const Value& v, CallArgs& args) {
    ArgParser(args, "capitalize", {});
    const Value s = softStr(v);
    return Value::string(unicode::capitalize(s.str()), s.isMarkup());
}

Value fCenter(Interpreter&, const Value& v, CallArgs& args) {
    const ArgParser p(args, "center", {"width"});
    const Value width = p.get(0, Value::integer(80));
    if (!isInteger(width))
        typeError("'" + typeName(width) + "' object cannot be interpreted as an integer");
    const std::string s = toStr(v);
    const int64_t margin = width.asInt() - static_cast<int64_t>(unicode::length(s));
    if (margin <= 0)
        return softStr(v);
    const int64_t left = margin / 2 + (margin & width.asInt() & 1);
    return Value::string(std::string(left, ' ') + s + std::string(margin - left, ' '));
}

Value fDefault(Interpreter&, const Value& v, CallArgs& args) {
    const ArgParser p(args, "default", {"default_value", "boolean"});
    if (v.isUndefined() || (optBool(p, 1, false) && !truthy(v)))
        return p.get(0, Value::string(""));
    return v;
}

Value fDictsort(Interpreter& interp, const Value& v, CallArgs& args) {
    const ArgParser p(args, "dictsort", {"case_sensitive", "by", "reverse"});
    const bool caseSensitive = optBool(p, 0, false);
    const std::string by = p.get(1) ? toStr(*p.get(1)) : "key";
    if (by != "key" && by != "value")
        typeError("You can only sort by either \"key\" or \"value\"");
    const bool reverse = optBool(p, 2, false);
    requireDefined(v);
    if (!v.isDict())
        typeError("'" + typeName(v) + "' object has no attribute 'items'");
    std::vector<std::pair<Value, Value>> entries = v.dict().entries;
    const size_t pos = by == "key" ? 0 : 1;
    const auto keyOf = [&](const std::pair<Value, Value>& e) {
        const Value& k = pos == 0 ? e.first : e.second;
        return caseSensitive ? k : ignoreCase(k);
    };
    std::stable_sort(entries.begin(), entries.end(), [&](const auto& a, const auto& b) {
        return reverse ? pyLess(keyOf(b), keyOf(a)) : pyLess(keyOf(a), keyOf(b));
    });
    std::vector<Value> out;
    for (auto& [key, value] : entries)
        out.push_back(Value::list({key, value}, ListKind::Tuple));
    (void)interp;
    return Value::list(std::move(out));
}

Value fEscape(Interpreter&, const Value& v, CallArgs& args) {
    ArgParser(args, "escape", {});
    if (v.isMarkup())
        return v;
    return Value::string(htmlEscape(toStr(v)), true);
}

Value fForceEscape(Interpreter&, const Value& v, CallArgs& args) {
    ArgParser(args, "forceescape", {});
    return Value::string(htmlEscape(toStr(v)), true);
}

Value fFirst(Interpreter& interp, const Value& v, CallArgs& args) {
    ArgParser(args, "first", {});
    std::vector<Value> items = interp.iterate(v);
    return items.empty() ? Value::undefined("No first item, sequence was empty.") : items.front();
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

Value fIndent(Interpreter&, const Value& v, CallArgs& args) {
    const ArgParser p(args, "indent", {"width", "first", "blank"});
    const Value width = p.get(0, Value::integer(4));
    std::string indention;
    if (width.isString())
        indention = width.str();
    else if (isInteger(width))
        indention = std::string(static_cast<size_t>(std::max<int64_t>(0, width.asInt())), ' ');
    else
        typeError("can't multiply sequence by non-int of type '" + typeName(width) + "'");
    requireDefined(v);
    if (!v.isString())
        typeError("unsupported operand type(s) for +=: '" + typeName(v) + "' and 'str'");
    const std::u32string text = unicode::decode(v.str() + "\n");
    std::vector<std::string> lines;  // str.splitlines()
    size_t start = 0;
    for (size_t i = 0; i < text.size(); ++i) {
        if (!unicode::isLineBreak(text[i]))
            continue;
        lines.push_back(unicode::encode(std::u32string_view(text).substr(start, i - start)));
        if (text[i] == '\r' && i + 1 < text.size() && text[i + 1] == '\n')
            ++i;
        start = i + 1;
    }
    if (start < text.size())
        lines.push_back(unicode::encode(std::u32string_view(text).substr(start)));
    std::string out;
    for (size_t i = 0; i < lines.size(); ++i) {
        if (i)
            out += "\n";
        if (i && (optBool(p, 2, false) || !lines[i].empty()))
            out += indention;
        out += lines[i];
    }
    if (optBool(p, 1, false))
        out = indention + out;
    return Value::string(std::move(out), v.isMarkup());
}

Value fInt(Interpreter&, const Value& v, CallArgs& args) {
    const ArgParser p(args, "int", {"default", "base"});
    const Value fallback = p.get(0, Value::integer(0));
    const Value base = p.get(1, Value::integer(10));
    requireDefined(v);
    if (isInteger(v))
        return Value::integer(v.asInt());
    if (v.isString()) {
        if (!isInteger(base))
            typeError("'" + typeName(base) + "' object cannot be interpreted as an integer");
        if (const auto i = parsePythonInt(v.str(), static_cast<int>(base.asInt())))
            return Value::integer(*i);
    }
    std::optional<double> d;  // "42.23"|int gives 42
    if (v.isFloat())
        d = v.asDouble();
    else if (v.isString())
        d = parsePythonFloat(v.str());
    if (!d || std::isnan(*d))
        return fallback;
    return Value::integer(truncateToInt(*d));
}

Value fItems(Interpreter&, const Value& v, CallArgs& args) {
    ArgParser(args, "items", {});
    if (v.isUndefined())
        return generator({});
    if (!v.isDict())
        typeError("Can only get item pairs from a mapping.");
    std::vector<Value> out;
    for (const auto& [key, value] : v.dict().entries)
        out.push_back(Value::list({key, value}, ListKind::Tuple));
    return generator(std::move(out));
}

Value fJoin(Interpreter& interp, const Value& v, CallArgs& args) {
    const ArgParser p(args, "join", {"d", "attribute"});
    const std::string separator = p.get(0) ? toStr(*p.get(0)) : "";
    const AttrGetter getter(p.get(1), false);
    std::string out;
    bool first = true;
    for (const auto& item : interp.iterate(v)) {
        if (!first)
            out += separator;
        first = false;
        out += toStr(p.get(1) ? getter(interp, item) : item);
        interp.checkStringSize(out.size());
    }
    return Value::string(std::move(out));
}

Value fLast(Interpreter& interp, const Value& v, CallArgs& args) {
    ArgParser(args, "last", {});
    if (v.isList() && v.list().kind == ListKind::Iterator)
        typeError("'generator' object is not reversible");
    std::vector<Value> items = interp.iterate(v);
    return items.empty() ? Value::undefined("No last item, sequence was empty.") : items.back();
}

Value fLength(Interpreter&, const Value& v, CallArgs& args) {
    ArgParser(args, "length", {});
    switch (v.kind()) {
    case Value::Kind::Undefined: return Value::integer(0);
    case Value::Kind::String: return Value::integer(static_cast<int64_t>(unicode::length(v.str())));
    case Value::Kind::Dict: return Value::integer(static_cast<int64_t>(v.dict().entries.size()));
    case Value::Kind::List:
        if (v.list().kind != ListKind::Iterator)
            return Value::integer(static_cast<int64_t>(v.list().items.size()));
        [[fallthrough]];
    default: typeError("object of type '" + typeName(v) + "' has no len()");
    }
}

Value fList(Interpreter& interp, const Value& v, CallArgs& args) {
    ArgParser(args, "list", {});
    return Value::list(interp.iterate(v));
}

Value fLower(Interpreter&, const Value& v, CallArgs& args) {
    ArgParser(args, "lower", {});
    const Value s = softStr(v);
    return Value::string(unicode::lower(s.str()), s.isMarkup());
}

Value fMap(Interpreter& interp, const Value& v, CallArgs& args) {
    std::vector<Value> out;
    if (!truthy(v))
        return generator({});
    if (args.positional.empty()) {
        const Value* attribute = nullptr;
        std::optional<Value> fallback;
        for (const auto& [name, value] : args.keyword) {
            if (name == "attribute")
                attribute = &value;
            else if (name == "default")
                fallback = value;
            else
                typeError("Unexpected keyword argument '" + name + "'");
        }
        if (!attribute)
            typeError("map requires a filter argument");
        if (fallback && fallback->isNone())
            fallback.reset();
        const AttrGetter getter(attribute, false, fallback);
        for (const auto& item : interp.iterate(v))
            out.push_back(getter(interp, item));
        return generator(std::move(out));
    }
    const std::string name = toStr(args.positional.front());
    CallArgs rest{{args.positional.begin() + 1, args.positional.end()}, args.keyword};
    for (const auto& item : interp.iterate(v)) {
        CallArgs each = rest;
        out.push_back(interp.applyFilter(name, item, each));
    }
    return generator(std::move(out));
}

// min/max: the first of the smallest/largest items.
Value minOrMax(Interpreter& interp, const Value& v, CallArgs& args, bool max) {
    const ArgParser p(args, max ? "max" : "min", {"case_sensitive", "attribute"});
    const AttrGetter getter(p.get(1), !optBool(p, 0, false));
    const std::vector<Value> items = interp.iterate(v);
    if (items.empty())
        return Value::undefined("No aggregated item, sequence was empty.");
    size_t best = 0;
    Value bestKey = getter(interp, items[0]);
    for (size_t i = 1; i < items.size(); ++i) {
        Value key = getter(interp, items[i]);
        if (max ? pyLess(bestKey, key) : pyLess(key, bestKey)) {
            best = i;
            bestKey = std::move(key);
        }
    }
    return items[best];
}

Value fMax(Interpreter& interp, const Value& v, CallArgs& args) {
    return minOrMax(interp, v, args, true);
}

Value fMin(Interpreter& interp, const Value& v, CallArgs& args) {
    return minOrMax(interp, v, args, false);
}

Value selectOrReject(Interpreter& interp, const Value& v, CallArgs& args, bool select, bool byAttribute) {
    if (!truthy(v))
        return generator({});
    size_t offset = 0;
    std::optional<AttrGetter> getter;
    if (byAttribute) {
        if (args.positional.empty())
            typeError("Missing parameter for attribute name");
        getter.emplace(&args.positional[0], false);
        offset = 1;
    }
    std::optional<std::string> testName;
    if (args.positional.size() > offset)
        testName = toStr(args.positional[offset]);
    CallArgs testArgs;
    if (args.positional.size() > offset + 1)
        testArgs.positional.assign(args.positional.begin() + static_cast<long>(offset) + 1, args.positional.end());
    testArgs.keyword = args.keyword;
    std::vector<Value> out;
    for (const auto& item : interp.iterate(v)) {
        const Value subject = getter ? (*getter)(interp, item) : item;
        CallArgs each = testArgs;
        const bool passed = testName ? interp.applyTest(*testName, subject, each) : truthy(subject);
        if (passed == select)
            out.push_back(item);
    }
    return generator(std::move(out));
}

Value fSelect(Interpreter& interp, const Value& v, CallArgs& args) {
    return selectOrReject(interp, v, args, true, false);
}
Value fReject(Interpreter& interp, const Value& v, CallArgs& args) {
    return selectOrReject(interp, v, args, false, false);
}
Value fSelectAttr(Interpreter& interp, const Value& v, CallArgs& args) {
    return selectOrReject(interp, v, args, true, true);
}
Value fRejectAttr(Interpreter& interp, const Value& v, CallArgs& args) {
    return selectOrReject(interp, v, args, false, true);
}

Value fReplace(Interpreter& interp, const Value& v, CallArgs& args) {
    const ArgParser p(args, "replace", {"old", "new", "count"});
    if (!p.get(0) || !p.get(1))
        typeError("replace() missing required arguments 'old' and 'new'");
    CallArgs methodArgs{{Value::string(toStr(*p.get(0))), Value::string(toStr(*p.get(1)))}, {}};
    if (p.get(2) && !p.get(2)->isNone())
        methodArgs.positional.push_back(*p.get(2));
    return callMethod(interp, Value::string(toStr(v)), "replace", methodArgs);
}

Value fReverse(Interpreter& interp, const Value& v, CallArgs& args) {
    ArgParser(args, "reverse", {});
    if (v.isString()) {
        std::u32string text = unicode::decode(v.str());
        std::reverse(text.begin(), text.end());
        return Value::string(unicode::encode(text));
    }
    if (v.isList() && v.list().kind == ListKind::Iterator) {  // reversed() fails, so Jinja makes a list
        std::vector<Value> items = interp.iterate(v);
        std::reverse(items.begin(), items.end());
        return Value::list(std::move(items));
    }
    if (v.isNumber() || v.isNone())
        typeError("argument to reverse filter must be iterable");
    std::vector<Value> items = interp.iterate(v);
    std::reverse(items.begin(), items.end());
    return generator(std::move(items));  // a reverse iterator
}

Value fRound(Interpreter&, const Value& v, CallArgs& args) {
    const ArgParser p(args, "round", {"precision", "method"});
    const Value precision = p.get(0, Value::integer(0));
    const std::string method = p.get(1) ? toStr(*p.get(1)) : "common";
    if (method != "common" && method != "ceil" && method != "floor")
        typeError("method must be common, ceil or floor");
    requireDefined(v);
    if (!v.isNumber())
        typeError("type " + typeName(v) + " doesn't define __round__ method");
    if (!isInteger(precision))
        typeError("'" + typeName(precision) + "' object cannot be interpreted as an integer");
    const int64_t digits = precision.asInt();
    if (method == "common")
        return pythonRound(v, digits);
    const double scale = std::pow(10.0, static_cast<double>(digits));
    const double scaled = v.asDouble() * scale;
    return Value::real((method == "ceil" ? std::ceil(scaled) : std::floor(scaled)) / scale);
}

Value fSafe(Interpreter&, const Value& v, CallArgs& args) {
    ArgParser(args, "safe", {});
    return Value::string(toStr(v), true);
}

Value fSort(Interpreter& interp, const Value& v, CallArgs& args) {
    const ArgParser p(args, "sort", {"reverse", "case_sensitive", "attribute"});
    const bool reverse = optBool(p, 0, false);
    const bool lowerCase = !optBool(p, 1, false);
    std::vector<AttrGetter> getters;  // "a,b" sorts by several attributes
    if (p.get(2) && p.get(2)->isString()) {
        const std::string& spec = p.get(2)->str();
        for (size_t start = 0;;) {
            const size_t comma = spec.find(',', start);
            const Value part = Value::string(spec.substr(start, comma == std::string::npos ? comma : comma - start));
            getters.emplace_back(&part, lowerCase);
            if (comma == std::string::npos)
                break;
            start = comma + 1;
        }
    } else {
        getters.emplace_back(p.get(2), lowerCase);
    }
    std::vector<Value> items = interp.iterate(v);
    std::vector<std::pair<Value, size_t>> keyed;
    for (size_t i = 0; i < items.size(); ++i) {
        if (getters.size() == 1) {
            keyed.emplace_back(getters[0](interp, items[i]), i);
        } else {
            std::vector<Value> parts;
            for (const auto& g : getters)
                parts.push_back(g(interp, items[i]));
            keyed.emplace_back(Value::list(std::move(parts)), i);
        }
    }
    std::stable_sort(keyed.begin(), keyed.end(), [&](const auto& a, const auto& b) {
        return reverse ? pyLess(b.first, a.first) : pyLess(a.first, b.first);
    });
    std::vector<Value> out;
    for (const auto& [key, index] : keyed)
        out.push_back(items[index]);
    return Value::list(std::move(out));
}

Value fString(Interpreter&, const Value& v, CallArgs& args) {
    ArgParser(args, "string", {});
    return softStr(v);
}

Value fSum(Interpreter& interp, const Value& v, CallArgs& args) {
    const ArgParser p(args, "sum", {"attribute", "start"});
    const AttrGetter getter(p.get(0), false);
    Value total = p.get(1, Value::integer(0));
    for (const auto& item : interp.iterate(v))
        total = interp.evalBinary(BinaryOp::Add, total, p.get(0) ? getter(interp, item) : item);
    return total;
}

Value fTitle(Interpreter&, const Value& v, CallArgs& args) {
    ArgParser(args, "title", {});
    // Jinja's own title: split at runs of "-", whitespace, "(", "{", "[", "<" and upper-case each piece's start
    const std::u32string text = unicode::decode(toStr(v));
    std::string out;
    bool wordStart = true;
    for (size_t i = 0; i < text.size(); ++i) {
        const char32_t c = text[i];
        const bool separator = c == '-' || c == '(' || c == '{' || c == '[' || c == '<' || unicode::isSpace(c);
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
    options.ensureAscii = optBool(p, 0, false);
    options.sortKeys = optBool(p, 3, false);
    if (p.get(1) && !p.get(1)->isNone()) {
        const Value& indent = *p.get(1);
        options.indented = true;
        if (indent.isString())
            options.indent = indent.str();
        else if (isInteger(indent))
            options.indent = std::string(static_cast<size_t>(std::max<int64_t>(0, indent.asInt())), ' ');
        else
            typeError("indent must be an int or a str");
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
        if (!p.get(0)->isString())
            typeError("strip arg must be None or str");
        chars = p.get(0)->str();
    }
    return Value::string(unicode::strip(s.str(), chars ? &*chars : nullptr, true, true), s.isMarkup());
}

Value fUnique(Interpreter& interp, const Value& v, CallArgs& args) {
    const ArgParser p(args, "unique", {"case_sensitive", "attribute"});
    const AttrGetter getter(p.get(1), !optBool(p, 0, false));
    std::vector<Value> seen;
    std::vector<Value> out;
    for (const auto& item : interp.iterate(v)) {
        Value key = getter(interp, item);
        if (key.isDict() || (key.isList() && key.list().kind == ListKind::List))
            typeError("unhashable type: '" + typeName(key) + "'");
        if (std::none_of(seen.begin(), seen.end(), [&](const Value& s) { return pyEquals(s, key); })) {
            seen.push_back(std::move(key));
            out.push_back(item);
        }
    }
    return generator(std::move(out));
}

Value fUpper(Interpreter&, const Value& v, CallArgs& args) {
    ArgParser(args, "upper", {});
    const Value s = softStr(v);
    return Value::string(unicode::upper(s.str()), s.isMarkup());
}

Value fWordcount(Interpreter&, const Value& v, CallArgs& args) {
    ArgParser(args, "wordcount", {});
    const std::string s = toStr(v);
    if (!unicode::isAscii(s))
        throw Error(ErrorCode::Unsupported, "", "wordcount of non-ASCII text is not supported");
    int64_t count = 0;
    bool inWord = false;
    for (char c : s) {
        const bool word = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
        count += word && !inWord;
        inWord = word;
    }
    return Value::integer(count);
}

// ---- tests ----

const Value& testArg(const CallArgs& args, const char* test) {
    const ArgParser p(args, test, {"other"});
    if (!p.get(0))
        typeError(std::string(test) + "() missing 1 required positional argument");
    return *p.get(0);
}

bool tDefined(Interpreter&, const Value& v, CallArgs&) { return !v.isUndefined(); }
bool tUndefined(Interpreter&, const Value& v, CallArgs&) { return v.isUndefined(); }
bool tNone(Interpreter&, const Value& v, CallArgs&) { return v.isNone(); }
bool tBoolean(Interpreter&, const Value& v, CallArgs&) { return v.isBool(); }
bool tFalse(Interpreter&, const Value& v, CallArgs&) { return v.isBool() && !v.asBool(); }
bool tTrue(Interpreter&, const Value& v, CallArgs&) { return v.isBool() && v.asBool(); }
bool tInteger(Interpreter&, const Value& v, CallArgs&) { return v.isInt(); }
bool tFloat(Interpreter&, const Value& v, CallArgs&) { return v.isFloat(); }
bool tNumber(Interpreter&, const Value& v, CallArgs&) { return v.isNumber(); }
bool tString(Interpreter&, const Value& v, CallArgs&) { return v.isString(); }
bool tMapping(Interpreter&, const Value& v, CallArgs&) { return v.isDict(); }
bool tEscaped(Interpreter&, const Value& v, CallArgs&) { return v.isMarkup(); }

bool tIterable(Interpreter&, const Value& v, CallArgs&) {
    if (v.isObject())
        return v.object().type() == Object::Type::Loop;
    return v.isUndefined() || v.isString() || v.isList() || v.isDict();
}

bool tSequence(Interpreter&, const Value& v, CallArgs&) {  // has len() and [] in Python
    if (v.isList())
        return v.list().kind == ListKind::List || v.list().kind == ListKind::Tuple || v.list().kind == ListKind::Range;
    return v.isUndefined() || v.isString() || v.isDict();
}

bool tCallable(Interpreter&, const Value& v, CallArgs&) {
    return v.isUndefined() || (v.isObject() && v.object().callable());
}

bool tLower(Interpreter&, const Value& v, CallArgs&) { return unicode::isLower(toStr(v)); }
bool tUpper(Interpreter&, const Value& v, CallArgs&) { return unicode::isUpper(toStr(v)); }

bool tOdd(Interpreter& interp, const Value& v, CallArgs&) {
    return pyEquals(interp.evalBinary(BinaryOp::Mod, v, Value::integer(2)), Value::integer(1));
}
bool tEven(Interpreter& interp, const Value& v, CallArgs&) {
    return pyEquals(interp.evalBinary(BinaryOp::Mod, v, Value::integer(2)), Value::integer(0));
}
bool tDivisibleBy(Interpreter& interp, const Value& v, CallArgs& args) {
    const ArgParser p(args, "divisibleby", {"num"});
    if (!p.get(0))
        typeError("divisibleby() missing 1 required positional argument: 'num'");
    return pyEquals(interp.evalBinary(BinaryOp::Mod, v, *p.get(0)), Value::integer(0));
}

bool tIn(Interpreter& interp, const Value& v, CallArgs& args) { return interp.contains(testArg(args, "in"), v); }
bool tEq(Interpreter&, const Value& v, CallArgs& args) { return pyEquals(v, testArg(args, "eq")); }
bool tNe(Interpreter&, const Value& v, CallArgs& args) { return !pyEquals(v, testArg(args, "ne")); }
bool tLt(Interpreter&, const Value& v, CallArgs& args) { return pyLess(v, testArg(args, "lt")); }
bool tGt(Interpreter&, const Value& v, CallArgs& args) { return pyLess(testArg(args, "gt"), v); }
bool tLe(Interpreter&, const Value& v, CallArgs& args) {
    const Value& o = testArg(args, "le");
    return pyLess(v, o) || pyEquals(v, o);
}
bool tGe(Interpreter&, const Value& v, CallArgs& args) {
    const Value& o = testArg(args, "ge");
    return pyLess(o, v) || pyEquals(v, o);
}

bool tSameAs(Interpreter&, const Value& v, CallArgs& args) {
    const Value& o = testArg(args, "sameas");
    if (v.kind() != o.kind())
        return false;
    if (v.isNone() || v.isBool() || v.isUndefined())
        return pyEquals(v, o) && !v.isUndefined();
    if (v.isList())
        return v.listPtr() == o.listPtr();
    if (v.isDict())
        return v.dictPtr() == o.dictPtr();
    if (v.isObject())
        return v.objectPtr() == o.objectPtr();
    throw Error(ErrorCode::Unsupported, "", "'sameas' on numbers and strings depends on CPython internals");
}

bool tFilter(Interpreter&, const Value& v, CallArgs&) { return v.isString() && isKnownFilter(v.str()); }
bool tTest(Interpreter&, const Value& v, CallArgs&) { return v.isString() && isKnownTest(v.str()); }

const std::unordered_map<std::string_view, FilterFn>& filterTable() {
    static const std::unordered_map<std::string_view, FilterFn> table = {
        {"abs", fAbs},         {"attr", fAttr},           {"batch", fBatch},
        {"capitalize", fCapitalize},                      {"center", fCenter},
        {"count", fLength},    {"d", fDefault},           {"default", fDefault},
        {"dictsort", fDictsort},                          {"e", fEscape},
        {"escape", fEscape},   {"first", fFirst},         {"float", fFloat},
        {"forceescape", fForceEscape},                    {"format", fFormat},
        {"indent", fIndent},   {"int", fInt},             {"items", fItems},
        {"join", fJoin},       {"last", fLast},           {"length", fLength},
        {"list", fList},       {"lower", fLower},         {"map", fMap},
        {"max", fMax},         {"min", fMin},             {"reject", fReject},
        {"rejectattr", fRejectAttr},                      {"replace", fReplace},
        {"reverse", fReverse}, {"round", fRound},         {"safe", fSafe},
        {"select", fSelect},   {"selectattr", fSelectAttr},
        {"sort", fSort},       {"string", fString},       {"sum", fSum},
        {"title", fTitle},     {"tojson", fToJson},       {"trim", fTrim},
        {"unique", fUnique},   {"upper", fUpper},         {"wordcount", fWordcount},
        // Jinja2 filters not implemented: found by name, fail with Unsupported when used
        {"filesizeformat", nullptr}, {"groupby", nullptr}, {"pprint", nullptr},
        {"random", nullptr},   {"slice", nullptr},        {"striptags", nullptr},
        {"truncate", nullptr}, {"urlencode", nullptr},    {"urlize", nullptr},
        {"wordwrap", nullptr}, {"xmlattr", nullptr},
    };
    return table;
}

const std::unordered_map<std::string_view, TestFn>& testTable() {
    static const std::unordered_map<std::string_view, TestFn> table = {
        {"odd", tOdd},           {"even", tEven},         {"divisibleby", tDivisibleBy},
        {"defined", tDefined},   {"undefined", tUndefined}, {"filter", tFilter},
        {"test", tTest},         {"none", tNone},         {"boolean", tBoolean},
        {"false", tFalse},       {"true", tTrue},         {"integer", tInteger},
        {"float", tFloat},       {"lower", tLower},       {"upper", tUpper},
        {"string", tString},     {"mapping", tMapping},   {"number", tNumber},
        {"sequence", tSequence}, {"iterable", tIterable}, {"callable", tCallable},
        {"sameas", tSameAs},     {"escaped", tEscaped},   {"in", tIn},
        {"==", tEq},             {"eq", tEq},             {"equalto", tEq},
        {"!=", tNe},             {"ne", tNe},             {">", tGt},
        {"gt", tGt},             {"greaterthan", tGt},    {">=", tGe},
        {"ge", tGe},             {"<", tLt},              {"lt", tLt},
        {"lessthan", tLt},       {"<=", tLe},             {"le", tLe},
    };
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
        if (it == names.end())
            typeError(fn + "() got an unexpected keyword argument '" + name + "'");
        const auto index = static_cast<size_t>(it - names.begin());
        if (m_slots[index])
            typeError(fn + "() got multiple values for argument '" + name + "'");
        m_slots[index] = &value;
    }
}

bool isKnownFilter(std::string_view name) {
    return filterTable().count(name) > 0;
}

bool isKnownTest(std::string_view name) {
    return testTable().count(name) > 0;
}

FilterFn findFilter(std::string_view name) {
    const auto it = filterTable().find(name);
    return it == filterTable().end() ? nullptr : it->second;
}

TestFn findTest(std::string_view name) {
    const auto it = testTable().find(name);
    return it == testTable().end() ? nullptr : it->second;
}

} // namespace ft::jinja
