#pragma once
// A GGUF file (llama.cpp, Ollama, LM Studio) as a Hugging Face model folder to fine-tune: config.json,
// model.safetensors, the tokenizer files and tokenizer_config.json with the chat template, as transformers 5.23 sees
// the file when it opens it with `from_pretrained(folder, gguf_file=...)`:
//   - every tensor dequantized to float32 exactly as gguf-py's gguf.quants.dequantize does (ggml_dequantize);
//   - llama.cpp's tensor names mapped back; for `llama` files the Q/K row permutation undone; Gemma norms stored
//     as 1 + w by llama.cpp stored as w again;
//   - config.json from the keys transformers maps (GGUF_CONFIG_MAPPING); what a file does not say is left to the
//     architecture's defaults, as there;
//   - the tokenizer from the metadata (text/gguf_vocab).
// One tensor at a time is held in memory. Plain C++ (no torch).

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

namespace ft {

class GgufFile;

struct GgufImport {
    std::filesystem::path folder;
    std::string architecture;  // the file's general.architecture
    std::string modelType;     // config.json's model_type
    std::string storedAs;      // the file's dominant tensor type, e.g. "Q4_1"
    int64_t parameters = 0;
    std::vector<std::string> notes; // what the folder does not carry over (skipped tensors, rope scaling …)
};

// The architectures we import (general.architecture), and whether `type` is one of them.
const std::vector<std::string>& ggufImportableArchitectures();
bool ggufArchitectureImportable(const std::string& architecture);

// The tensor type most of the file's weights are stored in ("Q4_1", "F16", …): what the GUI tells the user.
std::string ggufStoredAs(const GgufFile& file);

// Writes the folder `out` atomically (a reader never sees half of it). `progress(done, total)` counts tensors.
GgufImport importGguf(const std::filesystem::path& file, const std::filesystem::path& out,
                      const std::function<void(int, int)>& progress = {});

// The folder a .gguf file opens as: imported once into the user's cache (keyed by the file's path, size and
// modification time; FT_GGUF_CACHE overrides the place) and reused. Other paths come back unchanged.
std::filesystem::path modelFolderFor(const std::filesystem::path& path);
// Where modelFolderFor imports a .gguf file, and whether it is there already (nothing is imported here).
std::filesystem::path ggufImportFolder(const std::filesystem::path& file);
bool ggufImported(const std::filesystem::path& file);
bool isGgufPath(const std::filesystem::path& path);

} // namespace ft
