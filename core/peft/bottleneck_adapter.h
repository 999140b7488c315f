#pragma once
// Internal (includes LibTorch): Houlsby-style bottleneck adapters (Houlsby et al. 2019, arXiv:1902.00751), not a peft
// method. Each decoder layer gets one after attention and one after the MLP, on the sub-block's output y:
//   y + up(act(down(y)))      down: (b, C) with bias, up: (C, b) with bias, up = 0 at the start (the identity)
// Saved in our own format: adapter_config.json with peft_type "FINETUNE_STUDIO_BOTTLENECK" and the tensors under
// their module paths ("model.layers.0.attn_adapter.down.weight").

#include "core/model/decoder.h"
#include "core/peft/method_config.h"

#include <torch/nn/modules/linear.h>

#include <filesystem>
#include <string>
#include <utility>
#include <vector>

namespace ft {

inline constexpr const char* kBottleneckAdapterType = "FINETUNE_STUDIO_BOTTLENECK";

struct BottleneckAdapterImpl : BlockHookImpl {
    BottleneckAdapterImpl(int64_t dim, int64_t bottleneck, const std::string& activation);
    torch::Tensor forward(const torch::Tensor& y) override;  // (B, T, C), computed in the adapter's dtype (fp32)
    torch::nn::Linear down{nullptr}, up{nullptr};
    std::string activation;
};

// Adds the adapters to every layer ("attn_adapter", "mlp_adapter"), in fp32 on the model's device.
void attachBottleneckAdapters(CausalLM& lm, const BottleneckAdapterConfig& config);

// The adapters' tensors under their module paths, in layer order.
std::vector<std::pair<std::string, torch::Tensor>> bottleneckAdapterTensors(CausalLM& lm);

void writeBottleneckAdapter(CausalLM& lm, const BottleneckAdapterConfig& config, const std::string& baseModel,
                            const std::filesystem::path& dir);
// Attaches the adapters a folder written by writeBottleneckAdapter holds.
void loadBottleneckAdapter(CausalLM& lm, const std::filesystem::path& dir);

} // namespace ft
