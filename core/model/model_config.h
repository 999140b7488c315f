#pragma once
// The decoder's sizes and switches, read from a Hugging Face config.json.

#include <filesystem>
#include <string>
#include <vector>

namespace ft {

struct ModelConfig {
    std::string modelType = "llama";  // config "model_type"
    std::string architecture;         // first of "architectures"
    int vocabSize = 0;
    int hiddenSize = 0;
    int intermediateSize = 0;
    int numLayers = 0;
    int numHeads = 0;
    int numKvHeads = 0;
    int headDim = 0;                  // hidden_size / heads unless config says otherwise
    int maxPositions = 2048;
    double rmsNormEps = 1e-6;
    double ropeTheta = 10000.0;
    bool tieWordEmbeddings = false;
    bool attentionBias = false;
    bool mlpBias = false;
    std::string hiddenAct = "silu";
    std::string torchDtype = "float32";
    int bosTokenId = -1;
    std::vector<int> eosTokenIds;     // config may hold one id or a list
    int padTokenId = -1;

    int64_t parameterCount() const;   // of the decoder as built here
};

ModelConfig parseModelConfig(const std::string& json, const std::string& where);
ModelConfig loadModelConfig(const std::filesystem::path& configJson);
// The JSON a config.json would hold, as transformers writes it for LlamaForCausalLM.
std::string modelConfigToJson(const ModelConfig& config);

} // namespace ft
