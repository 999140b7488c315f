#pragma once
// Internal (includes LibTorch): the causal-LM loss, which training takes and inference reports per token.

#include "core/data/ignore_index.h"

#include <torch/types.h>

namespace ft {

// Sum over the batch of -log p(label_t | tokens_<t): logits[:, :-1] predict labels[:, 1:], kIgnoreIndex skipped.
// logits: (B, T, V) fp32. Divide by the step's target-token count for the mean.
torch::Tensor causalLmLossSum(const torch::Tensor& logits, const torch::Tensor& labels);

} // namespace ft
