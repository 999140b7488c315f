#include "core/peft/lora.h"

#include "core/common/error.h"

#include <cmath>
#include <map>
#include <torch/torch.h>

namespace ft {

double LoraConfig::scaling() const {
    return useRslora ? alpha / std::sqrt(double(r)) : alpha / double(r);
}

const std::vector<std::string>& llamaLinearModules() {
    static const std::vector<std::string> names{"q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"};
    return names;
}

namespace {

// "model.layers.0.self_attn.q_proj" → "q_proj"
std::string leafName(const std::string& path) {
    const auto dot = path.rfind('.');
    return dot == std::string::npos ? path : path.substr(dot + 1);
}

// PEFT's rule for a list of target names: a module matches when its dotted path equals a name or ends with
// "." + name ("q_proj" matches every layer's q_proj; "model.layers.0.self_attn.q_proj" only that one).
bool isTarget(const std::string& path, const LoraConfig& config) {
    for (const auto& t : config.targetModules) {
        if (t == "all-linear") {
            const auto& all = llamaLinearModules();
            if (std::find(all.begin(), all.end(), leafName(path)) != all.end()) return true;
        } else if (path == t || (path.size() > t.size() && path.ends_with(t) && path[path.size() - t.size() - 1] == '.')) {
            return true;
        }
    }
    return false;
}

std::vector<std::pair<std::string, ProjectionImpl*>> loraProjections(CausalLM& lm) {
    std::vector<std::pair<std::string, ProjectionImpl*>> out;
    for (const auto& item : lm->named_modules("", /*include_self=*/false))
        if (auto* p = item.value()->as<ProjectionImpl>(); p && p->hasLora()) out.emplace_back(item.key(), p);
    return out;
}

} // namespace

int64_t applyLora(CausalLM& lm, const LoraConfig& config) {
    if (config.r <= 0) throw Error(ErrorCode::InvalidValue, "lora.r", "must be positive");
    if (config.bias != "none" && config.bias != "all" && config.bias != "lora_only")
        throw Error(ErrorCode::InvalidValue, "lora.bias", "'" + config.bias + "'; use none, all or lora_only");
    for (auto& p : lm->parameters()) p.set_requires_grad(false);
    int matched = 0;
    for (const auto& item : lm->named_modules("", false)) {
        auto* proj = item.value()->as<ProjectionImpl>();
        if (!proj || item.key() == "lm_head" || !isTarget(item.key(), config)) continue;
        proj->enableLora(config.r, config.scaling(), config.dropout);
        ++matched;
    }
    if (matched == 0) throw Error(ErrorCode::InvalidValue, "lora.target_modules", "no module of the model matches");
    // peft's mark_only_lora_as_trainable: "all" trains every bias of the model, "lora_only" those of adapted layers.
    for (auto& [name, bias] : loraBiasTensors(lm, config.bias)) bias.set_requires_grad(true);
    return trainableParameterCount(lm);
}

std::vector<std::pair<std::string, torch::Tensor>> loraTensors(CausalLM& lm) {
    std::vector<std::pair<std::string, torch::Tensor>> out;
    for (auto& [path, p] : loraProjections(lm)) {
        out.emplace_back("base_model.model." + path + ".lora_A.weight", p->loraA);
        out.emplace_back("base_model.model." + path + ".lora_B.weight", p->loraB);
    }
    return out;
}

std::vector<std::pair<std::string, torch::Tensor>> loraBiasTensors(CausalLM& lm, const std::string& bias) {
    std::vector<std::pair<std::string, torch::Tensor>> out;
    if (bias == "none") return out;
    for (const auto& item : lm->named_modules("", false)) {
        auto* proj = item.value()->as<ProjectionImpl>();
        if (!proj || !proj->bias.defined()) continue;
        if (proj->hasLora())
            out.emplace_back("base_model.model." + item.key() + ".base_layer.bias", proj->bias);
        else if (bias == "all")
            out.emplace_back("base_model.model." + item.key() + ".bias", proj->bias);
    }
    return out;
}

void loadLoraTensors(CausalLM& lm, const std::vector<std::pair<std::string, torch::Tensor>>& tensors) {
    std::map<std::string, torch::Tensor> byName(tensors.begin(), tensors.end());
    torch::NoGradGuard noGrad;
    auto targets = loraTensors(lm);
    // Trained biases travel with the adapter (bias all / lora_only); take those the folder holds.
    for (auto& [name, t] : loraBiasTensors(lm, "all"))
        if (byName.count(name)) targets.emplace_back(name, t);
    for (auto& [name, dst] : targets) {
        auto it = byName.find(name);
        if (it == byName.end()) throw Error(ErrorCode::MissingField, "adapter", "missing tensor '" + name + "'");
        if (it->second.sizes() != dst.sizes())
            throw Error(ErrorCode::InvalidValue, "adapter: " + name, "shape " + c10::str(it->second.sizes()) +
                                                                          " but the model expects " + c10::str(dst.sizes()));
        dst.copy_(it->second);
    }
}

int64_t trainableParameterCount(CausalLM& lm) {
    int64_t n = 0;
    for (const auto& p : lm->parameters())
        if (p.requires_grad()) n += p.numel();
    return n;
}

} // namespace ft
