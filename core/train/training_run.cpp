#include "core/train/training_run.h"

#include "core/dist/dist_group.h"
#include "core/dist/local_launch.h"
#include "core/io/atomic_file.h"
#include "core/io/json_file.h"
#include "core/model/decoder.h"
#include "core/model/model_folder.h"
#include "core/train/project_method.h"
#include "core/train/batches.h"
#include "core/train/checkpoint.h"
#include "core/train/epoch_sampler.h"
#include "core/train/memory.h"
#include "core/train/metrics_log.h"
#include "core/train/trainer.h"
#include "core/train/training_data.h"

#include <nlohmann/json.hpp>
#include <torch/torch.h>

#include <atomic>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <fstream>
#include <functional>
#include <mutex>
#include <sstream>
#include <thread>
#include <unistd.h>

namespace ft {

namespace {
struct CancelledSignal {};
using Clock = std::chrono::steady_clock;
} // namespace

struct TrainingRun::Impl {
    Project project;
    RunOptions options;
    std::filesystem::path out;        // the run folder; empty when none could be taken (then setupError says why)
    std::optional<Error> setupError;  // reported by start() as Failed
    std::unique_ptr<RunLock> lock;    // held from the folder's choice to the run's end
    RunInfo info;                     // what run.json says, kept up to date by the training thread
    bool createdFolder = false;
    bool restartsFromStepZero = false;  // --resume of a run that had written no checkpoint yet
    bool started = false;
    RunCallbacks callbacks;

    std::thread thread;
    mutable std::mutex mutex;
    std::condition_variable cv;
    std::atomic<RunState> state{RunState::Idle};
    bool pauseRequested = false;
    std::atomic<bool> cancelRequested{false};

    // Built on the training thread, kept after it ends for export.
    std::unique_ptr<ModelFolder> folder;
    CausalLM lm{nullptr};
    torch::Device device{torch::kCPU};
    std::string snapshot;                 // the project as trained (project.json), copied into each checkpoint
    std::filesystem::path lastCheckpoint; // the newest one written by this session; empty before the first
    std::unique_ptr<DistGroup> group;     // data-parallel runs: the ranks, joined on the training thread
    std::unique_ptr<LocalLauncher> workers;  // the other ranks, when this process started them (localProcesses)
    bool startsWorkers = false;

    // Rank 0 (or the only process): the one that writes the run folder and reports.
    bool leader() const { return !options.distributed || options.distributed->rank == 0; }
    void joinGroup();
    void chooseLocalProcesses();
    void startWorkers();
    std::string workersEnded(bool failed);

    void takeFolder();
    void writeState(RunState s);
    void run();
    void prepareAndTrain();
    std::string writeProjectSnapshot() const;
    CausalLM loadBase() const;
    int resumeFromCheckpoint(Trainer& trainer, EpochSampler& sampler, int totalSteps);
    void validate(Trainer& trainer, const TrainingData& data, std::optional<MetricsLogWriter>& metrics, int step);
    void takeReference(Trainer& trainer, TrainingData& data, bool resuming);
    void saveCheckpoint(Trainer& trainer, const EpochSampler& sampler, int totalSteps);
    void exportTo(const std::filesystem::path& dir);
    void checkpointPause();  // blocks while paused; throws CancelledSignal when cancelled
    void stepGate(Trainer& trainer);  // data-parallel runs: the ranks' pause and cancel, together
    std::string outOfMemoryAdvice(const std::string& what) const;
    Error nonFiniteError(const NonFiniteValue& value) const;
};

namespace fs = std::filesystem;

namespace {

// The last non-empty line of a text file (from its last 4 KiB), "" when it has none or cannot be read.
std::string lastLine(const fs::path& file) {
    std::ifstream in(file, std::ios::binary | std::ios::ate);
    if (!in) return {};
    const std::streamoff size = in.tellg();
    const std::streamoff from = std::max<std::streamoff>(0, size - 4096);
    std::string text(size_t(size - from), '\0');
    in.seekg(from);
    in.read(text.data(), std::streamsize(text.size()));
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' ')) text.pop_back();
    const size_t nl = text.find_last_of('\n');
    return nl == std::string::npos ? text : text.substr(nl + 1);
}

// A new run never writes into a folder that holds another run (its run.json or checkpoints/).
void refuseExistingRun(const fs::path& dir) {
    std::error_code ec;
    if (fs::exists(runStateFile(dir), ec) || fs::exists(runCheckpointsDir(dir), ec))
        throw Error(ErrorCode::InvalidValue, dir.string(),
                    "already holds a training run; continue it with --resume, or choose another --out "
                    "(runs never overwrite each other)");
}

