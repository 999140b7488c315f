#pragma once
// Internal (includes LibTorch): padding tokenized examples into a batch (the loss it feeds: model/causal_lm_loss.h).

#include "core/train/example_encoder.h"

#include <torch/types.h>
#include <vector>

namespace ft {

struct Batch {
    torch::Tensor ids;     // (B, T) int64, right-padded with the pad id
    torch::Tensor labels;  // (B, T) int64, kIgnoreIndex on padding and unlabeled tokens
    torch::Tensor attentionMask;  // (B, T) int64: 1 on tokens, 0 on padding
    torch::Tensor positions;      // (B, T) int64: restart at 0 for each packed example; undefined when not packed
    torch::Tensor segments;       // (B, T) int64: packed example id per token, 0 on padding; undefined when not packed
    int64_t targetTokens = 0;  // labels that count after the shift (positions 1..T-1 not ignored)
    int64_t realTokens = 0;    // tokens that are not padding
};

Batch makeBatch(const std::vector<const TokenizedExample*>& examples, int padId, torch::Device device);

} // namespace ft
