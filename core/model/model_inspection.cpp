// What one found model is and whether we can train it: a model folder from its config.json, tokenizer files and
// safetensors headers; a GGUF file from its metadata and tensor infos. No weight data is read.

#include "core/model/gguf_import.h"
#include "core/model/model_discovery.h"

#include "core/io/gguf_file.h"
#include "core/io/json_file.h"
#include "core/io/safetensors_header.h"
#include "core/model/architecture.h"
#include "core/model/model_folder_check.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <fstream>
#include <map>
#include <set>
#include <system_error>

namespace fs = std::filesystem;

namespace ft {

namespace {

bool isFile(const fs::path& p) {
    std::error_code ec;
    return fs::is_regular_file(p, ec);
}

bool isBrokenLink(const fs::path& p) {
    std::error_code ec;
    return fs::is_symlink(fs::symlink_status(p, ec)) && !fs::exists(p, ec);
}

uint64_t fileSize(const fs::path& p) {
    std::error_code ec;
    const auto size = fs::file_size(p, ec);  // follows links: hub snapshots and LM Studio entries may be links
    return ec ? 0 : uint64_t(size);
}

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    return s;
}

// A parser's message names the file by its full path; the folder is already in `path`, so keep the file's name.
std::string withinFolder(std::string message, const fs::path& folder) {
    const std::string prefix = folder.string() + '/';
    for (size_t at; !folder.empty() && (at = message.find(prefix)) != std::string::npos;) message.erase(at, prefix.size());
    return message;
}

void refuse(DiscoveredModel& m, NotTrainable why, std::string detail = {}) {
    m.trainable = false;
    m.why = why;
    m.whyDetail = std::move(detail);
    m.whyNot = describeNotTrainable(why, m.whyDetail);
}

// Reads only the 8-byte length and the JSON header of a .safetensors file.
SafetensorsHeader readSafetensorsHeader(const fs::path& file) {
    const uint64_t size = fileSize(file);
    std::ifstream in(file, std::ios::binary);
    unsigned char prefix[8] = {};
    if (!in.read(reinterpret_cast<char*>(prefix), 8)) throw std::runtime_error(file.filename().string() + ": too short");
    const uint64_t length = readHeaderLength(prefix, size, file.filename().string());
    std::string json(length, '\0');
    if (!in.read(json.data(), std::streamsize(length))) throw std::runtime_error(file.filename().string() + ": truncated");
    return parseSafetensorsHeader(json, size, file.filename().string());
}

// The weight files the folder's model loads: model.safetensors, or the shards the index names.
std::vector<std::string> weightFiles(const fs::path& dir, const ModelFolderCheck& check) {
    if (isFile(dir / "model.safetensors")) return {"model.safetensors"};
    if (isFile(dir / "model.safetensors.index.json")) {
        std::set<std::string> shards;
        const nlohmann::json index = readJsonFile(dir / "model.safetensors.index.json");
        for (const auto& [tensor, shard] : index.at("weight_map").items()) shards.insert(shard.get<std::string>());
        return {shards.begin(), shards.end()};
    }
    return check.safetensorsFiles;  // not loadable as they are, but their headers still tell the size
}

bool hasPickleWeights(const fs::path& dir) {
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(dir, ec)) {
        const std::string name = e.path().filename().string();
        if (name.starts_with("pytorch_model") && name.ends_with(".bin")) return true;
    }
    return false;
}

// The dtype most elements are stored in, lower case ("bf16").
std::string dominant(const std::map<std::string, uint64_t>& counts) {
    const auto it = std::max_element(counts.begin(), counts.end(),
                                     [](const auto& a, const auto& b) { return a.second < b.second; });
    return it == counts.end() ? std::string() : it->first;
}

} // namespace