// The run folder a checkpoint (<run>/checkpoints/step-N) belongs to; empty when it is not inside one.
fs::path runFolderOf(fs::path checkpoint) {
    checkpoint = checkpoint.lexically_normal();
    if (checkpoint.filename().empty()) checkpoint = checkpoint.parent_path();
    const fs::path run = checkpoint.parent_path().parent_path();
    return runCheckpointsDir(run) == checkpoint.parent_path() ? run : fs::path();
}

// Optimizer steps in one pass over `examples` (the last one may be short) by `ranks` processes.
int stepsPerEpoch(const TrainingConfig& cfg, size_t examples, int ranks) {
    const int perStep = cfg.batchSize * cfg.gradientAccumulation * ranks;
    return std::max(1, int((examples + size_t(perStep) - 1) / size_t(perStep)));
}

// Where a rank stands: its index and how many there are (0 of 1 for a single process).
struct Shard {
    int rank = 0, ranks = 1;
};

// This rank's share of the sampler's next `batchSize x ranks` examples: every rank draws the same global batch (the
// same seed, the same order) and takes its own consecutive slice, so the ranks together read what one process with
// a batch of batchSize x ranks would.
std::vector<size_t> takeShare(EpochSampler& sampler, int batchSize, Shard shard) {
    const std::vector<size_t> global = sampler.take(batchSize * shard.ranks);
    return {global.begin() + ptrdiff_t(batchSize) * shard.rank, global.begin() + ptrdiff_t(batchSize) * (shard.rank + 1)};
}

// One optimizer step's examples: gradient_accumulation_steps micro-batches of batch_size, in the sampler's order.
std::vector<Batch> nextMicroBatches(EpochSampler& sampler, const TrainingData& data, const TrainingConfig& cfg,
                                    torch::Device device, Shard shard) {
    std::vector<Batch> batches;
    for (int i = 0; i < cfg.gradientAccumulation; ++i) {
        std::vector<TokenizedExample> rows;  // built from the (mapped) table, only for this micro-batch
        for (const size_t index : takeShare(sampler, cfg.batchSize, shard)) rows.push_back(data.train[index]);
        std::vector<const TokenizedExample*> examples;
        for (const auto& row : rows) examples.push_back(&row);
        batches.push_back(makeBatch(examples, data.padId, device));
    }
    return batches;
}

std::vector<PreferenceBatch> nextPreferenceBatches(EpochSampler& sampler, const TrainingData& data,
                                                   const TrainingConfig& cfg, torch::Device device, Shard shard) {
    std::vector<PreferenceBatch> batches;
    for (int i = 0; i < cfg.gradientAccumulation; ++i) {
        std::vector<const TokenizedPreference*> rows;
        for (const size_t index : takeShare(sampler, cfg.batchSize, shard)) rows.push_back(&data.preferenceTrain[index]);
        batches.push_back(makePreferenceBatch(rows, data.padId, device));
    }
    return batches;
}

// TRL's disable_dropout (on by default in its preference trainers): policy and reference see the same network.
void disableLoraDropout(CausalLM& lm) {
    for (const auto& module : lm->modules())
        if (auto* projection = module->as<ProjectionImpl>()) projection->loraDropout = 0.0;
}

// A step's numbers as reported: the trainer's, with where the run stands, its pace and the memory in use. Tokens per
// second are smoothed over steps (0.2 of each new one); the time left goes at the mean pace of this session's steps.
class Progress {
public:
    Progress(int firstStep, int totalSteps, int stepsPerEpoch)
        : m_firstStep(firstStep), m_totalSteps(totalSteps), m_stepsPerEpoch(stepsPerEpoch) {}
    void stepStarts() { m_stepStart = Clock::now(); }
    StepMetrics stepDone(const StepResult& result, int stepsDone) {
        const double stepSeconds = std::chrono::duration<double>(Clock::now() - m_stepStart).count();
        const double tps = double(result.inputTokens) / std::max(1e-9, stepSeconds);
        m_tokensPerSecond = stepsDone - 1 == m_firstStep ? tps : 0.8 * m_tokensPerSecond + 0.2 * tps;
        const double elapsed = std::chrono::duration<double>(Clock::now() - m_start).count();
        StepMetrics m;
        m.step = stepsDone;
        m.totalSteps = m_totalSteps;
        m.epoch = double(stepsDone) / double(m_stepsPerEpoch);
        m.loss = result.loss;
        m.learningRate = result.learningRate;
        m.gradNorm = result.gradNorm;
        m.tokensPerSecond = m_tokensPerSecond;
        m.etaSeconds = elapsed / double(stepsDone - m_firstStep) * double(m_totalSteps - stepsDone);
        m.memoryBytes = residentSetBytes();
        m.preference = result.metrics;
        m.allReduceBytes = result.sync.bytes;
        m.allReduceSeconds = result.sync.busySeconds;
        m.allReduceWaitSeconds = result.sync.waitSeconds;
        return m;
    }

private:
    Clock::time_point m_start = Clock::now();
    Clock::time_point m_stepStart;
    int m_firstStep, m_totalSteps, m_stepsPerEpoch;
    double m_tokensPerSecond = 0.0;
};

