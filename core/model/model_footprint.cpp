#include "core/model/model_footprint.h"

#include "core/io/safetensors.h"
#include "core/model/model_folder.h"
#include "core/model/tensor_names.h"

namespace ft {

ModelFootprint modelFootprint(const std::filesystem::path& dir) {
    ModelFootprint f;
    int64_t rows = 0, tensors = 0;
    for (const auto& file : modelWeightFiles(dir)) {
        const SafetensorsFile st = SafetensorsFile::open(file);
        for (const auto& e : st.entries()) {
            f.parameters += e.numel();
            if (f.dtype.empty()) f.dtype = dtypeName(e.dtype);
            if (isBlockProjectionWeight(e.name, e.shape.size())) {
                f.quantizableParameters += e.numel();
                rows += e.shape[0];
                ++tensors;
            }
        }
    }
    const int64_t rest = f.parameters - f.quantizableParameters;
    const int64_t blocks = (f.quantizableParameters + 63) / 64;
    f.fp32 = 4 * f.parameters;
    f.fp16 = f.bf16 = 2 * f.parameters;
    f.int8 = f.quantizableParameters + 4 * rows + 2 * rest;
    f.nf4Absmax = 4 * blocks;
    // bitsandbytes' nested statistics: uint8 absmax per block, fp32 absmax per 256 of them, a 256-entry fp32 code
    // table and an fp32 offset per tensor.
    f.nf4DoubleQuantAbsmax = blocks + 4 * ((blocks + 255) / 256) + tensors * (256 * 4 + 4);
    const int64_t packed = (f.quantizableParameters + 1) / 2;
    f.nf4 = packed + f.nf4Absmax + 2 * rest;
    f.nf4DoubleQuant = packed + f.nf4DoubleQuantAbsmax + 2 * rest;
    return f;
}

} // namespace ft
