#include "core/train/batches.h"

#include <torch/torch.h>

#include <algorithm>

namespace ft {

Batch makeBatch(const std::vector<const TokenizedExample*>& examples, int padId, torch::Device device) {
    size_t T = 1;
    for (const auto* e : examples) T = std::max(T, e->ids.size());
    const int64_t B = int64_t(examples.size());
    auto ids = torch::full({B, int64_t(T)}, padId, torch::kInt64);
    auto labels = torch::full({B, int64_t(T)}, kIgnoreIndex, torch::kInt64);
    auto mask = torch::zeros({B, int64_t(T)}, torch::kInt64);
    const bool packed = std::any_of(examples.begin(), examples.end(), [](const TokenizedExample* e) { return !e->segments.empty(); });
    auto positions = torch::zeros({B, int64_t(T)}, torch::kInt64);
    auto segments = torch::zeros({B, int64_t(T)}, torch::kInt64);
    auto idsA = ids.accessor<int64_t, 2>();
    auto labelsA = labels.accessor<int64_t, 2>();
    auto maskA = mask.accessor<int64_t, 2>();
    auto posA = positions.accessor<int64_t, 2>();
    auto segA = segments.accessor<int64_t, 2>();
    Batch b;
    for (int64_t i = 0; i < B; ++i) {
        const auto& e = *examples[size_t(i)];
        for (size_t t = 0; t < e.ids.size(); ++t) {
            idsA[i][int64_t(t)] = e.ids[t];
            labelsA[i][int64_t(t)] = e.labels[t];
            maskA[i][int64_t(t)] = 1;
            const int seg = e.segments.empty() ? 1 : e.segments[t];
            const bool segmentStart = t == 0 || (!e.segments.empty() && e.segments[t - 1] != seg);
            segA[i][int64_t(t)] = seg;
            posA[i][int64_t(t)] = segmentStart ? 0 : posA[i][int64_t(t) - 1] + 1;
            // A label counts where it is predicted from the same example (not across a packing boundary).
            if (!segmentStart && e.labels[t] != kIgnoreIndex) ++b.targetTokens;
        }
        b.realTokens += int64_t(e.ids.size());
    }
    // The first token of each packed example is never predicted from the one before it.
    for (int64_t i = 0; i < B; ++i)
        for (int64_t t = 1; t < int64_t(T); ++t)
            if (segA[i][t] != segA[i][t - 1]) labelsA[i][t] = kIgnoreIndex;
    b.ids = ids.to(device);
    b.labels = labels.to(device);
    b.attentionMask = mask.to(device);
    if (packed) {
        b.positions = positions.to(device);
        b.segments = segments.to(device);
    }
    return b;
}

} // namespace ft
