#include "core/project/project.h"

#include "core/common/error.h"
#include "core/data/dataset.h"
#include "core/io/atomic_file.h"
#include "core/io/json_error.h"
#include "core/peft/method_spec.h"

#include <nlohmann/json.hpp>

#include <cmath>
#include <limits>
#include <type_traits>

namespace ft {

std::filesystem::path Project::resolve(const std::string& path) const {
    const std::filesystem::path p(path);
    if (p.is_absolute() || file.empty()) return p;
    return file.parent_path() / p;
}

namespace {

bool isDtypeName(const std::string& s) { return s == "float32" || s == "bfloat16" || s == "float16"; }

// Whether a JSON number fits the integer type T (anything else is left to get<T>(), which refuses it): nlohmann's
// get<int>() wraps an integer silently, and converting an out-of-range float is undefined behaviour.
template <typename T>
bool fitsInteger(const nlohmann::json& v) {
    using L = std::numeric_limits<T>;
    if (v.is_number_unsigned()) return v.get<uint64_t>() <= uint64_t(L::max());
    if (v.is_number_integer()) {
        const int64_t i = v.get<int64_t>();
        return i < 0 ? i >= int64_t(L::min()) : uint64_t(i) <= uint64_t(L::max());
    }
    if (v.is_number_float()) {
        const double d = std::trunc(v.get<double>());
        return d >= double(L::min()) && d < double(L::max()) + 1.0;  // false for NaN
    }
    return true;
}

struct Reader {
    const nlohmann::json& j;
    std::string where;