// Evaluations and checkpoints every `every` steps (0: none) before the last; the last step always gets both.
bool due(int every, int step, int totalSteps) { return every > 0 && step % every == 0 && step < totalSteps; }

} // namespace

void TrainingRun::Impl::takeFolder() {
    // A new project is saved before it names its model or data: loading accepts that, training does not.
    const std::string file = project.file.empty() ? std::string("project") : project.file.string();
    if (project.model.empty())
        throw Error(ErrorCode::MissingField, file + ": model",
                    "choose the model to fine-tune (the wizard's Model page) or set \"model\" in the project");
    if (project.dataset.empty())
        throw Error(ErrorCode::MissingField, file + ": dataset",
                    "choose the training data (the wizard's Data page) or set \"dataset\" in the project");
    const bool resuming = options.resume || !options.resumeFrom.empty();
    std::error_code ec;
    if (!options.outDir.empty()) {
        out = options.outDir;
        if (!resuming) {
            refuseExistingRun(out);
        } else if (options.resumeFrom.empty() && !latestCheckpoint(out)) {
            if (!fs::exists(runStateFile(out), ec))
                throw Error(ErrorCode::FileNotFound, runCheckpointsDir(out).string(), "no complete checkpoint to resume from");
            // Stopped before its first checkpoint: nothing to continue from and nothing lost; it starts again.
            options.resume = false;
            restartsFromStepZero = true;
        }
        createdFolder = !fs::exists(out, ec);
        fs::create_directories(out, ec);
        if (ec) throw Error(ErrorCode::FileUnwritable, out.string(), ec.message());
    } else if (!options.resumeFrom.empty() && !runFolderOf(options.resumeFrom).empty()) {
        out = runFolderOf(options.resumeFrom);  // the checkpoint's own run goes on
    } else if (options.resume && options.resumeFrom.empty()) {
        const fs::path root = runsRoot(project);
        const auto run = newestUnfinishedRun(root);
        if (!run)
            throw Error(ErrorCode::FileNotFound, root.string(),
                        "no unfinished run with a checkpoint to continue (see ftstudio-cli runs); train without "
                        "--resume to start a new run");
        out = run->dir;
    } else {
        out = createRunFolder(runsRoot(project));
        createdFolder = true;
    }
    lock = std::make_unique<RunLock>(out);
    if (!resuming) refuseExistingRun(out);  // again under the lock: another process may have started one meanwhile

    const auto previous = resuming ? readRun(out) : std::nullopt;
    info = previous.value_or(RunInfo{});
    info.id = previous ? previous->id : out.filename().string();
    info.dir = out;
    info.method = project.method;
    info.started = previous && !previous->started.empty() ? previous->started : runStartTime();
}

void TrainingRun::Impl::writeState(RunState s) {
    if (!leader()) return;
    info.state = s;
    writeRunState(out, info);
}

TrainingRun::TrainingRun(Project project, RunOptions options) : m(std::make_unique<Impl>()) {
    m->project = std::move(project);
    m->options = std::move(options);
    try {
        m->chooseLocalProcesses();
    } catch (const Error& e) {
        m->setupError = e;
        return;
    }
    if (!m->leader()) return;  // a rank other than 0 learns the run folder from rank 0 when the run starts
    try {
        m->takeFolder();
    } catch (const Error& e) {
        m->setupError = e;
        m->lock.reset();
        if (m->createdFolder) removeEmptyRunFolder(m->out);
        m->out.clear();
    }
}

TrainingRun::~TrainingRun() {
    cancel();
    wait();
    if (!m->started && m->createdFolder && !m->out.empty()) {  // chosen, never used
        m->lock.reset();
        removeEmptyRunFolder(m->out);
    }
}

