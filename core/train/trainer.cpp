#include "core/train/trainer.h"

#include "core/common/error.h"
#include "core/device/cuda_support.h"
#include "core/dist/dist_group.h"
#include "core/model/autocast_scope.h"
#include "core/train/lr_schedule.h"

#include <torch/torch.h>

#include <algorithm>
#include <cmath>
#include <limits>

namespace ft {

torch::Device trainingDevice(const std::string& wanted) {
    const bool cuda = cudaAvailable();
    if (wanted == "cuda" && !cuda) {
        const std::string why = cudaSupportProblem();
        throw Error(ErrorCode::InvalidValue, "training.device",
                    "no CUDA device is available" + (why.empty() ? std::string() : " (" + why + ")") +
                        "; choose cpu or auto");
    }
    return (wanted != "cpu" && cuda) ? torch::Device(torch::kCUDA) : torch::Device(torch::kCPU);
}

namespace {

// AdamW's parameter groups: weight decay on the matrices, none on biases and norms (as transformers' Trainer).
std::vector<torch::optim::OptimizerParamGroup> adamWGroups(CausalLM& lm, const TrainingConfig& cfg) {
    std::vector<torch::Tensor> decay, noDecay;
    for (auto& p : lm->parameters())
        if (p.requires_grad()) (p.dim() >= 2 ? decay : noDecay).push_back(p);
    std::vector<torch::optim::OptimizerParamGroup> groups;
    groups.emplace_back(decay, std::make_unique<torch::optim::AdamWOptions>(
                                   torch::optim::AdamWOptions(cfg.learningRate).weight_decay(cfg.weightDecay)));
    if (!noDecay.empty())
        groups.emplace_back(noDecay, std::make_unique<torch::optim::AdamWOptions>(
                                         torch::optim::AdamWOptions(cfg.learningRate).weight_decay(0.0)));
    return groups;
}

} // namespace

Trainer::Trainer(CausalLM lm, torch::Device device, const TrainingConfig& config, int totalSteps, DistGroup* group)
    : m_lm(std::move(lm)), m_device(device), m_config(config), m_totalSteps(totalSteps),
      m_optimizer(adamWGroups(m_lm, config), torch::optim::AdamWOptions(config.learningRate)), m_group(group) {
    for (auto& g : m_optimizer.param_groups())
        m_trainable.insert(m_trainable.end(), g.params().begin(), g.params().end());
    if (m_group) m_sync = std::make_unique<GradientSync>(*m_group, m_trainable);
}

Trainer::~Trainer() = default;

std::vector<double> Trainer::sumOverRanks(std::vector<double> values) {
    if (!m_group) return values;
    // float64 on the training device (NCCL reduces device memory only): token counts stay exact.
    torch::Tensor t = torch::tensor(values, torch::dtype(torch::kFloat64)).to(m_device);
    m_group->allReduceSum(t, "step " + std::to_string(m_step + 1) + "'s sums over the ranks");
    t = t.cpu();
    return std::vector<double>(t.data_ptr<double>(), t.data_ptr<double>() + t.numel());
}

void Trainer::sumMetricsOverRanks(std::map<std::string, double>& metrics) {
    // By position in one list of names, with whether any rank had each (ranks' batches may report different ones).
    const auto& names = preferenceMetricNames();
    std::vector<double> values;
    for (const auto& name : names) {
        const auto it = metrics.find(name);
        values.push_back(it == metrics.end() ? 0.0 : it->second);
        values.push_back(it == metrics.end() ? 0.0 : 1.0);
    }
    values = sumOverRanks(std::move(values));
    metrics.clear();
    for (size_t i = 0; i < names.size(); ++i)
        if (values[2 * i + 1] > 0) metrics[names[i]] = values[2 * i];
}

void Trainer::backward(const torch::Tensor& loss, bool lastOfStep) {
    if (!m_sync || !lastOfStep) {
        loss.backward();  // gradients add up over the micro-batches
        return;
    }
    m_sync->expectBackward(loss);
    try {
        loss.backward();  // the buckets' all-reduces run as their gradients become ready
    } catch (const c10::OutOfMemoryError&) {
        throw;
    } catch (const std::exception& e) {
        throw m_group->peerLost("step " + std::to_string(m_step + 1) + "'s gradient all-reduce", e.what());
    }
}

StepResult Trainer::step(std::span<const Batch> microBatches, const std::function<void()>& beforeForward) {
    StepResult result;
    int64_t targetTokens = 0;
    for (const Batch& b : microBatches) {
        targetTokens += b.targetTokens;
        result.inputTokens += b.realTokens;
    }
    if (m_group) {  // the global batch's counts
        const auto totals = sumOverRanks({double(targetTokens), double(result.inputTokens)});
        targetTokens = int64_t(totals[0]);
        result.inputTokens = int64_t(totals[1]);
    }
    for (size_t i = 0; i < microBatches.size(); ++i) {
        beforeForward();
        const torch::Tensor loss = microBatchLoss(microBatches[i], targetTokens);
        backward(loss, i + 1 == microBatches.size());
        result.loss += loss.item<double>();
    }
    if (m_group) {
        result.loss = sumOverRanks({result.loss})[0];
        result.sync = m_sync->lastStats();
    }
    optimizerStep(result);
    return result;
}

StepResult Trainer::step(std::span<const PreferenceBatch> microBatches, const PreferenceConfig& config,
                         const std::function<void()>& beforeForward) {
    StepResult result;
    const int ranks = m_group ? m_group->size() : 1;
    // The step's loss is the mean of every rank's micro-batch means.
    const double share = 1.0 / double(std::max<size_t>(1, microBatches.size()) * size_t(ranks));
    for (size_t i = 0; i < microBatches.size(); ++i) {
        const PreferenceBatch& b = microBatches[i];
        result.inputTokens += b.realTokens;
        beforeForward();
        PreferenceLoss out;
        {
            const AutocastScope autocast(m_device.type(), mixedPrecision());
            // KTO's KL estimate is averaged over the ranks' micro-batches, as TRL gathers it.
            MeanOverRanks meanOverRanks;
            if (m_group) meanOverRanks = [&](double kl) { return sumOverRanks({kl})[0] / double(ranks); };
            out = preferenceBatchLoss(m_lm, config, b, meanOverRanks);
        }
        backward(out.loss * share, i + 1 == microBatches.size());
        result.loss += out.loss.item<double>() * share;
        for (const auto& [name, value] : out.metrics) result.metrics[name] += value * share;
    }
    if (m_group) {
        const auto totals = sumOverRanks({result.loss, double(result.inputTokens)});
        result.loss = totals[0];
        result.inputTokens = int64_t(totals[1]);
        sumMetricsOverRanks(result.metrics);
        result.sync = m_sync->lastStats();
    }
    optimizerStep(result);
    return result;
}

void Trainer::optimizerStep(StepResult& result) {
    if (!std::isfinite(result.loss)) throw NonFiniteValue{"loss", result.loss, m_step + 1};

    const double maxNorm = m_config.maxGradNorm > 0 ? m_config.maxGradNorm : std::numeric_limits<double>::infinity();
    result.gradNorm = torch::nn::utils::clip_grad_norm_(m_trainable, maxNorm);  // the norm before clipping
    if (!std::isfinite(result.gradNorm)) throw NonFiniteValue{"gradient norm", result.gradNorm, m_step + 1};

    result.learningRate =
        m_config.learningRate * lrMultiplier(m_config.scheduler, m_step, m_totalSteps, m_config.warmupSteps);
    for (auto& group : m_optimizer.param_groups())
        static_cast<torch::optim::AdamWOptions&>(group.options()).lr(result.learningRate);
    m_optimizer.step();
    m_optimizer.zero_grad();
    ++m_step;
}

// Each micro-batch's loss sum is divided by the whole step's target tokens, not its own: the step's loss is then the
// mean over all of them, and accumulating micro-batches changes nothing.
torch::Tensor Trainer::microBatchLoss(const Batch& b, int64_t stepTargetTokens) {
    const AutocastScope autocast(m_device.type(), mixedPrecision());  // forward only, as torch.autocast
    return m_lm->lossSum(b.ids, b.labels, b.positions, b.segments) / double(std::max<int64_t>(1, stepTargetTokens));
}

double Trainer::evaluate(const ExampleRows& examples, int padId, int batchSize) {
    torch::NoGradGuard noGrad;
    m_lm->eval();
    double lossSum = 0.0;
    int64_t tokens = 0;
    // Data-parallel runs: rank r takes batches r, r + ranks, ...; the sums are added up over the ranks.
    const size_t rank = m_group ? size_t(m_group->rank()) : 0, ranks = m_group ? size_t(m_group->size()) : 1;
    for (size_t i = rank * size_t(batchSize); i < examples.size(); i += size_t(batchSize) * ranks) {
        std::vector<TokenizedExample> rows;
        for (size_t k = i; k < std::min(examples.size(), i + size_t(batchSize)); ++k) rows.push_back(examples[k]);
        std::vector<const TokenizedExample*> items;
        for (const auto& row : rows) items.push_back(&row);
        const Batch b = makeBatch(items, padId, m_device);
        const AutocastScope autocast(m_device.type(), mixedPrecision());
        lossSum += m_lm->lossSum(b.ids, b.labels, b.positions, b.segments).item<double>();
        tokens += b.targetTokens;
    }
    m_lm->train();
    const auto sums = sumOverRanks({lossSum, double(tokens)});
    return sums[1] > 0 ? sums[0] / sums[1] : 0.0;
}

EvalResult Trainer::evaluate(const std::vector<TokenizedPreference>& rows, const PreferenceConfig& config, int padId,
                             int batchSize) {
    torch::NoGradGuard noGrad;
    m_lm->eval();
    EvalResult out;
    int batches = 0;
    const size_t rank = m_group ? size_t(m_group->rank()) : 0, ranks = m_group ? size_t(m_group->size()) : 1;
    for (size_t i = rank * size_t(batchSize); i < rows.size(); i += size_t(batchSize) * ranks, ++batches) {
        std::vector<const TokenizedPreference*> items;
        for (size_t k = i; k < std::min(rows.size(), i + size_t(batchSize)); ++k) items.push_back(&rows[k]);
        const PreferenceBatch b = makePreferenceBatch(items, padId, m_device);
        const AutocastScope autocast(m_device.type(), mixedPrecision());
        const PreferenceLoss l = preferenceBatchLoss(m_lm, config, b);
        out.loss += l.loss.item<double>();
        for (const auto& [name, value] : l.metrics) out.metrics[name] += value;
    }
    m_lm->train();
    if (m_group) {  // the batches' sums over the ranks
        const auto totals = sumOverRanks({out.loss, double(batches)});
        out.loss = totals[0];
        batches = int(totals[1]);
        sumMetricsOverRanks(out.metrics);
    }
    if (batches > 0) {
        out.loss /= batches;
        for (auto& [name, value] : out.metrics) value /= batches;
    }
    return out;
}

void Trainer::computeReference(std::vector<TokenizedPreference>& rows, int padId, int batchSize) {
    const AutocastScope autocast(m_device.type(), mixedPrecision());
    computeReferenceLogps(m_lm, rows, padId, batchSize, m_device);
}

TrainerPosition Trainer::restore(const std::filesystem::path& checkpoint) {
    const TrainerPosition position = readCheckpoint(checkpoint, m_lm, m_optimizer);
    m_step = position.step;
    return position;
}

void Trainer::save(const std::filesystem::path& runDir, const TrainerPosition& position,
                   const std::function<void(const std::filesystem::path&)>& exportAdapter,
                   const std::string& projectJson) {
    writeCheckpoint(runDir, m_lm, m_optimizer, position, exportAdapter, projectJson);
}

std::optional<at::ScalarType> Trainer::mixedPrecision() const {
    return m_config.mixedPrecision == "bf16" ? std::optional<at::ScalarType>(at::kBFloat16) : std::nullopt;
}

} // namespace ft
