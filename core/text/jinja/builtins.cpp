// The global functions of the template environment: Jinja2's range/dict/namespace (lipsum, cycler and
// joiner exist but are not implemented) and transformers' raise_exception/strftime_now.

#include "core/common/error.h"
#include "core/text/jinja/interpreter.h"
#include "core/text/jinja/support.h"

#include <ctime>
#include <locale.h> // newlocale/strftime_l (POSIX), _create_locale/_strftime_l (Windows)
#include <time.h>
#include <vector>

namespace ft::jinja {

namespace {

constexpr int64_t kMaxRange = 100000; // jinja2.sandbox.MAX_RANGE

// dict(mapping_or_pairs, **kwargs), also what namespace() takes.
template <typename Target>
void fillDict(Interpreter& interp, Target& out, const CallArgs& args, const std::string& function) {
    if (args.positional.size() > 1)
        typeError(function + " expected at most 1 argument, got " + std::to_string(args.positional.size()));
    if (!args.positional.empty()) {
        const Value& source = args.positional.front();
        if (source.isDict()) {
            for (const auto& [key, value] : source.dict().entries)
                out.set(key, value);
        } else {
            for (const Value& pair : interp.iterate(source)) {
                const std::vector<Value> kv = interp.iterate(pair);
                if (kv.size() != 2)
                    typeError("dictionary update sequence element has length " + std::to_string(kv.size()) +
                              "; 2 is required");
                out.set(kv[0], kv[1]);
            }
        }
    }
    for (const auto& [name, value] : args.keyword)
        out.set(Value::string(name), value);
}

// datetime(2024, 7, 26).strftime(format): datetime handles %f, %z and %Z itself (a naive datetime has no
// zone) and hands the rest to the C library in the "C" locale, as Python does.
std::string strftimeFixed(const std::string& format) {
    std::tm tm{};
    tm.tm_year = 2024 - 1900;
    tm.tm_mon = 6;
    tm.tm_mday = 26;
    tm.tm_wday = 5;   // a Friday
    tm.tm_yday = 207; // days since 1 January
    std::string fmt;
    for (size_t i = 0; i < format.size(); ++i) {
        if (format[i] == '%' && i + 1 < format.size()) {
            const char c = format[++i];
            if (c == 'f')
                fmt += "000000";
            else if (c != 'z' && c != 'Z')
                fmt += std::string("%") + c;
            continue;
        }
        fmt += format[i];
    }
    std::vector<char> buf(256 + fmt.size() * 64);
#ifdef _WIN32
    static _locale_t cLocale = _create_locale(LC_ALL, "C");
    const size_t n = _strftime_l(buf.data(), buf.size(), fmt.c_str(), &tm, cLocale);
#else
    static locale_t cLocale = newlocale(LC_ALL_MASK, "C", static_cast<locale_t>(nullptr));
    const size_t n = strftime_l(buf.data(), buf.size(), fmt.c_str(), &tm, cLocale);
#endif
    return std::string(buf.data(), n);
}

} // namespace

ScopePtr Interpreter::makeGlobals() {
    auto globals = std::make_shared<Scope>();
    const std::pair<const char*, BuiltinObject::Id> entries[] = {
        {"range", BuiltinObject::Id::Range},
        {"dict", BuiltinObject::Id::Dict},
        {"namespace", BuiltinObject::Id::Namespace},
        {"raise_exception", BuiltinObject::Id::RaiseException},
        {"strftime_now", BuiltinObject::Id::StrftimeNow},
        {"lipsum", BuiltinObject::Id::Lipsum},
        {"cycler", BuiltinObject::Id::Cycler},
        {"joiner", BuiltinObject::Id::Joiner},
    };
    for (const auto& [name, id] : entries)
        globals->vars[name] = Value::object(std::make_shared<BuiltinObject>(id, name));
    return globals;
}

Value Interpreter::callBuiltin(const BuiltinObject& fn, CallArgs& args) {
    switch (fn.id) {
    case BuiltinObject::Id::Range: {
        if (!args.keyword.empty()) typeError("range() takes no keyword arguments");
        const size_t n = args.positional.size();
        if (n < 1 || n > 3) typeError("range expected 1 to 3 arguments, got " + std::to_string(n));
        for (const auto& v : args.positional) {
            requireDefined(v);
            if (!isInteger(v)) typeError("'" + typeName(v) + "' object cannot be interpreted as an integer");
        }
        const int64_t start = n == 1 ? 0 : args.positional[0].asInt();
        const int64_t stop = n == 1 ? args.positional[0].asInt() : args.positional[1].asInt();
        const int64_t step = n == 3 ? args.positional[2].asInt() : 1;
        if (step == 0) typeError("range() arg 3 must not be zero");
        const __int128 span =
            step > 0 ? static_cast<__int128>(stop) - start : static_cast<__int128>(start) - stop;
        const __int128 magnitude = step > 0 ? step : -static_cast<__int128>(step);
        const __int128 count = span <= 0 ? 0 : (span + magnitude - 1) / magnitude;
        if (count > kMaxRange)
            throw Error(ErrorCode::LimitExceeded, "",
                        "range() of more than " + std::to_string(kMaxRange) +
                            " items is blocked by the sandbox");
        return Value::range(start, stop, step);
    }
    case BuiltinObject::Id::Dict: {
        auto dict = std::make_shared<DictData>();
        fillDict(*this, *dict, args, "dict");
        return Value::dict(std::move(dict));
    }
    case BuiltinObject::Id::Namespace: {
        Value ns = makeNamespace();
        fillDict(*this, static_cast<NamespaceObject&>(ns.object()), args, "namespace");
        return ns;
    }
    case BuiltinObject::Id::RaiseException: {
        const ArgParser p(args, "raise_exception", {"message"});
        if (!p.get(0)) typeError("raise_exception() missing 1 required positional argument: 'message'");
        throw Error(ErrorCode::TemplateRaised, "", toStr(*p.get(0)));
    }
    case BuiltinObject::Id::StrftimeNow: {
        const ArgParser p(args, "strftime_now", {"format"});
        if (!p.get(0)) typeError("strftime_now() missing 1 required positional argument: 'format'");
        if (!p.get(0)->isString()) typeError("strftime() argument 1 must be str, not " + typeName(*p.get(0)));
        return Value::string(strftimeFixed(p.get(0)->str()));
    }
    default:
        throw Error(ErrorCode::Unsupported, "", "the global function '" + fn.name + "' is not supported");
    }
}

} // namespace ft::jinja