void TrainingRun::start(RunCallbacks callbacks) {
    if (m->thread.joinable()) throw Error(ErrorCode::Internal, "TrainingRun", "already started");
    m->started = true;
    m->callbacks = std::move(callbacks);
    m->state = RunState::Preparing;
    m->thread = std::thread([this] { m->run(); });
}

void TrainingRun::pause() {
    std::lock_guard lock(m->mutex);
    m->pauseRequested = true;
}

void TrainingRun::resume() {
    {
        std::lock_guard lock(m->mutex);
        m->pauseRequested = false;
    }
    m->cv.notify_all();
}

void TrainingRun::cancel() {
    m->cancelRequested = true;
    m->cv.notify_all();
}

void TrainingRun::wait() {
    if (m->thread.joinable()) m->thread.join();
}

RunState TrainingRun::state() const { return m->state; }

std::filesystem::path TrainingRun::outDir() const { return m->out; }

void TrainingRun::exportAdapter(const std::filesystem::path& dir) {
    const RunState s = m->state;
    if (s == RunState::Preparing || s == RunState::Running || s == RunState::Paused || !m->lm)
        throw Error(ErrorCode::InvalidValue, dir.string(), "the run has no finished adapter to export yet");
    exportMethod(m->lm, m->project, std::filesystem::absolute(m->project.resolve(m->project.model)).string(), dir);
}

void TrainingRun::Impl::checkpointPause() {
    std::unique_lock lock(mutex);
    if (pauseRequested && !cancelRequested) {
        state = RunState::Paused;
        cv.wait(lock, [&] { return !pauseRequested || cancelRequested; });
        state = RunState::Running;
    }
    if (cancelRequested) throw CancelledSignal{};
}

// Before each step every rank says whether it was asked to cancel or pause (only rank 0 is: the app or the CLI that
// owns it). Any cancel stops them all. While rank 0 is paused they sum again every second, so no collective waits
// long enough to time out, and go on together when it resumes.
void TrainingRun::Impl::stepGate(Trainer& trainer) {
    for (;;) {
        bool pausedHere = false;
        {
            std::lock_guard lock(mutex);
            pausedHere = pauseRequested;
        }
        const auto votes = trainer.sumOverRanks({cancelRequested ? 1.0 : 0.0, pausedHere ? 1.0 : 0.0});
        if (votes[0] > 0) throw CancelledSignal{};
        if (votes[1] == 0) {
            state = RunState::Running;
            return;
        }
        state = RunState::Paused;
        std::unique_lock lock(mutex);
        cv.wait_for(lock, std::chrono::seconds(1), [&] { return !pauseRequested || cancelRequested; });
    }
}

std::string TrainingRun::Impl::outOfMemoryAdvice(const std::string& what) const {
    const auto& c = project.training;
    std::string advice = what + ". Lower training.batch_size (now " + std::to_string(c.batchSize) +
                         ", raise gradient_accumulation_steps to keep the effective batch) or training.max_seq_length (now " +
                         std::to_string(c.maxSeqLength) + ")";
    if (!projectMethod(project).needsFourBitBase) advice += ", or switch to method qlora (4-bit base)";
    return advice + "; checkpoints already written are kept";
}

Error TrainingRun::Impl::nonFiniteError(const NonFiniteValue& v) const {
    const auto& cfg = project.training;
    const std::string keep = lastCheckpoint.empty() ? std::string("no checkpoint was written yet")
                                                    : "the last good checkpoint is " + lastCheckpoint.string();
    std::ostringstream detail;
    detail << v.what << " = " << v.value << "; training stopped, " << keep << ". Lower training.learning_rate (now "
           << cfg.learningRate << ")" << (cfg.maxGradNorm > 0 ? "" : ", turn on training.max_grad_norm")
           << (cfg.dtype == "float16" ? ", train in bfloat16 or float32 (float16 overflows easily)" : "")
           << ", then resume from it";
    return Error(ErrorCode::NonFiniteLoss, "step " + std::to_string(v.step), detail.str());
}

