#pragma once
// The decoder's sizes and switches, read from a Hugging Face config.json (transformers 4.x and 5.x spellings).

#include "core/model/architecture.h"

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace ft {

struct RopeSpec {
    std::string type = "default";  // default | linear | llama3
    double theta = 10000.0;
    double factor = 1.0;
    double lowFreqFactor = 1.0;    // llama3
    double highFreqFactor = 4.0;   // llama3
    int originalMaxPositions = 8192;  // llama3
};

struct ModelConfig {
    std::string modelType = "llama";  // config "model_type"
    std::string architecture;         // first of "architectures"
    const ArchSpec* arch = nullptr;   // the table row for modelType
    int vocabSize = 0;
    int hiddenSize = 0;
    int intermediateSize = 0;
    int numLayers = 0;
    int numHeads = 0;
    int numKvHeads = 0;
    int headDim = 0;                  // hidden_size / heads unless config says otherwise
    int maxPositions = 2048;
    double rmsNormEps = 1e-6;
    RopeSpec rope;                    // full-attention layers
    RopeSpec ropeLocal;               // sliding-window layers (Gemma 3 uses another base); equals rope otherwise
    int slidingWindow = 0;            // 0: none
    std::vector<bool> slidingLayers;  // per layer: does it attend through the window?
    double attnSoftcap = 0.0;         // Gemma 2: tanh soft-capping of attention scores (0: off)
    double finalSoftcap = 0.0;        // Gemma 2: of the logits
    double queryPreAttnScalar = 0.0;  // scores scaled by 1/√this (0: head_dim)
    bool tieWordEmbeddings = false;
    bool attentionBias = false;       // bias on q/k/v/o
    bool mlpBias = false;
    std::string hiddenAct = "silu";
    std::string torchDtype = "float32";
    int bosTokenId = -1;
    std::vector<int> eosTokenIds;     // config may hold one id or a list
    int padTokenId = -1;

    const ArchSpec& spec() const { return *arch; }
    bool qkvBias() const { return attentionBias || arch->qkvBias; }
    double attentionScale() const;
    int64_t parameterCount() const;   // of the decoder as built here
};

ModelConfig parseModelConfig(const std::string& json, const std::string& where);
ModelConfig loadModelConfig(const std::filesystem::path& configJson);
// config.json as transformers writes it for this architecture (the subset we use).
std::string modelConfigToJson(const ModelConfig& config);

} // namespace ft
