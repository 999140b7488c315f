#pragma once
// Internal (includes LibTorch): a PEFT LoRA adapter read for export, its lora_A/lora_B tensors paired per module and
// checked against the base checkpoint they are meant for, before anything is written.

#include "core/io/safetensors.h"
#include "core/peft/lora_config.h"

#include <torch/torch.h>

#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace ft {

struct LoraPair {
    std::string module;      // "model.layers.0.self_attn.q_proj"
    std::string baseTensor;  // "model.layers.0.self_attn.q_proj.weight"
    torch::Tensor a;         // (r, in) as peft stores it
    torch::Tensor b;         // (out, r)
};

struct AdapterForBase {
    LoraConfig config;
    std::vector<LoraPair> pairs;  // in the order of the adapter file (by offset), each where its first half is
    // bias "all" / "lora_only": trained biases, which replace the base's ("<module>.bias" → tensor)
    std::vector<std::pair<std::string, torch::Tensor>> biases;
};

// The base checkpoint's weight files, memory-mapped (headers read, no tensor bytes touched), and where each tensor is.
struct BaseCheckpoint {
    std::filesystem::path dir;
    std::vector<SafetensorsFile> files;                              // model.safetensors, or the shards in index order
    std::map<std::string, std::pair<size_t, const TensorEntry*>> byName;  // tensor → (file index, entry)
    bool sharded = false;
};

BaseCheckpoint openBaseCheckpoint(const std::filesystem::path& modelDir);

// Reads `adapterDir` and pairs its tensors. Refuses (ft::Error naming the adapter tensor) a tensor that is neither
// "base_model.model.<module>.lora_{A,B}.weight" nor a trained bias ("<module>[.base_layer].bias", peft's names), a
// lone half of a pair, ranks that disagree, and a module whose "<module>.weight" (or bias) the base lacks or whose
// shape is not [B rows, A columns] (or the bias's).
AdapterForBase readAdapterForBase(const std::filesystem::path& adapterDir, const BaseCheckpoint& base);

} // namespace ft
