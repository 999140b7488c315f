#include "core/peft/methods.h"

#include "core/common/error.h"
#include "core/export/peft_adapter.h"
#include "core/io/atomic_file.h"
#include "core/io/json_file.h"
#include "core/io/safetensors.h"
#include "core/model/model_folder.h"
#include "core/peft/bottleneck_adapter.h"
#include "core/peft/lora.h"
#include "core/peft/prompt_learning.h"

#include <nlohmann/json.hpp>
#include <torch/torch.h>

namespace ft {

namespace {

// The peft release whose adapter_config.json we write (peft fills "peft_version" with its own).
constexpr const char* kPeftFormatVersion = "0.21.2";

bool isPromptMethod(const std::string& m) { return m == "prompt_tuning" || m == "p_tuning" || m == "prefix_tuning"; }

std::string peftType(const std::string& method) {
    if (method == "prompt_tuning") return "PROMPT_TUNING";
    if (method == "p_tuning") return "P_TUNING";
    return "PREFIX_TUNING";
}

// adapter_config.json as peft's PromptTuningConfig / PromptEncoderConfig / PrefixTuningConfig serialize themselves
// (peft writes the keys sorted; nlohmann::json keeps them sorted too).
nlohmann::json promptConfigJson(const ModelConfig& model, const std::string& method, const PromptLearningConfig& c,
                                const std::string& baseModel) {
    const PromptShape s = promptShape(model, method, c);
    nlohmann::json j;
    j["auto_mapping"] = nullptr;
    j["base_model_name_or_path"] = baseModel;
    j["inference_mode"] = true;
    j["modules_to_save"] = nullptr;
    j["num_attention_heads"] = s.numAttentionHeads;
    j["num_layers"] = s.numLayers;
    j["num_transformer_submodules"] = 1;
    j["num_virtual_tokens"] = s.numVirtualTokens;
    j["peft_type"] = peftType(method);
    j["peft_version"] = kPeftFormatVersion;
    j["revision"] = nullptr;
    j["task_type"] = "CAUSAL_LM";
    j["token_dim"] = s.tokenDim;
    if (method == "prompt_tuning") {
        const bool text = c.init == "text";
        j["prompt_tuning_init"] = text ? "TEXT" : "RANDOM";
        j["prompt_tuning_init_text"] = text ? nlohmann::json(c.initText) : nlohmann::json(nullptr);
        j["tokenizer_kwargs"] = nullptr;
        j["tokenizer_name_or_path"] = text ? nlohmann::json(baseModel) : nlohmann::json(nullptr);
    } else if (method == "p_tuning") {
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

void writePromptAdapter(CausalLM& lm, const Project& project, const std::string& baseModel, const std::filesystem::path& dir) {
    auto* prompt = dynamic_cast<PromptLearningImpl*>(lm->prompt.get());
    if (!prompt) throw Error(ErrorCode::InvalidValue, "method", "the model has no " + project.method + " attached to export");
    const std::string configJson = promptConfigJson(lm->config, project.method, project.promptLearning, baseModel).dump(2);
    torch::Tensor saved;
    {
        torch::NoGradGuard noGrad;
        const bool wasTraining = prompt->is_training();
        prompt->eval();  // what peft saves comes from the encoder without dropout
        saved = prompt->embeddingToSave().detach().to(torch::kCPU, torch::kFloat32).contiguous();
        prompt->train(wasTraining);
    }
    writeDirAtomic(dir, [&](const std::filesystem::path& tmp) {
        writeFileAtomic(tmp / "adapter_config.json", configJson);
        writeSafetensors(tmp / "adapter_model.safetensors", {{"prompt_embeddings", saved}}, {{"format", "pt"}});
    });
}

void loadPromptAdapter(CausalLM& lm, const std::filesystem::path& dir, const nlohmann::json& j) {
    const std::string where = (dir / "adapter_config.json").string();
    const std::string type = j.value("peft_type", "");
    if (j.value("task_type", "") != "CAUSAL_LM")
        throw Error(ErrorCode::Unsupported, where + ": task_type", "only CAUSAL_LM adapters run on a decoder");
    if (j.value("num_transformer_submodules", 1) != 1)
        throw Error(ErrorCode::Unsupported, where + ": num_transformer_submodules", "a decoder has one");
    PromptLearningConfig pc;
    pc.numVirtualTokens = j.value("num_virtual_tokens", 0);
    const PromptShape s = promptShape(lm->config, type == "PREFIX_TUNING" ? "prefix_tuning" : "prompt_tuning", pc);
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
    attachSavedPrompt(lm, type, saved);
}

} // namespace

int64_t attachMethod(CausalLM& lm, const Project& project, const ModelFolder& folder) {
    const std::string& m = project.method;
    if (m == "lora" || m == "qlora") return applyLora(lm, project.lora);
    for (auto& p : lm->parameters()) p.set_requires_grad(m == "full");
    if (m == "full") return trainableParameterCount(lm);
    if (m == "adapter") {
        attachBottleneckAdapters(lm, project.adapter);
    } else if (isPromptMethod(m)) {
        const auto& pc = project.promptLearning;
        if (project.training.packing && project.kind == FinetuneKind::Instruct && m != "prefix_tuning")
            throw Error(ErrorCode::Unsupported, project.file.string() + ": training.packing",
                        m + " puts its virtual tokens in front of each row, not of each packed example; set packing to false");
        std::vector<int64_t> initIds;
        if (m == "prompt_tuning" && pc.init == "text")
            initIds = promptInitTokenIds(ModelTokenizer(folder), folder.addBosToken, folder.addEosToken, pc.initText,
                                         pc.numVirtualTokens);
        attachPromptLearning(lm, m, pc, initIds);
    } else {
        throw Error(ErrorCode::InvalidValue, project.file.string() + ": method", "'" + m + "' is not a method we train");
    }
    return trainableParameterCount(lm);
}

void exportMethod(CausalLM& lm, const Project& project, const std::string& baseModel, const std::filesystem::path& dir) {
    const std::string& m = project.method;
    if (m == "lora" || m == "qlora")
        writePeftAdapter(lm, project.lora, baseModel, dir);
    else if (m == "adapter")
        writeBottleneckAdapter(lm, project.adapter, baseModel, dir);
    else if (isPromptMethod(m))
        writePromptAdapter(lm, project, baseModel, dir);
    else if (m == "full")
        throw Error(ErrorCode::Unsupported, dir.string(), "a full fine-tune has no adapter; it is exported as a merged model");
    else
        throw Error(ErrorCode::InvalidValue, "method", "'" + m + "' is not a method we export");
}

void loadMethodAdapter(CausalLM& lm, const std::filesystem::path& dir) {
    const nlohmann::json j = readJsonFile(dir / "adapter_config.json");
    const std::string type = j.value("peft_type", "");
    if (type == "LORA") {
        const PeftAdapter adapter = readPeftAdapter(dir);
        applyLora(lm, adapter.config);
        loadLoraTensors(lm, adapter.tensors);
    } else if (type == "PROMPT_TUNING" || type == "P_TUNING" || type == "PREFIX_TUNING") {
        loadPromptAdapter(lm, dir, j);
    } else if (type == kBottleneckAdapterType) {
        loadBottleneckAdapter(lm, dir);
    } else {
        throw Error(ErrorCode::Unsupported, (dir / "adapter_config.json").string() + ": peft_type",
                    "'" + type + "'; this build loads LORA, PROMPT_TUNING, P_TUNING, PREFIX_TUNING and its own bottleneck adapters");
    }
}

} // namespace ft
