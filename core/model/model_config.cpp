#include "core/model/model_config.h"

#include "core/common/error.h"
#include "core/io/atomic_file.h"
#include "core/io/json_error.h"

#include <cmath>
#include <type_traits>
#include <nlohmann/json.hpp>

namespace ft {

namespace {

using Json = nlohmann::json;

// Sizes past this are not a model we could load; refusing them keeps per-layer tables small.
constexpr int kMaxLayers = 1 << 16;

// An int from a JSON integer (or a float with an integral value, as some exporters write 4096.0), range-checked:
// nlohmann's get<int>() truncates silently and converting an out-of-range float is undefined behaviour.
int toInt(const Json& v, const std::string& at) {
    double d = 0;
    if (v.is_number_integer())
        d = v.is_number_unsigned() ? double(v.get<uint64_t>()) : double(v.get<int64_t>());
    else if (v.is_number_float() && std::isfinite(v.get<double>()) && std::trunc(v.get<double>()) == v.get<double>())
        d = v.get<double>();
    else
        throw Error(ErrorCode::InvalidValue, at, "expected an integer, found " + v.dump());
    if (d < -2147483648.0 || d > 2147483647.0) throw Error(ErrorCode::InvalidValue, at, "integer out of range: " + v.dump());
    return int(d);
}

template <typename T>
T field(const Json& j, const char* key, const std::string& where, T fallback, bool required = false) {
    if (!j.contains(key) || j[key].is_null()) {
        if (required) throw Error(ErrorCode::MissingField, where + ": " + key, "");
        return fallback;
    }
    if constexpr (std::is_same_v<T, int>) {
        return toInt(j[key], where + ": " + key);
    } else {
        try {
            return j[key].get<T>();
        } catch (const Json::exception&) {
            throw Error(ErrorCode::InvalidValue, where + ": " + key, "unexpected value " + j[key].dump());
        }
    }
}

std::string stringAt(const Json& v, const std::string& at) {
    if (!v.is_string()) throw Error(ErrorCode::InvalidValue, at, "expected a string, found " + v.dump());
    return v.get<std::string>();
}

// One RoPE description: {"rope_type"|"type", "rope_theta"?, "factor", ...}.
RopeSpec parseRope(const Json& j, RopeSpec base, const std::string& where) {
    base.type = field<std::string>(j, "rope_type", where, field<std::string>(j, "type", where, base.type));
    base.theta = field<double>(j, "rope_theta", where, base.theta);
    base.factor = field<double>(j, "factor", where, base.factor);
    base.lowFreqFactor = field<double>(j, "low_freq_factor", where, base.lowFreqFactor);
    base.highFreqFactor = field<double>(j, "high_freq_factor", where, base.highFreqFactor);
    base.originalMaxPositions = field<int>(j, "original_max_position_embeddings", where, base.originalMaxPositions);
    if (base.type != "default" && base.type != "linear" && base.type != "llama3")
        throw Error(ErrorCode::Unsupported, where, "RoPE type '" + base.type + "' is not supported yet (default, linear, llama3 are)");
    return base;
}

void parseRopeSettings(const Json& j, ModelConfig& c, const std::string& where) {
    RopeSpec global;
    global.theta = field<double>(j, "rope_theta", where, 10000.0);
    RopeSpec local = global;
    local.theta = field<double>(j, "rope_local_base_freq", where, global.theta);
    if (j.contains("rope_scaling") && j["rope_scaling"].is_object())  // transformers 4.x: global layers only
        global = parseRope(j["rope_scaling"], global, where + ": rope_scaling");
    if (j.contains("rope_parameters") && j["rope_parameters"].is_object()) {  // transformers 5.x
        const Json& rp = j["rope_parameters"];
        if (rp.contains("full_attention") || rp.contains("sliding_attention")) {  // keyed by layer type
            if (rp.contains("full_attention"))
                global = parseRope(rp["full_attention"], global, where + ": rope_parameters.full_attention");
            if (rp.contains("sliding_attention"))
                local = parseRope(rp["sliding_attention"], local, where + ": rope_parameters.sliding_attention");
        } else {
            global = parseRope(rp, global, where + ": rope_parameters");
            if (!j.contains("rope_local_base_freq")) local = global;
        }
    }
    c.rope = global;
    c.ropeLocal = local;
}

void parseLayerTypes(const Json& j, ModelConfig& c, const std::string& where) {
    c.slidingWindow = field<int>(j, "sliding_window", where, 0);
    c.slidingLayers.assign(size_t(c.numLayers), false);
    if (j.contains("layer_types") && j["layer_types"].is_array()) {
        const auto& types = j["layer_types"];
        if (int(types.size()) != c.numLayers)
            throw Error(ErrorCode::InvalidValue, where + ": layer_types", "has " + std::to_string(types.size()) +
                                                                             " entries for " + std::to_string(c.numLayers) + " layers");
        for (int i = 0; i < c.numLayers; ++i) {
            const std::string t = stringAt(types[size_t(i)], where + ": layer_types[" + std::to_string(i) + "]");
            if (t != "full_attention" && t != "sliding_attention")
                throw Error(ErrorCode::Unsupported, where + ": layer_types[" + std::to_string(i) + "]", "'" + t + "'");
            c.slidingLayers[size_t(i)] = t == "sliding_attention";
        }
    } else if (c.modelType == "gemma2") {
        for (int i = 0; i < c.numLayers; ++i) c.slidingLayers[size_t(i)] = i % 2 == 0;
    } else if (c.modelType == "gemma3_text") {
        const int pattern = field<int>(j, "sliding_window_pattern", where, 6);
        if (pattern <= 0) throw Error(ErrorCode::InvalidValue, where + ": sliding_window_pattern", "must be positive");
        for (int i = 0; i < c.numLayers; ++i) c.slidingLayers[size_t(i)] = (i + 1) % pattern != 0;
    } else if (c.spec().slidingByDefault) {
        for (int i = 0; i < c.numLayers; ++i) c.slidingLayers[size_t(i)] = c.slidingWindow > 0;
    } else if (field<bool>(j, "use_sliding_window", where, false)) {
        throw Error(ErrorCode::Unsupported, where + ": use_sliding_window", "without layer_types is not supported yet");
    }
    if (c.slidingWindow <= 0) c.slidingLayers.assign(size_t(c.numLayers), false);
}

} // namespace

double ModelConfig::attentionScale() const {
    return 1.0 / std::sqrt(queryPreAttnScalar > 0 ? queryPreAttnScalar : double(headDim));
}

int64_t ModelConfig::parameterCount() const {
    const int64_t h = hiddenSize, q = int64_t(numHeads) * headDim, kv = int64_t(numKvHeads) * headDim;
    int64_t perLayer = h * q + 2 * h * kv + q * h + 3 * h * intermediateSize + 2 * h;
    if (qkvBias()) perLayer += q + 2 * kv;
    if (attentionBias) perLayer += h;
    if (mlpBias) perLayer += 2 * int64_t(intermediateSize) + h;
    if (arch && arch->qkNorm) perLayer += 2 * headDim;
    if (arch && arch->sandwichNorms) perLayer += 2 * h;
    int64_t total = perLayer * numLayers + int64_t(vocabSize) * h + h;
    if (!tieWordEmbeddings) total += int64_t(vocabSize) * h;
    return total;
}

ModelConfig parseModelConfig(const std::string& text, const std::string& where) {
    Json j;
    try {
        j = Json::parse(text);
    } catch (const Json::exception& e) {  // parse_error, and out_of_range for 1e999
        throw Error(ErrorCode::ParseError, where, describeJsonError(e));
    }
    if (!j.is_object()) throw Error(ErrorCode::ParseError, where, "config is not a JSON object");
    ModelConfig c;
    c.modelType = field<std::string>(j, "model_type", where, "llama");
    c.arch = findArch(c.modelType);
    if (!c.arch)
        throw Error(ErrorCode::Unsupported, where + ": model_type",
                    "model type '" + c.modelType + "' is not supported (llama, mistral, qwen2, qwen3, gemma, gemma2, gemma3_text are)");
    c.architecture = std::string(c.arch->architecture);
    if (j.contains("architectures") && j["architectures"].is_array() && !j["architectures"].empty())
        c.architecture = stringAt(j["architectures"][0], where + ": architectures[0]");
    c.vocabSize = field<int>(j, "vocab_size", where, 0, true);
    c.hiddenSize = field<int>(j, "hidden_size", where, 0, true);
    c.intermediateSize = field<int>(j, "intermediate_size", where, 0, true);
    c.numLayers = field<int>(j, "num_hidden_layers", where, 0, true);
    c.numHeads = field<int>(j, "num_attention_heads", where, 0, true);
    c.numKvHeads = field<int>(j, "num_key_value_heads", where, c.numHeads);
    if (c.numHeads <= 0 || c.hiddenSize <= 0 || c.numLayers <= 0 || c.vocabSize <= 0 || c.intermediateSize <= 0)
        throw Error(ErrorCode::InvalidValue, where, "sizes must be positive");
    if (c.numLayers > kMaxLayers)
        throw Error(ErrorCode::InvalidValue, where + ": num_hidden_layers", std::to_string(c.numLayers) + " is more than " +
                                                                               std::to_string(kMaxLayers));
    c.headDim = field<int>(j, "head_dim", where, c.hiddenSize / c.numHeads);
    if (c.headDim <= 0 || c.headDim % 2 != 0) throw Error(ErrorCode::InvalidValue, where + ": head_dim", "must be even and positive");
    if (c.numKvHeads <= 0 || c.numHeads % c.numKvHeads != 0)
        throw Error(ErrorCode::InvalidValue, where + ": num_key_value_heads",
                    "must divide num_attention_heads (" + std::to_string(c.numHeads) + ")");
    c.maxPositions = field<int>(j, "max_position_embeddings", where, 2048);
    c.rmsNormEps = field<double>(j, "rms_norm_eps", where, 1e-6);
    parseRopeSettings(j, c, where);
    parseLayerTypes(j, c, where);
    c.attnSoftcap = field<double>(j, "attn_logit_softcapping", where, 0.0);
    c.finalSoftcap = field<double>(j, "final_logit_softcapping", where, 0.0);
    c.queryPreAttnScalar = field<double>(j, "query_pre_attn_scalar", where, 0.0);
    c.tieWordEmbeddings = field<bool>(j, "tie_word_embeddings", where, c.spec().tieByDefault);
    c.attentionBias = field<bool>(j, "attention_bias", where, false);
    c.mlpBias = field<bool>(j, "mlp_bias", where, false);
    c.hiddenAct = field<std::string>(j, "hidden_activation", where, field<std::string>(j, "hidden_act", where, "silu"));
    if (c.spec().act == Activation::Silu && c.hiddenAct != "silu")
        throw Error(ErrorCode::Unsupported, where + ": hidden_act", "activation '" + c.hiddenAct + "' is not supported for " + c.modelType);
    c.torchDtype = field<std::string>(j, "torch_dtype", where, field<std::string>(j, "dtype", where, "float32"));
    c.bosTokenId = field<int>(j, "bos_token_id", where, -1);
    c.padTokenId = field<int>(j, "pad_token_id", where, -1);
    if (j.contains("eos_token_id")) {
        const auto& e = j["eos_token_id"];
        if (e.is_array())
            for (const auto& id : e) c.eosTokenIds.push_back(toInt(id, where + ": eos_token_id"));
        else if (e.is_number_integer())
            c.eosTokenIds.push_back(toInt(e, where + ": eos_token_id"));
    }
    return c;
}

ModelConfig loadModelConfig(const std::filesystem::path& configJson) {
    return parseModelConfig(readFile(configJson), configJson.string());
}

std::string modelConfigToJson(const ModelConfig& c) {
    nlohmann::ordered_json j;
    j["architectures"] = {c.architecture.empty() ? std::string(c.spec().architecture) : c.architecture};
    j["attention_bias"] = c.attentionBias;
    j["attention_dropout"] = 0.0;
    j["bos_token_id"] = c.bosTokenId;
    if (c.eosTokenIds.size() == 1)
        j["eos_token_id"] = c.eosTokenIds[0];
    else
        j["eos_token_id"] = c.eosTokenIds;
    j["head_dim"] = c.headDim;
    j["hidden_act"] = c.hiddenAct;
    j["hidden_size"] = c.hiddenSize;
    j["initializer_range"] = 0.02;
    j["intermediate_size"] = c.intermediateSize;
    j["max_position_embeddings"] = c.maxPositions;
    j["mlp_bias"] = c.mlpBias;
    j["model_type"] = c.modelType;
    j["num_attention_heads"] = c.numHeads;
    j["num_hidden_layers"] = c.numLayers;
    j["num_key_value_heads"] = c.numKvHeads;
    if (c.padTokenId >= 0) j["pad_token_id"] = c.padTokenId;
    j["rms_norm_eps"] = c.rmsNormEps;
    if (c.rope.type == "default") {
        j["rope_scaling"] = nullptr;
    } else {
        j["rope_scaling"] = {{"rope_type", c.rope.type}, {"factor", c.rope.factor}};
        if (c.rope.type == "llama3") {
            j["rope_scaling"]["low_freq_factor"] = c.rope.lowFreqFactor;
            j["rope_scaling"]["high_freq_factor"] = c.rope.highFreqFactor;
            j["rope_scaling"]["original_max_position_embeddings"] = c.rope.originalMaxPositions;
        }
    }
    j["rope_theta"] = c.rope.theta;
    j["tie_word_embeddings"] = c.tieWordEmbeddings;
    j["torch_dtype"] = c.torchDtype;
    j["use_cache"] = true;
    j["vocab_size"] = c.vocabSize;
    return j.dump(2) + "\n";
}

} // namespace ft
