#pragma once
// Internal (includes LibTorch): the Llama-family decoder as LibTorch modules, one code path for every row of the
// architecture table. Submodules carry the names of the Hugging Face checkpoint
// ("model.layers.0.self_attn.q_proj.weight"), so loading is a name lookup.
// Never include this from ui/ or app/; they talk to the core through headers without LibTorch.

#include "core/model/model_config.h"
#include "core/quant/qlora_config.h"

#include <torch/nn/module.h>
#include <torch/nn/modules/container/modulelist.h>
#include <torch/nn/pimpl.h>

#include <memory>
#include <optional>
#include <vector>

namespace ft {

struct Quantized4Bit;  // core/quant/quantizers.h

// While one lives on this thread, every attached method is switched off (LoRA pairs, bottleneck adapters, virtual
// tokens and prefixes): the model computes as its base. Preference tuning's reference log-probabilities come from
// the trained model this way, without a second copy (peft's disable_adapter(), which TRL uses).
class AdaptersOff {
public:
    AdaptersOff() : m_was(s_off) { s_off = true; }
    ~AdaptersOff() { s_off = m_was; }
    AdaptersOff(const AdaptersOff&) = delete;
    AdaptersOff& operator=(const AdaptersOff&) = delete;
    static bool active() { return s_off; }

private:
    bool m_was;
    static thread_local bool s_off;
};

// A linear layer with a frozen base weight and an optional LoRA pair:
//   y = x W^T + b + dropout(x) A^T B^T · scaling      (Hu et al. 2021, arXiv:2106.09685)
// W: (out, in), A: (r, in), B: (out, r). The same module serves full fine-tuning (W trainable) and QLoRA, where
// the frozen W is held as 4-bit blocks (QLoRA is a state of this module, not another class).
struct ProjectionImpl : torch::nn::Module {
    ProjectionImpl(int64_t in, int64_t out, bool bias);
    torch::Tensor forward(const torch::Tensor& x);

    void enableLora(int64_t r, double scaling, double dropout);
    bool hasLora() const { return loraA.defined(); }

    // QLoRA: quantizes W (out, in) as given (its dtype is what dequantization returns, as bitsandbytes'
    // quant_state.dtype) and frees `weight`, which stays registered as an empty frozen placeholder. The codes are
    // buffers, so to(device) moves them.
    void setFourBitBase(const torch::Tensor& w, const QloraConfig& config);
    bool isFourBit() const { return fourBit != nullptr; }
    // W as the forward pass sees it: the dense weight, or the 4-bit base dequantized.
    torch::Tensor denseWeight() const;

