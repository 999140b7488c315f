#pragma once
// Splits a template into tokens following Jinja2 3.1's lexer with trim_blocks and lstrip_blocks on:
// "-" and "+" whitespace markers, comments dropped, {% raw %} bodies emitted as plain data,
// newlines normalised to "\n" and one trailing newline removed (keep_trailing_newline=False).

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace ft::jinja {

enum class TokenType {
    Data,          // literal template text
    VariableBegin, // {{
    VariableEnd,   // }}
    BlockBegin,    // {%
    BlockEnd,      // %}
    Name,
    String, // value holds the unescaped text
    Integer,
    Float,
    Operator,
    End,
};

struct Token {
    TokenType type = TokenType::End;
    std::string value;
    int line = 1;
    int64_t intValue = 0;
    double floatValue = 0.0;
};

// Throws ft::Error(ParseError) with where = "<templateName>:<line>".
std::vector<Token> tokenize(std::string_view source, const std::string& templateName);

std::string describeToken(const Token& token); // for error messages, in Jinja's words

} // namespace ft::jinja
