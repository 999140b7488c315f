#include "core/export/export_request.h"

#include "core/common/error.h"
#include "core/export/merged_model.h"
#include "core/model/gguf_import.h"
// What a checkpoint holds (its saved project, adapter or full weights) is read by the checkpoint's own code, which
// knows nothing of exports; the rules about what may be exported how live here. export → train/checkpoint_info only,
// never the other way, so the two layers do not form a cycle.
#include "core/train/checkpoint_info.h"

namespace fs = std::filesystem;

namespace ft {

const char* exportFormatName(ExportFormat format) {
    switch (format) {
    case ExportFormat::Peft: return "peft";
    case ExportFormat::Merged: return "merged";
    case ExportFormat::Gguf: return "gguf";
    }
    return "?";
}

ExportFormat exportFormatNamed(const std::string& name, const std::string& where) {
    for (const ExportFormat f : {ExportFormat::Peft, ExportFormat::Merged, ExportFormat::Gguf})
        if (name == exportFormatName(f)) return f;
    throw Error(ErrorCode::InvalidValue, where, "'" + name + "'; use peft, merged or gguf");
}

ExportRequest exportRequestFromCheckpoint(const fs::path& runOrCheckpoint, ExportFormat format, const fs::path& out) {
    const CheckpointExport c = checkpointExport(runOrCheckpoint);
    ExportRequest r;
    r.format = format;
    r.out = out;
    r.model = c.model;
    r.adapter = c.adapter;
    r.fullWeights = c.fullWeights;
    r.method = c.method;
    r.checkpoint = c.checkpoint;
    r.step = c.step;
    r.merge.chatTemplate = c.chatTemplate;
    // A merge adds B·A to the weight the adapter was trained against: for QLoRA, the 4-bit round trip of the base.
    if (format == ExportFormat::Merged) r.merge.qlora = c.qlora;
    if (format != ExportFormat::Peft && !c.isLora && c.fullWeights.empty())
        throw Error(ErrorCode::Unsupported, c.checkpoint.string(),
                    "a " + c.method + " adapter cannot be merged or converted to GGUF (only LoRA and QLoRA can); use --format peft");
    if (!c.fullWeights.empty() && format != ExportFormat::Merged)
        throw Error(ErrorCode::Unsupported, c.fullWeights.string(),
                    std::string("a full fine-tune has no adapter to export as ") + exportFormatName(format) +
                        "; use --format merged");
    return r;
}

void runExport(const ExportRequest& request) {
    ExportRequest r = request;
    r.model = modelFolderFor(r.model);  // a run trained from a .gguf file merges into its imported folder
    if (!r.fullWeights.empty()) {
        if (r.format != ExportFormat::Merged)
            throw Error(ErrorCode::Unsupported, r.fullWeights.string(),
                        std::string("a full fine-tune has no adapter to export as ") + exportFormatName(r.format) +
                            "; use --format merged");
        writeFullModel(r.model, r.fullWeights, r.out, r.merge);
        return;
    }
    switch (r.format) {
    case ExportFormat::Peft: copyPeftAdapter(r.adapter, r.out); return;
    case ExportFormat::Merged: writeMergedModel(r.model, r.adapter, r.out, r.merge); return;
    case ExportFormat::Gguf: writeGgufAdapter(r.model, r.adapter, r.out, r.gguf); return;
    }
}

} // namespace ft
