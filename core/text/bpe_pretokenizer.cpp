#include "core/text/bpe_pretokenizer.h"

#include "core/text/unicode_categories.h"

#include <algorithm>
#include <array>

namespace ft::bpe {

namespace {

// ---- UTF-8 ----

size_t sequenceLength(unsigned char lead) {
    return lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
}

// Length of the valid sequence at s[pos], or of its maximal invalid subpart (at least 1) with valid = false.
size_t scanUtf8(std::string_view s, size_t pos, bool& valid) {
    const auto byte = [&](size_t i) { return static_cast<unsigned char>(s[i]); };
    const unsigned char b0 = byte(pos);
    valid = true;
    if (b0 < 0x80) return 1;
    unsigned char lo = 0x80, hi = 0xBF; // range of the second byte
    size_t need;
    if (b0 >= 0xC2 && b0 <= 0xDF)
        need = 1;
    else if (b0 >= 0xE0 && b0 <= 0xEF) {
        need = 2;
        if (b0 == 0xE0) lo = 0xA0;
        if (b0 == 0xED) hi = 0x9F; // no surrogates
    } else if (b0 >= 0xF0 && b0 <= 0xF4) {
        need = 3;
        if (b0 == 0xF0) lo = 0x90;
        if (b0 == 0xF4) hi = 0x8F;
    } else {
        valid = false;
        return 1;
    }
    for (size_t k = 1; k <= need; ++k) {
        const size_t i = pos + k;
        const bool ok = i < s.size() && byte(i) >= (k == 1 ? lo : 0x80) && byte(i) <= (k == 1 ? hi : 0xBF);
        if (!ok) {
            valid = false;
            return k;
        }
    }
    return need + 1;
}

// ---- Transformations with alignment tracking ----

// NormalizedString::transform: `out` lists the new characters, each with its change: 0 replaces the next
// input character, n > 0 is inserted (aligned with the previous input byte), n < 0 replaces it and removes n
// more.
void transform(TextPiece& piece, const std::vector<std::pair<char32_t, int>>& out) {
    std::string text;
    std::vector<Span> spans;
    text.reserve(piece.text.size() * 2);
    spans.reserve(piece.text.size() * 2);
    size_t offset = 0;
    for (const auto& [c, change] : out) {
        Span align;
        if (change > 0) {
            align = offset == 0 ? Span{piece.spans[0].first, piece.spans[0].first} : piece.spans[offset - 1];
        } else {
            align = piece.spans[offset];
            for (int k = 0; k <= -change; ++k)
                offset += sequenceLength(static_cast<unsigned char>(piece.text[offset]));
        }
        const size_t before = text.size();
        appendUtf8(text, c);
        spans.insert(spans.end(), text.size() - before, align);
    }
    piece.text = std::move(text);
    piece.spans = std::move(spans);
}

// ---- NFC, as the unicode-normalization-alignments crate computes it (changes included) ----

constexpr char32_t kSBase = 0xAC00, kLBase = 0x1100, kVBase = 0x1161, kTBase = 0x11A7;
constexpr char32_t kLCount = 19, kVCount = 21, kTCount = 28, kSCount = kLCount * kVCount * kTCount;

char32_t composePair(char32_t a, char32_t b) {
    if (a >= kLBase && a < kLBase + kLCount && b >= kVBase && b < kVBase + kVCount)
        return kSBase + ((a - kLBase) * kVCount + (b - kVBase)) * kTCount;
    if (a >= kSBase && a < kSBase + kSCount && (a - kSBase) % kTCount == 0 && b > kTBase &&
        b < kTBase + kTCount)
        return a + (b - kTBase);
    return unicode::compose(a, b);
}

struct Decomposed {
    char32_t c;
    int change;
    int ccc;
};

// Canonical decomposition; the first character of each decomposition replaces the input character (change 0),
// the others are inserted (1). Runs of non-starters are stably sorted by class, changes travelling along.
std::vector<Decomposed> decomposeCanonical(std::string_view text) {
    std::vector<Decomposed> out;
    size_t pending = 0; // start of the run not yet sorted
    const auto sortPending = [&] {
        std::stable_sort(out.begin() + pending, out.end(),
                         [](const auto& x, const auto& y) { return x.ccc < y.ccc; });
        pending = out.size();
    };
    const auto push = [&](char32_t d, bool first) {
        const int ccc = unicode::combiningClass(d);
        if (ccc == 0) sortPending();
        out.push_back({d, first ? 0 : 1, ccc});
    };
    for (size_t pos = 0; pos < text.size();) {
        const char32_t c = nextCodePoint(text, pos);
        if (c >= kSBase && c < kSBase + kSCount) {
            const char32_t s = c - kSBase;
            push(kLBase + s / (kVCount * kTCount), true);
            push(kVBase + (s % (kVCount * kTCount)) / kTCount, false);
            if (s % kTCount) push(kTBase + s % kTCount, false);
            continue;
        }
        char32_t parts[4];
        const int n = unicode::decompose(c, parts);
        if (n == 0) push(c, true);
        for (int i = 0; i < n; ++i)
            push(parts[i], i == 0);
    }
    sortPending();
    return out;
}

// Canonical composition: the state machine of the crate's Recompositions iterator. A composite takes the
// change of its starter plus its mark's, minus one: it replaces the starter and removes the mark.
std::vector<std::pair<char32_t, int>> recompose(const std::vector<Decomposed>& in) {
    std::vector<std::pair<char32_t, int>> out, buffer;
    std::optional<std::pair<char32_t, int>> composee;
    int lastCcc = -1; // -1: nothing buffered since the composee
    for (const auto& [c, change, ccc] : in) {
        if (!composee) {
            if (ccc != 0)
                out.emplace_back(c, change);
            else
                composee.emplace(c, change);
            continue;
        }
        const bool blocked = lastCcc >= 0 && lastCcc >= ccc;
        if (!blocked) {
            if (const char32_t r = composePair(composee->first, c)) {
                composee.emplace(r, composee->second + change - 1);
                continue;
            }
        }
        if (ccc == 0) { // a new starter
            out.push_back(*composee);
            out.insert(out.end(), buffer.begin(), buffer.end());
            buffer.clear();
            composee.emplace(c, change);
            lastCcc = -1;
            continue;
        }
        buffer.emplace_back(c, change);
        lastCcc = ccc;
    }
    if (composee) out.push_back(*composee);
    out.insert(out.end(), buffer.begin(), buffer.end());
    return out;
}

// ---- GPT-2's bytes_to_unicode ----

struct ByteMap {
    std::array<std::string, 256> standIn;
    std::array<int, 324> byteOf; // stand-ins are below U+0144

