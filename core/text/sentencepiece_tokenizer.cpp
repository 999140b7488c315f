#include "core/common/error.h"
#include "core/io/atomic_file.h"
#include "core/text/tokenizer.h"

#include <sentencepiece_processor.h>
#include <sentencepiece_trainer.h>

#include <sstream>

namespace ft {

namespace {

class SentencePieceTokenizer final : public Tokenizer {
public:
    explicit SentencePieceTokenizer(const std::filesystem::path& file) {
        const auto status = m_sp.Load(file.string());
        if (!status.ok())
            throw Error(std::filesystem::exists(file) ? ErrorCode::ParseError : ErrorCode::FileNotFound, file.string(),
                        status.ToString());
    }

    Encoding encode(std::string_view text) const override {
        const auto spt = m_sp.EncodeAsImmutableProto(absl::string_view(text.data(), text.size()));
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
