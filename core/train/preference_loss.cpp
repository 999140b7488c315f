#include "core/train/preference_loss.h"

#include "core/common/error.h"

#include <torch/torch.h>

#include <cmath>

namespace F = torch::nn::functional;

namespace ft {

const std::vector<std::string>& preferenceMetricNames() {
    static const std::vector<std::string> names{"rewards/chosen", "rewards/rejected", "rewards/accuracies",
                                                "rewards/margins", "logps/chosen", "logps/rejected", "nll_loss",
                                                "log_odds_ratio", "log_odds_chosen", "kl"};
    return names;
}

namespace {

double meanOf(const torch::Tensor& t) { return t.numel() > 0 ? t.mean().item<double>() : 0.0; }

// The reward metrics TRL logs for paired losses, from per-pair rewards and log-probs (no gradient).
void addRewardMetrics(PreferenceLoss& out, const torch::Tensor& chosenRewards, const torch::Tensor& rejectedRewards,
                      const torch::Tensor& chosenLogps, const torch::Tensor& rejectedLogps) {
    out.metrics["rewards/chosen"] = meanOf(chosenRewards);
    out.metrics["rewards/rejected"] = meanOf(rejectedRewards);
    out.metrics["rewards/accuracies"] = meanOf((chosenRewards > rejectedRewards).to(torch::kFloat32));
    out.metrics["rewards/margins"] = meanOf(chosenRewards - rejectedRewards);
    out.metrics["logps/chosen"] = meanOf(chosenLogps);
    out.metrics["logps/rejected"] = meanOf(rejectedLogps);
}

// log(1 - exp(x)) for x < 0, stable at both ends (TRL's log1mexp).
torch::Tensor log1mexp(const torch::Tensor& x) {
    return torch::where(x > -std::log(2.0), torch::log(-torch::expm1(x)), torch::log1p(-torch::exp(x)));
}

} // namespace

PreferenceLoss pairedPreferenceLoss(const PreferenceConfig& c, const torch::Tensor& chosen, const torch::Tensor& rejected,
                                    const torch::Tensor& refChosen, const torch::Tensor& refRejected,
                                    const torch::Tensor& chosenTokens, const torch::Tensor& rejectedTokens) {
    const torch::Tensor chosenRatio = chosen - refChosen, rejectedRatio = rejected - refRejected;
    const torch::Tensor delta = chosenRatio - rejectedRatio;
    torch::Tensor perPair;
    if (c.loss == "dpo") {
        perPair = -F::logsigmoid(c.beta * delta);
    } else if (c.loss == "hinge") {
        perPair = torch::relu(1 - c.beta * delta);
    } else if (c.loss == "ipo") {  // log-ratios averaged per completion token (TRL, confirmed with IPO's authors)
        const torch::Tensor avg = chosenRatio / chosenTokens.to(chosenRatio.scalar_type()).clamp_min(1.0) -
                                  rejectedRatio / rejectedTokens.to(rejectedRatio.scalar_type()).clamp_min(1.0);
        perPair = (avg - 1 / (2 * c.beta)).square();
    } else if (c.loss == "robust") {  // Chowdhury et al. 2024: unbiased under labels flipped with probability ε
        const double e = c.labelSmoothing;
        perPair = (-(1 - e) * F::logsigmoid(c.beta * delta) + e * F::logsigmoid(-c.beta * delta)) / (1 - 2 * e);
    } else {
        throw Error(ErrorCode::InvalidValue, "preference.loss", "'" + c.loss + "' is not a paired loss");
    }
    PreferenceLoss out;
    out.loss = perPair.mean();
    torch::NoGradGuard noGrad;
    addRewardMetrics(out, c.beta * chosenRatio.detach(), c.beta * rejectedRatio.detach(), chosen.detach(), rejected.detach());
    return out;
}

PreferenceLoss orpoLoss(const PreferenceConfig& c, const torch::Tensor& chosenNll, const torch::Tensor& chosenMean,
                        const torch::Tensor& rejectedMean) {
    const torch::Tensor cm = chosenMean.to(torch::kFloat32), rm = rejectedMean.to(torch::kFloat32);
    const torch::Tensor logOdds = (cm - rm) - (log1mexp(cm) - log1mexp(rm));
    const torch::Tensor ratio = F::logsigmoid(logOdds);
    PreferenceLoss out;
    out.loss = chosenNll - (c.beta * ratio).mean();
    torch::NoGradGuard noGrad;
    addRewardMetrics(out, c.beta * cm.detach(), c.beta * rm.detach(), cm.detach(), rm.detach());  // rewards: λ · mean log p
    out.metrics["nll_loss"] = chosenNll.item<double>();
    out.metrics["log_odds_ratio"] = meanOf(ratio.detach());
    out.metrics["log_odds_chosen"] = meanOf(logOdds.detach());
    return out;
}

PreferenceLoss ktoLoss(const PreferenceConfig& c, const torch::Tensor& logps, const torch::Tensor& refLogps,
                       const torch::Tensor& desirable, const torch::Tensor& klLogps, const torch::Tensor& refKlLogps,
                       const MeanOverRanks& meanOverRanks) {
    torch::Tensor kl = (klLogps - refKlLogps).mean().detach();
    if (meanOverRanks) kl = torch::full({}, meanOverRanks(kl.item<double>()), kl.options());
    kl = kl.clamp_min(0);
    const torch::Tensor chosenIdx = desirable.nonzero().view(-1), rejectedIdx = (~desirable).nonzero().view(-1);
    const torch::Tensor chosenRatio = (logps - refLogps).index_select(0, chosenIdx);
    const torch::Tensor rejectedRatio = (logps - refLogps).index_select(0, rejectedIdx);
    const torch::Tensor chosenLosses = 1 - torch::sigmoid(c.beta * (chosenRatio - kl));
    const torch::Tensor rejectedLosses = 1 - torch::sigmoid(c.beta * (kl - rejectedRatio));
    PreferenceLoss out;
    out.loss = torch::cat({c.desirableWeight * chosenLosses, c.undesirableWeight * rejectedLosses}).nanmean();
    torch::NoGradGuard noGrad;
    out.metrics["kl"] = kl.item<double>();
    const int64_t nc = chosenIdx.numel(), nr = rejectedIdx.numel();
    if (nc > 0) {
        out.metrics["rewards/chosen"] = (c.beta * chosenRatio).sum().item<double>() / double(nc);
        out.metrics["logps/chosen"] = logps.detach().index_select(0, chosenIdx).sum().item<double>() / double(nc);
    }
    if (nr > 0) {
        out.metrics["rewards/rejected"] = (c.beta * rejectedRatio).sum().item<double>() / double(nr);
        out.metrics["logps/rejected"] = logps.detach().index_select(0, rejectedIdx).sum().item<double>() / double(nr);
    }
    if (nc > 0 && nr > 0) out.metrics["rewards/margins"] = out.metrics["rewards/chosen"] - out.metrics["rewards/rejected"];
    return out;
}

} // namespace ft
