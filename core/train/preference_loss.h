#pragma once
// Internal (includes LibTorch): preference losses and their metrics as TRL 1.16.0 computes them (DPOTrainer,
// KTOTrainer, trl.experimental.orpo's ORPOTrainer), from log-probabilities already summed over each completion.
// Metrics carry TRL's names, so curves compare with its logs.

#include "core/project/preference_config.h"

#include <ATen/core/Tensor.h>

#include <functional>
#include <map>
#include <string>
#include <vector>

namespace ft {

struct PreferenceLoss {
    at::Tensor loss;                        // () fp32, with the policy's graph
    std::map<std::string, double> metrics;  // "rewards/chosen", "rewards/margins", "logps/rejected", "kl", ...
};

// Every metric name the losses below report (a batch reports those its rows allow: KTO without rejected rows has no
// rewards/rejected), in one order: data-parallel ranks exchange them by position.
const std::vector<std::string>& preferenceMetricNames();

// DPO, IPO, hinge and robust DPO over B pairs. chosen/rejected: the policy's summed completion log-probs (B,);
// refChosen/refRejected: the reference's, without gradient; chosenTokens/rejectedTokens: completion lengths (B,), which
// IPO averages by.
PreferenceLoss pairedPreferenceLoss(const PreferenceConfig& config, const at::Tensor& chosen, const at::Tensor& rejected,
                                    const at::Tensor& refChosen, const at::Tensor& refRejected,
                                    const at::Tensor& chosenTokens, const at::Tensor& rejectedTokens);

// ORPO: the chosen completions' mean negative log-likelihood (chosenNll, the SFT term) minus λ · log σ(log odds),
// from per-token mean log-probs chosenMean/rejectedMean (B,). No reference model.
PreferenceLoss orpoLoss(const PreferenceConfig& config, const at::Tensor& chosenNll, const at::Tensor& chosenMean,
                        const at::Tensor& rejectedMean);

// KTO over B unpaired completions: logps/refLogps (B,) summed completion log-probs, desirable (B,) bool; klLogps and
// refKlLogps (B,) those of the batch's mismatched pairs (prompt i with completion i - 1), whose mean difference,
// clamped at 0 and without gradient, is the KL estimate. Data-parallel, TRL gathers every rank's mean and averages
// them before the clamp: meanOverRanks does that (empty: one process).
using MeanOverRanks = std::function<double(double)>;
PreferenceLoss ktoLoss(const PreferenceConfig& config, const at::Tensor& logps, const at::Tensor& refLogps,
                       const at::Tensor& desirable, const at::Tensor& klLogps, const at::Tensor& refKlLogps,
                       const MeanOverRanks& meanOverRanks = {});

} // namespace ft
