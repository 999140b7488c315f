#include "core/train/batches.h"

#include <torch/torch.h>

namespace ft {

Batch makeBatch(const std::vector<const TokenizedExample*>& examples, int padId, torch::Device device) {
    size_t T = 1;
    for (const auto* e : examples) T = std::max(T, e->ids.size());
    const int64_t B = int64_t(examples.size());
    auto ids = torch::full({B, int64_t(T)}, padId, torch::kInt64);
    auto labels = torch::full({B, int64_t(T)}, kIgnoreIndex, torch::kInt64);
    auto idsA = ids.accessor<int64_t, 2>();
    auto labelsA = labels.accessor<int64_t, 2>();
    Batch b;
    for (int64_t i = 0; i < B; ++i) {
        const auto& e = *examples[size_t(i)];
        for (size_t t = 0; t < e.ids.size(); ++t) {
            idsA[i][int64_t(t)] = e.ids[t];
            labelsA[i][int64_t(t)] = e.labels[t];
            if (t > 0 && e.labels[t] != kIgnoreIndex) ++b.targetTokens;
        }
        b.realTokens += int64_t(e.ids.size());
    }
    b.ids = ids.to(device);
    b.labels = labels.to(device);
    return b;
}

torch::Tensor causalLmLossSum(const torch::Tensor& logits, const torch::Tensor& labels) {
    const int64_t V = logits.size(-1);
    auto shiftedLogits = logits.slice(1, 0, -1).reshape({-1, V});
    auto shiftedLabels = labels.slice(1, 1).reshape({-1});
    return torch::nn::functional::cross_entropy(
        shiftedLogits, shiftedLabels,
        torch::nn::functional::CrossEntropyFuncOptions().ignore_index(kIgnoreIndex).reduction(torch::kSum));
}

} // namespace ft
