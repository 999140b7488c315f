#pragma once
// Tokenizers behind one interface: SentencePiece models today, byte-level BPE (tokenizer.json) next.

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace ft {

struct Encoding {
    std::vector<int> ids;
    std::vector<std::string> pieces;
    // Byte span [begin, end) of each token in the input text; lets the SFT encoder find the assistant's tokens.
    std::vector<std::pair<size_t, size_t>> offsets;
};

class Tokenizer {
public:
    virtual ~Tokenizer() = default;
    // Exactly the library's encode of `text`: no BOS/EOS added.
    virtual Encoding encode(std::string_view text) const = 0;
    // A piece of a longer text split at special tokens, as transformers' fast tokenizer encodes it: SentencePiece
    // models there prepend "▁" (Metaspace, prepend_scheme "first") only to the piece at the text's start, and not
    // when it already starts with a space. Others encode every piece alike.
    virtual Encoding encodeSegment(std::string_view text, bool atStart) const { return encode(text); }
    virtual std::string decode(const std::vector<int>& ids) const = 0;
    // Whether decode() drops the space of a leading "▁" (SentencePiece's dummy prefix): a run decoded after a
    // special token then lost a space transformers keeps.
    virtual bool decodeDropsLeadingSpace() const { return false; }
    // Whether decode() leaves control tokens (<s>, </s>) out, as SentencePiece does and transformers does not.
    virtual bool decodeDropsControlTokens() const { return false; }
    virtual int vocabSize() const = 0;
    virtual std::string idToPiece(int id) const = 0;
    virtual int pieceToId(std::string_view piece) const = 0;  // -1 when unknown
    virtual int bosId() const = 0;
    virtual int eosId() const = 0;
    virtual int unkId() const = 0;
    // The special tokens `tokenizer(text)` puts around the text: a tokenizer.json's post-processor's. A SentencePiece
    // model has none of its own (its folder's tokenizer_config.json decides: ModelTokenizer).
    virtual std::vector<int> specialPrefix() const { return {}; }
    virtual std::vector<int> specialSuffix() const { return {}; }
};

std::unique_ptr<Tokenizer> loadSentencePiece(const std::filesystem::path& modelFile);

// Trains a BPE SentencePiece model on `text` (one sentence a line), deterministically (one thread, fixed seed).
// `userSymbols` are kept whole (chat-template markers like <|im_start|>).
void trainSentencePiece(const std::string& text, const std::filesystem::path& modelFile, int vocabSize,
                        const std::vector<std::string>& userSymbols);

} // namespace ft