    template <typename T>
    void get(const char* key, T& out) const {
        if (!j.contains(key) || j[key].is_null()) return;
        if constexpr (std::is_integral_v<T> && !std::is_same_v<T, bool>)
            if (!fitsInteger<T>(j[key])) throw Error(ErrorCode::InvalidValue, where + "." + key, "out of range: " + j[key].dump());
        try {
            out = j[key].get<T>();
        } catch (const nlohmann::json::exception&) {
            throw Error(ErrorCode::InvalidValue, where + "." + key, "unexpected value " + j[key].dump());
        }
    }
    Reader sub(const char* key) const {
        static const nlohmann::json empty = nlohmann::json::object();
        if (!j.contains(key)) return {empty, where + "." + key};
        if (!j[key].is_object()) throw Error(ErrorCode::InvalidValue, where + "." + key, "expected an object");
        return {j[key], where + "." + key};
    }
};

// Where training writes. A relative path stays inside the project's folder: "../x" (or "a/../../x") is refused, so
// a project file someone sent cannot make the app write elsewhere. An absolute path is taken as the user's choice
// (the app writes one when the user picks a folder).
void checkOutputFolder(const std::string& output, const std::string& where) {
    if (output.empty()) throw Error(ErrorCode::InvalidValue, where, "is empty; name a folder");
    const std::filesystem::path p(output);
    if (p.is_absolute()) return;
    if (p.has_root_name() || p.has_root_directory())
        throw Error(ErrorCode::InvalidValue, where, "'" + output + "' is neither relative nor absolute");
    const std::filesystem::path normal = p.lexically_normal();
    if (!normal.empty() && *normal.begin() == "..")
        throw Error(ErrorCode::InvalidValue, where,
                    "'" + output + "' leaves the project's folder; use a folder inside it or an absolute path");
}

} // namespace

const char* finetuneKindName(FinetuneKind kind) {
    switch (kind) {
    case FinetuneKind::Base: return "base";
    case FinetuneKind::Preference: return "preference";
    case FinetuneKind::Instruct: break;
    }
    return "instruct";
}

std::optional<FinetuneKind> finetuneKindFromName(const std::string& name) {
    for (const FinetuneKind k : {FinetuneKind::Instruct, FinetuneKind::Base, FinetuneKind::Preference})
        if (name == finetuneKindName(k)) return k;
    return std::nullopt;
}

Project parseProject(const std::string& text, const std::filesystem::path& file) {
    nlohmann::json j;
    try {
        j = nlohmann::json::parse(text);
    } catch (const nlohmann::json::exception& e) {  // parse_error, and out_of_range for 1e999
        throw Error(ErrorCode::ParseError, file.string(), describeJsonError(e));
    }
    if (!j.is_object()) throw Error(ErrorCode::ParseError, file.string(), "expected a JSON object");
    const std::string where = file.string();
    // Compared as JSON values: value<T>() would throw nlohmann's type_error for {"version": "1"}.
    if (const auto format = j.find("format"); format == j.end() || *format != "finetune-studio-project")
        throw Error(ErrorCode::InvalidValue, where + ": format", "not a Finetune Studio project file");
    if (const auto version = j.find("version"); version == j.end() || *version != kProjectFormatVersion)
        throw Error(ErrorCode::Unsupported, where + ": version",
                    "version " + (version == j.end() ? std::string("0") : version->dump()) + "; this build reads version " +
                        std::to_string(kProjectFormatVersion));
    Project p;
    p.file = file;
    Reader r{j, where + ": "};
    r.get("name", p.name);
    r.get("model", p.model);
    r.get("dataset", p.dataset);
    r.get("dataset_format", p.datasetFormat);
    r.get("dataset_columns", p.datasetColumns);
    r.get("chat_template", p.chatTemplate);
    if (!p.datasetFormat.empty() && !datasetFormatFromName(p.datasetFormat))
        throw Error(ErrorCode::InvalidValue, where + ": dataset_format",
                    "'" + p.datasetFormat + "'; use messages, sharegpt, alpaca, prompt_response, text, plain_text, "
                    "preference or unpaired");
    r.get("output", p.output);
    checkOutputFolder(p.output, where + ": output");
    r.get("method", p.method);
    std::string kind = "instruct";
    r.get("kind", kind);
    if (!finetuneKindFromName(kind))
        throw Error(ErrorCode::InvalidValue, where + ": kind", "'" + kind + "'; use instruct, base or preference");
    p.kind = *finetuneKindFromName(kind);
    if (!findMethod(p.method))
        throw Error(ErrorCode::InvalidValue, where + ": method", "'" + p.method + "'; use " + methodNameList());
    // "model" and "dataset" may be missing or empty: a new project is saved before it names them. Training refuses
    // such a project (core/train/training_run.cpp), not loading.

    const Reader l = r.sub("lora");
    l.get("r", p.lora.r);
    l.get("lora_alpha", p.lora.alpha);
    l.get("lora_dropout", p.lora.dropout);
    l.get("target_modules", p.lora.targetModules);
    l.get("bias", p.lora.bias);
    l.get("use_rslora", p.lora.useRslora);

    const Reader ql = r.sub("qlora");
    ql.get("quant_type", p.qlora.quantType);
    ql.get("blocksize", p.qlora.blocksize);
    ql.get("double_quant", p.qlora.doubleQuant);
    ql.get("compute_dtype", p.qlora.computeDtype);
    if (p.qlora.quantType != "nf4" && p.qlora.quantType != "fp4")
        throw Error(ErrorCode::InvalidValue, where + ": qlora.quant_type", "'" + p.qlora.quantType + "'; use nf4 or fp4");
    if (p.qlora.blocksize < 32 || p.qlora.blocksize > 4096 || (p.qlora.blocksize & (p.qlora.blocksize - 1)))
        throw Error(ErrorCode::InvalidValue, where + ": qlora.blocksize", "must be a power of two from 32 to 4096");
    if (!isDtypeName(p.qlora.computeDtype))
        throw Error(ErrorCode::InvalidValue, where + ": qlora.compute_dtype",
                    "'" + p.qlora.computeDtype + "'; use float32, bfloat16 or float16");

    const Reader pl = r.sub("prompt_learning");
    auto& pc = p.promptLearning;
    pl.get("num_virtual_tokens", pc.numVirtualTokens);
    pl.get("init", pc.init);
    pl.get("init_text", pc.initText);
    pl.get("encoder_type", pc.encoderType);
    pl.get("encoder_hidden_size", pc.encoderHiddenSize);
    pl.get("prefix_projection", pc.prefixProjection);
    if (pc.numVirtualTokens < 1)
        throw Error(ErrorCode::InvalidValue, where + ": prompt_learning.num_virtual_tokens", "must be at least 1");
    if (pc.init != "random" && pc.init != "text")
        throw Error(ErrorCode::InvalidValue, where + ": prompt_learning.init", "'" + pc.init + "'; use random or text");
    if (pc.init == "text" && pc.initText.empty())
        throw Error(ErrorCode::MissingField, where + ": prompt_learning.init_text", "init \"text\" needs the text");
    if (pc.encoderType != "MLP" && pc.encoderType != "LSTM")
        throw Error(ErrorCode::InvalidValue, where + ": prompt_learning.encoder_type", "'" + pc.encoderType + "'; use MLP or LSTM");
    if (pc.encoderHiddenSize < 0)
        throw Error(ErrorCode::InvalidValue, where + ": prompt_learning.encoder_hidden_size", "must be positive (0: the model's hidden size)");

    const Reader ad = r.sub("adapter");
    ad.get("bottleneck", p.adapter.bottleneck);
    ad.get("activation", p.adapter.activation);
    if (p.adapter.bottleneck < 1) throw Error(ErrorCode::InvalidValue, where + ": adapter.bottleneck", "must be at least 1");
    if (p.adapter.activation != "relu" && p.adapter.activation != "gelu" && p.adapter.activation != "silu" && p.adapter.activation != "tanh")
        throw Error(ErrorCode::InvalidValue, where + ": adapter.activation", "'" + p.adapter.activation + "'; use relu, gelu, silu or tanh");

    const Reader pr = r.sub("preference");
    auto& pf = p.preference;
    pr.get("loss", pf.loss);
    pr.get("beta", pf.beta);
    pr.get("label_smoothing", pf.labelSmoothing);
    pr.get("desirable_weight", pf.desirableWeight);
    pr.get("undesirable_weight", pf.undesirableWeight);
    pr.get("max_prompt_length", pf.maxPromptLength);
    checkPreferenceConfig(pf, where + ": preference");

    const Reader t = r.sub("training");
    auto& c = p.training;
    t.get("epochs", c.epochs);
    t.get("max_steps", c.maxSteps);
    t.get("batch_size", c.batchSize);
    t.get("gradient_accumulation_steps", c.gradientAccumulation);
    t.get("learning_rate", c.learningRate);
    t.get("weight_decay", c.weightDecay);
    t.get("lr_scheduler", c.scheduler);
    t.get("warmup_steps", c.warmupSteps);
    t.get("max_grad_norm", c.maxGradNorm);
    t.get("max_seq_length", c.maxSeqLength);
    t.get("block_size", c.blockSize);
    t.get("train_on_prompt", c.trainOnPrompt);
    t.get("packing", c.packing);
    t.get("validation_fraction", c.validationFraction);
    t.get("eval_every", c.evalEvery);
    t.get("seed", c.seed);
    t.get("device", c.device);
    t.get("processes", c.processes);
    t.get("dtype", c.dtype);
    t.get("gradient_checkpointing", c.gradientCheckpointing);
    t.get("mixed_precision", c.mixedPrecision);
    t.get("checkpoint_every", c.checkpointEvery);
    t.get("keep_checkpoints", c.keepCheckpoints);
    if (!isDtypeName(c.dtype))
        throw Error(ErrorCode::InvalidValue, where + ": training.dtype", "'" + c.dtype + "'; use float32, bfloat16 or float16");
    if (c.mixedPrecision != "no" && c.mixedPrecision != "bf16")
        throw Error(ErrorCode::InvalidValue, where + ": training.mixed_precision", "'" + c.mixedPrecision + "'; use no or bf16");
    if (c.mixedPrecision == "bf16" && c.dtype != "float32")
        throw Error(ErrorCode::InvalidValue, where + ": training.mixed_precision",
                    "bf16 autocast keeps float32 weights; set training.dtype to float32 (now " + c.dtype +
                        "), or set mixed_precision to no to train in " + c.dtype + " throughout");
    if (c.checkpointEvery < 0) throw Error(ErrorCode::InvalidValue, where + ": training.checkpoint_every", "must be 0 or more");
    if (c.keepCheckpoints < 0) throw Error(ErrorCode::InvalidValue, where + ": training.keep_checkpoints", "must be 0 or more");
    if (c.batchSize < 1) throw Error(ErrorCode::InvalidValue, where + ": training.batch_size", "must be at least 1");
    if (c.processes < 1 || c.processes > 1024)
        throw Error(ErrorCode::InvalidValue, where + ": training.processes",
                    std::to_string(c.processes) + "; use 1 (one process) up to 1024 local processes");
    if (c.gradientAccumulation < 1)
        throw Error(ErrorCode::InvalidValue, where + ": training.gradient_accumulation_steps", "must be at least 1");
    if (c.learningRate <= 0) throw Error(ErrorCode::InvalidValue, where + ": training.learning_rate", "must be positive");
    if (c.scheduler != "cosine" && c.scheduler != "linear" && c.scheduler != "constant")
        throw Error(ErrorCode::InvalidValue, where + ": training.lr_scheduler", "'" + c.scheduler + "'; use cosine, linear or constant");
    if (c.validationFraction < 0 || c.validationFraction >= 1)
        throw Error(ErrorCode::InvalidValue, where + ": training.validation_fraction", "must be in [0, 1)");
    if (c.device != "auto" && c.device != "cpu" && c.device != "cuda")
        throw Error(ErrorCode::InvalidValue, where + ": training.device", "'" + c.device + "'; use auto, cpu or cuda");
    return p;
}

Project loadProject(const std::filesystem::path& file) {
    return parseProject(readFile(file), file);
}

std::string projectToJson(const Project& p) {
    nlohmann::ordered_json j;
    j["format"] = "finetune-studio-project";
    j["version"] = kProjectFormatVersion;
    j["name"] = p.name;
    j["kind"] = finetuneKindName(p.kind);
    j["model"] = p.model;
    j["dataset"] = p.dataset;
    if (!p.datasetFormat.empty()) j["dataset_format"] = p.datasetFormat;
    if (!p.datasetColumns.empty()) j["dataset_columns"] = p.datasetColumns;
    if (!p.chatTemplate.empty()) j["chat_template"] = p.chatTemplate;
    j["method"] = p.method;
    j["lora"] = {{"r", p.lora.r},
                 {"lora_alpha", p.lora.alpha},
                 {"lora_dropout", p.lora.dropout},
                 {"target_modules", p.lora.targetModules},
                 {"bias", p.lora.bias},
                 {"use_rslora", p.lora.useRslora}};
    j["qlora"] = {{"quant_type", p.qlora.quantType},
                  {"blocksize", p.qlora.blocksize},
                  {"double_quant", p.qlora.doubleQuant},
                  {"compute_dtype", p.qlora.computeDtype}};
    const auto& pc = p.promptLearning;
    j["prompt_learning"] = {{"num_virtual_tokens", pc.numVirtualTokens},
                            {"init", pc.init},
                            {"init_text", pc.initText},
                            {"encoder_type", pc.encoderType},
                            {"encoder_hidden_size", pc.encoderHiddenSize},
                            {"prefix_projection", pc.prefixProjection}};
    j["adapter"] = {{"bottleneck", p.adapter.bottleneck}, {"activation", p.adapter.activation}};
    if (p.kind == FinetuneKind::Preference) {
        const auto& pf = p.preference;
        j["preference"] = {{"loss", pf.loss},
                           {"beta", pf.beta},
                           {"label_smoothing", pf.labelSmoothing},
                           {"desirable_weight", pf.desirableWeight},
                           {"undesirable_weight", pf.undesirableWeight},
                           {"max_prompt_length", pf.maxPromptLength}};
    }
    const auto& c = p.training;
    j["training"] = {{"epochs", c.epochs},
                     {"max_steps", c.maxSteps},
                     {"batch_size", c.batchSize},
                     {"gradient_accumulation_steps", c.gradientAccumulation},
                     {"learning_rate", c.learningRate},
                     {"weight_decay", c.weightDecay},
                     {"lr_scheduler", c.scheduler},
                     {"warmup_steps", c.warmupSteps},
                     {"max_grad_norm", c.maxGradNorm},
                     {"max_seq_length", c.maxSeqLength},
                     {"block_size", c.blockSize},
                     {"train_on_prompt", c.trainOnPrompt},
                     {"packing", c.packing},
                     {"validation_fraction", c.validationFraction},
                     {"eval_every", c.evalEvery},
                     {"seed", c.seed},
                     {"device", c.device},
                     {"dtype", c.dtype},
                     {"gradient_checkpointing", c.gradientCheckpointing},
                     {"mixed_precision", c.mixedPrecision},
                     {"checkpoint_every", c.checkpointEvery},
                     {"keep_checkpoints", c.keepCheckpoints}};
    if (c.processes != 1) j["training"]["processes"] = c.processes;  // files of one-process projects stay as they were
    j["output"] = p.output;
    return j.dump(2) + "\n";
}

void saveProject(const Project& project, const std::filesystem::path& file) {
    writeFileAtomic(file, projectToJson(project));
}

} // namespace ft
