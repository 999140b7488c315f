// Text-pipeline benchmark (prints figures; not a test): rows/s to turn 100k Alpaca rows into masked SFT samples
// (chat template render, tokenize, assistant-only labels), side by side with Python `datasets.map` using the
// transformers tokenizer and chat template on the same data, in one run.
//
//   ft_bench_sft [WORKDIR] [ROWS]     reference side with $FT_REF_PYTHON (transformers + datasets installed)

#include "core/data/dataset.h"
#include "core/train/example_encoder.h"
#include "core/io/atomic_file.h"
#include "core/model/model_folder.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

// ChatML, as Qwen2's template renders a conversation without tools or a default system prompt.
constexpr const char* kTemplate =
    "{% for message in messages %}{{ '<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n' }}"
    "{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";

void makeInputs(const fs::path& dir, int rows) {
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

} // namespace

int main(int argc, char** argv) {
    const fs::path dir = argc > 1 ? argv[1] : "bench-sft";
    const int rows = argc > 2 ? std::atoi(argv[2]) : 100000;
    makeInputs(dir, rows);

    const auto t0 = Clock::now();
    const ft::Dataset ds = ft::loadDataset(dir / "alpaca.jsonl", ft::DatasetKind::Instruct);
    const ft::ModelFolder folder = ft::openModelFolder(dir / "model");
    const ft::ExampleEncoder encoder(folder);
    long long tokens = 0, trained = 0;
    for (const auto& ex : ds.examples) {
        const auto t = encoder.encodeChat(ex, 0);
        tokens += long(t.ids.size());
        for (int l : t.labels) trained += l != ft::kIgnoreIndex;
    }
    const double ours = std::chrono::duration<double>(Clock::now() - t0).count();

    double ref = 0;
    long long refTokens = 0, refTrained = 0;
    std::string refVersions;
    if (const char* py = std::getenv("FT_REF_PYTHON")) {
        const std::string cmd = std::string("\"") + py + "\" \"" + FT_SOURCE_DIR + "/benchmarks/bench_sft_reference.py\" \"" +
                                dir.string() + "\" 2>/dev/null";
        if (std::FILE* p = popen(cmd.c_str(), "r")) {
            std::string out;
            char buf[4096];
            while (size_t n = std::fread(buf, 1, sizeof buf, p)) out.append(buf, n);
            if (pclose(p) == 0 && out.rfind('{') != std::string::npos) {
                const auto j = nlohmann::json::parse(out.substr(out.rfind('{')));
                ref = j["seconds"];
                refTokens = j["tokens"];
                refTrained = j["trained_tokens"];
                refVersions = j["versions"];
            }
        }
    }
    std::printf("%d Alpaca rows → masked SFT samples (ChatML template, byte-level BPE tokenizer, one thread)\n", rows);
    std::printf("%-22s %14s %14s %14s\n", "", "rows/s", "tokens", "trained tokens");
    std::printf("%-22s %14.0f %14lld %14lld\n", "Finetune Studio", rows / ours, tokens, trained);
    if (ref > 0)
        std::printf("%-22s %14.0f %14lld %14lld\n%s\nspeed-up: %.1fx\n", "datasets.map (Python)", rows / ref, refTokens,
                    refTrained, refVersions.c_str(), ref / ours);
    else
        std::printf("(set FT_REF_PYTHON to a Python with transformers and datasets for the reference side)\n");
    return 0;
}
