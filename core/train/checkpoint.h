#pragma once
// Internal (includes LibTorch): training checkpoints, everything needed to continue a run as if it had never
// stopped. In a run folder (core/train/run_folder.h), checkpoints/step-000120/ holds
//   trainer_state.json       format, step, data position (epoch, cursor), total steps, seed
//   trainable.safetensors    the trainable parameters under their module names
//   optimizer.pt             AdamW's moments and step counts (LibTorch serialization)
//   rng.safetensors          the CPU (and CUDA) generator states, for dropout
//   adapter/                 the method's export, so a checkpoint is usable as it is
//   project.json             the project it was trained from, model path made absolute (for export --checkpoint)
// Each is built in a temporary folder and renamed into place: a checkpoint folder that exists is complete, even
// after kill -9 or a full disk.

#include "core/model/decoder.h"
#include "core/train/checkpoint_info.h"

#include <torch/optim/optimizer.h>

#include <filesystem>
#include <functional>
#include <optional>

namespace ft {

inline constexpr int kCheckpointFormatVersion = 1;

struct TrainerPosition {
    int step = 0;          // optimizer steps done
    int epoch = -1;        // data epoch being read (-1: none started)
    int64_t cursor = 0;    // examples of that epoch's order already used
    int totalSteps = 0;
    uint64_t seed = 0;
};

// Writes the checkpoint of `position.step` atomically; `exportAdapter(dir)` fills its adapter/ folder.
void writeCheckpoint(const std::filesystem::path& runDir, CausalLM& lm, torch::optim::Optimizer& optimizer,
                     const TrainerPosition& position,
                     const std::function<void(const std::filesystem::path&)>& exportAdapter,
                     const std::string& projectJson = {});

// Restores parameters, optimizer and generators from `dir` into a model built the same way (same method, same
// trainable parameters, in the same order); names the file and parameter where they disagree.
TrainerPosition readCheckpoint(const std::filesystem::path& dir, CausalLM& lm, torch::optim::Optimizer& optimizer);

// Removes what an interrupted checkpoint write left behind (its temporary folder); complete ones are kept.
void cleanStaleCheckpointTemps(const std::filesystem::path& runDir);

// Keeps the run's `keep` newest checkpoints (keep <= 0 keeps all); other runs' folders are never touched.
void pruneCheckpoints(const std::filesystem::path& runDir, int keep);

} // namespace ft
