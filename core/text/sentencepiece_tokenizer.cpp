#include "core/common/error.h"
#include "core/io/atomic_file.h"
#include "core/text/tokenizer.h"

#include <sentencepiece_processor.h>
#include <sentencepiece_trainer.h>

#include <memory>
#include <optional>
#include <sstream>
#include <utility>

namespace ft {

namespace {

// --- just enough of the protobuf wire format to flip NormalizerSpec.add_dummy_prefix in a ModelProto ---

bool readVarint(std::string_view b, size_t& i, uint64_t& v) {
    v = 0;
    for (int shift = 0; i < b.size() && shift < 64; shift += 7) {
        const auto c = static_cast<unsigned char>(b[i++]);
        v |= uint64_t(c & 0x7F) << shift;
        if (!(c & 0x80)) return true;
    }
    return false;
}

void writeVarint(std::string& out, uint64_t v) {
    while (v >= 0x80) {
        out += char((v & 0x7F) | 0x80);
        v >>= 7;
    }
    out += char(v);
}

// Calls field(number, wireType, whole field bytes, payload) for each top-level field; false when malformed.
template <typename F>
bool forEachField(std::string_view b, F field) {
    for (size_t i = 0; i < b.size();) {
        const size_t start = i;
        uint64_t key = 0, len = 0;
        if (!readVarint(b, i, key)) return false;
        const int wire = int(key & 7);
        size_t payload = i;
        if (wire == 0) {
            if (!readVarint(b, i, len)) return false;
        } else if (wire == 1 || wire == 5) {
            i += wire == 1 ? 8 : 4;
        } else if (wire == 2) {
            if (!readVarint(b, i, len) || len > b.size() - i) return false;
            payload = i;
            i += len;
        } else {
            return false;
        }
        if (i > b.size()) return false;
        field(int(key >> 3), wire, b.substr(start, i - start), b.substr(payload, i - payload));
    }
    return true;
}

// The model with add_dummy_prefix off, and whether it was on (its default is on); nullopt if it cannot be read.
std::optional<std::pair<std::string, bool>> withoutDummyPrefix(std::string_view model) {
    std::string out;
    bool dummy = true, seenNormalizer = false;
    const bool ok = forEachField(model, [&](int number, int wire, std::string_view whole, std::string_view payload) {
        if (number != 3 || wire != 2) {
            out += whole;
            return;
        }
        seenNormalizer = true;
        std::string spec;
        forEachField(payload, [&](int n, int w, std::string_view f, std::string_view p) {
            if (n == 3 && w == 0) {
                size_t i = 0;
                uint64_t v = 1;
                readVarint(p, i, v);
                dummy = v != 0;
            } else {
                spec += f;
            }
        });
        spec += char(3 << 3);  // add_dummy_prefix = false
        spec += char(0);
        out += char(3 << 3 | 2);
        writeVarint(out, spec.size());
        out += spec;
    });
    if (!ok || !seenNormalizer) return std::nullopt;
    return std::pair{out, dummy};
}

class SentencePieceTokenizer final : public Tokenizer {
public:
    explicit SentencePieceTokenizer(const std::filesystem::path& file) {
        const auto status = m_sp.Load(file.string());
        if (!status.ok())
            throw Error(std::filesystem::exists(file) ? ErrorCode::ParseError : ErrorCode::FileNotFound, file.string(),
                        status.ToString());
        if (const auto patched = withoutDummyPrefix(m_sp.serialized_model_proto()); patched && patched->second) {
            m_noPrefix = std::make_unique<sentencepiece::SentencePieceProcessor>();
            if (!m_noPrefix->LoadFromSerializedProto(patched->first).ok()) m_noPrefix.reset();
        }
    }

    Encoding encode(std::string_view text) const override { return encodeWith(m_sp, text); }

    Encoding encodeSegment(std::string_view text, bool atStart) const override {
        const bool prefixed = atStart && !text.starts_with(' ');
        return encodeWith(m_noPrefix && !prefixed ? *m_noPrefix : m_sp, text);
    }

