#include "core/inference/language_model.h"

#include "core/common/error.h"
#include "core/model/causal_lm_loss.h"
#include "core/model/decoder.h"
#include "core/model/generator.h"
#include "core/peft/methods.h"

#include <torch/torch.h>

#include <cmath>
#include <limits>

namespace ft {

struct LanguageModel::Impl {
    CausalLM lm{nullptr};
};

LanguageModel::LanguageModel() : m(std::make_unique<Impl>()) {}
LanguageModel::~LanguageModel() = default;

std::unique_ptr<LanguageModel> LanguageModel::load(const std::filesystem::path& dir, const std::string& dtype) {
    torch::Dtype d;
    if (dtype == "float32")
        d = torch::kFloat32;
    else if (dtype == "bfloat16")
        d = torch::kBFloat16;
    else if (dtype == "float16")
        d = torch::kFloat16;
    else
        throw Error(ErrorCode::InvalidValue, "dtype", "'" + dtype + "'; use float32, bfloat16 or float16");
    std::unique_ptr<LanguageModel> model(new LanguageModel());
    model->m->lm = loadCausalLM(dir, d);
    model->m->lm->eval();
    return model;
}

void LanguageModel::applyAdapter(const std::filesystem::path& adapterDir) {
    loadMethodAdapter(m->lm, adapterDir);  // LoRA, prompt learning or bottleneck adapters
    m->lm->eval();
}

std::vector<int> LanguageModel::generate(const std::vector<int>& prompt, const GenerationOptions& options, const TokenCallback& onToken) {
    return ft::generate(m->lm, prompt, options, onToken);
}

std::vector<float> LanguageModel::tokenLosses(const std::vector<int>& ids, const std::vector<int>& labels) const {
    if (ids.size() != labels.size())
        throw Error(ErrorCode::InvalidValue, "labels", std::to_string(labels.size()) + " labels for " + std::to_string(ids.size()) + " tokens");
    const int64_t T = int64_t(ids.size());
    std::vector<float> out(ids.size(), std::numeric_limits<float>::quiet_NaN());
    if (T < 2) return out;
    torch::NoGradGuard noGrad;
    const torch::Device device = m->lm->parameters().front().device();
    const auto asTensor = [T, device](const std::vector<int>& v) {
        return torch::from_blob(const_cast<int*>(v.data()), {1, T}, torch::kInt32).to(device, torch::kInt64);
    };
    const torch::Tensor idsT = asTensor(ids), labelsT = asTensor(labels);  // (1, T)
    const torch::Tensor logits = m->lm->forward(idsT).to(torch::kFloat32);  // (1, T, V)
    // As causalLmLossSum: logits[:, :-1] predict labels[:, 1:], but kept per position.
    const torch::Tensor shiftedLabels = labelsT.slice(1, 1).reshape({-1});  // (T-1)
    const torch::Tensor losses = torch::nn::functional::cross_entropy(
        logits.slice(1, 0, -1).reshape({-1, logits.size(-1)}), shiftedLabels,
        torch::nn::functional::CrossEntropyFuncOptions().ignore_index(kIgnoreIndex).reduction(torch::kNone));  // (T-1)
    const torch::Tensor cpu = losses.to(torch::kCPU).contiguous();
    const float* l = cpu.data_ptr<float>();
    for (int64_t t = 1; t < T; ++t)
        if (labels[size_t(t)] != kIgnoreIndex) out[size_t(t)] = l[t - 1];
    return out;
}

const ModelConfig& LanguageModel::config() const { return m->lm->config; }

} // namespace ft