void TrainingRun::Impl::run() {
    std::optional<Error> error;
    RunState final = RunState::Finished;
    if (startsWorkers && !setupError) {
        try {
            snapshot = writeProjectSnapshot();
            startWorkers();
        } catch (const Error& e) {
            setupError = e;
        }
    }
    if (options.distributed && !(startsWorkers && !workers)) {
        // Rank 0 joins even when its folder was refused: the others learn why from it.
        try {
            joinGroup();
        } catch (const Error& e) {
            if (!setupError) setupError = e;
        }
    }
    if (setupError) {
        group.reset();
        if (workers) setupError = Error(setupError->code(), setupError->where(), setupError->detail() + workersEnded(true));
        state = RunState::Failed;
        if (callbacks.onFinished) callbacks.onFinished(RunState::Failed, setupError);
        return;
    }
    try {
        writeState(RunState::Running);
        prepareAndTrain();
    } catch (const CancelledSignal&) {
        final = RunState::Cancelled;

    } catch (const NonFiniteValue& v) {
        final = RunState::Failed;
        error = nonFiniteError(v);
    } catch (const Error& e) {
        final = RunState::Failed;
        error = e;
    } catch (const c10::OutOfMemoryError& e) {
        final = RunState::Failed;
        error = Error(ErrorCode::OutOfMemory, "training on " + device.str(), outOfMemoryAdvice(e.what_without_backtrace()));
    } catch (const std::bad_alloc&) {
        final = RunState::Failed;
        error = Error(ErrorCode::OutOfMemory, "training on " + device.str(), outOfMemoryAdvice("host memory exhausted"));
    } catch (const c10::Error& e) {
        final = RunState::Failed;
        error = Error(ErrorCode::Internal, "libtorch", e.what_without_backtrace());
    } catch (const std::exception& e) {
        final = RunState::Failed;
        error = Error(ErrorCode::Internal, "training", e.what());
    }
    try {
        writeState(final);  // before the lock goes, so no reader takes the run for a killed one
    } catch (const std::exception& e) {
        if (!error) {
            final = RunState::Failed;
            error = Error(ErrorCode::FileUnwritable, runStateFile(out).string(), e.what());
        }
    }
    lock.reset();
    if (group) {
        if (!error) group->leave();  // rank 0 keeps the rendezvous up until every rank is done with it
        group.reset();  // on a failure this also ends the others' wait for this rank
    }
    if (workers) {  // the ones this process started: how they ended
        const std::string ended = workersEnded(bool(error) || final != RunState::Finished);
        if (error && !ended.empty()) error = Error(error->code(), error->where(), error->detail() + ended);
        else if (!error && !ended.empty() && final == RunState::Finished) {
            final = RunState::Failed;
            error = Error(ErrorCode::PeerLost, "rank 0", "the run finished here, but" + ended);
        }
    }
    state = final;
    if (callbacks.onFinished) callbacks.onFinished(final, error);
}

// Local processes: `localProcesses` or the project's training.processes, unless a launcher set the environment.
void TrainingRun::Impl::chooseLocalProcesses() {
    const int processes = options.localProcesses > 0 ? options.localProcesses : project.training.processes;
    if (options.distributed || processes <= 1) return;
    if (options.workerProgram.empty())
        throw Error(ErrorCode::Unsupported, "training.processes",
                    std::to_string(processes) + " processes: this program cannot start the other ones; train with "
                    "ftstudio-cli or the app, or set processes to 1");
    if (::access(options.workerProgram.c_str(), X_OK) != 0)
        throw Error(ErrorCode::FileNotFound, options.workerProgram.string(),
                    "the other " + std::to_string(processes - 1) + " processes of training.processes run this "
                    "program, which is missing; install ftstudio-cli beside the app or set processes to 1");
    DistEnv env;
    if (const char* timeout = std::getenv("FT_DIST_TIMEOUT"))  // read (and checked) as a launched rank reads it
        env.timeout = distEnvFromEnvironment({{"RANK", "0"}, {"WORLD_SIZE", "1"}, {"FT_DIST_TIMEOUT", timeout}})->timeout;
    env.worldSize = processes;
    env.masterAddr = "127.0.0.1";
    env.masterPort = freeLocalPort();
    options.distributed = env;
    startsWorkers = true;
}

// Ranks 1..N-1 on this machine, reading the project as trained (its paths made absolute) from the run folder.
void TrainingRun::Impl::startWorkers() {
    workers = std::make_unique<LocalLauncher>(options.workerProgram.string(),
                                              std::vector<std::string>{"train", runProjectFile(out).string()},
                                              *options.distributed, /*firstRank=*/1, out.string());
}

