#pragma once
// Internal (includes LibTorch): the optimization of a training run. Built on a model with its method attached, it
// owns AdamW and the learning-rate schedule; step() takes one optimizer step's micro-batches and returns that step's
// numbers. Callbacks, pausing, metrics and the run folder's bookkeeping stay with TrainingRun.

#include "core/train/example_encoder.h"
#include "core/train/example_table.h"
#include "core/model/decoder.h"
#include "core/train/batches.h"
#include "core/train/preference_batch.h"
#include "core/train/checkpoint.h"
#include "core/project/project.h"
#include "core/dist/gradient_sync.h"

#include <torch/optim/adamw.h>

#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <vector>

namespace ft {

class DistGroup;

// The project's training.device: CUDA unless it says cpu or there is none; asking for cuda without one fails.
torch::Device trainingDevice(const std::string& wanted);

struct StepResult {
    double loss = 0.0;          // mean over the step's unmasked target tokens (all micro-batches together)
    double gradNorm = 0.0;      // before clipping
    double learningRate = 0.0;  // the rate this step was taken at
    int64_t inputTokens = 0;    // tokens read, padding excluded
    std::map<std::string, double> metrics;  // preference tuning: TRL's (rewards/margins, logps/chosen, ...), step means
    GradientSyncStats sync;     // data-parallel runs: the gradient all-reduce of this step
};

// A validation pass: the mean loss and, for preference tuning, TRL's metrics averaged over its batches.
struct EvalResult {
    double loss = 0.0;
    std::map<std::string, double> metrics;
};

// Thrown by step() before the optimizer update when the loss or the gradient norm is NaN or infinite.
struct NonFiniteValue {
    const char* what;  // "loss" or "gradient norm"
    double value;
    int step;          // 1-based, the step that failed
};

class Trainer {
public:
    // `lm` trains in place (on `device`, its trainable parameters as attachMethod left them); `totalSteps` is the
    // length of the learning-rate schedule. With `group`, this is one rank of a data-parallel run: each step's
    // micro-batches are this rank's share of the global batch, the loss is normalised over every rank's target
    // tokens and the gradients are summed over the ranks, so all ranks take the step one process would take on the
    // whole global batch; validation is shared out by batches and summed.
    Trainer(CausalLM lm, torch::Device device, const TrainingConfig& config, int totalSteps, DistGroup* group = nullptr);
    ~Trainer();

    // One optimizer step: forward, loss, backward for each micro-batch (gradients accumulate), clip, schedule,
    // AdamW. `beforeForward` runs before each micro-batch (where a run pauses or cancels).
    StepResult step(std::span<const Batch> microBatches, const std::function<void()>& beforeForward);

    // Preference tuning: the step's loss is the mean of its micro-batches' (each a mean over its rows, as TRL's).
    StepResult step(std::span<const PreferenceBatch> microBatches, const PreferenceConfig& config,
                    const std::function<void()>& beforeForward);

    // The mean validation loss per target token, without gradients or dropout.
    double evaluate(const ExampleRows& examples, int padId, int batchSize);
    // Preference tuning: the batches' mean loss and metrics, without gradients.
    EvalResult evaluate(const std::vector<TokenizedPreference>& rows, const PreferenceConfig& config, int padId, int batchSize);
    // The reference log-probs of `rows`, from the model as it is now (full fine-tuning, before the first step).
    void computeReference(std::vector<TokenizedPreference>& rows, int padId, int batchSize);

    // Restores parameters, optimizer and generators from a checkpoint; returns the position it recorded and
    // continues counting from its step.
    TrainerPosition restore(const std::filesystem::path& checkpoint);
    // Writes the checkpoint of `position` (its step is stepsDone()) into the run folder.
    void save(const std::filesystem::path& runDir, const TrainerPosition& position,
              const std::function<void(const std::filesystem::path&)>& exportAdapter, const std::string& projectJson);

    int stepsDone() const { return m_step; }

    // Data-parallel runs: `values` summed over the ranks, on every rank in the same order (returned as they are
    // without a group).
    std::vector<double> sumOverRanks(std::vector<double> values);

private:
    // Loss of one micro-batch, as a share of the step's mean: its sum over tokens / the step's target tokens.
    torch::Tensor microBatchLoss(const Batch& batch, int64_t stepTargetTokens);
    // Clips, schedules and takes the AdamW step on the gradients backward left; fills the rest of `result`.
    void optimizerStep(StepResult& result);
    std::optional<at::ScalarType> mixedPrecision() const;
    // Preference metrics: each name's values summed over the ranks (kept where any rank had it).
    void sumMetricsOverRanks(std::map<std::string, double>& metrics);
    // backward() of a step's micro-batch; the last one's gradients are summed over the ranks.
    void backward(const torch::Tensor& loss, bool lastOfStep);

    CausalLM m_lm;
    torch::Device m_device;
    TrainingConfig m_config;
    int m_totalSteps;
    torch::optim::AdamW m_optimizer;
    std::vector<torch::Tensor> m_trainable;  // its groups' parameters in order: decayed, then not decayed
    int m_step = 0;  // optimizer steps done
    DistGroup* m_group = nullptr;
    std::unique_ptr<GradientSync> m_sync;
};

} // namespace ft
