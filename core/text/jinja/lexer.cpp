#include "core/text/jinja/lexer.h"

#include "core/common/error.h"
#include "core/text/jinja/unicode.h"

#include <charconv>
#include <cstdio>

namespace ft::jinja {

namespace {

bool isDigit(char c) {
    return c >= '0' && c <= '9';
}
bool isNameStart(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}
bool isNameChar(char c) {
    return isNameStart(c) || isDigit(c);
}

std::string normalizeNewlines(std::string_view source) {
    std::string out;
    out.reserve(source.size());
    for (size_t i = 0; i < source.size(); ++i) {
        if (source[i] == '\r') {
            out.push_back('\n');
            if (i + 1 < source.size() && source[i + 1] == '\n') ++i;
        } else {
            out.push_back(source[i]);
        }
    }
    if (!out.empty() && out.back() == '\n') // keep_trailing_newline=False
        out.pop_back();
    return out;
}

class Lexer {
  public:
    Lexer(std::string_view source, const std::string& name)
        : m_src(normalizeNewlines(source)), m_name(name) {}

    std::vector<Token> run() {
        while (m_pos < m_src.size()) {
            const size_t tag = findTag(m_pos);
            if (tag == std::string::npos) {
                push(TokenType::Data, m_src.substr(m_pos));
                moveTo(m_src.size());
                break;
            }
            const char kind = m_src[tag + 1];
            size_t content = tag + 2;
            const char sign = content < m_src.size() && (m_src[content] == '-' || m_src[content] == '+')
                                  ? m_src[content]
                                  : 0;
            size_t rawEnd = 0;
            const bool raw = kind == '%' && matchRawBegin(tag, rawEnd);
            emitText(m_src.substr(m_pos, tag - m_pos), sign, kind == '{');
            moveTo(tag);
            if (sign) ++content;
            if (raw)
                lexRaw(rawEnd);
            else if (kind == '#')
                lexComment(content);
            else
                lexTag(kind == '%', content);
        }
        push(TokenType::End);
        return std::move(m_tokens);
    }

  private:
    std::string m_src;
    const std::string& m_name;
    size_t m_pos = 0;
    int m_line = 1;
    bool m_lineStarting = true; // the previous match ended a line: lstrip_blocks may apply at column 0
    std::vector<Token> m_tokens;

    [[noreturn]] void fail(const std::string& detail) const {
        throw Error(ErrorCode::ParseError, m_name + ":" + std::to_string(m_line), detail);
    }

    void moveTo(size_t pos) {
        for (size_t i = m_pos; i < pos; ++i)
            if (m_src[i] == '\n') ++m_line;
        m_pos = pos;
    }

    // Moves past a tag's closing marker; remembers whether it swallowed a line end.
    void finish(size_t end) {
        moveTo(end);
        m_lineStarting = end > 0 && m_src[end - 1] == '\n';
    }

    Token& push(TokenType type, std::string value = {}) {
        Token token;
        token.type = type;
        token.value = std::move(value);
        token.line = m_line;
        m_tokens.push_back(std::move(token));
        return m_tokens.back();
    }

    bool at(size_t pos, std::string_view s) const { return m_src.compare(pos, s.size(), s) == 0; }

    size_t skipSpaces(size_t pos) const {
        while (pos < m_src.size()) {
            size_t next = pos;
            if (!unicode::isSpace(unicode::next(m_src, next))) break;
            pos = next;
        }
        return pos;
    }

    size_t findTag(size_t from) const {
        for (size_t pos = m_src.find('{', from); pos != std::string::npos; pos = m_src.find('{', pos + 1)) {
            if (pos + 1 < m_src.size() &&
                (m_src[pos + 1] == '{' || m_src[pos + 1] == '%' || m_src[pos + 1] == '#'))
                return pos;
        }
        return std::string::npos;
    }

    // Text before a tag: "-" strips all whitespace, otherwise lstrip_blocks removes the indentation
    // of a block or comment tag that starts its line.
    void emitText(std::string text, char sign, bool variableTag) {
        if (sign == '-') {
            text = unicode::strip(text, nullptr, false, true);
        } else if (sign != '+' && !variableTag) {
            const size_t newline = text.rfind('\n');
            const size_t lineStart = newline == std::string::npos ? 0 : newline + 1;
            if ((lineStart > 0 || m_lineStarting) &&
                text.find_first_not_of(" \t", lineStart) == std::string::npos)
                text.resize(lineStart);
        }
        if (!text.empty()) push(TokenType::Data, std::move(text));
    }

