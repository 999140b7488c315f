#include "core/io/json_error.h"

#include <cstdio>
#include <string_view>

namespace ft {
namespace {

constexpr std::string_view kAnyValue = "a value (a string, number, true/false/null, object or array)";

// The message without "[json.exception.parse_error.101] ".
std::string_view withoutPrefix(std::string_view what) {
    if (what.starts_with("[json.exception.")) {
        const size_t end = what.find("] ");
        if (end != std::string_view::npos) what.remove_prefix(end + 2);
    }
    return what;
}

// Text between `open` and `close` after `from`; empty when absent. `pos` is left after `close`.
std::string_view between(std::string_view s, std::string_view open, std::string_view close, size_t& pos) {
    const size_t a = s.find(open, pos);
    if (a == std::string_view::npos) return {};
    const size_t b = s.find(close, a + open.size());
    if (b == std::string_view::npos) return {};
    pos = b + close.size();
    return s.substr(a + open.size(), b - a - open.size());
}

// The word the lexer stopped in: the end of "last read" after the last space or structural character.
std::string lastWord(std::string_view lastRead) {
    const size_t cut = lastRead.find_last_of(" \t\r\n{[,:");
    std::string word(cut == std::string_view::npos ? lastRead : lastRead.substr(cut + 1));
    while (word.size() > 1 && (word.back() == '}' || word.back() == ']')) word.pop_back();  // "nul}": the word is "nul"
    if (word.empty() && !lastRead.empty()) word = lastRead.substr(lastRead.size() - 1);
    return word;
}

// A token name of the parser ("number literal", "'}'") as a reader would say it.
std::string tokenWords(std::string_view token, std::string_view context) {
    if (token == "string literal") return context == "object key" ? "a key in double quotes" : "a string";
    if (token == "number literal") return "a number";
    if (token == "true literal") return "true";
    if (token == "false literal") return "false";
    if (token == "null literal") return "null";
    if (token == "end of input") return "the end of the text";
    if (token == "'[', '{', or a literal") return std::string(kAnyValue);
    // After a member or an item the parser expects the closing bracket; a comma would do as well.
    if (token == "'}'" && context == "object") return "',' or '}'";
    if (token == "']'" && context == "array") return "',' or ']'";
    return std::string(token);
}

std::string parseErrorWords(std::string_view message) {
    // "syntax error while parsing <context> - <detail>"; other parse errors (binary formats) are kept as they are.
    constexpr std::string_view kSyntax = "syntax error while parsing ";
    const size_t s = message.find(kSyntax);
    if (s == std::string_view::npos) return std::string(message);
    std::string_view rest = message.substr(s + kSyntax.size());
    const size_t dash = rest.find(" - ");
    if (dash == std::string_view::npos) return std::string(message);
    const std::string_view context = rest.substr(0, dash);
    const std::string_view detail = rest.substr(dash + 3);

    if (detail.starts_with("unexpected ")) {  // a whole token in the wrong place
        std::string_view token = detail.substr(11);
        std::string_view expected;
        if (const size_t e = token.find("; expected "); e != std::string_view::npos) {
            expected = token.substr(e + 11);
            token = token.substr(0, e);
        }
        if (token == "end of input") {
            if (context == "object") return "the text ends before the object is closed with '}'";
            if (context == "array") return "the text ends before the list is closed with ']'";
            return "expected " + (expected.empty() ? std::string(kAnyValue) : tokenWords(expected, context)) +
                   " but the text ends";
        }
        std::string out = "expected " + (expected.empty() ? std::string("something else") : tokenWords(expected, context));
        return out + " but found " + tokenWords(token, {});
    }

    // The lexer stopped inside a token: "<what>; last read: '<text>'[; expected <token>]".
    std::string_view what = detail;
    std::string_view lastRead, expected;
    if (const size_t l = detail.find("; last read: '"); l != std::string_view::npos) {
        what = detail.substr(0, l);
        std::string_view tail = detail.substr(l + 14);
        const size_t e = tail.rfind("'; expected ");
        if (e != std::string_view::npos) {
            expected = tail.substr(e + 12);
            lastRead = tail.substr(0, e);
        } else {
            lastRead = tail.ends_with('\'') ? tail.substr(0, tail.size() - 1) : tail;
        }
    }
    if (what == "invalid literal") {
        const std::string found = "'" + lastWord(lastRead) + "'";
        if (expected == "end of input") return "there is more text after the end of the JSON value: found " + found;
        if (context == "object key") return "expected a key in double quotes but found " + found;
        return "expected " + std::string(kAnyValue) + " but found " + found;
    }
    if (what.starts_with("invalid string: missing closing quote")) return "a string is missing its closing quote";
    if (what.starts_with("invalid string: control character"))
        return "a string holds a line break, tab or other control character; write it as an escape (\\n, \\t, "
               "\\u0001)";
    if (what.starts_with("invalid string: ill-formed UTF-8")) return "the text is not valid UTF-8";
    if (what.starts_with("invalid string: forbidden character after backslash"))
        return "a backslash in a string is followed by a character that cannot be escaped (write \\\\ for a "
               "backslash)";
    if (what.starts_with("invalid string: '\\u' must be followed by 4 hex digits"))
        return "\\u in a string must be followed by 4 hexadecimal digits";
    if (what.starts_with("invalid string: surrogate")) return "a \\u escape is half of a UTF-16 surrogate pair";
    if (what.starts_with("invalid number; ")) {
        std::string why(what.substr(16));
        if (why.starts_with("expected digit")) why.insert(9, "a ");
        return "a number is incomplete: " + why;
    }
    if (what.starts_with("invalid BOM")) return "the text starts with a broken byte order mark";
    return std::string(what);
}

} // namespace

std::string describeJsonError(const nlohmann::json::exception& e, int firstLine) {
    const std::string_view message = withoutPrefix(e.what());
    if (dynamic_cast<const nlohmann::json::parse_error*>(&e)) {
        int line = 0, column = 0;
        const size_t at = message.find("at line ");
        if (at != std::string_view::npos &&
            std::sscanf(std::string(message.substr(at)).c_str(), "at line %d, column %d", &line, &column) == 2)
            return "not valid JSON at line " + std::to_string(line + firstLine - 1) + ", column " +
                   std::to_string(column) + ": " + parseErrorWords(message);
        return "not valid JSON: " + parseErrorWords(message);
    }
    if (e.id == 406) {  // out_of_range: "number overflow parsing '1e999'"
        size_t pos = 0;
        const std::string_view number = between(message, "'", "'", pos);
        return "not valid JSON: the number " + std::string(number) + " is too large to be stored";
    }
    return std::string(message);
}

} // namespace ft
