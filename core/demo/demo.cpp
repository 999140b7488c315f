#include "core/demo/demo.h"

#include "core/demo/demo_data.h"
#include "core/io/atomic_file.h"
#include "core/io/safetensors.h"
#include "core/model/decoder.h"
#include "core/text/tokenizer.h"
#include "core/project/project.h"

#include <nlohmann/json.hpp>
#include <torch/torch.h>

namespace fs = std::filesystem;

namespace ft {

namespace {

constexpr const char* kChatTemplate =
    "{{ bos_token }}{% for message in messages %}"
    "{{ '<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n' }}"
    "{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";

constexpr uint64_t kWeightSeed = 20261123;

void writeTokenizerConfig(const fs::path& dir, const Tokenizer& tok) {
    nlohmann::ordered_json added = nlohmann::ordered_json::object();
    for (const char* piece : {"<unk>", "<s>", "</s>", "<|im_start|>", "<|im_end|>"}) {
        added[std::to_string(tok.pieceToId(piece))] = {{"content", piece},    {"lstrip", false}, {"normalized", false},
                                                       {"rstrip", false},     {"single_word", false},
                                                       {"special", true}};
    }
    nlohmann::ordered_json j;
    j["add_bos_token"] = true;
    j["add_eos_token"] = false;
    j["added_tokens_decoder"] = added;
    j["bos_token"] = "<s>";
    j["chat_template"] = kChatTemplate;
    j["clean_up_tokenization_spaces"] = false;
    j["eos_token"] = "<|im_end|>";
    j["legacy"] = true;
    j["model_max_length"] = 512;
    j["pad_token"] = "</s>";
    j["tokenizer_class"] = "LlamaTokenizer";
    j["unk_token"] = "<unk>";
    writeFileAtomic(dir / "tokenizer_config.json", j.dump(2) + "\n");
}

} // namespace

void makeDemo(const fs::path& dir) {
    const fs::path modelDir = dir / "model", dataDir = dir / "data";
    fs::create_directories(modelDir);
    fs::create_directories(dataDir);

    // Data: one JSON object a line.
    const auto pairs = demo::instructionPairs();
    std::string jsonl, corpus;
    for (const auto& p : pairs) {
        jsonl += nlohmann::ordered_json{{"instruction", p.prompt}, {"output", p.response}}.dump() + "\n";
        corpus += p.prompt + "\n" + p.response + "\n";
    }
    writeFileAtomic(dataDir / "train.jsonl", jsonl);
    // Preference pairs on the same questions (conversational, as TRL's format): each question's own answer chosen,
    // the answer to a question a third of the list away rejected.
    std::string preference;
    for (size_t i = 0; i < pairs.size(); ++i) {
        const auto& other = pairs[(i + pairs.size() / 3) % pairs.size()];
        const auto turn = [](const char* role, const std::string& content) {
            return nlohmann::ordered_json::array({{{"role", role}, {"content", content}}});
        };
        preference += nlohmann::ordered_json{{"prompt", turn("user", pairs[i].prompt)},
                                             {"chosen", turn("assistant", pairs[i].response)},
                                             {"rejected", turn("assistant", other.response)}}.dump() + "\n";
    }
    writeFileAtomic(dataDir / "preference.jsonl", preference);

    // Tokenizer: BPE with byte fallback, like Llama's, trained on the demo text; chat markers kept whole.
    trainSentencePiece(corpus, modelDir / "tokenizer.model", 600, {"<|im_start|>", "<|im_end|>"});
    const auto tok = loadSentencePiece(modelDir / "tokenizer.model");
    writeTokenizerConfig(modelDir, *tok);

    ModelConfig c;
    c.arch = findArch("llama");
    c.architecture = "LlamaForCausalLM";
    c.vocabSize = tok->vocabSize();
    c.hiddenSize = 128;
    c.intermediateSize = 352;
    c.numLayers = 4;
    c.slidingLayers.assign(4, false);
    c.numHeads = 4;
    c.numKvHeads = 2;
    c.headDim = 32;
    c.maxPositions = 512;
    c.rmsNormEps = 1e-5;
    c.rope.theta = 10000.0;
    c.bosTokenId = tok->bosId();
    c.eosTokenIds = {tok->pieceToId("<|im_end|>"), tok->eosId()};
    c.padTokenId = tok->eosId();
    c.torchDtype = "float32";
    writeFileAtomic(modelDir / "config.json", modelConfigToJson(c));
    nlohmann::ordered_json gen{{"bos_token_id", c.bosTokenId}, {"eos_token_id", c.eosTokenIds},
                               {"pad_token_id", c.padTokenId}, {"do_sample", false}};
    writeFileAtomic(modelDir / "generation_config.json", gen.dump(2) + "\n");

    CausalLM lm(c);
    initRandomWeights(lm, kWeightSeed);
    NamedTensors weights;
    for (const auto& p : lm->named_parameters()) weights.emplace_back(p.key(), p.value());
    writeSafetensors(modelDir / "model.safetensors", weights, {{"format", "pt"}});

    Project project;
    project.name = "Demo: Korean and English pairs";
    project.model = "model";
    project.dataset = "data/train.jsonl";
    project.kind = FinetuneKind::Instruct;
    project.lora.r = 8;
    project.lora.alpha = 16;
    project.lora.targetModules = {"all-linear"};
    project.training.epochs = 30;
    project.training.batchSize = 4;
    project.training.learningRate = 3e-3;
    project.training.warmupSteps = 10;
    project.training.maxSeqLength = 128;
    // One example per row: 270 small steps let the tiny random model learn the answers within its 30 epochs (packed,
    // its 36 examples make 13 rows and 120 steps, and training ends at loss 0.59 instead of 0.19).
    project.training.packing = false;
    project.training.validationFraction = 0.1;
    project.training.evalEvery = 30;
    project.output = "output";
    saveProject(project, dir / "project.json");
}

} // namespace ft