    ByteMap() {
        byteOf.fill(-1);
        int next = 256;
        for (int b = 0; b < 256; ++b) {
            const bool printable =
                (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            const char32_t c = printable ? char32_t(b) : char32_t(next++);
            appendUtf8(standIn[b], c);
            byteOf[c] = b;
        }
    }
};

const ByteMap& byteMap() {
    static const ByteMap map;
    return map;
}

// ---- The pre-tokenizer regexes, matched by hand on code points ----

constexpr std::string_view kLlama3Pattern =
    R"((?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+)";
constexpr std::string_view kQwen2Pattern =
    R"((?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+)";
// tokenizers' ByteLevel pre-tokenizer with use_regex = true.
constexpr std::string_view kGpt2Pattern =
    R"('s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+)";

class Matcher {
  public:
    Matcher(SplitRegex regex, const std::vector<char32_t>& cps)
        : m_regex(regex), m_cp(cps), m_n(cps.size()) {}

    // End of the match starting at i (alternatives tried in order, as a backtracking engine does); i when
    // none.
    size_t matchAt(size_t i) const { return m_regex == SplitRegex::Gpt2 ? gpt2At(i) : llamaAt(i); }

  private:
    bool letter(size_t i) const { return i < m_n && unicode::isLetter(m_cp[i]); }
    bool number(size_t i) const { return i < m_n && unicode::isNumber(m_cp[i]); }
    bool space(size_t i) const { return i < m_n && unicode::isWhiteSpace(m_cp[i]); }
    bool newline(size_t i) const { return i < m_n && (m_cp[i] == '\r' || m_cp[i] == '\n'); }
    bool other(size_t i) const { return i < m_n && !space(i) && !letter(i) && !number(i); } // [^\s\p{L}\p{N}]
    bool is(size_t i, char32_t c) const { return i < m_n && m_cp[i] == c; }
    bool isNoCase(size_t i,
                  char c) const { // under (?i): the ASCII letter either case; 's' also matches U+017F ſ
        return i < m_n && (m_cp[i] == char32_t(c) || m_cp[i] == char32_t(c - 'a' + 'A') ||
                           (c == 's' && m_cp[i] == 0x17F));
    }
    template <class Pred> size_t run(size_t i, Pred pred) const {
        while (pred(i))
            ++i;
        return i;
    }

