#include "core/peft/methods.h"

#include "core/common/error.h"
#include "core/io/json_file.h"
#include "core/peft/bottleneck_adapter.h"
#include "core/peft/lora.h"
#include "core/peft/peft_adapter_folder.h"

#include <nlohmann/json.hpp>
#include <torch/torch.h>

namespace ft {

int64_t attachMethod(CausalLM& lm, const MethodSettings& settings, const ModelFolder& folder) {
    return methodSpec(settings.method).attach(lm, settings, folder);
}

void exportMethod(CausalLM& lm, const MethodSettings& settings, const std::string& baseModel, const std::filesystem::path& dir) {
    const MethodSpec& spec = methodSpec(settings.method);
    if (!spec.exportAdapter)
        throw Error(ErrorCode::Unsupported, dir.string(), "a full fine-tune has no adapter; it is exported as a merged model");
    spec.exportAdapter(lm, settings, baseModel, dir);
}

void loadMethodAdapter(CausalLM& lm, const std::filesystem::path& dir) {
    const std::string type = readJsonFile(dir / "adapter_config.json").value("peft_type", "");
    const MethodSpec* spec = type.empty() ? nullptr : findMethodByPeftType(type);
    if (!spec)
        throw Error(ErrorCode::Unsupported, (dir / "adapter_config.json").string() + ": peft_type",
                    "'" + type + "'; this build loads LORA, PROMPT_TUNING, P_TUNING, PREFIX_TUNING and its own bottleneck adapters");
    spec->loadAdapter(lm, dir);
}

int64_t attachFullFineTune(CausalLM& lm, const MethodSettings&, const ModelFolder&) {
    for (auto& p : lm->parameters()) p.set_requires_grad(true);
    return trainableParameterCount(lm);
}

int64_t attachLoraMethod(CausalLM& lm, const MethodSettings& settings, const ModelFolder&) {
    return applyLora(lm, settings.lora);
}

void exportLoraMethod(CausalLM& lm, const MethodSettings& settings, const std::string& baseModel, const std::filesystem::path& dir) {
    writePeftAdapter(lm, settings.lora, baseModel, dir);
}

void loadLoraAdapter(CausalLM& lm, const std::filesystem::path& dir) {
    const PeftAdapter adapter = readPeftAdapter(dir);
    applyLora(lm, adapter.config);
    loadLoraTensors(lm, adapter.tensors);
}

int64_t attachAdapterMethod(CausalLM& lm, const MethodSettings& settings, const ModelFolder&) {
    for (auto& p : lm->parameters()) p.set_requires_grad(false);
    attachBottleneckAdapters(lm, settings.adapter);
    return trainableParameterCount(lm);
}

void exportAdapterMethod(CausalLM& lm, const MethodSettings& settings, const std::string& baseModel, const std::filesystem::path& dir) {
    writeBottleneckAdapter(lm, settings.adapter, baseModel, dir);
}

} // namespace ft
