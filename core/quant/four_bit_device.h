#pragma once
// Internal (includes LibTorch): 4-bit weights on any device. Each CUDA kernel (core/cuda/four_bit_kernels.cu) has a
// reference twin made of plain LibTorch ops that runs wherever the tensors are; tests/tst_four_bit_cuda.cpp holds
// the twins to dequantize4Bit() bit for bit and the kernels to the twins.

#include "core/quant/quantizers.h"

#include <torch/torch.h>

namespace ft {

// q with its tensors (packed, statistics) moved to `device`; shape, dtype, blocksize, type and offset unchanged.
Quantized4Bit toDevice(const Quantized4Bit& q, c10::Device device);

// Reference twins: LibTorch ops only, on q's device.
// code[nibble] * absmax[block] in fp32, cast to `out`: bit for bit dequantize4Bit(q) when out == q.dtype.
at::Tensor dequantize4BitReference(const Quantized4Bit& q, at::ScalarType out);
// x (..., in) @ W^T for W (out, in) = q: W dequantized in fp32, x cast to fp32, matmul in fp32; (..., out) in x's dtype.
at::Tensor gemv4BitReference(const at::Tensor& x, const Quantized4Bit& w);

// The kernels, on the current CUDA stream of q's device. Unsupported when built without the kernels or when the
// tensors are not on a CUDA device. out: fp32, bf16 or fp16. dequantize4BitCuda is bit for bit the reference twin.
at::Tensor dequantize4BitCuda(const Quantized4Bit& q, at::ScalarType out);
// x (..., in) in fp32/bf16/fp16 -> (..., out) in x's dtype, fp32 accumulation. One pass over W per row of x, so meant
// for batch 1 (generation); for many rows dequantize4BitOn + matmul is faster.
at::Tensor gemv4BitCuda(const at::Tensor& x, const Quantized4Bit& w);

// The kernels are built and loaded (libftcore_cuda.so; core/device/cuda_support.h): false on a machine without an
// NVIDIA driver, where the CUDA half is never loaded.
bool fourBitCudaKernelsBuilt();

// What libftcore_cuda.so registers when it is loaded: the launches, given tensors the wrappers above have checked
// (layout, shapes, on a CUDA device).
struct FourBitCudaKernels {
    at::Tensor (*dequantize)(const Quantized4Bit& q, at::ScalarType out) = nullptr;
    at::Tensor (*gemv)(const at::Tensor& x, const Quantized4Bit& w) = nullptr;
};
void registerFourBitCudaKernels(const FourBitCudaKernels& kernels);

// The kernel when q lives on a CUDA device and the kernels are built, the reference twin otherwise.
at::Tensor dequantize4BitOn(const Quantized4Bit& q, at::ScalarType out);

} // namespace ft
