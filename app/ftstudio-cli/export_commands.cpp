// ftstudio-cli export: a trained adapter as a PEFT folder, merged into its base model, or as a llama.cpp GGUF adapter.

#include "cli_args.h"
#include "commands.h"

#include "core/common/error.h"
#include "core/export/export_request.h"
#include "core/io/atomic_file.h"

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
    "  --checkpoint: a run folder (its latest checkpoint; see ftstudio-cli runs) or one of its checkpoints/step-N;\n"
    "  the model, method, QLoRA settings and chat template come from the project saved in the checkpoint.\n"
    "  --chat-template: the Jinja template training used instead of the model's own; a merged folder carries it.";

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

    if (*format != "peft" && *format != "merged" && *format != "gguf")
        throw UsageError("unknown --format '" + *format + "' (peft, merged, gguf)");
    const ft::ExportFormat exportFormat = ft::exportFormatNamed(*format, "--format");
    ft::ExportRequest r;
    if (checkpoint) {
        r = ft::exportRequestFromCheckpoint(*checkpoint, exportFormat, *out);
        std::printf("checkpoint %s (step %d, %s, model %s)\n", r.checkpoint.string().c_str(), r.step, r.method.c_str(),
                    r.model.string().c_str());
    } else {
        r.format = exportFormat;
        r.out = *out;
        r.model = model.value_or("");
        r.adapter = *adapter;
        if (chatTemplate) {
            if (r.format != ft::ExportFormat::Merged) throw UsageError("--chat-template applies to --format merged");
            r.merge.chatTemplate = ft::readFile(*chatTemplate);
        }
    }
    if (ggufType) {
        if (r.format != ft::ExportFormat::Gguf) throw UsageError("--gguf-type applies to --format gguf");
        if (*ggufType == "f32") r.gguf.type = ft::GgmlType::F32;
        else if (*ggufType == "f16") r.gguf.type = ft::GgmlType::F16;
        else throw UsageError("unknown --gguf-type '" + *ggufType + "' (f32, f16)");
    }
    if ((blocksize || computeDtype || noDoubleQuant) && !qlora) throw UsageError("--blocksize, --compute-dtype and --no-double-quant go with --qlora");
    if (qlora) {
        if (r.format != ft::ExportFormat::Merged) throw UsageError("--qlora applies to --format merged");
        ft::QloraConfig q;  // checked by the merge before it writes anything
        q.quantType = *qlora;
        if (blocksize) q.blocksize = toInt(*blocksize, "--blocksize");
        if (computeDtype) q.computeDtype = *computeDtype;
        q.doubleQuant = !noDoubleQuant;
        r.merge.qlora = q;
    }
    ft::runExport(r);
    std::printf("wrote %s\n", r.out.string().c_str());
    return 0;
}

} // namespace ftcli
