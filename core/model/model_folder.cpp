#include "core/model/model_folder.h"

#include "core/common/error.h"
#include "core/io/atomic_file.h"
#include "core/io/json_file.h"
#include "core/model/gguf_import.h"
#include "core/text/bpe_tokenizer.h"
#include "core/text/tokenizer.h"

#include <algorithm>
#include <nlohmann/json.hpp>

namespace fs = std::filesystem;

namespace ft {

namespace {

// tokenizer_config.json holds tokens either as "<s>" or as {"content": "<s>", ...}.
std::optional<std::string> tokenString(const nlohmann::json& j, const char* key) {
    if (!j.contains(key) || j[key].is_null()) return std::nullopt;
    if (j[key].is_string()) return j[key].get<std::string>();
    if (j[key].is_object() && j[key].contains("content")) return j[key]["content"].get<std::string>();
    return std::nullopt;
}

} // namespace

std::vector<fs::path> modelWeightFiles(const fs::path& path) {
    const fs::path dir = modelFolderFor(path);
    const auto single = dir / "model.safetensors";
    if (fs::exists(single)) return {single};
    const auto index = dir / "model.safetensors.index.json";
    if (!fs::exists(index))
        throw Error(ErrorCode::FileNotFound, single.string(), "no model.safetensors or model.safetensors.index.json");
    const nlohmann::json j = readJsonFile(index);
    if (!j.contains("weight_map") || !j["weight_map"].is_object())
        throw Error(ErrorCode::MissingField, index.string() + ": weight_map", "");
    std::vector<fs::path> files;
    for (const auto& [name, file] : j["weight_map"].items()) {
        if (!file.is_string()) throw Error(ErrorCode::InvalidValue, index.string() + ": weight_map." + name, "not a file name");
        const fs::path rel = file.get<std::string>();
        if (rel.is_absolute() || rel.lexically_normal().string().starts_with(".."))
            throw Error(ErrorCode::InvalidValue, index.string() + ": weight_map." + name, "shard path leaves the folder");
        const auto p = dir / rel;
        if (std::find(files.begin(), files.end(), p) == files.end()) files.push_back(p);
    }
    return files;
}

ModelFolder openModelFolder(const fs::path& path) {
    const fs::path dir = modelFolderFor(path);  // a .gguf file opens as the folder it imports to
    if (!fs::is_directory(dir)) throw Error(ErrorCode::FileNotFound, dir.string(), "not a folder");
    ModelFolder f;
    f.dir = dir;
    if (const fs::path source = dir / "gguf_source.json"; fs::exists(source)) {
        const nlohmann::json j = readJsonFile(source);
        f.ggufFile = j.value("gguf", std::string());
        f.ggufStoredAs = j.value("stored_as", std::string());
        f.ggufBitsPerWeight = j.value("bits_per_weight", 0.0);
    }
    f.config = loadModelConfig(dir / "config.json");
    f.tokenizerFile = dir / "tokenizer.model";
    const fs::path tc = dir / "tokenizer_config.json";
    if (fs::exists(tc)) {
        const nlohmann::json j = readJsonFile(tc);
        f.bosToken = tokenString(j, "bos_token");
        f.eosToken = tokenString(j, "eos_token");
        f.padToken = tokenString(j, "pad_token");
        f.unkToken = tokenString(j, "unk_token");
        // Read for tokenizer.model folders only (below); transformers 5 keeps a tokenizer.json's post-processor.
        if (j.contains("add_bos_token") && j["add_bos_token"].is_boolean()) f.addBosToken = j["add_bos_token"];
        if (j.contains("add_eos_token") && j["add_eos_token"].is_boolean()) f.addEosToken = j["add_eos_token"];
        if (j.contains("chat_template")) {
            const auto& ct = j["chat_template"];
            if (ct.is_string()) {
                f.chatTemplate = ct.get<std::string>();
            } else if (ct.is_array()) {  // named templates: use "default"
                for (const auto& t : ct)
                    if (t.value("name", "") == "default") f.chatTemplate = t.value("template", "");
            }
        }
        if (j.contains("added_tokens_decoder") && j["added_tokens_decoder"].is_object()) {
            for (const auto& [id, tok] : j["added_tokens_decoder"].items())
                f.specialTokens.push_back({tok.value("content", ""), std::stoi(id)});
        }
    }
    f.generation.eosTokenIds = f.config.eosTokenIds;
    const fs::path gc = dir / "generation_config.json";
    if (fs::exists(gc)) {
        const nlohmann::json j = readJsonFile(gc);
        auto number = [&](const char* key, double fallback) {
            if (!j.contains(key) || j[key].is_null()) return fallback;
            if (!j[key].is_number()) throw Error(ErrorCode::InvalidValue, gc.string() + ": " + key, j[key].dump());
            return j[key].get<double>();
        };
        f.generation.doSample = j.value("do_sample", false);
        f.generation.temperature = number("temperature", 1.0);
        f.generation.topP = number("top_p", 1.0);
        f.generation.topK = int(number("top_k", 0));
        f.generation.repetitionPenalty = number("repetition_penalty", 1.0);
        if (j.contains("max_new_tokens") && j["max_new_tokens"].is_number_integer()) f.generation.maxNewTokens = j["max_new_tokens"];
        auto addEos = [&](int id) {
            if (std::find(f.generation.eosTokenIds.begin(), f.generation.eosTokenIds.end(), id) == f.generation.eosTokenIds.end())
                f.generation.eosTokenIds.push_back(id);
        };
        if (j.contains("eos_token_id")) {
            if (j["eos_token_id"].is_array())
                for (const auto& id : j["eos_token_id"]) addEos(id.get<int>());
            else if (j["eos_token_id"].is_number_integer())
                addEos(j["eos_token_id"].get<int>());
        }
    }
    const fs::path ct = dir / "chat_template.jinja";  // newer transformers keep it beside the config
    if (f.chatTemplate.empty() && fs::exists(ct)) f.chatTemplate = readFile(ct);
    // SentencePiece models keep tokenizer.model (their tokenizer.json is a conversion); byte-level BPE models
    // (Llama 3, Qwen) have only tokenizer.json.
    if (!fs::exists(f.tokenizerFile)) f.tokenizerFile = dir / "tokenizer.json";
    if (!fs::exists(f.tokenizerFile))
        throw Error(ErrorCode::FileNotFound, (dir / "tokenizer.model").string(), "this folder has no tokenizer.model or tokenizer.json");
    if (f.tokenizerFile.extension() == ".json") {
        const SpecialTokensAround around = specialTokensAround(f.tokenizerFile);
        f.addBosToken = !around.prefix.empty();
        f.addEosToken = !around.suffix.empty();
    }
    return f;
}

ModelTokenizer::ModelTokenizer(const ModelFolder& folder)
    : m_tokenizer(folder.tokenizerFile.extension() == ".json" ? loadTokenizerJson(folder.tokenizerFile)
                                                              : loadSentencePiece(folder.tokenizerFile)) {
    m_specials = folder.specialTokens;
    auto addSpecial = [&](const std::optional<std::string>& s) {
        if (!s || s->empty()) return -1;
        const int id = m_tokenizer->pieceToId(*s);
        if (id < 0) return -1;
        if (std::none_of(m_specials.begin(), m_specials.end(), [&](const SpecialToken& t) { return t.content == *s; }))
            m_specials.push_back({*s, id});
        return id;
    };
    m_bosId = addSpecial(folder.bosToken);
    m_eosId = addSpecial(folder.eosToken);
    m_padId = addSpecial(folder.padToken);
    addSpecial(folder.unkToken);
    if (m_bosId < 0) m_bosId = m_tokenizer->bosId();
    if (m_eosId < 0) m_eosId = m_tokenizer->eosId();
    if (folder.tokenizerFile.extension() == ".json") {
        // The post-processor's tokens, which tokenizer(text) adds even where tokenizer_config names another bos.
        m_prefix = m_tokenizer->specialPrefix();
        m_suffix = m_tokenizer->specialSuffix();
        if (m_prefix.size() == 1) m_bosId = m_prefix.front();
        if (m_suffix.size() == 1) m_eosId = m_suffix.front();
    } else {
        if (folder.addBosToken && m_bosId >= 0) m_prefix = {m_bosId};
        if (folder.addEosToken && m_eosId >= 0) m_suffix = {m_eosId};
    }
    // Longest first, so "<|im_start|>" wins over a shorter special that is its prefix.
    std::sort(m_specials.begin(), m_specials.end(),
              [](const SpecialToken& a, const SpecialToken& b) { return a.content.size() > b.content.size(); });
}

ModelTokenizer::~ModelTokenizer() = default;

std::vector<int> ModelTokenizer::encodeWithSpecialTokens(const std::string& text) const {
    std::vector<int> ids = m_prefix;
    const Encoding enc = encode(text);
    ids.insert(ids.end(), enc.ids.begin(), enc.ids.end());
    ids.insert(ids.end(), m_suffix.begin(), m_suffix.end());
    return ids;
}

Encoding ModelTokenizer::encode(const std::string& text) const {
    Encoding out;
    auto appendPlain = [&](size_t begin, size_t end) {
        if (begin >= end) return;
        Encoding e = m_tokenizer->encodeSegment(std::string_view(text).substr(begin, end - begin), begin == 0);
        for (size_t i = 0; i < e.ids.size(); ++i) {
            out.ids.push_back(e.ids[i]);
            out.pieces.push_back(std::move(e.pieces[i]));
            out.offsets.emplace_back(begin + e.offsets[i].first, begin + e.offsets[i].second);
        }
    };
    // The bytes a special token can start with: elsewhere none is tried (most of a text; each try is a compare per
    // special token, and models carry dozens).
    bool starts[256] = {};
    for (const auto& s : m_specials)
        if (!s.content.empty()) starts[static_cast<unsigned char>(s.content[0])] = true;
    size_t plainStart = 0, pos = 0;
    while (pos < text.size()) {
        if (!starts[static_cast<unsigned char>(text[pos])]) {
            ++pos;
            continue;
        }
        const SpecialToken* hit = nullptr;
        for (const auto& s : m_specials)
            if (!s.content.empty() && text.compare(pos, s.content.size(), s.content) == 0) {
                hit = &s;
                break;
            }
        if (!hit) {
            ++pos;
            continue;
        }
        appendPlain(plainStart, pos);
        out.ids.push_back(hit->id);
        out.pieces.push_back(hit->content);
        out.offsets.emplace_back(pos, pos + hit->content.size());
        pos += hit->content.size();
        plainStart = pos;
    }
    appendPlain(plainStart, text.size());
    return out;
}

std::string ModelTokenizer::decode(const std::vector<int>& ids) const {
    if (!m_tokenizer->decodeDropsControlTokens()) return m_tokenizer->decode(ids);
    // SentencePiece drops special tokens and the leading space of what it decodes; transformers' decode keeps the
    // special tokens' text and drops only the text's very first space. Decode the runs between specials apart.
    std::string out;
    for (size_t i = 0; i < ids.size();) {
        const auto special = std::find_if(m_specials.begin(), m_specials.end(),
                                          [&](const SpecialToken& s) { return s.id == ids[i]; });
        if (special != m_specials.end()) {
            out += special->content;
            ++i;
            continue;
        }
        size_t j = i;
        while (j < ids.size() && std::none_of(m_specials.begin(), m_specials.end(),
                                              [&](const SpecialToken& s) { return s.id == ids[j]; }))
            ++j;
        const std::vector<int> run(ids.begin() + i, ids.begin() + j);
        std::string text = m_tokenizer->decode(run);
        if (i > 0 && m_tokenizer->decodeDropsLeadingSpace() && m_tokenizer->idToPiece(run.front()).starts_with("\xE2\x96\x81")) text.insert(0, " ");
        out += text;
        i = j;
    }
    return out;
}

} // namespace ft
