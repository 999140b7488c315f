#include "core/train/trainer.h"

#include "core/common/error.h"
#include "core/model/autocast_scope.h"
#include "core/train/lr_schedule.h"

#include <torch/torch.h>

#include <algorithm>
#include <cmath>
#include <limits>

namespace ft {

torch::Device trainingDevice(const std::string& wanted) {
    const bool cuda = torch::cuda::is_available();
    if (wanted == "cuda" && !cuda) throw Error(ErrorCode::InvalidValue, "training.device", "no CUDA device is available");
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

Trainer::Trainer(CausalLM lm, torch::Device device, const TrainingConfig& config, int totalSteps)
    : m_lm(std::move(lm)), m_device(device), m_config(config), m_totalSteps(totalSteps),
      m_optimizer(adamWGroups(m_lm, config), torch::optim::AdamWOptions(config.learningRate)) {
    for (auto& group : m_optimizer.param_groups())
        m_trainable.insert(m_trainable.end(), group.params().begin(), group.params().end());
}

StepResult Trainer::step(std::span<const Batch> microBatches, const std::function<void()>& beforeForward) {
    StepResult result;
    int64_t targetTokens = 0;
    for (const Batch& b : microBatches) {
        targetTokens += b.targetTokens;
        result.inputTokens += b.realTokens;
    }
    for (const Batch& b : microBatches) {
        beforeForward();
        const torch::Tensor loss = microBatchLoss(b, targetTokens);
        loss.backward();  // gradients add up over the micro-batches
        result.loss += loss.item<double>();
    }
    optimizerStep(result);
    return result;
}

StepResult Trainer::step(std::span<const PreferenceBatch> microBatches, const PreferenceConfig& config,
                         const std::function<void()>& beforeForward) {
    StepResult result;
    const double share = 1.0 / double(std::max<size_t>(1, microBatches.size()));
    for (const PreferenceBatch& b : microBatches) {
        result.inputTokens += b.realTokens;
        beforeForward();
        PreferenceLoss out;
        {
            const AutocastScope autocast(m_device.type(), mixedPrecision());
            out = preferenceBatchLoss(m_lm, config, b);
        }
        (out.loss * share).backward();
        result.loss += out.loss.item<double>() * share;
        for (const auto& [name, value] : out.metrics) result.metrics[name] += value * share;
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

double Trainer::evaluate(const std::vector<TokenizedExample>& examples, int padId, int batchSize) {
    torch::NoGradGuard noGrad;
    m_lm->eval();
    double lossSum = 0.0;
    int64_t tokens = 0;
    for (size_t i = 0; i < examples.size(); i += size_t(batchSize)) {
        std::vector<const TokenizedExample*> items;
        for (size_t k = i; k < std::min(examples.size(), i + size_t(batchSize)); ++k) items.push_back(&examples[k]);
        const Batch b = makeBatch(items, padId, m_device);
        const AutocastScope autocast(m_device.type(), mixedPrecision());
        lossSum += m_lm->lossSum(b.ids, b.labels, b.positions, b.segments).item<double>();
        tokens += b.targetTokens;
    }
    m_lm->train();
    return tokens > 0 ? lossSum / double(tokens) : 0.0;
}

EvalResult Trainer::evaluate(const std::vector<TokenizedPreference>& rows, const PreferenceConfig& config, int padId,
                             int batchSize) {
    torch::NoGradGuard noGrad;
    m_lm->eval();
    EvalResult out;
    int batches = 0;
    for (size_t i = 0; i < rows.size(); i += size_t(batchSize), ++batches) {
        std::vector<const TokenizedPreference*> items;
        for (size_t k = i; k < std::min(rows.size(), i + size_t(batchSize)); ++k) items.push_back(&rows[k]);
        const PreferenceBatch b = makePreferenceBatch(items, padId, m_device);
        const AutocastScope autocast(m_device.type(), mixedPrecision());
        const PreferenceLoss l = preferenceBatchLoss(m_lm, config, b);
        out.loss += l.loss.item<double>();
        for (const auto& [name, value] : l.metrics) out.metrics[name] += value;
    }
    m_lm->train();
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
