// measureError(): quantize, dequantize and compare, for the quantization preview.

#include "core/quant/quantizers.h"

#include "core/common/error.h"

#include <cmath>
#include <limits>

namespace ft {

std::string_view quantMethodName(QuantMethod method) {
    switch (method) {
    case QuantMethod::Int8Sym: return "int8-sym";
    case QuantMethod::Int8Asym: return "int8-asym";
    case QuantMethod::Nf4: return "nf4";
    case QuantMethod::Fp4: return "fp4";
    }
    return "?";
}

namespace {

std::vector<int64_t> toVector(const at::Tensor& counts) {
    const auto c = counts.to(torch::kInt64).contiguous();
    return std::vector<int64_t>(c.data_ptr<int64_t>(), c.data_ptr<int64_t>() + c.numel());
}

} // namespace

namespace {

// Compares x with its reconstruction; the caller fills bytes and the level histogram.
void compare(const at::Tensor& x, const at::Tensor& approx, int errorBins, QuantError& e) {
    if (errorBins < 1) throw Error(ErrorCode::InvalidValue, "measureError", "errorBins must be positive");
    const auto ref = x.detach().to(torch::kCPU).to(torch::kFloat64).reshape(-1);
    e.elements = ref.numel();
    const auto err = approx.to(torch::kFloat64).reshape(-1) - ref;
    const double sq = err.square().sum().item<double>();
    e.mse = sq / double(e.elements);
    e.maxAbsError = err.abs().max().item<double>();
    const double signal = ref.square().sum().item<double>();
    e.snrDb = sq > 0 ? 10.0 * std::log10(signal / sq) : std::numeric_limits<double>::infinity();
    e.bitsPerElement = 8.0 * double(e.bytes) / double(e.elements);
    e.errorMin = err.min().item<double>();
    e.errorMax = err.max().item<double>();
    if (e.errorMax > e.errorMin)
        e.errorHistogram = toVector(torch::histc(err, errorBins, e.errorMin, e.errorMax));
    else {   // exact (or uniformly off): everything in one bin
        e.errorHistogram.assign(size_t(errorBins), 0);
        e.errorHistogram[0] = e.elements;
    }
}

} // namespace

at::Tensor fourBitInput(const at::Tensor& x) {
    return x.scalar_type() == at::kDouble ? x.to(torch::kFloat32) : x;
}

QuantError measureError(const at::Tensor& x, const Quantized4Bit& q, int errorBins) {
    QuantError e;
    e.bytes = storageBytes(q);
    e.levelHistogram = toVector(torch::bincount(unpack4Bit(q).to(torch::kInt64), {}, 16));
    compare(x, dequantize4Bit(q), errorBins, e);
    return e;
}

QuantError measureError(const at::Tensor& x, const QuantizedInt8& q, int errorBins) {
    QuantError e;
    e.bytes = storageBytes(q);
    e.levelHistogram = toVector(torch::bincount(q.q.reshape(-1).to(torch::kInt64) + 128, {}, 256));
    compare(x, dequantizeInt8(q), errorBins, e);
    return e;
}

QuantError measureError(const at::Tensor& x, const QuantOptions& options, int errorBins) {
    if (!x.defined() || x.numel() == 0) throw Error(ErrorCode::InvalidValue, "measureError", "empty tensor");
    if (options.method == QuantMethod::Nf4 || options.method == QuantMethod::Fp4) {
        const auto type = options.method == QuantMethod::Nf4 ? FourBitType::Nf4 : FourBitType::Fp4;
        return measureError(x, quantize4Bit(fourBitInput(x), type, options.blocksize, options.doubleQuant), errorBins);
    }
    return measureError(x, quantizeInt8(x, options.method, options.granularity, options.blocksize), errorBins);
}

} // namespace ft
