#include "core/eval/text_metrics.h"

#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/locid.h>

#include <algorithm>
#include <map>

namespace ft {

namespace {

// Python's str.lower(): Unicode's full lower-case mapping (U+0130 becomes "i" + U+0307, final sigma is ς).
icu::UnicodeString lowered(std::string_view text) {
    icu::UnicodeString s = icu::UnicodeString::fromUTF8(icu::StringPiece(text.data(), int32_t(text.size())));
    s.toLower(icu::Locale::getRoot());
    return s;
}

std::string utf8(const icu::UnicodeString& s) {
    std::string out;
    s.toUTF8String(out);
    return out;
}

// str.split(): runs of Unicode whitespace separate tokens.
std::vector<std::string> splitWhitespace(const icu::UnicodeString& s) {
    std::vector<std::string> tokens;
    icu::UnicodeString current;
    for (int32_t i = 0; i < s.length();) {
        const UChar32 c = s.char32At(i);
        i += U16_LENGTH(c);
        // Python's isspace: Unicode White_Space plus the separators it treats as whitespace (0x1C-0x1F).
        if (u_isUWhiteSpace(c) || (c >= 0x1C && c <= 0x1F)) {
            if (!current.isEmpty()) tokens.push_back(utf8(current));
            current.remove();
        } else {
            current.append(c);
        }
    }
    if (!current.isEmpty()) tokens.push_back(utf8(current));
    return tokens;
}

bool asciiPunctuation(UChar32 c) {
    return c < 128 && std::string_view("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~").find(char(c)) != std::string_view::npos;
}

// Python's str.isalnum(), what its regular expressions call \w (with "_"): letters and numbers of any script.
// Marks are not (a combining dot separates words there).
bool pythonAlnum(UChar32 c) {
    switch (u_charType(c)) {
    case U_UPPERCASE_LETTER: case U_LOWERCASE_LETTER: case U_TITLECASE_LETTER: case U_MODIFIER_LETTER:
    case U_OTHER_LETTER: case U_DECIMAL_DIGIT_NUMBER: case U_LETTER_NUMBER: case U_OTHER_NUMBER: return true;
    default: return false;
    }
}

double fmeasure(double precision, double recall) {
    return precision + recall > 0 ? 2 * precision * recall / (precision + recall) : 0.0;
}

} // namespace

std::string squadNormalize(std::string_view text) {
    const icu::UnicodeString low = lowered(text);
    icu::UnicodeString kept;
    for (int32_t i = 0; i < low.length();) {
        const UChar32 c = low.char32At(i);
        i += U16_LENGTH(c);
        if (!asciiPunctuation(c)) kept.append(c);
    }
    // re.sub(r"\b(a|an|the)\b", " ", text): the articles as whole words (word characters are Unicode \w).
    const auto isWord = [](UChar32 c) { return c == '_' || pythonAlnum(c); };
    icu::UnicodeString out;
    for (int32_t i = 0; i < kept.length();) {
        int32_t end = i;
        while (end < kept.length() && isWord(kept.char32At(end))) end += U16_LENGTH(kept.char32At(end));
        if (end == i) {
            const UChar32 c = kept.char32At(i);
            out.append(c);
            i += U16_LENGTH(c);
            continue;
        }
        const icu::UnicodeString word(kept, i, end - i);
        out.append(word == "a" || word == "an" || word == "the" ? icu::UnicodeString(" ") : word);
        i = end;
    }
    std::string joined;
    for (const auto& t : splitWhitespace(out)) joined += (joined.empty() ? "" : " ") + t;
    return joined;
}

double exactMatch(std::string_view prediction, std::string_view reference) {
    return squadNormalize(prediction) == squadNormalize(reference) ? 1.0 : 0.0;
}

double tokenF1(std::string_view prediction, std::string_view reference) {
    const auto split = [](const std::string& s) { return splitWhitespace(icu::UnicodeString::fromUTF8(s)); };
    const std::vector<std::string> p = split(squadNormalize(prediction)), r = split(squadNormalize(reference));
    std::map<std::string, int> counts;
    for (const auto& t : r) ++counts[t];
    int same = 0;
    for (const auto& t : p)
        if (auto it = counts.find(t); it != counts.end() && it->second > 0) --it->second, ++same;
    if (same == 0) return 0.0;
    return fmeasure(double(same) / double(p.size()), double(same) / double(r.size()));
}

std::vector<std::string> rougeTokens(std::string_view text, RougeTokenizer tokenizer) {
    const icu::UnicodeString low = lowered(text);
    std::vector<std::string> tokens;
    icu::UnicodeString current;
    const auto keep = [&](UChar32 c) {
        if (tokenizer == RougeTokenizer::Default) return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
        return pythonAlnum(c);  // the fixture's tokenizer: runs of \w without "_"
    };
    for (int32_t i = 0; i < low.length();) {
        const UChar32 c = low.char32At(i);
        i += U16_LENGTH(c);
        if (keep(c)) {
            current.append(c);
        } else if (!current.isEmpty()) {
            tokens.push_back(utf8(current));
            current.remove();
        }
    }
    if (!current.isEmpty()) tokens.push_back(utf8(current));
    return tokens;
}

double rougeL(std::string_view prediction, std::string_view reference, RougeTokenizer tokenizer) {
    const std::vector<std::string> p = rougeTokens(prediction, tokenizer), r = rougeTokens(reference, tokenizer);
    if (p.empty() || r.empty()) return 0.0;
    std::vector<int> prev(p.size() + 1, 0), row(p.size() + 1, 0);  // the LCS table, a row at a time
    for (size_t i = 1; i <= r.size(); ++i) {
        for (size_t j = 1; j <= p.size(); ++j)
            row[j] = r[i - 1] == p[j - 1] ? prev[j - 1] + 1 : std::max(prev[j], row[j - 1]);
        std::swap(prev, row);
    }
    const double lcs = prev[p.size()];
    return fmeasure(lcs / double(p.size()), lcs / double(r.size()));
}

} // namespace ft
