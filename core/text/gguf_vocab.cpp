#include "core/text/gguf_vocab.h"

#include "core/common/error.h"
#include "core/io/gguf_file.h"
#include "core/text/bpe_pretokenizer.h"

#include <algorithm>
#include <cctype>
#include <cstring>
#include <map>
#include <optional>
#include <set>
#include <string_view>
#include <utility>
#include <vector>

namespace ft {
namespace {

using Json = nlohmann::json;

// llama.cpp's token types (llama_token_type), the same numbers as SentencePiece's piece types.
enum TokenType { Normal = 1, Unknown = 2, Control = 3, UserDefined = 4, Unused = 5, Byte = 6 };

// The split regexes transformers sets for a tokenizer.ggml.pre (GGUF_PRE_TOKENIZER_SPLITS); the others keep
// GPT-2's ByteLevel regex. Only the two our BPE implements are listed; the rest are refused by name below.
constexpr std::string_view kLlama3Split =
    R"((?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+)";
constexpr std::string_view kQwen2Split =
    R"((?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+)";

std::optional<std::string_view> splitRegexFor(const std::string& pre, const std::string& where) {
    static const std::set<std::string, std::less<>> llama3 = {"llama3", "llama-v3", "llama-bpe", "falcon3",
        "falcon-h1", "pixtral", "midm-2.0", "lfm2", "jina-v5-nano", "dbrx", "smaug-bpe"};
    static const std::set<std::string, std::less<>> qwen2 = {"qwen2", "deepseek-r1-qwen", "kormo", "f2llmv2",
                                                             "megrez"};
    static const std::set<std::string, std::less<>> other = {"tekken", "qwen35", "gpt-4o", "llama4", "kanana2",
                                                             "talkie", "minimax-m2"};
    if (llama3.contains(pre)) return kLlama3Split;
    if (qwen2.contains(pre)) return kQwen2Split;
    if (other.contains(pre))
        throw Error(ErrorCode::Unsupported, where + ": tokenizer.ggml.pre",
                    "the '" + pre + "' pre-tokenizer splits text with a regex this app does not implement yet");
    return std::nullopt;
}

// Whether every character of `token` is one of GPT-2's byte stand-ins (bytes_to_unicode's alphabet).
bool inByteAlphabet(std::string_view token) {
    if (bpe::firstInvalidUtf8(token) != std::string_view::npos) return false;
    for (size_t pos = 0; pos < token.size();)
        if (bpe::standInByte(bpe::nextCodePoint(token, pos)) < 0) return false;
    return true;
}

// A token as transformers' byte_level_tokenizer keys it: kept when every character is in the byte alphabet, else
// each of its UTF-8 bytes spelled in that alphabet.
std::string byteLevelSpelling(const std::string& token) {
    if (inByteAlphabet(token)) return token;
    std::string out;
    for (unsigned char b : token) out += bpe::byteStandIn(b);
    return out;
}

struct Vocab {
    std::vector<std::string> tokens;
    std::vector<int> types;          // empty when the file has none
    std::vector<float> scores;       // empty when the file has none
    std::optional<int> bos, eos, unk, pad;
    int type(size_t i) const { return i < types.size() ? types[i] : Normal; }
};

std::optional<int> tokenId(const GgufFile& f, std::string_view key, size_t vocabSize) {
    const auto id = f.getInt(key);
    if (!id) return std::nullopt;
    if (*id < 0 || size_t(*id) >= vocabSize)
        throw Error(ErrorCode::InvalidValue, f.where() + ": " + std::string(key),
                    std::to_string(*id) + " is not a token id (the vocabulary has " + std::to_string(vocabSize) +
                        " tokens)");
    return int(*id);
}

template <typename T>
std::vector<T> numberArray(const GgufFile& f, std::string_view key, size_t expected) {
    const GgufValue* v = f.find(key);
    if (!v) return {};
    const std::string where = f.where() + ": " + std::string(key);
    if (!v->isArray()) throw Error(ErrorCode::InvalidValue, where, "expected an array");
    const auto& items = std::get<std::vector<GgufValue>>(v->value);
    if (items.size() != expected)
        throw Error(ErrorCode::InvalidValue, where,
                    std::to_string(items.size()) + " entries for " + std::to_string(expected) + " tokens");
    std::vector<T> out;
    out.reserve(items.size());
    for (const GgufValue& item : items) {
        if (const auto* d = std::get_if<double>(&item.value)) out.push_back(T(*d));
        else if (const auto* u = std::get_if<uint64_t>(&item.value)) out.push_back(T(*u));
        else if (const auto* s = std::get_if<int64_t>(&item.value)) out.push_back(T(*s));
        else throw Error(ErrorCode::InvalidValue, where, "expected numbers");
    }
    return out;
}

Vocab readVocab(const GgufFile& f) {
    Vocab v;
    auto tokens = f.getStringArray("tokenizer.ggml.tokens");
    if (!tokens || tokens->empty())
        throw Error(ErrorCode::MissingField, f.where() + ": tokenizer.ggml.tokens",
                    "the file carries no vocabulary, so the model cannot be fine-tuned from it");
    v.tokens = std::move(*tokens);
    v.types = numberArray<int>(f, "tokenizer.ggml.token_type", v.tokens.size());
    v.scores = numberArray<float>(f, "tokenizer.ggml.scores", v.tokens.size());
    v.bos = tokenId(f, "tokenizer.ggml.bos_token_id", v.tokens.size());
    v.eos = tokenId(f, "tokenizer.ggml.eos_token_id", v.tokens.size());
    v.unk = tokenId(f, "tokenizer.ggml.unknown_token_id", v.tokens.size());
    v.pad = tokenId(f, "tokenizer.ggml.padding_token_id", v.tokens.size());
    return v;
}

// The added tokens transformers ends with: the named special tokens and CONTROL ones as special, USER_DEFINED as
// plain (matched whole, never split). `spelled(i)` is the token as the model's vocabulary keys it; `keep(i)` drops
// what transformers skips.
struct AddedToken {
    int id;
    std::string content;
    bool special;
};

template <typename Keep>
std::vector<AddedToken> addedTokens(const Vocab& v, const std::vector<std::string>& spelled, Keep keep) {
    std::map<int, AddedToken> byId;
    for (const auto& named : {v.bos, v.eos, v.unk, v.pad})
        if (named) byId[*named] = {*named, spelled[*named], true};
    for (size_t i = 0; i < v.tokens.size(); ++i) {
        if (v.type(i) == Control && keep(i)) byId[int(i)] = {int(i), spelled[i], true};
        else if (v.type(i) == UserDefined && !byId.contains(int(i))) byId[int(i)] = {int(i), spelled[i], false};
    }
    std::vector<AddedToken> out;
    for (auto& [id, t] : byId) out.push_back(std::move(t));
    return out;
}

// tokenizers' TemplateProcessing for `tokenizer(text)`: BOS / EOS around the sequence.
Json templateProcessing(const Vocab& v, const std::vector<std::string>& spelled, bool addBos, bool addEos) {
    Json single = Json::array(), pair = Json::array(), specials = Json::object();
    auto special = [&](int id, int typeId) {
        return Json{{"SpecialToken", {{"id", spelled[id]}, {"type_id", typeId}}}};
    };
    auto sequence = [](const char* id, int typeId) { return Json{{"Sequence", {{"id", id}, {"type_id", typeId}}}}; };
    const bool bos = addBos && v.bos, eos = addEos && v.eos;
    auto part = [&](const char* seq, int typeId) {
        Json out = Json::array();
        if (bos) out.push_back(special(*v.bos, typeId));
        out.push_back(sequence(seq, typeId));
        if (eos) out.push_back(special(*v.eos, typeId));
        return out;
    };
    single = part("A", 0);
    pair = single;
    for (const Json& item : part("B", 1)) pair.push_back(item);
    for (const auto& [on, id] : {std::pair{bos, v.bos}, std::pair{eos, v.eos}})
        if (on) specials[spelled[*id]] = {{"id", spelled[*id]}, {"ids", {*id}}, {"tokens", {spelled[*id]}}};
    return {{"type", "TemplateProcessing"}, {"single", single}, {"pair", pair}, {"special_tokens", specials}};
}

Json addedTokensJson(const std::vector<AddedToken>& added) {
    Json out = Json::array();
    for (const AddedToken& t : added)
        out.push_back({{"id", t.id}, {"content", t.content}, {"single_word", false}, {"lstrip", false},
                       {"rstrip", false}, {"normalized", false}, {"special", t.special}});
    return out;
}

Json tokenizerConfig(const GgufFile& f, const Vocab& v, const std::vector<std::string>& spelled,
                     const std::vector<AddedToken>& added, bool addBos, bool addEos) {
    Json c;
    c["add_bos_token"] = addBos;
    c["add_eos_token"] = addEos;
    const std::pair<const char*, std::optional<int>> named[] = {
        {"bos_token", v.bos}, {"eos_token", v.eos}, {"unk_token", v.unk}, {"pad_token", v.pad}};
    for (const auto& [key, id] : named) c[key] = id ? Json(spelled[*id]) : Json(nullptr);
    Json decoder = Json::object();
    for (const AddedToken& t : added)
        decoder[std::to_string(t.id)] = {{"content", t.content}, {"lstrip", false}, {"normalized", false},
                                         {"rstrip", false}, {"single_word", false}, {"special", t.special}};
    c["added_tokens_decoder"] = decoder;
    if (auto t = f.getString("tokenizer.chat_template")) c["chat_template"] = *t;
    c["model_max_length"] = f.getInt(f.architecture() + ".context_length").value_or(2048);
    c["source"] = "converted from GGUF metadata by Finetune Studio";
    return c;
}

GgufTokenizerFiles byteLevel(const GgufFile& f, const Vocab& v) {
    std::vector<std::string> spelled;
    spelled.reserve(v.tokens.size());
    Json vocab = Json::object();
    for (size_t i = 0; i < v.tokens.size(); ++i) {
        spelled.push_back(byteLevelSpelling(v.tokens[i]));
        vocab[spelled.back()] = int(i); // a repeated spelling keeps the last id, as a Python dict does
    }
    auto merges = f.getStringArray("tokenizer.ggml.merges");
    if (!merges)
        throw Error(ErrorCode::MissingField, f.where() + ": tokenizer.ggml.merges",
                    "a byte-level (gpt2) vocabulary needs its merges");
    Json mergeList = Json::array();
    for (const std::string& m : *merges) {
        const size_t space = m.find(' ');
        if (space == std::string::npos || m.find(' ', space + 1) != std::string::npos)
            throw Error(ErrorCode::InvalidValue, f.where() + ": tokenizer.ggml.merges",
                        "merge '" + m + "' is not two tokens separated by one space");
        mergeList.push_back({m.substr(0, space), m.substr(space + 1)});
    }
    // A CONTROL token spelled outside the byte alphabet is a llama.cpp mislabel transformers skips.
    const auto added = addedTokens(v, spelled, [&](size_t i) { return inByteAlphabet(v.tokens[i]); });
    const bool addBos = f.getBool("tokenizer.ggml.add_bos_token").value_or(false);
    const bool addEos = f.getBool("tokenizer.ggml.add_eos_token").value_or(false);

    Json preTokenizer;
    const std::string pre = f.getString("tokenizer.ggml.pre").value_or("");
    if (const auto split = splitRegexFor(pre, f.where())) {
        preTokenizer = {{"type", "Sequence"},
                        {"pretokenizers",
                         {{{"type", "Split"}, {"pattern", {{"Regex", *split}}}, {"behavior", "Isolated"},
                           {"invert", false}},
                          {{"type", "ByteLevel"}, {"add_prefix_space", false}, {"trim_offsets", true},
                           {"use_regex", false}}}}};
    } else {
        preTokenizer = {{"type", "ByteLevel"}, {"add_prefix_space", false}, {"trim_offsets", true}, {"use_regex", true}};
    }
    Json j;
    j["version"] = "1.0";
    j["truncation"] = nullptr;
    j["padding"] = nullptr;
    j["added_tokens"] = addedTokensJson(added);
    j["normalizer"] = nullptr;
    j["pre_tokenizer"] = preTokenizer;
    j["post_processor"] = templateProcessing(v, spelled, addBos, addEos);
    j["decoder"] = {{"type", "ByteLevel"}, {"add_prefix_space", true}, {"trim_offsets", true}, {"use_regex", true}};
    j["model"] = {{"type", "BPE"}, {"dropout", nullptr}, {"unk_token", nullptr}, {"continuing_subword_prefix", ""},
                  {"end_of_word_suffix", ""}, {"fuse_unk", false}, {"byte_fallback", false},
                  {"ignore_merges", false}, {"vocab", vocab}, {"merges", mergeList}};
    GgufTokenizerFiles out;
    out.tokenizerJson = j.dump();
    out.tokenizerConfig = tokenizerConfig(f, v, spelled, added, addBos, addEos);
    return out;
}

// --- a SentencePiece ModelProto, written field by field (sentencepiece_model.proto) ---

void varint(std::string& out, uint64_t v) {
    while (v >= 0x80) {
        out += char((v & 0x7F) | 0x80);
        v >>= 7;
    }
    out += char(v);
}
void tag(std::string& out, int field, int wireType) { varint(out, uint64_t(field) << 3 | wireType); }
void intField(std::string& out, int field, int64_t v) {
    tag(out, field, 0);
    varint(out, uint64_t(v)); // negative int32 values are ten-byte varints, as protobuf writes them
}
void bytesField(std::string& out, int field, std::string_view bytes) {
    tag(out, field, 2);
    varint(out, bytes.size());
    out += bytes;
}
void floatField(std::string& out, int field, float v) {
    tag(out, field, 5);
    char b[4];
    std::memcpy(b, &v, 4);
    out.append(b, 4);
}

GgufTokenizerFiles sentencePiece(const GgufFile& f, Vocab v) {
    const std::string arch = f.architecture();
    const bool gemma = arch == "gemma" || arch == "gemma2" || arch == "gemma3";
    if (v.scores.empty())
        throw Error(ErrorCode::MissingField, f.where() + ": tokenizer.ggml.scores",
                    "a SentencePiece (llama) vocabulary needs its token scores");
    // Gemma files store a token of spaces as spaces; its vocabulary spells them "▁" (gemma_tokenizer).
    if (gemma)
        for (std::string& t : v.tokens) {
            const bool spaces = t.find(' ') != std::string::npos &&
                                std::all_of(t.begin(), t.end(), [](char c) { return std::isspace(static_cast<unsigned char>(c)); });
            if (!spaces) continue;
            std::string respelled; // ASCII whitespace: one "▁" per byte
            for (size_t k = 0; k < t.size(); ++k) respelled += "\xE2\x96\x81";
            t = std::move(respelled);
        }
    // SentencePiece needs exactly one UNKNOWN piece: the file's unk id, else its UNKNOWN-typed token.
    int unk = v.unk.value_or(-1);
    for (size_t i = 0; unk < 0 && i < v.tokens.size(); ++i)
        if (v.type(i) == Unknown) unk = int(i);
    if (unk < 0)
        throw Error(ErrorCode::MissingField, f.where() + ": tokenizer.ggml.unknown_token_id",
                    "a SentencePiece vocabulary needs an unknown token");
    bool hasBytes = false;
    std::string proto;
    for (size_t i = 0; i < v.tokens.size(); ++i) {
        int type = v.type(i);
        if (int(i) == unk) type = Unknown;
        else if (type == Unknown || type < Normal || type > Byte) type = Normal;
        hasBytes |= type == Byte;
        std::string piece;
        bytesField(piece, 1, v.tokens[i]);
        floatField(piece, 2, v.scores[i]);
        if (type != Normal) intField(piece, 3, type);
        bytesField(proto, 1, piece);
    }
    std::string trainer;
    intField(trainer, 3, 2); // model_type: BPE, merged by score
    intField(trainer, 4, int64_t(v.tokens.size()));
    intField(trainer, 35, hasBytes);
    intField(trainer, 40, unk);
    intField(trainer, 41, -1); // BOS / EOS are added by the folder's tokenizer_config, not by SentencePiece
    intField(trainer, 42, -1);
    intField(trainer, 43, -1);
    bytesField(proto, 2, trainer);
    std::string normalizer;
    bytesField(normalizer, 1, "identity");
    intField(normalizer, 3, !gemma); // add_dummy_prefix: Metaspace's "first" prefix; Gemma has none
    intField(normalizer, 4, 0);      // remove_extra_whitespaces: off (its default is on)
    intField(normalizer, 5, 1);      // escape_whitespaces: " " → "▁"
    bytesField(proto, 3, normalizer);

    const auto added = addedTokens(v, v.tokens, [](size_t) { return true; });
    const bool addBos = f.getBool("tokenizer.ggml.add_bos_token").value_or(true);
    const bool addEos = f.getBool("tokenizer.ggml.add_eos_token").value_or(false);
    GgufTokenizerFiles out;
    out.tokenizerModel = std::move(proto);
    out.tokenizerConfig = tokenizerConfig(f, v, v.tokens, added, addBos, addEos);
    return out;
}

} // namespace

GgufTokenizerFiles tokenizerFromGguf(const GgufFile& file) {
    const std::string model = file.getString("tokenizer.ggml.model").value_or("");
    if (model == "gpt2") return byteLevel(file, readVocab(file));
    if (model == "llama") return sentencePiece(file, readVocab(file));
    throw Error(ErrorCode::Unsupported, file.where() + ": tokenizer.ggml.model",
                model.empty() ? std::string("the file names no tokenizer")
                              : "'" + model + "' tokenizers are not read yet (gpt2 and llama are)");
}

} // namespace ft
