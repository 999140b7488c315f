#include "core/model/decoder.h"

#include "core/common/error.h"
#include "core/io/atomic_file.h"
#include "core/io/safetensors.h"

#include <nlohmann/json.hpp>
#include <torch/torch.h>

#include <cmath>
#include <map>

namespace F = torch::nn::functional;

namespace ft {

ProjectionImpl::ProjectionImpl(int64_t in, int64_t out, bool withBias) {
    weight = register_parameter("weight", torch::empty({out, in}));
    if (withBias) bias = register_parameter("bias", torch::zeros({out}));
}

torch::Tensor ProjectionImpl::forward(const torch::Tensor& x) {
    torch::Tensor y = F::linear(x, weight, bias);
    if (hasLora()) {
        torch::Tensor h = loraDropout > 0.0 ? F::dropout(x, F::DropoutFuncOptions().p(loraDropout).training(is_training())) : x;
        y = y + F::linear(F::linear(h.to(loraA.dtype()), loraA), loraB).to(y.dtype()) * loraScaling;
    }
    return y;
}

void ProjectionImpl::enableLora(int64_t r, double scaling, double dropout) {
    const int64_t in = weight.size(1), out = weight.size(0);
    // PEFT's default init: A ~ kaiming_uniform(a=√5) (nn.Linear's default), B = 0, so training starts at W.
    torch::Tensor a = torch::empty({r, in});
    torch::nn::init::kaiming_uniform_(a, std::sqrt(5.0));
    loraA = register_parameter("lora_A", a);
    loraB = register_parameter("lora_B", torch::zeros({out, r}));
    loraScaling = scaling;
    loraDropout = dropout;
}

RMSNormImpl::RMSNormImpl(int64_t dim, double eps_) : eps(eps_) {
    weight = register_parameter("weight", torch::ones({dim}));
}

torch::Tensor RMSNormImpl::forward(const torch::Tensor& x) {
    // transformers' LlamaRMSNorm: normalize in fp32, cast back to the input dtype, then scale.
    torch::Tensor h = x.to(torch::kFloat32);
    h = h * torch::rsqrt(h.pow(2).mean(-1, /*keepdim=*/true) + eps);
    return weight * h.to(x.scalar_type());
}

namespace {
torch::Tensor rotateHalf(const torch::Tensor& x) {
    const int64_t half = x.size(-1) / 2;
    return torch::cat({-x.slice(-1, half), x.slice(-1, 0, half)}, -1);
}
} // namespace

AttentionImpl::AttentionImpl(const ModelConfig& c)
    : numHeads(c.numHeads), numKvHeads(c.numKvHeads), headDim(c.headDim) {
    q_proj = register_module("q_proj", Projection(c.hiddenSize, numHeads * headDim, c.attentionBias));
    k_proj = register_module("k_proj", Projection(c.hiddenSize, numKvHeads * headDim, c.attentionBias));
    v_proj = register_module("v_proj", Projection(c.hiddenSize, numKvHeads * headDim, c.attentionBias));
    o_proj = register_module("o_proj", Projection(numHeads * headDim, c.hiddenSize, c.attentionBias));
}

torch::Tensor AttentionImpl::forward(const torch::Tensor& x, const torch::Tensor& cos, const torch::Tensor& sin) {
    const int64_t B = x.size(0), T = x.size(1);
    auto q = q_proj(x).view({B, T, numHeads, headDim}).transpose(1, 2);    // (B, H, T, D)
    auto k = k_proj(x).view({B, T, numKvHeads, headDim}).transpose(1, 2);  // (B, Hkv, T, D)
    auto v = v_proj(x).view({B, T, numKvHeads, headDim}).transpose(1, 2);
    const auto c = cos.to(q.scalar_type()), s = sin.to(q.scalar_type());
    q = q * c + rotateHalf(q) * s;
    k = k * c + rotateHalf(k) * s;
    if (numKvHeads != numHeads) {  // grouped-query attention: each kv head serves H/Hkv query heads
        const int64_t rep = numHeads / numKvHeads;
        k = k.repeat_interleave(rep, 1);
        v = v.repeat_interleave(rep, 1);
    }
    auto y = at::scaled_dot_product_attention(q, k, v, /*attn_mask=*/{}, /*dropout_p=*/0.0, /*is_causal=*/true);
    return o_proj(y.transpose(1, 2).reshape({B, T, numHeads * headDim}));
}

MlpImpl::MlpImpl(const ModelConfig& c) {
    gate_proj = register_module("gate_proj", Projection(c.hiddenSize, c.intermediateSize, c.mlpBias));
    up_proj = register_module("up_proj", Projection(c.hiddenSize, c.intermediateSize, c.mlpBias));
    down_proj = register_module("down_proj", Projection(c.intermediateSize, c.hiddenSize, c.mlpBias));
}

torch::Tensor MlpImpl::forward(const torch::Tensor& x) {
    return down_proj(F::silu(gate_proj(x)) * up_proj(x));
}

DecoderLayerImpl::DecoderLayerImpl(const ModelConfig& c) {
    input_layernorm = register_module("input_layernorm", RMSNorm(c.hiddenSize, c.rmsNormEps));
    self_attn = register_module("self_attn", Attention(c));
    post_attention_layernorm = register_module("post_attention_layernorm", RMSNorm(c.hiddenSize, c.rmsNormEps));
    mlp = register_module("mlp", Mlp(c));
}

torch::Tensor DecoderLayerImpl::forward(const torch::Tensor& x, const torch::Tensor& cos, const torch::Tensor& sin) {
    auto h = x + self_attn(input_layernorm(x), cos, sin);
    return h + mlp(post_attention_layernorm(h));
}

DecoderModelImpl::DecoderModelImpl(const ModelConfig& c) {
    embed_tokens = register_module("embed_tokens", torch::nn::Embedding(c.vocabSize, c.hiddenSize));
    layers = register_module("layers", torch::nn::ModuleList());
    for (int i = 0; i < c.numLayers; ++i) layers->push_back(DecoderLayer(c));
    norm = register_module("norm", RMSNorm(c.hiddenSize, c.rmsNormEps));
}

CausalLMImpl::CausalLMImpl(const ModelConfig& c) : config(c) {
    model = register_module("model", DecoderModel(c));
    if (!c.tieWordEmbeddings) lm_head = register_module("lm_head", Projection(c.hiddenSize, c.vocabSize, false));
}

std::pair<torch::Tensor, torch::Tensor> CausalLMImpl::rope(int64_t T, torch::Device device) const {
    const int64_t D = config.headDim;
    auto opts = torch::TensorOptions().dtype(torch::kFloat32).device(device);
    // inv_freq computed as transformers does: 1 / theta^(arange(0, D, 2) / D), in fp32.
    auto invFreq = 1.0 / torch::pow(config.ropeTheta, torch::arange(0, D, 2, torch::TensorOptions().dtype(torch::kInt64).device(device)).to(torch::kFloat32) / D);
    auto pos = torch::arange(T, opts);
    auto freqs = torch::outer(pos, invFreq);  // (T, D/2)
    auto emb = torch::cat({freqs, freqs}, -1);  // (T, D)
    return {emb.cos(), emb.sin()};
}

torch::Tensor CausalLMImpl::forward(const torch::Tensor& ids) {
    auto [cos, sin] = rope(ids.size(1), ids.device());
    torch::Tensor h = model->embed_tokens(ids);  // (B, T, C)
    for (auto& layer : *model->layers) h = layer->as<DecoderLayerImpl>()->forward(h, cos, sin);
    h = model->norm(h);
    torch::Tensor logits = lm_head ? lm_head(h) : F::linear(h, model->embed_tokens->weight);
    return logits.to(torch::kFloat32);  // (B, T, V)
}

namespace {

std::vector<std::filesystem::path> weightFiles(const std::filesystem::path& dir) {
    const auto single = dir / "model.safetensors";
    if (std::filesystem::exists(single)) return {single};
    const auto index = dir / "model.safetensors.index.json";
    if (!std::filesystem::exists(index))
        throw Error(ErrorCode::FileNotFound, single.string(), "no model.safetensors or model.safetensors.index.json");
    nlohmann::json j;
    try {
        j = nlohmann::json::parse(readFile(index));
    } catch (const nlohmann::json::parse_error& e) {
        throw Error(ErrorCode::ParseError, index.string(), e.what());
    }
    if (!j.contains("weight_map") || !j["weight_map"].is_object())
        throw Error(ErrorCode::MissingField, index.string() + ": weight_map", "");
    std::vector<std::filesystem::path> files;
    for (const auto& [name, file] : j["weight_map"].items()) {
        const auto p = dir / file.get<std::string>();
        if (std::find(files.begin(), files.end(), p) == files.end()) files.push_back(p);
    }
    return files;
}

} // namespace

void loadWeights(CausalLM& lm, const std::filesystem::path& modelDir) {
    std::map<std::string, torch::Tensor> params;
    for (auto& p : lm->named_parameters()) params.emplace(p.key(), p.value());
    std::map<std::string, bool> seen;
    torch::NoGradGuard noGrad;
    for (const auto& file : weightFiles(modelDir)) {
        const auto st = SafetensorsFile::open(file);
        for (const auto& e : st.entries()) {
            auto it = params.find(e.name);
            if (it == params.end()) {
                // Buffers transformers may save that we recompute (RoPE), or a tied head stored anyway.
                if (e.name.find("rotary_emb") != std::string::npos || e.name == "lm_head.weight") continue;
                throw Error(ErrorCode::Unsupported, file.string() + ": tensor '" + e.name + "'",
                            "the model has no such parameter");
            }
            if (it->second.sizes().vec() != e.shape)
                throw Error(ErrorCode::InvalidValue, file.string() + ": tensor '" + e.name + "'",
                            "shape " + c10::str(e.shape) + " but config.json implies " + c10::str(it->second.sizes()));
            it->second.copy_(st.tensor(e.name));
            seen[e.name] = true;
        }
    }
    for (const auto& [name, t] : params)
        if (!seen.count(name) && name.find("lora_") == std::string::npos)
            throw Error(ErrorCode::MissingField, (modelDir / "model.safetensors").string(), "missing tensor '" + name + "'");
}

CausalLM loadCausalLM(const std::filesystem::path& modelDir) {
    CausalLM lm(loadModelConfig(modelDir / "config.json"));
    loadWeights(lm, modelDir);
    return lm;
}

void initRandomWeights(CausalLM& lm, uint64_t seed) {
    torch::NoGradGuard noGrad;
    auto gen = at::make_generator<at::CPUGeneratorImpl>(seed);
    for (auto& p : lm->named_parameters()) {
        const std::string& name = p.key();
        if (name.find("norm") != std::string::npos)
            p.value().fill_(1.0);
        else if (name.ends_with(".bias"))
            p.value().zero_();
        else  // N(0, 1/fan_in): keeps activations at unit scale through the stack (LeCun), see decoder.h
            p.value().normal_(0.0, 1.0 / std::sqrt(double(p.value().size(-1))), gen);
    }
}

} // namespace ft
