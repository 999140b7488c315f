// Training benchmark (prints figures; not a test): LoRA (r 16, all-linear) with AdamW on the CPU for a small
// random-weight Llama, batch 4 x 256 fixed random token ids, 20 timed steps after 2 warm-up steps. Tokens/s and
// peak RSS of ours and of transformers + peft on the same weights, data and settings, each in its own process, and
// our memory estimate (core/train/memory_estimate.h) against our measured peak.
//
//   ft_bench_train [DIR]         make DIR if needed, then measure ours and (if available) transformers + peft
//   ft_bench_train make DIR      write the model folder and DIR/data.safetensors (the token ids)
//   ft_bench_train train DIR     measure ours only (a fresh process, so peak RSS is the run's); one JSON line
// The reference runs benchmarks/bench_train_reference.py with $FT_REF_PYTHON
// (default ~/.cache/finetune-studio/refvenv/bin/python).

#include "core/io/safetensors.h"
#include "core/model/causal_lm_loss.h"
#include "core/model/decoder.h"
#include "core/peft/lora.h"
#include "core/train/batches.h"
#include "core/train/memory.h"
#include "core/train/memory_estimate.h"

#include <torch/torch.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <malloc.h>
#include <nlohmann/json.hpp>
#include <string>
#include <sys/resource.h>

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

constexpr int kBatch = 4, kSeq = 256, kWarmup = 2, kSteps = 20, kThreads = 2;
constexpr int kRank = 16;
constexpr double kAlpha = 32.0, kLearningRate = 1e-4, kMaxGradNorm = 1.0;

ft::ModelConfig benchConfig() {
    ft::ModelConfig c;
    c.modelType = "llama";
    c.arch = ft::findArch("llama");
    c.architecture = "LlamaForCausalLM";
    c.vocabSize = 8000;
    c.hiddenSize = 512;
    c.intermediateSize = 1376;
    c.numLayers = 8;
    c.numHeads = 8;
    c.numKvHeads = 8;
    c.headDim = 64;
    c.maxPositions = 2048;
    c.rmsNormEps = 1e-5;
    c.slidingLayers.assign(size_t(c.numLayers), false);
    c.bosTokenId = 1;
    c.eosTokenIds = {2};
    return c;
}

ft::LoraConfig benchLora() {
    ft::LoraConfig l;
    l.r = kRank;
    l.alpha = kAlpha;
    l.dropout = 0.0;
    l.targetModules = {"all-linear"};
    return l;
}

int64_t peakRssBytes() {
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return int64_t(u.ru_maxrss) * 1024;
}

int64_t heapInUse() {
    const struct mallinfo2 mi = mallinfo2();
    return int64_t(mi.uordblks + mi.hblkhd);
}

void makeFolder(const fs::path& dir) {
    const ft::ModelConfig c = benchConfig();
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
    // (steps, B, T) token ids, the same for both sides.
    auto gen = at::make_generator<at::CPUGeneratorImpl>(99);
    const auto ids = torch::randint(c.vocabSize, {kWarmup + kSteps, kBatch, kSeq}, gen, torch::kInt64);
    ft::writeSafetensors(dir / "data.safetensors", {{"ids", ids}});
}

// Our side, through what TrainingRun::prepareAndTrain does for one micro-batch per step.
nlohmann::json trainOurs(const fs::path& dir) {
    at::set_num_threads(kThreads);
    (torch::ones({64, 64}).matmul(torch::ones({64, 64}))).sum().item<float>();  // start the thread pool
    const int64_t baseline = ft::residentSetBytes();
    const auto t0 = Clock::now();
    auto lm = ft::loadCausalLM(dir, torch::kFloat32);
    const double loadSeconds = std::chrono::duration<double>(Clock::now() - t0).count();
    torch::manual_seed(42);
    const int64_t trainable = ft::applyLora(lm, benchLora());
    lm->train();
    std::vector<torch::Tensor> params;
    for (auto& p : lm->parameters())
        if (p.requires_grad()) params.push_back(p);
    torch::optim::AdamW optimizer(params, torch::optim::AdamWOptions(kLearningRate).weight_decay(0.0));
    const torch::Tensor ids = ft::SafetensorsFile::open(dir / "data.safetensors").tensor("ids").clone();

    double firstLoss = 0.0, lastLoss = 0.0, seconds = 0.0;
    int64_t savedAfterForward = 0;
    for (int step = 0; step < kWarmup + kSteps; ++step) {
        const auto start = Clock::now();
        const torch::Tensor batch = ids[step];
        const int64_t heapBefore = heapInUse();
        torch::Tensor loss = ft::causalLmLossSum(lm->forward(batch), batch) / double(kBatch * (kSeq - 1));
        if (step == kWarmup) savedAfterForward = heapInUse() - heapBefore;  // what autograd keeps for backward
        loss.backward();
        torch::nn::utils::clip_grad_norm_(params, kMaxGradNorm);
        optimizer.step();
        optimizer.zero_grad();
        const double l = loss.item<double>();
        if (step == 0) firstLoss = l;
        lastLoss = l;
        if (step >= kWarmup) seconds += std::chrono::duration<double>(Clock::now() - start).count();
    }
    return {{"tokens_per_second", double(kSteps) * kBatch * kSeq / seconds},
            {"step_seconds", seconds / kSteps},
            {"load_seconds", loadSeconds},
            {"peak_rss", peakRssBytes()},
            {"rss_baseline", baseline},
            {"saved_after_forward", savedAfterForward},
            {"first_loss", firstLoss},
            {"last_loss", lastLoss},
            {"trainable", trainable},
            {"threads", at::get_num_threads()}};
}