DiscoveredModel inspectModelFolder(const fs::path& dir, std::string name, std::string source) {
    DiscoveredModel m;
    m.name = std::move(name);
    m.path = dir.string();
    m.source = std::move(source);
    m.format = "safetensors";
    m.trainable = true;

    std::error_code ec;
    std::string brokenLink;
    for (const auto& e : fs::directory_iterator(dir, ec)) {
        if (isBrokenLink(e.path())) brokenLink = e.path().filename().string();
        else if (isFile(e.path())) m.sizeBytes += fileSize(e.path());
    }
    const ModelFolderCheck check = checkModelFolder(dir);

    std::string unreadable;
    std::string quantMethod;
    try {
        if (check.hasConfig) {
            const nlohmann::json config = readJsonFile(dir / "config.json");
            if (config.contains("model_type") && config["model_type"].is_string())
                m.architecture = config["model_type"].get<std::string>();
            else if (config.contains("architectures") && config["architectures"].is_array() &&
                     !config["architectures"].empty() && config["architectures"][0].is_string())
                m.architecture = config["architectures"][0].get<std::string>();
            if (const auto q = config.find("quantization_config"); q != config.end() && q->is_object()) {
                quantMethod = q->value("quant_method", std::string("unknown"));
                if (quantMethod.empty()) quantMethod = "unknown";
            }
        }
        if (isFile(dir / "chat_template.jinja")) m.hasChatTemplate = true;
        if (isFile(dir / "tokenizer_config.json")) {
            const nlohmann::json tc = readJsonFile(dir / "tokenizer_config.json");
            const auto t = tc.find("chat_template");
            if (t != tc.end() && ((t->is_string() && !t->get<std::string>().empty()) || (t->is_array() && !t->empty())))
                m.hasChatTemplate = true;
        }
        std::map<std::string, uint64_t> dtypes;  // dtype -> elements
        for (const std::string& file : weightFiles(dir, check)) {
            if (!isFile(dir / file)) {
                if (brokenLink.empty()) brokenLink = file;
                continue;
            }
            for (const TensorEntry& t : readSafetensorsHeader(dir / file).entries) {
                m.parameters += t.numel();
                dtypes[lower(dtypeName(t.dtype))] += uint64_t(t.numel());
            }
        }
        m.quantization = quantMethod.empty() ? dominant(dtypes) : quantMethod;
    } catch (const std::exception& e) {  // ft::Error, nlohmann's type errors, a short read
        unreadable = e.what();
    }

    // The most telling reason first: a missing file explains the others.
    if (!brokenLink.empty()) refuse(m, NotTrainable::MissingFile, brokenLink);
    else if (!unreadable.empty()) refuse(m, NotTrainable::Unreadable, withinFolder(unreadable, dir));
    else if (check.isAdapter && !check.hasWeights) refuse(m, NotTrainable::Adapter);
    else if (!check.hasConfig) refuse(m, NotTrainable::NoConfig);
    else if (!findArch(m.architecture)) refuse(m, NotTrainable::Architecture, m.architecture);
    else if (!check.hasWeights && check.hasShardsWithoutIndex)
        refuse(m, NotTrainable::MissingFile, "model.safetensors.index.json");
    else if (!check.hasWeights && hasPickleWeights(dir)) refuse(m, NotTrainable::PickleWeights);
    else if (!check.hasWeights) refuse(m, NotTrainable::NoWeights);
    else if (!quantMethod.empty()) refuse(m, NotTrainable::Quantized, quantMethod);
    else if (!check.hasTokenizer) refuse(m, NotTrainable::NoTokenizer);
    return m;
}

