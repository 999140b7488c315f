#pragma once
// A loaded model for inference (the CLI's generate, the app's chat), without LibTorch in the interface.

#include "core/model/generation.h"
#include "core/model/model_config.h"

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace ft {

class LanguageModel {
public:
    // dtype: "float32", "bfloat16" or "float16".
    static std::unique_ptr<LanguageModel> load(const std::filesystem::path& dir, const std::string& dtype = "float32");
    ~LanguageModel();

    // Attaches an exported adapter folder: PEFT LoRA, prompt tuning, P-tuning, prefix tuning, or our bottleneck
    // adapters (core/peft/methods.h loadMethodAdapter).
    void applyAdapter(const std::filesystem::path& adapterDir);
    std::vector<int> generate(const std::vector<int>& prompt, const GenerationOptions& options, const TokenCallback& onToken = {});
    // Per-token loss with training's shift: element t is -log p(labels[t] | ids[0..t-1]), the cross-entropy training
    // takes on token t; NaN at t = 0 and where labels[t] is -100 (kIgnoreIndex). Summed over the non-NaN elements it
    // is causalLmLossSum for the same ids and labels. One forward pass, no gradients.
    std::vector<float> tokenLosses(const std::vector<int>& ids, const std::vector<int>& labels) const;
    const ModelConfig& config() const;

private:
    LanguageModel();
    struct Impl;
    std::unique_ptr<Impl> m;
};

// What a model folder costs in memory in each storage format, from its safetensors headers (no weights read).
// int8 and nf4 apply to the decoder layers' linear weights (as bitsandbytes does); the rest stays in bf16.
struct ModelFootprint {
    int64_t parameters = 0;
    int64_t quantizableParameters = 0;  // decoder-layer projection weights
    std::string dtype;                  // of the stored weights
    int64_t fp32 = 0, fp16 = 0, bf16 = 0;
    int64_t int8 = 0;                   // 1 byte per weight + an fp32 absmax per output row
    int64_t nf4 = 0;                    // 4 bits per weight + an fp32 absmax per 64-block
    int64_t nf4DoubleQuant = 0;         // absmax as 8-bit codes per block + fp32 scale per 256 absmax + code table
    int64_t nf4Absmax = 0, nf4DoubleQuantAbsmax = 0;  // the overhead alone
};

ModelFootprint modelFootprint(const std::filesystem::path& dir);

} // namespace ft
