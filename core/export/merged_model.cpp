// The merge streams: each output shard's header is known up front (merged weights keep their shape and dtype), so
// its tensors are written one by one: raw bytes copied from the mapped base, or merged into one fresh tensor at a
// time. The decoder is not involved: the file's tensors already have the checkpoint's conventions (Gemma's norms).

#include "core/export/merged_model.h"

#include "core/common/error.h"
#include "core/export/lora_pairs.h"
#include "core/peft/peft_adapter_folder.h"
#include "core/io/atomic_file.h"
#include "core/io/json_file.h"
#include "core/model/decoder.h"
#include "core/model/tensor_names.h"
#include "core/quant/four_bit_linear.h"
#include "core/quant/quantizers.h"

#include <cerrno>
#include <cstring>
#include <string_view>
#include <nlohmann/json.hpp>

namespace fs = std::filesystem;

namespace ft {

namespace {

// What a Hugging Face folder holds besides its weights; copied when present.
const char* const kFolderFiles[] = {
    "config.json",          "generation_config.json", "tokenizer.json",     "tokenizer.model",
    "tokenizer_config.json", "special_tokens_map.json", "added_tokens.json", "chat_template.jinja",
    "chat_template.json",   "vocab.json",             "merges.txt",
};

struct TensorRef {
    size_t file;
    const TensorEntry* entry;
};

struct OutShard {
    std::string name;  // relative to the output folder
    std::vector<TensorRef> tensors;
    uint64_t bytes = 0;
};

uint64_t entryBytes(const TensorEntry& e) { return e.end - e.begin; }

// A sharded base keeps its layout. A single file stays one file up to maxShard, else it is split as
// huggingface_hub's split_state_dict_into_shards does: in order, a new shard when the next tensor would overflow,
// a tensor larger than the limit alone in its own shard.
std::vector<OutShard> planShards(const BaseCheckpoint& base, uint64_t maxShard) {
    std::vector<OutShard> shards;
    if (base.sharded) {
        for (size_t i = 0; i < base.files.size(); ++i) {
            OutShard s{base.files[i].path().lexically_relative(base.dir).string(), {}, 0};
            for (const auto& e : base.files[i].entries()) {
                s.tensors.push_back({i, &e});
                s.bytes += entryBytes(e);
            }
            shards.push_back(std::move(s));
        }
        return shards;
    }
    OutShard current;
    for (const auto& e : base.files[0].entries()) {
        const uint64_t n = entryBytes(e);
        if (n > maxShard) {
            shards.push_back({"", {{0, &e}}, n});
            continue;
        }
        if (current.bytes + n > maxShard) shards.push_back(std::exchange(current, {}));
        current.tensors.push_back({0, &e});
        current.bytes += n;
    }
    if (!current.tensors.empty() || shards.empty()) shards.push_back(std::move(current));
    if (shards.size() == 1) {
        shards[0].name = "model.safetensors";
    } else {
        char buf[64];
        for (size_t i = 0; i < shards.size(); ++i) {
            std::snprintf(buf, sizeof buf, "model-%05zu-of-%05zu.safetensors", i + 1, shards.size());
            shards[i].name = buf;
        }
    }
    return shards;
}

// The projections QLoRA keeps in 4 bits (as loadWeights quantizes them: every decoder-layer projection), so the
// merged model holds the base weights the adapter was trained against, targeted or not.
bool quantizedUnderQlora(const TensorEntry& e) { return isBlockProjectionWeight(e.name, e.shape.size()); }

torch::Tensor mergedWeight(const torch::Tensor& w, const LoraPair* pair, double scaling, const MergeOptions& options) {
    torch::Tensor base = w;
    if (options.qlora) {  // bitsandbytes quantizes the weight as loaded in the compute dtype; dequantize gives it back
        const auto& q = *options.qlora;
        const auto dtype = computeDtypeNamed(q.computeDtype, "qlora.compute_dtype");
        base = dequantize4Bit(quantize4Bit(w.to(dtype), fourBitTypeNamed(q.quantType, "qlora.quant_type"), q.blocksize, q.doubleQuant));
    }
    base = base.to(torch::kFloat32);
    if (pair) base = base + torch::matmul(pair->b.to(torch::kFloat32), pair->a.to(torch::kFloat32)) * scaling;  // (out, r)(r, in)
    return base.to(w.scalar_type()).contiguous();
}

void writeShard(const fs::path& path, const OutShard& shard, const BaseCheckpoint& base,
                const std::map<std::string, const LoraPair*>& merges, const std::map<std::string, torch::Tensor>& replaced,
                double scaling, const MergeOptions& options, int64_t& done, int64_t total) {
    nlohmann::ordered_json header = nlohmann::ordered_json::object();
    if (!shard.tensors.empty() && !base.files[shard.tensors[0].file].metadata().empty())
        header["__metadata__"] = base.files[shard.tensors[0].file].metadata();
    uint64_t offset = 0;
    for (const auto& t : shard.tensors) {
        const uint64_t n = entryBytes(*t.entry);
        header[t.entry->name] = {{"dtype", dtypeName(t.entry->dtype)}, {"shape", t.entry->shape}, {"data_offsets", {offset, offset + n}}};
        offset += n;
    }
    std::string json = header.dump();
    json.append((8 - json.size() % 8) % 8, ' ');

    writeFileAtomic(path, [&](std::FILE* f) {
        auto put = [&](const void* data, size_t n) {
            if (n && std::fwrite(data, 1, n, f) != n) throw Error(ErrorCode::FileUnwritable, path.string(), std::strerror(errno));
        };
        unsigned char prefix[8];
        for (int i = 0; i < 8; ++i) prefix[i] = static_cast<unsigned char>(uint64_t(json.size()) >> (8 * i));
        put(prefix, 8);
        put(json.data(), json.size());
        for (const auto& t : shard.tensors) {
            const SafetensorsFile& file = base.files[t.file];
            const std::string& name = t.entry->name;
            // Streamed: when `stored` goes, the base's pages leave memory (SafetensorsFile::tensor).
            const torch::Tensor stored = file.tensor(name);
            const auto pair = merges.find(name);
            const bool roundTrip = options.qlora && quantizedUnderQlora(*t.entry);
            if (const auto r = replaced.find(name); r != replaced.end()) {  // a trained tensor, in the file's dtype
                const torch::Tensor b = r->second.to(stored.scalar_type()).contiguous();
                put(b.data_ptr(), entryBytes(*t.entry));
            } else if (pair != merges.end() || roundTrip) {
                if (t.entry->dtype != DType::F32 && t.entry->dtype != DType::F16 && t.entry->dtype != DType::BF16)
                    throw Error(ErrorCode::Unsupported, file.path().string() + ": " + name,
                                std::string("a LoRA merge needs F32, F16 or BF16 weights, not ") + dtypeName(t.entry->dtype));
                const torch::Tensor merged = mergedWeight(stored, pair != merges.end() ? pair->second : nullptr, scaling, options);
                put(merged.data_ptr(), entryBytes(*t.entry));
            } else {
                put(stored.data_ptr(), entryBytes(*t.entry));
            }
            ++done;
            if (options.progress && !options.progress(done, total))
                throw Error(ErrorCode::Cancelled, path.string(), "the merge was cancelled");
        }
    });
}

void writeIndex(const fs::path& path, const std::vector<OutShard>& shards) {
    nlohmann::json weightMap = nlohmann::json::object();  // sorted keys, as json.dumps(sort_keys=True)
    uint64_t totalSize = 0, totalParameters = 0;
    for (const auto& s : shards)
        for (const auto& t : s.tensors) {
            weightMap[t.entry->name] = s.name;
            totalSize += entryBytes(*t.entry);
            totalParameters += uint64_t(t.entry->numel());
        }
    const nlohmann::json index = {{"metadata", {{"total_parameters", totalParameters}, {"total_size", totalSize}}},
                                  {"weight_map", weightMap}};
    writeFileAtomic(path, index.dump(2) + "\n");
}

// The output may replace a folder of the same kind, never a source or an unrelated folder.
void checkOutputFolder(const fs::path& out, const char* marker, std::initializer_list<fs::path> sources) {
    const fs::path o = fs::weakly_canonical(fs::absolute(out));
    for (const auto& src : sources) {
        const fs::path s = fs::weakly_canonical(fs::absolute(src));
        const auto inside = [](const fs::path& a, const fs::path& b) {  // a is b or lies under b
            const auto rel = a.lexically_relative(b);
            return !rel.empty() && !rel.string().starts_with("..");
        };
        if (inside(o, s) || inside(s, o))
            throw Error(ErrorCode::InvalidValue, out.string(), "overlaps the source folder " + src.string() + "; choose another output folder");
    }
    if (fs::exists(o)) {
        if (!fs::is_directory(o)) throw Error(ErrorCode::InvalidValue, out.string(), "exists and is not a folder");
        if (!fs::is_empty(o) && !fs::exists(o / marker))
            throw Error(ErrorCode::InvalidValue, out.string(),
                        std::string("exists and holds no ") + marker + "; it would be replaced, so choose a new or empty folder");
    }
}

void copyOrThrow(const fs::path& from, const fs::path& to, fs::copy_options how) {
    std::error_code ec;
    fs::copy(from, to, how, ec);
    if (ec) throw Error(ErrorCode::FileUnwritable, to.string(), "copying " + from.string() + ": " + ec.message());
}

// The base's non-weight files into the folder being written. A training template replaces the base's in both places
// a loader looks (tokenizer_config.json, written from the base's with the template set, and chat_template.jinja);
// chat_template.json, an older spelling that would disagree, is then left out.
void copyFolderFiles(const fs::path& baseModelDir, const fs::path& tmp, const std::string& chatTemplate) {
    const bool replaceTemplate = !chatTemplate.empty();
    for (const char* name : kFolderFiles) {
        const std::string_view n = name;
        if (replaceTemplate && (n == "tokenizer_config.json" || n == "chat_template.jinja" || n == "chat_template.json"))
            continue;
        if (fs::is_regular_file(baseModelDir / name)) copyOrThrow(baseModelDir / name, tmp / name, fs::copy_options::none);
    }
    if (!replaceTemplate) return;
    const fs::path baseConfig = baseModelDir / "tokenizer_config.json";
    nlohmann::json config = fs::is_regular_file(baseConfig) ? readJsonFile(baseConfig) : nlohmann::json::object();
    if (!config.is_object()) throw Error(ErrorCode::InvalidValue, baseConfig.string(), "is not a JSON object");
    config["chat_template"] = chatTemplate;
    writeFileAtomic(tmp / "tokenizer_config.json", config.dump(2) + "\n");
    writeFileAtomic(tmp / "chat_template.jinja", chatTemplate);
}

} // namespace

void writeMergedModel(const fs::path& baseModelDir, const fs::path& peftAdapterDir, const fs::path& outDir,
                      const MergeOptions& options) {
    checkOutputFolder(outDir, "config.json", {baseModelDir, peftAdapterDir});
    if (!fs::exists(baseModelDir / "config.json"))
        throw Error(ErrorCode::FileNotFound, (baseModelDir / "config.json").string(), "the base model folder has no config.json");
    if (options.qlora) {  // fail on a bad setting before anything is written
        computeDtypeNamed(options.qlora->computeDtype, "qlora.compute_dtype");
        fourBitTypeNamed(options.qlora->quantType, "qlora.quant_type");
        checkBlocksize(options.qlora->blocksize, "qlora.blocksize");
    }
    const BaseCheckpoint base = openBaseCheckpoint(baseModelDir);
    const AdapterForBase adapter = readAdapterForBase(peftAdapterDir, base);
    std::map<std::string, const LoraPair*> merges;
    for (const auto& p : adapter.pairs) merges.emplace(p.baseTensor, &p);
    const std::map<std::string, torch::Tensor> biases(adapter.biases.begin(), adapter.biases.end());
    const double scaling = adapter.config.scaling();

    const auto shards = planShards(base, options.maxShardBytes);
    int64_t total = 0, done = 0;
    for (const auto& s : shards) total += int64_t(s.tensors.size());
    torch::NoGradGuard noGrad;
    writeDirAtomic(outDir, [&](const fs::path& tmp) {
        copyFolderFiles(baseModelDir, tmp, options.chatTemplate);
        for (const auto& s : shards) {
            fs::create_directories((tmp / s.name).parent_path());
            writeShard(tmp / s.name, s, base, merges, biases, scaling, options, done, total);
        }
        if (shards.size() > 1 || base.sharded) writeIndex(tmp / "model.safetensors.index.json", shards);
    });
}

void writeFullModel(const fs::path& baseModelDir, const fs::path& trainedFile, const fs::path& outDir,
                    const MergeOptions& options) {
    checkOutputFolder(outDir, "config.json", {baseModelDir, trainedFile.parent_path()});
    if (!fs::exists(baseModelDir / "config.json"))
        throw Error(ErrorCode::FileNotFound, (baseModelDir / "config.json").string(), "the base model folder has no config.json");
    const BaseCheckpoint base = openBaseCheckpoint(baseModelDir);
    const bool plusOneNorms = loadModelConfig(baseModelDir / "config.json").spec().norm == NormKind::RmsPlusOne;
    const SafetensorsFile trained = SafetensorsFile::open(trainedFile);
    std::map<std::string, torch::Tensor> replaced;
    torch::NoGradGuard noGrad;
    for (const auto& e : trained.entries()) {
        const auto it = base.byName.find(e.name);
        if (it == base.byName.end())
            throw Error(ErrorCode::InvalidValue, trainedFile.string() + ": " + e.name,
                        "the base model " + baseModelDir.string() + " has no such tensor; export with the model it was trained from");
        if (it->second.second->shape != e.shape)
            throw Error(ErrorCode::InvalidValue, trainedFile.string() + ": " + e.name,
                        "its shape differs from the base model's; export with the model it was trained from");
        torch::Tensor t = trained.tensor(e.name);
        // Our Gemma norms hold 1 + w in fp32 (as transformers computes them); the checkpoint stores w.
        if (plusOneNorms && e.name.ends_with("norm.weight")) t = t.to(torch::kFloat32) - 1.0;
        replaced.emplace(e.name, t);
    }
    const auto shards = planShards(base, options.maxShardBytes);
    int64_t total = 0, done = 0;
    for (const auto& s : shards) total += int64_t(s.tensors.size());
    MergeOptions copyOnly;  // the trained tensors go in as they are: no 4-bit round trip
    copyOnly.progress = options.progress;
    writeDirAtomic(outDir, [&](const fs::path& tmp) {
        copyFolderFiles(baseModelDir, tmp, options.chatTemplate);
        for (const auto& s : shards) {
            fs::create_directories((tmp / s.name).parent_path());
            writeShard(tmp / s.name, s, base, {}, replaced, 1.0, copyOnly, done, total);
        }
        if (shards.size() > 1 || base.sharded) writeIndex(tmp / "model.safetensors.index.json", shards);
    });
}

void copyPeftAdapter(const fs::path& peftAdapterDir, const fs::path& outDir) {
    checkOutputFolder(outDir, "adapter_config.json", {peftAdapterDir});
    // A readable LoRA adapter, or a clear error before anything is written; other methods' folders (prompt
    // learning, bottleneck adapters) need their adapter_config.json.
    if (readJsonFile(peftAdapterDir / "adapter_config.json").value("peft_type", "") == "LORA") readPeftAdapter(peftAdapterDir);
    writeDirAtomic(outDir, [&](const fs::path& tmp) {
        copyOrThrow(peftAdapterDir, tmp, fs::copy_options::recursive | fs::copy_options::overwrite_existing);
    });
}

} // namespace ft
