#include "core/peft/peft_adapter_folder.h"

#include "core/common/error.h"
#include "core/io/atomic_file.h"
#include "core/io/json_file.h"
#include "core/io/safetensors.h"
#include "core/peft/lora.h"
#include "core/peft/method_spec.h"

#include <nlohmann/json.hpp>
#include <set>
#include <torch/torch.h>

namespace ft {

namespace {

std::vector<std::string> expandedTargets(const LoraConfig& config) {
    std::set<std::string> names;  // PEFT stores a set; sorted here so the file is reproducible
    for (const auto& t : config.targetModules) {
        if (t == "all-linear")
            names.insert(llamaLinearModules().begin(), llamaLinearModules().end());
        else
            names.insert(t);
    }
    return {names.begin(), names.end()};
}

} // namespace

void writeAdapterFolder(const std::filesystem::path& dir, const std::string& configJson, const NamedTensors& tensors) {
    writeDirAtomic(dir, [&](const std::filesystem::path& tmp) {
        writeFileAtomic(tmp / "adapter_config.json", configJson);
        writeSafetensors(tmp / "adapter_model.safetensors", tensors, {{"format", "pt"}});
    });
}

void writePeftAdapter(CausalLM& lm, const LoraConfig& config, const std::string& baseModel,
                      const std::filesystem::path& dir) {
    nlohmann::ordered_json j;
    j["alpha_pattern"] = nlohmann::json::object();
    j["auto_mapping"] = nullptr;
    j["base_model_name_or_path"] = baseModel;
    j["bias"] = config.bias;
    j["fan_in_fan_out"] = false;
    j["inference_mode"] = true;
    j["init_lora_weights"] = true;
    j["layers_pattern"] = nullptr;
    j["layers_to_transform"] = nullptr;
    j["lora_alpha"] = config.alpha;
    j["lora_dropout"] = config.dropout;
    j["modules_to_save"] = nullptr;
    j["peft_type"] = methodSpec(Method::Lora).peftType;
    j["r"] = config.r;
    j["rank_pattern"] = nlohmann::json::object();
    j["revision"] = nullptr;
    j["target_modules"] = expandedTargets(config);
    j["task_type"] = "CAUSAL_LM";
    j["use_dora"] = false;
    j["use_rslora"] = config.useRslora;
    const std::string configJson = j.dump(2) + "\n";

    NamedTensors tensors;
    for (auto& [name, t] : loraTensors(lm)) tensors.emplace_back(name, t.detach().to(torch::kCPU).contiguous());
    for (auto& [name, t] : loraBiasTensors(lm, config.bias)) tensors.emplace_back(name, t.detach().to(torch::kCPU).contiguous());
    writeAdapterFolder(dir, configJson, tensors);
}

PeftAdapter readPeftAdapter(const std::filesystem::path& dir) {
    const auto cfgPath = dir / "adapter_config.json";
    const nlohmann::json j = readJsonFile(cfgPath);
    if (j.value("peft_type", "") != methodSpec(Method::Lora).peftType)
        throw Error(ErrorCode::Unsupported, cfgPath.string() + ": peft_type", "only LORA adapters are read");
    PeftAdapter a;
    a.config.r = j.value("r", 8);
    a.config.alpha = j.value("lora_alpha", 8.0);
    a.config.dropout = j.value("lora_dropout", 0.0);
    a.config.bias = j.value("bias", "none");
    a.config.useRslora = j.value("use_rslora", false);
    const auto& targets = j.contains("target_modules") ? j["target_modules"] : nlohmann::json();
    if (targets.is_array())
        a.config.targetModules = targets.get<std::vector<std::string>>();
    else if (targets.is_string() && targets.get<std::string>() == "all-linear")
        a.config.targetModules = {"all-linear"};
    else  // a string is a regular expression to PEFT; refuse rather than match it differently
        throw Error(ErrorCode::Unsupported, cfgPath.string() + ": target_modules", "only a list of module names is read, got " + targets.dump());
    for (const char* key : {"use_dora", "lora_bias"})
        if (j.value(key, false)) throw Error(ErrorCode::Unsupported, cfgPath.string() + ": " + key, "is not supported yet");
    if (j.contains("rank_pattern") && !j["rank_pattern"].empty())
        throw Error(ErrorCode::Unsupported, cfgPath.string() + ": rank_pattern", "per-module ranks are not supported yet");
    if (j.contains("alpha_pattern") && !j["alpha_pattern"].empty())
        throw Error(ErrorCode::Unsupported, cfgPath.string() + ": alpha_pattern", "per-module alphas are not supported yet");
    a.baseModel = j.value("base_model_name_or_path", "");
    const auto st = SafetensorsFile::open(dir / "adapter_model.safetensors");
    for (const auto& e : st.entries()) a.tensors.emplace_back(e.name, st.tensor(e.name).clone());
    return a;
}

} // namespace ft
