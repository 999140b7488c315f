#include "core/text/bpe_tokenizer.h"

#include "core/common/error.h"
#include "core/io/json_error.h"
#include "core/text/bpe_pretokenizer.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <fstream>
#include <iterator>
#include <mutex>
#include <optional>
#include <queue>
#include <unordered_map>

namespace ft {

namespace {

using Json = nlohmann::json;
using bpe::TextPiece;

std::string join(const std::string& path, std::string_view key) {
    return path.empty() ? std::string(key) : path + "." + std::string(key);
}
std::string item(const std::string& path, size_t i) {
    return path + "[" + std::to_string(i) + "]";
}

// Reads tokenizer.json fields; every error names the file and the field.
class Reader {
  public:
    explicit Reader(std::string where) : m_where(std::move(where)) {}

    [[noreturn]] void fail(ErrorCode code, const std::string& field, const std::string& detail) const {
        throw Error(code, m_where + ": " + field, detail);
    }
    const Json& at(const Json& obj, const std::string& path, const char* key) const {
        if (!obj.contains(key)) fail(ErrorCode::MissingField, join(path, key), "required field is missing");
        return obj[key];
    }
    const Json& object(const Json& obj, const std::string& path, const char* key) const {
        const Json& v = at(obj, path, key);
        if (!v.is_object())
            fail(ErrorCode::ParseError, join(path, key), "expected an object, found " + v.dump());
        return v;
    }
    const Json& array(const Json& obj, const std::string& path, const char* key) const {
        const Json& v = at(obj, path, key);
        if (!v.is_array()) fail(ErrorCode::ParseError, join(path, key), "expected an array");
        return v;
    }
    std::string string(const Json& obj, const std::string& path, const char* key) const {
        const Json& v = at(obj, path, key);
        if (!v.is_string())
            fail(ErrorCode::ParseError, join(path, key), "expected a string, found " + v.dump());
        return v.get<std::string>();
    }
    int integer(const Json& obj, const std::string& path, const char* key) const {
        const Json& v = at(obj, path, key);
        if (!v.is_number_unsigned() || v.get<uint64_t>() > uint64_t(INT32_MAX))
            fail(ErrorCode::ParseError, join(path, key), "expected a non-negative id, found " + v.dump());
        return v.get<int>();
    }
    // Absent fields take the default tokenizers gives them.
    bool flag(const Json& obj, const std::string& path, const char* key, bool absent) const {
        if (!obj.contains(key)) return absent;
        if (!obj[key].is_boolean()) fail(ErrorCode::ParseError, join(path, key), "expected true or false");
        return obj[key].get<bool>();
    }
    // The field must hold `wanted` (absent counts as `absent`): anything else asks for what we do not
    // implement.
    void require(const Json& obj, const std::string& path, const char* key, bool absent, bool wanted) const {
        if (flag(obj, path, key, absent) != wanted)
            fail(ErrorCode::Unsupported, join(path, key),
                 std::string(wanted ? "false" : "true") + " is not supported");
    }
    std::string type(const Json& obj, const std::string& path) const {
        if (!obj.is_object()) fail(ErrorCode::ParseError, path, "expected an object, found " + obj.dump());
        return string(obj, path, "type");
    }
    void onlyKeys(const Json& obj, const std::string& path,
                  std::initializer_list<std::string_view> keys) const {
        for (const auto& [key, value] : obj.items())
            if (std::find(keys.begin(), keys.end(), key) == keys.end())
                fail(ErrorCode::Unsupported, join(path, key), "unknown field");
    }

  private:
    std::string m_where;
};

struct PreTokenizerStep {
    bool split =
        false; // Split with `regex`; otherwise ByteLevel, splitting with GPT-2's regex when `regex` is set
    std::optional<bpe::SplitRegex> regex;
};

struct MergeRule {
    int rank;
    int newId;
};

class BpeTokenizer final : public Tokenizer {
  public:
    BpeTokenizer(const Json& j, const Reader& r);

    Encoding encode(std::string_view text) const override;
    std::string decode(const std::vector<int>& ids) const override;
    int vocabSize() const override { return m_vocabSize; }
    std::string idToPiece(int id) const override {
        if (const auto it = m_addedById.find(id); it != m_addedById.end()) return it->second->content;
        return (id >= 0 && id < int(m_pieces.size())) ? m_pieces[id] : std::string();
    }
    int pieceToId(std::string_view piece) const override {
        const std::string key(piece);
        if (const auto it = m_addedByContent.find(key); it != m_addedByContent.end()) return it->second->id;
        const auto it = m_vocab.find(key);
        return it == m_vocab.end() ? -1 : it->second;
    }
    int bosId() const override { return m_bosId; }
    int eosId() const override { return m_eosId; }
    int unkId() const override { return m_unkId; }
    std::vector<int> specialPrefix() const override { return m_around.prefix; }
    std::vector<int> specialSuffix() const override { return m_around.suffix; }