DiscoveredModel inspectGgufFile(const fs::path& file, std::string name, std::string source) {
    DiscoveredModel m;
    m.name = std::move(name);
    m.path = file.string();
    m.source = std::move(source);
    m.format = "gguf";
    if (isBrokenLink(file) || !fs::exists(file)) {
        refuse(m, NotTrainable::MissingFile, file.filename().string());
        return m;
    }
    if (!isFile(file)) {  // a folder or a pipe named *.gguf: opening a pipe would wait forever
        refuse(m, NotTrainable::Unreadable, file.filename().string() + ": not a regular file");
        return m;
    }
    m.sizeBytes = fileSize(file);
    const bool projector = lower(file.filename().string()).starts_with("mmproj");
    try {
        const GgufFile f = GgufFile::open(file);  // metadata and tensor infos; the data stays unread
        m.architecture = f.architecture();
        if (m.name.empty()) m.name = f.getString("general.name").value_or(file.stem().string());
        m.hasChatTemplate = f.find("tokenizer.chat_template") != nullptr;
        std::map<std::string, uint64_t> types;  // type name -> elements
        std::string undequantizable;
        for (const GgufTensorInfo& t : f.tensors()) {
            m.parameters += int64_t(t.numel);
            types[ggmlTypeName(t.type)] += t.numel;
            const GgmlTypeTraits* traits = ggmlTypeTraits(uint32_t(t.type));
            if ((!traits || !traits->dequantize) && undequantizable.empty()) undequantizable = ggmlTypeName(t.type);
        }
        const std::optional<int64_t> fileType = f.find("general.file_type") ? f.getInt("general.file_type") : std::nullopt;
        m.quantization = fileType ? ggufFileTypeName(*fileType) : std::string();
        if (m.quantization.empty()) m.quantization = dominant(types);

        m.trainable = true;
        if (projector) refuse(m, NotTrainable::Projector);
        else if (!ggufArchitectureImportable(m.architecture)) refuse(m, NotTrainable::Architecture, m.architecture);
        else if (!undequantizable.empty()) refuse(m, NotTrainable::TensorType, undequantizable);
        else if (m.quantization != "F32" && m.quantization != "F16" && m.quantization != "BF16")
            m.note = "stored as " + m.quantization +
                     ": weights are dequantized for training; quality is that of the quantized file";
    } catch (const std::exception& e) {
        if (m.name.empty()) m.name = file.stem().string();
        refuse(m, projector ? NotTrainable::Projector : NotTrainable::Unreadable,
               projector ? "" : withinFolder(e.what(), file.parent_path()));
    }
    return m;
}

std::string ggufFileTypeName(int64_t fileType) {
    // llama.h's llama_ftype, as llama.cpp's llama_model_ftype_name prints it (ids 4-6 and 33-35 were retired).
    static const std::map<int64_t, std::string_view> kNames{
        {0, "F32"},      {1, "F16"},     {2, "Q4_0"},    {3, "Q4_1"},    {7, "Q8_0"},     {8, "Q5_0"},
        {9, "Q5_1"},     {10, "Q2_K"},   {11, "Q3_K_S"}, {12, "Q3_K_M"}, {13, "Q3_K_L"},  {14, "Q4_K_S"},
        {15, "Q4_K_M"},  {16, "Q5_K_S"}, {17, "Q5_K_M"}, {18, "Q6_K"},   {19, "IQ2_XXS"}, {20, "IQ2_XS"},
        {21, "Q2_K_S"},  {22, "IQ3_XS"}, {23, "IQ3_XXS"}, {24, "IQ1_S"}, {25, "IQ4_NL"},  {26, "IQ3_S"},
        {27, "IQ3_M"},   {28, "IQ2_S"},  {29, "IQ2_M"},  {30, "IQ4_XS"}, {31, "IQ1_M"},   {32, "BF16"},
        {36, "TQ1_0"},   {37, "TQ2_0"},  {38, "MXFP4_MOE"},
    };
    const auto it = kNames.find(fileType);
    return it == kNames.end() ? std::string() : std::string(it->second);
}

std::string describeNotTrainable(NotTrainable why, const std::string& detail) {
    switch (why) {
    case NotTrainable::No: return {};
    case NotTrainable::Unreadable: return "cannot be read: " + detail;
    case NotTrainable::MissingFile: return "incomplete download or broken link: " + detail + " is missing";
    case NotTrainable::NoConfig: return "no config.json";
    case NotTrainable::NoTokenizer: return "no tokenizer files (tokenizer.json or tokenizer.model)";
    case NotTrainable::NoWeights: return "no safetensors weights";
    case NotTrainable::PickleWeights: return "weights are .bin (pickle), not safetensors";
    case NotTrainable::Architecture:
        return detail.empty() ? "no architecture named" : "architecture '" + detail + "' is not a decoder this app trains";
    case NotTrainable::Quantized: return "quantized with " + detail + ", which cannot be trained here";
    case NotTrainable::TensorType: return "tensor type " + detail + " cannot be dequantized here";
    case NotTrainable::Projector: return "a vision projector (mmproj), not a language model";
    case NotTrainable::Adapter: return "a PEFT adapter, not a base model";
    }
    return {};
}

} // namespace ft
