#pragma once
// Internal (includes LibTorch): the causal-LM loss, which training takes and inference reports per token.

#include "core/data/ignore_index.h"

#include <torch/types.h>

namespace ft {

// Sum over the batch of -log p(label_t | tokens_<t): logits[:, :-1] predict labels[:, 1:], kIgnoreIndex skipped.
// logits: (B, T, V) fp32. Divide by the step's target-token count for the mean.
torch::Tensor causalLmLossSum(const torch::Tensor& logits, const torch::Tensor& labels);

// The same sum from the final hidden states h (B, T, C) and the output layer's weight W (V, C), without ever holding
// the (B, T, V) logits: rows that have a target go through logits = h W^T (capped by `softcap` when > 0, then fp32),
// log-softmax and the loss a chunk at a time. When a gradient is wanted, each chunk's gradient with respect to h (and
// W, when it trains) is computed in the same pass (the fused linear cross-entropy of Liger-Kernel, arXiv:2410.10989),
// so backward only scales it; what stays between forward and backward is one (B, T, C) tensor instead of three
// (B, T, V) fp32 ones. Under autocast the product runs in its dtype, as the linear of the unfused path would.
torch::Tensor causalLmLossSumFromHidden(const torch::Tensor& hidden, const torch::Tensor& weight,
                                        const torch::Tensor& labels, double softcap = 0.0);

// Per-token log-probabilities of the labels, what preference losses sum per sequence: entry (b, t) is
// log p(labels[b, t + 1] | tokens[b, ≤t]), 0 where that label is kIgnoreIndex and in each row's last column; (B, T)
// fp32. TRL's fused LM head returns the same values as `log_probs` (B, T - 1), one column shorter. From the hidden
// states and W without (B, T, V) logits, as causalLmLossSumFromHidden; or from fp32 logits (an output layer with a
// LoRA pair).
torch::Tensor tokenLogProbsFromHidden(const torch::Tensor& hidden, const torch::Tensor& weight, const torch::Tensor& labels,
                                      double softcap = 0.0);
torch::Tensor tokenLogProbs(const torch::Tensor& logits, const torch::Tensor& labels);

// Rows of logits one chunk holds: about 64 MiB of fp32, at least 128 rows.
int64_t lossChunkRows(int64_t vocab);

} // namespace ft
