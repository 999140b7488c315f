// Training benchmark (prints figures; not a test): LoRA (r 16, all-linear, AdamW, clipping) on the CPU, ours and
// transformers + peft each in a fresh process on the same weights, token ids and settings; tokens/s, peak RSS,
// first and last loss side by side, and our memory estimate (core/train/memory_estimate.h) against our peak.
//
//   ft_bench_train [options] [WORKDIR]      (WORKDIR default: bench-train; holds the random model and the token ids)
//     --model PATH         a Hugging Face folder or a .gguf (imported once); default a random-weight Llama
//     --shape NAME         the random model: small (hidden 512, 8 layers, vocab 8000) or llama3.2-1b (its shapes)
//     --precision P        fp32 (fp32 weights) or bf16 (fp32 weights, bf16 autocast: torch.autocast on the reference)
//     --method M           lora, or qlora (NF4 double-quantized base; bitsandbytes on the reference side)
//     --batch B --seq T --steps N --warmup W --threads K      (defaults 4, 512, 10, 2, 2)
//     --data D             random: every row T random tokens (default); sft: examples of varied lengths as instruct
//                          data has (log-normal, median 150 tokens, 24..T), which we pack into rows of T tokens
//                          (core/train/example_encoder.h's packExamples, attention kept per example) and the reference
//                          pads batch by batch to the longest (transformers' default collator); tokens/s counts real
//                          tokens, and both sides train on the same examples
//     --no-packing         sft: ours pads as the reference does
//     --no-reference       ours only
// The reference runs benchmarks/bench_train_reference.py with $FT_REF_PYTHON
// (default ~/.cache/finetune-studio/refvenv/bin/python).
// FT_BENCH_PROFILE=FILE: our runs write a Chrome trace of their last step's operators (LibTorch's profiler; that
// step's time then includes the profiler's) to FILE; benchmarks/trace_self_time.py sums it per operator.

#include "core/io/safetensors.h"
#include "core/model/autocast_scope.h"
#include "benchmarks/bench_process.h"
#include "core/model/decoder.h"
#include "core/model/gguf_import.h"
#include "core/peft/lora.h"
#include "core/train/batches.h"
#include "core/train/example_encoder.h"
#include "core/train/memory.h"
#include "core/train/memory_estimate.h"

#include <torch/csrc/autograd/profiler_legacy.h>
#include <torch/torch.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <random>
#include <string>

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;
using Json = nlohmann::json;

