// Text-pipeline benchmark (prints figures; not a test): rows/s and tokens/s to turn chat rows into masked SFT samples
// (chat template render, tokenize, assistant-only labels), side by side with Python `datasets.map` using the
// transformers tokenizer and chat template on the same rows. Each side runs in a fresh process, so its peak RSS is its
// own. Ours three ways: the sequential path (one thread, the dataset loaded whole), the streamed preparation on every
// core writing the token cache, and the next run reopening that cache (what a later training run or the token
// inspector pays).
//
//   ft_bench_sft [WORKDIR] [ROWS]                          ROWS (100,000) generated Alpaca rows, a ChatML template
//                                                          and a byte-level BPE tokenizer
//   ft_bench_sft --data FILE.jsonl --gguf FILE.gguf [--ref-rows N] [--no-sequential] [WORKDIR]
//                                                          a chat JSONL (benchmarks/make_million_rows.py) with the
//                                                          GGUF file's tokenizer and template (SmolLM2's); the
//                                                          reference runs on the first N rows (default all)
// Reference side: $FT_REF_PYTHON, else ~/.cache/finetune-studio/refvenv (transformers and datasets installed).

#include "benchmarks/bench_process.h"
#include "core/data/dataset.h"
#include "core/io/atomic_file.h"
#include "core/io/gguf_file.h"
#include "core/model/model_folder.h"
#include "core/project/project.h"
#include "core/text/gguf_vocab.h"
#include "core/train/token_cache.h"
#include "core/train/training_data.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <thread>

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;
using Json = nlohmann::json;

