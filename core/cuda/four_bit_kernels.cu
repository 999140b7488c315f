// 4-bit dequantization and fused dequantize + GEMV (see four_bit_kernels.h for the layout).
// Bit-exactness with the CPU (dequantize4Bit, i.e. bitsandbytes' cpu_ops.cpp dequantizeBlockwise4bitCpu) rests on
// doing the same fp32 operations in the same order: __fmul_rn / __fadd_rn keep nvcc from contracting the double-quant
// decode (map * nested + offset) into one FMA, and the casts round to nearest even like c10's. The code tables go to
// shared memory: lanes look up different codes, which constant memory would serialize.

#include "core/cuda/four_bit_kernels.h"

#include <cuda_bf16.h>
#include <cuda_fp16.h>

#include <climits>

namespace ft::cuda {

namespace {

constexpr int kDequantThreads = 256;   // each thread: 8 elements (4 packed bytes)
constexpr int kGemvWarps = 4;          // output rows per thread block, one warp each
constexpr int kGemvUnroll = 4;         // 16-byte weight loads a lane has in flight

template <typename T>
struct Conv;
template <>
struct Conv<float> {
    static __device__ __forceinline__ float from(float v) { return v; }
    static __device__ __forceinline__ float to(float v) { return v; }
};
template <>
struct Conv<__nv_bfloat16> {
    static __device__ __forceinline__ __nv_bfloat16 from(float v) { return __float2bfloat16_rn(v); }
    static __device__ __forceinline__ float to(__nv_bfloat16 v) { return __bfloat162float(v); }
};
template <>
struct Conv<__half> {
    static __device__ __forceinline__ __half from(float v) { return __float2half_rn(v); }
    static __device__ __forceinline__ float to(__half v) { return __half2float(v); }
};

// 8 consecutive values to 16-byte-aligned memory.
__device__ __forceinline__ void store8(float* out, const float (&v)[8]) {
    reinterpret_cast<float4*>(out)[0] = make_float4(v[0], v[1], v[2], v[3]);
    reinterpret_cast<float4*>(out)[1] = make_float4(v[4], v[5], v[6], v[7]);
}
__device__ __forceinline__ void store8(__nv_bfloat16* out, const float (&v)[8]) {
    __nv_bfloat162 p[4];
#pragma unroll
    for (int k = 0; k < 4; ++k) p[k] = __floats2bfloat162_rn(v[2 * k], v[2 * k + 1]);   // .x = lower address
    *reinterpret_cast<uint4*>(out) = *reinterpret_cast<const uint4*>(p);
}
__device__ __forceinline__ void store8(__half* out, const float (&v)[8]) {
    __half2 p[4];
#pragma unroll
    for (int k = 0; k < 4; ++k) p[k] = __floats2half2_rn(v[2 * k], v[2 * k + 1]);
    *reinterpret_cast<uint4*>(out) = *reinterpret_cast<const uint4*>(p);
}

// 8 consecutive values from 16-byte-aligned memory, through the read-only cache (x is read by every row).
__device__ __forceinline__ void load8(const float* x, float (&v)[8]) {
    const float4 a = __ldg(reinterpret_cast<const float4*>(x));
    const float4 b = __ldg(reinterpret_cast<const float4*>(x) + 1);
    v[0] = a.x, v[1] = a.y, v[2] = a.z, v[3] = a.w, v[4] = b.x, v[5] = b.y, v[6] = b.z, v[7] = b.w;
}
__device__ __forceinline__ void load8(const __nv_bfloat16* x, float (&v)[8]) {
    const uint4 r = __ldg(reinterpret_cast<const uint4*>(x));
    const auto* p = reinterpret_cast<const __nv_bfloat162*>(&r);
#pragma unroll
    for (int k = 0; k < 4; ++k) {
        const float2 f = __bfloat1622float2(p[k]);
        v[2 * k] = f.x, v[2 * k + 1] = f.y;
    }
}
__device__ __forceinline__ void load8(const __half* x, float (&v)[8]) {
    const uint4 r = __ldg(reinterpret_cast<const uint4*>(x));
    const auto* p = reinterpret_cast<const __half2*>(&r);
#pragma unroll
    for (int k = 0; k < 4; ++k) {
        const float2 f = __half22float2(p[k]);
        v[2 * k] = f.x, v[2 * k + 1] = f.y;
    }
}

template <bool DoubleQuant>
__device__ __forceinline__ void loadTables(const FourBitTables& t, float* code, float* map) {
    for (int i = threadIdx.x; i < 16; i += blockDim.x) code[i] = t.code[i];
    if constexpr (DoubleQuant)
        for (int i = threadIdx.x; i < 256; i += blockDim.x) map[i] = t.dynamicMap[i];
    __syncthreads();
}

// The absmax of block b; double quantized: dynamicMap[q] * nested[b / 256] + offset, rounded after each step as
// the CPU does (blockAbsmax() in four_bit_quantizer.cpp).
template <bool DoubleQuant>
__device__ __forceinline__ float blockAbsmax(const FourBitStats& s, const float* map, int64_t b) {
    if constexpr (DoubleQuant)
        return __fadd_rn(__fmul_rn(map[s.absmaxQ[b]], __ldg(s.nestedAbsmax + (b >> 8))), s.offset);
    else
        return __ldg(s.absmax + b);
}

// One thread per 8 elements. blocksize >= 32 and groups start at multiples of 8, so a group lies in one block.
template <typename T, bool DoubleQuant, bool Vectorized>
__global__ void __launch_bounds__(kDequantThreads)
    dequantizeKernel(const uint8_t* __restrict__ packed, int64_t n, int log2Block, FourBitStats stats,
                     const FourBitTables tables, T* __restrict__ out) {
    __shared__ float code[16];
    __shared__ float map[DoubleQuant ? 256 : 1];
    loadTables<DoubleQuant>(tables, code, map);

    const int64_t group = int64_t(blockIdx.x) * blockDim.x + threadIdx.x;
    const int64_t first = group * 8;
    if (first >= n) return;
    const float a = blockAbsmax<DoubleQuant>(stats, map, first >> log2Block);
    if (Vectorized && first + 8 <= n) {
        const unsigned bytes = __ldcs(reinterpret_cast<const unsigned*>(packed) + group);   // streamed once
        float v[8];
#pragma unroll
        for (int k = 0; k < 4; ++k) {
            const unsigned b = (bytes >> (8 * k)) & 0xFFu;   // little endian: byte 4 * group + k
            v[2 * k] = __fmul_rn(code[b >> 4], a);
            v[2 * k + 1] = __fmul_rn(code[b & 15u], a);
        }
        store8(out + first, v);
        return;
    }
    const int64_t end = n < first + 8 ? n : first + 8;
    for (int64_t i = first; i < end; ++i) {
        const unsigned b = packed[i >> 1];
        out[i] = Conv<T>::from(__fmul_rn(code[(i & 1) ? (b & 15u) : (b >> 4)], a));
    }
}

// One warp per output row, one thread-block row (blockIdx.y) per batch row. Vectorized path (cols % 32 == 0,
// aligned): each lane takes 32-element chunks (16 packed bytes, one uint4 load) that lie inside one absmax block,
// sums code * x over the chunk and scales by the absmax once. Otherwise element by element, which handles rows
// starting mid-byte and blocks crossing rows.
template <typename T, bool DoubleQuant>
__global__ void __launch_bounds__(kGemvWarps * 32)
    gemvKernel(const uint8_t* __restrict__ packed, int64_t rows, int64_t cols, int log2Block, FourBitStats stats,
               const FourBitTables tables, const T* __restrict__ x, T* __restrict__ y, bool vectorized) {
    __shared__ float code[16];
    __shared__ float map[DoubleQuant ? 256 : 1];
    loadTables<DoubleQuant>(tables, code, map);

    const int lane = threadIdx.x & 31;
    const int64_t row = int64_t(blockIdx.x) * kGemvWarps + (threadIdx.x >> 5);
    if (row >= rows) return;
    const T* xr = x + int64_t(blockIdx.y) * cols;   // (cols)
    const int64_t rowStart = row * cols;             // flat index of W[row, 0]
    float acc = 0.0f;

    if (vectorized) {
        const int64_t chunks = cols >> 5;
        const uint4* w = reinterpret_cast<const uint4*>(packed + (rowStart >> 1));
        for (int64_t c0 = lane; c0 < chunks; c0 += 32 * kGemvUnroll) {
            uint4 wv[kGemvUnroll];
            float am[kGemvUnroll];
#pragma unroll
            for (int u = 0; u < kGemvUnroll; ++u) {   // issue all loads first
                const int64_t c = c0 + 32 * u;
                wv[u] = c < chunks ? __ldcs(w + c) : make_uint4(0, 0, 0, 0);
                am[u] = c < chunks ? blockAbsmax<DoubleQuant>(stats, map, (rowStart + (c << 5)) >> log2Block) : 0.0f;
            }
#pragma unroll
            for (int u = 0; u < kGemvUnroll; ++u) {
                const int64_t c = c0 + 32 * u;
                if (c >= chunks) break;
                const unsigned words[4] = {wv[u].x, wv[u].y, wv[u].z, wv[u].w};
                float s = 0.0f;
#pragma unroll
                for (int k = 0; k < 4; ++k) {
                    float xv[8];
                    load8(xr + (c << 5) + 8 * k, xv);
#pragma unroll
                    for (int j = 0; j < 4; ++j) {
                        const unsigned b = (words[k] >> (8 * j)) & 0xFFu;
                        s = fmaf(code[b >> 4], xv[2 * j], s);
                        s = fmaf(code[b & 15u], xv[2 * j + 1], s);
                    }
                }
                acc = fmaf(s, am[u], acc);
            }
        }
    } else {
        for (int64_t i = lane; i < cols; i += 32) {
            const int64_t f = rowStart + i;
            const unsigned b = packed[f >> 1];
            const float wi = __fmul_rn(code[(f & 1) ? (b & 15u) : (b >> 4)],
                                       blockAbsmax<DoubleQuant>(stats, map, f >> log2Block));
            acc = fmaf(wi, Conv<T>::to(xr[i]), acc);
        }
    }
#pragma unroll
    for (int offset = 16; offset > 0; offset >>= 1) acc += __shfl_xor_sync(0xFFFFFFFFu, acc, offset);
    if (lane == 0) y[int64_t(blockIdx.y) * rows + row] = Conv<T>::from(acc);
}

bool aligned(const void* p, uintptr_t bytes) { return reinterpret_cast<uintptr_t>(p) % bytes == 0; }

// log2 of a power-of-two blocksize >= 32, or -1.
int blockLog2(int64_t blocksize) {
    if (blocksize < 32 || (blocksize & (blocksize - 1)) != 0) return -1;
    return __builtin_ctzll(uint64_t(blocksize));
}

template <typename T, bool DoubleQuant>
cudaError_t launchDequantize(const uint8_t* packed, int64_t n, int log2Block, const FourBitStats& stats,
                             const FourBitTables& tables, void* out, cudaStream_t stream) {
    const int64_t groups = (n + 7) / 8;
    const int64_t grid = (groups + kDequantThreads - 1) / kDequantThreads;
    if (grid > INT_MAX) return cudaErrorInvalidValue;
    T* o = static_cast<T*>(out);
    if (aligned(packed, 4) && aligned(out, 16))
        dequantizeKernel<T, DoubleQuant, true>
            <<<unsigned(grid), kDequantThreads, 0, stream>>>(packed, n, log2Block, stats, tables, o);
    else
        dequantizeKernel<T, DoubleQuant, false>
            <<<unsigned(grid), kDequantThreads, 0, stream>>>(packed, n, log2Block, stats, tables, o);
    return cudaGetLastError();
}

template <typename T, bool DoubleQuant>
cudaError_t launchGemv(const uint8_t* packed, int64_t rows, int64_t cols, int log2Block, const FourBitStats& stats,
                       const FourBitTables& tables, const void* x, void* y, int64_t batch, cudaStream_t stream) {
    const int64_t grid = (rows + kGemvWarps - 1) / kGemvWarps;
    if (grid > INT_MAX || batch > 65535) return cudaErrorInvalidValue;
    const bool vectorized = cols % 32 == 0 && aligned(packed, 16) && aligned(x, 16);
    gemvKernel<T, DoubleQuant><<<dim3(unsigned(grid), unsigned(batch)), kGemvWarps * 32, 0, stream>>>(
        packed, rows, cols, log2Block, stats, tables, static_cast<const T*>(x), static_cast<T*>(y), vectorized);
    return cudaGetLastError();
}

} // namespace

cudaError_t dequantize4Bit(const uint8_t* packed, int64_t n, int64_t blocksize, const FourBitStats& stats,
                           const FourBitTables& tables, void* out, FloatType outType, cudaStream_t stream) {
    const int log2Block = blockLog2(blocksize);
    if (log2Block < 0 || n < 0) return cudaErrorInvalidValue;
    if (n == 0) return cudaSuccess;
    const bool dq = stats.absmaxQ != nullptr;
    switch (outType) {
    case FloatType::F32:
        return dq ? launchDequantize<float, true>(packed, n, log2Block, stats, tables, out, stream)
                  : launchDequantize<float, false>(packed, n, log2Block, stats, tables, out, stream);
    case FloatType::BF16:
        return dq ? launchDequantize<__nv_bfloat16, true>(packed, n, log2Block, stats, tables, out, stream)
                  : launchDequantize<__nv_bfloat16, false>(packed, n, log2Block, stats, tables, out, stream);
    case FloatType::F16:
        return dq ? launchDequantize<__half, true>(packed, n, log2Block, stats, tables, out, stream)
                  : launchDequantize<__half, false>(packed, n, log2Block, stats, tables, out, stream);
    }
    return cudaErrorInvalidValue;
}

cudaError_t gemv4Bit(const uint8_t* packed, int64_t rows, int64_t cols, int64_t blocksize, const FourBitStats& stats,
                     const FourBitTables& tables, const void* x, void* y, int64_t batch, FloatType type,
                     cudaStream_t stream) {
    const int log2Block = blockLog2(blocksize);
    if (log2Block < 0 || rows < 0 || cols < 0 || batch < 0) return cudaErrorInvalidValue;
    if (rows == 0 || batch == 0) return cudaSuccess;
    const bool dq = stats.absmaxQ != nullptr;
    switch (type) {
    case FloatType::F32:
        return dq ? launchGemv<float, true>(packed, rows, cols, log2Block, stats, tables, x, y, batch, stream)
                  : launchGemv<float, false>(packed, rows, cols, log2Block, stats, tables, x, y, batch, stream);
    case FloatType::BF16:
        return dq ? launchGemv<__nv_bfloat16, true>(packed, rows, cols, log2Block, stats, tables, x, y, batch, stream)
                  : launchGemv<__nv_bfloat16, false>(packed, rows, cols, log2Block, stats, tables, x, y, batch, stream);
    case FloatType::F16:
        return dq ? launchGemv<__half, true>(packed, rows, cols, log2Block, stats, tables, x, y, batch, stream)
                  : launchGemv<__half, false>(packed, rows, cols, log2Block, stats, tables, x, y, batch, stream);
    }
    return cudaErrorInvalidValue;
}

} // namespace ft::cuda
