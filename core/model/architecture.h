#pragma once
// The decoder families we run, as rows of one table: what differs between Llama, Mistral, Qwen and Gemma is data
// (norm flavour, activation, biases, extra norms), not code. Sizes and per-model switches come from config.json.

#include "core/model/tensor_names.h"

#include <span>
#include <string_view>

namespace ft {

enum class NormKind {
    Rms,         // Llama: w * normalize(x in fp32).to(dtype)
    RmsPlusOne,  // Gemma: (normalize(x in fp32) * (1 + w in fp32)).to(dtype)
};

enum class Activation {
    Silu,      // SwiGLU
    GeluTanh,  // Gemma's GeGLU; tanh approximation even where config.json says "gelu"
};

struct ArchSpec {
    std::string_view modelType;     // config.json "model_type"
    std::string_view architecture;  // "LlamaForCausalLM", written back on export
    NormKind norm;
    Activation act;
    bool qkvBias;            // q/k/v projections carry a bias whatever attention_bias says (Qwen2)
    bool qkNorm;             // per-head RMSNorm on q and k before RoPE (Qwen3, Gemma 3)
    bool embedScale;         // embeddings × √hidden, rounded to the compute dtype (Gemma)
    bool sandwichNorms;      // post-attention and pre/post-feed-forward norms around each block (Gemma 2/3)
    bool tieByDefault;       // tie_word_embeddings when config.json does not say
    bool slidingByDefault;   // sliding_window applies to every layer unless layer_types says otherwise (Mistral)
    std::span<const TensorNamePattern> tensorNames;  // the checkpoint's names by role (tensor_names.h)
};

// nullptr when the model type is not one we run.
const ArchSpec* findArch(std::string_view modelType);

} // namespace ft