namespace {

double since(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

// ChatML, as Qwen2's template renders a conversation without tools or a default system prompt.
constexpr const char* kTemplate =
    "{% for message in messages %}{{ '<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n' }}"
    "{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";

void makeAlpacaInputs(const fs::path& dir, int rows) {
    fs::create_directories(dir / "model");
    fs::copy_file(fs::path(FT_SOURCE_DIR) / "tests/data/decoders/qwen2/config.json", dir / "model/config.json",
                  fs::copy_options::overwrite_existing);
    fs::copy_file(fs::path(FT_SOURCE_DIR) / "tests/data/bpe/qwen2-style/tokenizer.json", dir / "model/tokenizer.json",
                  fs::copy_options::overwrite_existing);
    nlohmann::ordered_json tc{{"eos_token", "<|im_end|>"}, {"pad_token", "<|endoftext|>"}, {"add_bos_token", false},
                              {"chat_template", kTemplate}};
    ft::writeFileAtomic(dir / "model/tokenizer_config.json", tc.dump(2));
    const char* words[] = {"model", "학습", "data", "tokenizer", "파인튜닝", "loss", "gradient", "모델", "adapter", "memory",
                           "template", "데이터", "batch", "rank", "추론", "quantize"};
    std::string jsonl;
    uint64_t x = 88172645463325252ull;
    auto next = [&] { x ^= x << 13; x ^= x >> 7; x ^= x << 17; return x; };
    auto sentence = [&](int n) {
        std::string s;
        for (int i = 0; i < n; ++i) s += std::string(i ? " " : "") + words[next() % 16];
        return s + ".";
    };
    for (int r = 0; r < rows; ++r) {
        nlohmann::ordered_json row{{"instruction", "Explain " + sentence(4 + int(next() % 8))},
                                   {"input", r % 3 == 0 ? sentence(6) : ""},
                                   {"output", sentence(10 + int(next() % 40))}};
        jsonl += row.dump() + "\n";
    }
    ft::writeFileAtomic(dir / "alpaca.jsonl", jsonl);
}

// The GGUF file's tokenizer and template as a folder both sides open (weights are not needed to tokenize).
void makeGgufTokenizerFolder(const fs::path& gguf, const fs::path& dir) {
    fs::create_directories(dir);
    const ft::GgufTokenizerFiles files = ft::tokenizerFromGguf(ft::GgufFile::open(gguf));
    if (files.tokenizerJson.empty()) throw std::runtime_error("only byte-level (gpt2) GGUF vocabularies are benchmarked");
    ft::writeFileAtomic(dir / "tokenizer.json", files.tokenizerJson);
    ft::writeFileAtomic(dir / "tokenizer_config.json", files.tokenizerConfig.dump());
    fs::copy_file(fs::path(FT_SOURCE_DIR) / "tests/data/decoders/llama3/config.json", dir / "config.json",
                  fs::copy_options::overwrite_existing);
}

// The first `rows` lines of `from`, for the reference side.
void headLines(const fs::path& from, const fs::path& to, long rows) {
    std::ifstream in(from, std::ios::binary);
    std::ofstream out(to, std::ios::binary);
    std::string line;
    for (long i = 0; i < rows && std::getline(in, line); ++i) out << line << '\n';
}

ft::Project benchProject(const fs::path& work, const fs::path& data, const fs::path& model) {
    ft::Project p;
    p.file = work / "project.json";
    p.kind = ft::FinetuneKind::Instruct;
    p.dataset = fs::absolute(data).string();
    p.model = fs::absolute(model).string();
    // Long enough that no row is cut, as the reference cuts none (4,096 cut one row of the million-row file: 5,032).
    p.training.maxSeqLength = 32768;
    p.training.packing = true;       // a training run's default: the reopen time includes packing
    return p;
}

Json countTokens(const ft::TrainingData& d) {
    const auto& table = d.train.table() ? d.train.table() : d.validation.table();
    long long trained = 0;
    for (const auto& run : table->columns().runs) trained += run.end - run.begin;
    return {{"rows", table->size()}, {"tokens", table->tokens()}, {"trained_tokens", trained}, {"skipped", d.skippedRows}};
}

// The child: one way of ours, measured in this fresh process. Prints one JSON line.
Json runOurs(const std::string& how, const fs::path& work, const fs::path& data, const fs::path& model) {
    const ft::Project p = benchProject(work, data, model);
    const auto t0 = Clock::now();
    const ft::ModelFolder folder = ft::openModelFolder(model);
    Json j;
    if (how == "sequential") {
        ft::PrepareOptions o;
        o.tokenCache = false;
        o.threads = 1;
        const ft::TrainingData d = ft::prepareTrainingData(p, folder, o);
        j = countTokens(d);
    } else if (how == "streamed") {
        ft::clearTokenCache();
        const ft::TrainingData d = ft::prepareTrainingData(p, folder);
        if (d.tokenCacheReused) throw std::runtime_error("the cache was not cleared");
        j = countTokens(d);
        j["cache_bytes"] = fs::file_size(d.tokenCache);
    } else {  // reopen: what the next run pays, split and packing included
        const ft::TrainingData d = ft::prepareTrainingData(p, folder);
        if (!d.tokenCacheReused) throw std::runtime_error("the token cache was not reused");
        j = countTokens(d);
        j["train_rows"] = d.train.size();
    }
    j["seconds"] = since(t0);
    j["peak_rss"] = bench::peakRssBytes();
    j["threads"] = how == "sequential" ? 1 : int(std::thread::hardware_concurrency());
    return j;
}

} // namespace

int main(int argc, char** argv) try {
    const std::string self = fs::absolute(argv[0]).string();
    if (argc == 6 && std::string(argv[1]) == "child") {
        std::printf("%s\n", runOurs(argv[2], argv[3], argv[4], argv[5]).dump().c_str());
        return 0;
    }
    std::vector<std::string> args(argv + 1, argv + argc);
    const auto take = [&](const std::string& name) -> std::optional<std::string> {
        for (size_t i = 0; i + 1 < args.size(); ++i)
            if (args[i] == name) {
                std::string v = args[i + 1];
                args.erase(args.begin() + ptrdiff_t(i), args.begin() + ptrdiff_t(i) + 2);
                return v;
            }
        return std::nullopt;
    };
    const auto flag = [&](const std::string& name) {
        const auto it = std::find(args.begin(), args.end(), name);
        if (it == args.end()) return false;
        args.erase(it);
        return true;
    };
    const auto dataArg = take("--data"), ggufArg = take("--gguf"), refRowsArg = take("--ref-rows");
    const bool sequential = !flag("--no-sequential");
    const fs::path work = fs::absolute(args.size() > 0 ? args[0] : "bench-sft");
    fs::create_directories(work);
    fs::path data, model;
    std::string mode;
    if (dataArg) {
        if (!ggufArg) throw std::runtime_error("--data needs --gguf FILE (the tokenizer and template)");
        data = fs::absolute(*dataArg);
        model = work / "model";
        makeGgufTokenizerFolder(*ggufArg, model);
        mode = "chat";
    } else {
        const int rows = args.size() > 1 ? std::atoi(args[1].c_str()) : 100000;
        makeAlpacaInputs(work, rows);
        data = work / "alpaca.jsonl";
        model = work / "model";
        mode = "alpaca";
    }
    const std::string env = "FT_TOKEN_CACHE=" + bench::quoted((work / "token-cache").string()) + " ";
    const auto ours = [&](const std::string& how) {
        std::string error;
        const Json j = bench::runJson(env + bench::quoted(self) + " child " + how + " " + bench::quoted(work.string()) + " " +
                                          bench::quoted(data.string()) + " " + bench::quoted(model.string()),
                                      &error);
        if (j.is_null()) std::fprintf(stderr, "ours (%s) failed: %s\n", how.c_str(), error.c_str());
        return j;
    };
    const Json seq = sequential ? ours("sequential") : Json();
    const Json streamed = ours("streamed");
    const Json reopened = ours("reopen");

    fs::path refData = data;
    if (refRowsArg) {
        refData = work / "reference-rows.jsonl";
        headLines(data, refData, std::atol(refRowsArg->c_str()));
    }
    std::string refError;
    const std::string script = std::string(FT_SOURCE_DIR) + "/benchmarks/bench_sft_reference.py";
    const Json ref = bench::runJson(bench::quoted(bench::referencePython()) + " " + bench::quoted(script) + " " + mode + " " +
                                        bench::quoted(refData.string()) + " " + bench::quoted(model.string()) + " 2>&1",
                                    &refError);

    const auto rowsOf = [](const Json& j) { return j.is_null() ? 0.0 : double(j["rows"].get<long long>()); };
    std::printf("%s: %s rows -> masked SFT samples; %d hardware threads\n", data.string().c_str(),
                streamed.is_null() ? "?" : std::to_string(streamed["rows"].get<long long>()).c_str(),
                int(std::thread::hardware_concurrency()));
    std::printf("%-34s %10s %12s %8s %14s %14s %10s\n", "", "rows/s", "tokens/s", "seconds", "tokens", "trained", "peak RSS");
    const auto line = [&](const char* name, const Json& j) {
        if (j.is_null()) return;
        const double s = j["seconds"].get<double>();
        std::printf("%-34s %10.0f %12.0f %8.2f %14lld %14lld %8.0f MB\n", name, rowsOf(j) / s,
                    double(j["tokens"].get<long long>()) / s, s, j["tokens"].get<long long>(),
                    j["trained_tokens"].get<long long>(), double(j["peak_rss"].get<long long>()) / 1e6);
    };
    line("ours, sequential (1 thread)", seq);
    line("ours, streamed + cache write", streamed);
    line("ours, next run (cache reopened)", reopened);
    if (!ref.is_null()) {
        line("datasets.map (Python, 1 process)", ref);
        std::printf("reference: %s%s\n", ref["versions"].get<std::string>().c_str(),
                    refRowsArg ? (", on the first " + *refRowsArg + " rows").c_str() : "");
        const double refRate = rowsOf(ref) / ref["seconds"].get<double>();
        if (!seq.is_null())
            std::printf("speed-up, sequential: %.1fx\n", rowsOf(seq) / seq["seconds"].get<double>() / refRate);
        if (!streamed.is_null())
            std::printf("speed-up, streamed:   %.1fx\n", rowsOf(streamed) / streamed["seconds"].get<double>() / refRate);
    } else {
        std::printf("(no reference: %s)\n", refError.substr(0, 300).c_str());
    }
    if (!streamed.is_null() && !reopened.is_null())
        std::printf("token cache: %.0f MB, written in %.2f s (with the encoding), reopened in %.3f s (split and packing "
                    "included)\n",
                    double(streamed["cache_bytes"].get<long long>()) / 1e6, streamed["seconds"].get<double>(),
                    reopened["seconds"].get<double>());
    return 0;
} catch (const std::exception& e) {
    std::fprintf(stderr, "ft_bench_sft: %s\n", e.what());
    return 1;
}
