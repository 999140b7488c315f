#pragma once
// A cheap look at a folder before it is opened as a model: which of the files a Hugging Face model folder needs are
// there, and what the folder holds instead. Only names are listed (no file is read but a hub cache's refs/main), so
// it runs on the UI thread. Returns data; the UI words it.

#include <filesystem>
#include <string>
#include <vector>

namespace ft {

struct ModelFolderCheck {
    bool isFolder = false;
    bool hasConfig = false;     // config.json
    bool hasWeights = false;    // model.safetensors, or model.safetensors.index.json (the shards it names)
    bool hasTokenizer = false;  // tokenizer.model or tokenizer.json
    std::vector<std::string> entries;          // the names found, sorted, folders ending in '/' (a few: see below)
    int entryCount = 0;                        // all of them
    std::vector<std::string> ggufFiles;        // *.gguf: llama.cpp's single-file format, not a model folder
    std::vector<std::string> safetensorsFiles; // *.safetensors of any name
    bool hasShardsWithoutIndex = false;        // model-00001-of-00002.safetensors … but no index
    bool isAdapter = false;                    // adapter_config.json: a PEFT adapter, trained over a base model
    // A Hugging Face hub cache folder (models--ORG--NAME, or its snapshots/): the snapshot folders that hold the
    // model, the one refs/main names first.
    bool isHubCache = false;
    std::vector<std::filesystem::path> hubSnapshots;

    bool ok() const { return isFolder && hasConfig && hasWeights && hasTokenizer; }
};

// `maxEntries` caps `entries` (the first names in sorted order).
ModelFolderCheck checkModelFolder(const std::filesystem::path& dir, int maxEntries = 8);

} // namespace ft
