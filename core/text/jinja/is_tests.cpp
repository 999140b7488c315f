// Jinja2 3.1's tests, the `x is name` checks (jinja2/tests.py), with Python's notion of each type.

#include "core/common/error.h"
#include "core/text/jinja/filters.h"
#include "core/text/jinja/interpreter.h"
#include "core/text/jinja/support.h"
#include "core/text/jinja/unicode.h"

#include <unordered_map>

namespace ft::jinja {

namespace {

const Value& testArg(const CallArgs& args, const char* test) {
    const ArgParser p(args, test, {"other"});
    if (!p.get(0)) typeError(std::string(test) + "() missing 1 required positional argument");
    return *p.get(0);
}

bool tDefined(Interpreter&, const Value& v, CallArgs&) {
    return !v.isUndefined();
}

bool tUndefined(Interpreter&, const Value& v, CallArgs&) {
    return v.isUndefined();
}

bool tNone(Interpreter&, const Value& v, CallArgs&) {
    return v.isNone();
}

bool tBoolean(Interpreter&, const Value& v, CallArgs&) {
    return v.isBool();
}

bool tFalse(Interpreter&, const Value& v, CallArgs&) {
    return v.isBool() && !v.asBool();
}

bool tTrue(Interpreter&, const Value& v, CallArgs&) {
    return v.isBool() && v.asBool();
}

bool tInteger(Interpreter&, const Value& v, CallArgs&) {
    return v.isInt();
}

bool tFloat(Interpreter&, const Value& v, CallArgs&) {
    return v.isFloat();
}

bool tNumber(Interpreter&, const Value& v, CallArgs&) {
    return v.isNumber();
}

bool tString(Interpreter&, const Value& v, CallArgs&) {
    return v.isString();
}

bool tMapping(Interpreter&, const Value& v, CallArgs&) {
    return v.isDict();
}

bool tEscaped(Interpreter&, const Value& v, CallArgs&) {
    return v.isMarkup();
}

bool tIterable(Interpreter&, const Value& v, CallArgs&) {
    if (v.isObject()) return v.object().type() == Object::Type::Loop;
    return v.isUndefined() || v.isString() || v.isList() || v.isDict();
}

bool tSequence(Interpreter&, const Value& v, CallArgs&) { // has len() and [] in Python
    if (v.isList())
        return v.list().kind == ListKind::List || v.list().kind == ListKind::Tuple ||
               v.list().kind == ListKind::Range;
    return v.isUndefined() || v.isString() || v.isDict();
}

bool tCallable(Interpreter&, const Value& v, CallArgs&) {
    return v.isUndefined() || (v.isObject() && v.object().callable());
}

bool tLower(Interpreter&, const Value& v, CallArgs&) {
    return unicode::isLower(toStr(v));
}

bool tUpper(Interpreter&, const Value& v, CallArgs&) {
    return unicode::isUpper(toStr(v));
}

bool tOdd(Interpreter& interp, const Value& v, CallArgs&) {
    return pyEquals(interp.evalBinary(BinaryOp::Mod, v, Value::integer(2)), Value::integer(1));
}

bool tEven(Interpreter& interp, const Value& v, CallArgs&) {
    return pyEquals(interp.evalBinary(BinaryOp::Mod, v, Value::integer(2)), Value::integer(0));
}

bool tDivisibleBy(Interpreter& interp, const Value& v, CallArgs& args) {
    const ArgParser p(args, "divisibleby", {"num"});
    if (!p.get(0)) typeError("divisibleby() missing 1 required positional argument: 'num'");
    return pyEquals(interp.evalBinary(BinaryOp::Mod, v, *p.get(0)), Value::integer(0));
}

bool tIn(Interpreter& interp, const Value& v, CallArgs& args) {
    return interp.contains(testArg(args, "in"), v);
}

bool tEq(Interpreter&, const Value& v, CallArgs& args) {
    return pyEquals(v, testArg(args, "eq"));
}

bool tNe(Interpreter&, const Value& v, CallArgs& args) {
    return !pyEquals(v, testArg(args, "ne"));
}

bool tLt(Interpreter&, const Value& v, CallArgs& args) {
    return pyLess(v, testArg(args, "lt"));
}

bool tGt(Interpreter&, const Value& v, CallArgs& args) {
    return pyLess(testArg(args, "gt"), v);
}

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
    if (v.kind() != o.kind()) return false;
    if (v.isNone() || v.isBool() || v.isUndefined()) return pyEquals(v, o) && !v.isUndefined();
    if (v.isList()) return v.listPtr() == o.listPtr();
    if (v.isDict()) return v.dictPtr() == o.dictPtr();
    if (v.isObject()) return v.objectPtr() == o.objectPtr();
    throw Error(ErrorCode::Unsupported, "", "'sameas' on numbers and strings depends on CPython internals");
}

bool tFilter(Interpreter&, const Value& v, CallArgs&) {
    return v.isString() && isKnownFilter(v.str());
}

bool tTest(Interpreter&, const Value& v, CallArgs&) {
    return v.isString() && isKnownTest(v.str());
}

const std::unordered_map<std::string_view, TestFn>& testTable() {
    static const std::unordered_map<std::string_view, TestFn> table = {
        {"odd", tOdd},
        {"even", tEven},
        {"divisibleby", tDivisibleBy},
        {"defined", tDefined},
        {"undefined", tUndefined},
        {"filter", tFilter},
        {"test", tTest},
        {"none", tNone},
        {"boolean", tBoolean},
        {"false", tFalse},
        {"true", tTrue},
        {"integer", tInteger},
        {"float", tFloat},
        {"lower", tLower},
        {"upper", tUpper},
        {"string", tString},
        {"mapping", tMapping},
        {"number", tNumber},
        {"sequence", tSequence},
        {"iterable", tIterable},
        {"callable", tCallable},
        {"sameas", tSameAs},
        {"escaped", tEscaped},
        {"in", tIn},
        {"==", tEq},
        {"eq", tEq},
        {"equalto", tEq},
        {"!=", tNe},
        {"ne", tNe},
        {">", tGt},
        {"gt", tGt},
        {"greaterthan", tGt},
        {">=", tGe},
        {"ge", tGe},
        {"<", tLt},
        {"lt", tLt},
        {"lessthan", tLt},
        {"<=", tLe},
        {"le", tLe},
    };
    return table;
}

} // namespace

bool isKnownTest(std::string_view name) {
    return testTable().count(name) > 0;
}

TestFn findTest(std::string_view name) {
    const auto it = testTable().find(name);
    return it == testTable().end() ? nullptr : it->second;
}

} // namespace ft::jinja