namespace {

constexpr int kRank = 16;
constexpr double kAlpha = 32.0, kLearningRate = 1e-4, kMaxGradNorm = 1.0;

struct Options {
    std::string model, shape = "small", precision = "fp32", method = "lora", data = "random";
    int batch = 4, seq = 512, steps = 10, warmup = 2, threads = 2;
    bool reference = true, packing = true;
    fs::path work = "bench-train";
};

ft::ModelConfig randomConfig(const std::string& shape) {
    ft::ModelConfig c;
    c.modelType = "llama";
    c.arch = ft::findArch("llama");
    c.architecture = "LlamaForCausalLM";
    c.headDim = 64;
    c.maxPositions = 2048;
    c.rmsNormEps = 1e-5;
    c.bosTokenId = 1;
    c.eosTokenIds = {2};
    if (shape == "llama3.2-1b") {  // meta-llama/Llama-3.2-1B's config.json, RoPE without its llama3 scaling
        c.vocabSize = 128256;
        c.hiddenSize = 2048;
        c.intermediateSize = 8192;
        c.numLayers = 16;
        c.numHeads = 32;
        c.numKvHeads = 8;
        c.tieWordEmbeddings = true;
        c.rope.theta = 500000.0;
        c.ropeLocal = c.rope;
    } else if (shape == "small") {
        c.vocabSize = 8000;
        c.hiddenSize = 512;
        c.intermediateSize = 1376;
        c.numLayers = 8;
        c.numHeads = 8;
        c.numKvHeads = 8;
    } else {
        throw std::runtime_error("--shape: '" + shape + "'; use small or llama3.2-1b");
    }
    c.slidingLayers.assign(size_t(c.numLayers), false);
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

ft::QloraConfig benchQlora(const std::string& precision) {
    ft::QloraConfig q;
    q.computeDtype = precision == "bf16" ? "bfloat16" : "float32";
    return q;
}

void writeText(const fs::path& file, const std::string& text) {
    std::FILE* f = std::fopen(file.c_str(), "w");
    std::fwrite(text.data(), 1, text.size(), f);
    std::fclose(f);
}

// A random-weight Llama in `dir` (the file is written from the parameters themselves, so the model is held once).
void makeRandomModel(const fs::path& dir, const std::string& shape) {
    const ft::ModelConfig c = randomConfig(shape);
    fs::create_directories(dir);
    ft::CausalLM lm(c);
    ft::initRandomWeights(lm, 1234);
    ft::NamedTensors weights;
    for (const auto& p : lm->named_parameters()) weights.emplace_back(p.key(), p.value());
    ft::writeSafetensors(dir / "model.safetensors", weights);
    writeText(dir / "config.json", ft::modelConfigToJson(c));
}

// (warmup + steps, B, T) token ids, the same for both sides.
fs::path tokenIds(const Options& o, int64_t vocab) {
    const fs::path file = o.work / ("ids-" + std::to_string(o.warmup + o.steps) + "x" + std::to_string(o.batch) + "x" +
                                    std::to_string(o.seq) + "-v" + std::to_string(vocab) + ".safetensors");
    if (fs::exists(file)) return file;
    auto gen = at::make_generator<at::CPUGeneratorImpl>(99);
    const auto ids = torch::randint(vocab, {o.warmup + o.steps, o.batch, o.seq}, gen, torch::kInt64);
    ft::writeSafetensors(file, {{"ids", ids}});
    return file;
}

// sft: example lengths (log-normal around 150 tokens, 24..T) and their random tokens, as many as packExamples puts in
// (warmup + steps) x B rows; written once as "tokens" (all examples end to end) and "lengths".
fs::path sftExamples(const Options& o, int64_t vocab) {
    const fs::path file = o.work / ("sft-bfd-" + std::to_string(o.warmup + o.steps) + "x" + std::to_string(o.batch) + "x" +
                                    std::to_string(o.seq) + "-v" + std::to_string(vocab) + ".safetensors");
    if (fs::exists(file)) return file;
    std::mt19937_64 rng(7);
    std::lognormal_distribution<double> length(std::log(150.0), 0.6);
    std::vector<int64_t> lengths;
    std::vector<ft::TokenizedExample> shapes;  // only the lengths matter to packing
    while (true) {
        const int64_t n = std::clamp<int64_t>(int64_t(length(rng)), 24, o.seq);
        shapes.emplace_back().ids.assign(size_t(n), 0);
        if (ft::packExamples(shapes, o.seq).size() > size_t(o.warmup + o.steps) * size_t(o.batch)) break;
        lengths.push_back(n);
    }
    int64_t total = 0;
    for (const int64_t n : lengths) total += n;
    auto gen = at::make_generator<at::CPUGeneratorImpl>(99);
    ft::writeSafetensors(file, {{"tokens", torch::randint(vocab, {total}, gen, torch::kInt64)},
                                {"lengths", torch::tensor(lengths, torch::kInt64)}});
    return file;
}

// The examples of an sft file as the trainer's encoder gives them (labels on every token).
std::vector<ft::TokenizedExample> loadSftExamples(const fs::path& file) {
    const auto f = ft::SafetensorsFile::open(file);
    const torch::Tensor tokens = f.tensor("tokens").contiguous(), lengths = f.tensor("lengths").contiguous();
    std::vector<ft::TokenizedExample> out;
    int64_t at = 0;
    for (int64_t i = 0; i < lengths.size(0); ++i) {
        const int64_t n = lengths[i].item<int64_t>();
        ft::TokenizedExample e;
        e.ids.assign(tokens.data_ptr<int64_t>() + at, tokens.data_ptr<int64_t>() + at + n);
        e.labels = e.ids;
        out.push_back(std::move(e));
        at += n;
    }
    return out;
}

// The batches one side trains on: sft rows cut into batches of B (packed, or B examples padded to the longest), or
// the random ids' (B, T) slices.
std::vector<ft::Batch> benchBatches(const Json& a, bool packed) {
    std::vector<ft::Batch> out;
    const int batch = a["batch"].get<int>();
    if (!a.contains("sft")) {
        const torch::Tensor ids = ft::SafetensorsFile::open(a["ids"].get<std::string>()).tensor("ids").clone();
        for (int64_t s = 0; s < ids.size(0); ++s) {
            ft::Batch b;
            b.ids = b.labels = ids[s];
            b.targetTokens = ids.size(1) * (ids.size(2) - 1);
            out.push_back(b);
        }
        return out;
    }
    const std::vector<ft::TokenizedExample> examples = loadSftExamples(a["sft"].get<std::string>());
    const std::vector<ft::TokenizedExample> rows = packed ? ft::packExamples(examples, a["seq"].get<int>()) : examples;
    for (size_t r = 0; r < rows.size(); r += size_t(batch)) {
        std::vector<const ft::TokenizedExample*> group;
        for (size_t i = r; i < std::min(rows.size(), r + size_t(batch)); ++i) group.push_back(&rows[i]);
        out.push_back(ft::makeBatch(group, 0, torch::kCPU));
    }
    return out;
}

// Our side, as the trainer runs one micro-batch per step (Trainer::microBatchLoss and step).
Json trainOurs(const Json& a) {
    const int threads = a["threads"], warmup = a["warmup"], steps = a["steps"];
    const std::string precision = a["precision"], method = a["method"];
    at::set_num_threads(threads);
    (torch::ones({64, 64}).matmul(torch::ones({64, 64}))).sum().item<float>();  // start the thread pool
    const int64_t baseline = ft::residentSetBytes();
    const auto t0 = Clock::now();
    const fs::path dir = a["model"].get<std::string>();
    auto lm = method == "qlora" ? ft::loadCausalLM4Bit(dir, benchQlora(precision)) : ft::loadCausalLM(dir, torch::kFloat32);
    const double loadSeconds = std::chrono::duration<double>(Clock::now() - t0).count();
    torch::manual_seed(42);
    const int64_t trainable = ft::applyLora(lm, benchLora());
    lm->train();
    std::vector<torch::Tensor> params;
    for (auto& p : lm->parameters())
        if (p.requires_grad()) params.push_back(p);
    torch::optim::AdamW optimizer(params, torch::optim::AdamWOptions(kLearningRate).weight_decay(0.0));
    const std::vector<ft::Batch> batches = benchBatches(a, a["packing"].get<bool>());
    // sft: the warm-up is the batches holding the examples the reference warms up on (the first warmup x B).
    int warmupSteps = warmup, totalSteps = warmup + steps;
    if (a.contains("sft")) {  // a packed row numbers its examples 1..k in `segments`
        const auto examplesIn = [](const ft::Batch& b) {
            return b.segments.defined() ? b.segments.amax(1).sum().item<int64_t>() : b.ids.size(0);
        };
        int64_t seen = 0;
        warmupSteps = 0;
        while (seen < int64_t(warmup) * a["batch"].get<int64_t>()) seen += examplesIn(batches[size_t(warmupSteps++)]);
        totalSteps = int(batches.size());
    }
    const std::optional<at::ScalarType> autocast =
        precision == "bf16" && method != "qlora" ? std::optional(at::kBFloat16) : std::nullopt;
    if (autocast && !std::getenv("FT_BENCH_FP32_FROZEN")) ft::storeFrozenProjectionsIn(lm, *autocast);  // as TrainingRun

    double firstLoss = 0.0, lastLoss = 0.0, seconds = 0.0;
    int64_t tokens = 0;
    const char* profilePath = std::getenv("FT_BENCH_PROFILE");  // a Chrome trace of the last step's operators
    for (int step = 0; step < totalSteps; ++step) {
        std::optional<torch::autograd::profiler::RecordProfile> profile;
        if (profilePath && step + 1 == totalSteps) profile.emplace(std::string(profilePath));
        const auto start = Clock::now();
        const ft::Batch& batch = batches[size_t(step)];
        torch::Tensor loss;
        {
            const ft::AutocastScope scope(torch::kCPU, autocast);
            loss = lm->lossSum(batch.ids, batch.labels, batch.positions, batch.segments) / double(batch.targetTokens);
        }
        loss.backward();
        torch::nn::utils::clip_grad_norm_(params, kMaxGradNorm);
        optimizer.step();
        optimizer.zero_grad();
        const double l = loss.item<double>();
        if (step == 0) firstLoss = l;
        lastLoss = l;
        if (step >= warmupSteps) {
            seconds += std::chrono::duration<double>(Clock::now() - start).count();
            tokens += batch.attentionMask.defined() ? batch.attentionMask.sum().item<int64_t>() : batch.ids.numel();
        }
    }
    return {{"tokens_per_second", double(tokens) / seconds},
            {"step_seconds", seconds / (totalSteps - warmupSteps)},
            {"steps", totalSteps - warmupSteps},
            {"load_seconds", loadSeconds},
            {"peak_rss", bench::peakRssBytes()},
            {"rss_baseline", baseline},
            {"first_loss", firstLoss},
            {"last_loss", lastLoss},
            {"trainable", trainable},
            {"threads", at::get_num_threads()}};
}

double mib(double bytes) { return bytes / double(1 << 20); }

Options parse(int argc, char** argv) {
    Options o;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        const auto value = [&]() -> std::string {
            if (i + 1 >= argc) throw std::runtime_error(arg + " needs a value");
            return argv[++i];
        };
        if (arg == "--model") o.model = value();
        else if (arg == "--shape") o.shape = value();
        else if (arg == "--precision") o.precision = value();
        else if (arg == "--method") o.method = value();
        else if (arg == "--batch") o.batch = std::stoi(value());
        else if (arg == "--seq") o.seq = std::stoi(value());
        else if (arg == "--steps") o.steps = std::stoi(value());
        else if (arg == "--warmup") o.warmup = std::stoi(value());
        else if (arg == "--threads") o.threads = std::stoi(value());
        else if (arg == "--data") o.data = value();
        else if (arg == "--no-packing") o.packing = false;
        else if (arg == "--no-reference") o.reference = false;
        else if (arg.starts_with("--")) throw std::runtime_error("unknown option " + arg);
        else o.work = arg;
    }
    if (o.precision != "fp32" && o.precision != "bf16") throw std::runtime_error("--precision: use fp32 or bf16");
    if (o.method != "lora" && o.method != "qlora") throw std::runtime_error("--method: use lora or qlora");
    if (o.steps < 1 || o.batch < 1 || o.seq < 24) throw std::runtime_error("--steps, --batch, --seq: too small");
    if (o.data != "random" && o.data != "sft") throw std::runtime_error("--data: use random or sft");
    return o;
}

} // namespace

