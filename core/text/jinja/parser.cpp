#include "core/text/jinja/parser.h"

#include "core/common/error.h"
#include "core/text/jinja/filters.h"
#include "core/text/jinja/lexer.h"

#include <algorithm>
#include <initializer_list>

namespace ft::jinja {

namespace {

constexpr int kMaxNesting = 200;  // deeper templates are refused rather than risking the C++ stack

ExprPtr makeExpr(ExprKind kind, int line) {
    auto e = std::make_unique<Expr>();
    e->kind = kind;
    e->line = line;
    return e;
}

ExprPtr makeUnary(ExprKind kind, int line, ExprPtr operand) {
    auto e = makeExpr(kind, line);
    e->children.push_back(std::move(operand));
    return e;
}

ExprPtr makeBinary(ExprKind kind, int line, ExprPtr left, ExprPtr right) {
    auto e = makeExpr(kind, line);
    e->children.push_back(std::move(left));
    e->children.push_back(std::move(right));
    return e;
}

void collectNames(const Expr* e, std::vector<std::string>& names);
void collectNames(const Body& body, std::vector<std::string>& names);

void collectNames(const Expr* e, std::vector<std::string>& names) {
    if (!e)
        return;
    if (e->kind == ExprKind::Name)
        names.push_back(e->name);
    for (const auto& child : e->children)
        collectNames(child.get(), names);
    for (const auto& arg : e->args)
        collectNames(arg.value.get(), names);
}

void collectNames(const Body& body, std::vector<std::string>& names) {
    for (const auto& s : body) {
        collectNames(s->expr.get(), names);
        collectNames(s->condition.get(), names);
        for (const auto& branch : s->branches) {
            collectNames(branch.test.get(), names);
            collectNames(branch.body, names);
        }
        collectNames(s->body, names);
        collectNames(s->elseBody, names);
        for (const auto& [target, value] : s->assignments)
            collectNames(value.get(), names);
        if (s->macro) {
            for (const auto& d : s->macro->defaults)
                collectNames(d.get(), names);
            collectNames(s->macro->body, names);
        }
    }
}

class Parser {
public:
    Parser(std::vector<Token> tokens, std::string name) : m_tokens(std::move(tokens)), m_name(std::move(name)) {}

    Body parse() { return subparse({}); }

private:
    std::vector<Token> m_tokens;
    std::string m_name;
    size_t m_index = 0;
    int m_depth = 0;
    int m_loopDepth = 0;

    struct DepthGuard {
        Parser& p;
        explicit DepthGuard(Parser& parser) : p(parser) {
            if (++p.m_depth > kMaxNesting)
                throw Error(ErrorCode::LimitExceeded, p.where(p.cur().line),
                            "template nesting is deeper than " + std::to_string(kMaxNesting) + " levels");
        }
        ~DepthGuard() { --p.m_depth; }
    };

    std::string where(int line) const { return m_name + ":" + std::to_string(line); }
    [[noreturn]] void fail(const std::string& detail) const { fail(detail, cur().line); }
    [[noreturn]] void fail(const std::string& detail, int line) const {
        throw Error(ErrorCode::ParseError, where(line), detail);
    }
    [[noreturn]] void unsupported(const std::string& detail, int line) const {
        throw Error(ErrorCode::Unsupported, where(line), detail);
    }

    const Token& cur() const { return m_tokens[m_index]; }
    const Token& look() const { return m_tokens[std::min(m_index + 1, m_tokens.size() - 1)]; }
    void advance() {
        if (cur().type != TokenType::End)
            ++m_index;
    }
    bool isOp(std::string_view op) const { return cur().type == TokenType::Operator && cur().value == op; }
    bool isName(std::string_view name) const { return cur().type == TokenType::Name && cur().value == name; }
    bool skipOp(std::string_view op) {
        if (!isOp(op))
            return false;
        advance();
        return true;
    }
    bool skipName(std::string_view name) {
        if (!isName(name))
            return false;
        advance();
        return true;
    }
    void expectOp(std::string_view op) {
        if (!skipOp(op))
            fail("expected token '" + std::string(op) + "', got '" + describeToken(cur()) + "'");
    }
    void expectName(std::string_view name) {
        if (!skipName(name))
            fail("expected token '" + std::string(name) + "', got '" + describeToken(cur()) + "'");
    }
    std::string expectName() {
        if (cur().type != TokenType::Name)
            fail("expected token 'name', got '" + describeToken(cur()) + "'");
        std::string value = cur().value;
        advance();
        return value;
    }
    void expectType(TokenType type) {
        if (cur().type != type) {
            Token wanted;
            wanted.type = type;
            fail("expected token '" + describeToken(wanted) + "', got '" + describeToken(cur()) + "'");
        }
        advance();
    }

