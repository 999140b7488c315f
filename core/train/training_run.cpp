#include "core/train/training_run.h"

#include "core/io/atomic_file.h"
#include "core/model/autocast_scope.h"
#include "core/model/causal_lm_loss.h"
#include "core/model/decoder.h"
#include "core/model/model_folder.h"
#include "core/train/project_method.h"
#include "core/train/batches.h"
#include "core/train/checkpoint.h"
#include "core/train/training_data.h"
#include "core/train/lr_schedule.h"
#include "core/train/memory.h"
#include "core/train/metrics_log.h"

#include <nlohmann/json.hpp>
#include <torch/torch.h>

#include <atomic>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <fstream>
#include <mutex>
#include <numeric>
#include <random>
#include <sstream>
#include <thread>

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

    void takeFolder();
    void writeState(RunState s);
    void run();
    void prepareAndTrain();
    void checkpointPause();  // blocks while paused; throws CancelledSignal when cancelled
    std::string outOfMemoryAdvice(const std::string& what) const;
    double evaluate(const std::vector<TokenizedExample>& examples, int padId, int batchSize);
    std::optional<at::ScalarType> mixedPrecision() const {
        return project.training.mixedPrecision == "bf16" ? std::optional<at::ScalarType>(at::kBFloat16) : std::nullopt;
    }
};

namespace fs = std::filesystem;

namespace {

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
        if (!resuming) refuseExistingRun(out);
        else if (options.resumeFrom.empty() && !latestCheckpoint(out))
            throw Error(ErrorCode::FileNotFound, runCheckpointsDir(out).string(), "no complete checkpoint to resume from");
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
    info.state = s;
    writeRunState(out, info);
}

