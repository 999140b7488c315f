#include "core/peft/prompt_learning.h"

#include "core/common/error.h"
#include "core/model/model_folder.h"
#include "core/text/tokenizer.h"

#include <torch/torch.h>

namespace ft {

PromptShape promptShape(const ModelConfig& c, Method method, const PromptLearningConfig& config) {
    PromptShape s;
    s.numVirtualTokens = config.numVirtualTokens;
    s.numLayers = c.numLayers;
    s.tokenDim = c.hiddenSize;
    s.numAttentionHeads = c.numHeads;
    if (method == Method::PrefixTuning) {  // peft #1901: grouped-query attention caches only the KV heads
        s.tokenDim = int64_t(c.headDim) * c.numKvHeads;
        s.numAttentionHeads = c.numKvHeads;
    }
    if (method == Method::PTuning || method == Method::PrefixTuning)  // peft fills it in for prefix tuning even unprojected
        s.encoderHiddenSize = config.encoderHiddenSize > 0 ? config.encoderHiddenSize : s.tokenDim;
    return s;
}

PromptEmbeddingImpl::PromptEmbeddingImpl(int64_t numVirtualTokens, int64_t tokenDim) {
    embedding = register_module("embedding", torch::nn::Embedding(numVirtualTokens, tokenDim));  // N(0, 1)
}

torch::Tensor PromptEmbeddingImpl::virtualEmbeddings(int64_t batch, torch::Dtype dtype) {
    return embedding->weight.to(dtype).unsqueeze(0).expand({batch, -1, -1});  // (B, Nv, C)
}

torch::Tensor PromptEmbeddingImpl::embeddingToSave() { return embedding->weight; }

PromptEncoderImpl::PromptEncoderImpl(const PromptShape& s, const PromptLearningConfig& config) {
    const int64_t dim = s.tokenDim, hidden = s.encoderHiddenSize;
    namespace nn = torch::nn;
    embedding = register_module("embedding", nn::Embedding(s.numVirtualTokens, dim));
    if (config.encoderType == "LSTM") {
        lstm_head = register_module("lstm_head", nn::LSTM(nn::LSTMOptions(dim, hidden)
                                                              .num_layers(config.encoderNumLayers)
                                                              .dropout(config.encoderDropout)
                                                              .bidirectional(true)
                                                              .batch_first(true)));
        mlp_head = register_module("mlp_head", nn::Sequential(nn::Linear(2 * hidden, 2 * hidden), nn::ReLU(),
                                                              nn::Linear(2 * hidden, dim)));
    } else if (config.encoderType == "MLP") {
        mlp_head = register_module("mlp_head", nn::Sequential(nn::Linear(dim, hidden), nn::ReLU(), nn::Linear(hidden, hidden),
                                                              nn::ReLU(), nn::Linear(hidden, dim)));
    } else {
        throw Error(ErrorCode::InvalidValue, "prompt_learning.encoder_type", "'" + config.encoderType + "'; use MLP or LSTM");
    }
}

torch::Tensor PromptEncoderImpl::encode() {
    torch::Tensor e = embedding->weight.unsqueeze(0);  // (1, Nv, C): peft embeds arange(Nv) for one row
    if (lstm_head) e = std::get<0>(lstm_head->forward(e));  // (1, Nv, 2·hidden)
    return mlp_head->forward(e).squeeze(0);
}

torch::Tensor PromptEncoderImpl::virtualEmbeddings(int64_t batch, torch::Dtype dtype) {
    // peft runs the encoder once and repeats its output over the batch (peft #2043).
    return encode().to(dtype).unsqueeze(0).expand({batch, -1, -1});
}

PrefixEncoderImpl::PrefixEncoderImpl(const PromptShape& s, bool projection) : shape(s) {
    namespace nn = torch::nn;
    const int64_t out = s.numLayers * 2 * s.tokenDim;
    if (projection) {
        embedding = register_module("embedding", nn::Embedding(s.numVirtualTokens, s.tokenDim));
        transform = register_module("transform", nn::Sequential(nn::Linear(s.tokenDim, s.encoderHiddenSize), nn::Tanh(),
                                                                nn::Linear(s.encoderHiddenSize, out)));
    } else {
        embedding = register_module("embedding", nn::Embedding(s.numVirtualTokens, out));
    }
}

torch::Tensor PrefixEncoderImpl::encode() {
    return transform ? transform->forward(embedding->weight) : embedding->weight;
}

bool PrefixEncoderImpl::fillPrefix(int64_t batch, torch::Dtype dtype, KvCache& cache) {
    const int64_t nv = shape.numVirtualTokens, layers = shape.numLayers, heads = shape.numAttentionHeads;
    // peft's get_prompt: (Nv, L·2·H·D) → (Nv, 2L, H, D) → (2L, H, Nv, D); layer l's keys are 2l, its values 2l + 1.
    auto kv = encode().to(dtype).view({nv, 2 * layers, heads, shape.tokenDim / heads}).permute({1, 2, 0, 3});
    cache.keys.resize(size_t(layers));
    cache.values.resize(size_t(layers));
    for (int64_t l = 0; l < layers; ++l) {
        cache.keys[size_t(l)] = kv[2 * l].unsqueeze(0).expand({batch, -1, -1, -1});  // (B, Hkv, Nv, D)
        cache.values[size_t(l)] = kv[2 * l + 1].unsqueeze(0).expand({batch, -1, -1, -1});
    }
    cache.length = nv;
    return true;
}

std::vector<int64_t> promptInitTokenIds(const ModelTokenizer& tokenizer, bool addBos, bool addEos, const std::string& text,
                                        int64_t numVirtualTokens) {
    std::vector<int64_t> ids;
    if (addBos && tokenizer.bosId() >= 0) ids.push_back(tokenizer.bosId());
    for (int id : tokenizer.encode(text).ids) ids.push_back(id);
    if (addEos && tokenizer.eosId() >= 0) ids.push_back(tokenizer.eosId());
    if (ids.empty()) throw Error(ErrorCode::InvalidValue, "prompt_learning.init_text", "gives no tokens");
    // peft: cut when longer; else repeat ceil(Nv / n) times, then cut.
    std::vector<int64_t> out;
    while (int64_t(out.size()) < numVirtualTokens) out.insert(out.end(), ids.begin(), ids.end());
    out.resize(size_t(numVirtualTokens));
    return out;
}

namespace {

void setPrompt(CausalLM& lm, std::shared_ptr<PromptLearningImpl> module) {
    if (lm->prompt) throw Error(ErrorCode::InvalidValue, "prompt_encoder", "the model already has a prompt-learning method attached");
    module->to(lm->model->embed_tokens->weight.device());
    lm->prompt = lm->register_module("prompt_encoder", std::move(module));
}

} // namespace

std::shared_ptr<PromptLearningImpl> attachPromptLearning(CausalLM& lm, Method method, const PromptLearningConfig& config,
                                                         const std::vector<int64_t>& initTokenIds) {
    const PromptShape s = promptShape(lm->config, method, config);
    std::shared_ptr<PromptLearningImpl> module;
    if (method == Method::PromptTuning) {
        auto m = std::make_shared<PromptEmbeddingImpl>(s.numVirtualTokens, s.tokenDim);
        if (!initTokenIds.empty()) {
            // peft copies word_embeddings(ids) (with Gemma's scale, part of its embedding module) into fp32.
            torch::NoGradGuard noGrad;
            const auto& table = lm->model->embed_tokens->weight;
            auto ids = torch::tensor(initTokenIds, torch::kInt64).to(table.device());
            if (ids.max().item<int64_t>() >= table.size(0))
                throw Error(ErrorCode::InvalidValue, "prompt_learning.init_text", "a token id is outside the model's vocabulary");
            torch::Tensor rows = table.index_select(0, ids);
            if (lm->config.spec().embedScale) rows = rows * torch::tensor(std::sqrt(double(lm->config.hiddenSize)), rows.options());
            m->embedding->weight.copy_(rows.to(torch::kFloat32));
        }
        module = m;
    } else if (method == Method::PTuning) {
        module = std::make_shared<PromptEncoderImpl>(s, config);
    } else if (method == Method::PrefixTuning) {
        module = std::make_shared<PrefixEncoderImpl>(s, config.prefixProjection);
    } else {
        throw Error(ErrorCode::Internal, "method", "'" + std::string(methodSpec(method).name) + "' is not a prompt-learning method");
    }
    setPrompt(lm, module);
    return module;
}

std::shared_ptr<PromptLearningImpl> attachPromptLearning(CausalLM& lm, const std::string& method, const PromptLearningConfig& config,
                                                         const std::vector<int64_t>& initTokenIds) {
    return attachPromptLearning(lm, methodSpec(method).id, config, initTokenIds);
}

void attachSavedPrompt(CausalLM& lm, Method method, const torch::Tensor& saved) {
    const ModelConfig& c = lm->config;
    if (saved.dim() != 2) throw Error(ErrorCode::InvalidValue, "prompt_embeddings", "expected a matrix, got " + c10::str(saved.sizes()));
    const int64_t nv = saved.size(0);
    std::shared_ptr<PromptLearningImpl> module;
    if (method == Method::PromptTuning || method == Method::PTuning) {
        if (saved.size(1) != c.hiddenSize)
            throw Error(ErrorCode::InvalidValue, "prompt_embeddings", "width " + std::to_string(saved.size(1)) +
                                                                          " but the model's hidden size is " + std::to_string(c.hiddenSize));
        module = std::make_shared<PromptEmbeddingImpl>(nv, c.hiddenSize);
    } else if (method == Method::PrefixTuning) {
        PromptLearningConfig pc;
        pc.numVirtualTokens = int(nv);
        const PromptShape s = promptShape(c, Method::PrefixTuning, pc);
        if (saved.size(1) != s.numLayers * 2 * s.tokenDim)
            throw Error(ErrorCode::InvalidValue, "prompt_embeddings", "width " + std::to_string(saved.size(1)) + " but the model's " +
                                                                          std::to_string(s.numLayers) + " layers need 2 × " +
                                                                          std::to_string(s.tokenDim) + " each");
        module = std::make_shared<PrefixEncoderImpl>(s, /*projection=*/false);
    } else {
        throw Error(ErrorCode::Unsupported, "peft_type", "'" + std::string(methodSpec(method).peftType) + "' is not a prompt-learning method we run");
    }
    torch::NoGradGuard noGrad;
    if (auto* p = module->as<PromptEmbeddingImpl>()) p->embedding->weight.copy_(saved);
    if (auto* p = module->as<PrefixEncoderImpl>()) p->embedding->weight.copy_(saved);
    setPrompt(lm, module);
}

} // namespace ft