int main(int argc, char** argv) try {
    const std::string self = fs::absolute(argv[0]).string();
    if (argc == 3 && std::string(argv[1]) == "train") {  // the child: one JSON argument, one JSON line out
        std::printf("%s\n", trainOurs(Json::parse(argv[2])).dump().c_str());
        return 0;
    }
    const Options o = parse(argc, argv);
    fs::create_directories(o.work);
    fs::path model = o.model.empty() ? o.work / ("random-" + o.shape) : ft::modelFolderFor(o.model);
    if (o.model.empty() && !fs::exists(model / "model.safetensors")) {
        std::printf("writing a random-weight Llama (%s) to %s ...\n", o.shape.c_str(), model.c_str());
        std::fflush(stdout);
        makeRandomModel(model, o.shape);
    }
    const ft::ModelConfig config = ft::loadModelConfig(model / "config.json");
    Json args = {{"model", fs::absolute(model).string()},
                       {"precision", o.precision}, {"method", o.method}, {"warmup", o.warmup}, {"steps", o.steps},
                       {"threads", o.threads}, {"rank", kRank}, {"alpha", kAlpha}, {"lr", kLearningRate},
                       {"max_grad_norm", kMaxGradNorm}, {"batch", o.batch}, {"seq", o.seq}, {"packing", o.packing}};
    if (o.data == "sft") args["sft"] = fs::absolute(sftExamples(o, config.vocabSize)).string();
    else args["ids"] = fs::absolute(tokenIds(o, config.vocabSize)).string();

    std::string oursError, refError;
    const Json ours = bench::runJson(bench::quoted(self) + " train " + bench::quoted(args.dump()), &oursError);
    // glibc keeps freed blocks for reuse (much of the speed: no fresh pages to fault in), so a default run's peak RSS
    // is the memory in use plus that cache. A second run with malloc returning what is freed measures the memory
    // really in use at the peak, which is what the estimate models.
    const Json trimmed = bench::runJson("MALLOC_TRIM_THRESHOLD_=0 MALLOC_MMAP_THRESHOLD_=65536 " + bench::quoted(self) + " train " +
                                     bench::quoted(args.dump()),
                                 &oursError);
    if (!ours.is_object() || !trimmed.is_object()) {
        std::fprintf(stderr, "our training run failed: %s\n", oursError.c_str());
        return 1;
    }
    Json ref;
    if (o.reference) {
        const std::string refPython = bench::referencePython();
        const fs::path script = fs::path(FT_SOURCE_DIR) / "benchmarks/bench_train_reference.py";
        if (!fs::exists(refPython))
            refError = refPython + " not found (set FT_REF_PYTHON to a Python with torch, transformers and peft)";
        else
            ref = bench::runJson(bench::quoted(refPython) + " " + bench::quoted(script.string()) + " " + bench::quoted(args.dump()) + " 2>&1", &refError);
    } else {
        refError = "--no-reference";
    }

    ft::MemoryEstimateRequest request;
    request.method = o.method;
    request.dtype = "float32";
    request.mixedPrecision = o.precision == "bf16" && o.method != "qlora" ? "bf16" : "no";
    request.qlora = benchQlora(o.precision);
    request.batchSize = o.batch;
    request.seqLength = o.seq;
    request.packedRows = o.data == "sft" && o.packing;
    request.lora = benchLora();
    const ft::MemoryEstimate est = ft::estimateTrainingMemory(config, request);

    if (o.data == "sft")
        std::printf("instruct-like examples (log-normal lengths, median 150 tokens, 24..%d): ours %s, the reference pads "
                    "each batch of %d examples to its longest; tokens/s counts real tokens; warm-up: the first %d "
                    "batches' examples\n",
                    o.seq, o.packing ? "packed in rows" : "padded the same way", o.batch, o.warmup);
    std::printf("%s r %d all-linear, AdamW, %s (hidden %lld, %d layers, vocab %lld, %.1fM parameters), %s, batch %d x %d "
                "tokens, %d steps after %d warm-up, CPU threads %d\n",
                o.method == "qlora" ? "QLoRA (NF4, double quant)" : "LoRA", kRank, model.filename().c_str(),
                (long long)config.hiddenSize, config.numLayers, (long long)config.vocabSize,
                double(config.parameterCount()) / 1e6,
                o.precision == "bf16" ? (o.method == "qlora" ? "bf16 compute" : "bf16 autocast") : "fp32",
                o.batch, o.seq, o.steps, o.warmup, ours.value("threads", 0));
    std::printf("%-28s %18s %18s %10s\n", "", "Finetune Studio", ref.is_object() ? "transformers+peft" : "(no reference)",
                ref.is_object() ? "ours/ref" : "");
    const auto row = [&](const char* name, const char* key, double scale, const char* fmt, bool ratio) {
        std::printf("%-28s", name);
        for (const Json* j : std::initializer_list<const Json*>{&ours, &ref}) {
            char cell[64] = "-";
            if (j->is_object() && j->contains(key)) std::snprintf(cell, sizeof cell, fmt, j->at(key).get<double>() * scale);
            std::printf(" %18s", cell);
        }
        if (ratio && ref.is_object() && ref.contains(key))
            std::printf(" %9.2fx", ours.at(key).get<double>() / ref.at(key).get<double>());
        std::printf("\n");
    };
    row("tokens/s", "tokens_per_second", 1.0, "%.0f", true);
    row("seconds per step", "step_seconds", 1.0, "%.2f", false);
    row("timed steps", "steps", 1.0, "%.0f", false);
    row("load time (s)", "load_seconds", 1.0, "%.2f", false);
    row("peak RSS (MiB)", "peak_rss", 1.0 / (1 << 20), "%.0f", true);
    row("RSS before loading (MiB)", "rss_baseline", 1.0 / (1 << 20), "%.0f", false);
    row("loss, step 1", "first_loss", 1.0, "%.5f", false);
    row("loss, last step", "last_loss", 1.0, "%.5f", false);
    row("trainable parameters", "trainable", 1.0, "%.0f", false);
    const double peak = ours.at("peak_rss").get<double>(), peakInUse = trimmed.at("peak_rss").get<double>();
    std::printf("%-28s %18.0f   (%+.1f %% of the peak in use, %.0f MiB, measured with malloc trimming: %.0f tokens/s)\n",
                "memory estimate (MiB)", mib(double(est.total)), 100.0 * (double(est.total) - peakInUse) / peakInUse,
                mib(peakInUse), trimmed.at("tokens_per_second").get<double>());
    std::printf("  a default run's peak RSS is %.0f MiB: glibc keeps %.0f MiB of freed blocks for reuse\n", mib(peak),
                mib(peak - peakInUse));
    std::printf("  weights %.0f + gradients %.1f + AdamW %.1f + layer activations %.0f + output layer and loss %.0f + "
                "workspace %.0f + runtime %.0f\n",
                mib(double(est.weights)), mib(double(est.gradients)), mib(double(est.optimizer)),
                mib(double(est.layerActivations)), mib(double(est.logitActivations)), mib(double(est.workspace)),
                mib(double(est.overhead)));
    if (ref.is_object())
        std::printf("transformers %s, peft %s, torch %s%s\n", ref.value("transformers", "?").c_str(),
                    ref.value("peft", "?").c_str(), ref.value("torch", "?").c_str(),
                    ref.contains("bitsandbytes") ? (", bitsandbytes " + ref.value("bitsandbytes", "?")).c_str() : "");
    else
        std::printf("reference skipped: %s\n", refError.c_str());
    return 0;
} catch (const std::exception& e) {
    std::fprintf(stderr, "ft_bench_train: %s\n", e.what());
    return 2;
}
