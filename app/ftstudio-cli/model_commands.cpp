// ftstudio-cli info / generate: a model folder's facts, and completions streamed from it.

#include "cli_args.h"
#include "commands.h"

#include "core/data/dataset.h"
#include "core/train/example_encoder.h"
#include "core/inference/language_model.h"
#include "core/model/gguf_import.h"
#include "core/model/model_folder.h"
#include "core/model/model_footprint.h"
#include "core/text/text_streamer.h"
#include "core/text/tokenizer.h"

#include <cstdio>
#include <nlohmann/json.hpp>

namespace ftcli {

int info(const Args& args) {
    if (args.size() != 1) throw UsageError("usage: ftstudio-cli info DIR");
    const std::filesystem::path dir = ft::modelFolderFor(args[0]);  // a .gguf file: its imported folder
    const ft::ModelConfig c = ft::loadModelConfig(dir / "config.json");
    const ft::ModelFootprint f = ft::modelFootprint(dir);
    nlohmann::ordered_json j;
    j["architecture"] = c.architecture;
    j["model_type"] = c.modelType;
    j["parameters"] = f.parameters;
    j["layers"] = c.numLayers;
    j["hidden_size"] = c.hiddenSize;
    j["intermediate_size"] = c.intermediateSize;
    j["attention_heads"] = c.numHeads;
    j["key_value_heads"] = c.numKvHeads;
    j["head_dim"] = c.headDim;
    j["vocab_size"] = c.vocabSize;
    j["dtype"] = f.dtype;
    j["tie_word_embeddings"] = c.tieWordEmbeddings;
    j["footprint_bytes"] = {{"fp32", f.fp32},   {"fp16", f.fp16},
                            {"bf16", f.bf16},   {"int8", f.int8},
                            {"nf4", f.nf4},     {"nf4_double_quant", f.nf4DoubleQuant}};
    j["nf4_absmax_bytes"] = {{"single", f.nf4Absmax}, {"double_quant", f.nf4DoubleQuantAbsmax}};
    j["quantizable_parameters"] = f.quantizableParameters;
    std::printf("%s\n", j.dump(2).c_str());
    return 0;
}

int generate(const Args& argsIn) {
    Args args = argsIn;
    const auto model = takeOption(args, "--model");
    const auto adapter = takeOption(args, "--adapter");
    const auto prompt = takeOption(args, "--prompt");
    const auto stop = takeOption(args, "--stop");
    const std::string dtype = takeOption(args, "--dtype").value_or("float32");
    const bool chat = takeFlag(args, "--chat");
    if (!model || !prompt) throw UsageError("usage: ftstudio-cli generate --model DIR [--adapter DIR] --prompt TEXT [--chat] ...");
    const ft::ModelFolder folder = ft::openModelFolder(*model);
    ft::GenerationOptions opts = folder.generation;  // the folder's defaults; the flags below override them
    if (takeFlag(args, "--sample")) opts.doSample = true;
    if (takeFlag(args, "--greedy")) opts.doSample = false;
    if (auto v = takeOption(args, "--max-new-tokens")) opts.maxNewTokens = toInt(*v, "--max-new-tokens");
    if (auto v = takeOption(args, "--seed")) opts.seed = uint64_t(toInt(*v, "--seed"));
    if (auto v = takeOption(args, "--temperature")) opts.temperature = toDouble(*v, "--temperature");
    if (auto v = takeOption(args, "--top-k")) opts.topK = toInt(*v, "--top-k");
    if (auto v = takeOption(args, "--top-p")) opts.topP = toDouble(*v, "--top-p");
    if (auto v = takeOption(args, "--repetition-penalty")) opts.repetitionPenalty = toDouble(*v, "--repetition-penalty");
    if (!args.empty()) throw UsageError("unexpected argument '" + args[0] + "'");

    ft::ExampleEncoder encoder(folder);
    const auto& tok = encoder.tokenizer();
    std::string text = *prompt;
    if (chat) text = encoder.render({{"user", *prompt}}, /*addGenerationPrompt=*/true);
    // Plain text as tokenizer(text) gives it (BOS where the folder adds one); a rendered chat has its own markers.
    const std::vector<int> ids = chat ? tok.encode(text).ids : tok.encodeWithSpecialTokens(text);

    auto lm = ft::LanguageModel::load(*model, dtype);
    if (adapter) lm->applyAdapter(*adapter);
    if (tok.eosId() >= 0) opts.eosTokenIds.push_back(tok.eosId());

    // Stream: each token's new text, an incomplete UTF-8 tail held back until a later token completes it.
    ft::TextStreamer streamer([&](const std::vector<int>& t) { return tok.decode(t); });
    auto print = [](const std::string& s) {
        if (s.empty()) return;
        std::fwrite(s.data(), 1, s.size(), stdout);
        std::fflush(stdout);
    };
    bool stopped = false;
    lm->generate(ids, opts, [&](int token) {
        if (std::find(opts.eosTokenIds.begin(), opts.eosTokenIds.end(), token) != opts.eosTokenIds.end()) return false;
        streamer.put(token);
        if (stop && !stop->empty()) {
            if (auto at = streamer.text().find(*stop); at != std::string::npos) {
                streamer.cutAt(at);
                stopped = true;
            }
        }
        print(stopped ? streamer.end() : streamer.take());
        return !stopped;
    });
    if (!stopped) print(streamer.end());  // an incomplete tail the answer ended on, as the tokenizer decodes it
    std::printf("\n");
    return 0;
}

} // namespace ftcli