  private:
    void readModel(const Json& model, const Reader& r);
    void readAddedTokens(const Json& list, const Reader& r);
    void readNormalizer(const Json& j, const std::string& path, const Reader& r);
    void readPreTokenizer(const Json& j, const std::string& path, const Reader& r);
    void readPostProcessor(const Json& j, const std::string& path, const Reader& r);
    void readTemplate(const Json& j, const std::string& path, const Reader& r);
    void readDecoder(const Json& j, const Reader& r);

    std::vector<TextPiece> preTokenizePieces(std::vector<TextPiece> pieces) const;
    // Appends the word's tokens as (id, byte length).
    void tokenizeWord(const std::string& word, std::vector<std::pair<int, size_t>>& out) const;
    std::vector<std::pair<int, size_t>> mergeWord(const std::string& word) const;

    std::unordered_map<std::string, int> m_vocab;
    std::vector<std::string> m_pieces; // model vocabulary by id
    std::vector<bool> m_hasPiece;      // ids may have holes
    std::unordered_map<uint64_t, MergeRule> m_merges;
    bool m_ignoreMerges = false;
    bool m_fuseUnk = false;
    int m_unkId = -1;

    std::vector<bpe::AddedToken> m_added;
    std::unordered_map<std::string, const bpe::AddedToken*> m_addedByContent;
    std::unordered_map<int, const bpe::AddedToken*> m_addedById;
    bpe::AddedTokenMatcher m_rawAdded, m_normalizedAdded; // searched before / after normalization

    bool m_nfc = false;
    std::vector<PreTokenizerStep> m_preTokenizers;
    bool m_byteLevelDecoder = false;
    int m_bosId = -1, m_eosId = -1, m_vocabSize = 0;
    SpecialTokensAround m_around;   // what the post-processor puts around a single text

