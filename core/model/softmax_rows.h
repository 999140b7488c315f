#pragma once
// Internal (ATen): softmax of float32 rows in place, one pass over each row while it is in cache. The fused loss
// (causal_lm_loss.cpp) turns each chunk of logits into probabilities with it: at SmolLM2's 49,152-token vocabulary,
// ATen's logsumexp, sub_ and exp_ walked a 64 MiB chunk five times from memory (0.54 s of a 4 x 512 LoRA step).

#include <ATen/core/Tensor.h>

namespace ft {

// x: (rows, n) float32, contiguous, on the CPU. Each row becomes softmax(row) = exp(row - max) / sum; returns the
// rows' log-sum-exp (rows,) in float32. Rows run in parallel; within a row the order of additions is fixed for a
// given CPU, so a run repeats bit for bit.
at::Tensor softmaxRowsInPlace(at::Tensor& x);

} // namespace ft
