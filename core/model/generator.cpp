#include "core/model/generator.h"

#include "core/common/error.h"

#include <ATen/CPUGeneratorImpl.h>
#include <torch/torch.h>

#include <algorithm>

namespace ft {

int64_t pickToken(torch::Tensor logits, const std::vector<int>& history, const GenerationOptions& o, torch::Generator& gen) {
    if (o.repetitionPenalty != 1.0 && !history.empty()) {
        // transformers' RepetitionPenaltyLogitsProcessor: divide positive scores, multiply negative ones.
        auto ids = torch::tensor(std::vector<int64_t>(history.begin(), history.end()), torch::kInt64).to(logits.device());
        auto s = logits.gather(0, ids);
        s = torch::where(s < 0, s * o.repetitionPenalty, s / o.repetitionPenalty);
        logits = logits.scatter(0, ids, s);
    }
    if (!o.doSample) return logits.argmax().item<int64_t>();
    logits = logits / std::max(o.temperature, 1e-6);
    if (o.topK > 0 && o.topK < logits.size(0)) {
        const auto kth = std::get<0>(logits.topk(o.topK)).min();
        logits = logits.masked_fill(logits < kth, -std::numeric_limits<float>::infinity());
    }
    if (o.topP < 1.0) {
        // Keep the smallest set of most likely tokens whose probability reaches top_p (always at least one).
        auto [sorted, order] = logits.sort(/*dim=*/0, /*descending=*/false);
        auto cumulative = sorted.softmax(0).cumsum(0);
        auto drop = cumulative <= (1.0 - o.topP);
        drop[-1] = false;
        logits = logits.masked_fill(drop.scatter(0, order, drop), -std::numeric_limits<float>::infinity());
    }
    auto probs = logits.softmax(0).to(torch::kCPU);
    return torch::multinomial(probs, 1, false, gen).item<int64_t>();
}

std::vector<int> generate(CausalLM& lm, const std::vector<int>& prompt, const GenerationOptions& o, const TokenCallback& onToken) {
    if (prompt.empty()) throw Error(ErrorCode::InvalidValue, "prompt", "is empty");
    torch::NoGradGuard noGrad;
    lm->eval();
    auto gen = at::make_generator<at::CPUGeneratorImpl>(o.seed);
    const auto device = lm->model->embed_tokens->weight.device();
    KvCache cache;
    std::vector<int> history = prompt, out;
    auto ids = torch::tensor(std::vector<int64_t>(prompt.begin(), prompt.end()), torch::kInt64).unsqueeze(0).to(device);
    for (int i = 0; i < o.maxNewTokens; ++i) {
        auto logits = lm->lastLogits(ids, &cache).select(0, 0);  // (V)
        const int next = int(pickToken(logits, history, o, gen));
        out.push_back(next);
        history.push_back(next);
        const bool keepGoing = !onToken || onToken(next);
        if (!keepGoing || std::find(o.eosTokenIds.begin(), o.eosTokenIds.end(), next) != o.eosTokenIds.end()) break;
        ids = torch::tensor({int64_t(next)}, torch::kInt64).unsqueeze(0).to(device);
    }
    return out;
}

} // namespace ft
