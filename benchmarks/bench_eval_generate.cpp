// Evaluation's generation benchmark (prints figures; not a test): the prompts of a chat dataset answered greedily
// one at a time (ft::generate, the chat's loop) and in left-padded batches (ft::generateBatch: one KV cache, each row
// leaving the batch at its end of sequence), on the same model and threads. Prints rows/s, generated tokens/s, the
// speed-up and how many answers are the same token for token.
//
// Batches of B: at most B rows decoded together, a finished row's place taken by the next prompt (as evaluation runs).
//
//   ft_bench_eval_generate --model PATH [--data FILE.jsonl] [--rows N] [--new N] [--batch B]... [--threads K]
//                          (defaults: benchmarks/data/short_answers.jsonl, 64 rows, 64 new tokens, batches 8 and 16,
//                          2 threads; PATH a folder or a .gguf)

#include "core/data/dataset.h"
#include "core/model/decoder.h"
#include "core/model/generator.h"
#include "core/model/gguf_import.h"
#include "core/model/model_folder.h"
#include "core/text/tokenizer.h"
#include "core/train/example_encoder.h"

#include <torch/torch.h>

#include <torch/csrc/autograd/profiler_legacy.h>

#include <algorithm>
#include <cstdlib>
#include <optional>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

int main(int argc, char** argv) try {
    std::string model, data = std::string(FT_SOURCE_DIR) + "/benchmarks/data/short_answers.jsonl";
    int rows = 64, newTokens = 64, threads = 2;
    std::vector<int> batches;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        const auto value = [&]() -> std::string {
            if (i + 1 >= argc) throw std::runtime_error(arg + " needs a value");
            return argv[++i];
        };
        if (arg == "--model") model = value();
        else if (arg == "--data") data = value();
        else if (arg == "--rows") rows = std::stoi(value());
        else if (arg == "--new") newTokens = std::stoi(value());
        else if (arg == "--batch") batches.push_back(std::stoi(value()));
        else if (arg == "--threads") threads = std::stoi(value());
        else throw std::runtime_error("unknown argument " + arg);
    }
    if (model.empty()) throw std::runtime_error("--model PATH is required (a Hugging Face folder or a .gguf)");
    if (batches.empty()) batches = {8, 16};
    at::set_num_threads(threads);
    const fs::path dir = ft::modelFolderFor(model);
    const ft::ModelFolder folder = ft::openModelFolder(dir);
    const ft::ExampleEncoder encoder(folder);
    const auto& tok = encoder.tokenizer();
    const ft::Dataset set = ft::loadDataset(data, ft::DatasetKind::Instruct);
    std::vector<std::vector<int>> prompts;
    for (const auto& ex : set.examples) {
        if (int(prompts.size()) == rows) break;
        const std::vector<ft::ChatMessage> asked(ex.messages.begin(), ex.messages.end() - 1);
        prompts.push_back(tok.encode(encoder.render(asked, /*addGenerationPrompt=*/true)).ids);
    }
    ft::GenerationOptions g = folder.generation;
    g.doSample = false;
    g.maxNewTokens = newTokens;
    g.repetitionPenalty = 1.0;
    if (tok.eosId() >= 0 && std::find(g.eosTokenIds.begin(), g.eosTokenIds.end(), tok.eosId()) == g.eosTokenIds.end())
        g.eosTokenIds.push_back(tok.eosId());
    const int padId = tok.padId() >= 0 ? tok.padId() : std::max(0, tok.eosId());
    auto lm = ft::loadCausalLM(dir, torch::kFloat32);
    lm->eval();
    ft::generate(lm, prompts.front(), ft::GenerationOptions{.maxNewTokens = 2});  // warm up

    const auto tokensOf = [](const std::vector<std::vector<int>>& answers) {
        size_t n = 0;
        for (const auto& a : answers) n += a.size();
        return n;
    };
    auto start = Clock::now();
    std::vector<std::vector<int>> alone;
    for (const auto& p : prompts) alone.push_back(ft::generate(lm, p, g));
    const double aloneSeconds = std::chrono::duration<double>(Clock::now() - start).count();
    size_t promptTokens = 0;
    for (const auto& p : prompts) promptTokens += p.size();
    std::printf("greedy answers to %zu prompts of %s (%.1f tokens on average), at most %d new tokens, %s, %d CPU threads\n",
                prompts.size(), fs::path(data).filename().c_str(), double(promptTokens) / double(prompts.size()), newTokens,
                dir.filename().c_str(), threads);
    std::printf("%-26s %10s %10s %14s %9s %16s\n", "", "seconds", "rows/s", "new tokens/s", "speed-up", "same answers");
    std::printf("%-26s %10.2f %10.2f %14.1f %9s %16s\n", "one prompt at a time", aloneSeconds, double(prompts.size()) / aloneSeconds,
                double(tokensOf(alone)) / aloneSeconds, "1.00x", "-");
    for (int b : batches) {
        // Sorted by prompt length as evaluation batches them (less padding).
        std::vector<size_t> order(prompts.size());
        for (size_t i = 0; i < order.size(); ++i) order[i] = i;
        std::stable_sort(order.begin(), order.end(), [&](size_t x, size_t y) { return prompts[x].size() > prompts[y].size(); });
        std::vector<std::vector<int>> batched(prompts.size());
        start = Clock::now();
        // FT_BENCH_PROFILE=FILE: a Chrome trace of the batched run (benchmarks/trace_self_time.py sums it up).
        std::optional<torch::autograd::profiler::RecordProfile> profile;
        if (const char* trace = std::getenv("FT_BENCH_PROFILE")) profile.emplace(trace);
        std::vector<std::vector<int>> sorted;
        for (size_t i : order) sorted.push_back(prompts[i]);
        const auto out = ft::generateBatch(lm, sorted, g, padId, {}, b);
        for (size_t k = 0; k < order.size(); ++k) batched[order[k]] = out[k];
        profile.reset();
        const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
        size_t same = 0;
        for (size_t i = 0; i < prompts.size(); ++i) same += batched[i] == alone[i] ? 1 : 0;
        char label[64], speed[32], agree[32];
        std::snprintf(label, sizeof label, "up to %d rows at once", b);
        std::snprintf(speed, sizeof speed, "%.2fx", aloneSeconds / seconds);
        std::snprintf(agree, sizeof agree, "%zu/%zu", same, prompts.size());
        std::printf("%-26s %10.2f %10.2f %14.1f %9s %16s\n", label, seconds, double(prompts.size()) / seconds,
                    double(tokensOf(batched)) / seconds, speed, agree);
    }
    return 0;
} catch (const std::exception& e) {
    std::fprintf(stderr, "ft_bench_eval_generate: %s\n", e.what());
    return 2;
}
