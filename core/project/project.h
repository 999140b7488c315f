#pragma once
// The project file (JSON) that the GUI and the CLI share: which model, which data, which method, how to train.
// Format "finetune-studio-project", version 1; documented in README.md. Paths are relative to the file.

#include "core/peft/lora_config.h"
#include "core/peft/method_config.h"
#include "core/project/preference_config.h"
#include "core/quant/qlora_config.h"

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace ft {

// Base: raw text in blocks; Instruct: conversations, loss on the answers; Preference: pairs of better and worse
// answers (or labelled ones), trained with a preference loss (DPO, ORPO, KTO).
enum class FinetuneKind { Instruct, Base, Preference };

struct TrainingConfig {
    int epochs = 3;
    int maxSteps = -1;              // > 0 caps the run
    int batchSize = 4;
    int gradientAccumulation = 1;
    double learningRate = 2e-4;
    double weightDecay = 0.0;
    std::string scheduler = "cosine";  // cosine | linear | constant
    int warmupSteps = 0;
    double maxGradNorm = 1.0;       // <= 0 disables clipping
    int maxSeqLength = 512;         // instruct and preference: longer sequences keep their start (and are counted)
    bool trainOnPrompt = false;     // instruct: loss on the prompt's tokens too, not only the assistant's
    // Instruct: several examples per row, up to maxSeqLength, with positions and attention kept per example (each
    // example's loss is what it is alone), so no padding is computed. Ignored by prompt tuning and P-tuning, which
    // put their tokens in front of a whole row (packsRows).
    bool packing = true;
    int blockSize = 128;            // base FT block length
    double validationFraction = 0.1;
    int evalEvery = 0;              // steps; 0 = only at the end
    uint64_t seed = 42;
    std::string device = "auto";    // auto | cpu | cuda
    // Data-parallel on this machine: this many processes, each on its own GPU with cuda (cuda:0..N-1) or a share of
    // the CPU (core/dist). batch_size is per process. Launchers' environments (torchrun, srun) take precedence.
    int processes = 1;
    std::string dtype = "float32";  // weights and compute: float32 | bfloat16 | float16 (qlora: qlora.compute_dtype)
    bool gradientCheckpointing = false;  // recompute each layer in backward instead of keeping its activations
    // "bf16": autocast (linears and matmuls in bfloat16 over float32 weights, gradients and optimizer state);
    // "no": everything in `dtype`.
    std::string mixedPrecision = "no";
    int checkpointEvery = 50;       // steps; 0 = only at the end
    int keepCheckpoints = 2;        // newest kept; 0 keeps all
};

struct Project {
    std::string name = "Untitled";
    std::filesystem::path file;      // where it lives; relative paths resolve against its folder
    std::string model;               // Hugging Face model folder
    std::string dataset;             // JSONL / JSON / CSV / TSV / TXT
    std::string datasetFormat;       // "" detects; else a datasetFormatName (core/data/dataset.h)
    std::map<std::string, std::string> datasetColumns;  // our field name → the file's column
    std::string chatTemplate;        // instruct: Jinja source used instead of the model's own; "" = the model's
    FinetuneKind kind = FinetuneKind::Instruct;
    std::string method = "lora";     // a row of the method table (core/peft/method_spec.h)
    LoraConfig lora;                 // lora and qlora
    QloraConfig qlora;               // qlora: how the frozen base is stored
    PromptLearningConfig promptLearning;  // prompt_tuning, p_tuning, prefix_tuning
    BottleneckAdapterConfig adapter;      // adapter
    PreferenceConfig preference;          // kind preference
    TrainingConfig training;
    std::string output = "output";

    std::filesystem::path resolve(const std::string& path) const;
};

inline constexpr int kProjectFormatVersion = 1;

const char* finetuneKindName(FinetuneKind kind);  // "instruct", "base", "preference": the project's "kind"
std::optional<FinetuneKind> finetuneKindFromName(const std::string& name);

Project parseProject(const std::string& json, const std::filesystem::path& file);
Project loadProject(const std::filesystem::path& file);
std::string projectToJson(const Project& project);
void saveProject(const Project& project, const std::filesystem::path& file);  // atomic

} // namespace ft
