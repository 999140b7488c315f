#pragma once
// Every training run in a folder of its own, and the one place that spells a run's inner paths. No LibTorch.
// Without an explicit folder a run goes to <project output>/runs/<id>/ (id: UTC start time, made unique), holding
//   run.json        {"format": "finetune-studio-run", "version": 1, "id", "method", "state", "steps_done",
//                    "total_steps", "started", "pid"}; rewritten atomically at start, after preparation, at every
//                    checkpoint and at the end
//   project.json    the project as trained, its paths absolute (also kept in every checkpoint)
//   metrics.jsonl   one line per step and evaluation (core/train/metrics_log.h)
//   checkpoints/step-NNNNNN/   (core/train/checkpoint.h); pruning never leaves the run's own folder
//   adapter/        the method's export once the run finished (none for a full fine-tune)
// A run whose run.json says "running" but whose process no longer holds the run's lock was killed: it reads as failed.

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace ft {

struct Project;

enum class RunState { Idle, Preparing, Running, Paused, Finished, Cancelled, Failed };
const char* runStateName(RunState state);  // idle, preparing, running, paused, finished, cancelled, failed

struct RunInfo {
    std::string id;
    std::filesystem::path dir;
    std::string method;
    int stepsDone = 0;           // optimizer steps done at the last update of run.json
    int totalSteps = 0;
    RunState state = RunState::Running;  // running, finished, cancelled or failed
    std::string started;         // ISO 8601 UTC
    std::filesystem::path adapter;           // what an export of the run takes: adapter/ when finished, else the
                                             // latest checkpoint's adapter/; empty when there is none (or full FT)
    std::filesystem::path latestCheckpoint;  // empty when none is complete
    bool finished() const { return state == RunState::Finished; }
    bool resumable() const { return !finished() && state != RunState::Running && !latestCheckpoint.empty(); }
};

// Paths inside a run folder.
std::filesystem::path runStateFile(const std::filesystem::path& runDir);      // run.json
std::filesystem::path runProjectFile(const std::filesystem::path& runDir);    // project.json
std::filesystem::path runMetricsFile(const std::filesystem::path& runDir);    // metrics.jsonl
std::filesystem::path runCheckpointsDir(const std::filesystem::path& runDir); // checkpoints/
std::filesystem::path runAdapterDir(const std::filesystem::path& runDir);     // adapter/
// Preference tuning with full FT: the reference model's log-probs of every row, taken before the first step.
std::filesystem::path runReferenceFile(const std::filesystem::path& runDir);  // reference_logps.json

// <project output>/runs
std::filesystem::path runsRoot(const Project& project);

// Makes a new, empty run folder under `root` with a unique id (never an existing folder) and returns it.
std::filesystem::path createRunFolder(const std::filesystem::path& root);

// Reads a run folder; nullopt when it is not one (no run.json and no checkpoints/).
std::optional<RunInfo> readRun(const std::filesystem::path& runDir);
// Every run under `root`, oldest first (newest last).
std::vector<RunInfo> listRuns(const std::filesystem::path& root);
std::optional<RunInfo> newestRun(const std::filesystem::path& root);
// The newest run that did not finish and has a checkpoint to continue from.
std::optional<RunInfo> newestUnfinishedRun(const std::filesystem::path& root);

// Writes run.json atomically (the training run calls it; the state it writes is running, finished, cancelled or
// failed). An empty `started` is written as now.
void writeRunState(const std::filesystem::path& runDir, const RunInfo& info);
// Now, as run.json's "started" (ISO 8601 UTC, e.g. 2026-12-06T04:15:02Z).
std::string runStartTime();

// Removes a run folder that holds nothing but its lock file (a run chosen but never started); anything else stays.
void removeEmptyRunFolder(const std::filesystem::path& runDir);

// Held by the process that trains in runDir for as long as it trains (an advisory lock on a file in the folder), so
// readers tell a live run from a killed one. Releasing is closing; the destructor does it.
class RunLock {
public:
    explicit RunLock(const std::filesystem::path& runDir);  // throws ft::Error when another process holds it
    ~RunLock();
    RunLock(const RunLock&) = delete;
    RunLock& operator=(const RunLock&) = delete;

private:
    int m_fd = -1;
};

// The runs as `ftstudio-cli runs` prints them: [{"id","dir","method","steps_done","total_steps","state","adapter"}]
std::string runsToJson(const std::vector<RunInfo>& runs);

} // namespace ft
