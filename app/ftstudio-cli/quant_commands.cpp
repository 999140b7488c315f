// ftstudio-cli quantize: what a quantization method does to a model's layers or a file's tensors, as JSON.

#include "cli_args.h"
#include "commands.h"

#include "core/model/quantize_tensors.h"

#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>

namespace ftcli {

int quantize(const Args& argsIn) {
    Args args = argsIn;
    const auto model = takeOption(args, "--model");
    const auto tensorFile = takeOption(args, "--tensor-file");
    const auto layer = takeOption(args, "--layer");
    const auto method = takeOption(args, "--method");
    const auto granularity = takeOption(args, "--granularity");
    const auto blocksize = takeOption(args, "--blocksize");
    const auto out = takeOption(args, "--out");
    ft::QuantOptions options;
    options.doubleQuant = takeFlag(args, "--double-quant");
    if (!args.empty() || bool(model) == bool(tensorFile) || !method || (layer && !model))
        throw UsageError("usage: ftstudio-cli quantize (--model DIR [--layer NAME] | --tensor-file FILE.safetensors) "
                         "--method nf4|fp4|int8-sym|int8-asym [--granularity tensor|channel|block] [--blocksize N] "
                         "[--double-quant] [--out FILE.safetensors]");
    bool known = false;
    for (auto m : {ft::QuantMethod::Nf4, ft::QuantMethod::Fp4, ft::QuantMethod::Int8Sym, ft::QuantMethod::Int8Asym})
        if (*method == ft::quantMethodName(m)) {
            options.method = m;
            known = true;
        }
    if (!known) throw UsageError("unknown --method '" + *method + "' (nf4, fp4, int8-sym, int8-asym)");
    const bool fourBit = options.method == ft::QuantMethod::Nf4 || options.method == ft::QuantMethod::Fp4;
    options.granularity = fourBit ? ft::Granularity::Block : ft::Granularity::Tensor;
    if (granularity) {
        if (*granularity == "tensor") options.granularity = ft::Granularity::Tensor;
        else if (*granularity == "channel") options.granularity = ft::Granularity::Channel;
        else if (*granularity == "block") options.granularity = ft::Granularity::Block;
        else throw UsageError("unknown --granularity '" + *granularity + "' (tensor, channel, block)");
        if (fourBit && options.granularity != ft::Granularity::Block)
            throw UsageError("nf4 and fp4 are block-wise only (as bitsandbytes stores them)");
    }
    if (blocksize) options.blocksize = toInt(*blocksize, "--blocksize");
    if (options.doubleQuant && !fourBit) throw UsageError("--double-quant applies to nf4 and fp4");

    const auto report = ft::quantizeTensors(model ? *model : *tensorFile, layer, options,
                                            out ? std::optional<std::filesystem::path>(*out) : std::nullopt);
    auto finite = [](double v) { return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json("inf"); };
    nlohmann::ordered_json j;
    j["method"] = std::string(ft::quantMethodName(options.method));
    j["granularity"] = fourBit ? "block" : (options.granularity == ft::Granularity::Tensor ? "tensor"
                                            : options.granularity == ft::Granularity::Channel ? "channel" : "block");
    j["blocksize"] = options.blocksize;
    j["double_quant"] = options.doubleQuant;
    j["tensors"] = nlohmann::ordered_json::array();
    for (const auto& t : report.tensors) {
        nlohmann::ordered_json r{{"name", t.name},
                                 {"shape", t.shape},
                                 {"numel", t.error.elements},
                                 {"mse", t.error.mse},
                                 {"max_abs_error", t.error.maxAbsError},
                                 {"snr_db", finite(t.error.snrDb)},
                                 {"bytes", t.error.bytes},
                                 {"bits_per_element", t.error.bitsPerElement}};
        if (!t.q.empty()) {
            r["q"] = t.q;
            r["scale"] = t.scale;
            if (!t.zeroPoint.empty()) r["zero_point"] = t.zeroPoint;
        }
        if (!t.packed.empty()) {
            r["packed"] = t.packed;
            r["absmax"] = t.absmax;
        }
        j["tensors"].push_back(std::move(r));
    }
    j["total_bytes"] = report.totalBytes;
    j["original_bytes"] = report.originalBytes;
    std::printf("%s\n", j.dump(2).c_str());
    return 0;
}

} // namespace ftcli
