#include "core/model/gguf_import.h"

#include "core/common/error.h"
#include "core/io/atomic_file.h"
#include "core/io/gguf_file.h"
#include "core/model/architecture.h"
#include "core/model/tensor_names.h"
#include "core/text/gguf_vocab.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdlib>
#include <functional>
#include <map>
#include <optional>
#include <sys/stat.h>

namespace fs = std::filesystem;

namespace ft {
namespace {

using Json = nlohmann::json;

struct ArchRow {
    const char* gguf;        // general.architecture
    const char* modelType;   // config.json model_type
    const char* className;   // config.json architectures[0]
    bool permuteQK;          // llama.cpp permuted Q/K rows for its RoPE (LlamaModel.permute)
    bool normsPlusOne;       // llama.cpp stored Gemma's norms as 1 + w
    bool headDimFromKeyLength;
};

// transformers' TENSOR_PROCESSORS for these: LlamaTensorProcessor for llama; Gemma2TensorProcessor (norm - 1) for
// gemma2/3. transformers 5.23 cannot open gemma (1) files at all; llama.cpp adds 1 to its norms too, so we undo it.
constexpr ArchRow kArchs[] = {
    {"llama", "llama", "LlamaForCausalLM", true, false, false},
    {"mistral", "mistral", "MistralForCausalLM", true, false, false},
    {"qwen2", "qwen2", "Qwen2ForCausalLM", false, false, false},
    {"qwen3", "qwen3", "Qwen3ForCausalLM", false, false, true},
    {"gemma", "gemma", "GemmaForCausalLM", false, true, true},
    {"gemma2", "gemma2", "Gemma2ForCausalLM", false, true, true},
    {"gemma3", "gemma3_text", "Gemma3ForCausalLM", false, true, true},
};

const ArchRow* findRow(const std::string& arch) {
    for (const ArchRow& r : kArchs)
        if (arch == r.gguf) return &r;
    return nullptr;
}

// LlamaTensorProcessor._reverse_permute_weights: rows (heads, dim, 2) → (heads, 2, dim).
void unpermuteRows(std::vector<float>& w, int64_t rows, int64_t cols, int64_t heads, const std::string& where) {
    if (heads <= 0 || rows % (2 * heads) != 0)
        throw Error(ErrorCode::InvalidValue, where, std::to_string(rows) + " rows do not split into " +
                                                       std::to_string(heads) + " heads of rotary pairs");
    const int64_t dim = rows / heads / 2;
    std::vector<float> out(w.size());
    for (int64_t h = 0; h < heads; ++h)
        for (int64_t a = 0; a < 2; ++a)
            for (int64_t b = 0; b < dim; ++b) {
                const int64_t dst = h * 2 * dim + a * dim + b, src = h * 2 * dim + b * 2 + a;
                std::copy_n(w.begin() + src * cols, cols, out.begin() + dst * cols);
            }
    w.swap(out);
}

std::string key(const GgufFile& f, const std::string& suffix) { return f.architecture() + "." + suffix; }

int64_t requiredInt(const GgufFile& f, const std::string& suffix) {
    const auto v = f.getInt(key(f, suffix));
    if (!v || *v <= 0)
        throw Error(ErrorCode::MissingField, f.where() + ": " + key(f, suffix),
                    "the file does not say the model's " + suffix + "; it cannot be rebuilt without it");
    return *v;
}

Json makeConfig(const GgufFile& f, const ArchRow& arch, bool tied, size_t vocabTokens) {
    Json c;
    c["architectures"] = {arch.className};
    c["model_type"] = arch.modelType;
    c["hidden_size"] = requiredInt(f, "embedding_length");
    c["intermediate_size"] = requiredInt(f, "feed_forward_length");
    c["num_hidden_layers"] = requiredInt(f, "block_count");
    c["num_attention_heads"] = requiredInt(f, "attention.head_count");
    c["num_key_value_heads"] = f.getInt(key(f, "attention.head_count_kv")).value_or(c["num_attention_heads"].get<int64_t>());
    if (auto v = f.getInt(key(f, "context_length"))) c["max_position_embeddings"] = *v;
    if (auto v = f.getFloat(key(f, "attention.layer_norm_rms_epsilon"))) c["rms_norm_eps"] = *v;
    if (auto v = f.getFloat(key(f, "rope.freq_base"))) c["rope_theta"] = *v;
    if (arch.headDimFromKeyLength) {
        if (auto v = f.getInt(key(f, "attention.key_length"))) c["head_dim"] = *v;
    } else if (std::string(arch.gguf) == "llama" || std::string(arch.gguf) == "mistral") {
        if (auto v = f.getInt(key(f, "rope.dimension_count"))) c["head_dim"] = *v;
    }
    c["vocab_size"] = f.getInt(key(f, "vocab_size")).value_or(int64_t(vocabTokens));
    c["tie_word_embeddings"] = tied;
    const std::string name = arch.gguf;
    if (name == "gemma2" || name == "gemma3") {
        if (auto v = f.getInt(key(f, "attention.sliding_window"))) c["sliding_window"] = *v;
        c["query_pre_attn_scalar"] = 256; // Gemma2/3TextConfig's default: the file does not carry it
    }
    if (name == "gemma2") { // llama.cpp reads these keys; transformers keeps its defaults, the same 50 and 30
        c["attn_logit_softcapping"] = f.getFloat(key(f, "attn_logit_softcapping")).value_or(50.0);
        c["final_logit_softcapping"] = f.getFloat(key(f, "final_logit_softcapping")).value_or(30.0);
    }
    if (name == "gemma3") c["rope_local_base_freq"] = 10000.0; // llama.cpp's sliding-window base for Gemma 3
    if (auto v = f.getInt("tokenizer.ggml.bos_token_id")) c["bos_token_id"] = *v;
    if (auto v = f.getInt("tokenizer.ggml.eos_token_id")) c["eos_token_id"] = *v;
    if (auto v = f.getInt("tokenizer.ggml.padding_token_id")) c["pad_token_id"] = *v;
    c["torch_dtype"] = "float32";
    return c;
}

struct PlannedTensor {
    const GgufTensorInfo* info;
    std::string name;
    std::vector<int64_t> shape;
    int64_t permuteHeads = 0; // > 0: undo the Q/K permutation with this many heads
    bool minusOne = false;
};

uint64_t fileStamp(const fs::path& p) {
    struct stat st {};
    if (::stat(p.c_str(), &st) != 0) return 0;
    return uint64_t(st.st_size) * 1000003u ^ uint64_t(st.st_mtim.tv_sec) * 1000000007ull ^ uint64_t(st.st_mtim.tv_nsec);
}

fs::path cacheRoot() {
    if (const char* env = std::getenv("FT_GGUF_CACHE"); env && *env) return env;
    if (const char* xdg = std::getenv("XDG_CACHE_HOME"); xdg && *xdg) return fs::path(xdg) / "finetune-studio" / "gguf";
    const char* home = std::getenv("HOME");
    return fs::path(home && *home ? home : "/tmp") / ".cache" / "finetune-studio" / "gguf";
}

} // namespace

const std::vector<std::string>& ggufImportableArchitectures() {
    static const std::vector<std::string> names = [] {
        std::vector<std::string> n;
        for (const ArchRow& r : kArchs) n.push_back(r.gguf);
        return n;
    }();
    return names;
}

bool ggufArchitectureImportable(const std::string& architecture) { return findRow(architecture) != nullptr; }

std::string ggufStoredAs(const GgufFile& file) {
    std::map<std::string, uint64_t> bytes;
    for (const GgufTensorInfo& t : file.tensors())
        if (t.ne.size() >= 2) bytes[ggmlTypeName(t.type)] += t.numel;
    if (bytes.empty()) return "F32";
    return std::max_element(bytes.begin(), bytes.end(), [](auto& a, auto& b) { return a.second < b.second; })->first;
}

GgufImport importGguf(const fs::path& file, const fs::path& out, const std::function<void(int, int)>& progress) {
    const GgufFile f = GgufFile::open(file);
    std::string archName = f.architecture();
    const ArchRow* arch = findRow(archName);
    if (!arch) {
        std::string supported;
        for (const ArchRow& r : kArchs) supported += std::string(supported.empty() ? "" : ", ") + r.gguf;
        throw Error(ErrorCode::Unsupported, f.where() + ": general.architecture",
                    "'" + archName + "' models cannot be imported for fine-tuning (these can: " + supported + ")");
    }
    const GgufTokenizerFiles tokenizer = tokenizerFromGguf(f);

    GgufImport result;
    result.architecture = archName;
    result.modelType = arch->modelType;
    result.storedAs = ggufStoredAs(f);

    const bool tied = f.findTensor("output.weight") == nullptr;
    const auto& tokens = std::get<std::vector<GgufValue>>(f.find("tokenizer.ggml.tokens")->value); // checked above
    const Json config = makeConfig(f, *arch, tied, tokens.size());
    const int64_t heads = config["num_attention_heads"], kvHeads = config["num_key_value_heads"];

    const std::span<const TensorNamePattern> names = findArch(arch->modelType)->tensorNames;
    std::vector<PlannedTensor> plan;
    for (const GgufTensorInfo& t : f.tensors()) {
        const auto name = hfTensorName(names, t.name);
        if (!name) {
            result.notes.push_back(t.name == "rope_freqs.weight"
                                       ? "rope_freqs.weight (Llama 3.1+ long-context RoPE factors) is not carried "
                                         "over; transformers 5.23 drops it too"
                                       : "tensor " + t.name + " has no place in a " + arch->modelType + " model");
            continue;
        }
        if (!ggmlTypeTraits(uint32_t(t.type)) || !ggmlTypeTraits(uint32_t(t.type))->dequantize)
            throw Error(ErrorCode::Unsupported, f.where() + ": " + t.name,
                        std::string("tensor type ") + ggmlTypeName(t.type) + " cannot be dequantized here");
        PlannedTensor p{&t, *name, t.shape()};
        if (arch->permuteQK && t.name.find(".attn_q.") != std::string::npos) p.permuteHeads = heads;
        if (arch->permuteQK && t.name.find(".attn_k.") != std::string::npos) p.permuteHeads = kvHeads;
        p.minusOne = arch->normsPlusOne && p.name.ends_with("norm.weight");
        result.parameters += int64_t(t.numel);
        plan.push_back(std::move(p));
    }
    if (plan.empty()) throw Error(ErrorCode::InvalidValue, f.where(), "the file holds no model weights");

    Json header = Json::object();
    uint64_t offset = 0;
    for (const PlannedTensor& p : plan) {
        const uint64_t bytes = p.info->numel * 4;
        header[p.name] = {{"dtype", "F32"}, {"shape", p.shape}, {"data_offsets", {offset, offset + bytes}}};
        offset += bytes;
    }
    header["__metadata__"] = {{"format", "pt"}, {"source", file.filename().string()},
                              {"stored_as", result.storedAs}};
    std::string headerText = header.dump();
    headerText.append((8 - headerText.size() % 8) % 8, ' ');

    writeDirAtomic(out, [&](const fs::path& dir) {
        writeFileAtomic(dir / "config.json", config.dump(2) + "\n");
        Json generation = {{"_from_model_config", true}};
        if (config.contains("bos_token_id")) generation["bos_token_id"] = config["bos_token_id"];
        if (config.contains("eos_token_id")) generation["eos_token_id"] = config["eos_token_id"];
        writeFileAtomic(dir / "generation_config.json", generation.dump(2) + "\n");
        if (!tokenizer.tokenizerJson.empty()) writeFileAtomic(dir / "tokenizer.json", tokenizer.tokenizerJson);
        if (!tokenizer.tokenizerModel.empty()) writeFileAtomic(dir / "tokenizer.model", tokenizer.tokenizerModel);
        writeFileAtomic(dir / "tokenizer_config.json", tokenizer.tokenizerConfig.dump(2) + "\n");
        writeFileAtomic(dir / "model.safetensors", [&](std::FILE* out) {
            const uint64_t n = headerText.size();
            unsigned char prefix[8];
            for (int i = 0; i < 8; ++i) prefix[i] = (n >> (8 * i)) & 0xFF;
            std::fwrite(prefix, 1, 8, out);
            std::fwrite(headerText.data(), 1, headerText.size(), out);
            int done = 0;
            for (const PlannedTensor& p : plan) {
                std::vector<float> values = f.dequantize(*p.info);
                if (p.permuteHeads > 0) {
                    const int64_t rows = p.shape[0];
                    unpermuteRows(values, rows, int64_t(values.size()) / rows, p.permuteHeads,
                                  f.where() + ": " + p.info->name);
                }
                if (p.minusOne)
                    for (float& v : values) v -= 1.0f;
                if (std::fwrite(values.data(), 4, values.size(), out) != values.size())
                    throw Error(ErrorCode::FileUnwritable, (dir / "model.safetensors").string(),
                                "writing the weights failed (is the disk full?)");
                if (progress) progress(++done, int(plan.size()));
            }
        });
        uint64_t bits = 0, weights = 0;
        for (const PlannedTensor& p : plan)
            if (p.shape.size() >= 2) {
                bits += p.info->bytes * 8;
                weights += p.info->numel;
            }
        Json source = {{"gguf", fs::absolute(file).string()}, {"architecture", archName},
                       {"stored_as", result.storedAs}, {"bits_per_weight", weights ? double(bits) / double(weights) : 32.0},
                       {"notes", result.notes}};
        writeFileAtomic(dir / "gguf_source.json", source.dump(2) + "\n");
    });
    result.folder = out;
    return result;
}

bool isGgufPath(const fs::path& path) {
    std::error_code ec;
    return path.extension() == ".gguf" || (fs::is_regular_file(path, ec) && [&] {
               // Ollama's blobs have no extension: look at the magic.
               std::FILE* fp = std::fopen(path.c_str(), "rb");
               if (!fp) return false;
               char magic[4] = {};
               const bool ok = std::fread(magic, 1, 4, fp) == 4 && std::string_view(magic, 4) == "GGUF";
               std::fclose(fp);
               return ok;
           }());
}

fs::path ggufImportFolder(const fs::path& file) {
    const fs::path abs = fs::absolute(file);
    const uint64_t stamp = fileStamp(abs) ^ std::hash<std::string>{}(abs.string());
    char hex[17];
    std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(stamp));
    const std::string stem = file.stem().string().empty() ? "model" : file.stem().string();
    return cacheRoot() / (stem.substr(0, 80) + "-" + hex);
}

bool ggufImported(const fs::path& file) {
    std::error_code ec;
    return fs::exists(ggufImportFolder(file) / "gguf_source.json", ec);
}

fs::path modelFolderFor(const fs::path& path) {
    std::error_code ec;
    if (path.empty() || fs::is_directory(path, ec) || !isGgufPath(path)) return path;
    const fs::path folder = ggufImportFolder(path);
    if (fs::exists(folder / "gguf_source.json", ec)) return folder;
    fs::create_directories(folder.parent_path(), ec);
    importGguf(fs::absolute(path), folder);
    return folder;
}

} // namespace ft