    bool matchRawBegin(size_t tag, size_t& end) const {
        size_t p = tag + 2;
        if (p < m_src.size() && (m_src[p] == '-' || m_src[p] == '+')) ++p;
        p = skipSpaces(p);
        if (!at(p, "raw")) return false;
        p = skipSpaces(p + 3);
        if (at(p, "-%}")) {
            end = skipSpaces(p + 3);
            return true;
        }
        if (at(p, "%}")) {
            end = p + 2; // Jinja applies no trim_blocks after {% raw %}
            return true;
        }
        return false;
    }

    void lexRaw(size_t bodyStart) {
        finish(bodyStart);
        for (size_t q = m_src.find("{%", bodyStart); q != std::string::npos; q = m_src.find("{%", q + 1)) {
            size_t p = q + 2;
            const char sign = p < m_src.size() && (m_src[p] == '-' || m_src[p] == '+') ? m_src[p] : 0;
            if (sign) ++p;
            p = skipSpaces(p);
            if (!at(p, "endraw")) continue;
            p = skipSpaces(p + 6);
            size_t end;
            if (at(p, "+%}"))
                end = p + 3;
            else if (at(p, "-%}"))
                end = skipSpaces(p + 3);
            else if (at(p, "%}"))
                end = p + 2 + (at(p + 2, "\n") ? 1 : 0);
            else
                continue;
            emitText(m_src.substr(bodyStart, q - bodyStart), sign, false);
            finish(end);
            return;
        }
        fail("Missing end of raw directive");
    }

    void lexComment(size_t content) {
        const size_t close = m_src.find("#}", content);
        if (close == std::string::npos) fail("Missing end of comment tag");
        const char sign =
            close > content && (m_src[close - 1] == '-' || m_src[close - 1] == '+') ? m_src[close - 1] : 0;
        size_t end = close + 2;
        if (sign == '-')
            end = skipSpaces(end);
        else if (!sign && at(end, "\n"))
            ++end; // trim_blocks
        finish(end);
    }

    bool closeTag(bool block) {
        size_t end = 0;
        if (block) {
            if (at(m_pos, "-%}"))
                end = skipSpaces(m_pos + 3);
            else if (at(m_pos, "+%}"))
                end = m_pos + 3;
            else if (at(m_pos, "%}"))
                end = m_pos + 2 + (at(m_pos + 2, "\n") ? 1 : 0); // trim_blocks
        } else {
            if (at(m_pos, "-}}"))
                end = skipSpaces(m_pos + 3);
            else if (at(m_pos, "}}"))
                end = m_pos + 2;
        }
        if (!end) return false;
        push(block ? TokenType::BlockEnd : TokenType::VariableEnd);
        finish(end);
        return true;
    }

    void lexTag(bool block, size_t content) {
        push(block ? TokenType::BlockBegin : TokenType::VariableBegin);
        moveTo(content);
        std::string brackets; // expected closers; the tag cannot end while one is open
        while (m_pos < m_src.size()) {
            if (brackets.empty() && closeTag(block)) return;
            const size_t afterSpace = skipSpaces(m_pos);
            if (afterSpace > m_pos) {
                moveTo(afterSpace);
                continue;
            }
            if (lexNumber() || lexName() || lexString() || lexOperator(brackets)) continue;
            char buf[64];
            std::snprintf(buf, sizeof buf, "unexpected char '%c'", m_src[m_pos]);
            fail(buf);
        }
    }

    // `(\d+_)*\d+`: returns the end, or npos when no digit is at `pos`.
    size_t digitsEnd(size_t pos) const {
        if (pos >= m_src.size() || !isDigit(m_src[pos])) return std::string::npos;
        while (pos < m_src.size() && isDigit(m_src[pos])) {
            ++pos;
            if (pos + 1 < m_src.size() && m_src[pos] == '_' && isDigit(m_src[pos + 1])) ++pos;
        }
        return pos;
    }

    static std::string withoutUnderscores(std::string_view s) {
        std::string out;
        for (char c : s)
            if (c != '_') out.push_back(c);
        return out;
    }

