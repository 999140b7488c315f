#pragma once
// Internal (includes LibTorch): the PEFT adapter folder that peft.PeftModel.from_pretrained loads:
// adapter_config.json + adapter_model.safetensors with "base_model.model.<module>.lora_{A,B}.weight".

#include "core/model/decoder.h"
#include "core/peft/lora_config.h"

#include <filesystem>
#include <string>
#include <utility>
#include <vector>

namespace ft {

void writePeftAdapter(CausalLM& lm, const LoraConfig& config, const std::string& baseModel,
                      const std::filesystem::path& dir);

struct PeftAdapter {
    LoraConfig config;
    std::string baseModel;
    std::vector<std::pair<std::string, torch::Tensor>> tensors;
};

PeftAdapter readPeftAdapter(const std::filesystem::path& dir);

} // namespace ft
