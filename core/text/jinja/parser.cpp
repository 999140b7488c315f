#include "core/text/jinja/parser.h"

#include "core/common/error.h"
#include "core/text/jinja/expression_parser.h"

#include <algorithm>
#include <initializer_list>

namespace ft::jinja {

namespace {

void collectNames(const Expr* e, std::vector<std::string>& names);
void collectNames(const Body& body, std::vector<std::string>& names);

void collectNames(const Expr* e, std::vector<std::string>& names) {
    if (!e) return;
    if (e->kind == ExprKind::Name) names.push_back(e->name);
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

// The statements of Jinja2's grammar (with loopcontrols and transformers' {% generation %}).
class Parser : public ExpressionParser {
  public:
    using ExpressionParser::ExpressionParser;

    Body parse() { return subparse({}); }

  private:
    int m_loopDepth = 0; // break/continue are only valid inside a loop (reset inside macros)

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
                    fail("Unexpected end of template. Jinja was looking for the following tags: " + tags +
                         ".");
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
        if (dropNeedle) advance();
        return body;
    }

    StmtPtr makeStmt(StmtKind kind) {
        auto s = std::make_unique<Stmt>();
        s->kind = kind;
        s->line = cur().line;
        return s;
    }

    StmtPtr parseStatement() {
        if (cur().type != TokenType::Name) fail("tag name expected");
        const std::string tag = cur().value;
        if (tag == "for") return parseFor();
        if (tag == "if") return parseIf();
        if (tag == "set") return parseSet();
        if (tag == "macro") return parseMacro();
        if (tag == "call") return parseCallBlock();
        if (tag == "filter") return parseFilterBlock();
        if (tag == "with") return parseWith();
        if (tag == "generation") { // transformers' AssistantTracker: renders its body in place
            auto s = makeStmt(StmtKind::Scope);
            advance();
            s->body = parseStatements({"endgeneration"}, true);
            return s;
        }
        if (tag == "break" || tag == "continue") {
            auto s = makeStmt(tag == "break" ? StmtKind::Break : StmtKind::Continue);
            if (m_loopDepth == 0) fail("'" + tag + "' outside loop");
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
        if (skipName("if")) s->condition = parseExpression(true);
        if (isName("recursive")) unsupported("recursive loops are not supported", cur().line);
        ++m_loopDepth;
        s->body = parseStatements({"endfor", "else"}, false);
        --m_loopDepth;
        if (isName("else")) {
            advance();
            s->elseBody = parseStatements({"endfor"}, false);
        }
        advance(); // endfor
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
            if (tag == "elif") continue;
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
        if (isOp("|")) s->expr = parseFilter(makeExpr(ExprKind::Slot, cur().line), false);
        s->body = parseStatements({"endset"}, true);
        return s;
    }

    void parseSignature(MacroDef& def) {
        expectOp("(");
        while (!isOp(")")) {
            if (!def.params.empty()) expectOp(",");
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
        if (isOp("(")) parseSignature(*s->macro);
        s->expr = parseExpression(true);
        if (s->expr->kind != ExprKind::Call) fail("expected call", s->line);
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
            if (!s->assignments.empty()) expectOp(",");
            ExprPtr target = parseAssignTarget(true, false, {});
            expectOp("=");
            s->assignments.emplace_back(std::move(target), parseExpression(true));
        }
        s->body = parseStatements({"endwith"}, true);
        return s;
    }

    ExprPtr parseAssignTarget(bool withTuple, bool withNamespace,
                              std::initializer_list<std::string_view> extraEnd) {
        const int line = cur().line;
        ExprPtr target;
        if (withNamespace && cur().type == TokenType::Name && look().type == TokenType::Operator &&
            look().value == ".") {
            auto ns = makeExpr(ExprKind::Name, line);
            ns->name = expectName();
            advance(); // the dot
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
        if (!ok) fail("can't assign to this expression", line);
        return target;
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