// Waits for the workers and says how those that did not exit cleanly ended, with the last line each wrote: "; rank 1
// (pid 42) exited with code 1: error: ... (its output: RUN/rank-1.log)". When this rank `failed`, they get 30 s to
// stop by themselves (they notice its group gone), then are killed.
std::string TrainingRun::Impl::workersEnded(bool failed) {
    std::string text;
    for (const WorkerExit& e : workers->wait(std::chrono::seconds(30), failed)) {
        if (e.ok()) continue;
        text += "; " + describeExit(e);
        const std::string log = workers->logFile(e.rank);
        if (const std::string last = lastLine(log); !last.empty()) text += ": " + last;
        text += " (its output: " + log + ")";
    }
    workers.reset();
    return text;
}

// Meets the other ranks. Rank 0 decides the run and tells them: the folder it took (or why it could not take one,
// so that all of them stop with its reason), whether it resumes, and the length; so a worker needs no more than
// `train PROJECT.json` and the environment.
void TrainingRun::Impl::joinGroup() {
    const bool cuda = trainingDevice(project.training.device).is_cuda();
    // A worker this process started that ends before all have met would leave it waiting out FT_DIST_TIMEOUT.
    std::function<void()> watchWorkers;
    if (workers)
        watchWorkers = [this] {
            if (const auto ended = workers->poll())
                throw Error(ErrorCode::PeerLost, "rank 0 of " + std::to_string(options.distributed->worldSize),
                            "rank " + std::to_string(ended->rank) + " ended before the processes of the run met");
        };
    group = DistGroup::join(*options.distributed, cuda, watchWorkers);
    nlohmann::json decided;
    if (leader()) {
        if (setupError) decided["error"] = setupError->what();
        else decided = {{"folder", out.string()}, {"resume", options.resume || !options.resumeFrom.empty()},
                        {"max_steps", options.maxSteps}};
    }
    const nlohmann::json run = nlohmann::json::parse(group->shareFromRankZero("run", decided.dump()));
    if (leader()) return;
    if (run.contains("error"))
        throw Error(ErrorCode::PeerLost, "rank 0", "could not start the run: " + run["error"].get<std::string>());
    out = run["folder"].get<std::string>();
    options.resume = run["resume"].get<bool>();
    options.maxSteps = run["max_steps"].get<int>();
}

// Load, attach the method, build the trainer, resume, train step by step, checkpoint, export.
void TrainingRun::Impl::prepareAndTrain() {
    const auto& cfg = project.training;
    torch::manual_seed(cfg.seed);
    snapshot = writeProjectSnapshot();

    folder = std::make_unique<ModelFolder>(openModelFolder(project.resolve(project.model)));
    TrainingData data = prepareTrainingData(project, *folder);
    const bool preference = project.kind == FinetuneKind::Preference;
    RunSummary summary;
    summary.skippedRows = data.skippedRows;
    summary.truncatedExamples = data.truncatedExamples;
    summary.promptCutRows = data.promptCutRows;
    summary.longPromptRows = data.longPromptRows;

    device = trainingDevice(cfg.device);
    if (group && device.is_cuda()) device = torch::Device(torch::kCUDA, c10::DeviceIndex(group->env().localRank));
    const Shard shard{group ? group->rank() : 0, group ? group->size() : 1};
    lm = loadBase();
    summary.totalParameters = parameterCount(lm);
    summary.trainableParameters = attachMethod(lm, project, *folder);
    if (preference) disableLoraDropout(lm);
    lm->gradientCheckpointing = cfg.gradientCheckpointing;
    if (cfg.mixedPrecision == "bf16") storeFrozenProjectionsIn(lm, torch::kBFloat16);  // autocast's casts, done once
    lm->to(device);
    lm->train();

    const int epochSteps = stepsPerEpoch(cfg, data.trainRows(), shard.ranks);
    const int maxSteps = options.maxSteps > 0 ? options.maxSteps : cfg.maxSteps;
    const int totalSteps = maxSteps > 0 ? maxSteps : epochSteps * std::max(1, cfg.epochs);
    Trainer trainer(lm, device, cfg, totalSteps, group.get());
    EpochSampler sampler(data.trainRows(), cfg.seed);
    if (leader()) cleanStaleCheckpointTemps(out);
    const bool resuming = options.resume || !options.resumeFrom.empty();
    // Full fine-tuning has no adapter to switch off: its reference is taken from the model as loaded, before the
    // first step, and kept with the run (a resumed run reads it back, as its weights have moved since).
    if (preference && !projectMethod(project).exportsAdapter && project.preference.loss != "orpo") {
        takeReference(trainer, data, resuming);
        summary.referencePrecomputed = true;
    }
    if (resuming) summary.resumedFromStep = resumeFromCheckpoint(trainer, sampler, totalSteps);
    summary.restartedFromStepZero = restartsFromStepZero;  // its log starts afresh below, as a new run's
    info.stepsDone = trainer.stepsDone();
    info.totalSteps = totalSteps;
    writeState(RunState::Running);

    summary.trainExamples = data.trainExamples;
    summary.trainRows = int(data.trainRows());
    summary.validationExamples = int(preference ? data.preferenceValidation.size() : data.validation.size());
    summary.totalSteps = totalSteps;
    summary.device = device.str();
    summary.processes = shard.ranks;
    summary.globalBatch = cfg.batchSize * cfg.gradientAccumulation * shard.ranks;
    summary.runDir = out;
    if (callbacks.onPrepared) callbacks.onPrepared(summary);
    state = RunState::Running;

    // Rank 0 alone writes the log; the others go through the same steps without one.
    std::optional<MetricsLogWriter> metrics;
    if (leader()) metrics.emplace(runMetricsFile(out), /*append=*/trainer.stepsDone() > 0);
    Progress progress(trainer.stepsDone(), totalSteps, epochSteps);
    // A data-parallel rank may not wait alone (the others would time out waiting for it in the next sum): the ranks
    // pause and cancel together, at step boundaries (stepGate).
    const std::function<void()> beforeForward = [&] {
        if (!group) checkpointPause();
    };
    while (trainer.stepsDone() < totalSteps) {
        if (group) stepGate(trainer);
        progress.stepStarts();
        StepResult result;
        if (preference) {
            const std::vector<PreferenceBatch> microBatches = nextPreferenceBatches(sampler, data, cfg, device, shard);
            result = trainer.step(microBatches, project.preference, beforeForward);
        } else {
            const std::vector<Batch> microBatches = nextMicroBatches(sampler, data, cfg, device, shard);
            result = trainer.step(microBatches, beforeForward);
        }
        const StepMetrics m = progress.stepDone(result, trainer.stepsDone());
        if (metrics) metrics->write(m);
        if (leader() && callbacks.onStep) callbacks.onStep(m);
        if (due(cfg.evalEvery, m.step, totalSteps)) validate(trainer, data, metrics, m.step);
        if (due(cfg.checkpointEvery, m.step, totalSteps)) saveCheckpoint(trainer, sampler, totalSteps);
    }
    validate(trainer, data, metrics, totalSteps);
    lm->eval();
    saveCheckpoint(trainer, sampler, totalSteps);
    if (leader()) exportTo(runAdapterDir(out));
}

