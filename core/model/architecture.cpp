#include "core/model/architecture.h"

namespace ft {

namespace {
using N = NormKind;
using A = Activation;
constexpr std::span<const TensorNamePattern> kHf = kLlamaTensorNames;
constexpr std::span<const TensorNamePattern> kSw = kGemmaSandwichTensorNames;

// clang-format off
constexpr ArchSpec kArchs[] = {
    // model_type     architecture              norm           act          qkvBias qkNorm embScale sandwich tie    sliding names
    {"llama",       "LlamaForCausalLM",       N::Rms,        A::Silu,     false,  false, false,   false,   false, false, kHf},
    {"mistral",     "MistralForCausalLM",     N::Rms,        A::Silu,     false,  false, false,   false,   false, true,  kHf},
    {"qwen2",       "Qwen2ForCausalLM",       N::Rms,        A::Silu,     true,   false, false,   false,   false, false, kHf},
    {"qwen3",       "Qwen3ForCausalLM",       N::Rms,        A::Silu,     false,  true,  false,   false,   false, false, kHf},
    {"gemma",       "GemmaForCausalLM",       N::RmsPlusOne, A::GeluTanh, false,  false, true,    false,   true,  false, kHf},
    {"gemma2",      "Gemma2ForCausalLM",      N::RmsPlusOne, A::GeluTanh, false,  false, true,    true,    true,  false, kSw},
    {"gemma3_text", "Gemma3ForCausalLM",      N::RmsPlusOne, A::GeluTanh, false,  true,  true,    true,    true,  false, kSw},
};
// clang-format on
} // namespace

const ArchSpec* findArch(std::string_view modelType) {
    for (const auto& a : kArchs)
        if (a.modelType == modelType) return &a;
    return nullptr;
}

} // namespace ft
