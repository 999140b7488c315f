#pragma once
// What a training checkpoint is, without LibTorch: where checkpoints live, which one is the latest, and what an
// export needs from one (the model it was trained from, the method, its adapter or its full weights). The
// checkpoint itself is written and read in core/train/checkpoint.h.

#include "core/quant/qlora_config.h"

#include <filesystem>
#include <optional>
#include <string>

namespace ft {

// <outDir>/checkpoints/step-000120
std::filesystem::path checkpointDir(const std::filesystem::path& outDir, int step);

// The complete checkpoint with the highest step under outDir, if any.
std::optional<std::filesystem::path> latestCheckpoint(const std::filesystem::path& outDir);

// Where a run stopped: its latest complete checkpoint, that checkpoint's step and the run's total steps.
struct RunProgress {
    std::filesystem::path checkpoint;
    int step = 0;
    int totalSteps = 0;
    bool finished() const { return step >= totalSteps; }
};

// nullopt when outDir holds no complete checkpoint (or its trainer_state.json cannot be read).
std::optional<RunProgress> runProgress(const std::filesystem::path& outDir);

struct CheckpointExport {
    std::filesystem::path checkpoint;   // the step folder
    int step = 0;
    std::string method;                 // the project's method
    bool isLora = false;                // lora or qlora: mergeable and convertible to GGUF
    std::filesystem::path model;        // the base model folder it was trained from
    std::filesystem::path adapter;      // <checkpoint>/adapter (empty for a full fine-tune)
    std::filesystem::path fullWeights;  // <checkpoint>/trainable.safetensors for a full fine-tune
    std::optional<QloraConfig> qlora;   // qlora: how the base was quantized (the merge repeats it)
    std::string chatTemplate;           // the project's own template, when training did not use the model's
};

// `dir` is a checkpoint folder or a run's output folder (then its latest checkpoint). Reads the project saved in
// it; errors name the file and say what is missing (an incomplete checkpoint, one from before project snapshots,
// a base model that moved).
CheckpointExport checkpointExport(const std::filesystem::path& dir);

} // namespace ft