    bool decodeDropsLeadingSpace() const override { return m_noPrefix != nullptr; }
    bool decodeDropsControlTokens() const override { return true; }

    static Encoding encodeWith(const sentencepiece::SentencePieceProcessor& sp, std::string_view text) {
        const auto spt = sp.EncodeAsImmutableProto(absl::string_view(text.data(), text.size()));
        Encoding out;
        for (const auto& p : spt.pieces()) {
            out.ids.push_back(static_cast<int>(p.id()));
            out.pieces.push_back(std::string(p.piece()));
            out.offsets.emplace_back(p.begin(), p.end());
        }
        return out;
    }

    std::string decode(const std::vector<int>& ids) const override {
        std::string text;
        const auto status = m_sp.Decode(ids, &text);
        if (!status.ok()) throw Error(ErrorCode::InvalidValue, "sentencepiece", status.ToString());
        return text;
    }

    int vocabSize() const override { return m_sp.GetPieceSize(); }
    std::string idToPiece(int id) const override { return m_sp.IdToPiece(id); }
    int pieceToId(std::string_view piece) const override {
        const int id = m_sp.PieceToId(absl::string_view(piece.data(), piece.size()));
        return (id == m_sp.unk_id() && piece != m_sp.IdToPiece(id)) ? -1 : id;
    }
    int bosId() const override { return m_sp.bos_id(); }
    int eosId() const override { return m_sp.eos_id(); }
    int unkId() const override { return m_sp.unk_id(); }

private:
    sentencepiece::SentencePieceProcessor m_sp;
    std::unique_ptr<sentencepiece::SentencePieceProcessor> m_noPrefix; // the model without its dummy prefix
};

} // namespace

std::unique_ptr<Tokenizer> loadSentencePiece(const std::filesystem::path& modelFile) {
    return std::make_unique<SentencePieceTokenizer>(modelFile);
}

void trainSentencePiece(const std::string& text, const std::filesystem::path& modelFile, int vocabSize,
                        const std::vector<std::string>& userSymbols) {
    // Llama-style settings: BPE, byte fallback, split digits, identity normalization, no extra-whitespace folding.
    std::ostringstream args;
    args << "--model_type=bpe --vocab_size=" << vocabSize << " --character_coverage=1.0 --byte_fallback=true"
         << " --split_digits=true --normalization_rule_name=identity --remove_extra_whitespaces=false"
         << " --add_dummy_prefix=true --unk_id=0 --bos_id=1 --eos_id=2 --pad_id=-1 --num_threads=1"
         << " --hard_vocab_limit=false --minloglevel=2 --shuffle_input_sentence=false";
    if (!userSymbols.empty()) {
        args << " --user_defined_symbols=";
        for (size_t i = 0; i < userSymbols.size(); ++i) args << (i ? "," : "") << userSymbols[i];
    }
    std::istringstream in(text);
    std::vector<std::string> sentences;
    for (std::string line; std::getline(in, line);)
        if (!line.empty()) sentences.push_back(line);

    class Iterator : public sentencepiece::SentenceIterator {
    public:
        explicit Iterator(const std::vector<std::string>& s) : m_s(s) {}
        bool done() const override { return m_i >= m_s.size(); }
        void Next() override { ++m_i; }
        const std::string& value() const override { return m_s[m_i]; }
        sentencepiece::util::Status status() const override { return {}; }

    private:
        const std::vector<std::string>& m_s;
        size_t m_i = 0;
    } it(sentences);

    std::string serialized;
    const auto status = sentencepiece::SentencePieceTrainer::Train(args.str(), &it, &serialized);
    if (!status.ok()) throw Error(ErrorCode::Internal, modelFile.string(), "SentencePiece training: " + status.ToString());
    writeFileAtomic(modelFile, serialized);
}

} // namespace ft
