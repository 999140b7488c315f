// Prompt tuning, P-tuning and prefix tuning as methods: attached with their settings, exported as peft writes them
// (adapter_config.json + "prompt_embeddings"), loaded back from such a folder.

#include "core/peft/methods.h"

#include "core/common/error.h"
#include "core/io/json_file.h"
#include "core/io/safetensors.h"
#include "core/model/model_folder.h"
#include "core/peft/lora.h"
#include "core/peft/peft_adapter_folder.h"
#include "core/peft/prompt_learning.h"

#include <nlohmann/json.hpp>
#include <torch/torch.h>

namespace ft {

namespace {

// The peft release whose adapter_config.json we write (peft fills "peft_version" with its own).
constexpr const char* kPeftFormatVersion = "0.21.2";

// adapter_config.json as peft's PromptTuningConfig / PromptEncoderConfig / PrefixTuningConfig serialize themselves
// (peft writes the keys sorted; nlohmann::json keeps them sorted too).
nlohmann::json promptConfigJson(const ModelConfig& model, const MethodSpec& method, const PromptLearningConfig& c,
                                const std::string& baseModel) {
    const PromptShape s = promptShape(model, method.id, c);
    nlohmann::json j;
    j["auto_mapping"] = nullptr;
    j["base_model_name_or_path"] = baseModel;
    j["inference_mode"] = true;
    j["modules_to_save"] = nullptr;
    j["num_attention_heads"] = s.numAttentionHeads;
    j["num_layers"] = s.numLayers;
    j["num_transformer_submodules"] = 1;
    j["num_virtual_tokens"] = s.numVirtualTokens;
    j["peft_type"] = method.peftType;
    j["peft_version"] = kPeftFormatVersion;
    j["revision"] = nullptr;
    j["task_type"] = "CAUSAL_LM";
    j["token_dim"] = s.tokenDim;
    if (method.id == Method::PromptTuning) {
        const bool text = c.init == "text";
        j["prompt_tuning_init"] = text ? "TEXT" : "RANDOM";
        j["prompt_tuning_init_text"] = text ? nlohmann::json(c.initText) : nlohmann::json(nullptr);
        j["tokenizer_kwargs"] = nullptr;
        j["tokenizer_name_or_path"] = text ? nlohmann::json(baseModel) : nlohmann::json(nullptr);
    } else if (method.id == Method::PTuning) {
        j["encoder_dropout"] = c.encoderDropout;
        j["encoder_hidden_size"] = s.encoderHiddenSize;
        j["encoder_num_layers"] = c.encoderNumLayers;
        j["encoder_reparameterization_type"] = c.encoderType;
    } else {
        j["encoder_hidden_size"] = s.encoderHiddenSize;
        j["init_weights"] = nullptr;
        j["prefix_projection"] = c.prefixProjection;
    }
    return j;
}

} // namespace

int64_t attachPromptMethod(CausalLM& lm, const MethodSettings& settings, const ModelFolder& folder) {
    const MethodSpec& spec = methodSpec(settings.method);
    const auto& pc = settings.promptLearning;
    for (auto& p : lm->parameters()) p.set_requires_grad(false);
    if (settings.packedRows && spec.trains == MethodTrains::VirtualTokens)
        throw Error(ErrorCode::Unsupported, settings.source + ": training.packing",
                    std::string(spec.name) + " puts its virtual tokens in front of each row, not of each packed example; set packing to false");
    std::vector<int64_t> initIds;
    if (spec.id == Method::PromptTuning && pc.init == "text")
        initIds = promptInitTokenIds(ModelTokenizer(folder), folder.addBosToken, folder.addEosToken, pc.initText,
                                     pc.numVirtualTokens);
    attachPromptLearning(lm, spec.id, pc, initIds);
    return trainableParameterCount(lm);
}

void exportPromptMethod(CausalLM& lm, const MethodSettings& settings, const std::string& baseModel, const std::filesystem::path& dir) {
    const MethodSpec& spec = methodSpec(settings.method);
    auto* prompt = dynamic_cast<PromptLearningImpl*>(lm->prompt.get());
    if (!prompt) throw Error(ErrorCode::InvalidValue, "method", "the model has no " + std::string(spec.name) + " attached to export");
    const std::string configJson = promptConfigJson(lm->config, spec, settings.promptLearning, baseModel).dump(2);
    torch::Tensor saved;
    {
        torch::NoGradGuard noGrad;
        const bool wasTraining = prompt->is_training();
        prompt->eval();  // what peft saves comes from the encoder without dropout
        saved = prompt->embeddingToSave().detach().to(torch::kCPU, torch::kFloat32).contiguous();
        prompt->train(wasTraining);
    }
    writeAdapterFolder(dir, configJson, {{"prompt_embeddings", saved}});
}

void loadPromptAdapter(CausalLM& lm, const std::filesystem::path& dir) {
    const std::string where = (dir / "adapter_config.json").string();
    const nlohmann::json j = readJsonFile(dir / "adapter_config.json");
    const MethodSpec* spec = findMethodByPeftType(j.value("peft_type", ""));
    if (!spec || (spec->trains != MethodTrains::VirtualTokens && spec->trains != MethodTrains::LayerPrefixes))
        throw Error(ErrorCode::Unsupported, where + ": peft_type", "not a prompt-learning adapter");
    if (j.value("task_type", "") != "CAUSAL_LM")
        throw Error(ErrorCode::Unsupported, where + ": task_type", "only CAUSAL_LM adapters run on a decoder");
    if (j.value("num_transformer_submodules", 1) != 1)
        throw Error(ErrorCode::Unsupported, where + ": num_transformer_submodules", "a decoder has one");
    PromptLearningConfig pc;
    pc.numVirtualTokens = j.value("num_virtual_tokens", 0);
    // Only the sizes peft derives from the model matter here; prompt tuning's and P-tuning's are the same.
    const PromptShape s = promptShape(lm->config, spec->id == Method::PrefixTuning ? Method::PrefixTuning : Method::PromptTuning, pc);
    const std::pair<const char*, int64_t> expected[] = {
        {"num_layers", s.numLayers}, {"token_dim", s.tokenDim}, {"num_attention_heads", s.numAttentionHeads}};
    for (const auto& [key, want] : expected)
        if (j.contains(key) && j[key].is_number_integer() && j[key].get<int64_t>() != want)
            throw Error(ErrorCode::InvalidValue, where + ": " + key,
                        std::to_string(j[key].get<int64_t>()) + " but the model needs " + std::to_string(want) +
                            "; the adapter was trained on another model");
    const auto file = dir / "adapter_model.safetensors";
    const auto st = SafetensorsFile::open(file);
    if (!st.find("prompt_embeddings")) throw Error(ErrorCode::MissingField, file.string(), "missing tensor 'prompt_embeddings'");
    const torch::Tensor saved = st.tensor("prompt_embeddings").to(torch::kFloat32);
    if (saved.dim() != 2 || saved.size(0) != s.numVirtualTokens)
        throw Error(ErrorCode::InvalidValue, file.string() + ": prompt_embeddings",
                    "shape " + c10::str(saved.sizes()) + " but num_virtual_tokens is " + std::to_string(s.numVirtualTokens));
    attachSavedPrompt(lm, spec->id, saved);
}

} // namespace ft