// The project as trained, its files made absolute, so a run or a checkpoint can be exported on its own.
std::string TrainingRun::Impl::writeProjectSnapshot() const {
    if (!snapshot.empty()) return snapshot;  // written already, before the workers started
    Project absolute = project;
    absolute.model = fs::absolute(project.resolve(project.model)).string();
    absolute.dataset = fs::absolute(project.resolve(project.dataset)).string();
    absolute.output = fs::absolute(project.resolve(project.output)).string();
    const std::string json = projectToJson(absolute);
    if (leader()) writeFileAtomic(runProjectFile(out), json);
    return json;
}

CausalLM TrainingRun::Impl::loadBase() const {
    // QLoRA quantizes the base layer by layer as it loads; every other method loads it in the training dtype.
    return projectMethod(project).needsFourBitBase ? loadCausalLM4Bit(folder->dir, project.qlora)
                                                   : loadCausalLM(folder->dir, computeDtypeNamed(project.training.dtype, "training.dtype"));
}

// Weights, optimizer, generators and data position from the newest complete checkpoint (or the one named), which
// must be this run's: same seed, same length. The metrics after it are dropped, as the run repeats those steps.
// Returns the step it continues from.
int TrainingRun::Impl::resumeFromCheckpoint(Trainer& trainer, EpochSampler& sampler, int totalSteps) {
    const auto& cfg = project.training;
    auto from = !options.resumeFrom.empty() ? std::optional(options.resumeFrom) : latestCheckpoint(out);
    if (group) {  // rank 0's choice, for every rank (a newer checkpoint may appear on no rank but 0 meanwhile)
        const std::string chosen = group->shareFromRankZero("resume_from", from ? from->string() : std::string());
        from = chosen.empty() ? std::nullopt : std::optional<fs::path>(chosen);
    }
    if (!from)
        throw Error(ErrorCode::FileNotFound, runCheckpointsDir(out).string(), "no complete checkpoint to resume from");
    std::error_code ec;
    if (!fs::exists(*from, ec))
        throw Error(ErrorCode::FileNotFound, from->string(),
                    "rank 0 resumes from this checkpoint, which this machine cannot see: put the run's output folder "
                    "on a file system every machine of the run shares");
    const TrainerPosition saved = trainer.restore(*from);
    if (saved.seed != cfg.seed || saved.totalSteps != totalSteps)
        throw Error(ErrorCode::InvalidValue, from->string(),
                    "made with seed " + std::to_string(saved.seed) + " and " + std::to_string(saved.totalSteps) +
                        " steps; this run has seed " + std::to_string(cfg.seed) + " and " + std::to_string(totalSteps) +
                        " steps. Resume with the same project and --max-steps");
    sampler.seek(saved.epoch, saved.cursor);
    if (leader()) truncateMetricsLog(runMetricsFile(out), saved.step);
    return saved.step;
}

