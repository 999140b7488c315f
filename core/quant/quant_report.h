#pragma once
// Quantizing tensors from safetensors files to see what a method costs, tensor by tensor; optionally writing the
// quantized tensors. Which files and tensors is the caller's (model/quantize_tensors.h picks a model folder's
// projections). Torch-free so the CLI and the UI can call it.

#include "core/io/safetensors.h"
#include "core/quant/quantize.h"

#include <filesystem>
#include <functional>
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

// Says which of the files' floating-point tensors to quantize; an empty one takes them all.
using TensorSelector = std::function<bool(const TensorEntry&)>;

// Quantizes the selected non-empty floating-point tensors of `files`, in file order. `out`: write the quantized
// tensors (codes + scales) as safetensors. When nothing was selected the report is empty and nothing is written.
QuantReport quantizeTensorFiles(const std::vector<std::filesystem::path>& files, const TensorSelector& select,
                                const QuantOptions& options, const std::optional<std::filesystem::path>& out = std::nullopt);

} // namespace ft
