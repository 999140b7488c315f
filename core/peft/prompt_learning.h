#pragma once
// Internal (includes LibTorch): prompt tuning, P-tuning and prefix tuning as peft 0.21 computes them, hung into the
// decoder through CausalLMImpl::prompt. Each keeps its trainable form (peft's training mode: an encoder for P-tuning
// and projected prefixes) and can say what peft saves, the encoder's output (get_prompt_embedding_to_save).

#include "core/model/decoder.h"
#include "core/peft/method_config.h"
#include "core/peft/method_spec.h"

#include <torch/nn/modules/container/sequential.h>
#include <torch/nn/modules/embedding.h>
#include <torch/nn/modules/rnn.h>

#include <string>
#include <vector>

namespace ft {

class ModelTokenizer;

// The sizes peft derives from the model's config (_prepare_prompt_learning_config) and writes to adapter_config.json.
// Prefix tuning provisions the KV heads only: token_dim = head_dim × KV heads, num_attention_heads = KV heads.
struct PromptShape {
    int64_t numVirtualTokens = 0;
    int64_t tokenDim = 0;
    int64_t numLayers = 0;
    int64_t numAttentionHeads = 0;
    int64_t encoderHiddenSize = 0;  // P-tuning and prefix tuning (token_dim when not set); 0 for prompt tuning
};
// method: PromptTuning, PTuning or PrefixTuning.
PromptShape promptShape(const ModelConfig& c, Method method, const PromptLearningConfig& config);

struct PromptLearningImpl : PromptHookImpl {
    // What peft saves under "prompt_embeddings": (Nv, token_dim), or (Nv, layers·2·token_dim) for prefix tuning.
    virtual torch::Tensor embeddingToSave() = 0;
};

// Prompt tuning (Lester et al. 2021, arXiv:2104.08691): Nv embeddings, N(0, 1) or rows of the embedding table.
// Also what a saved prompt-tuning or P-tuning folder loads as (peft's inference mode: the encoder's output).
struct PromptEmbeddingImpl : PromptLearningImpl {
    explicit PromptEmbeddingImpl(int64_t numVirtualTokens, int64_t tokenDim);
    torch::Tensor virtualEmbeddings(int64_t batch, torch::Dtype dtype) override;
    bool fillPrefix(int64_t, torch::Dtype, KvCache&) override { return false; }
    torch::Tensor embeddingToSave() override;
    torch::nn::Embedding embedding{nullptr};  // (Nv, C) fp32
};

// P-tuning (Liu et al. 2021, arXiv:2103.10385), peft's PromptEncoder: embeddings through an MLP
// (Linear-ReLU-Linear-ReLU-Linear) or a bidirectional LSTM followed by Linear-ReLU-Linear.
struct PromptEncoderImpl : PromptLearningImpl {
    PromptEncoderImpl(const PromptShape& shape, const PromptLearningConfig& config);
    torch::Tensor encode();  // (Nv, C)
    torch::Tensor virtualEmbeddings(int64_t batch, torch::Dtype dtype) override;
    bool fillPrefix(int64_t, torch::Dtype, KvCache&) override { return false; }
    torch::Tensor embeddingToSave() override { return encode(); }
    torch::nn::Embedding embedding{nullptr};   // (Nv, C)
    torch::nn::LSTM lstm_head{nullptr};        // LSTM only
    torch::nn::Sequential mlp_head{nullptr};
};

// Prefix tuning (Li & Liang 2021, arXiv:2101.00190), peft's PrefixEncoder: per-layer keys and values of Nv virtual
// tokens, (Nv, layers·2·token_dim) directly or through Embedding(Nv, token_dim)-Linear-Tanh-Linear when projected.
struct PrefixEncoderImpl : PromptLearningImpl {
    PrefixEncoderImpl(const PromptShape& shape, bool projection);
    torch::Tensor encode();  // (Nv, layers·2·token_dim)
    torch::Tensor virtualEmbeddings(int64_t, torch::Dtype) override { return {}; }
    bool fillPrefix(int64_t batch, torch::Dtype dtype, KvCache& cache) override;
    torch::Tensor embeddingToSave() override { return encode(); }
    PromptShape shape;
    torch::nn::Embedding embedding{nullptr};
    torch::nn::Sequential transform{nullptr};  // projection only
};

// Prompt tuning's TEXT init as peft does it: the tokenizer's ids for `text` with its special tokens (BOS where the
// folder adds one), cut to Nv or repeated ceil(Nv / n) times and cut.
std::vector<int64_t> promptInitTokenIds(const ModelTokenizer& tokenizer, bool addBos, bool addEos, const std::string& text,
                                        int64_t numVirtualTokens);

// Attaches `method` (PromptTuning, PTuning or PrefixTuning) to `lm` as "prompt_encoder" in fp32 on the model's
// device. initTokenIds: prompt tuning's TEXT init (empty: RANDOM).
std::shared_ptr<PromptLearningImpl> attachPromptLearning(CausalLM& lm, Method method, const PromptLearningConfig& config,
                                                         const std::vector<int64_t>& initTokenIds = {});
// The same by the project file's name of the method (prompt_tuning, p_tuning, prefix_tuning).
std::shared_ptr<PromptLearningImpl> attachPromptLearning(CausalLM& lm, const std::string& method, const PromptLearningConfig& config,
                                                         const std::vector<int64_t>& initTokenIds = {});

// Attaches what peft saved for `method` (inference mode): `saved` is "prompt_embeddings", (Nv, C) for prompt tuning
// and P-tuning, (Nv, layers·2·token_dim) for prefix tuning.
void attachSavedPrompt(CausalLM& lm, Method method, const torch::Tensor& saved);

} // namespace ft