    int64_t inFeatures, outFeatures;
    torch::Tensor weight, bias;   // bias undefined when absent
    torch::Tensor loraA, loraB;   // undefined until enableLora
    double loraScaling = 0.0;
    double loraDropout = 0.0;
    std::shared_ptr<Quantized4Bit> fourBit;  // null unless QLoRA
};
TORCH_MODULE(Projection);

// RMSNorm in both flavours of NormKind. Gemma's (1 + w) is folded into `weight` (kept in fp32) by
// finalizeWeights() at load time, so forward() is the same multiply for both.
struct NormImpl : torch::nn::Module {
    NormImpl(int64_t dim, double eps, NormKind kind);
    torch::Tensor forward(const torch::Tensor& x);
    torch::Tensor weight;
    double eps;
    NormKind kind;
};
TORCH_MODULE(Norm);

// The token embedding. Not torch::nn::Embedding: that one fills its weight with random values on construction,
// touching memory a checkpoint is about to replace (peak RSS on load).
struct TokenEmbeddingImpl : torch::nn::Module {
    TokenEmbeddingImpl(int64_t vocab, int64_t dim);
    torch::Tensor forward(const torch::Tensor& ids);
    torch::Tensor weight;  // (V, C)
};
TORCH_MODULE(TokenEmbedding);

// Keys and values of the tokens seen so far, per layer, for generation.
struct KvCache {
    std::vector<torch::Tensor> keys, values;  // (B, Hkv, S, D) per layer
    int64_t length = 0;
    // Room to grow: keys[l] and values[l] are views of these (B, Hkv, capacity, D) buffers, so a new token is one
    // copy, not a copy of the whole cache. A caller that replaces keys[l] (another batch, a prefix) is noticed and a
    // new buffer taken.
    std::vector<torch::Tensor> keyStore, valueStore;
    // Batched generation of prompts of different lengths, left-padded: (B, S) bool, false at padding. Set it to the
    // prompts' mask before the first forward; the model extends it (true) for virtual tokens and each new token.
    // Padding is never attended to, and each row's positions count only its real tokens (transformers' position_ids
    // from the attention mask), so a row's logits are what it gets alone. Undefined: no padding.
    torch::Tensor valid;
};

struct RopeTables {
    torch::Tensor cos, sin;  // (T, D) in fp32, or (B, 1, T, D) with per-row positions (packed rows)
};

// Hooks through which the PEFT methods other than LoRA (core/peft/) take part in a forward pass; null when unused.
// A prompt-learning method puts virtual tokens in front of the real ones: either as input embeddings (prompt tuning,
// P-tuning: they take positions 0..Nv-1) or as keys and values already in the cache (prefix tuning: the real
// tokens start at position Nv). Logits come back for the real tokens only.
struct PromptHookImpl : torch::nn::Module {
    // (B, Nv, C) embeddings in front of the input's; undefined when the method works on keys and values instead.
    virtual torch::Tensor virtualEmbeddings(int64_t batch, torch::Dtype dtype) = 0;
    // Puts per-layer (B, Hkv, Nv, D) keys and values into an empty `cache` (length becomes Nv); false when none.
    virtual bool fillPrefix(int64_t batch, torch::Dtype dtype, KvCache& cache) = 0;
};

// An add-on applied to a sub-block's output before the residual add (bottleneck adapters): (B, T, C) → (B, T, C).
struct BlockHookImpl : torch::nn::Module {
    virtual torch::Tensor forward(const torch::Tensor& y) = 0;
};

struct AttentionImpl : torch::nn::Module {
    AttentionImpl(const ModelConfig& c, int layer);
    // x: (B, T, C); positions start at `past` (tokens already in the cache)
    // segments: (B, T) packed-example ids (undefined: one sequence per row); attention stays inside a segment.
    torch::Tensor forward(const torch::Tensor& x, const RopeTables& rope, KvCache* cache, int layer, const torch::Tensor& segments);
    Projection q_proj{nullptr}, k_proj{nullptr}, v_proj{nullptr}, o_proj{nullptr};
    Norm q_norm{nullptr}, k_norm{nullptr};  // Qwen3, Gemma 3
    int64_t numHeads, numKvHeads, headDim;
    int64_t window;  // 0: full causal attention
    double scale, softcap;
};
TORCH_MODULE(Attention);

struct MlpImpl : torch::nn::Module {
    explicit MlpImpl(const ModelConfig& c);
    torch::Tensor forward(const torch::Tensor& x);
    Projection gate_proj{nullptr}, up_proj{nullptr}, down_proj{nullptr};
    Activation act;
};
TORCH_MODULE(Mlp);

struct DecoderLayerImpl : torch::nn::Module {
    DecoderLayerImpl(const ModelConfig& c, int layer);
    torch::Tensor forward(const torch::Tensor& x, const RopeTables& rope, KvCache* cache, const torch::Tensor& segments);
    Norm input_layernorm{nullptr}, post_attention_layernorm{nullptr};
    Norm pre_feedforward_layernorm{nullptr}, post_feedforward_layernorm{nullptr};  // Gemma 2/3 only
    Attention self_attn{nullptr};
    Mlp mlp{nullptr};
    std::shared_ptr<BlockHookImpl> attnAdapter, mlpAdapter;  // bottleneck adapters, null unless attached
    int layer;
    bool sliding;
};
TORCH_MODULE(DecoderLayer);

struct DecoderModelImpl : torch::nn::Module {
    explicit DecoderModelImpl(const ModelConfig& c);
    TokenEmbedding embed_tokens{nullptr};
    torch::nn::ModuleList layers{nullptr};
    Norm norm{nullptr};
};
TORCH_MODULE(DecoderModel);

// *ForCausalLM: "model.*" and "lm_head.weight" (absent when tied to the embedding).
struct CausalLMImpl : torch::nn::Module {
    explicit CausalLMImpl(const ModelConfig& c);
    // ids: (B, T) int64 → logits (B, T, V) in fp32. With a cache, ids continue the cached sequence. Packed rows pass
    // positions (restarting per example) and segments (B, T), so each example sees only itself. An attached prompt
    // goes in front of a sequence's first forward (no cache, or an empty one); packed rows are refused then.
    torch::Tensor forward(const torch::Tensor& ids, KvCache* cache = nullptr, const torch::Tensor& positions = {},
                          const torch::Tensor& segments = {});
    // The causal-LM loss summed over `labels` (B, T) (causal_lm_loss.h), what training and evaluation ask for: from
    // the final hidden states without the (B, T, V) logits, unless the output layer carries a LoRA pair.
    torch::Tensor lossSum(const torch::Tensor& ids, const torch::Tensor& labels, const torch::Tensor& positions = {},
                          const torch::Tensor& segments = {});
    // Per-token log-probabilities of `labels` (B, T) (causal_lm_loss.h's tokenLogProbs), what preference losses sum:
    // without the (B, T, V) logits, unless the output layer carries a LoRA pair.
    torch::Tensor tokenLogProbs(const torch::Tensor& ids, const torch::Tensor& labels, const torch::Tensor& positions = {},
                                const torch::Tensor& segments = {});
    // Logits (B, V) in fp32 of the last position only, what generation samples from: a prompt's other positions
    // never go through the output layer.
    torch::Tensor lastLogits(const torch::Tensor& ids, KvCache* cache = nullptr);
    // The final norm's output (B, T, C) for the real tokens, which the output layer turns into logits.
    torch::Tensor hiddenStates(const torch::Tensor& ids, KvCache* cache = nullptr, const torch::Tensor& positions = {},
                               const torch::Tensor& segments = {});