    bool lexNumber() {
        if (!isDigit(m_src[m_pos])) return false;
        if (m_pos == 0 || m_src[m_pos - 1] != '.') {
            const size_t intEnd = digitsEnd(m_pos);
            const size_t fracEnd = at(intEnd, ".") ? digitsEnd(intEnd + 1) : std::string::npos;
            const size_t mantEnd = fracEnd != std::string::npos ? fracEnd : intEnd;
            size_t end = std::string::npos;
            if (mantEnd < m_src.size() && (m_src[mantEnd] == 'e' || m_src[mantEnd] == 'E')) {
                size_t q = mantEnd + 1;
                if (q < m_src.size() && (m_src[q] == '+' || m_src[q] == '-')) ++q;
                end = digitsEnd(q);
            }
            if (end == std::string::npos) end = fracEnd;
            if (end != std::string::npos) {
                const std::string text =
                    withoutUnderscores(std::string_view(m_src).substr(m_pos, end - m_pos));
                Token& token = push(TokenType::Float, text);
                std::from_chars(text.data(), text.data() + text.size(), token.floatValue);
                moveTo(end);
                return true;
            }
        }
        int base = 10;
        size_t p = m_pos + 1;
        const char prefix = m_pos + 1 < m_src.size() ? static_cast<char>(m_src[m_pos + 1] | 0x20) : 0;
        const auto validDigit = [&](char c) {
            if (base == 2) return c == '0' || c == '1';
            if (base == 8) return c >= '0' && c <= '7';
            if (base == 16) return isDigit(c) || ((c | 0x20) >= 'a' && (c | 0x20) <= 'f');
            return isDigit(c);
        };
        const auto digitRun = [&](size_t q, bool zerosOnly) { // (_?digit)*
            for (;;) {
                size_t r = q;
                if (r < m_src.size() && m_src[r] == '_') ++r;
                if (r < m_src.size() && validDigit(m_src[r]) && (!zerosOnly || m_src[r] == '0'))
                    q = r + 1;
                else
                    return q;
            }
        };
        if (m_src[m_pos] == '0' && (prefix == 'b' || prefix == 'o' || prefix == 'x')) {
            base = prefix == 'b' ? 2 : prefix == 'o' ? 8 : 16;
            const size_t end = digitRun(m_pos + 2, false);
            if (end > m_pos + 2)
                p = end;
            else
                base = 10;
        }
        if (base == 10) p = digitRun(m_pos + 1, m_src[m_pos] == '0');
        const std::string text = m_src.substr(m_pos, p - m_pos);
        std::string digits = withoutUnderscores(text);
        if (base != 10) digits.erase(0, 2);
        Token& token = push(TokenType::Integer, text);
        const auto res = std::from_chars(digits.data(), digits.data() + digits.size(), token.intValue, base);
        if (res.ec != std::errc())
            throw Error(ErrorCode::Unsupported, m_name + ":" + std::to_string(m_line),
                        "integer literal " + text + " does not fit in 64 bits");
        moveTo(p);
        return true;
    }

    bool lexName() {
        if (!isNameStart(m_src[m_pos])) return false;
        size_t end = m_pos + 1;
        while (end < m_src.size() && isNameChar(m_src[end]))
            ++end;
        push(TokenType::Name, m_src.substr(m_pos, end - m_pos));
        moveTo(end);
        return true;
    }

    bool lexString() {
        const char quote = m_src[m_pos];
        if (quote != '\'' && quote != '"') return false;
        size_t i = m_pos + 1;
        while (i < m_src.size() && m_src[i] != quote)
            i += m_src[i] == '\\' ? 2 : 1;
        if (i >= m_src.size()) return false; // unterminated: reported as an unexpected quote
        push(TokenType::String, unescape(std::string_view(m_src).substr(m_pos + 1, i - m_pos - 1)));
        moveTo(i + 1);
        return true;
    }

