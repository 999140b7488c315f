#include "core/export/lora_pairs.h"

#include "core/common/error.h"
#include "core/model/model_folder.h"
#include "core/peft/peft_adapter_folder.h"

namespace fs = std::filesystem;

namespace ft {

namespace {

std::string shapeText(at::IntArrayRef shape) {
    std::string s = "[";
    for (size_t i = 0; i < shape.size(); ++i) s += (i ? ", " : "") + std::to_string(shape[i]);
    return s + "]";
}

} // namespace

BaseCheckpoint openBaseCheckpoint(const fs::path& modelDir) {
    BaseCheckpoint base;
    base.dir = modelDir;
    const auto paths = modelWeightFiles(modelDir);
    base.sharded = !fs::exists(modelDir / "model.safetensors");
    base.files.reserve(paths.size());
    for (const auto& p : paths) base.files.push_back(SafetensorsFile::open(p));
    for (size_t i = 0; i < base.files.size(); ++i)
        for (const auto& e : base.files[i].entries())
            if (!base.byName.emplace(e.name, std::make_pair(i, &e)).second)
                throw Error(ErrorCode::InvalidValue, base.files[i].path().string() + ": " + e.name,
                            "the tensor is in more than one shard");
    return base;
}

AdapterForBase readAdapterForBase(const fs::path& adapterDir, const BaseCheckpoint& base) {
    PeftAdapter adapter = readPeftAdapter(adapterDir);
    const std::string file = (adapterDir / "adapter_model.safetensors").string();
    static const std::string prefix = "base_model.model.";
    // In the file's order (by offset, as safetensors' load_file lists them), a module where its first half appears:
    // the order convert_lora_to_gguf.py writes the pairs in.
    std::vector<LoraPair> pairs;
    std::map<std::string, size_t> index;
    AdapterForBase out;
    for (auto& [name, t] : adapter.tensors) {
        if (name.starts_with(prefix) && name.ends_with(".bias")) {  // trained in place by bias "all" / "lora_only"
            std::string target = name.substr(prefix.size());
            if (const auto at = target.rfind(".base_layer.bias"); at != std::string::npos && at + 16 == target.size())
                target = target.substr(0, at) + ".bias";
            const auto it = base.byName.find(target);
            if (it == base.byName.end() || it->second.second->shape != t.sizes().vec())
                throw Error(ErrorCode::InvalidValue, file + ": " + name,
                            "a trained bias of shape " + shapeText(t.sizes()) + " for " + target +
                                (it == base.byName.end() ? std::string(", which the base model lacks")
                                                         : ", which is " + shapeText(it->second.second->shape) + " in the base model"));
            out.biases.emplace_back(target, t);
            continue;
        }
        const bool isA = name.ends_with(".lora_A.weight"), isB = name.ends_with(".lora_B.weight");
        if (!name.starts_with(prefix) || !(isA || isB))
            throw Error(ErrorCode::Unsupported, file + ": " + name,
                        "only LoRA pairs (base_model.model.<module>.lora_A/lora_B.weight) and trained biases can be "
                        "exported; this adapter also trains other tensors (embeddings, modules_to_save)");
        const std::string module = name.substr(prefix.size(), name.size() - prefix.size() - std::string(".lora_A.weight").size());
        const auto [it, added] = index.emplace(module, pairs.size());
        if (added) pairs.push_back({module, module + ".weight", {}, {}});
        LoraPair& p = pairs[it->second];
        if (t.dim() != 2) throw Error(ErrorCode::InvalidValue, file + ": " + name, "a LoRA matrix must be 2-D, got " + shapeText(t.sizes()));
        (isA ? p.a : p.b) = t;
    }
    if (pairs.empty()) throw Error(ErrorCode::InvalidValue, file, "the adapter holds no LoRA tensors");

    out.config = adapter.config;
    for (auto& p : pairs) {
        const std::string where = file + ": base_model.model." + p.module;
        if (!p.a.defined() || !p.b.defined())
            throw Error(ErrorCode::InvalidValue, where, std::string("has lora_") + (p.a.defined() ? "A" : "B") + " but no lora_" + (p.a.defined() ? "B" : "A"));
        if (p.a.size(0) != p.b.size(1))
            throw Error(ErrorCode::InvalidValue, where, "lora_A " + shapeText(p.a.sizes()) + " and lora_B " + shapeText(p.b.sizes()) + " disagree on the rank");
        const auto it = base.byName.find(p.baseTensor);
        if (it == base.byName.end())
            throw Error(ErrorCode::InvalidValue, where,
                        "targets " + p.baseTensor + ", which the base model " + base.dir.string() +
                            " does not have: is this the model the adapter was trained on?");
        const auto& w = it->second.second->shape;
        if (w.size() != 2 || w[0] != p.b.size(0) || w[1] != p.a.size(1))
            throw Error(ErrorCode::InvalidValue, where,
                        "lora_B·lora_A is " + shapeText({p.b.size(0), p.a.size(1)}) + " but the base's " + p.baseTensor + " is " +
                            shapeText(w) + ": is this the model the adapter was trained on?");
        out.pairs.push_back(std::move(p));
    }
    return out;
}

} // namespace ft
