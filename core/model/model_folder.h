#pragma once
// A Hugging Face model folder: config.json, weights, tokenizer and tokenizer_config.json.

#include "core/model/generation.h"
#include "core/model/model_config.h"

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace ft {

class Tokenizer;
struct Encoding;

struct SpecialToken {
    std::string content;
    int id = -1;
};

struct ModelFolder {
    std::filesystem::path dir;
    ModelConfig config;
    std::string chatTemplate;                 // empty when the folder has none
    std::optional<std::string> bosToken, eosToken, padToken, unkToken;
    // Whether `tokenizer(text)` puts BOS / EOS around the text, as transformers 5 decides it: for a tokenizer.json
    // folder its post_processor (TemplateProcessing, Roberta/BertProcessing, a Sequence; ByteLevel or null add
    // nothing; tokenizer_config's add_bos_token is not read there), for a tokenizer.model folder tokenizer_config's
    // add_bos_token / add_eos_token, each false when absent (tests/data/make_bos_fixtures.py records both).
    bool addBosToken = false;
    bool addEosToken = false;
    std::vector<SpecialToken> specialTokens;  // matched whole in text, as transformers' added-token trie does
    std::filesystem::path tokenizerFile;      // tokenizer.model, else tokenizer.json
    // generation_config.json: sampling defaults and the eos ids (config.json's and its own, merged).
    GenerationOptions generation;
    // A folder imported from a GGUF file (model/gguf_import): that file, and the type its weights were stored in.
    std::filesystem::path ggufFile;
    std::string ggufStoredAs;
    double ggufBitsPerWeight = 0;  // of its matrices, as stored in the file
};

// `dir` may also be a .gguf file: it opens as the folder it is imported to (modelFolderFor), which `dir` then names.
ModelFolder openModelFolder(const std::filesystem::path& dir);

// The folder's weight files: model.safetensors, or the shards named by model.safetensors.index.json (each once;
// shard paths that leave the folder are refused).
std::vector<std::filesystem::path> modelWeightFiles(const std::filesystem::path& dir);

// The folder's tokenizer with its rules: special-token strings in the text become their ids; the text between
// them goes through the tokenizer. No BOS/EOS is added here (callers add them when the folder says so).
class ModelTokenizer {
public:
    explicit ModelTokenizer(const ModelFolder& folder);
    ~ModelTokenizer();
    Encoding encode(const std::string& text) const;
    std::string decode(const std::vector<int>& ids) const;
    // transformers' tokenizer(text)["input_ids"]: encode() with the special tokens the folder adds around it.
    std::vector<int> encodeWithSpecialTokens(const std::string& text) const;
    const std::vector<int>& specialPrefix() const { return m_prefix; }
    const std::vector<int>& specialSuffix() const { return m_suffix; }
    const Tokenizer& base() const { return *m_tokenizer; }
    int bosId() const { return m_bosId; }
    int eosId() const { return m_eosId; }
    int padId() const { return m_padId; }

private:
    std::unique_ptr<Tokenizer> m_tokenizer;
    std::vector<SpecialToken> m_specials;
    int m_bosId = -1, m_eosId = -1, m_padId = -1;
    std::vector<int> m_prefix, m_suffix;
};

} // namespace ft