TrainingRun::TrainingRun(Project project, RunOptions options) : m(std::make_unique<Impl>()) {
    m->project = std::move(project);
    m->options = std::move(options);
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

std::string TrainingRun::Impl::outOfMemoryAdvice(const std::string& what) const {
    const auto& c = project.training;
    std::string advice = what + ". Lower training.batch_size (now " + std::to_string(c.batchSize) +
                         ", raise gradient_accumulation_steps to keep the effective batch) or training.max_seq_length (now " +
                         std::to_string(c.maxSeqLength) + ")";
    if (project.method != "qlora") advice += ", or switch to method qlora (4-bit base)";
    return advice + "; checkpoints already written are kept";
}

void TrainingRun::Impl::run() {
    std::optional<Error> error;
    RunState final = RunState::Finished;
    if (setupError) {
        state = RunState::Failed;
        if (callbacks.onFinished) callbacks.onFinished(RunState::Failed, setupError);
        return;
    }
    try {
        writeState(RunState::Running);
        prepareAndTrain();
    } catch (const CancelledSignal&) {
        final = RunState::Cancelled;
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
    state = final;
    if (callbacks.onFinished) callbacks.onFinished(final, error);
}

double TrainingRun::Impl::evaluate(const std::vector<TokenizedExample>& examples, int padId, int batchSize) {
    torch::NoGradGuard noGrad;
    lm->eval();
    double lossSum = 0.0;
    int64_t tokens = 0;
    for (size_t i = 0; i < examples.size(); i += size_t(batchSize)) {
        std::vector<const TokenizedExample*> items;
        for (size_t k = i; k < std::min(examples.size(), i + size_t(batchSize)); ++k) items.push_back(&examples[k]);
        const Batch b = makeBatch(items, padId, device);
        const AutocastScope autocast(device.type(), mixedPrecision());
        lossSum += causalLmLossSum(lm->forward(b.ids, nullptr, b.positions, b.segments), b.labels).item<double>();
        tokens += b.targetTokens;
    }
    lm->train();
    return tokens > 0 ? lossSum / double(tokens) : 0.0;
}

void TrainingRun::Impl::prepareAndTrain() {
    const auto& cfg = project.training;
    torch::manual_seed(cfg.seed);

    // The project as trained, its files made absolute, so a run or a checkpoint can be exported on its own.
    Project absolute = project;
    absolute.model = fs::absolute(project.resolve(project.model)).string();
    absolute.dataset = fs::absolute(project.resolve(project.dataset)).string();
    absolute.output = fs::absolute(project.resolve(project.output)).string();
    const std::string snapshot = projectToJson(absolute);
    writeFileAtomic(runProjectFile(out), snapshot);

    folder = std::make_unique<ModelFolder>(openModelFolder(project.resolve(project.model)));
    TrainingData data = prepareTrainingData(project, *folder);
    const std::vector<TokenizedExample>& train = data.train;
    RunSummary summary;
    summary.skippedRows = data.skippedRows;
    summary.truncatedExamples = data.truncatedExamples;

    const bool cuda = torch::cuda::is_available();
    if (cfg.device == "cuda" && !cuda) throw Error(ErrorCode::InvalidValue, "training.device", "no CUDA device is available");
    device = (cfg.device != "cpu" && cuda) ? torch::Device(torch::kCUDA) : torch::Device(torch::kCPU);

    // QLoRA quantizes the base layer by layer as it loads; every other method loads it in the training dtype.
    lm = project.method == "qlora" ? loadCausalLM4Bit(folder->dir, project.qlora)
                                   : loadCausalLM(folder->dir, computeDtypeNamed(cfg.dtype, "training.dtype"));
    summary.totalParameters = parameterCount(lm);
    summary.trainableParameters = attachMethod(lm, project, *folder);
    lm->gradientCheckpointing = cfg.gradientCheckpointing;
    lm->to(device);
    lm->train();

    std::vector<torch::Tensor> decay, noDecay;
    for (auto& p : lm->parameters())
        if (p.requires_grad()) (p.dim() >= 2 ? decay : noDecay).push_back(p);
    std::vector<torch::optim::OptimizerParamGroup> groups;
    groups.emplace_back(decay, std::make_unique<torch::optim::AdamWOptions>(
                                   torch::optim::AdamWOptions(cfg.learningRate).weight_decay(cfg.weightDecay)));
    if (!noDecay.empty())
        groups.emplace_back(noDecay, std::make_unique<torch::optim::AdamWOptions>(
                                         torch::optim::AdamWOptions(cfg.learningRate).weight_decay(0.0)));
    torch::optim::AdamW optimizer(groups, torch::optim::AdamWOptions(cfg.learningRate));
    std::vector<torch::Tensor> trainable = decay;
    trainable.insert(trainable.end(), noDecay.begin(), noDecay.end());

    const int perStep = cfg.batchSize * cfg.gradientAccumulation;
    const int stepsPerEpoch = std::max(1, int((train.size() + size_t(perStep) - 1) / size_t(perStep)));
    int totalSteps = stepsPerEpoch * std::max(1, cfg.epochs);
    const int maxSteps = options.maxSteps > 0 ? options.maxSteps : cfg.maxSteps;
    if (maxSteps > 0) totalSteps = maxSteps;

    // The data position: which epoch's order, and how far into it. Each epoch's order is a seeded shuffle, so the
    // position alone (epoch, cursor) says what comes next, also after a resume.
    std::vector<size_t> order(train.size());
    TrainerPosition pos{0, -1, int64_t(order.size()), totalSteps, cfg.seed};
    const auto shuffleEpoch = [&] {
        std::iota(order.begin(), order.end(), size_t(0));
        std::mt19937_64 epochRng(cfg.seed + uint64_t(pos.epoch) + 1);
        std::shuffle(order.begin(), order.end(), epochRng);
    };
    cleanStaleCheckpointTemps(out);
    if (options.resume || !options.resumeFrom.empty()) {
        const auto from = !options.resumeFrom.empty() ? std::optional(options.resumeFrom) : latestCheckpoint(out);
        if (!from)
            throw Error(ErrorCode::FileNotFound, runCheckpointsDir(out).string(), "no complete checkpoint to resume from");
        const TrainerPosition saved = readCheckpoint(*from, lm, optimizer);
        if (saved.seed != cfg.seed || saved.totalSteps != totalSteps)
            throw Error(ErrorCode::InvalidValue, from->string(),
                        "made with seed " + std::to_string(saved.seed) + " and " + std::to_string(saved.totalSteps) +
                            " steps; this run has seed " + std::to_string(cfg.seed) + " and " + std::to_string(totalSteps) +
                            " steps. Resume with the same project and --max-steps");
        pos = saved;
        if (pos.epoch >= 0) shuffleEpoch();
        summary.resumedFromStep = pos.step;
        truncateMetricsLog(runMetricsFile(out), pos.step);
    }
    info.stepsDone = pos.step;
    info.totalSteps = totalSteps;
    writeState(RunState::Running);

    summary.trainExamples = int(train.size());
    summary.validationExamples = int(data.validation.size());
    summary.totalSteps = totalSteps;
    summary.device = device.str();
    summary.runDir = out;
    if (callbacks.onPrepared) callbacks.onPrepared(summary);
    state = RunState::Running;

    const auto exportTo = [&](const std::filesystem::path& dir) {
        if (project.method != "full") exportMethod(lm, project, std::filesystem::absolute(folder->dir).string(), dir);
    };
    std::filesystem::path lastCheckpoint;
    const auto saveCheckpoint = [&] {
        writeCheckpoint(out, lm, optimizer, pos, exportTo, snapshot);
        lastCheckpoint = checkpointDir(out, pos.step);
        pruneCheckpoints(out, cfg.keepCheckpoints);
        info.stepsDone = pos.step;
        writeState(RunState::Running);
        if (callbacks.onCheckpoint) callbacks.onCheckpoint(pos.step, lastCheckpoint);
    };
    const auto nonFinite = [&](const char* what, double value) {
        const std::string keep = lastCheckpoint.empty() ? std::string("no checkpoint was written yet")
                                                        : "the last good checkpoint is " + lastCheckpoint.string();
        std::ostringstream detail;
        detail << what << " = " << value << "; training stopped, " << keep << ". Lower training.learning_rate (now "
               << cfg.learningRate << ")" << (cfg.maxGradNorm > 0 ? "" : ", turn on training.max_grad_norm")
               << (cfg.dtype == "float16" ? ", train in bfloat16 or float32 (float16 overflows easily)" : "")
               << ", then resume from it";
        return Error(ErrorCode::NonFiniteLoss, "step " + std::to_string(pos.step + 1), detail.str());
    };

    std::ofstream metricsLog(runMetricsFile(out), pos.step > 0 ? std::ios::app : std::ios::trunc);
    auto runEval = [&](int step) {
        if (data.validation.empty()) return;
        const double loss = evaluate(data.validation, data.padId, cfg.batchSize);
        EvalMetrics em{step, loss, std::exp(loss)};
        metricsLog << nlohmann::json{{"step", step}, {"eval_loss", loss}, {"eval_perplexity", em.perplexity}}.dump() << "\n" << std::flush;
        if (callbacks.onEval) callbacks.onEval(em);
    };

    const auto t0 = Clock::now();
    const int firstStep = pos.step;
    double tokensPerSecond = 0.0;
    while (pos.step < totalSteps) {
        const int step = pos.step;
        const auto stepStart = Clock::now();
        // Gather this step's examples, reshuffling (seed + epoch) at each epoch boundary.
        std::vector<std::vector<const TokenizedExample*>> micro(size_t(cfg.gradientAccumulation));
        for (auto& mb : micro) {
            for (int k = 0; k < cfg.batchSize; ++k) {
                if (pos.cursor >= int64_t(order.size())) {
                    ++pos.epoch;
                    shuffleEpoch();
                    pos.cursor = 0;
                }
                mb.push_back(&train[order[size_t(pos.cursor++)]]);
            }
        }
        std::vector<Batch> batches;
        int64_t targetTokens = 0, inputTokens = 0;
        for (const auto& mb : micro) {
            batches.push_back(makeBatch(mb, data.padId, device));
            targetTokens += batches.back().targetTokens;
            inputTokens += batches.back().realTokens;
        }
        // Loss averaged over all unmasked tokens of the step, not per micro-batch (so accumulation changes nothing).
        double lossSum = 0.0;
        for (auto& b : batches) {
            checkpointPause();
            torch::Tensor loss;
            {
                const AutocastScope autocast(device.type(), mixedPrecision());  // forward only, as torch.autocast
                loss = causalLmLossSum(lm->forward(b.ids, nullptr, b.positions, b.segments), b.labels) /
                       double(std::max<int64_t>(1, targetTokens));
            }
            loss.backward();
            lossSum += loss.item<double>();
        }
        if (!std::isfinite(lossSum)) throw nonFinite("loss", lossSum);
        const double gradNorm =
            cfg.maxGradNorm > 0 ? torch::nn::utils::clip_grad_norm_(trainable, cfg.maxGradNorm)
                                : torch::nn::utils::clip_grad_norm_(trainable, std::numeric_limits<double>::infinity());
        if (!std::isfinite(gradNorm)) throw nonFinite("gradient norm", gradNorm);
        const double lr = cfg.learningRate * lrMultiplier(cfg.scheduler, step, totalSteps, cfg.warmupSteps);
        for (auto& g : optimizer.param_groups()) static_cast<torch::optim::AdamWOptions&>(g.options()).lr(lr);
        optimizer.step();
        optimizer.zero_grad();
        ++pos.step;

        const double stepSeconds = std::chrono::duration<double>(Clock::now() - stepStart).count();
        const double tps = double(inputTokens) / std::max(1e-9, stepSeconds);
        tokensPerSecond = step == firstStep ? tps : 0.8 * tokensPerSecond + 0.2 * tps;
        const double elapsed = std::chrono::duration<double>(Clock::now() - t0).count();
        StepMetrics sm;
        sm.step = pos.step;
        sm.totalSteps = totalSteps;
        sm.epoch = double(pos.step) / double(stepsPerEpoch);
        sm.loss = lossSum;
        sm.learningRate = lr;
        sm.gradNorm = gradNorm;
        sm.tokensPerSecond = tokensPerSecond;
        sm.etaSeconds = elapsed / double(pos.step - firstStep) * double(totalSteps - pos.step);
        sm.memoryBytes = residentSetBytes();
        metricsLog << nlohmann::json{{"step", sm.step}, {"epoch", sm.epoch}, {"loss", sm.loss}, {"lr", sm.learningRate},
                                     {"grad_norm", sm.gradNorm}, {"tokens_per_second", sm.tokensPerSecond}}.dump()
                   << "\n" << std::flush;
        if (callbacks.onStep) callbacks.onStep(sm);
        if (cfg.evalEvery > 0 && pos.step % cfg.evalEvery == 0 && pos.step < totalSteps) runEval(pos.step);
        if (cfg.checkpointEvery > 0 && pos.step % cfg.checkpointEvery == 0 && pos.step < totalSteps) saveCheckpoint();
    }
    runEval(totalSteps);
    lm->eval();
    saveCheckpoint();
    exportTo(runAdapterDir(out));
}

} // namespace ft
