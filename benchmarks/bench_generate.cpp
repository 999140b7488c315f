// Generation benchmark (prints figures; not a test): greedy decoding of N new tokens after the same prompt, ours
// (ft::generate, KV cache) and transformers' generate(do_sample=False) each in a fresh process on the same folder,
// with end-of-sequence ignored on both sides so both make exactly N tokens. Prints prefill time, decode tokens/s and
// how many generated tokens agree.
//
//   ft_bench_generate --model PATH [--prompt-tokens P] [--new N] [--threads K] [--dtype float32|bfloat16]
//                     (defaults 64, 128, 2, float32; PATH a folder or a .gguf)
// The reference runs benchmarks/bench_generate_reference.py with $FT_REF_PYTHON
// (default ~/.cache/finetune-studio/refvenv/bin/python).

#include "benchmarks/bench_process.h"
#include "core/model/decoder.h"
#include "core/model/generator.h"
#include "core/model/gguf_import.h"

#include <torch/torch.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;
using Json = nlohmann::json;

namespace {

// A prompt of P token ids spread over the vocabulary, the same on both sides.
std::vector<int> promptIds(int tokens, int64_t vocab) {
    std::vector<int> ids;
    for (int i = 0; i < tokens; ++i) ids.push_back(int((int64_t(i) * 7919 + 17) % vocab));
    return ids;
}

Json generateOurs(const Json& a) {
    at::set_num_threads(a["threads"]);
    const torch::Dtype dtype = a["dtype"] == "bfloat16" ? torch::kBFloat16 : torch::kFloat32;
    auto lm = ft::loadCausalLM(a["model"].get<std::string>(), dtype);
    const std::vector<int> prompt = promptIds(a["prompt_tokens"], lm->config.vocabSize);
    ft::GenerationOptions o;
    o.maxNewTokens = a["new_tokens"];  // no end-of-sequence ids: exactly this many
    ft::GenerationOptions warm = o;
    warm.maxNewTokens = 2;
    ft::generate(lm, prompt, warm);
    auto start = Clock::now();
    Clock::time_point first;
    bool seenFirst = false;
    const std::vector<int> out = ft::generate(lm, prompt, o, [&](int) {
        if (!seenFirst) first = Clock::now(), seenFirst = true;
        return true;
    });
    const auto end = Clock::now();
    const double prefill = std::chrono::duration<double>(first - start).count();
    const double decode = std::chrono::duration<double>(end - first).count();
    return {{"prefill_seconds", prefill}, {"decode_tokens_per_second", double(out.size() - 1) / decode},
            {"tokens", out}, {"threads", at::get_num_threads()}};
}

} // namespace

int main(int argc, char** argv) try {
    if (argc == 3 && std::string(argv[1]) == "generate") {
        std::printf("%s\n", generateOurs(Json::parse(argv[2])).dump().c_str());
        return 0;
    }
    std::string model, dtype = "float32";
    int promptTokens = 64, newTokens = 128, threads = 2;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        const auto value = [&]() -> std::string {
            if (i + 1 >= argc) throw std::runtime_error(arg + " needs a value");
            return argv[++i];
        };
        if (arg == "--model") model = value();
        else if (arg == "--prompt-tokens") promptTokens = std::stoi(value());
        else if (arg == "--new") newTokens = std::stoi(value());
        else if (arg == "--threads") threads = std::stoi(value());
        else if (arg == "--dtype") dtype = value();
        else throw std::runtime_error("unknown argument " + arg);
    }
    if (model.empty()) throw std::runtime_error("--model PATH is required (a Hugging Face folder or a .gguf)");
    if (dtype != "float32" && dtype != "bfloat16") throw std::runtime_error("--dtype: float32 or bfloat16");
    const fs::path folder = fs::absolute(ft::modelFolderFor(model));
    const Json args = {{"model", folder.string()}, {"prompt_tokens", promptTokens}, {"new_tokens", newTokens},
                       {"threads", threads}, {"dtype", dtype}};
    const std::string self = fs::absolute(argv[0]).string();
    std::string oursError, refError;
    const Json ours = bench::runJson(bench::quoted(self) + " generate " + bench::quoted(args.dump()), &oursError);
    if (!ours.is_object()) {
        std::fprintf(stderr, "our generation failed: %s\n", oursError.c_str());
        return 1;
    }
    const std::string refPython = bench::referencePython();
    const fs::path script = fs::path(FT_SOURCE_DIR) / "benchmarks/bench_generate_reference.py";
    const Json ref = fs::exists(refPython)
                         ? bench::runJson(bench::quoted(refPython) + " " + bench::quoted(script.string()) + " " + bench::quoted(args.dump()) + " 2>&1", &refError)
                         : Json();
    if (!fs::exists(refPython)) refError = refPython + " not found (set FT_REF_PYTHON to a Python with transformers)";

    std::printf("greedy generation, %s, %s, prompt %d tokens, %d new tokens, CPU threads %d\n", folder.filename().c_str(),
                dtype.c_str(), promptTokens, newTokens, ours.value("threads", 0));
    std::printf("%-28s %18s %18s\n", "", "Finetune Studio", ref.is_object() ? "transformers" : "(no reference)");
    for (const auto& [name, key, fmt] : {std::tuple{"prefill (s)", "prefill_seconds", "%.3f"},
                                         std::tuple{"decode tokens/s", "decode_tokens_per_second", "%.1f"}}) {
        std::printf("%-28s", name);
        for (const Json* j : std::initializer_list<const Json*>{&ours, &ref}) {
            char cell[64] = "-";
            if (j->is_object() && j->contains(key)) std::snprintf(cell, sizeof cell, fmt, j->at(key).get<double>());
            std::printf(" %18s", cell);
        }
        std::printf("\n");
    }
    if (ref.is_object()) {
        const auto& a = ours.at("tokens");
        const auto& b = ref.at("tokens");
        size_t same = 0;
        while (same < a.size() && same < b.size() && a[same] == b[same]) ++same;
        std::printf("decode speed ours/ref: %.2fx; the first %zu of %zu generated tokens agree\n",
                    ours.at("decode_tokens_per_second").get<double>() / ref.at("decode_tokens_per_second").get<double>(),
                    same, a.size());
        std::printf("transformers %s, torch %s\n", ref.value("transformers", "?").c_str(), ref.value("torch", "?").c_str());
    } else {
        std::printf("reference skipped: %s\n", refError.c_str());
    }
    return 0;
} catch (const std::exception& e) {
    std::fprintf(stderr, "ft_bench_generate: %s\n", e.what());
    return 2;
}