    // 's|'t|'re|'ve|'m|'ll|'d, case-insensitive or not
    size_t contraction(size_t i, bool noCase) const {
        if (!is(i, '\'')) return i;
        const auto at = [&](size_t k, char c) { return noCase ? isNoCase(k, c) : is(k, char32_t(c)); };
        if (at(i + 1, 's') || at(i + 1, 't') || at(i + 1, 'm') || at(i + 1, 'd')) return i + 2;
        if ((at(i + 1, 'r') || at(i + 1, 'v')) && at(i + 2, 'e')) return i + 3;
        if (at(i + 1, 'l') && at(i + 2, 'l')) return i + 3;
        return i;
    }

    // \s+(?!\S) then \s+: a whitespace run leaves its last character to the next token when a non-space
    // follows.
    size_t trailingSpaces(size_t i) const {
        const size_t end = run(i, [&](size_t k) { return space(k); });
        if (end == i) return i;
        if (end == m_n || end - 1 == i) return end;
        return end - 1;
    }

    size_t llamaAt(size_t i) const {
        if (size_t e = contraction(i, true); e > i) return e;
        // [^\r\n\p{L}\p{N}]?\p{L}+
        size_t j = i;
        if (!newline(j) && !letter(j) && !number(j) && j < m_n && letter(j + 1)) ++j;
        if (letter(j)) return run(j, [&](size_t k) { return letter(k); });
        // \p{N}{1,3} (Llama 3) or \p{N} (Qwen2)
        if (number(i)) {
            const size_t most = m_regex == SplitRegex::Llama3 ? 3 : 1;
            size_t e = i;
            while (e - i < most && number(e))
                ++e;
            return e;
        }
        //  ?[^\s\p{L}\p{N}]+[\r\n]*
        j = is(i, ' ') && other(i + 1) ? i + 1 : i;
        if (other(j)) {
            const size_t e = run(j, [&](size_t k) { return other(k); });
            return run(e, [&](size_t k) { return newline(k); });
        }
        // \s*[\r\n]+: the whitespace run up to and including its last line break
        if (space(i)) {
            const size_t end = run(i, [&](size_t k) { return space(k); });
            for (size_t k = end; k > i; --k)
                if (newline(k - 1)) return k;
        }
        return trailingSpaces(i);
    }

    size_t gpt2At(size_t i) const {
        if (size_t e = contraction(i, false); e > i) return e;
        //  ?\p{L}+ |  ?\p{N}+ |  ?[^\s\p{L}\p{N}]+
        for (const auto cls : {&Matcher::letter, &Matcher::number, &Matcher::other}) {
            const size_t j = is(i, ' ') && (this->*cls)(i + 1) ? i + 1 : i;
            if ((this->*cls)(j)) return run(j, [&](size_t k) { return (this->*cls)(k); });
        }
        return trailingSpaces(i);
    }

