#pragma once
// Internal (includes LibTorch): the Llama-family decoder as LibTorch modules. Submodules carry the names of the
// Hugging Face checkpoint ("model.layers.0.self_attn.q_proj.weight"), so loading is a name lookup.
// Never include this from ui/ or app/; they talk to the core through headers without LibTorch.

#include "core/model/model_config.h"

#include <torch/nn/module.h>
#include <torch/nn/modules/container/modulelist.h>
#include <torch/nn/modules/embedding.h>
#include <torch/nn/pimpl.h>

namespace ft {

// A linear layer with a frozen base weight and an optional LoRA pair:
//   y = x W^T + b + dropout(x) A^T B^T · scaling      (Hu et al. 2021, arXiv:2106.09685)
// W: (out, in), A: (r, in), B: (out, r). The same module serves full fine-tuning (W trainable).
struct ProjectionImpl : torch::nn::Module {
    ProjectionImpl(int64_t in, int64_t out, bool bias);
    torch::Tensor forward(const torch::Tensor& x);

    void enableLora(int64_t r, double scaling, double dropout);
    bool hasLora() const { return loraA.defined(); }

    torch::Tensor weight, bias;   // bias undefined when absent
    torch::Tensor loraA, loraB;   // undefined until enableLora
    double loraScaling = 0.0;
    double loraDropout = 0.0;
};
TORCH_MODULE(Projection);

struct RMSNormImpl : torch::nn::Module {
    RMSNormImpl(int64_t dim, double eps);
    torch::Tensor forward(const torch::Tensor& x);
    torch::Tensor weight;
    double eps;
};
TORCH_MODULE(RMSNorm);

struct AttentionImpl : torch::nn::Module {
    explicit AttentionImpl(const ModelConfig& c);
    // x: (B, T, C); cos/sin: (T, D)
    torch::Tensor forward(const torch::Tensor& x, const torch::Tensor& cos, const torch::Tensor& sin);
    Projection q_proj{nullptr}, k_proj{nullptr}, v_proj{nullptr}, o_proj{nullptr};
    int64_t numHeads, numKvHeads, headDim;
};
TORCH_MODULE(Attention);

struct MlpImpl : torch::nn::Module {
    explicit MlpImpl(const ModelConfig& c);
    torch::Tensor forward(const torch::Tensor& x);
    Projection gate_proj{nullptr}, up_proj{nullptr}, down_proj{nullptr};
};
TORCH_MODULE(Mlp);

struct DecoderLayerImpl : torch::nn::Module {
    explicit DecoderLayerImpl(const ModelConfig& c);
    torch::Tensor forward(const torch::Tensor& x, const torch::Tensor& cos, const torch::Tensor& sin);
    RMSNorm input_layernorm{nullptr}, post_attention_layernorm{nullptr};
    Attention self_attn{nullptr};
    Mlp mlp{nullptr};
};
TORCH_MODULE(DecoderLayer);

struct DecoderModelImpl : torch::nn::Module {
    explicit DecoderModelImpl(const ModelConfig& c);
    torch::nn::Embedding embed_tokens{nullptr};
    torch::nn::ModuleList layers{nullptr};
    RMSNorm norm{nullptr};
};
TORCH_MODULE(DecoderModel);

// LlamaForCausalLM: "model.*" and "lm_head.weight" (absent when tied to the embedding).
struct CausalLMImpl : torch::nn::Module {
    explicit CausalLMImpl(const ModelConfig& c);
    // ids: (B, T) int64 → logits (B, T, V) in fp32
    torch::Tensor forward(const torch::Tensor& ids);
    // RoPE tables for positions [0, T): cos/sin (T, D) in fp32 (Llama's rotate-half layout).
    std::pair<torch::Tensor, torch::Tensor> rope(int64_t T, torch::Device device) const;

    ModelConfig config;
    DecoderModel model{nullptr};
    Projection lm_head{nullptr};  // null when tie_word_embeddings
};
TORCH_MODULE(CausalLM);

// Loads weights from model.safetensors (or the shards of model.safetensors.index.json) into `lm` by name.
// Every parameter must be found with the right shape; names the file and tensor otherwise.
void loadWeights(CausalLM& lm, const std::filesystem::path& modelDir);

// Builds the model of `modelDir` (config.json + weights) on the CPU in fp32.
CausalLM loadCausalLM(const std::filesystem::path& modelDir);

// Seeded random weights: N(0, 1/fan_in) for matrices, ones for norms, zeros for biases. Not transformers' N(0, 0.02):
// with a frozen random head behind a normalized hidden state, 0.02 caps every logit near ±2.6 and no adapter could
// ever make a confident prediction; 1/fan_in leaves the demo's LoRA room to learn.
void initRandomWeights(CausalLM& lm, uint64_t seed);

} // namespace ft
