#pragma once
// The expression grammar of Jinja2 3.1 (jinja2/parser.py: precedence climbing from conditional expressions
// down to primaries, with filters, tests, calls and subscripts) over the token stream, plus the token
// cursor the statement parser in parser.cpp builds on.

#include "core/common/error.h"
#include "core/text/jinja/ast.h"
#include "core/text/jinja/lexer.h"

#include <algorithm>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

namespace ft::jinja {

constexpr int kMaxNesting = 200; // deeper templates are refused rather than risking the C++ stack

inline ExprPtr makeExpr(ExprKind kind, int line) {
    auto e = std::make_unique<Expr>();
    e->kind = kind;
    e->line = line;
    return e;
}

inline ExprPtr makeUnary(ExprKind kind, int line, ExprPtr operand) {
    auto e = makeExpr(kind, line);
    e->children.push_back(std::move(operand));
    return e;
}

inline ExprPtr makeBinary(ExprKind kind, int line, ExprPtr left, ExprPtr right) {
    auto e = makeExpr(kind, line);
    e->children.push_back(std::move(left));
    e->children.push_back(std::move(right));
    return e;
}

class ExpressionParser {
  public:
    ExpressionParser(std::vector<Token> tokens, std::string name)
        : m_tokens(std::move(tokens)), m_name(std::move(name)) {}

  protected:
    struct DepthGuard {
        ExpressionParser& p;
        explicit DepthGuard(ExpressionParser& parser) : p(parser) {
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
        if (cur().type != TokenType::End) ++m_index;
    }
    bool isOp(std::string_view op) const { return cur().type == TokenType::Operator && cur().value == op; }
    bool isName(std::string_view name) const { return cur().type == TokenType::Name && cur().value == name; }
    bool skipOp(std::string_view op) {
        if (!isOp(op)) return false;
        advance();
        return true;
    }
    bool skipName(std::string_view name) {
        if (!isName(name)) return false;
        advance();
        return true;
    }
    void expectOp(std::string_view op) {
        if (!skipOp(op)) fail("expected token '" + std::string(op) + "', got '" + describeToken(cur()) + "'");
    }
    void expectName(std::string_view name) {
        if (!skipName(name))
            fail("expected token '" + std::string(name) + "', got '" + describeToken(cur()) + "'");
    }
    std::string expectName() {
        if (cur().type != TokenType::Name) fail("expected token 'name', got '" + describeToken(cur()) + "'");
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

    // Entry points for the statement parser.
    ExprPtr parseTuple(bool simplified, bool withCondExpr, std::initializer_list<std::string_view> extraEnd,
                       bool explicitParentheses);
    ExprPtr parseExpression(bool withCondExpr);
    ExprPtr parsePrimary();
    ExprPtr parseFilter(ExprPtr node, bool startInline);

    std::vector<Token> m_tokens;
    std::string m_name;
    size_t m_index = 0;
    int m_depth = 0;

  private:
    ExprPtr parseCondExpr();
    ExprPtr parseOr();
    ExprPtr parseAnd();
    ExprPtr parseNot();
    ExprPtr parseCompare();
    ExprPtr parseMath1();
    ExprPtr parseConcat();
    ExprPtr parseMath2();
    ExprPtr parsePow();
    ExprPtr parseUnary(bool withFilter);
    ExprPtr parseList();
    ExprPtr parseDict();
    ExprPtr parsePostfix(ExprPtr node);
    ExprPtr parseFilterExpr(ExprPtr node);
    ExprPtr parseSubscript(ExprPtr node);
    ExprPtr parseSubscribed();
    ExprPtr parseCall(ExprPtr node);
    void parseCallArgs(std::vector<Argument>& args);
    std::string dottedName();
    ExprPtr parseTest(ExprPtr node);
};

} // namespace ft::jinja
