// Expression evaluation with Python's semantics: operators, attribute and item access (the sandbox's
// getattr/getitem rules), slicing, iteration and membership.

#include "core/common/error.h"
#include "core/text/jinja/interpreter.h"
#include "core/text/jinja/support.h"
#include "core/text/jinja/unicode.h"

#include <cmath>

namespace ft::jinja {

namespace {

[[noreturn]] void bigInteger() {
    throw Error(ErrorCode::Unsupported, "",
                "integer result does not fit in 64 bits (Python would use a big integer)");
}

[[noreturn]] void unsupportedOperands(const Value& a, const Value& b, const char* symbol) {
    typeError(std::string("unsupported operand type(s) for ") + symbol + ": '" + typeName(a) + "' and '" +
              typeName(b) + "'");
}

std::string objectName(const Value& v) {
    return "'" + typeName(v) + " object'";
}

// Python's float floor division and modulo, which follow the sign of the divisor.
std::pair<double, double> floatDivMod(double vx, double wx) {
    double mod = std::fmod(vx, wx);
    double div = (vx - mod) / wx;
    if (mod != 0.0) {
        if ((wx < 0) != (mod < 0)) {
            mod += wx;
            div -= 1.0;
        }
    } else {
        mod = std::copysign(0.0, wx);
    }
    double floorDiv;
    if (div != 0.0) {
        floorDiv = std::floor(div);
        if (div - floorDiv > 0.5) floorDiv += 1.0;
    } else {
        floorDiv = std::copysign(0.0, vx / wx);
    }
    return {floorDiv, mod};
}

bool isSequenceLike(const Value& v) { // list or tuple, the kinds `+` and `*` accept
    return v.isList() && (v.list().kind == ListKind::List || v.list().kind == ListKind::Tuple);
}

} // namespace

Value Interpreter::eval(const Expr& e, const ScopePtr& scope) {
    try {
        return evalInner(e, scope);
    } catch (const Error& err) {
        if (err.where().empty()) throw Error(err.code(), where(e.line), err.detail());
        throw;
    }
}

CallArgs Interpreter::evalArgs(const std::vector<Argument>& args, const ScopePtr& scope) {
    CallArgs out;
    for (const auto& arg : args) {
        if (arg.name.empty())
            out.positional.push_back(eval(*arg.value, scope));
        else
            out.keyword.emplace_back(arg.name, eval(*arg.value, scope));
    }
    return out;
}

Value Interpreter::evalInner(const Expr& e, const ScopePtr& scope) {
    switch (e.kind) {
    case ExprKind::Const:
        return e.constant;
    case ExprKind::Slot:
        return m_slot;
    case ExprKind::Name: {
        const Value* v = scope->lookup(e.name);
        return v ? *v : Value::undefined("'" + e.name + "' is undefined");
    }
    case ExprKind::List:
    case ExprKind::Tuple: {
        std::vector<Value> items;
        for (const auto& child : e.children)
            items.push_back(eval(*child, scope));
        return Value::list(std::move(items), e.kind == ExprKind::Tuple ? ListKind::Tuple : ListKind::List);
    }
    case ExprKind::Dict: {
        auto dict = std::make_shared<DictData>();
        for (size_t i = 0; i + 1 < e.children.size(); i += 2) {
            Value key = eval(*e.children[i], scope);
            if (key.isDict() || (key.isList() && key.list().kind == ListKind::List))
                typeError("unhashable type: '" + typeName(key) + "'");
            dict->set(std::move(key), eval(*e.children[i + 1], scope));
        }
        return Value::dict(std::move(dict));
    }
    case ExprKind::GetAttr:
        return getAttr(eval(*e.children[0], scope), e.name);
    case ExprKind::GetItem:
        return getItem(eval(*e.children[0], scope), eval(*e.children[1], scope));
    case ExprKind::Slice:
        return evalSlice(e, scope);
    case ExprKind::Call: {
        Value callee = eval(*e.children[0], scope);
        CallArgs args = evalArgs(e.args, scope);
        return call(callee, args);
    }
    case ExprKind::Filter: {
        Value subject = eval(*e.children[0], scope);
        CallArgs args = evalArgs(e.args, scope);
        return applyFilter(e.name, subject, args);
    }
    case ExprKind::Test: {
        Value subject = eval(*e.children[0], scope);
        CallArgs args = evalArgs(e.args, scope);
        return Value::boolean(applyTest(e.name, subject, args));
    }
    case ExprKind::Not:
        return Value::boolean(!truthy(eval(*e.children[0], scope)));
    case ExprKind::Neg:
    case ExprKind::Pos: {
        const Value v = eval(*e.children[0], scope);
        requireDefined(v);
        const bool negate = e.kind == ExprKind::Neg;
        if (v.isFloat()) return Value::real(negate ? -v.asDouble() : v.asDouble());
        if (v.isNumber()) {
            if (negate && v.asInt() == INT64_MIN) bigInteger();
            return Value::integer(negate ? -v.asInt() : v.asInt());
        }
        typeError(std::string("bad operand type for unary ") + (negate ? "-" : "+") + ": '" + typeName(v) +
                  "'");
    }
    case ExprKind::Binary:
        return evalBinary(e.binaryOp, eval(*e.children[0], scope), eval(*e.children[1], scope));
    case ExprKind::And: {
        Value left = eval(*e.children[0], scope);
        return truthy(left) ? eval(*e.children[1], scope) : left;
    }
    case ExprKind::Or: {
        Value left = eval(*e.children[0], scope);
        return truthy(left) ? left : eval(*e.children[1], scope);
    }
    case ExprKind::Compare: {
        Value left = eval(*e.children[0], scope);
        for (size_t i = 0; i < e.compareOps.size(); ++i) {
            Value right = eval(*e.children[i + 1], scope);
            bool ok = false;
            switch (e.compareOps[i]) {
            case CompareOp::Eq:
                ok = pyEquals(left, right);
                break;
            case CompareOp::Ne:
                ok = !pyEquals(left, right);
                break;
            case CompareOp::Lt:
                ok = pyLess(left, right);
                break;
            case CompareOp::Gt:
                ok = pyLess(right, left);
                break;
            case CompareOp::Le:
                ok = pyLess(left, right) || pyEquals(left, right);
                break;
            case CompareOp::Ge:
                ok = pyLess(right, left) || pyEquals(left, right);
                break;
            case CompareOp::In:
                ok = contains(right, left);
                break;
            case CompareOp::NotIn:
                ok = !contains(right, left);
                break;
            }
            if (!ok) return Value::boolean(false);
            left = std::move(right);
        }
        return Value::boolean(true);
    }
    case ExprKind::CondExpr:
        if (truthy(eval(*e.children[0], scope))) return eval(*e.children[1], scope);
        if (e.children[2]) return eval(*e.children[2], scope);
        return Value::undefined("the inline if-expression on line " + std::to_string(e.line) +
                                " evaluated to false and no else section was defined.");
    }
    return {};
}

Value Interpreter::evalBinary(BinaryOp op, const Value& a, const Value& b) {
    if (op == BinaryOp::Concat) { // `~` joins str() of both sides; Undefined counts as ""
        std::string leftStorage, rightStorage;
        const std::string& left = a.isString() ? a.str() : (leftStorage = toStr(a));
        const std::string& right = b.isString() ? b.str() : (rightStorage = toStr(b));
        checkStringSize(left.size() + right.size());
        std::string text;
        text.reserve(left.size() + right.size());
        return Value::string(text.append(left).append(right));
    }
    if (op == BinaryOp::Mod && a.isString()) { // printf-style formatting; str(Undefined) is fine here
        std::string text = percentFormat(*this, a.str(), b, a.isMarkup());
        checkStringSize(text.size());
        return Value::string(std::move(text), a.isMarkup());
    }
    requireDefined(a);
    requireDefined(b);
    const bool ints = isInteger(a) && isInteger(b);
    const bool numbers = a.isNumber() && b.isNumber();
    switch (op) {
    case BinaryOp::Add:
        if (ints) {
            int64_t r;
            if (__builtin_add_overflow(a.asInt(), b.asInt(), &r)) bigInteger();
            return Value::integer(r);
        }
        if (numbers) return Value::real(a.asDouble() + b.asDouble());
        if (a.isString() && b.isString()) {
            const bool markup = a.isMarkup() || b.isMarkup(); // Markup + str escapes the plain side
            std::string escapedA, escapedB;
            const std::string& left = markup && !a.isMarkup() ? (escapedA = htmlEscape(a.str())) : a.str();
            const std::string& right = markup && !b.isMarkup() ? (escapedB = htmlEscape(b.str())) : b.str();
            checkStringSize(left.size() + right.size());
            std::string text;
            text.reserve(left.size() + right.size());
            return Value::string(text.append(left).append(right), markup);
        }
        if (isSequenceLike(a) && isSequenceLike(b) && a.list().kind == b.list().kind) {
            checkListSize(a.list().items.size() + b.list().items.size());
            std::vector<Value> items = a.list().items;
            items.insert(items.end(), b.list().items.begin(), b.list().items.end());
            return Value::list(std::move(items), a.list().kind);
        }
        if (a.isString()) typeError("can only concatenate str (not \"" + typeName(b) + "\") to str");
        unsupportedOperands(a, b, "+");
    case BinaryOp::Sub:
        if (ints) {
            int64_t r;
            if (__builtin_sub_overflow(a.asInt(), b.asInt(), &r)) bigInteger();
            return Value::integer(r);
        }
        if (numbers) return Value::real(a.asDouble() - b.asDouble());
        unsupportedOperands(a, b, "-");
    case BinaryOp::Mul: {
        if (ints) {
            int64_t r;
            if (__builtin_mul_overflow(a.asInt(), b.asInt(), &r)) bigInteger();
            return Value::integer(r);
        }
        if (numbers) return Value::real(a.asDouble() * b.asDouble());
        const Value& seq = a.isNumber() ? b : a;
        const Value& count = a.isNumber() ? a : b;
        if (isInteger(count) && (seq.isString() || isSequenceLike(seq))) {
            const int64_t n = std::max<int64_t>(0, count.asInt());
            if (seq.isString()) {
                if (n && seq.str().size() > m_limits.maxOutputBytes / static_cast<uint64_t>(n))
                    checkStringSize(m_limits.maxOutputBytes + 1);
                std::string text;
                for (int64_t i = 0; i < n; ++i)
                    text += seq.str();
                return Value::string(std::move(text), seq.isMarkup());
            }
            const auto& items = seq.list().items;
            if (n && items.size() > m_limits.maxListItems / static_cast<uint64_t>(n))
                checkListSize(m_limits.maxListItems + 1);
            std::vector<Value> out;
            for (int64_t i = 0; i < n; ++i)
                out.insert(out.end(), items.begin(), items.end());
            return Value::list(std::move(out), seq.list().kind);
        }
        if (count.isFloat() && (seq.isString() || isSequenceLike(seq)))
            typeError("can't multiply sequence by non-int of type 'float'");
        unsupportedOperands(a, b, "*");
    }
    case BinaryOp::Div:
        if (!numbers) unsupportedOperands(a, b, "/");
        if (b.asDouble() == 0.0) typeError("division by zero");
        return Value::real(a.asDouble() / b.asDouble());
    case BinaryOp::FloorDiv:
    case BinaryOp::Mod:
        if (!numbers) unsupportedOperands(a, b, op == BinaryOp::Mod ? "%" : "//");
        if (b.asDouble() == 0.0) typeError(ints ? "integer division or modulo by zero" : "float divmod()");
        if (ints) {
            const int64_t x = a.asInt();
            const int64_t y = b.asInt();
            if (x == INT64_MIN && y == -1) bigInteger();
            int64_t q = x / y;
            int64_t r = x % y;
            if (r != 0 && ((r < 0) != (y < 0))) {
                q -= 1;
                r += y;
            }
            return Value::integer(op == BinaryOp::FloorDiv ? q : r);
        } else {
            const auto [q, r] = floatDivMod(a.asDouble(), b.asDouble());
            return Value::real(op == BinaryOp::FloorDiv ? q : r);
        }
    case BinaryOp::Pow:
        if (!numbers) unsupportedOperands(a, b, "** or pow()");
        if (ints && b.asInt() >= 0) {
            int64_t result = 1;
            int64_t base = a.asInt();
            for (int64_t e = b.asInt(); e > 0; e >>= 1) {
                if ((e & 1) && __builtin_mul_overflow(result, base, &result)) bigInteger();
                if (e > 1 && __builtin_mul_overflow(base, base, &base)) bigInteger();
            }
            return Value::integer(result);
        }
        if (a.asDouble() == 0.0 && b.asDouble() < 0) typeError("0.0 cannot be raised to a negative power");
        if (a.asDouble() < 0 && b.asDouble() != std::floor(b.asDouble()))
            throw Error(ErrorCode::Unsupported, "",
                        "a negative number to a fractional power is complex in Python");
        {
            const double result = std::pow(a.asDouble(), b.asDouble());
            if (std::isinf(result) && std::isfinite(a.asDouble()) && std::isfinite(b.asDouble()))
                typeError("(34, 'Numerical result out of range')"); // Python's OverflowError for float **
            return Value::real(result);
        }
    case BinaryOp::Concat:
        break;
    }
    return {};
}

namespace {
// PySlice_AdjustIndices: clamps one bound of a slice to the sequence.
int64_t clampBound(const Value& bound, int64_t length, int64_t step, bool isStart) {
    if (bound.isNone()) return isStart ? (step > 0 ? 0 : length - 1) : (step > 0 ? length : -1);
    int64_t i = bound.asInt();
    if (i < 0) {
        i += length;
        if (i < 0) i = step < 0 ? -1 : 0;
    } else if (i >= length) {
        i = step < 0 ? length - 1 : length;
    }
    return i;
}
} // namespace

Value Interpreter::evalSlice(const Expr& e, const ScopePtr& scope) {
    const Value obj = eval(*e.children[0], scope);
    Value bounds[3];
    for (int i = 0; i < 3; ++i)
        bounds[i] = e.children[i + 1] ? eval(*e.children[i + 1], scope) : Value::none();
    requireDefined(obj);
    for (const auto& b : bounds) // non-integer bounds are a TypeError, which the sandbox turns into Undefined
        if (!b.isNone() && !isInteger(b))
            return Value::undefined(objectName(obj) + " has no slice with those bounds");
    const int64_t step = bounds[2].isNone() ? 1 : bounds[2].asInt();
    if (step == 0) typeError("slice step cannot be zero");
    const bool isText = obj.isString();
    const bool isSeq = obj.isList() && (isSequenceLike(obj) || obj.list().kind == ListKind::Range);
    if (!isText && !isSeq) return Value::undefined(objectName(obj) + " is not subscriptable");
    const std::u32string text = isText ? unicode::decode(obj.str()) : std::u32string();
    const auto length = static_cast<int64_t>(isText ? text.size() : obj.list().items.size());
    const int64_t start = clampBound(bounds[0], length, step, true);
    const int64_t stop = clampBound(bounds[1], length, step, false);
    std::u32string outText;
    std::vector<Value> outItems;
    for (int64_t i = start; step > 0 ? i < stop : i > stop; i += step) {
        if (isText)
            outText.push_back(text[static_cast<size_t>(i)]);
        else
            outItems.push_back(obj.list().items[static_cast<size_t>(i)]);
    }
    if (isText) return Value::string(unicode::encode(outText), obj.isMarkup());
    const ListData& l = obj.list();
    if (l.kind == ListKind::Range) {
        Value r = Value::list(std::move(outItems), ListKind::Range);
        r.list().rangeStart = l.rangeStart + start * l.rangeStep;
        r.list().rangeStep = l.rangeStep * step;
        r.list().rangeStop = l.rangeStart + stop * l.rangeStep;
        return r;
    }
    return Value::list(std::move(outItems), l.kind);
}

std::vector<Value> Interpreter::iterate(const Value& v) {
    switch (v.kind()) {
    case Value::Kind::Undefined:
        return {};
    case Value::Kind::String: {
        std::vector<Value> chars;
        const std::string& s = v.str();
        for (size_t pos = 0; pos < s.size();) {
            const size_t begin = pos;
            unicode::next(s, pos);
            chars.push_back(Value::string(s.substr(begin, pos - begin)));
        }
        return chars;
    }
    case Value::Kind::List: {
        ListData& l = v.list();
        if (l.kind == ListKind::Iterator) {
            if (l.consumed) return {};
            l.consumed = true;
        }
        return l.items;
    }
    case Value::Kind::Dict: {
        std::vector<Value> keys;
        for (const auto& [key, value] : v.dict().entries)
            keys.push_back(key);
        return keys;
    }
    default:
        typeError("'" + typeName(v) + "' object is not iterable");
    }
}

bool Interpreter::contains(const Value& container, const Value& item) {
    if (container.isString()) {
        if (!item.isString())
            typeError("'in <string>' requires string as left operand, not " + typeName(item));
        return container.str().find(item.str()) != std::string::npos;
    }
    if (container.isDict()) {
        if (item.isDict() || (item.isList() && item.list().kind == ListKind::List))
            typeError("unhashable type: '" + typeName(item) + "'");
        return container.dict().find(item) != nullptr;
    }
    if (container.isUndefined() || container.isList()) {
        for (const auto& x : iterate(container))
            if (pyEquals(x, item)) return true;
        return false;
    }
    typeError("argument of type '" + typeName(container) + "' is not iterable");
}

Value Interpreter::getAttr(const Value& obj, const std::string& name) {
    requireDefined(obj);
    if (hasMethod(obj, name)) { // Python attributes (the methods) win over dict keys
        if (isUnsafeMethod(obj, name))
            return Value::undefined("access to attribute '" + name + "' of '" + typeName(obj) +
                                    "' object is unsafe.");
        return Value::object(std::make_shared<MethodObject>(obj, name));
    }
    if (obj.isDict()) {
        if (const Value* v = obj.dict().find(name)) return *v;
    } else if (obj.isObject()) {
        if (obj.object().type() == Object::Type::Namespace) {
            if (const Value* v = static_cast<NamespaceObject&>(obj.object()).attrs.find(name)) return *v;
        } else if (obj.object().type() == Object::Type::Loop) {
            if (name == "cycle" || name == "changed")
                return Value::object(std::make_shared<MethodObject>(obj, name));
            return static_cast<LoopObject&>(obj.object()).attribute(name);
        }
    }
    return Value::undefined(objectName(obj) + " has no attribute '" + name + "'");
}

Value Interpreter::getItem(const Value& obj, const Value& key) {
    requireDefined(obj);
    if (obj.isDict()) {
        const bool hashable = !key.isDict() && !(key.isList() && key.list().kind == ListKind::List);
        if (hashable)
            if (const Value* v = obj.dict().find(key)) return *v;
    } else if ((obj.isString() ||
                (obj.isList() && (isSequenceLike(obj) || obj.list().kind == ListKind::Range))) &&
               isInteger(key)) {
        int64_t i = key.asInt();
        if (obj.isString()) {
            const std::u32string text = unicode::decode(obj.str());
            const auto n = static_cast<int64_t>(text.size());
            if (i < 0) i += n;
            if (i >= 0 && i < n)
                return Value::string(unicode::encode(text.substr(static_cast<size_t>(i), 1)), obj.isMarkup());
        } else {
            const auto n = static_cast<int64_t>(obj.list().items.size());
            if (i < 0) i += n;
            if (i >= 0 && i < n) return obj.list().items[static_cast<size_t>(i)];
        }
        return Value::undefined(objectName(obj) + " has no element " + std::to_string(key.asInt()));
    }
    if (key.isString()) // the sandbox falls back to attribute lookup for str keys
        return getAttr(obj, key.str());
    return Value::undefined(objectName(obj) + " has no element " + repr(key));
}

} // namespace ft::jinja
