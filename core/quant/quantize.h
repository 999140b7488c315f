#pragma once
// Quantization methods the app can preview on a model's weights, and how much a method loses on a tensor.
// Public and torch-free: tensors are forward declared; the quantizers themselves live in quantizers.h.

#include <cstdint>
#include <string_view>
#include <vector>

namespace at {
class Tensor;
}

namespace ft {

enum class QuantMethod {
    Int8Sym,   // q = round(x / s), s = max|x| / 127
    Int8Asym,  // q = clamp(round(x / s) + z, -128, 127), s = (max - min) / 255 over a range that includes 0
    Nf4,       // bitsandbytes NormalFloat4, block-wise absmax
    Fp4,       // bitsandbytes FP4 (e2m1 without inf/nan), block-wise absmax
};

// Which elements share a scale. The 4-bit methods are always block-wise (bitsandbytes has no other layout).
enum class Granularity {
    Tensor,   // one scale for the whole tensor
    Channel,  // one per output channel (dim 0)
    Block,    // one per `blocksize` consecutive elements of the flattened tensor; the last block may be partial
};

struct QuantOptions {
    QuantMethod method = QuantMethod::Nf4;
    Granularity granularity = Granularity::Block;
    int64_t blocksize = 64;      // a power of two in 32..4096 (bitsandbytes' accepted sizes)
    bool doubleQuant = false;    // 4-bit only: bitsandbytes' compress_statistics (8-bit absmax, blocks of 256)
};

// How much a method loses on one tensor. Histograms are plain vectors so the UI can plot them without torch.
struct QuantError {
    double mse = 0.0;
    double maxAbsError = 0.0;
    double snrDb = 0.0;          // 10 log10(sum x^2 / sum (x - x^)^2); +inf when exact
    int64_t bytes = 0;           // quantized payload plus scales, zero points, absmax and nested statistics
    int64_t elements = 0;
    double bitsPerElement = 0.0;
    // How often each level of the method is used (256 for int8 in order -128..127, 16 for 4-bit codes 0..15).
    std::vector<int64_t> levelHistogram;
    // Errors x^ - x in `errorBins` equal bins over [errorMin, errorMax].
    std::vector<int64_t> errorHistogram;
    double errorMin = 0.0;
    double errorMax = 0.0;
};

std::string_view quantMethodName(QuantMethod method);   // "int8-sym", "int8-asym", "nf4", "fp4"

// Quantizes `x` (any float dtype, any shape, CPU or not) with `options`, dequantizes it and measures the loss.
// Throws ft::Error (InvalidValue) for a bad blocksize or an empty tensor.
QuantError measureError(const at::Tensor& x, const QuantOptions& options, int errorBins = 64);

} // namespace ft