    SplitRegex m_regex;
    const std::vector<char32_t>& m_cp;
    size_t m_n;
};

bool whiteSpaceAt(std::string_view s, size_t pos, size_t& len) {
    size_t next = pos;
    const char32_t c = nextCodePoint(s, next);
    len = next - pos;
    return unicode::isWhiteSpace(c);
}

// Start of the run of white space that ends at `end`: the regex \s*$ on s[0, end).
size_t whiteSpaceRunBefore(std::string_view s, size_t end) {
    size_t start = end;
    while (start > 0) {
        size_t begin = start - 1;
        while (begin > 0 && (static_cast<unsigned char>(s[begin]) & 0xC0) == 0x80)
            --begin;
        size_t len;
        if (!whiteSpaceAt(s, begin, len)) break;
        start = begin;
    }
    return start;
}

} // namespace

AddedTokenMatcher::AddedTokenMatcher(std::vector<const AddedToken*> tokens) {
    // tokenizers lists the special tokens first, then the others; among equal patterns the first listed wins.
    std::stable_partition(tokens.begin(), tokens.end(), [](const AddedToken* t) { return t->special; });
    for (const AddedToken* t : tokens)
        m_byFirstByte[static_cast<unsigned char>(t->pattern[0])].push_back(t);
    for (auto& list : m_byFirstByte)
        std::stable_sort(list.begin(), list.end(),
                         [](auto* a, auto* b) { return a->pattern.size() > b->pattern.size(); });
    m_empty = tokens.empty();
}

const AddedToken* AddedTokenMatcher::longestAt(std::string_view text, size_t pos) const {
    for (const AddedToken* t : m_byFirstByte[static_cast<unsigned char>(text[pos])])
        if (text.compare(pos, t->pattern.size(), t->pattern) == 0) return t;
    return nullptr;
}

std::vector<TextPiece> AddedTokenMatcher::split(TextPiece piece) const {
    std::vector<TextPiece> out;
    const std::string_view text = piece.text;
    if (text.empty()) return out;
    if (m_empty) {
        out.push_back(std::move(piece));
        return out;
    }
    size_t startOffset = 0;
    for (size_t pos = 0; pos < text.size();) {
        const AddedToken* token = longestAt(text, pos);
        if (!token) {
            ++pos;
            continue;
        }
        size_t start = pos, stop = pos + token->pattern.size();
        pos = stop; // the search resumes after the match itself, whatever rstrip takes
        if (token->lstrip) start = std::max(whiteSpaceRunBefore(text, start), startOffset);
        if (token->rstrip)
            for (size_t len; stop < text.size() && whiteSpaceAt(text, stop, len);)
                stop += len;
        if (startOffset < start) out.push_back(slice(piece, startOffset, start));
        out.push_back(slice(piece, start, stop));
        out.back().addedId = token->id;
        startOffset = stop;
    }
    if (startOffset == 0) out.push_back(std::move(piece));  // no match: the piece as it is, not a copy
    else if (startOffset < text.size()) out.push_back(slice(piece, startOffset, text.size()));
    return out;
}

TextPiece wholeInput(std::string_view utf8) {
    TextPiece piece{std::string(utf8), {}, -1};
    piece.spans.reserve(utf8.size());
    for (size_t pos = 0; pos < utf8.size();) {
        const size_t len = sequenceLength(static_cast<unsigned char>(utf8[pos]));
        for (size_t k = 0; k < len; ++k) piece.spans.push_back({pos, pos + len});  // (insert's fill is slower for 1)
        pos += len;
    }
    return piece;
}

TextPiece slice(const TextPiece& piece, size_t begin, size_t end) {
    return {piece.text.substr(begin, end - begin),
            std::vector<Span>(piece.spans.begin() + begin, piece.spans.begin() + end), -1};
}

void normalizeNfc(TextPiece& piece) {
    if (piece.text.empty()) return;
    // Fast path: text made only of characters that NFC leaves alone whatever surrounds them (below U+0300, where no
    // combining mark is; Hangul syllables; CJK unified ideographs: NFC_Quick_Check Yes, combining class 0, and never
    // the second of a canonical pair) is its own NFC and keeps its alignments. Most chat text is; checking it costs a
    // fraction of decomposing and recomposing every character.
    const auto unchanged = [](std::string_view text) {
        for (size_t pos = 0; pos < text.size();) {
            const auto lead = static_cast<unsigned char>(text[pos]);
            if (lead < 0x80) {
                ++pos;
                continue;
            }
            const size_t len = sequenceLength(lead);
            if (pos + len > text.size()) return false;
            char32_t cp = lead & (len == 2 ? 0x1F : len == 3 ? 0x0F : 0x07);
            for (size_t k = 1; k < len; ++k) cp = (cp << 6) | (static_cast<unsigned char>(text[pos + k]) & 0x3F);
            if (!(cp < 0x300 || (cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0x4E00 && cp <= 0x9FFF))) return false;
            pos += len;
        }
        return true;
    };
    if (unchanged(piece.text)) return;
    transform(piece, recompose(decomposeCanonical(piece.text)));
}

void appendMapped(const TextPiece& piece, size_t begin, size_t end, std::string& text, std::vector<Span>& spans) {
    const ByteMap& map = byteMap();
    // As transform() with changes 0, 1, 1, ...: the first stand-in takes the character's first byte's
    // alignment, the others its last byte's.
    for (size_t pos = begin; pos < end;) {
        const size_t len = sequenceLength(static_cast<unsigned char>(piece.text[pos]));
        for (size_t k = 0; k < len; ++k) {
            const std::string& s = map.standIn[static_cast<unsigned char>(piece.text[pos + k])];
            text += s;
            const Span span = piece.spans[k == 0 ? pos : pos + len - 1];
            for (size_t b = 0; b < s.size(); ++b) spans.push_back(span);
        }
        pos += len;
    }
}

void mapBytes(TextPiece& piece) {
    std::string text;
    std::vector<Span> spans;
    text.reserve(piece.text.size() * 2);
    spans.reserve(piece.text.size() * 2);
    appendMapped(piece, 0, piece.text.size(), text, spans);
    piece.text = std::move(text);
    piece.spans = std::move(spans);
}

std::optional<SplitRegex> recognizeSplitRegex(std::string_view pattern) {
    if (pattern == kLlama3Pattern) return SplitRegex::Llama3;
    if (pattern == kQwen2Pattern) return SplitRegex::Qwen2;
    if (pattern == kGpt2Pattern) return SplitRegex::Gpt2;
    return std::nullopt;
}

std::vector<Span> findMatches(SplitRegex regex, std::string_view text) {
    std::vector<char32_t> cps;
    std::vector<size_t> at; // byte position of each code point, plus the end
    for (size_t pos = 0; pos < text.size();) {
        at.push_back(pos);
        cps.push_back(nextCodePoint(text, pos));
    }
    at.push_back(text.size());
    const Matcher matcher(regex, cps);
    std::vector<Span> matches;
    for (size_t i = 0; i < cps.size();) {
        const size_t end = matcher.matchAt(i);
        if (end > i) {
            matches.emplace_back(at[i], at[end]);
            i = end;
        } else {
            ++i;
        }
    }
    return matches;
}

void splitIsolated(std::string_view text, size_t base, SplitRegex regex, std::vector<Span>& out) {
    size_t prev = 0;
    for (const auto& [begin, end] : findMatches(regex, text)) {
        if (begin > prev) out.push_back({base + prev, base + begin});
        out.push_back({base + begin, base + end});
        prev = end;
    }
    if (prev < text.size()) out.push_back({base + prev, base + text.size()});
}

std::vector<TextPiece> splitIsolated(const TextPiece& piece, SplitRegex regex) {
    std::vector<Span> ranges;
    splitIsolated(piece.text, 0, regex, ranges);
    std::vector<TextPiece> out;
    out.reserve(ranges.size());
    for (const auto& [begin, end] : ranges) out.push_back(slice(piece, begin, end));
    return out;
}

std::string_view byteStandIn(unsigned char byte) {
    return byteMap().standIn[byte];
}

int standInByte(char32_t c) {
    return c < byteMap().byteOf.size() ? byteMap().byteOf[c] : -1;
}

size_t firstInvalidUtf8(std::string_view s) {
    for (size_t pos = 0; pos < s.size();) {
        bool valid;
        const size_t len = scanUtf8(s, pos, valid);
        if (!valid) return pos;
        pos += len;
    }
    return std::string_view::npos;
}

char32_t nextCodePoint(std::string_view s, size_t& pos) {
    const auto b = [&](size_t i) { return char32_t(static_cast<unsigned char>(s[i])); };
    const char32_t b0 = b(pos);
    const size_t len = sequenceLength(static_cast<unsigned char>(b0));
    char32_t c = len == 1 ? b0 : len == 2 ? (b0 & 0x1F) : len == 3 ? (b0 & 0x0F) : (b0 & 0x07);
    for (size_t k = 1; k < len; ++k)
        c = (c << 6) | (b(pos + k) & 0x3F);
    pos += len;
    return c;
}

void appendUtf8(std::string& out, char32_t c) {
    if (c < 0x80) {
        out += char(c);
    } else if (c < 0x800) {
        out += char(0xC0 | (c >> 6));
        out += char(0x80 | (c & 0x3F));
    } else if (c < 0x10000) {
        out += char(0xE0 | (c >> 12));
        out += char(0x80 | ((c >> 6) & 0x3F));
        out += char(0x80 | (c & 0x3F));
    } else {
        out += char(0xF0 | (c >> 18));
        out += char(0x80 | ((c >> 12) & 0x3F));
        out += char(0x80 | ((c >> 6) & 0x3F));
        out += char(0x80 | (c & 0x3F));
    }
}

std::string decodeUtf8Lossy(std::string_view bytes) {
    std::string out;
    out.reserve(bytes.size());
    for (size_t pos = 0; pos < bytes.size();) {
        bool valid;
        const size_t len = scanUtf8(bytes, pos, valid);
        if (valid)
            out.append(bytes.substr(pos, len));
        else
            out += "\xEF\xBF\xBD";
        pos += len;
    }
    return out;
}

} // namespace ft::bpe
