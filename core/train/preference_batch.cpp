#include "core/train/preference_batch.h"

#include "core/data/ignore_index.h"

#include <torch/torch.h>

#include <algorithm>
#include <cmath>

namespace ft {

namespace {

struct Sequence {
    const std::vector<int>* ids;
    int prompt;  // leading tokens without loss
};

// Right-padded ids and labels of `seqs`: labels on the answer (after `prompt`), or on every token (`whole`).
void pad(const std::vector<Sequence>& seqs, int padId, torch::Tensor& ids, torch::Tensor& labels, torch::Tensor* whole,
         int64_t& realTokens) {
    size_t T = 1;
    for (const auto& s : seqs) T = std::max(T, s.ids->size());
    const int64_t N = int64_t(seqs.size());
    ids = torch::full({N, int64_t(T)}, padId, torch::kInt64);
    labels = torch::full({N, int64_t(T)}, kIgnoreIndex, torch::kInt64);
    torch::Tensor all = torch::full({N, int64_t(T)}, kIgnoreIndex, torch::kInt64);
    auto idsA = ids.accessor<int64_t, 2>();
    auto labelsA = labels.accessor<int64_t, 2>();
    auto allA = all.accessor<int64_t, 2>();
    for (int64_t i = 0; i < N; ++i) {
        const auto& s = seqs[size_t(i)];
        for (size_t t = 0; t < s.ids->size(); ++t) {
            idsA[i][int64_t(t)] = allA[i][int64_t(t)] = (*s.ids)[t];
            if (int(t) >= s.prompt) labelsA[i][int64_t(t)] = (*s.ids)[t];
        }
        realTokens += int64_t(s.ids->size());
    }
    if (whole) *whole = all;
}

// Summed log-probs of each row's labelled tokens.
torch::Tensor summedLogps(CausalLM& lm, const torch::Tensor& ids, const torch::Tensor& labels) {
    return lm->tokenLogProbs(ids, labels).sum(1);
}

// How many of each row's labels take a loss after the shift (tokens 1..T-1).
torch::Tensor labelledTokens(const torch::Tensor& labels) {
    return (labels.slice(1, 1) != kIgnoreIndex).sum(1).to(torch::kFloat32);
}

} // namespace

PreferenceBatch makePreferenceBatch(const std::vector<const TokenizedPreference*>& rows, int padId, torch::Device device) {
    PreferenceBatch b;
    b.rows = int64_t(rows.size());
    const bool unpaired = !rows.empty() && rows.front()->desirable.has_value();
    std::vector<Sequence> seqs;
    for (const auto* r : rows) seqs.push_back({&r->chosen, r->chosenPrompt});
    if (!unpaired)
        for (const auto* r : rows) seqs.push_back({&r->rejected, r->rejectedPrompt});
    torch::Tensor whole;
    pad(seqs, padId, b.ids, b.labels, unpaired ? nullptr : &whole, b.realTokens);
    if (!unpaired) b.wholeLabels = whole.to(device);
    b.ids = b.ids.to(device);
    b.labels = b.labels.to(device);

    if (unpaired) {
        std::vector<Sequence> kl;
        std::vector<uint8_t> desirable;
        for (const auto* r : rows) {
            desirable.push_back(*r->desirable ? 1 : 0);
            if (!r->mismatched.empty()) kl.push_back({&r->mismatched, r->mismatchedPrompt});
        }
        b.desirable = torch::tensor(std::vector<int64_t>(desirable.begin(), desirable.end())).to(torch::kBool).to(device);
        if (kl.size() == rows.size()) {
            pad(kl, padId, b.klIds, b.klLabels, nullptr, b.realTokens);
            b.klIds = b.klIds.to(device);
            b.klLabels = b.klLabels.to(device);
        }
    }

    if (!rows.empty() && !rows.front()->reference.empty()) {
        std::vector<float> ref, klRef;
        for (const auto* r : rows) ref.push_back(r->reference[0]);
        if (!unpaired)
            for (const auto* r : rows) ref.push_back(r->reference[1]);
        for (const auto* r : rows) klRef.push_back(r->reference[2]);
        b.reference = torch::tensor(ref).to(device);
        if (unpaired) b.klReference = torch::tensor(klRef).to(device);
    }
    return b;
}

PreferenceLoss preferenceBatchLoss(CausalLM& lm, const PreferenceConfig& config, const PreferenceBatch& b,
                                   const MeanOverRanks& meanOverRanks) {
    const int64_t B = b.rows;
    if (config.loss == "orpo") {
        // One pass over every token: the chosen rows' NLL over prompt and answer, the answers' per-token means.
        const torch::Tensor perToken = lm->tokenLogProbs(b.ids, b.wholeLabels);
        const torch::Tensor answer = torch::cat({(b.labels.slice(1, 1) != kIgnoreIndex),
                                                 torch::zeros({b.labels.size(0), 1}, b.labels.options().dtype(torch::kBool))},
                                                1);
        const torch::Tensor mean = (perToken * answer).sum(1) / labelledTokens(b.labels).clamp_min(1.0);
        const torch::Tensor chosenAll = perToken.slice(0, 0, B);
        const torch::Tensor nll = -chosenAll.sum() / labelledTokens(b.wholeLabels.slice(0, 0, B)).sum().clamp_min(1.0);
        return orpoLoss(config, nll, mean.slice(0, 0, B), mean.slice(0, B));
    }

    const torch::Tensor policy = summedLogps(lm, b.ids, b.labels);
    torch::Tensor reference = b.reference, kl, klReference = b.klReference;
    {
        torch::NoGradGuard noGrad;
        if (!reference.defined()) {
            const AdaptersOff off;
            reference = summedLogps(lm, b.ids, b.labels);
            if (b.klIds.defined()) klReference = summedLogps(lm, b.klIds, b.klLabels);
        }
        if (b.klIds.defined()) kl = summedLogps(lm, b.klIds, b.klLabels);  // the policy's, without gradient (TRL)
    }
    if (config.loss == "kto") {
        if (!kl.defined()) kl = klReference = torch::zeros({B}, policy.options());  // no mismatched rows: no KL
        return ktoLoss(config, policy, reference, b.desirable, kl, klReference, meanOverRanks);
    }
    const torch::Tensor tokens = labelledTokens(b.labels);
    return pairedPreferenceLoss(config, policy.slice(0, 0, B), policy.slice(0, B), reference.slice(0, 0, B),
                                reference.slice(0, B), tokens.slice(0, 0, B), tokens.slice(0, B));
}

void computeReferenceLogps(CausalLM& lm, std::vector<TokenizedPreference>& rows, int padId, int batchSize,
                           torch::Device device) {
    torch::NoGradGuard noGrad;
    const bool wasTraining = lm->is_training();
    lm->eval();
    for (size_t i = 0; i < rows.size(); i += size_t(batchSize)) {
        std::vector<const TokenizedPreference*> items;
        for (size_t k = i; k < std::min(rows.size(), i + size_t(batchSize)); ++k) items.push_back(&rows[k]);
        const PreferenceBatch b = makePreferenceBatch(items, padId, device);
        const torch::Tensor logps = summedLogps(lm, b.ids, b.labels).to(torch::kCPU);
        const torch::Tensor klLogps = b.klIds.defined() ? summedLogps(lm, b.klIds, b.klLabels).to(torch::kCPU) : torch::Tensor();
        const int64_t B = b.rows;
        for (int64_t k = 0; k < B; ++k) {
            auto& r = rows[i + size_t(k)];
            r.reference = {logps[k].item<float>(), r.desirable ? 0.0f : logps[B + k].item<float>(),
                           klLogps.defined() ? klLogps[k].item<float>() : 0.0f};
        }
    }
    if (wasTraining) lm->train();
}

} // namespace ft
