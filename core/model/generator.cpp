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

namespace {

// Rows (B, ...) of `t` left-padded along `dim` to `length` with zeros (false for masks).
torch::Tensor padLeft(const torch::Tensor& t, int64_t dim, int64_t length) {
    const int64_t by = length - t.size(dim);
    if (by <= 0) return t;
    auto sizes = t.sizes().vec();
    sizes[size_t(dim)] = by;
    return torch::cat({torch::zeros(sizes, t.options()), t}, dim);
}

int64_t rowsOf(const KvCache& c) { return c.valid.defined() ? c.valid.size(0) : 0; }

// Puts `row`'s one sequence (its cache from a prefill alone) under the batch's rows, both left-padded to the longer.
void appendRow(KvCache& batch, KvCache row) {
    if (!row.valid.defined()) row.valid = torch::ones({1, row.length}, torch::TensorOptions().dtype(torch::kBool).device(row.keys.front().device()));
    if (rowsOf(batch) == 0) {
        batch = std::move(row);
        return;
    }
    const int64_t L = std::max(batch.length, row.length);
    for (size_t l = 0; l < batch.keys.size(); ++l) {
        batch.keys[l] = torch::cat({padLeft(batch.keys[l], 2, L), padLeft(row.keys[l], 2, L)}, 0);
        batch.values[l] = torch::cat({padLeft(batch.values[l], 2, L), padLeft(row.values[l], 2, L)}, 0);
    }
    batch.valid = torch::cat({padLeft(batch.valid, 1, L), padLeft(row.valid, 1, L)}, 0);
    batch.length = L;
    batch.keyStore.clear();
    batch.valueStore.clear();
}

// Keeps the batch rows `keep` (in that order), and drops the leading columns no remaining row uses.
void keepRows(KvCache& c, const std::vector<int64_t>& keep) {
    const auto device = c.valid.device();
    const auto index = torch::tensor(keep, torch::kInt64).to(device);
    c.valid = c.valid.index_select(0, index);
    const int64_t first = keep.empty() ? 0 : c.valid.to(torch::kInt32).argmax(1).min().item<int64_t>();
    c.valid = c.valid.slice(1, first);
    for (auto* list : {&c.keys, &c.values})
        for (auto& t : *list) t = t.index_select(0, index).slice(2, first);
    c.length -= first;
    c.keyStore.clear();
    c.valueStore.clear();
}

} // namespace

std::vector<std::vector<int>> generateBatch(CausalLM& lm, const std::vector<std::vector<int>>& prompts,
                                            const GenerationOptions& o, int padId, const BatchTokenCallback& onToken,
                                            int maxRows) {
    std::vector<std::vector<int>> out(prompts.size());
    if (prompts.empty() || o.maxNewTokens <= 0) return out;
    for (const auto& p : prompts)
        if (p.empty()) throw Error(ErrorCode::InvalidValue, "prompt", "is empty");
    torch::NoGradGuard noGrad;
    lm->eval();
    const auto device = lm->model->embed_tokens->weight.device();
    const size_t width = maxRows > 0 ? std::min(prompts.size(), size_t(maxRows)) : prompts.size();
    std::vector<torch::Generator> gens(prompts.size());
    std::vector<std::vector<int>> history(prompts.size());

    // The first `width` prompts prefilled together, left-padded.
    KvCache cache;
    std::vector<size_t> rows;  // batch row → prompt index
    torch::Tensor logits;      // (rows, V): each row's next-token scores
    {
        size_t longest = 0;
        for (size_t i = 0; i < width; ++i) longest = std::max(longest, prompts[i].size());
        const int64_t B = int64_t(width), S = int64_t(longest);
        std::vector<int64_t> ids(size_t(B * S), padId);
        std::vector<uint8_t> valid(size_t(B * S), 0);
        for (int64_t b = 0; b < B; ++b) {
            const auto& p = prompts[size_t(b)];
            const int64_t pad = S - int64_t(p.size());
            std::copy(p.begin(), p.end(), ids.begin() + b * S + pad);
            std::fill(valid.begin() + b * S + pad, valid.begin() + (b + 1) * S, 1);
            rows.push_back(size_t(b));
        }
        cache.valid = torch::from_blob(valid.data(), {B, S}, torch::kUInt8).to(device, torch::kBool);
        logits = lm->lastLogits(torch::from_blob(ids.data(), {B, S}, torch::kInt64).to(device), &cache);
    }
    const auto begin = [&](size_t i) {
        gens[i] = at::make_generator<at::CPUGeneratorImpl>(o.seed);
        history[i] = prompts[i];
    };
    for (size_t i = 0; i < width; ++i) begin(i);
    // Picks row i's next token from its scores; false when the row is done.
    const auto advance = [&](size_t i, const torch::Tensor& scores) {
        const int token = int(pickToken(scores, history[i], o, gens[i]));
        out[i].push_back(token);
        history[i].push_back(token);
        const bool go = (!onToken || onToken(i, token)) &&
                        std::find(o.eosTokenIds.begin(), o.eosTokenIds.end(), token) == o.eosTokenIds.end();
        return go && int(out[i].size()) < o.maxNewTokens;
    };

    size_t pending = width;
    while (true) {
        std::vector<int64_t> keep;
        std::vector<size_t> still;
        for (size_t r = 0; r < rows.size(); ++r)
            if (advance(rows[r], logits[int64_t(r)])) {
                keep.push_back(int64_t(r));
                still.push_back(rows[r]);
            }
        if (still.size() < rows.size()) keepRows(cache, keep);  // finished rows leave the batch
        rows = std::move(still);
        // Their places go to the prompts still waiting, each prefilled alone (as generate() would) and then decoded
        // with the others.
        while (rows.size() < width && pending < prompts.size()) {
            const size_t i = pending++;
            begin(i);
            KvCache single;
            const auto& p = prompts[i];
            const torch::Tensor first = lm->lastLogits(torch::tensor(std::vector<int64_t>(p.begin(), p.end()), torch::kInt64).unsqueeze(0).to(device), &single);
            if (!advance(i, first[0])) continue;
            appendRow(cache, std::move(single));
            rows.push_back(i);
        }
        if (rows.empty()) break;
        std::vector<int64_t> next;
        for (size_t i : rows) next.push_back(out[i].back());
        logits = lm->lastLogits(torch::tensor(next, torch::kInt64).unsqueeze(1).to(device), &cache);
    }
    return out;
}

} // namespace ft
