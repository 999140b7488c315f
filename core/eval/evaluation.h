#pragma once
// Evaluation: did the fine-tune help? The held-out rows of a project (its seeded validation split, the examples
// training validated on, token for token) or every row of a file the user names, through the base model and one or
// more tuned ones (a run, a checkpoint, an exported adapter or a merged model): each row's loss on the tokens training
// takes it on, a greedy (or seeded sampled) answer generated in batches, and the answer's exact match, token F1 and
// ROUGE-L against the row's reference answer (core/eval/text_metrics.h). Preference rows also get their chosen and
// rejected log-probabilities, and the tuned sides TRL's rewards against the base as reference. No LibTorch here.

#include "core/project/project.h"

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace ft {

struct EvalProgress {
    int side = 0;            // 0: base; 1..: the tuned models in order
    int sides = 0;
    std::string stage;       // "loading", "loss", "generating"
    int done = 0, total = 0; // rows
};

struct EvalOptions {
    std::filesystem::path data;                // empty: the project's validation split; else every row of this file
    // Run folders, checkpoints (RUN/checkpoints/step-N), adapter folders or merged model folders; empty: the
    // project's newest run.
    std::vector<std::filesystem::path> tuned;
    int maxNewTokens = 128;
    bool sample = false;                       // false: greedy
    double temperature = 1.0;
    double topP = 1.0;
    uint64_t seed = 0;
    int batchSize = 16;                        // rows generated (and scored) together
    int maxExamples = 0;                       // > 0: only the first N rows
    std::string device = "auto";               // auto | cpu | cuda, as training.device
    // Called between batches; returning false stops the evaluation (ErrorCode::Cancelled).
    std::function<bool(const EvalProgress&)> progress;
    // Set from another thread to stop within one generated token (ErrorCode::Cancelled).
    const std::atomic<bool>* cancel = nullptr;
};

// One model's figures: means over rows, except loss (over all scored tokens, as training's evaluation) and
// perplexity = exp(loss).
struct EvalScores {
    double loss = 0, perplexity = 0;
    int64_t tokens = 0;
    double exactMatch = 0, tokenF1 = 0, rougeL = 0;
    double rougeLUnicode = 0;   // ROUGE-L over Unicode words: rouge-score's own tokenizer scores Korean 0
    // Preference rows: TRL's rewards/accuracies and rewards/margins with the base as reference (0 for the base).
    std::optional<double> rewardAccuracy, rewardMargin;
    std::optional<double> logpAccuracy;  // preference rows: how often log p(chosen) > log p(rejected)
};

struct EvalAnswer {
    std::string text;           // the generated answer, EOS left out
    int newTokens = 0;
    double loss = 0;            // mean over the row's scored tokens
    int tokens = 0;
    double exactMatch = 0, tokenF1 = 0, rougeL = 0, rougeLUnicode = 0;
    std::optional<double> logpChosen, logpRejected;  // preference pairs: summed answer log-probabilities
    std::optional<double> reward;                    // tuned sides: β·(Δ chosen − Δ rejected), Δ against the base
};

struct EvalRow {
    int line = 0;               // the row's line in the data file
    std::string prompt;         // what the model was asked (the last user turn; raw text: the block's first half)
    std::string reference;      // the row's answer (raw text: how the block goes on)
    std::vector<EvalAnswer> answers;  // per side, base first
};

struct EvalSide {
    std::string name;           // "base", or the run / checkpoint / folder name
    std::string source;         // the folder it was loaded from
    EvalScores scores;
};

struct EvalReport {
    std::string project;        // the project's name
    std::filesystem::path projectFile, dataFile, model;
    std::string kind, method;
    bool heldOut = true;        // the project's validation split (false: every row of dataFile)
    int skippedRows = 0;        // bad rows of the data file (rowErrors says where)
    std::vector<std::string> rowErrors;
    int maxNewTokens = 0;
    bool sampled = false;
    uint64_t seed = 0;
    double seconds = 0;
    std::vector<EvalSide> sides;  // base first
    std::vector<EvalRow> rows;
};

// Runs the evaluation on this thread. Errors name the file, line or option and say what to do (no held-out rows:
// raise training.validation_fraction or pass a file; no run yet: train first or name one).
EvalReport evaluateProject(const Project& project, const EvalOptions& options);

// Where a tuned side comes from, resolved without loading anything (the GUI lists them; the CLI checks them first).
struct TunedSource {
    std::filesystem::path path;       // as given
    std::string name;                 // run id, "run/step-N", or the folder name
    std::filesystem::path model;      // the base model it goes over (or the merged model itself)
    std::filesystem::path adapter;    // adapter folder (LoRA, QLoRA, adapters, prompt learning)
    std::filesystem::path fullWeights;  // a full fine-tune's trainable.safetensors
    bool mergedModel = false;         // a whole model folder, loaded instead of the base
    std::string method;
    std::optional<QloraConfig> qlora; // the base goes through 4-bit as in training
};
TunedSource resolveTunedSource(const Project& project, const std::filesystem::path& path);
// The project's newest run with a checkpoint; throws (saying to train first or name a run) when there is none.
std::filesystem::path newestEvaluableRun(const Project& project);

} // namespace ft
