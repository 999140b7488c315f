// Jinja2 3.1's filters over sequences and mappings (jinja2/filters.py): selection, mapping, sorting,
// aggregation. Like Jinja, select/map/unique/... produce generators (ListKind::Iterator).

#include "core/common/error.h"
#include "core/text/jinja/filters.h"
#include "core/text/jinja/interpreter.h"
#include "core/text/jinja/support.h"
#include "core/text/jinja/unicode.h"

#include <algorithm>
#include <optional>

namespace ft::jinja {

namespace {

Value ignoreCase(const Value& v) {
    return v.isString() ? Value::string(unicode::lower(v.str())) : v;
}

Value generator(std::vector<Value> items) {
    return Value::list(std::move(items), ListKind::Iterator);
}

// make_attrgetter(): "a.b.0" walks items through environment.getitem, digits as integer indices.
class AttrGetter {
  public:
    AttrGetter(const Value* attribute, bool lowerCase, std::optional<Value> fallback = std::nullopt)
        : m_lowerCase(lowerCase), m_fallback(std::move(fallback)) {
        if (!attribute || attribute->isNone()) return;
        if (!attribute->isString()) {
            m_parts.push_back(*attribute);
            return;
        }
        const std::string& path = attribute->str();
        size_t start = 0;
        for (;;) {
            const size_t dot = path.find('.', start);
            const std::string part =
                path.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
            const bool digits = !part.empty() && std::all_of(part.begin(), part.end(),
                                                             [](char c) { return c >= '0' && c <= '9'; });
            m_parts.push_back(digits ? Value::integer(std::stoll(part)) : Value::string(part));
            if (dot == std::string::npos) break;
            start = dot + 1;
        }
    }

    Value operator()(Interpreter& interp, Value item) const {
        for (const auto& part : m_parts) {
            item = interp.getItem(item, part);
            if (m_fallback && item.isUndefined()) item = *m_fallback;
        }
        return m_lowerCase ? ignoreCase(item) : item;
    }

