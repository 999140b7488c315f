// The 4-bit kernels' launches for tensors, registered with ftcore (core/quant/four_bit_device.h) when
// libftcore_cuda.so is loaded. The tensors come checked (layout, shapes, on one CUDA device); this turns them into the
// kernels' plain pointers and launches on the device's current stream.

#include "core/common/error.h"
#include "core/cuda/four_bit_kernels.h"
#include "core/quant/four_bit_device.h"

#include <c10/cuda/CUDAGuard.h>
#include <c10/cuda/CUDAStream.h>

#include <algorithm>

namespace ft {

namespace {

cuda::FloatType kernelType(at::ScalarType t, const char* where) {
    switch (t) {
    case at::kFloat: return cuda::FloatType::F32;
    case at::kBFloat16: return cuda::FloatType::BF16;
    case at::kHalf: return cuda::FloatType::F16;
    default:
        throw Error(ErrorCode::Unsupported, where,
                    std::string("dtype ") + c10::toString(t) + " (the kernels take float32, bfloat16, float16)");
    }
}

cuda::FourBitTables kernelTables(FourBitType type) {
    cuda::FourBitTables t{};
    std::copy(fourBitCode(type).begin(), fourBitCode(type).end(), t.code);
    std::copy(dynamicMap().begin(), dynamicMap().end(), t.dynamicMap);
    return t;
}

// q's tensors made contiguous fp32/uint8 on its device, kept alive for the launch.
struct KernelInputs {
    at::Tensor packed, absmax, absmaxQ, nested;
    cuda::FourBitStats stats;

    KernelInputs(const Quantized4Bit& q, const char* where) {
        const auto device = q.packed.device();
        const auto onDevice = [&](const at::Tensor& t) {
            if (t.device() != device)
                throw Error(ErrorCode::InvalidValue, where,
                            "statistics on " + t.device().str() + " but packed weights on " + device.str());
            return t;
        };
        packed = q.packed.contiguous();
        if (q.doubleQuant()) {
            absmaxQ = onDevice(q.absmaxQ).contiguous();
            nested = onDevice(q.nestedAbsmax).to(at::kFloat).contiguous();
            stats.absmaxQ = absmaxQ.data_ptr<uint8_t>();
            stats.nestedAbsmax = nested.data_ptr<float>();
            stats.offset = q.offset;
        } else {
            absmax = onDevice(q.absmax).to(at::kFloat).contiguous();
            stats.absmax = absmax.data_ptr<float>();
        }
    }
};

void checkLaunch(cudaError_t e, const char* where) {
    if (e != cudaSuccess)
        throw Error(ErrorCode::Internal, where, std::string("kernel launch failed: ") + cudaGetErrorString(e));
}

at::Tensor dequantize(const Quantized4Bit& q, at::ScalarType out) {
    constexpr const char* where = "dequantize4BitCuda";
    const auto type = kernelType(out, where);
    const c10::cuda::CUDAGuard guard(q.packed.device());
    const KernelInputs in(q, where);
    auto result = at::empty(q.shape, in.packed.options().dtype(out));
    checkLaunch(cuda::dequantize4Bit(in.packed.data_ptr<uint8_t>(), result.numel(), q.blocksize, in.stats,
                                     kernelTables(q.type), result.data_ptr(), type,
                                     c10::cuda::getCurrentCUDAStream().stream()),
                where);
    return result;
}

at::Tensor gemv(const at::Tensor& x, const Quantized4Bit& w) {
    constexpr const char* where = "gemv4BitCuda";
    const auto type = kernelType(x.scalar_type(), where);
    const int64_t rows = w.shape[0], cols = w.shape[1];
    const c10::cuda::CUDAGuard guard(w.packed.device());
    const KernelInputs in(w, where);
    const auto xs = x.contiguous().reshape({-1, cols});   // (batch, in)
    auto y = at::empty({xs.size(0), rows}, x.options());   // (batch, out)
    const auto tables = kernelTables(w.type);
    const auto stream = c10::cuda::getCurrentCUDAStream().stream();
    constexpr int64_t kMaxBatch = 65535;   // gridDim.y
    for (int64_t m = 0; m < xs.size(0); m += kMaxBatch) {
        const int64_t count = std::min(kMaxBatch, xs.size(0) - m);
        checkLaunch(cuda::gemv4Bit(in.packed.data_ptr<uint8_t>(), rows, cols, w.blocksize, in.stats, tables,
                                   xs[m].data_ptr(), y[m].data_ptr(), count, type, stream),
                    where);
    }
    auto shape = x.sizes().vec();
    shape.back() = rows;
    return y.reshape(shape);
}

const bool registered = (registerFourBitCudaKernels({&dequantize, &gemv}), true);

} // namespace

} // namespace ft