    // The output layer (and Gemma 2's final cap) over hidden states, in fp32.
    torch::Tensor head(const torch::Tensor& h);

    ModelConfig config;
    DecoderModel model{nullptr};
    Projection lm_head{nullptr};  // null when tie_word_embeddings
    std::shared_ptr<PromptHookImpl> prompt;  // a prompt-learning method, null unless attached
    bool gradientCheckpointing = false;       // in training: keep layer inputs only, recompute in backward
    torch::Tensor invFreqGlobal, invFreqLocal;  // (D/2) fp32, from the RoPE settings
};
TORCH_MODULE(CausalLM);

// RoPE inverse frequencies (D/2,) in fp32 as transformers computes them, with linear or llama3 scaling.
torch::Tensor ropeInverseFrequencies(const RopeSpec& rope, int64_t headDim);

// Loads weights from model.safetensors (or the shards of model.safetensors.index.json) into `lm` by name.
// Every parameter must be found with the right shape; names the file and tensor otherwise. Where the file's dtype is
// the parameter's, the parameter becomes a view of the memory-mapped file (no copy: peak RSS ≈ file size); writes
// to it (full fine-tuning) go to private copy-on-write pages, never to the file.
// With `fourBit`, every decoder-layer projection is quantized as it is read (in `dtype`, as transformers casts before
// bitsandbytes quantizes) and its mapped pages dropped, so the full-precision model is never held whole.
void loadWeights(CausalLM& lm, const std::filesystem::path& modelDir, const QloraConfig* fourBit = nullptr,
                 torch::Dtype dtype = torch::kFloat32);

// After loading raw checkpoint weights: moves the model to `dtype` the way transformers' from_pretrained(dtype=...)
// rounds them, and folds Gemma's (1 + w) into fp32 norm weights.
void finalizeWeights(CausalLM& lm, torch::Dtype dtype);

// Under bf16 autocast a frozen projection is only ever multiplied in bf16: torch.autocast casts its fp32 weight on
// every use and the linear keeps that copy for backward. Storing the frozen weights in `dtype` once gives the same
// products and gradients, bit for bit, without the casts and with half the weight memory and no copies (at Llama 3.2
// 1B's shapes 3.9 GB less). Trained, 4-bit, non-fp32 weights and the embedding (looked up, not multiplied, in fp32)
// stay as they are; so does a head tied to the embedding. Returns the bytes freed.
int64_t storeFrozenProjectionsIn(CausalLM& lm, torch::Dtype dtype);

// Builds the model of `modelDir` (config.json + weights) on the CPU in `dtype`.
CausalLM loadCausalLM(const std::filesystem::path& modelDir, torch::Dtype dtype = torch::kFloat32);
// The same with the decoder layers' projections in 4 bits (QLoRA's base); the rest in config.computeDtype.
CausalLM loadCausalLM4Bit(const std::filesystem::path& modelDir, const QloraConfig& config);

// Parameters of the model as stored in its checkpoint (4-bit projections counted by their element count).
int64_t parameterCount(CausalLM& lm);
// "float32" | "bfloat16" | "float16" → the dtype; anything else is an InvalidValue error naming `where`.
torch::Dtype computeDtypeNamed(const std::string& name, const std::string& where);

// Seeded random weights: N(0, 1/fan_in) for matrices, ones for norms, zeros for biases. Not transformers' N(0, 0.02):
// with a frozen random head behind a normalized hidden state, 0.02 caps every logit near ±2.6 and no adapter could
// ever make a confident prediction; 1/fan_in leaves the demo's LoRA room to learn.
void initRandomWeights(CausalLM& lm, uint64_t seed);

} // namespace ft