    // Python's "unicode-escape" codec applied after "backslashreplace", as Jinja does.
    std::string unescape(std::string_view s) const {
        std::string out;
        const auto hexValue = [&](size_t& i, int count, const char* what) {
            char32_t value = 0;
            for (int k = 0; k < count; ++k, ++i) {
                const char c = i < s.size() ? s[i] : 0;
                int digit;
                if (isDigit(c))
                    digit = c - '0';
                else if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f')
                    digit = (c | 0x20) - 'a' + 10;
                else
                    fail(std::string("truncated ") + what + " escape in string literal");
                value = value * 16 + digit;
            }
            return value;
        };
        for (size_t i = 0; i < s.size();) {
            if (s[i] != '\\') {
                out.push_back(s[i++]);
                continue;
            }
            const char e = s[i + 1];
            i += 2;
            char32_t cp;
            switch (e) {
            case '\n':
                continue;
            case '\\':
            case '\'':
            case '"':
                out.push_back(e);
                continue;
            case 'a':
                out.push_back('\a');
                continue;
            case 'b':
                out.push_back('\b');
                continue;
            case 'f':
                out.push_back('\f');
                continue;
            case 'n':
                out.push_back('\n');
                continue;
            case 'r':
                out.push_back('\r');
                continue;
            case 't':
                out.push_back('\t');
                continue;
            case 'v':
                out.push_back('\v');
                continue;
            case 'x':
                cp = hexValue(i, 2, "\\xXX");
                break;
            case 'u':
                cp = hexValue(i, 4, "\\uXXXX");
                break;
            case 'U':
                cp = hexValue(i, 8, "\\UXXXXXXXX");
                break;
            case 'N':
                throw Error(ErrorCode::Unsupported, m_name + ":" + std::to_string(m_line),
                            "\\N{...} escapes in string literals are not supported");
            default:
                if (e >= '0' && e <= '7') {
                    cp = e - '0';
                    for (int k = 0; k < 2 && i < s.size() && s[i] >= '0' && s[i] <= '7'; ++k)
                        cp = cp * 8 + (s[i++] - '0');
                    break;
                }
                out.push_back('\\');
                if (static_cast<unsigned char>(e) >= 0x80) {
                    // backslashreplace turned the character into an escape that now reads as text
                    size_t pos = i - 1;
                    const char32_t c = unicode::next(s, pos);
                    i = pos;
                    char buf[16];
                    std::snprintf(buf, sizeof buf,
                                  c <= 0xFF     ? "x%02x"
                                  : c <= 0xFFFF ? "u%04x"
                                                : "U%08x",
                                  static_cast<unsigned>(c));
                    out += buf;
                } else {
                    out.push_back(e);
                }
                continue;
            }
            if (cp > 0x10FFFF) fail("illegal Unicode character in string literal");
            if (cp >= 0xD800 && cp <= 0xDFFF)
                throw Error(ErrorCode::Unsupported, m_name + ":" + std::to_string(m_line),
                            "surrogate escapes in string literals are not supported");
            unicode::append(out, cp);
        }
        return out;
    }

    bool lexOperator(std::string& brackets) {
        static const char* const twoChar[] = {"//", "**", "==", "!=", ">=", "<="};
        for (const char* op : twoChar) {
            if (at(m_pos, op)) {
                push(TokenType::Operator, op);
                moveTo(m_pos + 2);
                return true;
            }
        }
        const char c = m_src[m_pos];
        if (std::string_view("+-/*%~[](){}<>=.:|,;").find(c) == std::string_view::npos) return false;
        if (c == '(' || c == '[' || c == '{') {
            brackets.push_back(c == '(' ? ')' : c == '[' ? ']' : '}');
        } else if (c == ')' || c == ']' || c == '}') {
            if (brackets.empty()) fail(std::string("unexpected '") + c + "'");
            if (brackets.back() != c)
                fail(std::string("unexpected '") + c + "', expected '" + brackets.back() + "'");
            brackets.pop_back();
        }
        push(TokenType::Operator, std::string(1, c));
        moveTo(m_pos + 1);
        return true;
    }
};

} // namespace

std::vector<Token> tokenize(std::string_view source, const std::string& templateName) {
    return Lexer(source, templateName).run();
}

std::string describeToken(const Token& token) {
    switch (token.type) {
    case TokenType::Data:
        return "template data";
    case TokenType::VariableBegin:
        return "begin of print statement";
    case TokenType::VariableEnd:
        return "end of print statement";
    case TokenType::BlockBegin:
        return "begin of statement block";
    case TokenType::BlockEnd:
        return "end of statement block";
    case TokenType::String:
        return "string";
    case TokenType::Integer:
        return "integer";
    case TokenType::Float:
        return "float";
    case TokenType::End:
        return "end of template";
    default:
        return token.value;
    }
}

} // namespace ft::jinja
