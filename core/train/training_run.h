#pragma once
// One fine-tuning run on a thread owned by the core. It reports each step as a value through callbacks (called on
// the training thread; a UI relays them to its own thread) and can be paused, resumed and cancelled.

#include "core/common/error.h"
#include "core/dist/dist_env.h"
#include "core/project/project.h"
#include "core/train/run_folder.h"  // RunState, runStateName, the run folder's layout

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>

namespace ft {

struct StepMetrics {
    int step = 0;            // optimizer steps done (1-based)
    int totalSteps = 0;
    double epoch = 0.0;      // fractional
    double loss = 0.0;       // mean over the unmasked tokens of this step (all accumulation micro-batches)
    double learningRate = 0.0;
    double gradNorm = 0.0;   // before clipping
    double tokensPerSecond = 0.0;
    double etaSeconds = 0.0;
    int64_t memoryBytes = 0; // resident memory of the process (host RSS)
    // Preference tuning: TRL's metrics by its names ("rewards/margins", "rewards/accuracies", "logps/chosen", KTO's
    // "kl", ...), the step's means. Empty otherwise.
    std::map<std::string, double> preference;
    // Data-parallel runs: the step's gradient all-reduce (0 in a single process).
    int64_t allReduceBytes = 0;      // gradient bytes summed over the ranks
    double allReduceSeconds = 0.0;   // from its first bucket's start to its last one's end (overlaps backward)
    double allReduceWaitSeconds = 0.0;  // what it added after backward's own work: the communication not hidden
};

struct EvalMetrics {
    int step = 0;
    double loss = 0.0;
    double perplexity = 0.0;   // instruct and base FT
    std::map<std::string, double> preference;  // preference tuning: TRL's metrics on the validation rows
};

struct RunSummary {
    int trainExamples = 0;
    int trainRows = 0;         // the rows they make: fewer than trainExamples when packed
    int validationExamples = 0;
    int skippedRows = 0;       // bad dataset rows (reported, not trained on)
    int truncatedExamples = 0;
    int promptCutRows = 0;     // preference rows whose answer starts inside the prompt's last tokens (as TRL)
    int longPromptRows = 0;    // preference rows left out: the prompt alone fills max_seq_length
    bool referencePrecomputed = false;  // preference tuning with full FT: reference log-probs taken before training
    int64_t trainableParameters = 0;
    int64_t totalParameters = 0;
    int totalSteps = 0;
    int resumedFromStep = 0;   // > 0 when continuing from a checkpoint
    bool restartedFromStepZero = false;  // resumed before the run had a checkpoint: it starts again in its folder
    std::string device;
    int processes = 1;         // data-parallel runs: the ranks (each on `device`'s kind)
    int globalBatch = 0;       // examples per optimizer step over all ranks: batch_size x ranks x accumulation
    std::filesystem::path runDir;  // the run folder (TrainingRun::outDir())
};

struct RunCallbacks {
    std::function<void(const RunSummary&)> onPrepared;
    std::function<void(const StepMetrics&)> onStep;
    std::function<void(const EvalMetrics&)> onEval;
    std::function<void(int step, const std::filesystem::path& dir)> onCheckpoint;  // a complete checkpoint was written
    // Final state; `error` set when Failed. Output files are complete by the time this is called.
    std::function<void(RunState, const std::optional<Error>& error)> onFinished;
};

struct RunOptions {
    // The run folder (core/train/run_folder.h). Empty: a new one under runsRoot(project), <output>/runs/<id>. Set: that
    // folder itself, which a new (not resumed) run refuses when it already holds a run: runs never overwrite each
    // other.
    std::filesystem::path outDir;
    int maxSteps = -1;             // > 0 overrides the project
    // Continue from the newest complete checkpoint of the run (or from `resumeFrom` when set): weights, optimizer,
    // schedule, random generators and data position, so the loss curve goes on as if never interrupted. Without
    // outDir, the run is the project's newest unfinished one (resumeFrom: the run folder the checkpoint is in).
    bool resume = false;
    std::filesystem::path resumeFrom;
    // One rank of a data-parallel run (core/dist/dist_env.h): the run meets the other ranks before it prepares,
    // takes its share of each step's batch, and sums gradients with them. Rank 0 chooses the run folder and alone
    // writes run.json, metrics, checkpoints and the adapter, and alone calls onStep, onEval and onCheckpoint; every
    // rank resumes from the checkpoint rank 0 names (the run folder must be on a file system they all see). Pause and
    // cancel take effect for all ranks together, at the next step.
    std::optional<DistEnv> distributed;
    // Data-parallel on this machine without a launcher: 0 takes the project's training.processes. Above 1, this
    // process is rank 0 and starts the others as `workerProgram train <run folder>/project.json` (the project as
    // trained, written first), watching them: a worker that ends is named with how it ended.
    int localProcesses = 0;
    std::filesystem::path workerProgram;  // ftstudio-cli
};

// The run folder is chosen (and a new one made) by the constructor, and held (RunLock) until the run ends; a folder
// that cannot be used (a refused --out, nothing to resume, no model or dataset in the project) is reported by start()
// as Failed through onFinished, with outDir() empty and nothing written. run.json follows the run's state.
class TrainingRun {
public:
    TrainingRun(Project project, RunOptions options = {});
    ~TrainingRun();  // cancels and joins
    TrainingRun(const TrainingRun&) = delete;
    TrainingRun& operator=(const TrainingRun&) = delete;

    void start(RunCallbacks callbacks);
    void pause();
    void resume();
    void cancel();
    void wait();
    RunState state() const;

    std::filesystem::path outDir() const;  // the run folder; empty when none could be taken
    // Writes the trained adapter in PEFT's layout (also written to runAdapterDir(outDir()) at the end). Call when the
    // run is no longer running.
    void exportAdapter(const std::filesystem::path& dir);

private:
    struct Impl;
    std::unique_ptr<Impl> m;
};

} // namespace ft
