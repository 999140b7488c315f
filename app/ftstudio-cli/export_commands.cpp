// ftstudio-cli export: a trained adapter as a PEFT folder, merged into its base model, or as a llama.cpp GGUF adapter.

#include "cli_args.h"
#include "commands.h"

#include "core/common/error.h"
#include "core/export/gguf_adapter.h"
#include "core/export/merged_model.h"
#include "core/io/atomic_file.h"
#include "core/train/checkpoint_info.h"

#include <cstdio>
#include <filesystem>
#include <optional>

namespace ftcli {

namespace {

const char* const kUsage =
    "usage: ftstudio-cli export --model DIR --adapter DIR --format peft|merged|gguf --out PATH [--gguf-type f32|f16]\n"
    "       [--qlora nf4|fp4 [--blocksize N] [--no-double-quant] [--compute-dtype float32|bfloat16|float16]]\n"
    "       [--chat-template FILE]\n"
    "       ftstudio-cli export --checkpoint DIR --format peft|merged|gguf --out PATH [--gguf-type f32|f16]\n"
    "  --checkpoint: a training checkpoint (OUT/checkpoints/step-N) or a run's output folder (its latest checkpoint);\n"
    "  the model, method, QLoRA settings and chat template come from the project saved in the checkpoint.\n"
    "  --chat-template: the Jinja template training used instead of the model's own; a merged folder carries it.";

// Everything an export needs, whichever way it was named (flags now; a training checkpoint can fill the same).
struct ExportRequest {
    std::filesystem::path model, adapter, out;
    std::filesystem::path fullWeights;  // a full fine-tune's trained tensors (instead of an adapter)
    std::string format;
    ft::GgufAdapterOptions gguf;
    ft::MergeOptions merge;
};

void runExport(const ExportRequest& r) {
    if (!r.fullWeights.empty()) {
        if (r.format != "merged")
            throw ft::Error(ft::ErrorCode::Unsupported, r.fullWeights.string(),
                            "a full fine-tune has no adapter to export as " + r.format + "; use --format merged");
        ft::writeFullModel(r.model, r.fullWeights, r.out, r.merge);
    } else if (r.format == "peft") ft::copyPeftAdapter(r.adapter, r.out);
    else if (r.format == "merged") ft::writeMergedModel(r.model, r.adapter, r.out, r.merge);
    else ft::writeGgufAdapter(r.model, r.adapter, r.out, r.gguf);
}

} // namespace

int exportModel(const Args& argsIn) {
    Args args = argsIn;
    const auto model = takeOption(args, "--model");
    const auto adapter = takeOption(args, "--adapter");
    const auto checkpoint = takeOption(args, "--checkpoint");
    const auto format = takeOption(args, "--format");
    const auto out = takeOption(args, "--out");
    const auto ggufType = takeOption(args, "--gguf-type");
    const auto qlora = takeOption(args, "--qlora");
    const auto blocksize = takeOption(args, "--blocksize");
    const auto computeDtype = takeOption(args, "--compute-dtype");
    const bool noDoubleQuant = takeFlag(args, "--no-double-quant");
    const auto chatTemplate = takeOption(args, "--chat-template");
    if (!args.empty()) throw UsageError("unexpected argument '" + args[0] + "'\n" + kUsage);
    if (checkpoint && (model || adapter || qlora || chatTemplate))
        throw UsageError("--checkpoint takes the model, adapter, QLoRA settings and chat template from the checkpoint; "
                         "leave out --model, --adapter, --qlora and --chat-template\n" + std::string(kUsage));
    if (!checkpoint && (!adapter || (!model && format && *format != "peft"))) throw UsageError(kUsage);
    if (!format || !out) throw UsageError(kUsage);

    ExportRequest r;
    r.out = *out;
    r.format = *format;
    if (r.format != "peft" && r.format != "merged" && r.format != "gguf")
        throw UsageError("unknown --format '" + r.format + "' (peft, merged, gguf)");
    if (checkpoint) {
        const ft::CheckpointExport c = ft::checkpointExport(*checkpoint);
        r.model = c.model;
        r.adapter = c.adapter;
        r.fullWeights = c.fullWeights;
        r.merge.qlora = c.qlora;
        r.merge.chatTemplate = c.chatTemplate;
        if (r.format != "peft" && !c.isLora && c.fullWeights.empty())
            throw ft::Error(ft::ErrorCode::Unsupported, c.checkpoint.string(),
                            "a " + c.method + " adapter cannot be merged or converted to GGUF (only LoRA and QLoRA can); use --format peft");
        if (r.format != "merged") r.merge.qlora.reset();
        std::printf("checkpoint %s (step %d, %s, model %s)\n", c.checkpoint.string().c_str(), c.step, c.method.c_str(),
                    c.model.string().c_str());
    } else {
        r.model = model.value_or("");
        r.adapter = *adapter;
        if (chatTemplate) {
            if (r.format != "merged") throw UsageError("--chat-template applies to --format merged");
            r.merge.chatTemplate = ft::readFile(*chatTemplate);
        }
    }
    if (ggufType) {
        if (r.format != "gguf") throw UsageError("--gguf-type applies to --format gguf");
        if (*ggufType == "f32") r.gguf.type = ft::GgmlType::F32;
        else if (*ggufType == "f16") r.gguf.type = ft::GgmlType::F16;
        else throw UsageError("unknown --gguf-type '" + *ggufType + "' (f32, f16)");
    }
    if ((blocksize || computeDtype || noDoubleQuant) && !qlora) throw UsageError("--blocksize, --compute-dtype and --no-double-quant go with --qlora");
    if (qlora) {
        if (r.format != "merged") throw UsageError("--qlora applies to --format merged");
        ft::QloraConfig q;  // checked by the merge before it writes anything
        q.quantType = *qlora;
        if (blocksize) q.blocksize = toInt(*blocksize, "--blocksize");
        if (computeDtype) q.computeDtype = *computeDtype;
        q.doubleQuant = !noDoubleQuant;
        r.merge.qlora = q;
    }
    runExport(r);
    std::printf("wrote %s\n", r.out.string().c_str());
    return 0;
}

} // namespace ftcli
