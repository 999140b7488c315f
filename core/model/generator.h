#pragma once
// Internal (includes LibTorch): the generation loop over a decoder with a KV cache.

#include "core/model/decoder.h"
#include "core/model/generation.h"

namespace ft {

// Generates after `prompt` (token ids); returns the new tokens. Deterministic for a given seed.
std::vector<int> generate(CausalLM& lm, const std::vector<int>& prompt, const GenerationOptions& options,
                          const TokenCallback& onToken = {});

// The next-token choice from one row of logits (V,) fp32, after penalties; exposed for tests.
int64_t pickToken(torch::Tensor logits, const std::vector<int>& history, const GenerationOptions& options,
                  torch::Generator& gen);

} // namespace ft
