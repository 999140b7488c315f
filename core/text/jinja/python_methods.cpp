// Python's str/dict/list methods that templates call (content.strip(), message.get(...), ...), and
// printf-style `%` formatting. Methods Python has but this engine lacks fail with Unsupported.

#include "core/common/error.h"
#include "core/text/jinja/filters.h"
#include "core/text/jinja/interpreter.h"
#include "core/text/jinja/support.h"
#include "core/text/jinja/unicode.h"

#include <algorithm>
#include <unordered_set>

namespace ft::jinja {

namespace {

using NameSet = std::unordered_set<std::string_view>;

const NameSet& strMethods() {
    static const NameSet names = {
        "capitalize", "casefold",     "center",       "count",   "encode",     "endswith",    "expandtabs",
        "find",       "format",       "format_map",   "index",   "isalnum",    "isalpha",     "isascii",
        "isdecimal",  "isdigit",      "isidentifier", "islower", "isnumeric",  "isprintable", "isspace",
        "istitle",    "isupper",      "join",         "ljust",   "lower",      "lstrip",      "maketrans",
        "partition",  "removeprefix", "removesuffix", "replace", "rfind",      "rindex",      "rjust",
        "rpartition", "rsplit",       "rstrip",       "split",   "splitlines", "startswith",  "strip",
        "swapcase",   "title",        "translate",    "upper",   "zfill"};
    return names;
}

const NameSet& dictMethods() {
    static const NameSet names = {"clear", "copy",    "fromkeys",   "get",    "items", "keys",
                                  "pop",   "popitem", "setdefault", "update", "values"};
    return names;
}

const NameSet& listMethods() {
    static const NameSet names = {"append", "clear", "copy",   "count",   "extend", "index",
                                  "insert", "pop",   "remove", "reverse", "sort"};
    return names;
}

const std::string& requireStr(const Value* v, const std::string& what) {
    if (!v || !v->isString())
        typeError(what + " must be str, not " + (v ? typeName(*v) : std::string("nothing")));
    return v->str();
}

int64_t optInt(const ArgParser& p, size_t i, int64_t fallback) {
    const Value* v = p.get(i);
    if (!v || v->isNone()) return fallback;
    if (!isInteger(*v)) typeError("'" + typeName(*v) + "' object cannot be interpreted as an integer");
    return v->asInt();
}

Value strList(std::vector<std::string> parts) {
    std::vector<Value> items;
    for (auto& part : parts)
        items.push_back(Value::string(std::move(part)));
    return Value::list(std::move(items));
}

std::vector<std::string> splitWhitespace(const std::string& s, int64_t maxSplit, bool fromRight) {
    std::u32string text = unicode::decode(s);
    if (fromRight) std::reverse(text.begin(), text.end());
    std::vector<std::string> parts;
    size_t i = 0;
    while (i < text.size()) {
        while (i < text.size() && unicode::isSpace(text[i]))
            ++i;
        if (i == text.size()) break;
        size_t end = i;
        if (maxSplit >= 0 && static_cast<int64_t>(parts.size()) == maxSplit) {
            end = text.size();
            while (end > i && unicode::isSpace(text[end - 1]))
                --end;
        } else {
            while (end < text.size() && !unicode::isSpace(text[end]))
                ++end;
        }
        std::u32string word = text.substr(i, end - i);
        if (fromRight) std::reverse(word.begin(), word.end());
        parts.push_back(unicode::encode(word));
        i = end == text.size() ? end : end + 1;
        if (end == text.size()) break;
    }
    if (fromRight) std::reverse(parts.begin(), parts.end());
    return parts;
}

std::vector<std::string> splitOn(const std::string& s, const std::string& sep, int64_t maxSplit,
                                 bool fromRight) {
    if (sep.empty()) typeError("empty separator");
    std::vector<std::string> parts;
    if (!fromRight) {
        size_t start = 0;
        for (size_t pos; (maxSplit < 0 || static_cast<int64_t>(parts.size()) < maxSplit) &&
                         (pos = s.find(sep, start)) != std::string::npos;) {
            parts.push_back(s.substr(start, pos - start));
            start = pos + sep.size();
        }
        parts.push_back(s.substr(start));
        return parts;
    }
    size_t end = s.size();
    for (;;) {
        if (maxSplit >= 0 && static_cast<int64_t>(parts.size()) >= maxSplit) break;
        if (end < sep.size()) break;
        const size_t pos = s.rfind(sep, end - sep.size());
        if (pos == std::string::npos) break;
        parts.push_back(s.substr(pos + sep.size(), end - pos - sep.size()));
        end = pos;
    }
    parts.push_back(s.substr(0, end));
    std::reverse(parts.begin(), parts.end());
    return parts;
}

std::string replaceAll(Interpreter& interp, const std::string& s, const std::string& from,
                       const std::string& to, int64_t count) {
    std::string out;
    if (from.empty()) { // inserts `to` around every character
        const std::u32string text = unicode::decode(s);
        int64_t done = 0;
        for (size_t i = 0; i <= text.size(); ++i) {
            if (count < 0 || done < count) {
                out += to;
                ++done;
                interp.checkStringSize(out.size());
            }
            if (i < text.size()) unicode::append(out, text[i]);
        }
        return out;
    }
    size_t start = 0;
    int64_t done = 0;
    for (size_t pos; (count < 0 || done < count) && (pos = s.find(from, start)) != std::string::npos;
         ++done) {
        out.append(s, start, pos - start);
        out += to;
        start = pos + from.size();
        interp.checkStringSize(out.size());
    }
    out.append(s, start, std::string::npos);
    return out;
}

bool allChars(const std::string& s, bool (*pred)(char)) {
    if (s.empty()) return false;
    if (!unicode::isAscii(s)) unsupported("character classes of non-ASCII text are not supported");
    return std::all_of(s.begin(), s.end(), pred);
}

std::string pad(const std::string& s, int64_t width, char32_t fill,
                int align) { // align: -1 left, 0 center, 1 right
    const auto len = static_cast<int64_t>(unicode::length(s));
    if (width <= len) return s;
    const int64_t margin = width - len;
    const int64_t left = align < 0 ? 0 : align > 0 ? margin : margin / 2 + (margin & width & 1);
    std::string out;
    for (int64_t i = 0; i < left; ++i)
        unicode::append(out, fill);
    out += s;
    for (int64_t i = 0; i < margin - left; ++i)
        unicode::append(out, fill);
    return out;
}

Value callStrMethod(Interpreter& interp, const std::string& s, const std::string& name, CallArgs& args) {
    if (name == "strip" || name == "lstrip" || name == "rstrip") {
        const ArgParser p(args, name, {"chars"});
        const std::string* chars =
            p.get(0) && !p.get(0)->isNone() ? &requireStr(p.get(0), "strip arg") : nullptr;
        return Value::string(unicode::strip(s, chars, name != "rstrip", name != "lstrip"));
    }
    if (name == "split" || name == "rsplit") {
        const ArgParser p(args, name, {"sep", "maxsplit"});
        const int64_t maxSplit = optInt(p, 1, -1);
        if (!p.get(0) || p.get(0)->isNone()) return strList(splitWhitespace(s, maxSplit, name == "rsplit"));
        return strList(splitOn(s, requireStr(p.get(0), "sep"), maxSplit, name == "rsplit"));
    }
    if (name == "splitlines") {
        const ArgParser p(args, name, {"keepends"});
        const bool keep = p.get(0) && truthy(*p.get(0));
        const std::u32string text = unicode::decode(s);
        std::vector<std::string> lines;
        size_t start = 0;
        for (size_t i = 0; i < text.size(); ++i) {
            if (!unicode::isLineBreak(text[i])) continue;
            size_t end = i + 1;
            if (text[i] == '\r' && end < text.size() && text[end] == '\n') ++end;
            lines.push_back(
                unicode::encode(std::u32string_view(text).substr(start, (keep ? end : i) - start)));
            start = end;
            i = end - 1;
        }
        if (start < text.size()) lines.push_back(unicode::encode(std::u32string_view(text).substr(start)));
        return strList(std::move(lines));
    }
    if (name == "startswith" || name == "endswith") {
        const ArgParser p(args, name, {"prefix", "start", "end"});
        if (p.get(1) || p.get(2)) unsupported("start/end arguments of " + name + "() are not supported");
        if (!p.get(0)) typeError(name + "() takes at least 1 argument (0 given)");
        std::vector<Value> candidates = {*p.get(0)};
        if (p.get(0)->isList() && p.get(0)->list().kind == ListKind::Tuple)
            candidates = p.get(0)->list().items;
        for (const auto& c : candidates) {
            const std::string& affix = requireStr(&c, name + " first arg");
            if (affix.size() <= s.size() &&
                (name == "startswith" ? s.compare(0, affix.size(), affix) == 0
                                      : s.compare(s.size() - affix.size(), affix.size(), affix) == 0))
                return Value::boolean(true);
        }
        return Value::boolean(false);
    }
    if (name == "upper" || name == "lower" || name == "title" || name == "capitalize") {
        noArguments(args, name);
        return Value::string(name == "upper"   ? unicode::upper(s)
                             : name == "lower" ? unicode::lower(s)
                             : name == "title" ? unicode::title(s)
                                               : unicode::capitalize(s));
    }
    if (name == "replace") {
        const ArgParser p(args, name, {"old", "new", "count"});
        std::string out = replaceAll(interp, s, requireStr(p.get(0), "replace() argument 1"),
                                     requireStr(p.get(1), "replace() argument 2"), optInt(p, 2, -1));
        interp.checkStringSize(out.size());
        return Value::string(std::move(out));
    }
    if (name == "join") {
        const ArgParser p(args, name, {"iterable"});
        if (!p.get(0)) typeError("join() takes exactly one argument (0 given)");
        std::string out;
        size_t index = 0;
        for (const auto& item : interp.iterate(*p.get(0))) {
            if (!item.isString())
                typeError("sequence item " + std::to_string(index) + ": expected str instance, " +
                          typeName(item) + " found");
            if (index++) out += s;
            out += item.str();
            interp.checkStringSize(out.size());
        }
        return Value::string(std::move(out));
    }
    if (name == "find" || name == "rfind" || name == "index" || name == "rindex" || name == "count") {
        const ArgParser p(args, name, {"sub", "start", "end"});
        if (p.get(1) || p.get(2)) unsupported("start/end arguments of " + name + "() are not supported");
        const std::string& sub = requireStr(p.get(0), "must be str");
        if (name == "count") {
            if (sub.empty()) return Value::integer(static_cast<int64_t>(unicode::length(s) + 1));
            int64_t n = 0;
            for (size_t pos = s.find(sub); pos != std::string::npos; pos = s.find(sub, pos + sub.size()))
                ++n;
            return Value::integer(n);
        }
        const size_t pos = name[0] == 'r' ? s.rfind(sub) : s.find(sub);
        if (pos == std::string::npos) {
            if (name == "index" || name == "rindex") typeError("substring not found");
            return Value::integer(-1);
        }
        return Value::integer(static_cast<int64_t>(unicode::length(std::string_view(s).substr(0, pos))));
    }
    if (name == "format") {
        std::string out = strFormat(interp, s, args);
        interp.checkStringSize(out.size());
        return Value::string(std::move(out));
    }
    if (name == "removeprefix" || name == "removesuffix") {
        const ArgParser p(args, name, {"affix"});
        const std::string& affix = requireStr(p.get(0), name + "() argument");
        if (name == "removeprefix")
            return Value::string(s.compare(0, affix.size(), affix) == 0 ? s.substr(affix.size()) : s);
        const bool ends =
            affix.size() <= s.size() && s.compare(s.size() - affix.size(), affix.size(), affix) == 0;
        return Value::string(ends ? s.substr(0, s.size() - affix.size()) : s);
    }
    if (name == "ljust" || name == "rjust" || name == "center" || name == "zfill") {
        const ArgParser p(args, name,
                          name == "zfill" ? std::vector<std::string_view>{"width"}
                                          : std::vector<std::string_view>{"width", "fillchar"});
        const int64_t width = optInt(p, 0, 0);
        interp.checkStringSize(static_cast<size_t>(std::max<int64_t>(0, width)) * 4);
        if (name == "zfill") {
            const bool sign = !s.empty() && (s[0] == '+' || s[0] == '-');
            const std::string padded = pad(sign ? s.substr(1) : s, width - (sign ? 1 : 0), '0', 1);
            return Value::string(sign ? s.substr(0, 1) + padded : padded);
        }
        char32_t fill = ' ';
        if (p.get(1)) {
            const std::u32string f = unicode::decode(requireStr(p.get(1), "fill character"));
            if (f.size() != 1) typeError("The fill character must be exactly one character long");
            fill = f[0];
        }
        return Value::string(pad(s, width, fill, name == "ljust" ? -1 : name == "rjust" ? 1 : 0));
    }
    if (name == "partition" || name == "rpartition") {
        const ArgParser p(args, name, {"sep"});
        const std::string& sep = requireStr(p.get(0), "sep");
        if (sep.empty()) typeError("empty separator");
        const size_t pos = name == "partition" ? s.find(sep) : s.rfind(sep);
        std::vector<Value> parts;
        if (pos == std::string::npos) {
            parts = name == "partition"
                        ? std::vector<Value>{Value::string(s), Value::string(""), Value::string("")}
                        : std::vector<Value>{Value::string(""), Value::string(""), Value::string(s)};
        } else {
            parts = {Value::string(s.substr(0, pos)), Value::string(sep),
                     Value::string(s.substr(pos + sep.size()))};
        }
        return Value::list(std::move(parts), ListKind::Tuple);
    }
    noArguments(args, name);
    if (name == "isspace") {
        const std::u32string text = unicode::decode(s);
        return Value::boolean(!text.empty() && std::all_of(text.begin(), text.end(), unicode::isSpace));
    }
    if (name == "islower") return Value::boolean(unicode::isLower(s));
    if (name == "isupper") return Value::boolean(unicode::isUpper(s));
    if (name == "isascii") return Value::boolean(unicode::isAscii(s));
    if (name == "isdigit" || name == "isdecimal" || name == "isnumeric")
        return Value::boolean(allChars(s, [](char c) { return c >= '0' && c <= '9'; }));
    if (name == "isalpha")
        return Value::boolean(allChars(s, [](char c) { return (c | 0x20) >= 'a' && (c | 0x20) <= 'z'; }));
    if (name == "isalnum")
        return Value::boolean(allChars(
            s, [](char c) { return (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z'); }));
    unsupported("the str method '" + name + "' is not supported");
}

// markupsafe.Markup's methods: results stay Markup (split-like ones give lists of Markup), replacement and
// fill text is escaped, predicates (startswith, find, isdigit, ...) behave as on str. markupsafe 2.1 (the
// goldens' environment) also escapes search arguments and 3.0 does not: where that would change the
// result, refuse rather than pick one.
Value callMarkupMethod(Interpreter& interp, const std::string& s, const std::string& name, CallArgs& args) {
    static const NameSet markupResult = {"capitalize", "title", "lower",   "upper", "lstrip", "rstrip",
                                         "strip",      "zfill", "replace", "ljust", "rjust",  "center"};
    static const NameSet markupItems = {"split", "rsplit", "splitlines", "partition", "rpartition"};
    static const NameSet versionDependent = {"removeprefix", "removesuffix", "format",   "format_map",
                                             "swapcase",     "expandtabs",   "casefold", "translate"};
    const auto isEscapable = [](const Value& v) { return v.isString() && !v.isMarkup(); };
    const auto toMarkup = [](const Value& v) { return v.isString() ? Value::string(v.str(), true) : v; };
    if (versionDependent.count(name))
        unsupported("Markup." + name + "() differs between markupsafe versions");
    if (name == "join") {
        const ArgParser p(args, name, {"iterable"});
        std::vector<Value> items = p.get(0) ? interp.iterate(*p.get(0)) : std::vector<Value>{};
        for (auto& item : items)
            if (isEscapable(item)) item = Value::string(htmlEscape(item.str()), true);
        CallArgs plain{{Value::list(std::move(items))}, {}};
        return toMarkup(callStrMethod(interp, s, name, plain));
    }
    const bool searchArgument = name == "replace" || name == "strip" || name == "lstrip" ||
                                name == "rstrip" || name == "partition" || name == "rpartition";
    if (searchArgument && !args.positional.empty() && isEscapable(args.positional[0]) &&
        htmlEscape(args.positional[0].str()) != args.positional[0].str())
        unsupported("Markup." + name + "() with HTML special characters differs between markupsafe versions");
    if (name == "replace" && args.positional.size() > 1 && isEscapable(args.positional[1]))
        args.positional[1] = Value::string(htmlEscape(args.positional[1].str()), true);
    if ((name == "ljust" || name == "rjust" || name == "center") && args.positional.size() > 1 &&
        isEscapable(args.positional[1]))
        args.positional[1] = Value::string(htmlEscape(args.positional[1].str()), true);
    Value result = callStrMethod(interp, s, name, args);
    if (markupResult.count(name)) return toMarkup(result);
    if (markupItems.count(name)) {
        std::vector<Value> items;
        for (const auto& item : result.list().items)
            items.push_back(toMarkup(item));
        return Value::list(std::move(items), result.list().kind);
    }
    return result;
}

} // namespace

bool hasMethod(const Value& self, std::string_view name) {
    if (self.isString()) return strMethods().count(name) > 0;
    if (self.isDict()) return dictMethods().count(name) > 0;
    if (self.isList()) {
        switch (self.list().kind) {
        case ListKind::List:
            return listMethods().count(name) > 0;
        case ListKind::Tuple:
        case ListKind::Range:
            return name == "count" || name == "index";
        default:
            return false;
        }
    }
    return false;
}

bool isUnsafeMethod(const Value& self, std::string_view name) {
    static const NameSet listMutators = {"append", "clear", "pop",    "reverse",
                                         "insert", "sort",  "extend", "remove"};
    static const NameSet dictMutators = {"clear", "pop", "popitem", "setdefault", "update"};
    if (self.isList() && self.list().kind == ListKind::List) return listMutators.count(name) > 0;
    return self.isDict() && dictMutators.count(name) > 0;
}

Value callMethod(Interpreter& interp, const Value& self, const std::string& name, CallArgs& args) {
    if (self.isString()) {
        if (self.isMarkup()) return callMarkupMethod(interp, self.str(), name, args);
        return callStrMethod(interp, self.str(), name, args);
    }
    if (self.isDict()) {
        const DictData& d = self.dict();
        if (name == "get") {
            if (!args.keyword.empty()) typeError("get() takes no keyword arguments");
            const ArgParser p(args, name, {"key", "default"});
            if (!p.get(0)) typeError("get expected at least 1 argument, got 0");
            const Value& key = *p.get(0);
            if (key.isDict() || (key.isList() && key.list().kind == ListKind::List))
                typeError("unhashable type: '" + typeName(key) + "'");
            const Value* found = d.find(key);
            return found ? *found : p.get(1, Value::none());
        }
        noArguments(args, name);
        if (name == "copy") return Value::dict(std::make_shared<DictData>(d));
        if (name == "items" || name == "keys" || name == "values") {
            std::vector<Value> items;
            for (const auto& [key, value] : d.entries)
                items.push_back(name == "items"  ? Value::list({key, value}, ListKind::Tuple)
                                : name == "keys" ? key
                                                 : value);
            return Value::list(std::move(items), name == "items"  ? ListKind::ItemsView
                                                 : name == "keys" ? ListKind::KeysView
                                                                  : ListKind::ValuesView);
        }
        unsupported("the dict method '" + name + "' is not supported");
    }
    if (self.isList()) {
        const std::vector<Value>& items = self.list().items;
        if (name == "copy") {
            noArguments(args, name);
            return Value::list(items);
        }
        if (name == "count" || name == "index") {
            const ArgParser p(args, name, {"value", "start", "stop"});
            if (p.get(1) || p.get(2)) unsupported("start/stop arguments of " + name + "() are not supported");
            if (!p.get(0)) typeError(name + "() takes exactly one argument (0 given)");
            int64_t count = 0;
            for (size_t i = 0; i < items.size(); ++i) {
                if (!pyEquals(items[i], *p.get(0))) continue;
                if (name == "index") return Value::integer(static_cast<int64_t>(i));
                ++count;
            }
            if (name == "index") typeError(repr(*p.get(0)) + " is not in list");
            return Value::integer(count);
        }
    }
    unsupported("the " + typeName(self) + " method '" + name + "' is not supported");
}

} // namespace ft::jinja
