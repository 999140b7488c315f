#pragma once
// What a training checkpoint is, without LibTorch: where checkpoints live, which one is the latest, and what an
// export needs from one (the model it was trained from, the method, its adapter or its full weights). The
// checkpoint itself is written and read in core/train/checkpoint.h.

#include "core/quant/qlora_config.h"

#include <filesystem>
#include <map>
#include <optional>
#include <string>

namespace ft {

// A run folder's (core/train/run_folder.h) checkpoint of `step`: <runDir>/checkpoints/step-000120
std::filesystem::path checkpointDir(const std::filesystem::path& runDir, int step);

// Inside a checkpoint folder: adapter/ (the method's export; none for a full fine-tune) and project.json (the project
// it was trained from, paths absolute).
std::filesystem::path checkpointAdapterDir(const std::filesystem::path& checkpoint);
std::filesystem::path checkpointProjectFile(const std::filesystem::path& checkpoint);

// The run's complete checkpoints (those with trainer_state.json) by step.
std::map<int, std::filesystem::path> completeCheckpoints(const std::filesystem::path& runDir);

// The complete checkpoint with the highest step in the run folder, if any.
std::optional<std::filesystem::path> latestCheckpoint(const std::filesystem::path& runDir);

// Where a run stopped: its latest complete checkpoint, that checkpoint's step and the run's total steps.
struct RunProgress {
    std::filesystem::path checkpoint;
    int step = 0;
    int totalSteps = 0;
    bool finished() const { return step >= totalSteps; }
};

// nullopt when the run folder holds no complete checkpoint (or its trainer_state.json cannot be read).
std::optional<RunProgress> runProgress(const std::filesystem::path& runDir);

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

// What a checkpoint holds for an export, as it is (the export rules are core/export/export_request.h's). `dir` is a
// checkpoint folder or a run folder (then its latest checkpoint). Reads the project saved in it; errors name the file
// and say what is missing (an incomplete checkpoint, one from before project snapshots, a base model that moved).
CheckpointExport checkpointExport(const std::filesystem::path& dir);

} // namespace ft
