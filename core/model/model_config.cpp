#include "core/model/model_config.h"

#include "core/common/error.h"
#include "core/io/atomic_file.h"

#include <nlohmann/json.hpp>

namespace ft {

namespace {

template <typename T>
T field(const nlohmann::json& j, const char* key, const std::string& where, T fallback, bool required = false) {
    if (!j.contains(key) || j[key].is_null()) {
        if (required) throw Error(ErrorCode::MissingField, where + ": " + key, "");
        return fallback;
    }
    try {
        return j[key].get<T>();
    } catch (const nlohmann::json::exception&) {
        throw Error(ErrorCode::InvalidValue, where + ": " + key, "unexpected type: " + j[key].dump());
    }
}

} // namespace

int64_t ModelConfig::parameterCount() const {
    const int64_t h = hiddenSize, q = int64_t(numHeads) * headDim, kv = int64_t(numKvHeads) * headDim;
    int64_t perLayer = h * q + 2 * h * kv + q * h + 3 * h * intermediateSize + 2 * h;
    if (attentionBias) perLayer += q + 2 * kv;
    int64_t total = perLayer * numLayers + int64_t(vocabSize) * h + h;
    if (!tieWordEmbeddings) total += int64_t(vocabSize) * h;
    return total;
}

ModelConfig parseModelConfig(const std::string& text, const std::string& where) {
    nlohmann::json j;
    try {
        j = nlohmann::json::parse(text);
    } catch (const nlohmann::json::parse_error& e) {
        throw Error(ErrorCode::ParseError, where, e.what());
    }
    if (!j.is_object()) throw Error(ErrorCode::ParseError, where, "config is not a JSON object");
    ModelConfig c;
    c.modelType = field<std::string>(j, "model_type", where, "llama");
    if (j.contains("architectures") && j["architectures"].is_array() && !j["architectures"].empty())
        c.architecture = j["architectures"][0].get<std::string>();
    c.vocabSize = field<int>(j, "vocab_size", where, 0, true);
    c.hiddenSize = field<int>(j, "hidden_size", where, 0, true);
    c.intermediateSize = field<int>(j, "intermediate_size", where, 0, true);
    c.numLayers = field<int>(j, "num_hidden_layers", where, 0, true);
    c.numHeads = field<int>(j, "num_attention_heads", where, 0, true);
    c.numKvHeads = field<int>(j, "num_key_value_heads", where, c.numHeads);
    if (c.numHeads <= 0 || c.hiddenSize <= 0 || c.numLayers <= 0 || c.vocabSize <= 0 || c.intermediateSize <= 0)
        throw Error(ErrorCode::InvalidValue, where, "sizes must be positive");
    c.headDim = field<int>(j, "head_dim", where, c.hiddenSize / c.numHeads);
    if (c.numKvHeads <= 0 || c.numHeads % c.numKvHeads != 0)
        throw Error(ErrorCode::InvalidValue, where + ": num_key_value_heads",
                    "must divide num_attention_heads (" + std::to_string(c.numHeads) + ")");
    c.maxPositions = field<int>(j, "max_position_embeddings", where, 2048);
    c.rmsNormEps = field<double>(j, "rms_norm_eps", where, 1e-6);
    c.ropeTheta = field<double>(j, "rope_theta", where, 10000.0);
    if (j.contains("rope_parameters") && j["rope_parameters"].is_object())
        c.ropeTheta = field<double>(j["rope_parameters"], "rope_theta", where + ": rope_parameters", c.ropeTheta);
    const auto* scaling = j.contains("rope_scaling") && j["rope_scaling"].is_object() ? &j["rope_scaling"] : nullptr;
    if (scaling) {
        const std::string type = field<std::string>(*scaling, "rope_type", where, field<std::string>(*scaling, "type", where, "default"));
        if (type != "default")
            throw Error(ErrorCode::Unsupported, where + ": rope_scaling", "rope type '" + type + "' is not supported yet");
    }
    c.tieWordEmbeddings = field<bool>(j, "tie_word_embeddings", where, false);
    c.attentionBias = field<bool>(j, "attention_bias", where, false);
    c.mlpBias = field<bool>(j, "mlp_bias", where, false);
    c.hiddenAct = field<std::string>(j, "hidden_act", where, "silu");
    if (c.hiddenAct != "silu")
        throw Error(ErrorCode::Unsupported, where + ": hidden_act", "activation '" + c.hiddenAct + "' is not supported yet");
    c.torchDtype = field<std::string>(j, "torch_dtype", where, field<std::string>(j, "dtype", where, "float32"));
    c.bosTokenId = field<int>(j, "bos_token_id", where, -1);
    c.padTokenId = field<int>(j, "pad_token_id", where, -1);
    if (j.contains("eos_token_id")) {
        const auto& e = j["eos_token_id"];
        if (e.is_array())
            for (const auto& id : e) c.eosTokenIds.push_back(id.get<int>());
        else if (e.is_number_integer())
            c.eosTokenIds.push_back(e.get<int>());
    }
    if (c.modelType != "llama" && c.modelType != "mistral")
        throw Error(ErrorCode::Unsupported, where + ": model_type", "model type '" + c.modelType + "' is not supported yet");
    return c;
}

ModelConfig loadModelConfig(const std::filesystem::path& configJson) {
    return parseModelConfig(readFile(configJson), configJson.string());
}

std::string modelConfigToJson(const ModelConfig& c) {
    nlohmann::ordered_json j;
    j["architectures"] = {c.architecture.empty() ? "LlamaForCausalLM" : c.architecture};
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
    j["rope_scaling"] = nullptr;
    j["rope_theta"] = c.ropeTheta;
    j["tie_word_embeddings"] = c.tieWordEmbeddings;
    j["torch_dtype"] = c.torchDtype;
    j["use_cache"] = true;
    j["vocab_size"] = c.vocabSize;
    return j.dump(2) + "\n";
}

} // namespace ft
