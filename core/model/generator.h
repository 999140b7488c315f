#pragma once
// Internal (includes LibTorch): the generation loop over a decoder with a KV cache.

#include "core/model/decoder.h"
#include "core/model/generation.h"

namespace ft {

// Generates after `prompt` (token ids); returns the new tokens. Deterministic for a given seed.
std::vector<int> generate(CausalLM& lm, const std::vector<int>& prompt, const GenerationOptions& options,
                          const TokenCallback& onToken = {});

// Generates after each prompt in batches over one KV cache (left-padded with `padId`): the same tokens as
// generate() on each prompt alone, up to floating-point rounding of the batched products. At most `maxRows` prompts
// (0: all) are decoded together; a row that ends (EOS, its maxNewTokens, or onToken(row, token) returning false)
// leaves the batch at once and the next waiting prompt takes its place, prefilled alone, so the batch stays full
// however unequal the answers' lengths. Sampling gives row i what generate() gives it with the same seed.
using BatchTokenCallback = std::function<bool(size_t row, int token)>;
std::vector<std::vector<int>> generateBatch(CausalLM& lm, const std::vector<std::vector<int>>& prompts,
                                            const GenerationOptions& options, int padId,
                                            const BatchTokenCallback& onToken = {}, int maxRows = 0);

// The next-token choice from one row of logits (V,) fp32, after penalties; exposed for tests.
int64_t pickToken(torch::Tensor logits, const std::vector<int>& history, const GenerationOptions& options,
                  torch::Generator& gen);

} // namespace ft