    // ---- statements ----

    Body subparse(std::initializer_list<std::string_view> endTags) {
        DepthGuard guard(*this);
        Body body;
        for (;;) {
            const Token& token = cur();
            if (token.type == TokenType::Data) {
                auto s = std::make_unique<Stmt>();
                s->kind = StmtKind::Text;
                s->line = token.line;
                s->text = token.value;
                body.push_back(std::move(s));
                advance();
            } else if (token.type == TokenType::VariableBegin) {
                advance();
                auto s = std::make_unique<Stmt>();
                s->kind = StmtKind::Output;
                s->line = token.line;
                s->expr = parseTuple(false, true, {}, false);
                expectType(TokenType::VariableEnd);
                body.push_back(std::move(s));
            } else if (token.type == TokenType::BlockBegin) {
                advance();
                if (cur().type == TokenType::Name &&
                    std::find(endTags.begin(), endTags.end(), cur().value) != endTags.end())
                    return body;
                body.push_back(parseStatement());
                expectType(TokenType::BlockEnd);
            } else if (token.type == TokenType::End) {
                if (endTags.size()) {
                    std::string tags;
                    for (auto tag : endTags)
                        tags += (tags.empty() ? "'" : " or '") + std::string(tag) + "'";
                    fail("Unexpected end of template. Jinja was looking for the following tags: " + tags + ".");
                }
                return body;
            } else {
                fail("unexpected '" + describeToken(token) + "'");
            }
        }
    }

    // The header's block end, then the body up to one of `endTags` (left as the current token).
    Body parseStatements(std::initializer_list<std::string_view> endTags, bool dropNeedle) {
        skipOp(":");
        expectType(TokenType::BlockEnd);
        Body body = subparse(endTags);
        if (dropNeedle)
            advance();
        return body;
    }

    StmtPtr makeStmt(StmtKind kind) {
        auto s = std::make_unique<Stmt>();
        s->kind = kind;
        s->line = cur().line;
        return s;
    }

    StmtPtr parseStatement() {
        if (cur().type != TokenType::Name)
            fail("tag name expected");
        const std::string tag = cur().value;
        if (tag == "for")
            return parseFor();
        if (tag == "if")
            return parseIf();
        if (tag == "set")
            return parseSet();
        if (tag == "macro")
            return parseMacro();
        if (tag == "call")
            return parseCallBlock();
        if (tag == "filter")
            return parseFilterBlock();
        if (tag == "with")
            return parseWith();
        if (tag == "generation") {  // transformers' AssistantTracker: renders its body in place
            auto s = makeStmt(StmtKind::Scope);
            advance();
            s->body = parseStatements({"endgeneration"}, true);
            return s;
        }
        if (tag == "break" || tag == "continue") {
            auto s = makeStmt(tag == "break" ? StmtKind::Break : StmtKind::Continue);
            if (m_loopDepth == 0)
                fail("'" + tag + "' outside loop");
            advance();
            return s;
        }
        if (tag == "block" || tag == "extends" || tag == "include" || tag == "import" || tag == "from" ||
            tag == "autoescape")
            unsupported("{% " + tag + " %} is not supported in chat templates", cur().line);
        fail("Encountered unknown tag '" + tag + "'.");
    }

    StmtPtr parseFor() {
        auto s = makeStmt(StmtKind::For);
        advance();
        s->target = parseAssignTarget(true, false, {"in"});
        expectName("in");
        s->expr = parseTuple(false, false, {"recursive"}, false);
        if (skipName("if"))
            s->condition = parseExpression(true);
        if (isName("recursive"))
            unsupported("recursive loops are not supported", cur().line);
        ++m_loopDepth;
        s->body = parseStatements({"endfor", "else"}, false);
        --m_loopDepth;
        if (isName("else")) {
            advance();
            s->elseBody = parseStatements({"endfor"}, false);
        }
        advance();  // endfor
        return s;
    }

