#include "core/text/jinja/expression_parser.h"

#include "core/text/jinja/filters.h"

namespace ft::jinja {

ExprPtr ExpressionParser::parseTuple(bool simplified, bool withCondExpr,
                                     std::initializer_list<std::string_view> extraEnd,
                                     bool explicitParentheses) {
    const int line = cur().line;
    std::vector<ExprPtr> items;
    bool isTuple = false;
    const auto atEnd = [&] {
        if (cur().type == TokenType::VariableEnd || cur().type == TokenType::BlockEnd || isOp(")"))
            return true;
        return cur().type == TokenType::Name &&
               std::find(extraEnd.begin(), extraEnd.end(), cur().value) != extraEnd.end();
    };
    for (;;) {
        if (!items.empty()) expectOp(",");
        if (atEnd()) break;
        items.push_back(simplified ? parsePrimary() : parseExpression(withCondExpr));
        if (isOp(","))
            isTuple = true;
        else
            break;
    }
    if (!isTuple) {
        if (!items.empty()) return std::move(items.front());
        if (!explicitParentheses) fail("Expected an expression, got '" + describeToken(cur()) + "'");
    }
    auto tuple = makeExpr(ExprKind::Tuple, line);
    tuple->children = std::move(items);
    return tuple;
}

ExprPtr ExpressionParser::parseExpression(bool withCondExpr) {
    return withCondExpr ? parseCondExpr() : parseOr();
}

ExprPtr ExpressionParser::parseCondExpr() {
    int line = cur().line;
    ExprPtr expr = parseOr();
    while (skipName("if")) {
        auto cond = makeExpr(ExprKind::CondExpr, line);
        cond->children.push_back(parseOr());
        cond->children.push_back(std::move(expr));
        cond->children.push_back(skipName("else") ? parseCondExpr() : nullptr);
        expr = std::move(cond);
        line = cur().line;
    }
    return expr;
}

ExprPtr ExpressionParser::parseOr() {
    ExprPtr left = parseAnd();
    while (isName("or")) {
        const int line = cur().line;
        advance();
        left = makeBinary(ExprKind::Or, line, std::move(left), parseAnd());
    }
    return left;
}

ExprPtr ExpressionParser::parseAnd() {
    ExprPtr left = parseNot();
    while (isName("and")) {
        const int line = cur().line;
        advance();
        left = makeBinary(ExprKind::And, line, std::move(left), parseNot());
    }
    return left;
}

ExprPtr ExpressionParser::parseNot() {
    if (isName("not")) {
        DepthGuard guard(*this);
        const int line = cur().line;
        advance();
        return makeUnary(ExprKind::Not, line, parseNot());
    }
    return parseCompare();
}

ExprPtr ExpressionParser::parseCompare() {
    const int line = cur().line;
    ExprPtr first = parseMath1();
    ExprPtr cmp;
    static const std::pair<std::string_view, CompareOp> symbols[] = {
        {"==", CompareOp::Eq}, {"!=", CompareOp::Ne}, {"<", CompareOp::Lt},
        {"<=", CompareOp::Le}, {">", CompareOp::Gt},  {">=", CompareOp::Ge}};
    for (;;) {
        CompareOp op;
        bool found = false;
        for (const auto& [symbol, value] : symbols) {
            if (isOp(symbol)) {
                op = value;
                found = true;
                advance();
                break;
            }
        }
        if (!found && skipName("in")) {
            op = CompareOp::In;
            found = true;
        } else if (!found && isName("not") && look().type == TokenType::Name && look().value == "in") {
            advance();
            advance();
            op = CompareOp::NotIn;
            found = true;
        }
        if (!found) break;
        if (!cmp) {
            cmp = makeExpr(ExprKind::Compare, line);
            cmp->children.push_back(std::move(first));
        }
        cmp->compareOps.push_back(op);
        cmp->children.push_back(parseMath1());
    }
    return cmp ? std::move(cmp) : std::move(first);
}

ExprPtr ExpressionParser::parseMath1() {
    ExprPtr left = parseConcat();
    while (isOp("+") || isOp("-")) {
        const BinaryOp op = isOp("+") ? BinaryOp::Add : BinaryOp::Sub;
        const int line = cur().line;
        advance();
        left = makeBinary(ExprKind::Binary, line, std::move(left), parseConcat());
        left->binaryOp = op;
    }
    return left;
}

ExprPtr ExpressionParser::parseConcat() {
    ExprPtr left = parseMath2();
    while (isOp("~")) {
        const int line = cur().line;
        advance();
        left = makeBinary(ExprKind::Binary, line, std::move(left), parseMath2());
        left->binaryOp = BinaryOp::Concat;
    }
    return left;
}

ExprPtr ExpressionParser::parseMath2() {
    ExprPtr left = parsePow();
    for (;;) {
        BinaryOp op;
        if (isOp("*"))
            op = BinaryOp::Mul;
        else if (isOp("/"))
            op = BinaryOp::Div;
        else if (isOp("//"))
            op = BinaryOp::FloorDiv;
        else if (isOp("%"))
            op = BinaryOp::Mod;
        else
            return left;
        const int line = cur().line;
        advance();
        left = makeBinary(ExprKind::Binary, line, std::move(left), parsePow());
        left->binaryOp = op;
    }
}

ExprPtr ExpressionParser::parsePow() {
    ExprPtr left = parseUnary(true);
    while (isOp("**")) { // left-associative in Jinja, unlike Python
        const int line = cur().line;
        advance();
        left = makeBinary(ExprKind::Binary, line, std::move(left), parseUnary(true));
        left->binaryOp = BinaryOp::Pow;
    }
    return left;
}

ExprPtr ExpressionParser::parseUnary(bool withFilter) {
    DepthGuard guard(*this);
    const int line = cur().line;
    ExprPtr node;
    if (skipOp("-"))
        node = makeUnary(ExprKind::Neg, line, parseUnary(false));
    else if (skipOp("+"))
        node = makeUnary(ExprKind::Pos, line, parseUnary(false));
    else
        node = parsePrimary();
    node = parsePostfix(std::move(node));
    if (withFilter) node = parseFilterExpr(std::move(node));
    return node;
}

ExprPtr ExpressionParser::parsePrimary() {
    DepthGuard guard(*this);
    const Token& token = cur();
    const int line = token.line;
    if (token.type == TokenType::Name) {
        ExprPtr node;
        if (token.value == "true" || token.value == "True" || token.value == "false" ||
            token.value == "False") {
            node = makeExpr(ExprKind::Const, line);
            node->constant = Value::boolean(token.value == "true" || token.value == "True");
        } else if (token.value == "none" || token.value == "None") {
            node = makeExpr(ExprKind::Const, line);
            node->constant = Value::none();
        } else {
            node = makeExpr(ExprKind::Name, line);
            node->name = token.value;
        }
        advance();
        return node;
    }
    if (token.type == TokenType::String) {
        std::string text;
        while (cur().type == TokenType::String) { // adjacent literals concatenate
            text += cur().value;
            advance();
        }
        auto node = makeExpr(ExprKind::Const, line);
        node->constant = Value::string(std::move(text));
        return node;
    }
    if (token.type == TokenType::Integer || token.type == TokenType::Float) {
        auto node = makeExpr(ExprKind::Const, line);
        node->constant =
            token.type == TokenType::Integer ? Value::integer(token.intValue) : Value::real(token.floatValue);
        advance();
        return node;
    }
    if (skipOp("(")) {
        ExprPtr node = parseTuple(false, true, {}, true);
        expectOp(")");
        return node;
    }
    if (isOp("[")) return parseList();
    if (isOp("{")) return parseDict();
    fail("unexpected '" + describeToken(token) + "'");
}

ExprPtr ExpressionParser::parseList() {
    auto node = makeExpr(ExprKind::List, cur().line);
    expectOp("[");
    while (!isOp("]")) {
        if (!node->children.empty()) expectOp(",");
        if (isOp("]")) break;
        node->children.push_back(parseExpression(true));
    }
    expectOp("]");
    return node;
}

ExprPtr ExpressionParser::parseDict() {
    auto node = makeExpr(ExprKind::Dict, cur().line);
    expectOp("{");
    while (!isOp("}")) {
        if (!node->children.empty()) expectOp(",");
        if (isOp("}")) break;
        node->children.push_back(parseExpression(true));
        expectOp(":");
        node->children.push_back(parseExpression(true));
    }
    expectOp("}");
    return node;
}

ExprPtr ExpressionParser::parsePostfix(ExprPtr node) {
    for (;;) {
        if (isOp(".") || isOp("["))
            node = parseSubscript(std::move(node));
        else if (isOp("("))
            node = parseCall(std::move(node));
        else
            return node;
    }
}

ExprPtr ExpressionParser::parseFilterExpr(ExprPtr node) {
    for (;;) {
        if (isOp("|"))
            node = parseFilter(std::move(node), false);
        else if (isName("is"))
            node = parseTest(std::move(node));
        else if (isOp("("))
            node = parseCall(std::move(node));
        else
            return node;
    }
}

ExprPtr ExpressionParser::parseSubscript(ExprPtr node) {
    const int line = cur().line;
    if (skipOp(".")) {
        if (cur().type == TokenType::Name) {
            auto attr = makeUnary(ExprKind::GetAttr, line, std::move(node));
            attr->name = cur().value;
            advance();
            return attr;
        }
        if (cur().type != TokenType::Integer) fail("expected name or number");
        auto index = makeExpr(ExprKind::Const, line);
        index->constant = Value::integer(cur().intValue);
        advance();
        return makeBinary(ExprKind::GetItem, line, std::move(node), std::move(index));
    }
    expectOp("[");
    std::vector<ExprPtr> args;
    while (!isOp("]")) {
        if (!args.empty()) expectOp(",");
        args.push_back(parseSubscribed());
    }
    expectOp("]");
    if (args.size() == 1 && args[0]->kind == ExprKind::Slice) {
        args[0]->children[0] = std::move(node);
        return std::move(args[0]);
    }
    for (const auto& a : args)
        if (a->kind == ExprKind::Slice) unsupported("multi-dimensional slicing is not supported", line);
    ExprPtr key;
    if (args.size() == 1) {
        key = std::move(args[0]);
    } else {
        key = makeExpr(ExprKind::Tuple, line);
        key->children = std::move(args);
    }
    return makeBinary(ExprKind::GetItem, line, std::move(node), std::move(key));
}

// An index or a slice; a slice comes back with an empty subject slot at children[0].
ExprPtr ExpressionParser::parseSubscribed() {
    const int line = cur().line;
    std::vector<ExprPtr> bounds;
    if (skipOp(":")) {
        bounds.push_back(nullptr);
    } else {
        ExprPtr first = parseExpression(true);
        if (!skipOp(":")) return first;
        bounds.push_back(std::move(first));
    }
    const auto boundEnd = [&] { return isOp("]") || isOp(","); };
    if (isOp(":") || boundEnd())
        bounds.push_back(nullptr);
    else
        bounds.push_back(parseExpression(true));
    if (skipOp(":"))
        bounds.push_back(boundEnd() ? nullptr : parseExpression(true));
    else
        bounds.push_back(nullptr);
    auto slice = makeExpr(ExprKind::Slice, line);
    slice->children.push_back(nullptr);
    for (auto& b : bounds)
        slice->children.push_back(std::move(b));
    return slice;
}

ExprPtr ExpressionParser::parseCall(ExprPtr node) {
    auto call = makeUnary(ExprKind::Call, cur().line, std::move(node));
    parseCallArgs(call->args);
    return call;
}

void ExpressionParser::parseCallArgs(std::vector<Argument>& args) {
    expectOp("(");
    bool sawKeyword = false;
    while (!isOp(")")) {
        if (!args.empty()) {
            expectOp(",");
            if (isOp(")")) break;
        }
        if (isOp("*") || isOp("**")) unsupported("*args and **kwargs in calls are not supported", cur().line);
        Argument arg;
        if (cur().type == TokenType::Name && look().type == TokenType::Operator && look().value == "=") {
            arg.name = cur().value;
            advance();
            advance();
            sawKeyword = true;
        } else if (sawKeyword) {
            fail("Invalid argument syntax");
        }
        arg.value = parseExpression(true);
        args.push_back(std::move(arg));
    }
    expectOp(")");
}

std::string ExpressionParser::dottedName() {
    std::string name = expectName();
    while (skipOp("."))
        name += "." + expectName();
    return name;
}

ExprPtr ExpressionParser::parseFilter(ExprPtr node, bool startInline) {
    while (isOp("|") || startInline) {
        if (!startInline) advance();
        startInline = false;
        const int line = cur().line;
        auto filter = makeUnary(ExprKind::Filter, line, std::move(node));
        filter->name = dottedName();
        if (!isKnownFilter(filter->name)) unsupported("No filter named '" + filter->name + "'.", line);
        if (isOp("(")) parseCallArgs(filter->args);
        node = std::move(filter);
    }
    return node;
}

ExprPtr ExpressionParser::parseTest(ExprPtr node) {
    const int line = cur().line;
    advance(); // is
    const bool negated = skipName("not");
    auto test = makeUnary(ExprKind::Test, line, std::move(node));
    test->name = dottedName();
    if (!isKnownTest(test->name)) unsupported("No test named '" + test->name + "'.", line);
    const TokenType type = cur().type;
    if (isOp("(")) {
        parseCallArgs(test->args);
    } else if ((type == TokenType::Name || type == TokenType::String || type == TokenType::Integer ||
                type == TokenType::Float || isOp("[") || isOp("{")) &&
               !isName("else") && !isName("or") && !isName("and")) {
        if (isName("is")) fail("You cannot chain multiple tests with is");
        Argument arg;
        arg.value = parsePostfix(parsePrimary());
        test->args.push_back(std::move(arg));
    }
    return negated ? makeUnary(ExprKind::Not, line, std::move(test)) : std::move(test);
}

} // namespace ft::jinja
