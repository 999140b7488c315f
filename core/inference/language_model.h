#pragma once
// A loaded model for inference (the CLI's generate, the app's chat), without LibTorch in the interface. Above
// peft, as it attaches every kind of exported adapter.

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

} // namespace ft