    StmtPtr parseIf() {
        auto s = makeStmt(StmtKind::If);
        advance();
        for (;;) {
            IfBranch branch;
            branch.test = parseTuple(false, false, {}, false);
            branch.body = parseStatements({"elif", "else", "endif"}, false);
            s->branches.push_back(std::move(branch));
            const std::string tag = cur().value;
            advance();
            if (tag == "elif")
                continue;
            if (tag == "else") {
                IfBranch elseBranch;
                elseBranch.body = parseStatements({"endif"}, true);
                s->branches.push_back(std::move(elseBranch));
            }
            return s;
        }
    }

    StmtPtr parseSet() {
        auto s = makeStmt(StmtKind::Set);
        advance();
        s->target = parseAssignTarget(true, true, {});
        if (skipOp("=")) {
            s->expr = parseTuple(false, true, {}, false);
            return s;
        }
        s->kind = StmtKind::SetBlock;
        if (isOp("|"))
            s->expr = parseFilter(makeExpr(ExprKind::Slot, cur().line), false);
        s->body = parseStatements({"endset"}, true);
        return s;
    }

    void parseSignature(MacroDef& def) {
        expectOp("(");
        while (!isOp(")")) {
            if (!def.params.empty())
                expectOp(",");
            def.params.push_back(expectName());
            if (skipOp("="))
                def.defaults.push_back(parseExpression(true));
            else if (!def.defaults.empty() && def.defaults.back())
                fail("non-default argument follows default argument");
            else
                def.defaults.push_back(nullptr);
        }
        expectOp(")");
    }

    static void noteSpecialNames(MacroDef& def) {
        std::vector<std::string> names;
        collectNames(def.body, names);
        for (const auto& n : names) {
            def.usesVarargs |= n == "varargs";
            def.usesKwargs |= n == "kwargs";
            def.usesCaller |= n == "caller";
        }
    }

    StmtPtr parseMacro() {
        auto s = makeStmt(StmtKind::Macro);
        advance();
        s->macro = std::make_shared<MacroDef>();
        s->macro->name = expectName();
        parseSignature(*s->macro);
        const int savedLoopDepth = std::exchange(m_loopDepth, 0);
        s->macro->body = parseStatements({"endmacro"}, true);
        m_loopDepth = savedLoopDepth;
        noteSpecialNames(*s->macro);
        return s;
    }

    StmtPtr parseCallBlock() {
        auto s = makeStmt(StmtKind::CallBlock);
        advance();
        s->macro = std::make_shared<MacroDef>();
        s->macro->name = "caller";
        if (isOp("("))
            parseSignature(*s->macro);
        s->expr = parseExpression(true);
        if (s->expr->kind != ExprKind::Call)
            fail("expected call", s->line);
        const int savedLoopDepth = std::exchange(m_loopDepth, 0);
        s->macro->body = parseStatements({"endcall"}, true);
        m_loopDepth = savedLoopDepth;
        noteSpecialNames(*s->macro);
        return s;
    }

    StmtPtr parseFilterBlock() {
        auto s = makeStmt(StmtKind::FilterBlock);
        advance();
        s->expr = parseFilter(makeExpr(ExprKind::Slot, s->line), true);
        s->body = parseStatements({"endfilter"}, true);
        return s;
    }

    StmtPtr parseWith() {
        auto s = makeStmt(StmtKind::With);
        advance();
        while (cur().type != TokenType::BlockEnd) {
            if (!s->assignments.empty())
                expectOp(",");
            ExprPtr target = parseAssignTarget(true, false, {});
            expectOp("=");
            s->assignments.emplace_back(std::move(target), parseExpression(true));
        }
        s->body = parseStatements({"endwith"}, true);
        return s;
    }

    ExprPtr parseAssignTarget(bool withTuple, bool withNamespace, std::initializer_list<std::string_view> extraEnd) {
        const int line = cur().line;
        ExprPtr target;
        if (withNamespace && cur().type == TokenType::Name && look().type == TokenType::Operator &&
            look().value == ".") {
            auto ns = makeExpr(ExprKind::Name, line);
            ns->name = expectName();
            advance();  // the dot
            target = makeUnary(ExprKind::GetAttr, line, std::move(ns));
            target->name = expectName();
            return target;
        }
        target = withTuple ? parseTuple(true, true, extraEnd, false) : parsePrimary();
        const auto assignable = [](const Expr& e) { return e.kind == ExprKind::Name; };
        bool ok = assignable(*target);
        if (target->kind == ExprKind::Tuple)
            ok = std::all_of(target->children.begin(), target->children.end(),
                             [&](const ExprPtr& c) { return assignable(*c); });
        if (!ok)
            fail("can't assign to this expression", line);
        return target;
    }

