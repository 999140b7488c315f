#include "core/peft/trainable_parameters.h"

#include <algorithm>

namespace ft {

std::vector<LayerLinear> layerLinears(const ModelConfig& c) {
    const int64_t C = c.hiddenSize, I = c.intermediateSize, q = int64_t(c.numHeads) * c.headDim,
                  kv = int64_t(c.numKvHeads) * c.headDim;
    return {{"q_proj", C, q, c.qkvBias()},        {"k_proj", C, kv, c.qkvBias()},  {"v_proj", C, kv, c.qkvBias()},
            {"o_proj", q, C, c.attentionBias},    {"gate_proj", C, I, c.mlpBias}, {"up_proj", C, I, c.mlpBias},
            {"down_proj", I, C, c.mlpBias}};
}

std::string layerPath(int layer, const char* name) {
    const std::string n = name;
    const bool mlp = n == "gate_proj" || n == "up_proj" || n == "down_proj";
    return "model.layers." + std::to_string(layer) + (mlp ? ".mlp." : ".self_attn.") + n;
}

bool isLoraTarget(const std::string& path, const char* leaf, const LoraConfig& lora) {
    for (const auto& t : lora.targetModules) {
        if (t == "all-linear") {
            const auto& all = llamaLinearModules();
            if (std::find(all.begin(), all.end(), leaf) != all.end()) return true;
        } else if (path == t || (path.size() > t.size() && path.ends_with(t) && path[path.size() - t.size() - 1] == '.')) {
            return true;
        }
    }
    return false;
}

namespace {

int64_t lstmParameters(int64_t in, int64_t hidden, int layers) {
    int64_t n = 0;  // bidirectional; per direction W_ih (4h, in), W_hh (4h, h) and two biases (4h)
    for (int l = 0; l < layers; ++l) n += 2 * (4 * hidden * ((l == 0 ? in : 2 * hidden) + hidden) + 8 * hidden);
    return n;
}

} // namespace

int64_t fullTrainableParameters(const ModelConfig& c, const MethodSettings&) { return c.parameterCount(); }

int64_t loraTrainableParameters(const ModelConfig& c, const MethodSettings& s) {
    int64_t n = 0;
    for (int l = 0; l < c.numLayers; ++l)
        for (const auto& p : layerLinears(c))
            if (isLoraTarget(layerPath(l, p.name), p.name, s.lora)) n += int64_t(s.lora.r) * (p.in + p.out);
    return n;
}

int64_t adapterTrainableParameters(const ModelConfig& c, const MethodSettings& s) {
    // down (b, C) + b, up (C, b) + C, after attention and after the MLP
    const int64_t C = c.hiddenSize, b = s.adapter.bottleneck;
    return int64_t(c.numLayers) * 2 * (2 * C * b + b + C);
}

int64_t promptTuningTrainableParameters(const ModelConfig& c, const MethodSettings& s) {
    return int64_t(s.promptLearning.numVirtualTokens) * c.hiddenSize;
}

int64_t pTuningTrainableParameters(const ModelConfig& c, const MethodSettings& s) {
    const auto& p = s.promptLearning;
    const int64_t C = c.hiddenSize, nv = p.numVirtualTokens;
    const int64_t h = p.encoderHiddenSize > 0 ? p.encoderHiddenSize : C;
    if (p.encoderType == "LSTM")
        return nv * C + lstmParameters(C, h, p.encoderNumLayers) + (2 * h * 2 * h + 2 * h) + (2 * h * C + C);
    return nv * C + (C * h + h) + (h * h + h) + (h * C + C);
}

int64_t prefixTuningTrainableParameters(const ModelConfig& c, const MethodSettings& s) {
    // peft caches only the KV heads (tokenDim = Hkv·D)
    const auto& p = s.promptLearning;
    const int64_t nv = p.numVirtualTokens;
    const int64_t dim = int64_t(c.numKvHeads) * c.headDim, out = int64_t(c.numLayers) * 2 * dim;
    const int64_t h = p.encoderHiddenSize > 0 ? p.encoderHiddenSize : dim;
    return p.prefixProjection ? nv * dim + (dim * h + h) + (h * out + out) : nv * out;
}

} // namespace ft
