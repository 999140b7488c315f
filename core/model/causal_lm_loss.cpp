#include "core/model/causal_lm_loss.h"

#include <torch/torch.h>

namespace ft {

torch::Tensor causalLmLossSum(const torch::Tensor& logits, const torch::Tensor& labels) {
    const int64_t V = logits.size(-1);
    auto shiftedLogits = logits.slice(1, 0, -1).reshape({-1, V});
    auto shiftedLabels = labels.slice(1, 1).reshape({-1});
    return torch::nn::functional::cross_entropy(
        shiftedLogits, shiftedLabels,
        torch::nn::functional::CrossEntropyFuncOptions().ignore_index(kIgnoreIndex).reduction(torch::kSum));
}

} // namespace ft