    // ---- expressions ----

    ExprPtr parseTuple(bool simplified, bool withCondExpr, std::initializer_list<std::string_view> extraEnd,
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
            if (!items.empty())
                expectOp(",");
            if (atEnd())
                break;
            items.push_back(simplified ? parsePrimary() : parseExpression(withCondExpr));
            if (isOp(","))
                isTuple = true;
            else
                break;
        }
        if (!isTuple) {
            if (!items.empty())
                return std::move(items.front());
            if (!explicitParentheses)
                fail("Expected an expression, got '" + describeToken(cur()) + "'");
        }
        auto tuple = makeExpr(ExprKind::Tuple, line);
        tuple->children = std::move(items);
        return tuple;
    }

    ExprPtr parseExpression(bool withCondExpr) { return withCondExpr ? parseCondExpr() : parseOr(); }

    ExprPtr parseCondExpr() {
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

    ExprPtr parseOr() {
        ExprPtr left = parseAnd();
        while (isName("or")) {
            const int line = cur().line;
            advance();
            left = makeBinary(ExprKind::Or, line, std::move(left), parseAnd());
        }
        return left;
    }

    ExprPtr parseAnd() {
        ExprPtr left = parseNot();
        while (isName("and")) {
            const int line = cur().line;
            advance();
            left = makeBinary(ExprKind::And, line, std::move(left), parseNot());
        }
        return left;
    }

    ExprPtr parseNot() {
        if (isName("not")) {
            DepthGuard guard(*this);
            const int line = cur().line;
            advance();
            return makeUnary(ExprKind::Not, line, parseNot());
        }
        return parseCompare();
    }

    ExprPtr parseCompare() {
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
            if (!found)
                break;
            if (!cmp) {
                cmp = makeExpr(ExprKind::Compare, line);
                cmp->children.push_back(std::move(first));
            }
            cmp->compareOps.push_back(op);
            cmp->children.push_back(parseMath1());
        }
        return cmp ? std::move(cmp) : std::move(first);
    }

