#pragma once
// What a checkpoint tensor is, from its name: the decoder families' names as a table of roles (llama.cpp's
// LLM_TENSOR_NAMES, gguf-py's MODEL_TENSORS / TENSOR_NAMES), and the one rule every file-level reader (footprint,
// quantization report, merge, the UI's LoRA targets) asks. Plain C++: no LibTorch.

#include <cstddef>
#include <optional>
#include <span>
#include <string_view>

namespace ft {

enum class TensorRole {
    TokenEmbedding, OutputNorm, Output,
    AttnNorm, AttnQ, AttnK, AttnV, AttnOut, AttnQNorm, AttnKNorm,
    PostAttnNorm, PreFfnNorm, PostFfnNorm,
    FfnGate, FfnUp, FfnDown,
};

// "{bid}" stands for the block index; the parameter (".weight", ".bias") follows the name.
struct TensorNamePattern {
    TensorRole role;
    std::string_view name;
    bool projection;  // a linear layer of the block: quantized by int8/NF4, a LoRA target
};

// transformers' Llama names, which every family in architecture.h uses (its rows point here).
// clang-format off
inline constexpr TensorNamePattern kLlamaTensorNames[] = {
    {TensorRole::TokenEmbedding,  "model.embed_tokens",                              false},
    {TensorRole::OutputNorm,      "model.norm",                                      false},
    {TensorRole::Output,          "lm_head",                                         false},  // absent when tied
    {TensorRole::AttnNorm,        "model.layers.{bid}.input_layernorm",              false},
    {TensorRole::AttnQ,           "model.layers.{bid}.self_attn.q_proj",             true},
    {TensorRole::AttnK,           "model.layers.{bid}.self_attn.k_proj",             true},
    {TensorRole::AttnV,           "model.layers.{bid}.self_attn.v_proj",             true},
    {TensorRole::AttnOut,         "model.layers.{bid}.self_attn.o_proj",             true},
    {TensorRole::AttnQNorm,       "model.layers.{bid}.self_attn.q_norm",             false},  // Qwen3, Gemma 3
    {TensorRole::AttnKNorm,       "model.layers.{bid}.self_attn.k_norm",             false},
    {TensorRole::PostAttnNorm,    "model.layers.{bid}.post_attention_layernorm",     false},
    {TensorRole::PreFfnNorm,      "model.layers.{bid}.pre_feedforward_layernorm",    false},  // Gemma 2/3 sandwich norms
    {TensorRole::PostFfnNorm,     "model.layers.{bid}.post_feedforward_layernorm",   false},
    {TensorRole::FfnGate,         "model.layers.{bid}.mlp.gate_proj",                true},
    {TensorRole::FfnUp,           "model.layers.{bid}.mlp.up_proj",                  true},
    {TensorRole::FfnDown,         "model.layers.{bid}.mlp.down_proj",                true},
};
// clang-format on

// "model.layers.3.self_attn.q_proj.weight" → block 3, module "self_attn.q_proj", leaf "q_proj", param "weight".
// Any prefix ending in ".layers.<N>." counts (a multimodal model's "model.language_model.layers.0...").
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
