#include "core/text/jinja/unicode.h"

#include "core/common/error.h"

#include <cstdio>

namespace ft::jinja::unicode {

char32_t next(std::string_view s, size_t& pos) {
    const auto byte = [&](size_t i) { return static_cast<unsigned char>(s[i]); };
    const unsigned char b0 = byte(pos);
    if (b0 < 0x80) {
        ++pos;
        return b0;
    }
    int extra = 0;
    char32_t c = 0;
    char32_t minValue = 0;
    if ((b0 & 0xE0) == 0xC0) {
        extra = 1, c = b0 & 0x1F, minValue = 0x80;
    } else if ((b0 & 0xF0) == 0xE0) {
        extra = 2, c = b0 & 0x0F, minValue = 0x800;
    } else if ((b0 & 0xF8) == 0xF0) {
        extra = 3, c = b0 & 0x07, minValue = 0x10000;
    } else {
        ++pos;
        return 0xDC00 + b0;
    }
    for (int i = 1; i <= extra; ++i) {
        if (pos + i >= s.size() || (byte(pos + i) & 0xC0) != 0x80) {
            ++pos;
            return 0xDC00 + b0;
        }
        c = (c << 6) | (byte(pos + i) & 0x3F);
    }
    if (c < minValue || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) {
        ++pos;
        return 0xDC00 + b0;
    }
    pos += extra + 1;
    return c;
}

std::u32string decode(std::string_view s) {
    std::u32string out;
    out.reserve(s.size());
    for (size_t pos = 0; pos < s.size();)
        out.push_back(next(s, pos));
    return out;
}

void append(std::string& out, char32_t c) {
    if (c >= 0xDC80 && c <= 0xDCFF) { // an undecodable byte kept by decode()
        out.push_back(static_cast<char>(c - 0xDC00));
    } else if (c < 0x80) {
        out.push_back(static_cast<char>(c));
    } else if (c < 0x800) {
        out.push_back(static_cast<char>(0xC0 | (c >> 6)));
        out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
    } else if (c < 0x10000) {
        out.push_back(static_cast<char>(0xE0 | (c >> 12)));
        out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
    } else {
        out.push_back(static_cast<char>(0xF0 | (c >> 18)));
        out.push_back(static_cast<char>(0x80 | ((c >> 12) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
    }
}

std::string encode(std::u32string_view s) {
    std::string out;
    out.reserve(s.size());
    for (char32_t c : s)
        append(out, c);
    return out;
}

bool isAscii(std::string_view s) {
    for (char ch : s)
        if (static_cast<unsigned char>(ch) >= 0x80) return false;
    return true;
}

size_t length(std::string_view s) {
    if (isAscii(s)) return s.size();
    size_t n = 0;
    for (size_t pos = 0; pos < s.size(); ++n)
        next(s, pos);
    return n;
}

bool isSpace(char32_t c) {
    return (c >= 0x09 && c <= 0x0D) || (c >= 0x1C && c <= 0x20) || c == 0x85 || c == 0xA0 || c == 0x1680 ||
           (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 || c == 0x202F || c == 0x205F ||
           c == 0x3000;
}

bool isLineBreak(char32_t c) {
    return c == '\n' || c == '\r' || c == 0x0B || c == 0x0C || (c >= 0x1C && c <= 0x1E) || c == 0x85 ||
           c == 0x2028 || c == 0x2029;
}

bool isPrintable(char32_t c) {
    if (c < 0x20 || c == 0x7F) return false;
    if (c < 0x7F) return true;
    if (c <= 0xA0 || c == 0xAD) return false;
    if ((c >= 0x600 && c <= 0x605) || c == 0x61C || c == 0x6DD || c == 0x70F || c == 0x890 || c == 0x891 ||
        c == 0x8E2 || c == 0x180E || c == 0x1680 || (c >= 0x2000 && c <= 0x200F) ||
        (c >= 0x2028 && c <= 0x202F) || (c >= 0x205F && c <= 0x206F) || c == 0x3000 ||
        (c >= 0xD800 && c <= 0xF8FF) || c == 0xFEFF || (c >= 0xFFF9 && c <= 0xFFFB) || c == 0xFFFE ||
        c == 0xFFFF || c == 0x110BD || c == 0x110CD || (c >= 0x13430 && c <= 0x1343F) ||
        (c >= 0x1BCA0 && c <= 0x1BCA3) || (c >= 0x1D173 && c <= 0x1D17A) || c == 0xE0001 ||
        (c >= 0xE0020 && c <= 0xE007F) || c >= 0xF0000)
        return false;
    return true;
}

namespace {

enum class Case { None, Upper, Lower };
struct CaseInfo {
    Case kind = Case::None;
    char32_t other = 0; // the simple mapping to the opposite case; 0 when there is none
};

[[noreturn]] void unsupportedLetter(char32_t c) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "case mapping of U+%04X is not supported", static_cast<unsigned>(c));
    throw Error(ErrorCode::Unsupported, "", buf);
}

// A pair block where upper and lower case alternate; `upperParity` is the parity of the capital letters.
CaseInfo alternating(char32_t c, unsigned upperParity) {
    if (c % 2 == upperParity) return {Case::Upper, c + 1};
    return {Case::Lower, c - 1};
}

bool inAny(char32_t c, std::initializer_list<std::pair<char32_t, char32_t>> ranges) {
    for (auto [lo, hi] : ranges)
        if (c >= lo && c <= hi) return true;
    return false;
}

CaseInfo caseInfo(char32_t c) {
    if (c < 0x80) {
        if (c >= 'A' && c <= 'Z') return {Case::Upper, c + 32};
        if (c >= 'a' && c <= 'z') return {Case::Lower, c - 32};
        return {};
    }
    if (c < 0xC0) {
        if (c == 0xB5) return {Case::Lower, 0x39C};
        if (c == 0xAA || c == 0xBA) return {Case::Lower, 0};
        return {};
    }
    if (c <= 0xFF) {
        if (c == 0xD7 || c == 0xF7) return {};
        if (c == 0xDF) return {Case::Lower, 0}; // ß: its upper case "SS" is handled by the callers
        if (c == 0xFF) return {Case::Lower, 0x178};
        return c < 0xDF ? CaseInfo{Case::Upper, c + 32} : CaseInfo{Case::Lower, c - 32};
    }
    if (c <= 0x17F) {
        switch (c) {
        case 0x130:
        case 0x149:
            unsupportedLetter(c);
        case 0x131:
            return {Case::Lower, 'I'};
        case 0x138:
            return {Case::Lower, 0};
        case 0x178:
            return {Case::Upper, 0xFF};
        case 0x17F:
            return {Case::Lower, 'S'};
        default:
            break;
        }
        const bool oddUpper = (c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17E);
        return alternating(c, oddUpper ? 1 : 0);
    }
    if (c < 0x370) {
        if (inAny(c, {{0x2B0, 0x2B8}, {0x2C0, 0x2C1}, {0x2E0, 0x2E4}})) return {Case::Lower, 0};
        if (c < 0x2B0 || c == 0x345) unsupportedLetter(c);
        return {};
    }
    if (c <= 0x3FF) {
        static const char32_t accentedUpper[] = {0x386, 0x388, 0x389, 0x38A, 0x38C, 0x38E, 0x38F};
        static const char32_t accentedLower[] = {0x3AC, 0x3AD, 0x3AE, 0x3AF, 0x3CC, 0x3CD, 0x3CE};
        for (int i = 0; i < 7; ++i) {
            if (c == accentedUpper[i]) return {Case::Upper, accentedLower[i]};
            if (c == accentedLower[i]) return {Case::Lower, accentedUpper[i]};
        }
        if (c >= 0x391 && c <= 0x3AB && c != 0x3A2) return {Case::Upper, c + 32};
        if (c == 0x3C2) return {Case::Lower, 0x3A3};
        if (c >= 0x3B1 && c <= 0x3CB) return {Case::Lower, c - 32};
        if (c == 0x374 || c == 0x375 || c == 0x37E || c == 0x384 || c == 0x385 || c == 0x387) return {};
        unsupportedLetter(c);
    }
    if (c <= 0x52F) {
        if (c <= 0x40F) return {Case::Upper, c + 0x50};
        if (c <= 0x42F) return {Case::Upper, c + 0x20};
        if (c <= 0x44F) return {Case::Lower, c - 0x20};
        if (c <= 0x45F) return {Case::Lower, c - 0x50};
        if (c >= 0x482 && c <= 0x489) return {};
        if (c == 0x4C0) return {Case::Upper, 0x4CF};
        if (c == 0x4CF) return {Case::Lower, 0x4C0};
        return alternating(c, (c >= 0x4C1 && c <= 0x4CE) ? 1 : 0);
    }
    if (c >= 0x530 && c <= 0x58F) {
        if (c >= 0x531 && c <= 0x556) return {Case::Upper, c + 0x30};
        if (c >= 0x561 && c <= 0x586) return {Case::Lower, c - 0x30};
        if (c == 0x560 || c == 0x588) return {Case::Lower, 0};
        if (c == 0x587) unsupportedLetter(c);
        return {};
    }
    if (c >= 0x1E00 && c <= 0x1EFF) {
        if (c <= 0x1E95 || c >= 0x1EA0) return alternating(c, 0);
        if (c == 0x1E9E) return {Case::Upper, 0xDF};
        if (c == 0x1E9B) return {Case::Lower, 0x1E60};
        if (c == 0x1E9C || c == 0x1E9D || c == 0x1E9F) return {Case::Lower, 0};
        unsupportedLetter(c);
    }
    if (c == 0x2071 || c == 0x207F || (c >= 0x2090 && c <= 0x209C)) return {Case::Lower, 0};
    if (c >= 0xFF21 && c <= 0xFF3A) return {Case::Upper, c + 32};
    if (c >= 0xFF41 && c <= 0xFF5A) return {Case::Lower, c - 32};
    // Blocks with cased letters we carry no table for.
    if (inAny(c, {{0x10A0, 0x10FF},   {0x13A0, 0x13FF},   {0x1C80, 0x1CBF},   {0x1D00, 0x1DBF},
                  {0x1F00, 0x1FFF},   {0x2102, 0x2102},   {0x2107, 0x2107},   {0x210A, 0x2113},
                  {0x2115, 0x2115},   {0x2119, 0x211D},   {0x2124, 0x2124},   {0x2126, 0x2126},
                  {0x2128, 0x2128},   {0x212A, 0x212D},   {0x212F, 0x2134},   {0x2139, 0x2139},
                  {0x213C, 0x213F},   {0x2145, 0x2149},   {0x214E, 0x214E},   {0x2160, 0x2184},
                  {0x24B6, 0x24E9},   {0x2C00, 0x2D2F},   {0xA640, 0xA69F},   {0xA720, 0xA7FF},
                  {0xAB30, 0xABBF},   {0xFB00, 0xFB17},   {0x10400, 0x1044F}, {0x104B0, 0x104FF},
                  {0x10570, 0x105BF}, {0x10780, 0x107BF}, {0x10C80, 0x10CFF}, {0x118A0, 0x118FF},
                  {0x16E40, 0x16E9F}, {0x1D400, 0x1D7FF}, {0x1DF00, 0x1DFFF}, {0x1E030, 0x1E08F},
                  {0x1E900, 0x1E94F}, {0x1F130, 0x1F149}, {0x1F150, 0x1F169}, {0x1F170, 0x1F189}}))
        unsupportedLetter(c);
    return {};
}

void appendUpper(std::string& out, char32_t c, bool titleCase) {
    if (c == 0xDF) {
        out += titleCase ? "Ss" : "SS";
        return;
    }
    const CaseInfo info = caseInfo(c);
    append(out, info.kind == Case::Lower && info.other ? info.other : c);
}

void appendLower(std::string& out, char32_t c) {
    if (c == 0x3A3) // Σ lowers to σ or ς depending on its neighbours; not reproduced
        unsupportedLetter(c);
    const CaseInfo info = caseInfo(c);
    append(out, info.kind == Case::Upper && info.other ? info.other : c);
}

template <typename Fn> std::string mapChars(std::string_view s, Fn fn) {
    std::string out;
    out.reserve(s.size());
    for (size_t pos = 0; pos < s.size();)
        fn(out, next(s, pos));
    return out;
}

} // namespace

std::string upper(std::string_view s) {
    return mapChars(s, [](std::string& out, char32_t c) { appendUpper(out, c, false); });
}

std::string lower(std::string_view s) {
    return mapChars(s, [](std::string& out, char32_t c) { appendLower(out, c); });
}

std::string title(std::string_view s) {
    bool previousCased = false;
    return mapChars(s, [&](std::string& out, char32_t c) {
        if (previousCased)
            appendLower(out, c);
        else
            appendUpper(out, c, true);
        previousCased = caseInfo(c).kind != Case::None;
    });
}

std::string capitalize(std::string_view s) {
    bool first = true;
    return mapChars(s, [&](std::string& out, char32_t c) {
        if (first)
            appendUpper(out, c, true);
        else
            appendLower(out, c);
        first = false;
    });
}

namespace {
bool allCasedAre(std::string_view s, Case wanted) {
    bool anyCased = false;
    for (size_t pos = 0; pos < s.size();) {
        const CaseInfo info = caseInfo(next(s, pos));
        if (info.kind == Case::None) continue;
        if (info.kind != wanted) return false;
        anyCased = true;
    }
    return anyCased;
}
} // namespace

bool isUpper(std::string_view s) {
    return allCasedAre(s, Case::Upper);
}

bool isLower(std::string_view s) {
    return allCasedAre(s, Case::Lower);
}

std::string strip(std::string_view s, const std::string* chars, bool left, bool right) {
    const std::u32string set = chars ? decode(*chars) : std::u32string();
    const auto strippable = [&](char32_t c) {
        return chars ? set.find(c) != std::u32string::npos : isSpace(c);
    };
    const std::u32string text = decode(s);
    size_t begin = 0;
    size_t end = text.size();
    while (left && begin < end && strippable(text[begin]))
        ++begin;
    while (right && end > begin && strippable(text[end - 1]))
        --end;
    return encode(std::u32string_view(text).substr(begin, end - begin));
}

} // namespace ft::jinja::unicode