// The validation loss, logged and reported; nothing when the project keeps no validation examples.
void TrainingRun::Impl::validate(Trainer& trainer, const TrainingData& data, std::optional<MetricsLogWriter>& metrics,
                                 int step) {
    if (project.kind == FinetuneKind::Preference) {
        if (data.preferenceValidation.empty()) return;
        const EvalResult r = trainer.evaluate(data.preferenceValidation, project.preference, data.padId,
                                              project.training.batchSize);
        const EvalMetrics em{step, r.loss, 0.0, r.metrics};
        if (metrics) metrics->write(em);
        if (leader() && callbacks.onEval) callbacks.onEval(em);
        return;
    }
    if (data.validation.empty()) return;
    const double loss = trainer.evaluate(data.validation, data.padId, project.training.batchSize);
    const EvalMetrics em{step, loss, std::exp(loss)};
    if (metrics) metrics->write(em);
    if (leader() && callbacks.onEval) callbacks.onEval(em);
}

// The reference log-probs of every training and validation row: computed and written once, before the first step;
// read back on resume (the weights have moved since, so they cannot be taken again).
void TrainingRun::Impl::takeReference(Trainer& trainer, TrainingData& data, bool resuming) {
    const fs::path file = runReferenceFile(out);
    std::error_code ec;
    if (resuming) {
        if (!fs::exists(file, ec))
            throw Error(ErrorCode::FileNotFound, file.string(),
                        "this run's reference log-probs are missing, and its weights have moved since they were "
                        "taken; start a new run");
        const nlohmann::json j = readJsonFile(file);
        for (const auto& [rows, key] : {std::pair{&data.preferenceTrain, "train"}, std::pair{&data.preferenceValidation, "validation"}}) {
            const auto& values = j.at(key);
            if (!values.is_array() || values.size() != rows->size())
                throw Error(ErrorCode::InvalidValue, file.string() + ": " + key,
                            "does not match this run's rows (the data or its settings changed); start a new run");
            for (size_t i = 0; i < rows->size(); ++i) (*rows)[i].reference = values[i].get<std::vector<float>>();
        }
        return;
    }
    const int batch = project.training.batchSize;
    trainer.computeReference(data.preferenceTrain, data.padId, batch);
    trainer.computeReference(data.preferenceValidation, data.padId, batch);
    if (!leader()) return;
    nlohmann::json j;
    for (const auto& [rows, key] : {std::pair{&data.preferenceTrain, "train"}, std::pair{&data.preferenceValidation, "validation"}}) {
        j[key] = nlohmann::json::array();
        for (const auto& r : *rows) j[key].push_back(r.reference);
    }
    writeFileAtomic(file, j.dump() + "\n");
}

void TrainingRun::Impl::saveCheckpoint(Trainer& trainer, const EpochSampler& sampler, int totalSteps) {
    if (!leader()) return;  // the ranks hold the same weights and optimizer state: rank 0's checkpoint is everyone's
    const int step = trainer.stepsDone();
    const TrainerPosition position{step, sampler.epoch(), sampler.cursor(), totalSteps, project.training.seed};
    trainer.save(out, position, [&](const fs::path& dir) { exportTo(dir); }, snapshot);
    lastCheckpoint = checkpointDir(out, step);
    pruneCheckpoints(out, project.training.keepCheckpoints);
    info.stepsDone = step;
    writeState(RunState::Running);
    if (callbacks.onCheckpoint) callbacks.onCheckpoint(step, lastCheckpoint);
}

void TrainingRun::Impl::exportTo(const std::filesystem::path& dir) {
    if (projectMethod(project).exportsAdapter) exportMethod(lm, project, std::filesystem::absolute(folder->dir).string(), dir);
}

} // namespace ft
