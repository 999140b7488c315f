#pragma once
// The slice of Python's str semantics that templates reach: code-point length and indexing,
// str.isspace(), str.splitlines() boundaries, str.isprintable() for repr(), and case mapping.
// Case mapping covers Latin, Greek, Cyrillic, Armenian and full-width letters; cased letters outside
// those tables throw ft::Error(Unsupported) instead of being passed through unchanged.

#include <string>
#include <string_view>

namespace ft::jinja::unicode {

// Invalid UTF-8 bytes decode to U+DC80..U+DCFF (Python's surrogateescape), so encode() round-trips them.
std::u32string decode(std::string_view text);
std::string encode(std::u32string_view text);
void append(std::string& out, char32_t c);
// Decodes the code point at `pos`, advancing `pos` past it.
char32_t next(std::string_view text, size_t& pos);

bool isAscii(std::string_view text);
size_t length(std::string_view text); // in code points, like Python len()

bool isSpace(char32_t c);     // str.isspace(); also what Python's re `\s` matches
bool isLineBreak(char32_t c); // a str.splitlines() boundary
bool isPrintable(char32_t c); // str.isprintable(), exact for the common blocks

std::string upper(std::string_view text);      // str.upper()
std::string lower(std::string_view text);      // str.lower()
std::string title(std::string_view text);      // str.title()
std::string capitalize(std::string_view text); // str.capitalize()
bool isUpper(std::string_view text);           // str.isupper()
bool isLower(std::string_view text);           // str.islower()

// Python's str.strip()/lstrip()/rstrip(): whitespace when `chars` is null, else any of `chars`.
std::string strip(std::string_view text, const std::string* chars, bool left, bool right);

} // namespace ft::jinja::unicode
