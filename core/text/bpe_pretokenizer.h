#pragma once
// The text side of byte-level BPE, step for step as Hugging Face `tokenizers` does it: pieces of the input
// that remember which input bytes each of their bytes came from (its NormalizedString "alignments"), NFC, the
// pre-tokenizer regexes of Llama 3, Qwen2 and GPT-2, and GPT-2's byte-to-printable-character map.

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ft::bpe {

using Span = std::pair<size_t, size_t>; // [begin, end) bytes

struct TextPiece {
    std::string text;        // UTF-8, after the transformations applied so far
    std::vector<Span> spans; // one per byte of text: the input character it came from
    int addedId = -1;        // >= 0: an added token matched whole; never normalized, split or merged

    // The input bytes behind text[begin, end), begin < end: how tokenizers turns token offsets into input
    // offsets.
    Span inputSpan(size_t begin, size_t end) const { return {spans[begin].first, spans[end - 1].second}; }
};

TextPiece wholeInput(std::string_view utf8); // valid UTF-8 only
TextPiece slice(const TextPiece& piece, size_t begin, size_t end);

void normalizeNfc(TextPiece& piece);
void mapBytes(TextPiece& piece); // ByteLevel: each byte becomes its printable stand-in
// mapBytes of piece.text[begin, end) (whole characters), appended to `text` and `spans` (no allocation once they
// have grown: the encoder's per-word path).
void appendMapped(const TextPiece& piece, size_t begin, size_t end, std::string& text, std::vector<Span>& spans);

// An entry of added_tokens: found whole in the text before pre-tokenization and never split.
struct AddedToken {
    std::string content;
    int id = -1;
    bool special = false, lstrip = false, rstrip = false;
    std::string pattern; // what is searched for: the content, normalized when the token is `normalized`
};

// The added tokens searched for at one stage (in the raw text, or after normalization), leftmost-longest as
// tokenizers' Aho-Corasick automaton finds them.
class AddedTokenMatcher {
  public:
    AddedTokenMatcher() = default;
    explicit AddedTokenMatcher(
        std::vector<const AddedToken*> tokens); // in file order; they must outlive this

    // AddedVocabulary::find_matches + split_with_indices: each match, widened over the white space around it
    // by lstrip / rstrip, becomes a piece with addedId set; the stretches between them stay. Empty pieces go.
    std::vector<TextPiece> split(TextPiece piece) const;

  private:
    const AddedToken* longestAt(std::string_view text, size_t pos) const;

    bool m_empty = true;
    std::array<std::vector<const AddedToken*>, 256> m_byFirstByte; // longest first
};

// The Split / ByteLevel regexes we match by hand; any other pattern is refused by the loader.
enum class SplitRegex { Llama3, Qwen2, Gpt2 };
std::optional<SplitRegex> recognizeSplitRegex(std::string_view pattern);
// Byte spans of the successive non-overlapping matches of `regex` in `text`, as Oniguruma's find_iter gives
// them.
std::vector<Span> findMatches(SplitRegex regex, std::string_view text);
// SplitDelimiterBehavior::Isolated: each match and each stretch between matches becomes a piece; empty ones
// go.
std::vector<TextPiece> splitIsolated(const TextPiece& piece, SplitRegex regex);
// The same as ranges: text's stretches, offset by `base`, appended to `out`.
void splitIsolated(std::string_view text, size_t base, SplitRegex regex, std::vector<Span>& out);

std::string_view byteStandIn(unsigned char byte); // UTF-8 of GPT-2's bytes_to_unicode()[byte]
int standInByte(char32_t c);                      // its inverse; -1 for characters that stand for no byte

// UTF-8
size_t firstInvalidUtf8(std::string_view s);             // std::string_view::npos when valid
char32_t nextCodePoint(std::string_view s, size_t& pos); // valid UTF-8 only; advances pos
void appendUtf8(std::string& out, char32_t c);
// Invalid sequences become U+FFFD, one per maximal invalid subpart (Rust's from_utf8_lossy, Python's
// "replace").
std::string decodeUtf8Lossy(std::string_view bytes);

} // namespace ft::bpe
