#pragma once
// Quantizing a model's (or a file's) tensors to see what a method costs, layer by layer; optionally writing the
// quantized tensors. Torch-free so the CLI and the UI can call it.

#include "core/quant/quantize.h"

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace ft {

struct TensorQuantReport {
    std::string name;
    std::vector<int64_t> shape;
    QuantError error;
    // For small tensors (<= 4096 values) the stored data itself: int8 codes, scales and zero points, or the packed
    // 4-bit bytes and the per-block absmax.
    std::vector<int> q;
    std::vector<double> scale;
    std::vector<int> zeroPoint;
    std::vector<int> packed;
    std::vector<double> absmax;
};

struct QuantReport {
    std::vector<TensorQuantReport> tensors;
    int64_t totalBytes = 0;          // quantized tensors plus scales/statistics
    int64_t originalBytes = 0;       // as stored in the source
};

// source: a model folder (its decoder-layer projection weights, or the one named `layer`) or a .safetensors file
// (every floating-point tensor). `out`: write the quantized tensors (codes + scales) as safetensors.
QuantReport quantizeTensors(const std::filesystem::path& source, const std::optional<std::string>& layer,
                            const QuantOptions& options, const std::optional<std::filesystem::path>& out = std::nullopt);

} // namespace ft
