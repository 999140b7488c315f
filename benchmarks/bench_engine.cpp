// Engine benchmark (prints figures; not a test): load time and peak RSS for a ~1 GB random-weight Llama folder
// against its file size, and CPU forward tokens/s, side by side with transformers on the same folder and inputs.
//
//   ft_bench_engine [DIR]            make DIR if needed, then measure ours and (if available) transformers'
//   ft_bench_engine make DIR         write the random-weight folder
//   ft_bench_engine load DIR         measure ours only (a fresh process, so peak RSS is the load's)
// The reference side runs benchmarks/bench_engine_reference.py with $FT_REF_PYTHON (a Python with transformers).

#include "benchmarks/bench_process.h"
#include "core/io/safetensors.h"
#include "core/model/decoder.h"
#include "core/train/memory.h"

#include <torch/torch.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

constexpr int kPromptTokens = 128;
constexpr int kRepeats = 5;

void makeFolder(const fs::path& dir) {
    ft::ModelConfig c;
    c.modelType = "llama";
    c.arch = ft::findArch("llama");
    c.architecture = "LlamaForCausalLM";
    c.vocabSize = 32000;
    c.hiddenSize = 1024;
    c.intermediateSize = 2816;
    c.numLayers = 16;
    c.numHeads = 16;
    c.numKvHeads = 4;
    c.headDim = 64;
    c.maxPositions = 2048;
    c.rmsNormEps = 1e-5;
    c.slidingLayers.assign(size_t(c.numLayers), false);
    c.bosTokenId = 1;
    c.eosTokenIds = {2};
    fs::create_directories(dir);
    ft::CausalLM lm(c);
    ft::initRandomWeights(lm, 1234);
    ft::NamedTensors weights;
    for (const auto& p : lm->named_parameters()) weights.emplace_back(p.key(), p.value());
    ft::writeSafetensors(dir / "model.safetensors", weights);
    std::FILE* f = std::fopen((dir / "config.json").c_str(), "w");
    const std::string json = ft::modelConfigToJson(c);
    std::fwrite(json.data(), 1, json.size(), f);
    std::fclose(f);
}

nlohmann::json measureOurs(const fs::path& dir) {
    const int64_t before = ft::residentSetBytes();
    const auto t0 = Clock::now();
    auto lm = ft::loadCausalLM(dir, torch::kFloat32);
    const double loadSeconds = std::chrono::duration<double>(Clock::now() - t0).count();
    const int64_t afterLoadPeak = bench::peakRssBytes();
    lm->eval();
    torch::NoGradGuard noGrad;
    auto ids = torch::arange(kPromptTokens, torch::kInt64).remainder(lm->config.vocabSize).unsqueeze(0);
    lm->forward(ids);  // warm-up
    const auto t1 = Clock::now();
    for (int i = 0; i < kRepeats; ++i) lm->forward(ids);
    const double fwd = std::chrono::duration<double>(Clock::now() - t1).count();
    return {{"load_seconds", loadSeconds},
            {"peak_rss_after_load", afterLoadPeak},
            {"peak_rss_after_forward", bench::peakRssBytes()},
            {"rss_before_load", before},
            {"forward_tokens_per_second", kPromptTokens * kRepeats / fwd},
            {"threads", torch::get_num_threads()}};
}

std::string self;

} // namespace

int main(int argc, char** argv) {
    self = fs::absolute(argv[0]).string();
    const std::string mode = argc > 2 ? argv[1] : "run";
    const fs::path dir = argc > 2 ? argv[2] : (argc > 1 ? argv[1] : "bench-model-1gb");
    if (mode == "make") {
        makeFolder(dir);
        return 0;
    }
    if (mode == "load") {
        std::printf("%s\n", measureOurs(dir).dump().c_str());
        return 0;
    }
    if (!fs::exists(dir / "model.safetensors")) {
        std::printf("writing a random-weight Llama folder to %s ...\n", dir.c_str());
        if (std::system(("\"" + self + "\" make \"" + dir.string() + "\"").c_str()) != 0) return 1;
    }
    const double fileBytes = double(fs::file_size(dir / "model.safetensors"));
    const auto ours = bench::runJson("\"" + self + "\" load \"" + dir.string() + "\"");
    const char* refPython = std::getenv("FT_REF_PYTHON");
    const fs::path script = fs::path(FT_SOURCE_DIR) / "benchmarks/bench_engine_reference.py";
    nlohmann::json ref;
    if (refPython)
        ref = bench::runJson(std::string("\"") + refPython + "\" \"" + script.string() + "\" \"" + dir.string() + "\" " +
                      std::to_string(kPromptTokens) + " " + std::to_string(kRepeats) + " 2>/dev/null");

    std::printf("model.safetensors: %.1f MiB (fp32), prompt %d tokens x %d forwards, CPU threads %d\n", fileBytes / (1 << 20),
                kPromptTokens, kRepeats, ours.is_object() ? ours.value("threads", 0) : 0);
    std::printf("%-28s %16s %16s\n", "", "Finetune Studio", ref.is_object() ? "transformers" : "(no reference)");
    auto row = [&](const char* name, const char* key, double scale, const char* fmt) {
        std::printf("%-28s", name);
        for (const nlohmann::json* j : {&ours, static_cast<const nlohmann::json*>(&ref)}) {
            if (j->is_object() && j->contains(key)) {
                char cell[64];
                std::snprintf(cell, sizeof cell, fmt, j->at(key).get<double>() * scale);
                std::printf(" %16s", cell);
            } else {
                std::printf(" %16s", "-");
            }
        }
        std::printf("\n");
    };
    row("load time (s)", "load_seconds", 1.0, "%.2f");
    row("peak RSS after load (MiB)", "peak_rss_after_load", 1.0 / (1 << 20), "%.0f");
    row("peak RSS after forward (MiB)", "peak_rss_after_forward", 1.0 / (1 << 20), "%.0f");
    row("RSS before load (MiB)", "rss_before_load", 1.0 / (1 << 20), "%.0f");
    row("forward tokens/s", "forward_tokens_per_second", 1.0, "%.1f");
    if (ours.is_object()) {
        // The weights are memory-mapped, so they become resident as the first forward touches them: the peak that
        // matters is the one after it. Baseline = the process before loading (LibTorch's own libraries).
        for (const nlohmann::json* j : {&ours, static_cast<const nlohmann::json*>(&ref)}) {
            if (!j->is_object()) continue;
            const double peak = j->at("peak_rss_after_forward").get<double>(), base = j->at("rss_before_load").get<double>();
            std::printf("%s: peak RSS = %.3f x file size (%.3f x above the pre-load baseline)\n",
                        j == &ours ? "ours" : "transformers", peak / fileBytes, (peak - base) / fileBytes);
        }
    }
    if (ref.is_object()) std::printf("transformers %s, torch %s\n", ref.value("transformers", "?").c_str(), ref.value("torch", "?").c_str());
    return 0;
}
