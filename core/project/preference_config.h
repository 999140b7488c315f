#pragma once
// Preference tuning's settings (the project's "preference" section): which of TRL 1.16.0's losses and its
// coefficients, and how long a prompt may be. No LibTorch here; the losses are core/train/preference_loss.h.

#include <string>

namespace ft {

struct PreferenceConfig {
    std::string loss = "dpo";        // "dpo" (TRL's sigmoid), "ipo", "hinge", "robust", "orpo", "kto"
    double beta = 0.1;               // DPO's β; ORPO's λ; KTO's β
    double labelSmoothing = 0.0;     // robust: the probability that a label is flipped, in [0, 0.5)
    double desirableWeight = 1.0;    // KTO
    double undesirableWeight = 1.0;  // KTO
    // > 0: a longer prompt keeps its last tokens (its end, which the answer follows). 0: prompts are kept whole, as
    // TRL 1.16 does, and only training.max_seq_length cuts a row (its end).
    int maxPromptLength = 0;
};

// Throws ft::Error naming `where` (e.g. "project.json: preference") and the field for a loss name, β, label smoothing
// or weight out of range, with what to write instead.
void checkPreferenceConfig(const PreferenceConfig& config, const std::string& where);

} // namespace ft
