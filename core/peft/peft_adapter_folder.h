#pragma once
// Internal (includes LibTorch): the PEFT adapter folder that peft.PeftModel.from_pretrained loads:
// adapter_config.json + adapter_model.safetensors. Every method's export writes it through writeAdapterFolder (our
// bottleneck adapters too, in the same layout); LoRA's tensors are "base_model.model.<module>.lora_{A,B}.weight".

#include "core/io/safetensors.h"
#include "core/model/decoder.h"
#include "core/peft/lora_config.h"

#include <filesystem>
#include <string>
#include <utility>
#include <vector>

namespace ft {

// Writes `dir` atomically: adapter_config.json (`configJson` verbatim) and adapter_model.safetensors.
void writeAdapterFolder(const std::filesystem::path& dir, const std::string& configJson, const NamedTensors& tensors);

void writePeftAdapter(CausalLM& lm, const LoraConfig& config, const std::string& baseModel,
                      const std::filesystem::path& dir);

struct PeftAdapter {
    LoraConfig config;
    std::string baseModel;
    std::vector<std::pair<std::string, torch::Tensor>> tensors;
};

PeftAdapter readPeftAdapter(const std::filesystem::path& dir);

} // namespace ft
