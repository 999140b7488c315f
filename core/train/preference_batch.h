#pragma once
// Internal (includes LibTorch): preference rows as one batch, as TRL 1.16's collators lay them out, and the loss of
// such a batch (core/train/preference_loss.h) from the policy and its reference.

#include "core/model/decoder.h"
#include "core/project/preference_config.h"
#include "core/train/example_encoder.h"
#include "core/train/preference_loss.h"

#include <torch/types.h>
#include <vector>

namespace ft {

struct PreferenceBatch {
    // Pairs: the B chosen sequences, then the B rejected ones (DPOTrainer's concatenated batch); KTO: B completions.
    // Right-padded with the pad id.
    torch::Tensor ids;         // (2B or B, T) int64
    torch::Tensor labels;      // the answers' tokens; kIgnoreIndex on prompts and padding
    torch::Tensor wholeLabels; // ORPO: every real token (its likelihood term covers prompt and answer, as TRL's)
    torch::Tensor klIds, klLabels;  // KTO: each row's prompt with a mismatched completion
    torch::Tensor desirable;   // KTO: (B) bool
    torch::Tensor reference;   // precomputed reference log-probs, (2B) or (B); undefined: the adapters-off model
    torch::Tensor klReference; // KTO, precomputed: (B)
    int64_t rows = 0;          // B: pairs, or KTO completions
    int64_t realTokens = 0;    // tokens read, padding excluded (KTO's mismatched rows included)
};

PreferenceBatch makePreferenceBatch(const std::vector<const TokenizedPreference*>& rows, int padId, torch::Device device);

// The batch's loss (with the policy's graph) and TRL's metrics. The reference is the precomputed log-probs where the
// batch has them, else the same model with its adapters switched off (no second copy).
PreferenceLoss preferenceBatchLoss(CausalLM& lm, const PreferenceConfig& config, const PreferenceBatch& batch,
                                   const MeanOverRanks& meanOverRanks = {});

// The reference log-probs of every row (TokenizedPreference::reference), in one pass without gradients, for runs
// whose reference is the model as loaded (full fine-tuning): call before training changes it.
void computeReferenceLogps(CausalLM& lm, std::vector<TokenizedPreference>& rows, int padId, int batchSize,
                           torch::Device device);

} // namespace ft