    ExprPtr parseMath1() {
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

    ExprPtr parseConcat() {
        ExprPtr left = parseMath2();
        while (isOp("~")) {
            const int line = cur().line;
            advance();
            left = makeBinary(ExprKind::Binary, line, std::move(left), parseMath2());
            left->binaryOp = BinaryOp::Concat;
        }
        return left;
    }

    ExprPtr parseMath2() {
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

    ExprPtr parsePow() {
        ExprPtr left = parseUnary(true);
        while (isOp("**")) {  // left-associative in Jinja, unlike Python
            const int line = cur().line;
            advance();
            left = makeBinary(ExprKind::Binary, line, std::move(left), parseUnary(true));
            left->binaryOp = BinaryOp::Pow;
        }
        return left;
    }

    ExprPtr parseUnary(bool withFilter) {
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
        if (withFilter)
            node = parseFilterExpr(std::move(node));
        return node;
    }

    ExprPtr parsePrimary() {
        DepthGuard guard(*this);
        const Token& token = cur();
        const int line = token.line;
        if (token.type == TokenType::Name) {
            ExprPtr node;
            if (token.value == "true" || token.value == "True" || token.value == "false" || token.value == "False") {
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
            while (cur().type == TokenType::String) {  // adjacent literals concatenate
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
        if (isOp("["))
            return parseList();
        if (isOp("{"))
            return parseDict();
        fail("unexpected '" + describeToken(token) + "'");
    }

    ExprPtr parseList() {
        auto node = makeExpr(ExprKind::List, cur().line);
        expectOp("[");
        while (!isOp("]")) {
            if (!node->children.empty())
                expectOp(",");
            if (isOp("]"))
                break;
            node->children.push_back(parseExpression(true));
        }
        expectOp("]");
        return node;
    }

    ExprPtr parseDict() {
        auto node = makeExpr(ExprKind::Dict, cur().line);
        expectOp("{");
        while (!isOp("}")) {
            if (!node->children.empty())
                expectOp(",");
            if (isOp("}"))
                break;
            node->children.push_back(parseExpression(true));
            expectOp(":");
            node->children.push_back(parseExpression(true));
        }
        expectOp("}");
        return node;
    }

    ExprPtr parsePostfix(ExprPtr node) {
        for (;;) {
            if (isOp(".") || isOp("["))
                node = parseSubscript(std::move(node));
            else if (isOp("("))
                node = parseCall(std::move(node));
            else
                return node;
        }
    }

    ExprPtr parseFilterExpr(ExprPtr node) {
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

    ExprPtr parseSubscript(ExprPtr node) {
        const int line = cur().line;
        if (skipOp(".")) {
            if (cur().type == TokenType::Name) {
                auto attr = makeUnary(ExprKind::GetAttr, line, std::move(node));
                attr->name = cur().value;
                advance();
                return attr;
            }
            if (cur().type != TokenType::Integer)
                fail("expected name or number");
            auto index = makeExpr(ExprKind::Const, line);
            index->constant = Value::integer(cur().intValue);
            advance();
            return makeBinary(ExprKind::GetItem, line, std::move(node), std::move(index));
        }
        expectOp("[");
        std::vector<ExprPtr> args;
        while (!isOp("]")) {
            if (!args.empty())
                expectOp(",");
            args.push_back(parseSubscribed());
        }
        expectOp("]");
        if (args.size() == 1 && args[0]->kind == ExprKind::Slice) {
            args[0]->children[0] = std::move(node);
            return std::move(args[0]);
        }
        for (const auto& a : args)
            if (a->kind == ExprKind::Slice)
                unsupported("multi-dimensional slicing is not supported", line);
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
    ExprPtr parseSubscribed() {
        const int line = cur().line;
        std::vector<ExprPtr> bounds;
        if (skipOp(":")) {
            bounds.push_back(nullptr);
        } else {
            ExprPtr first = parseExpression(true);
            if (!skipOp(":"))
                return first;
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

    ExprPtr parseCall(ExprPtr node) {
        auto call = makeUnary(ExprKind::Call, cur().line, std::move(node));
        parseCallArgs(call->args);
        return call;
    }

    void parseCallArgs(std::vector<Argument>& args) {
        expectOp("(");
        bool sawKeyword = false;
        while (!isOp(")")) {
            if (!args.empty()) {
                expectOp(",");
                if (isOp(")"))
                    break;
            }
            if (isOp("*") || isOp("**"))
                unsupported("*args and **kwargs in calls are not supported", cur().line);
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

    std::string dottedName() {
        std::string name = expectName();
        while (skipOp("."))
            name += "." + expectName();
        return name;
    }

    ExprPtr parseFilter(ExprPtr node, bool startInline) {
        while (isOp("|") || startInline) {
            if (!startInline)
                advance();
            startInline = false;
            const int line = cur().line;
            auto filter = makeUnary(ExprKind::Filter, line, std::move(node));
            filter->name = dottedName();
            if (!isKnownFilter(filter->name))
                unsupported("No filter named '" + filter->name + "'.", line);
            if (isOp("("))
                parseCallArgs(filter->args);
            node = std::move(filter);
        }
        return node;
    }

    ExprPtr parseTest(ExprPtr node) {
        const int line = cur().line;
        advance();  // is
        const bool negated = skipName("not");
        auto test = makeUnary(ExprKind::Test, line, std::move(node));
        test->name = dottedName();
        if (!isKnownTest(test->name))
            unsupported("No test named '" + test->name + "'.", line);
        const TokenType type = cur().type;
        if (isOp("(")) {
            parseCallArgs(test->args);
        } else if ((type == TokenType::Name || type == TokenType::String || type == TokenType::Integer ||
                    type == TokenType::Float || isOp("[") || isOp("{")) &&
                   !isName("else") && !isName("or") && !isName("and")) {
            if (isName("is"))
                fail("You cannot chain multiple tests with is");
            Argument arg;
            arg.value = parsePostfix(parsePrimary());
            test->args.push_back(std::move(arg));
        }
        return negated ? makeUnary(ExprKind::Not, line, std::move(test)) : std::move(test);
    }
};

} // namespace

Template parseTemplate(std::string_view source, std::string name) {
    Template t;
    t.body = Parser(tokenize(source, name), name).parse();
    t.name = std::move(name);
    return t;
}

} // namespace ft::jinja
