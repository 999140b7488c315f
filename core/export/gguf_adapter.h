#pragma once
// A PEFT LoRA adapter as the GGUF file llama.cpp's convert_lora_to_gguf.py writes and llama_adapter_lora_init reads:
// general.architecture, general.type "adapter", adapter.type "lora", adapter.lora.alpha, and per projection
// "blk.N.attn_q.weight.lora_a" (ggml ne [in, r]) / ".lora_b" (ne [r, out]).

#include "core/export/gguf_writer.h"

#include <filesystem>
#include <string>

namespace ft {

struct GgufAdapterOptions {
    GgmlType type = GgmlType::F32;  // F32 or F16 (convert_lora_to_gguf.py's --outtype, default f32)
};

// Writes `outFile` atomically from the adapter in `peftAdapterDir` for the model in `baseModelDir` (its config.json
// gives the architecture and head counts; its weights are checked for every targeted module).
// For the llama architecture the rows of q_proj's and k_proj's lora_B are permuted as convert_hf_to_gguf.py's
// LlamaModel.permute does to the base weights. llama.cpp scales by alpha / r; an rsLoRA adapter (alpha / √r) is
// written with alpha·√r so llama.cpp applies the scale it was trained with (the converter ignores use_rslora).
void writeGgufAdapter(const std::filesystem::path& baseModelDir, const std::filesystem::path& peftAdapterDir,
                      const std::filesystem::path& outFile, const GgufAdapterOptions& options = {});

} // namespace ft
