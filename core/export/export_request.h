#pragma once
// One export request, whoever asks (the CLI, the main window's Export menu, the wizard's Export page): what to write
// (format, destination) and from what (a base model and an adapter, a full fine-tune's weights, a training checkpoint
// or a whole run). The rules live here once: a run exports its latest checkpoint (a finished run's last checkpoint is
// its final state), a full fine-tune exports as a merged model folder, only LoRA and QLoRA merge or convert to GGUF,
// a QLoRA merge repeats the 4-bit round trip the adapter was trained over, and a merged folder carries the chat
// template training used. No LibTorch.

#include "core/export/gguf_adapter.h"
#include "core/export/merged_model.h"

#include <filesystem>
#include <string>

namespace ft {

enum class ExportFormat { Peft, Merged, Gguf };
const char* exportFormatName(ExportFormat format);  // peft, merged, gguf
ExportFormat exportFormatNamed(const std::string& name, const std::string& where);  // throws ft::Error naming `where`

struct ExportRequest {
    ExportFormat format = ExportFormat::Peft;
    std::filesystem::path out;
    std::filesystem::path model;        // the base model folder
    std::filesystem::path adapter;      // the adapter folder (empty for a full fine-tune)
    std::filesystem::path fullWeights;  // a full fine-tune's trained tensors (trainable.safetensors)
    std::string method;                 // the project's method, when known (from a checkpoint or run)
    std::filesystem::path checkpoint;   // the checkpoint it came from, when it came from one
    int step = 0;                       // that checkpoint's step
    GgufAdapterOptions gguf;
    MergeOptions merge;                 // progress/cancel, qlora, chat template
};

// From a training checkpoint (RUN/checkpoints/step-N) or a run folder (its latest checkpoint): model, adapter or
// full weights, QLoRA settings and chat template come from the project saved in the checkpoint. Refuses, naming the
// checkpoint and what to do, a format the method cannot be exported as.
ExportRequest exportRequestFromCheckpoint(const std::filesystem::path& runOrCheckpoint, ExportFormat format,
                                          const std::filesystem::path& out);

// Writes what the request asks for, atomically (the exporters' own guarantees).
void runExport(const ExportRequest& request);

} // namespace ft