nlohmann::json runJson(const std::string& command, std::string* error) {
    std::FILE* p = popen(command.c_str(), "r");
    if (!p) return nullptr;
    std::string out;
    char buf[4096];
    while (size_t n = std::fread(buf, 1, sizeof buf, p)) out.append(buf, n);
    const int rc = pclose(p);
    const auto line = out.rfind("\n{");
    const std::string json = line == std::string::npos ? out : out.substr(line + 1);
    if (rc != 0 || json.empty() || json[0] != '{') {
        if (error) *error = "exited with status " + std::to_string(rc) + ": " + out.substr(out.size() > 400 ? out.size() - 400 : 0);
        return nullptr;
    }
    return nlohmann::json::parse(json, nullptr, false);
}

std::string quoted(const std::string& s) { return "'" + s + "'"; }

double mib(double bytes) { return bytes / double(1 << 20); }

} // namespace

int main(int argc, char** argv) {
    const std::string self = fs::absolute(argv[0]).string();
    const std::string mode = argc > 2 ? argv[1] : "run";
    const fs::path dir = argc > 2 ? argv[2] : (argc > 1 ? argv[1] : "bench-train-model");
    if (mode == "make") {
        makeFolder(dir);
        return 0;
    }
    if (mode == "train") {
        std::printf("%s\n", trainOurs(dir).dump().c_str());
        return 0;
    }
    if (!fs::exists(dir / "model.safetensors") || !fs::exists(dir / "data.safetensors")) {
        std::printf("writing a random-weight Llama folder and token ids to %s ...\n", dir.c_str());
        if (std::system((quoted(self) + " make " + quoted(dir.string())).c_str()) != 0) return 1;
    }
    std::string oursError, refError;
    const nlohmann::json ours = runJson(quoted(self) + " train " + quoted(dir.string()), &oursError);
    // glibc keeps freed blocks for reuse (that is much of the speed: no fresh pages to fault in), so the peak RSS
    // of a default run is the memory in use plus that cache. A second run with malloc returning what is freed
    // measures the memory really in use at the peak, which is what the estimate models.
    const nlohmann::json trimmed =
        runJson("MALLOC_TRIM_THRESHOLD_=0 MALLOC_MMAP_THRESHOLD_=65536 " + quoted(self) + " train " + quoted(dir.string()),
                &oursError);
    if (!ours.is_object() || !trimmed.is_object()) {
        std::fprintf(stderr, "our training run failed: %s\n", oursError.c_str());
        return 1;
    }

    const char* env = std::getenv("FT_REF_PYTHON");
    const std::string refPython = env ? env : std::string(std::getenv("HOME") ? std::getenv("HOME") : "") +
                                                  "/.cache/finetune-studio/refvenv/bin/python";
    const fs::path script = fs::path(FT_SOURCE_DIR) / "benchmarks/bench_train_reference.py";
    nlohmann::json ref;
    if (!fs::exists(refPython)) {
        refError = refPython + " not found (set FT_REF_PYTHON to a Python with torch, transformers and peft)";
    } else {
        ref = runJson(quoted(refPython) + " " + quoted(script.string()) + " " + quoted(dir.string()) + " " +
                          std::to_string(kWarmup) + " " + std::to_string(kSteps) + " " + std::to_string(kThreads) + " " +
                          std::to_string(kRank) + " " + std::to_string(kAlpha) + " " + std::to_string(kLearningRate) +
                          " " + std::to_string(kMaxGradNorm) + " 2>&1",
                      &refError);
    }

    const ft::ModelConfig config = benchConfig();
    ft::MemoryEstimateRequest request;
    request.method = "lora";
    request.dtype = "float32";
    request.batchSize = kBatch;
    request.seqLength = kSeq;
    request.lora = benchLora();
    const ft::MemoryEstimate est = ft::estimateTrainingMemory(config, request);

    std::printf("LoRA r %d all-linear, AdamW, random Llama (hidden %d, %d layers, %d heads, intermediate %d, vocab %d, "
                "%.1fM parameters, fp32), batch %d x %d tokens, %d steps after %d warm-up, CPU threads %d\n",
                kRank, config.hiddenSize, config.numLayers, config.numHeads, config.intermediateSize, config.vocabSize,
                double(config.parameterCount()) / 1e6, kBatch, kSeq, kSteps, kWarmup, ours.value("threads", 0));
    std::printf("%-34s %18s %18s\n", "", "Finetune Studio", ref.is_object() ? "transformers+peft" : "(no reference)");
    const auto row = [&](const char* name, const char* key, double scale, const char* fmt) {
        std::printf("%-34s", name);
        for (const nlohmann::json* j : std::initializer_list<const nlohmann::json*>{&ours, &ref}) {
            char cell[64] = "-";
            if (j->is_object() && j->contains(key)) std::snprintf(cell, sizeof cell, fmt, j->at(key).get<double>() * scale);
            std::printf(" %18s", cell);
        }
        std::printf("\n");
    };
    row("tokens/s", "tokens_per_second", 1.0, "%.0f");
    row("seconds per step", "step_seconds", 1.0, "%.2f");
    row("load time (s)", "load_seconds", 1.0, "%.2f");
    row("peak RSS (MiB)", "peak_rss", 1.0 / (1 << 20), "%.0f");
    row("RSS before loading (MiB)", "rss_baseline", 1.0 / (1 << 20), "%.0f");
    row("loss, step 1", "first_loss", 1.0, "%.5f");
    row("loss, last step", "last_loss", 1.0, "%.5f");
    row("trainable parameters", "trainable", 1.0, "%.0f");

    const double peak = ours.at("peak_rss").get<double>(), peakInUse = trimmed.at("peak_rss").get<double>();
    std::printf("%-34s %18.0f   (%+.1f %% of the peak in use, %.0f MiB, measured with malloc trimming: %.0f tokens/s)\n",
                "memory estimate (MiB)", mib(double(est.total)), 100.0 * (double(est.total) - peakInUse) / peakInUse,
                mib(peakInUse), trimmed.at("tokens_per_second").get<double>());
    std::printf("  a default run's peak RSS is %.0f MiB: glibc keeps %.0f MiB of freed blocks for reuse\n", mib(peak),
                mib(peak - peakInUse));
    std::printf("  weights %.0f + gradients %.1f + AdamW %.1f + layer activations %.0f + logits %.0f + overhead %.0f\n",
                mib(double(est.weights)), mib(double(est.gradients)), mib(double(est.optimizer)),
                mib(double(est.layerActivations)), mib(double(est.logitActivations)), mib(double(est.overhead)));
    // What autograd holds after the forward pass, counted by malloc: the layers' saved tensors plus the log-softmax.
    const double savedEstimate = double(est.layerActivations) + 4.0 * config.vocabSize * kBatch * (kSeq - 1);
    const double saved = ours.value("saved_after_forward", 0.0);
    std::printf("  kept for backward: measured %.0f MiB, estimated %.0f MiB (%+.1f %%); runtime: measured %.0f MiB, "
                "assumed %.0f MiB\n",
                mib(saved), mib(savedEstimate), 100.0 * (savedEstimate - saved) / saved,
                mib(ours.at("rss_baseline").get<double>()), mib(double(est.overhead)));
    if (ref.is_object()) {
        std::printf("transformers %s, peft %s, torch %s\n", ref.value("transformers", "?").c_str(),
                    ref.value("peft", "?").c_str(), ref.value("torch", "?").c_str());
    } else {
        std::printf("reference skipped: %s\n", refError.c_str());
    }
    return 0;
}
