#pragma once
// A LoRA adapter merged into its base model: a complete Hugging Face folder that transformers (and our loader) load
// as a plain model. W' = W + scaling · B · A per targeted weight (scaling = alpha / r, or alpha / √r with rsLoRA), as
// peft's merge_and_unload() computes it, here in fp32 and stored in the checkpoint's dtype. Biases trained with
// bias "all" / "lora_only" replace the base's, as they were trained in place.

#include "core/quant/qlora_config.h"

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>

namespace ft {

struct MergeOptions {
    // Set when the adapter was trained over a 4-bit base (QLoRA). Each targeted W then goes through
    // quantize → dequantize first (in computeDtype, bitsandbytes' blocks), because peft's merge_and_unload on a
    // bitsandbytes Linear4bit adds the delta to the dequantized weight: the weight the adapter was trained against.
    std::optional<QloraConfig> qlora;
    // A single-file base larger than this is written as shards + model.safetensors.index.json, split as
    // transformers' save_pretrained splits (its default, 50 GB). A sharded base keeps its own shard layout.
    uint64_t maxShardBytes = 50'000'000'000ull;
    // Called after each tensor with (tensors written, total); returning false cancels (ErrorCode::Cancelled).
    std::function<bool(int64_t done, int64_t total)> progress;
    // The chat template training used when it was not the base's own (the project's chat_template). The folder then
    // carries it — tokenizer_config.json's chat_template and chat_template.jinja, which transformers reads first — so
    // every tool prompts the tuned model as it was trained. Empty: the base's files as they are.
    std::string chatTemplate;
};

// Writes `outDir` atomically (a temporary folder, then a rename): after a crash the old folder or the complete new
// one is there, never a mix. Tensors stream one at a time from the memory-mapped base; untargeted tensors are copied
// byte for byte; config.json, generation_config.json, the tokenizer files and chat_template.jinja are copied
// (with options.chatTemplate written into them when set).
// Refuses (ft::Error) an adapter that targets a tensor the base lacks or whose shape disagrees, before writing.
// `outDir` must not exist, be empty, or be a model folder (it is replaced); never the base or the adapter folder.
void writeMergedModel(const std::filesystem::path& baseModelDir, const std::filesystem::path& peftAdapterDir,
                      const std::filesystem::path& outDir, const MergeOptions& options = {});

// A full fine-tune as a Hugging Face folder, written the same way: the base's files, each tensor of `trainedFile`
// (a checkpoint's trainable.safetensors: our module names, which are the checkpoint's) in place of the base's and
// cast to its dtype, Gemma's norms stored back as w rather than the 1 + w we train.
void writeFullModel(const std::filesystem::path& baseModelDir, const std::filesystem::path& trainedFile,
                    const std::filesystem::path& outDir, const MergeOptions& options = {});

// For the CLI's "peft" format: validates the adapter (a LoRA one is read whole) and copies its folder atomically.
void copyPeftAdapter(const std::filesystem::path& peftAdapterDir, const std::filesystem::path& outDir);

} // namespace ft
