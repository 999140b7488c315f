// Mirrors llama.cpp's convert_lora_to_gguf.py (with convert_hf_to_gguf.py's model classes and gguf-py's
// GGUFWriter) for the families we train; checked byte for byte against its output in tests/tst_export.cpp.

#include "core/export/gguf_adapter.h"

#include "core/common/error.h"
#include "core/export/lora_pairs.h"
#include "core/model/architecture.h"
#include "core/model/model_config.h"
#include "core/model/tensor_names.h"

#include <cctype>
#include <cmath>
#include <optional>
#include <regex>

namespace fs = std::filesystem;

namespace ft {

namespace {

struct GgufArch {
    std::string_view modelType;  // config.json model_type
    std::string_view name;       // gguf MODEL_ARCH_NAMES
    bool permuteQk;              // LlamaModel.undo_permute: q/k rows reordered for ggml's RoPE layout
};

// convert_hf_to_gguf.py picks the class by "architectures"; for our families that is one class per model_type.
constexpr GgufArch kArchs[] = {
    {"llama", "llama", true},     // LlamaModel
    {"mistral", "llama", true},   // MistralForCausalLM is a LlamaModel too
    {"qwen2", "qwen2", false},
    {"qwen3", "qwen3", false},
    {"gemma", "gemma", false},
    {"gemma2", "gemma2", false},
    {"gemma3_text", "gemma3", false},
};

// LlamaModel.permute: rows grouped per head as (2, d/2) become (d/2, 2), interleaving the RoPE halves.
// b: (out, r) with out = heads · d.
torch::Tensor permuteRows(const torch::Tensor& b, int64_t heads) {
    return b.reshape({heads, 2, b.size(0) / heads / 2, b.size(1)}).transpose(1, 2).reshape(b.sizes()).contiguous();
}

// llama.cpp's name for a LoRA target's weight ("model.layers.3.self_attn.q_proj" → "blk.3.attn_q.weight"): it applies
// adapters to a block's projections and the output layer only.
std::optional<std::string> ggufLoraTarget(const ModelConfig& config, const std::string& module) {
    const std::string weight = module + ".weight";
    if (module != "lm_head" && !isBlockProjectionWeight(weight, 2)) return std::nullopt;
    return ggufTensorName(config.arch->tensorNames, weight);
}

// gguf-py Metadata.id_to_title over the adapter folder's name, the converter's fallback for general.name:
// '-' to spaces; an all-lowercase word that is not a version or number gets str.title().
std::string titleFromFolder(const std::string& id) {
    static const std::regex versionOrNumber(R"(^(v\d+(?:\.\d+)*|\d.*)$)");
    std::string spaced = id;
    for (char& c : spaced) if (c == '-') c = ' ';
    std::string out, word;
    auto flush = [&] {
        if (word.empty()) return;
        bool cased = false, lower = true;
        for (unsigned char c : word) {
            if (std::isalpha(c)) cased = true;
            if (std::isupper(c)) lower = false;
        }
        if (cased && lower && !std::regex_match(word, versionOrNumber)) {
            bool prevLetter = false;  // str.title(): upper after a non-letter, lower after a letter
            for (char& c : word) {
                const bool letter = std::isalpha(static_cast<unsigned char>(c));
                if (letter) c = char(prevLetter ? std::tolower(c) : std::toupper(c));
                prevLetter = letter;
            }
        }
        out += (out.empty() ? "" : " ") + word;
        word.clear();
    };
    for (char c : spaced) {
        if (std::isspace(static_cast<unsigned char>(c))) flush();
        else word += c;
    }
    flush();
    return out;
}

std::string tensorBytes(const torch::Tensor& t, GgmlType type) {
    // through fp32 as the converter does (bf16 → f32, then numpy's f32 → f16 rounding)
    const auto c = t.to(torch::kFloat32).to(type == GgmlType::F32 ? torch::kFloat32 : torch::kFloat16).contiguous();
    return std::string(static_cast<const char*>(c.data_ptr()), size_t(c.numel()) * c.element_size());
}

} // namespace

void writeGgufAdapter(const fs::path& baseModelDir, const fs::path& peftAdapterDir, const fs::path& outFile,
                      const GgufAdapterOptions& options) {
    if (options.type != GgmlType::F32 && options.type != GgmlType::F16)
        throw Error(ErrorCode::Unsupported, "gguf type", std::string(ggmlTypeName(options.type)) + ": only F32 and F16 are written");
    if (fs::is_directory(outFile)) throw Error(ErrorCode::InvalidValue, outFile.string(), "is a folder; give the .gguf file to write");
    const ModelConfig config = loadModelConfig(baseModelDir / "config.json");
    const GgufArch* arch = nullptr;
    for (const auto& a : kArchs)
        if (a.modelType == config.modelType) arch = &a;
    if (!arch) throw Error(ErrorCode::Unsupported, (baseModelDir / "config.json").string() + ": model_type", config.modelType + " has no GGUF adapter mapping");

    const BaseCheckpoint base = openBaseCheckpoint(baseModelDir);
    const AdapterForBase adapter = readAdapterForBase(peftAdapterDir, base);

    if (!adapter.biases.empty())  // convert_lora_to_gguf.py stops on them too: llama.cpp adapters carry no biases
        throw Error(ErrorCode::Unsupported, (peftAdapterDir / "adapter_model.safetensors").string() + ": " + adapter.biases[0].first,
                    "a GGUF LoRA adapter cannot carry trained biases (bias \"" + adapter.config.bias + "\"); export it merged instead");
    GgufWriter w;
    w.addString("general.architecture", std::string(arch->name));
    w.addString("general.type", "adapter");
    w.addString("adapter.type", "lora");
    w.addString("general.name", titleFromFolder(fs::absolute(peftAdapterDir).lexically_normal().filename().string()));
    // llama.cpp scales by alpha / r; carry rsLoRA's alpha / √r through alpha.
    const double alpha = adapter.config.alpha * (adapter.config.useRslora ? std::sqrt(double(adapter.config.r)) : 1.0);
    w.addFloat32("adapter.lora.alpha", float(alpha));
    w.addUint32("general.quantization_version", 2);  // GGML_QUANT_VERSION

    for (const auto& p : adapter.pairs) {
        const auto target = ggufLoraTarget(config, p.module);
        if (!target)
            throw Error(ErrorCode::Unsupported, (peftAdapterDir / "adapter_model.safetensors").string() + ": base_model.model." + p.module,
                        "llama.cpp has no tensor for this module");
        const std::string& name = *target;
        if (name == "output.weight" && config.tieWordEmbeddings)
            throw Error(ErrorCode::Unsupported, p.module, "lm_head is tied to the embeddings; llama.cpp ignores LoRA on it");
        torch::Tensor b = p.b.to(torch::kFloat32);
        if (arch->permuteQk && p.module.ends_with("self_attn.q_proj")) b = permuteRows(b, config.numHeads);
        if (arch->permuteQk && p.module.ends_with("self_attn.k_proj")) b = permuteRows(b, config.numKvHeads);
        w.addTensor(name + ".lora_a", p.a.sizes().vec(), options.type, tensorBytes(p.a, options.type));
        w.addTensor(name + ".lora_b", b.sizes().vec(), options.type, tensorBytes(b, options.type));
    }
    w.write(outFile);
}

} // namespace ft
