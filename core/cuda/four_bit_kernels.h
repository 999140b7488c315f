#pragma once
// CUDA kernels for 4-bit (NF4/FP4) weights in the layout of core/quant/quantizers.h (Quantized4Bit): packed bytes
// with element 2j in the high nibble of byte j, one absmax per block of `blocksize` consecutive elements of the
// flattened tensor, the absmax either fp32 or double quantized (uint8 in the 8-bit dynamic map over blocks of 256,
// fp32 nested absmax, plus an offset). No LibTorch here, so nvcc stays fast; core/quant/four_bit_device.h wraps these
// for tensors, and its reference twins (plain LibTorch ops) are what the kernels are tested against.
//
// All pointers are device pointers except FourBitTables, which travels by value in the kernel parameters.
// Launches are asynchronous on `stream`; the return value is the launch's error (cudaSuccess when queued).

#include <cuda_runtime_api.h>

#include <cstdint>

namespace ft::cuda {

enum class FloatType { F32, BF16, F16 };

// The code tables, copied from fourBitCode() and dynamicMap() by the caller (one source of truth, on the host).
struct FourBitTables {
    float code[16];          // value of each 4-bit code
    float dynamicMap[256];   // 8-bit dynamic map of the double-quantized absmax
};

struct FourBitStats {
    const float* absmax = nullptr;         // fp32 [blocks]; null when double quantized
    const uint8_t* absmaxQ = nullptr;      // uint8 [blocks]
    const float* nestedAbsmax = nullptr;   // fp32 [ceil(blocks / 256)]
    float offset = 0.0f;
};

// out[i] = code[nibble i] * absmax[i / blocksize] in fp32, then rounded to outType (round to nearest even), for the
// n elements. Double-quantized absmax = dynamicMap[absmaxQ[b]] * nestedAbsmax[b / 256] + offset, each step rounded
// in fp32 (no fused multiply-add): bit for bit what dequantize4Bit computes on the CPU. blocksize: power of two >= 32.
cudaError_t dequantize4Bit(const uint8_t* packed, int64_t n, int64_t blocksize, const FourBitStats& stats,
                           const FourBitTables& tables, void* out, FloatType outType, cudaStream_t stream);

// y[m, o] = sum_i W[o, i] * x[m, i] for W (rows, cols) stored 4-bit as above (blocks over the flattened row-major
// index, so a block may span rows and a row may start mid-byte), x (batch, cols) and y (batch, rows) contiguous, both
// of type `type`. fp32 products and accumulation; one warp per output row. Meant for batch 1 (token-by-token
// generation): every batch row reads W again. batch <= 65535.
cudaError_t gemv4Bit(const uint8_t* packed, int64_t rows, int64_t cols, int64_t blocksize, const FourBitStats& stats,
                     const FourBitTables& tables, const void* x, void* y, int64_t batch, FloatType type,
                     cudaStream_t stream);

} // namespace ft::cuda