    // Words seen, with their tokens (tokenizers keeps 10,000; more only spares merging again, the tokens are the same).
    static constexpr size_t kCacheCapacity = 100000;
    mutable std::mutex m_cacheMutex;
    mutable std::unordered_map<std::string, std::vector<std::pair<int, size_t>>> m_cache;
};

uint64_t pairKey(int a, int b) {
    return (uint64_t(uint32_t(a)) << 32) | uint32_t(b);
}

BpeTokenizer::BpeTokenizer(const Json& j, const Reader& r) {
    if (!j.is_object()) r.fail(ErrorCode::ParseError, "(top level)", "expected a JSON object");
    r.onlyKeys(j, "",
               {"version", "truncation", "padding", "added_tokens", "normalizer", "pre_tokenizer",
                "post_processor", "decoder", "model"});
    if (j.contains("version") && j["version"] != "1.0")
        r.fail(ErrorCode::Unsupported, "version",
               "tokenizer.json version " + j["version"].dump() + " (1.0 is)");
    for (const char* key : {"truncation", "padding"})
        if (j.contains(key) && !j[key].is_null())
            r.fail(ErrorCode::Unsupported, key, "encode() never truncates or pads; set it to null");

    const Json& model = r.object(j, "", "model");
    readModel(model, r);
    if (j.contains("normalizer")) readNormalizer(j["normalizer"], "normalizer", r);
    if (j.contains("added_tokens")) readAddedTokens(r.array(j, "", "added_tokens"), r);
    if (j.contains("pre_tokenizer")) readPreTokenizer(j["pre_tokenizer"], "pre_tokenizer", r);
    if (j.contains("post_processor")) {
        readPostProcessor(j["post_processor"], "post_processor", r);
        m_around = specialTokensAround(j["post_processor"]);
    }
    if (j.contains("decoder")) readDecoder(j["decoder"], r);

    if (m_eosId < 0)
        for (const char* name : {"<|end_of_text|>", "<|endoftext|>"})
            if (const auto it = m_addedByContent.find(name);
                m_eosId < 0 && it != m_addedByContent.end() && it->second->special)
                m_eosId = it->second->id;
    m_vocabSize = int(m_pieces.size());
    for (const bpe::AddedToken& t : m_added)
        m_vocabSize = std::max(m_vocabSize, t.id + 1);
}

void BpeTokenizer::readModel(const Json& model, const Reader& r) {
    const std::string path = "model";
    if (const std::string type = r.type(model, path); type != "BPE")
        r.fail(ErrorCode::Unsupported, "model.type", "model type '" + type + "' is not supported (BPE is)");
    r.onlyKeys(model, path,
               {"type", "dropout", "unk_token", "continuing_subword_prefix", "end_of_word_suffix", "fuse_unk",
                "byte_fallback", "ignore_merges", "vocab", "merges"});
    if (model.contains("dropout") && !model["dropout"].is_null() && model["dropout"] != 0)
        r.fail(ErrorCode::Unsupported, "model.dropout", "BPE dropout is not supported");
    for (const char* key : {"continuing_subword_prefix", "end_of_word_suffix"})
        if (model.contains(key) && !model[key].is_null() && model[key] != "")
            r.fail(ErrorCode::Unsupported, join(path, key),
                   "is not supported; byte-level BPE leaves it null");
    r.require(model, path, "byte_fallback", false, false);
    m_fuseUnk = r.flag(model, path, "fuse_unk", false);
    m_ignoreMerges = r.flag(model, path, "ignore_merges", false);

    const Json& vocab = r.object(model, path, "vocab");
    for (const auto& [piece, idJson] : vocab.items()) {
        const std::string field = "model.vocab[\"" + piece + "\"]";
        if (!idJson.is_number_unsigned() || idJson.get<uint64_t>() > uint64_t(INT32_MAX))
            r.fail(ErrorCode::ParseError, field, "expected a non-negative id, found " + idJson.dump());
        const int id = idJson.get<int>();
        if (id >= int(m_pieces.size())) {
            m_pieces.resize(id + 1);
            m_hasPiece.resize(id + 1);
        }
        if (m_hasPiece[id])
            r.fail(ErrorCode::InvalidValue, field, "id " + std::to_string(id) + " is used twice");
        m_pieces[id] = piece;
        m_hasPiece[id] = true;
        m_vocab.emplace(piece, id);
    }
    if (model.contains("unk_token") && !model["unk_token"].is_null()) {
        const std::string unk = r.string(model, path, "unk_token");
        const auto it = m_vocab.find(unk);
        if (it == m_vocab.end())
            r.fail(ErrorCode::InvalidValue, "model.unk_token", "'" + unk + "' is not in the vocab");
        m_unkId = it->second;
    }

    const Json& merges = r.array(model, path, "merges");
    int rank = 0;
    for (size_t i = 0; i < merges.size(); ++i) {
        const std::string field = item("model.merges", i);
        std::string a, b;
        if (merges[i].is_string()) { // "a b"; tokenizers skips "#version" lines and ranks the rest
            const std::string line = merges[i].get<std::string>();
            if (line.rfind("#version", 0) == 0) continue;
            const size_t space = line.find(' ');
            if (space == std::string::npos || line.find(' ', space + 1) != std::string::npos)
                r.fail(ErrorCode::ParseError, field,
                       "expected two pieces separated by one space: '" + line + "'");
            a = line.substr(0, space);
            b = line.substr(space + 1);
        } else if (merges[i].is_array() && merges[i].size() == 2 && merges[i][0].is_string() &&
                   merges[i][1].is_string()) {
            a = merges[i][0].get<std::string>();
            b = merges[i][1].get<std::string>();
        } else {
            r.fail(ErrorCode::ParseError, field,
                   "expected \"a b\" or [\"a\", \"b\"], found " + merges[i].dump());
        }
        const auto id = [&](const std::string& piece) {
            const auto it = m_vocab.find(piece);
            if (it == m_vocab.end())
                r.fail(ErrorCode::InvalidValue, field, "'" + piece + "' is not in the vocab");
            return it->second;
        };
        m_merges[pairKey(id(a), id(b))] = {rank++, id(a + b)}; // a repeated pair keeps its last rank
    }
}

void BpeTokenizer::readAddedTokens(const Json& list, const Reader& r) {
    m_added.reserve(list.size()); // pointers into m_added stay valid
    const int modelSize = int(m_vocab.size());
    int maxAdded = -1;
    std::vector<const bpe::AddedToken*> raw, normalizedOnes;
    for (size_t i = 0; i < list.size(); ++i) {
        const std::string path = item("added_tokens", i);
        const Json& t = list[i];
        if (!t.is_object()) r.fail(ErrorCode::ParseError, path, "expected an object");
        r.onlyKeys(t, path, {"id", "content", "single_word", "lstrip", "rstrip", "normalized", "special"});
        for (const char* key : {"single_word", "lstrip", "rstrip", "normalized", "special"})
            r.at(t, path, key);
        bpe::AddedToken token;
        token.id = r.integer(t, path, "id");
        token.content = r.string(t, path, "content");
        if (token.content.empty() || bpe::firstInvalidUtf8(token.content) != std::string_view::npos)
            r.fail(ErrorCode::InvalidValue, join(path, "content"), "empty or not UTF-8");
        r.require(t, path, "single_word", false, false);
        token.lstrip = r.flag(t, path, "lstrip", false);
        token.rstrip = r.flag(t, path, "rstrip", false);
        token.special = r.flag(t, path, "special", false);
        const bool normalized = r.flag(t, path, "normalized", true);
        if (m_addedByContent.count(token.content) || m_addedById.count(token.id))
            r.fail(ErrorCode::InvalidValue, path, "the same content or id appears twice in added_tokens");
        // tokenizers ignores the file's ids and re-derives them (AddedVocabulary::add_tokens): the model's id
        // for a piece it has, else the next one after the model and the added tokens so far. We refuse a file
        // where the two disagree rather than encode with ids its model was not trained with.
        int expected;
        if (const auto it = m_vocab.find(token.content); it != m_vocab.end())
            expected = it->second;
        else if (maxAdded < 0)
            expected = modelSize;
        else
            expected = (maxAdded >= modelSize || modelSize == 0) ? maxAdded + 1 : modelSize;
        if (token.id != expected)
            r.fail(ErrorCode::InvalidValue, join(path, "id"),
                   "tokenizers gives '" + token.content + "' id " + std::to_string(expected) +
                       ", the file says " + std::to_string(token.id));
        maxAdded = std::max(maxAdded, token.id);
        token.pattern = token.content;
        if (normalized && m_nfc) {
            TextPiece p = bpe::wholeInput(token.content);
            bpe::normalizeNfc(p);
            token.pattern = p.text;
        }
        m_added.push_back(std::move(token));
        const bpe::AddedToken* stored = &m_added.back();
        m_addedByContent[stored->content] = stored;
        m_addedById[stored->id] = stored;
        (normalized ? normalizedOnes : raw).push_back(stored);
    }
    m_rawAdded = bpe::AddedTokenMatcher(raw);
    m_normalizedAdded = bpe::AddedTokenMatcher(normalizedOnes);
}

void BpeTokenizer::readNormalizer(const Json& j, const std::string& path, const Reader& r) {
    if (j.is_null()) return;
    const std::string type = r.type(j, path);
    if (type == "NFC") {
        r.onlyKeys(j, path, {"type"});
        m_nfc = true;
    } else if (type == "Sequence") {
        r.onlyKeys(j, path, {"type", "normalizers"});
        const Json& list = r.array(j, path, "normalizers");
        for (size_t i = 0; i < list.size(); ++i) {
            const std::string sub = item(join(path, "normalizers"), i);
            if (list[i].is_null() || r.type(list[i], sub) != "NFC")
                r.fail(ErrorCode::Unsupported, join(sub, "type"), "only NFC normalizers are supported");
            readNormalizer(list[i], sub, r);
        }
    } else {
        r.fail(ErrorCode::Unsupported, join(path, "type"),
               "normalizer '" + type + "' is not supported (NFC is)");
    }
}

void BpeTokenizer::readPreTokenizer(const Json& j, const std::string& path, const Reader& r) {
    if (j.is_null()) return;
    const std::string type = r.type(j, path);
    if (type == "Sequence") {
        r.onlyKeys(j, path, {"type", "pretokenizers"});
        const Json& list = r.array(j, path, "pretokenizers");
        for (size_t i = 0; i < list.size(); ++i) {
            const std::string sub = item(join(path, "pretokenizers"), i);
            if (list[i].is_null()) r.fail(ErrorCode::ParseError, sub, "expected an object");
            readPreTokenizer(list[i], sub, r);
        }
    } else if (type == "Split") {
        r.onlyKeys(j, path, {"type", "pattern", "behavior", "invert"});
        const Json& pattern = r.object(j, path, "pattern");
        const std::string field = join(path, "pattern");
        if (!pattern.contains("Regex") || !pattern["Regex"].is_string())
            r.fail(ErrorCode::Unsupported, field,
                   "only Regex patterns are supported, found " + pattern.dump());
        const auto regex = bpe::recognizeSplitRegex(pattern["Regex"].get<std::string>());
        if (!regex)
            r.fail(ErrorCode::Unsupported, field,
                   "regex " + pattern["Regex"].dump() +
                       " is not one we implement (Llama 3's, Qwen2's and GPT-2's are)");
        if (const std::string behavior = r.string(j, path, "behavior"); behavior != "Isolated")
            r.fail(ErrorCode::Unsupported, join(path, "behavior"),
                   "'" + behavior + "' is not supported (Isolated is)");
        r.require(j, path, "invert", false, false);
        m_preTokenizers.push_back({true, regex});
    } else if (type == "ByteLevel") {
        r.onlyKeys(j, path, {"type", "add_prefix_space", "trim_offsets", "use_regex"});
        r.require(j, path, "add_prefix_space", true, false);
        r.flag(j, path, "trim_offsets", true); // used by the ByteLevel post-processor only
        const bool useRegex = r.flag(j, path, "use_regex", true);
        m_preTokenizers.push_back({false, useRegex ? std::optional(bpe::SplitRegex::Gpt2) : std::nullopt});
    } else {
        r.fail(ErrorCode::Unsupported, join(path, "type"), "pre-tokenizer '" + type + "' is not supported");
    }
}

void BpeTokenizer::readPostProcessor(const Json& j, const std::string& path, const Reader& r) {
    if (j.is_null()) return;
    const std::string type = r.type(j, path);
    if (type == "Sequence") {
        r.onlyKeys(j, path, {"type", "processors"});
        const Json& list = r.array(j, path, "processors");
        for (size_t i = 0; i < list.size(); ++i) {
            const std::string sub = item(join(path, "processors"), i);
            if (list[i].is_null()) r.fail(ErrorCode::ParseError, sub, "expected an object");
            readPostProcessor(list[i], sub, r);
        }
    } else if (type == "ByteLevel") {
        // tokenizers trims offsets here even without special tokens; we do not implement that.
        r.onlyKeys(j, path, {"type", "add_prefix_space", "trim_offsets", "use_regex"});
        r.require(j, path, "trim_offsets", true, false);
    } else if (type == "TemplateProcessing") {
        readTemplate(j, path, r);
    } else if (type == "RobertaProcessing" || type == "BertProcessing") {
        // cls $A sep. RobertaProcessing's trim_offsets would move offsets, which we do not implement.
        if (type == "RobertaProcessing") {
            r.onlyKeys(j, path, {"type", "sep", "cls", "trim_offsets", "add_prefix_space"});
            r.require(j, path, "trim_offsets", true, false);
        } else {
            r.onlyKeys(j, path, {"type", "sep", "cls"});
        }
        const auto tokenId = [&](const char* key) {
            const Json& pair = r.array(j, path, key);
            if (pair.size() != 2 || !pair[0].is_string() || !pair[1].is_number_unsigned())
                r.fail(ErrorCode::ParseError, join(path, key), "expected [token, id]");
            return pair[1].get<int>();
        };
        m_bosId = tokenId("cls");
        m_eosId = tokenId("sep");
    } else {
        r.fail(ErrorCode::Unsupported, join(path, "type"), "post-processor '" + type + "' is not supported");
    }
}

// Only special tokens wrapped around $A matter to us: they name BOS and EOS.
void BpeTokenizer::readTemplate(const Json& j, const std::string& path, const Reader& r) {
    r.onlyKeys(j, path, {"type", "single", "pair", "special_tokens"});
    const Json& single = r.array(j, path, "single");
    r.array(j, path, "pair");
    const Json& specials = r.object(j, path, "special_tokens");
    const auto specialId = [&](size_t i) -> int {
        const std::string field = item(join(path, "single"), i);
        const Json& piece = single[i];
        if (piece.is_object() && piece.contains("Sequence")) return -1;
        if (!piece.is_object() || !piece.contains("SpecialToken") || !piece["SpecialToken"].is_object())
            r.fail(ErrorCode::ParseError, field, "expected {\"Sequence\": ...} or {\"SpecialToken\": ...}");
        const std::string name = r.string(piece["SpecialToken"], field + ".SpecialToken", "id");
        if (!specials.contains(name) || !specials[name].is_object())
            r.fail(ErrorCode::InvalidValue, field, "'" + name + "' is missing from special_tokens");
        const Json& ids = r.array(specials[name], join(join(path, "special_tokens"), name), "ids");
        return (ids.size() == 1 && ids[0].is_number_unsigned()) ? ids[0].get<int>() : -1;
    };
    if (single.size() >= 2) {
        if (const int id = specialId(0); id >= 0) m_bosId = id;
        if (const int id = specialId(single.size() - 1); id >= 0) m_eosId = id;
    }
}

void BpeTokenizer::readDecoder(const Json& j, const Reader& r) {
    if (j.is_null()) return;
    if (const std::string type = r.type(j, "decoder"); type != "ByteLevel")
        r.fail(ErrorCode::Unsupported, "decoder.type",
               "decoder '" + type + "' is not supported (ByteLevel is)");
    r.onlyKeys(j, "decoder",
               {"type", "add_prefix_space", "trim_offsets", "use_regex"}); // none changes decoding
    m_byteLevelDecoder = true;
}

Encoding BpeTokenizer::encode(std::string_view text) const {
    if (const size_t bad = bpe::firstInvalidUtf8(text); bad != std::string_view::npos)
        throw Error(ErrorCode::InvalidValue, "tokenizer input", "not UTF-8 at byte " + std::to_string(bad));
    // Added tokens are found first in the raw text, then in each normalized stretch between them.
    std::vector<TextPiece> pieces;
    for (TextPiece& p : m_rawAdded.split(bpe::wholeInput(text))) {
        if (p.addedId >= 0) {
            pieces.push_back(std::move(p));
            continue;
        }
        if (m_nfc) bpe::normalizeNfc(p);
        for (TextPiece& q : m_normalizedAdded.split(std::move(p)))
            pieces.push_back(std::move(q));
    }
    // Pre-tokenization on ranges of each normalized piece (no piece copied): each step's regex splits the ranges,
    // the ByteLevel step maps each range's bytes into one reused word. Where a ByteLevel step comes before another
    // step (no tokenizer we know of), the later regexes must see the mapped text: pieces are mapped and split whole.
    bool mapLast = true;
    for (size_t s = 0; s + 1 < m_preTokenizers.size(); ++s) mapLast = mapLast && m_preTokenizers[s].split;
    if (!mapLast) pieces = preTokenizePieces(std::move(pieces));
    const bool mapsBytes = mapLast && !m_preTokenizers.empty() && !m_preTokenizers.back().split;

    Encoding out;
    std::vector<bpe::Span> ranges, next, wordSpans;
    std::string word;
    std::vector<std::pair<int, size_t>> tokens;
    for (const TextPiece& p : pieces) {
        if (p.addedId >= 0) {
            out.ids.push_back(p.addedId);
            out.pieces.push_back(p.text);
            out.offsets.push_back(p.inputSpan(0, p.text.size()));
            continue;
        }
        ranges.assign(1, {0, p.text.size()});
        if (mapLast)
            for (const PreTokenizerStep& step : m_preTokenizers) {
                if (!step.regex) continue;
                next.clear();
                for (const auto& [begin, end] : ranges)
                    bpe::splitIsolated(std::string_view(p.text).substr(begin, end - begin), begin, *step.regex, next);
                std::swap(ranges, next);
            }
        for (const auto& [begin, end] : ranges) {
            word.clear();
            wordSpans.clear();
            if (mapsBytes) {
                bpe::appendMapped(p, begin, end, word, wordSpans);
            } else {
                word.assign(p.text, begin, end - begin);
                wordSpans.assign(p.spans.begin() + long(begin), p.spans.begin() + long(end));
            }
            tokens.clear();
            tokenizeWord(word, tokens);
            size_t pos = 0;
            for (const auto& [id, len] : tokens) {
                out.ids.push_back(id);
                out.pieces.push_back(m_pieces[id]);
                out.offsets.emplace_back(wordSpans[pos].first, wordSpans[pos + len - 1].second);
                pos += len;
            }
        }
    }
    return out;
}

// The pre-tokenizer steps on whole pieces, each mapped piece a new string: only for a ByteLevel step followed by
// another step.
std::vector<TextPiece> BpeTokenizer::preTokenizePieces(std::vector<TextPiece> pieces) const {
    for (const PreTokenizerStep& step : m_preTokenizers) {
        std::vector<TextPiece> next;
        for (TextPiece& p : pieces) {
            if (p.addedId >= 0) {
                next.push_back(std::move(p));
                continue;
            }
            std::vector<TextPiece> parts;
            if (step.regex)
                parts = bpe::splitIsolated(p, *step.regex);
            else
                parts.push_back(std::move(p));
            for (TextPiece& q : parts) {
                if (!step.split) bpe::mapBytes(q);
                next.push_back(std::move(q));
            }
        }
        pieces = std::move(next);
    }
    return pieces;
}

void BpeTokenizer::tokenizeWord(const std::string& word, std::vector<std::pair<int, size_t>>& out) const {
    if (m_ignoreMerges) // a pre-token the vocab holds whole is one token, whatever the merges would make of
                        // it
        if (const auto it = m_vocab.find(word); it != m_vocab.end()) {
            out.emplace_back(it->second, word.size());
            return;
        }
    {
        std::lock_guard lock(m_cacheMutex);
        if (const auto it = m_cache.find(word); it != m_cache.end()) {
            out.insert(out.end(), it->second.begin(), it->second.end());
            return;
        }
    }
    auto tokens = mergeWord(word);
    out.insert(out.end(), tokens.begin(), tokens.end());
    std::lock_guard lock(m_cacheMutex);
    if (m_cache.size() < kCacheCapacity) m_cache.emplace(word, std::move(tokens));
}

// BPE::merge_word + Word::merge_all: characters to ids, then the lowest-ranked adjacent pair merged first
// (leftmost on ties), through the same priority queue so that stale entries are skipped exactly as tokenizers
// skips them.
std::vector<std::pair<int, size_t>> BpeTokenizer::mergeWord(const std::string& word) const {
    struct Symbol {
        int id;
        int prev, next;
        size_t len;
    };
    std::vector<Symbol> symbols;
    const auto add = [&](int id, size_t len) {
        const int n = int(symbols.size());
        if (n > 0) symbols.back().next = n;
        symbols.push_back({id, n - 1, -1, len});
    };
    std::optional<std::pair<int, size_t>> unk;
    for (size_t pos = 0; pos < word.size();) {
        const size_t begin = pos;
        bpe::nextCodePoint(word, pos);
        const auto it = m_vocab.find(word.substr(begin, pos - begin));
        if (it != m_vocab.end()) {
            if (unk) add(unk->first, unk->second);
            unk.reset();
            add(it->second, pos - begin);
        } else if (m_unkId >= 0) { // without an unk token tokenizers drops the character
            if (unk && m_fuseUnk) {
                unk->second += pos - begin;
            } else {
                if (unk) add(unk->first, unk->second);
                unk.emplace(m_unkId, pos - begin);
            }
        }
    }
    if (unk) add(unk->first, unk->second);

    struct Merge {
        size_t pos;
        int rank, newId;
        // Inverted so that the queue's top is the lowest rank, then the leftmost position.
        bool operator<(const Merge& o) const { return rank != o.rank ? rank > o.rank : pos > o.pos; }
    };
    std::priority_queue<Merge> queue;
    const auto rule = [&](int a, int b) -> const MergeRule* {
        const auto it = m_merges.find(pairKey(a, b));
        return it == m_merges.end() ? nullptr : &it->second;
    };
    for (size_t i = 0; i + 1 < symbols.size(); ++i)
        if (const MergeRule* m = rule(symbols[i].id, symbols[i + 1].id)) queue.push({i, m->rank, m->newId});
    while (!queue.empty()) {
        const Merge top = queue.top();
        queue.pop();
        Symbol& cur = symbols[top.pos];
        if (cur.len == 0 || cur.next < 0) continue;
        const Symbol right = symbols[cur.next];
        const MergeRule* m = rule(cur.id, right.id);
        if (!m || m->newId != top.newId) continue; // stale entry
        const int rightPos = cur.next;
        cur.id = top.newId;
        cur.len += right.len;
        cur.next = right.next;
        symbols[rightPos].len = 0;
        if (right.next >= 0 && right.next < int(symbols.size())) symbols[right.next].prev = int(top.pos);
        if (cur.prev >= 0)
            if (const MergeRule* p = rule(symbols[cur.prev].id, cur.id))
                queue.push({size_t(cur.prev), p->rank, p->newId});
        if (cur.next >= 0 && cur.next < int(symbols.size()))
            if (const MergeRule* n = rule(cur.id, symbols[cur.next].id))
                queue.push({top.pos, n->rank, n->newId});
    }
    std::vector<std::pair<int, size_t>> out;
    for (const Symbol& s : symbols)
        if (s.len != 0) out.emplace_back(s.id, s.len);
    return out;
}

std::string BpeTokenizer::decode(const std::vector<int>& ids) const {
    std::string out;
    for (size_t i = 0; i < ids.size(); ++i) {
        const int id = ids[i];
        const auto added = m_addedById.find(id);
        const std::string* token = added != m_addedById.end() ? &added->second->content
                                   : (id >= 0 && id < int(m_pieces.size()) && m_hasPiece[id]) ? &m_pieces[id]
                                                                                              : nullptr;
        if (!token)
            throw Error(ErrorCode::InvalidValue, "token ids",
                        "id " + std::to_string(id) + " is not in the vocabulary");
        if (!m_byteLevelDecoder) { // no decoder: tokenizers joins the tokens with spaces
            if (i) out += ' ';
            out += *token;
            continue;
        }
        // Each character stands for a byte; a token with any other character contributes its UTF-8 as it is.
        std::string bytes;
        for (size_t pos = 0; pos < token->size();) {
            const int byte = bpe::standInByte(bpe::nextCodePoint(*token, pos));
            if (byte < 0) {
                bytes = *token;
                break;
            }
            bytes += char(byte);
        }
        out += bytes;
    }
    return m_byteLevelDecoder ? bpe::decodeUtf8Lossy(out) : out;
}

} // namespace

std::unique_ptr<Tokenizer> parseTokenizerJson(std::string_view json, const std::string& where) {
    Json j;
    try {
        j = Json::parse(json);
    } catch (const Json::exception& e) {  // parse_error, and out_of_range for 1e999
        throw Error(ErrorCode::ParseError, where, describeJsonError(e));
    }
    return std::make_unique<BpeTokenizer>(j, Reader(where));
}

SpecialTokensAround specialTokensAround(const nlohmann::json& pp) {
    // tokenizers' processors, single sequence, add_special_tokens=True. A Sequence applies each in turn, so a
    // later processor's tokens wrap the earlier ones'.
    SpecialTokensAround out;
    if (!pp.is_object()) return out;
    const std::string type = pp.value("type", "");
    if (type == "Sequence" && pp.contains("processors") && pp["processors"].is_array()) {
        for (const Json& p : pp["processors"]) {
            SpecialTokensAround inner = specialTokensAround(p);
            inner.prefix.insert(inner.prefix.end(), out.prefix.begin(), out.prefix.end());
            out.suffix.insert(out.suffix.end(), inner.suffix.begin(), inner.suffix.end());
            out.prefix = std::move(inner.prefix);
        }
    } else if (type == "TemplateProcessing" && pp.contains("single") && pp["single"].is_array()) {
        bool afterText = false;
        for (const Json& piece : pp["single"]) {
            if (!piece.is_object()) continue;
            if (piece.contains("Sequence")) {
                afterText = true;
                continue;
            }
            if (!piece.contains("SpecialToken")) continue;
            const std::string name = piece["SpecialToken"].value("id", "");
            const Json* ids = nullptr;
            if (pp.contains("special_tokens") && pp["special_tokens"].contains(name))
                ids = &pp["special_tokens"][name]["ids"];
            if (!ids || !ids->is_array()) continue;
            for (const Json& id : *ids)
                (afterText ? out.suffix : out.prefix).push_back(id.get<int>());
        }
    } else if (type == "RobertaProcessing" || type == "BertProcessing") {
        if (pp.contains("cls") && pp["cls"].is_array() && pp["cls"].size() == 2) out.prefix.push_back(pp["cls"][1].get<int>());
        if (pp.contains("sep") && pp["sep"].is_array() && pp["sep"].size() == 2) out.suffix.push_back(pp["sep"][1].get<int>());
    }
    return out;  // ByteLevel, null: nothing
}

SpecialTokensAround specialTokensAround(const std::filesystem::path& tokenizerJson) {
    std::ifstream in(tokenizerJson, std::ios::binary);
    if (!in) throw Error(ErrorCode::FileUnreadable, tokenizerJson.string(), "");
    // Only the top-level "post_processor" is kept (the vocabulary and merges are skipped, not stored).
    const auto keepPostProcessor = [](int depth, Json::parse_event_t event, Json& parsed) {
        return !(depth == 1 && event == Json::parse_event_t::key && parsed != "post_processor");
    };
    Json j;
    try {
        j = Json::parse(in, keepPostProcessor);
    } catch (const Json::exception& e) {
        throw Error(ErrorCode::ParseError, tokenizerJson.string(), describeJsonError(e));
    }
    return j.is_object() && j.contains("post_processor") ? specialTokensAround(j["post_processor"]) : SpecialTokensAround{};
}

std::unique_ptr<Tokenizer> loadTokenizerJson(const std::filesystem::path& file) {
    if (!std::filesystem::exists(file)) throw Error(ErrorCode::FileNotFound, file.string(), "");
    std::ifstream in(file, std::ios::binary);
    if (!in) throw Error(ErrorCode::FileUnreadable, file.string(), "");
    const std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    if (in.bad()) throw Error(ErrorCode::FileUnreadable, file.string(), "");
    return parseTokenizerJson(text, file.string());
}

} // namespace ft
