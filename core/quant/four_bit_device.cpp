// 4-bit weights on any device: the reference twins in LibTorch ops, and the wrappers that check tensors and hand
// them to the CUDA kernels libftcore_cuda.so registered (core/cuda/four_bit_cuda.cpp). The twins repeat dequantize4Bit()'s fp32 operations element for element
// (only laid out for a device: no per-element int64 block index), which is what makes them bit-identical to it.

#include "core/quant/four_bit_device.h"

#include "core/common/error.h"

#include "core/device/cuda_support.h"

#include <algorithm>

namespace ft {

namespace {

int64_t elementCount(const Quantized4Bit& q) {
    int64_t n = 1;
    for (auto s : q.shape) n *= s;
    return n;
}

template <size_t N>
at::Tensor tableOn(const std::array<float, N>& table, c10::Device device) {
    return torch::tensor(std::vector<float>(table.begin(), table.end()), torch::kFloat32).to(device);
}

// The sizes the kernels and twins rely on; a mismatch would read out of bounds on a device.
void checkLayout(const Quantized4Bit& q, const char* where) {
    checkBlocksize(q.blocksize, where);
    const int64_t n = elementCount(q);
    if (!q.packed.defined() || q.packed.scalar_type() != at::kByte || q.packed.numel() != (n + 1) / 2)
        throw Error(ErrorCode::InvalidValue, where,
                    "packed must be uint8 with ceil(n / 2) = " + std::to_string((n + 1) / 2) + " bytes");
    const int64_t blocks = (n + q.blocksize - 1) / q.blocksize;
    const auto count = [](const at::Tensor& t) { return t.defined() ? t.numel() : int64_t(-1); };
    const bool ok = q.doubleQuant() ? count(q.absmaxQ) == blocks && q.absmaxQ.scalar_type() == at::kByte &&
                                          count(q.nestedAbsmax) == (blocks + 255) / 256
                                    : count(q.absmax) == blocks;
    if (!ok)
        throw Error(ErrorCode::InvalidValue, where,
                    "statistics do not match " + std::to_string(blocks) + " blocks of " +
                        std::to_string(q.blocksize));
}

// Per-block absmax in fp32, as blockAbsmax() computes it: map[q] * nested[b / 256], then + offset.
at::Tensor referenceAbsmax(const Quantized4Bit& q) {
    if (!q.doubleQuant()) return q.absmax.to(torch::kFloat32).reshape(-1);
    const int64_t blocks = q.absmaxQ.numel();
    const auto map = tableOn(dynamicMap(), q.absmaxQ.device());
    const auto nested = q.nestedAbsmax.to(torch::kFloat32).reshape(-1).repeat_interleave(256).slice(0, 0, blocks);
    return map.index_select(0, q.absmaxQ.reshape(-1).to(torch::kInt32)) * nested + q.offset;
}

// What libftcore_cuda.so registered when it was loaded (core/cuda/four_bit_cuda.cpp); null members until then.
FourBitCudaKernels g_kernels;


void requireCudaKernels(const at::Tensor& t, const char* where) {
    if (!fourBitCudaKernelsBuilt())
        throw Error(ErrorCode::Unsupported, where,
                    loadCudaSupport() ? std::string("this build has no CUDA kernels (configure with a CUDA compiler and "
                                                    "FT_BUILD_CUDA_KERNELS=ON); use the reference twin")
                                      : "CUDA is not loaded: " + cudaSupportProblem() + "; use the reference twin");
    if (!t.defined() || !t.is_cuda())
        throw Error(ErrorCode::Unsupported, where,
                    "tensors are on " + (t.defined() ? t.device().str() : std::string("no device")) +
                        ", not a CUDA device: move them with toDevice() or use the reference twin");
}

void checkGemvShapes(const at::Tensor& x, const Quantized4Bit& w, const char* where) {
    if (w.shape.size() != 2)
        throw Error(ErrorCode::InvalidValue, where,
                    "the weight must be 2-D (out, in), got " + std::to_string(w.shape.size()) + " dimensions");
    if (!x.defined() || x.dim() < 1 || x.size(-1) != w.shape[1])
        throw Error(ErrorCode::InvalidValue, where,
                    "x must be (..., " + std::to_string(w.shape[1]) + ") for a weight of shape (" +
                        std::to_string(w.shape[0]) + ", " + std::to_string(w.shape[1]) + ")");
    if (x.device() != w.packed.device())
        throw Error(ErrorCode::InvalidValue, where,
                    "x on " + x.device().str() + " but the weight on " + w.packed.device().str());
}

} // namespace

Quantized4Bit toDevice(const Quantized4Bit& q, c10::Device device) {
    const auto move = [&](const at::Tensor& t) { return t.defined() ? t.to(device) : t; };
    Quantized4Bit r = q;
    r.packed = move(q.packed);
    r.absmax = move(q.absmax);
    r.absmaxQ = move(q.absmaxQ);
    r.nestedAbsmax = move(q.nestedAbsmax);
    return r;
}

at::Tensor dequantize4BitReference(const Quantized4Bit& q, at::ScalarType out) {
    checkLayout(q, "dequantize4BitReference");
    const int64_t n = elementCount(q);
    const int64_t blocks = (n + q.blocksize - 1) / q.blocksize;
    const auto device = q.packed.device();

    const auto p = q.packed.reshape(-1);   // element 2j high nibble, 2j+1 low
    const auto nibbles = torch::stack({torch::bitwise_right_shift(p, 4), torch::bitwise_and(p, 0x0F)}, 1)
                             .reshape(-1)
                             .slice(0, 0, n)
                             .to(torch::kInt32);
    const auto values = tableOn(fourBitCode(q.type), device).index_select(0, nibbles);   // (n)
    const auto absmax = referenceAbsmax(q);                                               // (blocks)
    // (blocks, blocksize) * (blocks, 1): the same fp32 product per element as code * absmax[i / blocksize].
    const auto padded = torch::constant_pad_nd(values, {0, blocks * q.blocksize - n}, 0);
    const auto product = (padded.view({blocks, q.blocksize}) * absmax.view({blocks, 1})).reshape(-1).slice(0, 0, n);
    return product.reshape(q.shape).to(out);
}

at::Tensor gemv4BitReference(const at::Tensor& x, const Quantized4Bit& w) {
    checkGemvShapes(x, w, "gemv4BitReference");
    const auto weight = dequantize4BitReference(w, torch::kFloat32);   // (out, in)
    return at::matmul(x.to(torch::kFloat32), weight.t()).to(x.scalar_type());
}

void registerFourBitCudaKernels(const FourBitCudaKernels& kernels) { g_kernels = kernels; }

bool fourBitCudaKernelsBuilt() { return loadCudaSupport() && g_kernels.dequantize && g_kernels.gemv; }

at::Tensor dequantize4BitCuda(const Quantized4Bit& q, at::ScalarType out) {
    constexpr const char* where = "dequantize4BitCuda";
    requireCudaKernels(q.packed, where);
    checkLayout(q, where);
    return g_kernels.dequantize(q, out);
}

at::Tensor gemv4BitCuda(const at::Tensor& x, const Quantized4Bit& w) {
    constexpr const char* where = "gemv4BitCuda";
    requireCudaKernels(w.packed, where);
    checkLayout(w, where);
    checkGemvShapes(x, w, where);
    return g_kernels.gemv(x, w);
}

at::Tensor dequantize4BitOn(const Quantized4Bit& q, at::ScalarType out) {
    if (fourBitCudaKernelsBuilt() && q.packed.defined() && q.packed.is_cuda()) return dequantize4BitCuda(q, out);
    return dequantize4BitReference(q, out);
}

} // namespace ft