  private:
    std::vector<Value> m_parts;
    bool m_lowerCase;
    std::optional<Value> m_fallback;
};

Value fBatch(Interpreter& interp, const Value& v, CallArgs& args) {
    const ArgParser p(args, "batch", {"linecount", "fill_with"});
    if (!p.get(0) || !isInteger(*p.get(0))) typeError("batch() needs an integer line count");
    const int64_t lineCount = p.get(0)->asInt(); // below 1 no row ever fills up: one row of everything
    std::vector<Value> rows;
    std::vector<Value> row;
    for (auto& item : interp.iterate(v)) {
        if (static_cast<int64_t>(row.size()) == lineCount)
            rows.push_back(Value::list(std::exchange(row, {})));
        row.push_back(std::move(item));
    }
    if (!row.empty()) {
        if (p.get(1) && !p.get(1)->isNone()) {
            interp.checkListSize(static_cast<size_t>(std::max<int64_t>(0, lineCount)));
            while (static_cast<int64_t>(row.size()) < lineCount)
                row.push_back(*p.get(1));
        }
        rows.push_back(Value::list(std::move(row)));
    }
    return generator(std::move(rows));
}

Value fDictsort(Interpreter&, const Value& v, CallArgs& args) {
    const ArgParser p(args, "dictsort", {"case_sensitive", "by", "reverse"});
    const bool caseSensitive = p.flag(0, false);
    const std::string by = p.get(1) ? toStr(*p.get(1)) : "key";
    if (by != "key" && by != "value") typeError("You can only sort by either \"key\" or \"value\"");
    const bool reverse = p.flag(2, false);
    requireDefined(v);
    if (!v.isDict()) typeError("'" + typeName(v) + "' object has no attribute 'items'");
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
    return Value::list(std::move(out));
}

Value fFirst(Interpreter& interp, const Value& v, CallArgs& args) {
    noArguments(args, "first");
    std::vector<Value> items = interp.iterate(v);
    return items.empty() ? Value::undefined("No first item, sequence was empty.") : items.front();
}

Value fItems(Interpreter&, const Value& v, CallArgs& args) {
    noArguments(args, "items");
    if (v.isUndefined()) return generator({});
    if (!v.isDict()) typeError("Can only get item pairs from a mapping.");
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
        if (!first) out += separator;
        first = false;
        out += toStr(p.get(1) ? getter(interp, item) : item);
        interp.checkStringSize(out.size());
    }
    return Value::string(std::move(out));
}

Value fLast(Interpreter& interp, const Value& v, CallArgs& args) {
    noArguments(args, "last");
    if (v.isList() && v.list().kind == ListKind::Iterator) typeError("'generator' object is not reversible");
    std::vector<Value> items = interp.iterate(v);
    return items.empty() ? Value::undefined("No last item, sequence was empty.") : items.back();
}

Value fLength(Interpreter&, const Value& v, CallArgs& args) {
    noArguments(args, "length");
    switch (v.kind()) {
    case Value::Kind::Undefined:
        return Value::integer(0);
    case Value::Kind::String:
        return Value::integer(static_cast<int64_t>(unicode::length(v.str())));
    case Value::Kind::Dict:
        return Value::integer(static_cast<int64_t>(v.dict().entries.size()));
    case Value::Kind::List:
        if (v.list().kind != ListKind::Iterator)
            return Value::integer(static_cast<int64_t>(v.list().items.size()));
        [[fallthrough]];
    default:
        typeError("object of type '" + typeName(v) + "' has no len()");
    }
}

Value fList(Interpreter& interp, const Value& v, CallArgs& args) {
    noArguments(args, "list");
    return Value::list(interp.iterate(v));
}

Value fMap(Interpreter& interp, const Value& v, CallArgs& args) {
    std::vector<Value> out;
    if (!truthy(v)) return generator({});
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
        if (!attribute) typeError("map requires a filter argument");
        if (fallback && fallback->isNone()) fallback.reset();
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
    const AttrGetter getter(p.get(1), !p.flag(0, false));
    const std::vector<Value> items = interp.iterate(v);
    if (items.empty()) return Value::undefined("No aggregated item, sequence was empty.");
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
    if (!truthy(v)) return generator({});
    size_t offset = 0;
    std::optional<AttrGetter> getter;
    if (byAttribute) {
        if (args.positional.empty()) typeError("Missing parameter for attribute name");
        getter.emplace(&args.positional[0], false);
        offset = 1;
    }
    std::optional<std::string> testName;
    if (args.positional.size() > offset) testName = toStr(args.positional[offset]);
    CallArgs testArgs;
    if (args.positional.size() > offset + 1)
        testArgs.positional.assign(args.positional.begin() + static_cast<long>(offset) + 1,
                                   args.positional.end());
    testArgs.keyword = args.keyword;
    std::vector<Value> out;
    for (const auto& item : interp.iterate(v)) {
        const Value subject = getter ? (*getter)(interp, item) : item;
        CallArgs each = testArgs;
        const bool passed = testName ? interp.applyTest(*testName, subject, each) : truthy(subject);
        if (passed == select) out.push_back(item);
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

Value fReverse(Interpreter& interp, const Value& v, CallArgs& args) {
    noArguments(args, "reverse");
    if (v.isString()) {
        std::u32string text = unicode::decode(v.str());
        std::reverse(text.begin(), text.end());
        return Value::string(unicode::encode(text));
    }
    if (v.isList() && v.list().kind == ListKind::Iterator) { // reversed() fails, so Jinja makes a list
        std::vector<Value> items = interp.iterate(v);
        std::reverse(items.begin(), items.end());
        return Value::list(std::move(items));
    }
    if (v.isNumber() || v.isNone()) typeError("argument to reverse filter must be iterable");
    std::vector<Value> items = interp.iterate(v);
    std::reverse(items.begin(), items.end());
    return generator(std::move(items)); // a reverse iterator
}

Value fSort(Interpreter& interp, const Value& v, CallArgs& args) {
    const ArgParser p(args, "sort", {"reverse", "case_sensitive", "attribute"});
    const bool reverse = p.flag(0, false);
    const bool lowerCase = !p.flag(1, false);
    std::vector<AttrGetter> getters; // "a,b" sorts by several attributes
    if (p.get(2) && p.get(2)->isString()) {
        const std::string& spec = p.get(2)->str();
        for (size_t start = 0;;) {
            const size_t comma = spec.find(',', start);
            const Value part =
                Value::string(spec.substr(start, comma == std::string::npos ? comma : comma - start));
            getters.emplace_back(&part, lowerCase);
            if (comma == std::string::npos) break;
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

Value fSum(Interpreter& interp, const Value& v, CallArgs& args) {
    const ArgParser p(args, "sum", {"attribute", "start"});
    const AttrGetter getter(p.get(0), false);
    Value total = p.get(1, Value::integer(0));
    for (const auto& item : interp.iterate(v))
        total = interp.evalBinary(BinaryOp::Add, total, p.get(0) ? getter(interp, item) : item);
    return total;
}

Value fUnique(Interpreter& interp, const Value& v, CallArgs& args) {
    const ArgParser p(args, "unique", {"case_sensitive", "attribute"});
    const AttrGetter getter(p.get(1), !p.flag(0, false));
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

} // namespace

void addSequenceFilters(std::unordered_map<std::string_view, FilterFn>& table) {
    const std::pair<std::string_view, FilterFn> entries[] = {
        {"batch", fBatch},
        {"count", fLength},
        {"dictsort", fDictsort},
        {"first", fFirst},
        {"items", fItems},
        {"join", fJoin},
        {"last", fLast},
        {"length", fLength},
        {"list", fList},
        {"map", fMap},
        {"max", fMax},
        {"min", fMin},
        {"reject", fReject},
        {"rejectattr", fRejectAttr},
        {"reverse", fReverse},
        {"select", fSelect},
        {"selectattr", fSelectAttr},
        {"sort", fSort},
        {"sum", fSum},
        {"unique", fUnique},
    };
    for (const auto& [name, fn] : entries)
        table.emplace(name, fn);
}

} // namespace ft::jinja
