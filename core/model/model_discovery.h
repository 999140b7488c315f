#pragma once
// The models already on this machine: the Hugging Face hub cache, Ollama's store, LM Studio's folders and folders
// the user added. Only names, JSON files and the headers of safetensors and GGUF files are read, never weight data,
// so a big cache is scanned in moments (still: call it off the UI thread). Junk (broken links, malformed JSON, a
// truncated GGUF) is listed with the reason it cannot be trained, never thrown. Plain C++: no LibTorch, no Qt.

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace ft {

// Why a model cannot be trained here, as a code the UI words; `whyNot` carries the same in English for the CLI.
enum class NotTrainable {
    No,                // it can be trained
    Unreadable,        // detail: what is wrong with the file (malformed JSON, truncated GGUF, unreadable)
    MissingFile,       // detail: the missing file (a broken link, an incomplete download)
    NoConfig,          // no config.json
    NoTokenizer,       // neither tokenizer.json nor tokenizer.model
    NoWeights,         // no safetensors weights at all
    PickleWeights,     // only pytorch_model*.bin
    Architecture,      // detail: the architecture, not one the engine runs
    Quantized,         // detail: quantization_config.quant_method (gptq, awq, bitsandbytes …)
    TensorType,        // detail: a GGUF tensor type we cannot dequantize
    Projector,         // an mmproj-* file: a vision projector, not a language model
    Adapter,           // adapter_config.json: a PEFT adapter, not a base model
};

struct DiscoveredModel {
    std::string name;          // "Qwen/Qwen2.5-0.5B", "llama3.2:latest", "publisher/file"
    std::string path;          // what opens it: the model folder (a hub snapshot) or the .gguf file (an Ollama blob)
    std::string source;        // hf-cache | ollama | lmstudio | folder
    std::string format;        // safetensors | gguf
    std::string architecture;  // config.json model_type (else architectures[0]); GGUF general.architecture
    int64_t parameters = 0;    // elements in the weight headers; 0 when unknown
    std::string quantization;  // "gptq", "Q4_K_M", "F16", or the stored dtype ("bf16")
    bool hasChatTemplate = false;
    bool trainable = false;
    NotTrainable why = NotTrainable::No;
    std::string whyDetail;     // the fact behind `why` (architecture, tensor type, file, parser message)
    std::string whyNot;        // `why` in English; empty when trainable
    std::string note;          // for a trainable GGUF: the base is stored quantized
    uint64_t sizeBytes = 0;    // the files' sizes, links followed
};

struct DiscoverySources {
    std::filesystem::path hfCache;                 // …/hub: models--ORG--NAME/
    std::filesystem::path ollama;                  // …/models: manifests/, blobs/
    std::vector<std::filesystem::path> lmStudio;   // <publisher>/<model>/*.gguf
    std::vector<std::filesystem::path> folders;    // a model folder or .gguf, or a folder holding them (one level)
};

// HF_HUB_CACHE, else $HF_HOME/hub, else ~/.cache/huggingface/hub; OLLAMA_MODELS, else ~/.ollama/models;
// ~/.lmstudio/models and ~/.cache/lm-studio/models; `extraFolders` as given. Missing folders are simply empty.
DiscoverySources defaultDiscoverySources(const std::vector<std::filesystem::path>& extraFolders = {});

// Sorted by source (hf-cache, ollama, lmstudio, folder) then name.
std::vector<DiscoveredModel> discoverModels(const DiscoverySources& sources);

// One model folder (config.json, safetensors, tokenizer) or one GGUF file; `source` and `name` are the caller's.
DiscoveredModel inspectModelFolder(const std::filesystem::path& dir, std::string name, std::string source);
DiscoveredModel inspectGgufFile(const std::filesystem::path& file, std::string name, std::string source);

// llama.cpp's name for general.file_type ("Q4_K_M"); empty for an id it does not define.
std::string ggufFileTypeName(int64_t fileType);
// `why` in English, with its detail.
std::string describeNotTrainable(NotTrainable why, const std::string& detail);

} // namespace ft
