#pragma once
// A model folder's size in each storage format. Plain C++ (no LibTorch): the UI's model page and `ftstudio-cli info`
// read it without loading the model.

#include <cstdint>
#include <filesystem>
#include <string>

namespace ft {

// What a model folder costs in memory in each storage format, from its safetensors headers (no weights read).
// int8 and nf4 apply to the decoder layers' linear weights (as bitsandbytes does); the rest stays in bf16.
struct ModelFootprint {
    int64_t parameters = 0;
    int64_t quantizableParameters = 0;  // decoder-layer projection weights
    std::string dtype;                  // of the stored weights
    int64_t fp32 = 0, fp16 = 0, bf16 = 0;
    int64_t int8 = 0;                   // 1 byte per weight + an fp32 absmax per output row
    int64_t nf4 = 0;                    // 4 bits per weight + an fp32 absmax per 64-block
    int64_t nf4DoubleQuant = 0;         // absmax as 8-bit codes per block + fp32 scale per 256 absmax + code table
    int64_t nf4Absmax = 0, nf4DoubleQuantAbsmax = 0;  // the overhead alone
};

ModelFootprint modelFootprint(const std::filesystem::path& dir);

} // namespace ft
