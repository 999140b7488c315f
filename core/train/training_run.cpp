#include "core/train/training_run.h"

#include "core/data/dataset.h"
#include "core/data/example_encoder.h"
#include "core/export/peft_adapter.h"
#include "core/io/atomic_file.h"
#include "core/model/decoder.h"
#include "core/model/model_folder.h"
#include "core/peft/lora.h"
#include "core/train/batches.h"
#include "core/train/lr_schedule.h"
#include "core/train/memory.h"

#include <nlohmann/json.hpp>
#include <torch/torch.h>

#include <atomic>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <fstream>
#include <mutex>
#include <random>
#include <thread>

namespace ft {

const char* runStateName(RunState state) {
    switch (state) {
    case RunState::Idle: return "idle";
    case RunState::Preparing: return "preparing";
    case RunState::Running: return "running";
    case RunState::Paused: return "paused";
    case RunState::Finished: return "finished";
    case RunState::Cancelled: return "cancelled";
    case RunState::Failed: return "failed";
    }
    return "?";
}

namespace {
struct CancelledSignal {};
using Clock = std::chrono::steady_clock;
} // namespace

struct TrainingRun::Impl {
    Project project;
    RunOptions options;
    std::filesystem::path out;
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

    void run();
    void prepareAndTrain();
    void checkpointPause();  // blocks while paused; throws CancelledSignal when cancelled
    double evaluate(const std::vector<TokenizedExample>& examples, int padId, int batchSize);
};

TrainingRun::TrainingRun(Project project, RunOptions options) : m(std::make_unique<Impl>()) {
    m->project = std::move(project);
    m->options = std::move(options);
    m->out = m->options.outDir.empty() ? m->project.resolve(m->project.output) : m->options.outDir;
}

TrainingRun::~TrainingRun() {
    cancel();
    wait();
}

void TrainingRun::start(RunCallbacks callbacks) {
    if (m->thread.joinable()) throw Error(ErrorCode::Internal, "TrainingRun", "already started");
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
    writePeftAdapter(m->lm, m->project.lora, std::filesystem::absolute(m->project.resolve(m->project.model)).string(), dir);
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

void TrainingRun::Impl::run() {
    std::optional<Error> error;
    RunState final = RunState::Finished;
    try {
        prepareAndTrain();
    } catch (const CancelledSignal&) {
        final = RunState::Cancelled;
    } catch (const Error& e) {
        final = RunState::Failed;
        error = e;
    } catch (const c10::OutOfMemoryError& e) {
        final = RunState::Failed;
        error = Error(ErrorCode::OutOfMemory, "training", e.what_without_backtrace());
    } catch (const std::bad_alloc&) {
        final = RunState::Failed;
        error = Error(ErrorCode::OutOfMemory, "training", "host memory exhausted");
    } catch (const c10::Error& e) {
        final = RunState::Failed;
        error = Error(ErrorCode::Internal, "libtorch", e.what_without_backtrace());
    } catch (const std::exception& e) {
        final = RunState::Failed;
        error = Error(ErrorCode::Internal, "training", e.what());
    }
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
        lossSum += causalLmLossSum(lm->forward(b.ids, nullptr, b.positions, b.segments), b.labels).item<double>();
        tokens += b.targetTokens;
    }
    lm->train();
    return tokens > 0 ? lossSum / double(tokens) : 0.0;
}

void TrainingRun::Impl::prepareAndTrain() {
    const auto& cfg = project.training;
    torch::manual_seed(cfg.seed);

    folder = std::make_unique<ModelFolder>(openModelFolder(project.resolve(project.model)));
    const DatasetKind kind = project.kind == FinetuneKind::Base ? DatasetKind::RawText : DatasetKind::Instruct;
    DatasetOptions datasetOptions;
    datasetOptions.format = datasetFormatFromName(project.datasetFormat);
    datasetOptions.columns = project.datasetColumns;
    const Dataset data = loadDataset(project.resolve(project.dataset), kind, datasetOptions);
    ExampleEncoder encoder(*folder);

    RunSummary summary;
    summary.skippedRows = int(data.errors.size());
    std::vector<TokenizedExample> encoded;
    if (kind == DatasetKind::RawText) {
        encoded = encoder.encodeRawText(data.examples, cfg.blockSize);
    } else {
        for (const auto& ex : data.examples) {
            encoded.push_back(encoder.encodeChat(ex, cfg.maxSeqLength, cfg.trainOnPrompt));
            summary.truncatedExamples += encoded.back().truncated ? 1 : 0;
        }
    }
    // Seeded split: the same project always validates on the same examples.
    std::mt19937_64 rng(cfg.seed);
    std::shuffle(encoded.begin(), encoded.end(), rng);
    int nVal = int(std::floor(double(encoded.size()) * cfg.validationFraction));
    if (cfg.validationFraction > 0 && nVal == 0 && encoded.size() >= 2) nVal = 1;
    std::vector<TokenizedExample> val(encoded.end() - nVal, encoded.end());
    encoded.resize(encoded.size() - size_t(nVal));
    if (cfg.packing && kind == DatasetKind::Instruct) encoded = packExamples(encoded, cfg.maxSeqLength);
    if (encoded.empty()) throw Error(ErrorCode::InvalidValue, project.dataset, "no training examples left after the split");

    const bool cuda = torch::cuda::is_available();
    if (cfg.device == "cuda" && !cuda) throw Error(ErrorCode::InvalidValue, "training.device", "no CUDA device is available");
    device = (cfg.device != "cpu" && cuda) ? torch::Device(torch::kCUDA) : torch::Device(torch::kCPU);

    lm = loadCausalLM(folder->dir);
    summary.totalParameters = 0;
    for (const auto& p : lm->parameters()) summary.totalParameters += p.numel();
    summary.trainableParameters = applyLora(lm, project.lora);
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
    const int stepsPerEpoch = std::max(1, int((encoded.size() + size_t(perStep) - 1) / size_t(perStep)));
    int totalSteps = stepsPerEpoch * std::max(1, cfg.epochs);
    const int maxSteps = options.maxSteps > 0 ? options.maxSteps : cfg.maxSteps;
    if (maxSteps > 0) totalSteps = maxSteps;
    const int padId = encoder.tokenizer().padId() >= 0 ? encoder.tokenizer().padId()
                      : encoder.tokenizer().eosId() >= 0 ? encoder.tokenizer().eosId() : 0;

    summary.trainExamples = int(encoded.size());
    summary.validationExamples = nVal;
    summary.totalSteps = totalSteps;
    summary.device = device.str();
    std::filesystem::create_directories(out);
    if (callbacks.onPrepared) callbacks.onPrepared(summary);
    state = RunState::Running;

    std::ofstream metricsLog(out / "metrics.jsonl", std::ios::trunc);
    auto runEval = [&](int step) {
        if (val.empty()) return;
        const double loss = evaluate(val, padId, cfg.batchSize);
        EvalMetrics em{step, loss, std::exp(loss)};
        metricsLog << nlohmann::json{{"step", step}, {"eval_loss", loss}, {"eval_perplexity", em.perplexity}}.dump() << "\n" << std::flush;
        if (callbacks.onEval) callbacks.onEval(em);
    };

    std::vector<size_t> order(encoded.size());
    size_t cursor = order.size();  // forces a shuffle at the start
    int epoch = -1;
    const auto t0 = Clock::now();
    double tokensPerSecond = 0.0;
    for (int step = 0; step < totalSteps; ++step) {
        const auto stepStart = Clock::now();
        // Gather this step's examples, reshuffling (seed + epoch) at each epoch boundary.
        std::vector<std::vector<const TokenizedExample*>> micro(size_t(cfg.gradientAccumulation));
        for (auto& mb : micro) {
            for (int k = 0; k < cfg.batchSize; ++k) {
                if (cursor >= order.size()) {
                    ++epoch;
                    std::iota(order.begin(), order.end(), size_t(0));
                    std::mt19937_64 epochRng(cfg.seed + uint64_t(epoch) + 1);
                    std::shuffle(order.begin(), order.end(), epochRng);
                    cursor = 0;
                }
                mb.push_back(&encoded[order[cursor++]]);
            }
        }
        std::vector<Batch> batches;
        int64_t targetTokens = 0, inputTokens = 0;
        for (const auto& mb : micro) {
            batches.push_back(makeBatch(mb, padId, device));
            targetTokens += batches.back().targetTokens;
            inputTokens += batches.back().realTokens;
        }
        // Loss averaged over all unmasked tokens of the step, not per micro-batch (so accumulation changes nothing).
        double lossSum = 0.0;
        for (auto& b : batches) {
            checkpointPause();
            torch::Tensor loss = causalLmLossSum(lm->forward(b.ids, nullptr, b.positions, b.segments), b.labels) / double(std::max<int64_t>(1, targetTokens));
            loss.backward();
            lossSum += loss.item<double>();
        }
        if (!std::isfinite(lossSum))
            throw Error(ErrorCode::NonFiniteLoss, "step " + std::to_string(step + 1), "loss = " + std::to_string(lossSum));
        const double gradNorm =
            cfg.maxGradNorm > 0 ? torch::nn::utils::clip_grad_norm_(trainable, cfg.maxGradNorm)
                                : torch::nn::utils::clip_grad_norm_(trainable, std::numeric_limits<double>::infinity());
        const double lr = cfg.learningRate * lrMultiplier(cfg.scheduler, step, totalSteps, cfg.warmupSteps);
        for (auto& g : optimizer.param_groups()) static_cast<torch::optim::AdamWOptions&>(g.options()).lr(lr);
        optimizer.step();
        optimizer.zero_grad();

        const double stepSeconds = std::chrono::duration<double>(Clock::now() - stepStart).count();
        const double tps = double(inputTokens) / std::max(1e-9, stepSeconds);
        tokensPerSecond = step == 0 ? tps : 0.8 * tokensPerSecond + 0.2 * tps;
        const double elapsed = std::chrono::duration<double>(Clock::now() - t0).count();
        StepMetrics sm;
        sm.step = step + 1;
        sm.totalSteps = totalSteps;
        sm.epoch = double(step + 1) / double(stepsPerEpoch);
        sm.loss = lossSum;
        sm.learningRate = lr;
        sm.gradNorm = gradNorm;
        sm.tokensPerSecond = tokensPerSecond;
        sm.etaSeconds = elapsed / double(step + 1) * double(totalSteps - step - 1);
        sm.memoryBytes = residentSetBytes();
        metricsLog << nlohmann::json{{"step", sm.step}, {"epoch", sm.epoch}, {"loss", sm.loss}, {"lr", sm.learningRate},
                                     {"grad_norm", sm.gradNorm}, {"tokens_per_second", sm.tokensPerSecond}}.dump()
                   << "\n" << std::flush;
        if (callbacks.onStep) callbacks.onStep(sm);
        if (cfg.evalEvery > 0 && (step + 1) % cfg.evalEvery == 0 && step + 1 < totalSteps) runEval(step + 1);
    }
    runEval(totalSteps);
    lm->eval();
    writePeftAdapter(lm, project.lora, std::filesystem::absolute(folder->dir).string(), out / "adapter");
}

} // namespace ft
