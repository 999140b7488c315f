#include "core/peft/bottleneck_adapter.h"

#include "core/common/error.h"
#include "core/io/json_file.h"
#include "core/io/safetensors.h"
#include "core/peft/peft_adapter_folder.h"

#include <nlohmann/json.hpp>
#include <torch/torch.h>

#include <map>

namespace F = torch::nn::functional;

namespace ft {

namespace {

bool knownActivation(const std::string& a) { return a == "relu" || a == "gelu" || a == "silu" || a == "tanh"; }

std::vector<DecoderLayerImpl*> decoderLayers(CausalLM& lm) {
    std::vector<DecoderLayerImpl*> out;
    for (auto& item : *lm->model->layers) out.push_back(item->as<DecoderLayerImpl>());
    return out;
}

} // namespace

BottleneckAdapterImpl::BottleneckAdapterImpl(int64_t dim, int64_t bottleneck, const std::string& activation_)
    : activation(activation_) {
    if (!knownActivation(activation))
        throw Error(ErrorCode::InvalidValue, "adapter.activation", "'" + activation + "'; use relu, gelu, silu or tanh");
    down = register_module("down", torch::nn::Linear(dim, bottleneck));  // nn.Linear's default init
    up = register_module("up", torch::nn::Linear(bottleneck, dim));
    torch::NoGradGuard noGrad;
    up->weight.zero_();  // the adapter starts as the identity
    up->bias.zero_();
}

torch::Tensor BottleneckAdapterImpl::forward(const torch::Tensor& y) {
    torch::Tensor h = down(y.to(down->weight.scalar_type()));  // (B, T, b)
    if (activation == "relu") h = F::relu(h);
    else if (activation == "gelu") h = F::gelu(h);
    else if (activation == "silu") h = F::silu(h);
    else h = torch::tanh(h);
    return y + up(h).to(y.scalar_type());
}

void attachBottleneckAdapters(CausalLM& lm, const BottleneckAdapterConfig& config) {
    if (config.bottleneck < 1) throw Error(ErrorCode::InvalidValue, "adapter.bottleneck", "must be at least 1");
    const auto device = lm->model->embed_tokens->weight.device();
    for (auto* layer : decoderLayers(lm)) {
        if (layer->attnAdapter) throw Error(ErrorCode::InvalidValue, "adapter", "the model already has bottleneck adapters");
        auto attn = std::make_shared<BottleneckAdapterImpl>(lm->config.hiddenSize, config.bottleneck, config.activation);
        auto mlp = std::make_shared<BottleneckAdapterImpl>(lm->config.hiddenSize, config.bottleneck, config.activation);
        attn->to(device);
        mlp->to(device);
        layer->attnAdapter = layer->register_module("attn_adapter", attn);
        layer->mlpAdapter = layer->register_module("mlp_adapter", mlp);
    }
}

std::vector<std::pair<std::string, torch::Tensor>> bottleneckAdapterTensors(CausalLM& lm) {
    std::vector<std::pair<std::string, torch::Tensor>> out;
    int i = 0;
    for (auto* layer : decoderLayers(lm)) {
        const std::string prefix = "model.layers." + std::to_string(i++) + ".";
        for (const auto& [name, hook] : {std::pair{"attn_adapter", layer->attnAdapter}, std::pair{"mlp_adapter", layer->mlpAdapter}}) {
            if (!hook) throw Error(ErrorCode::InvalidValue, "adapter", "the model has no bottleneck adapters attached");
            for (const auto& p : hook->named_parameters()) out.emplace_back(prefix + name + "." + p.key(), p.value());
        }
    }
    return out;
}

void writeBottleneckAdapter(CausalLM& lm, const BottleneckAdapterConfig& config, const std::string& baseModel,
                            const std::filesystem::path& dir) {
    nlohmann::ordered_json j;
    j["peft_type"] = kBottleneckAdapterType;
    j["format_version"] = 1;
    j["task_type"] = "CAUSAL_LM";
    j["base_model_name_or_path"] = baseModel;
    j["bottleneck"] = config.bottleneck;
    j["activation"] = config.activation;
    j["hidden_size"] = lm->config.hiddenSize;
    j["num_layers"] = lm->config.numLayers;
    j["placement"] = {"attention", "mlp"};  // on each sub-block's output, before the residual add
    const std::string configJson = j.dump(2) + "\n";
    NamedTensors tensors;
    for (auto& [name, t] : bottleneckAdapterTensors(lm)) tensors.emplace_back(name, t.detach().to(torch::kCPU).contiguous());
    writeAdapterFolder(dir, configJson, tensors);
}

void loadBottleneckAdapter(CausalLM& lm, const std::filesystem::path& dir) {
    const auto cfgPath = dir / "adapter_config.json";
    const nlohmann::json j = readJsonFile(cfgPath);
    if (j.value("peft_type", "") != kBottleneckAdapterType)
        throw Error(ErrorCode::InvalidValue, cfgPath.string() + ": peft_type", "not a bottleneck adapter");
    if (j.value("format_version", 0) != 1)
        throw Error(ErrorCode::Unsupported, cfgPath.string() + ": format_version", "this build reads version 1");
    for (const char* key : {"hidden_size", "num_layers"}) {
        const int want = std::string(key) == "hidden_size" ? lm->config.hiddenSize : lm->config.numLayers;
        if (j.value(key, -1) != want)
            throw Error(ErrorCode::InvalidValue, cfgPath.string() + ": " + key,
                        std::to_string(j.value(key, -1)) + " but the model has " + std::to_string(want) + "; the adapter was trained on another model");
    }
    BottleneckAdapterConfig config;
    config.bottleneck = j.value("bottleneck", 0);
    config.activation = j.value("activation", "");
    attachBottleneckAdapters(lm, config);
    const auto file = dir / "adapter_model.safetensors";
    const auto st = SafetensorsFile::open(file);
    torch::NoGradGuard noGrad;
    const auto tensors = bottleneckAdapterTensors(lm);
    if (st.entries().size() != tensors.size())
        throw Error(ErrorCode::InvalidValue, file.string(), std::to_string(st.entries().size()) + " tensors, expected " + std::to_string(tensors.size()));
    for (const auto& [name, dst] : tensors) {
        const auto* e = st.find(name);
        if (!e) throw Error(ErrorCode::MissingField, file.string(), "missing tensor '" + name + "'");
        if (e->shape != dst.sizes().vec())
            throw Error(ErrorCode::InvalidValue, file.string() + ": " + name, "shape " + c10::str(e->shape) + ", expected " + c10::str(dst.sizes()));
        dst.copy_(st.tensor(name));
    }
}

} // namespace ft
