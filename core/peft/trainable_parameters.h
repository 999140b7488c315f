#pragma once
// How many parameters each method trains, from config.json's sizes alone, as core/peft attaches them (checked
// against the attached modules by tests/tst_memory_estimate.cpp). The memory estimate reads them before anything is
// loaded. No LibTorch in this header.

#include "core/model/model_config.h"
#include "core/peft/lora_config.h"
#include "core/peft/method_settings.h"

#include <cstdint>
#include <string>
#include <vector>

namespace ft {

struct LayerLinear {
    const char* name;
    int64_t in, out;
    bool bias;
};

// The projections of one decoder layer, as decoder.cpp builds them.
std::vector<LayerLinear> layerLinears(const ModelConfig& c);

// A projection's module path ("model.layers.3.self_attn.q_proj").
std::string layerPath(int layer, const char* name);

// PEFT's target rule as core/peft/lora.cpp applies it: a path equal to a name or ending in "." + name;
// "all-linear" means every projection of the layers.
bool isLoraTarget(const std::string& path, const char* leaf, const LoraConfig& lora);

// One per row of the method table.
int64_t fullTrainableParameters(const ModelConfig& c, const MethodSettings& s);
int64_t loraTrainableParameters(const ModelConfig& c, const MethodSettings& s);
int64_t adapterTrainableParameters(const ModelConfig& c, const MethodSettings& s);
int64_t promptTuningTrainableParameters(const ModelConfig& c, const MethodSettings& s);
int64_t pTuningTrainableParameters(const ModelConfig& c, const MethodSettings& s);
int64_t prefixTuningTrainableParameters(const ModelConfig& c, const MethodSettings& s);

} // namespace ft
