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
    if (config.bias != "none")
        throw Error(ErrorCode::Unsupported, "lora.bias", "bias '" + config.bias + "' is not supported yet; use none");
    for (auto& p : lm->parameters()) p.set_requires_grad(false);
    int matched = 0;
    for (const auto& item : lm->named_modules("", false)) {
        auto* proj = item.value()->as<ProjectionImpl>();
        if (!proj || item.key() == "lm_head" || !isTarget(item.key(), config)) continue;
        proj->enableLora(config.r, config.scaling(), config.dropout);
        ++matched;
    }
    if (matched == 0) throw Error(ErrorCode::InvalidValue, "lora.target_modules", "no module of the model matches");
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

void loadLoraTensors(CausalLM& lm, const std::vector<std::pair<std::string, torch::Tensor>>& tensors) {
    std::map<std::string, torch::Tensor> byName(tensors.begin(), tensors.end());
    torch::NoGradGuard noGrad;
    for (auto& [name, dst] : loraTensors(lm)) {
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
