#pragma once
// Internal (includes LibTorch): attaching LoRA to a decoder, and reading its tensors under PEFT's names.

#include "core/model/decoder.h"
#include "core/peft/lora_config.h"

#include <string>
#include <utility>
#include <vector>

namespace ft {

// Freezes every base weight and adds a LoRA pair to each projection named in config.targetModules.
// Returns the number of trainable parameters. Throws if no module matches.
int64_t applyLora(CausalLM& lm, const LoraConfig& config);

// The adapter's tensors as PEFT saves them:
// "base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight" → (r, in)
std::vector<std::pair<std::string, torch::Tensor>> loraTensors(CausalLM& lm);

// The biases a LoRA config with bias `all` or `lora_only` trains, under peft's names
// ("...q_proj.base_layer.bias" for an adapted layer, "...k_proj.bias" otherwise); none for "none".
std::vector<std::pair<std::string, torch::Tensor>> loraBiasTensors(CausalLM& lm, const std::string& bias);

// Copies tensors saved under PEFT's names back into the LoRA pairs (names and shapes must match).
void loadLoraTensors(CausalLM& lm, const std::vector<std::pair<std::string, torch::Tensor>>& tensors);

int64_t trainableParameterCount(CausalLM& lm);

} // namespace ft
