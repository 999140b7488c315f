#pragma once
// What a checkpoint tensor is, from its name: the decoder families' names as tables of roles with transformers' and
// llama.cpp's name for each (llama.cpp's LLM_TENSOR_NAMES, gguf-py's TENSOR_NAMES), which GGUF import and the GGUF
// adapter export translate through, and the one rule every file-level reader (footprint, quantization report, merge,
// the UI's LoRA targets) asks. Plain C++: no LibTorch.

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace ft {

// llama.cpp's roles (LLM_TENSOR_*). FfnNorm is the norm before the feed-forward network, which Llama's checkpoints
// call post_attention_layernorm and Gemma 2/3's call pre_feedforward_layernorm.
enum class TensorRole {
    TokenEmbedding, OutputNorm, Output,
    AttnNorm, AttnQ, AttnK, AttnV, AttnOut, AttnQNorm, AttnKNorm, AttnPostNorm,
    FfnNorm, FfnGate, FfnUp, FfnDown, FfnPostNorm,
};

// "{bid}" stands for the block index; the parameter (".weight", ".bias") follows the name.
struct TensorNamePattern {
    TensorRole role;
    std::string_view name;  // transformers' name
    std::string_view gguf;  // llama.cpp's name (gguf-py's TENSOR_NAMES)
    bool projection;        // a linear layer of the block: quantized by int8/NF4, a LoRA target
};

// The families in architecture.h point at one of these; a family with other names gets its own table.
// clang-format off
inline constexpr TensorNamePattern kLlamaTensorNames[] = {
    {TensorRole::TokenEmbedding, "model.embed_tokens",                          "token_embd",            false},
    {TensorRole::OutputNorm,     "model.norm",                                  "output_norm",           false},
    {TensorRole::Output,         "lm_head",                                     "output",                false},  // absent when tied
    {TensorRole::AttnNorm,       "model.layers.{bid}.input_layernorm",          "blk.{bid}.attn_norm",   false},
    {TensorRole::AttnQ,          "model.layers.{bid}.self_attn.q_proj",         "blk.{bid}.attn_q",      true},
    {TensorRole::AttnK,          "model.layers.{bid}.self_attn.k_proj",         "blk.{bid}.attn_k",      true},
    {TensorRole::AttnV,          "model.layers.{bid}.self_attn.v_proj",         "blk.{bid}.attn_v",      true},
    {TensorRole::AttnOut,        "model.layers.{bid}.self_attn.o_proj",         "blk.{bid}.attn_output", true},
    {TensorRole::AttnQNorm,      "model.layers.{bid}.self_attn.q_norm",         "blk.{bid}.attn_q_norm", false},  // Qwen3
    {TensorRole::AttnKNorm,      "model.layers.{bid}.self_attn.k_norm",         "blk.{bid}.attn_k_norm", false},
    {TensorRole::FfnNorm,        "model.layers.{bid}.post_attention_layernorm", "blk.{bid}.ffn_norm",    false},
    {TensorRole::FfnGate,        "model.layers.{bid}.mlp.gate_proj",            "blk.{bid}.ffn_gate",    true},
    {TensorRole::FfnUp,          "model.layers.{bid}.mlp.up_proj",              "blk.{bid}.ffn_up",      true},
    {TensorRole::FfnDown,        "model.layers.{bid}.mlp.down_proj",            "blk.{bid}.ffn_down",    true},
};

// Gemma 2/3: a norm after attention and after the feed-forward network as well as before each.
inline constexpr TensorNamePattern kGemmaSandwichTensorNames[] = {
    {TensorRole::TokenEmbedding, "model.embed_tokens",                            "token_embd",                    false},
    {TensorRole::OutputNorm,     "model.norm",                                    "output_norm",                   false},
    {TensorRole::Output,         "lm_head",                                       "output",                        false},
    {TensorRole::AttnNorm,       "model.layers.{bid}.input_layernorm",            "blk.{bid}.attn_norm",           false},
    {TensorRole::AttnQ,          "model.layers.{bid}.self_attn.q_proj",           "blk.{bid}.attn_q",              true},
    {TensorRole::AttnK,          "model.layers.{bid}.self_attn.k_proj",           "blk.{bid}.attn_k",              true},
    {TensorRole::AttnV,          "model.layers.{bid}.self_attn.v_proj",           "blk.{bid}.attn_v",              true},
    {TensorRole::AttnOut,        "model.layers.{bid}.self_attn.o_proj",           "blk.{bid}.attn_output",         true},
    {TensorRole::AttnQNorm,      "model.layers.{bid}.self_attn.q_norm",           "blk.{bid}.attn_q_norm",         false},  // Gemma 3
    {TensorRole::AttnKNorm,      "model.layers.{bid}.self_attn.k_norm",           "blk.{bid}.attn_k_norm",         false},
    {TensorRole::AttnPostNorm,   "model.layers.{bid}.post_attention_layernorm",   "blk.{bid}.post_attention_norm", false},
    {TensorRole::FfnNorm,        "model.layers.{bid}.pre_feedforward_layernorm",  "blk.{bid}.ffn_norm",            false},
    {TensorRole::FfnGate,        "model.layers.{bid}.mlp.gate_proj",              "blk.{bid}.ffn_gate",            true},
    {TensorRole::FfnUp,          "model.layers.{bid}.mlp.up_proj",                "blk.{bid}.ffn_up",              true},
    {TensorRole::FfnDown,        "model.layers.{bid}.mlp.down_proj",              "blk.{bid}.ffn_down",            true},
    {TensorRole::FfnPostNorm,    "model.layers.{bid}.post_feedforward_layernorm", "blk.{bid}.post_ffw_norm",       false},
};
// clang-format on

// One name to the other through a family's table, the parameter suffix kept: ("model.layers.3.self_attn.q_proj.weight"
// ⇄ "blk.3.attn_q.weight"). nullopt for a name the table does not hold.
std::optional<std::string> ggufTensorName(std::span<const TensorNamePattern> table, std::string_view hfName);
std::optional<std::string> hfTensorName(std::span<const TensorNamePattern> table, std::string_view ggufName);

// "model.layers.3.self_attn.q_proj.weight" → block 3, module "self_attn.q_proj", leaf "q_proj", param "weight".
// Any prefix ending in ".layers.<N>." counts (a multimodal model's "model.language_model.layers.0..."). The views
// point into `name`, which must outlive them.
struct BlockTensorName {
    int block = 0;
    std::string_view module, leaf, param;
};
std::optional<BlockTensorName> parseBlockTensorName(std::string_view name);

// A decoder block's projection matrix (q/k/v/o, gate/up/down; also fused ones such as Phi-3's qkv_proj): what
// bitsandbytes quantizes under transformers, what the footprint counts as int8/NF4 and what LoRA targets.
// rank: the tensor's number of dimensions (only matrices count).
bool isBlockProjectionWeight(std::string_view name, size_t rank);

} // namespace ft
