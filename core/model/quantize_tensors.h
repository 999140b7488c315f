#pragma once
// The quantization report of a model folder or a .safetensors file (`ftstudio-cli quantize`, the UI's quantization
// inspector): here the folder's weight files and its projections are picked, core/quant/quant_report.h does the
// rest. Torch-free so the CLI and the UI can call it.

#include "core/quant/quant_report.h"

#include <filesystem>
#include <optional>
#include <string>

namespace ft {

// source: a model folder (its decoder-layer projection weights, or the one named `layer`) or a .safetensors file
// (every floating-point tensor). `out`: write the quantized tensors (codes + scales) as safetensors. Throws
// InvalidValue when no tensor is selected.
QuantReport quantizeTensors(const std::filesystem::path& source, const std::optional<std::string>& layer,
                            const QuantOptions& options, const std::optional<std::filesystem::path>& out = std::nullopt);

} // namespace ft
