#pragma once
// Internal (includes LibTorch): the quantizers behind quantize.h. CPU only; inputs elsewhere are copied to the CPU.
// The 4-bit path reproduces bitsandbytes' quantize_4bit / dequantize_4bit on the CPU bit for bit (0.50.2:
// backends/default/ops.py quantize_4bit, csrc/cpu_ops.cpp quantize_cpu for the nested 8-bit statistics).

#include "core/quant/quantize.h"

#include <torch/torch.h>

#include <array>

namespace ft {

enum class FourBitType { Nf4, Fp4 };

struct QuantizedInt8 {
    at::Tensor q;            // int8, the input's shape
    at::Tensor scale;        // fp32 [groups]
    at::Tensor zeroPoint;    // int8 [groups]; undefined for the symmetric method
    QuantMethod method = QuantMethod::Int8Sym;
    Granularity granularity = Granularity::Tensor;
    int64_t blocksize = 64;
};

struct Quantized4Bit {
    at::Tensor packed;          // uint8 [ceil(n / 2)]: element 2j in the high nibble of byte j, 2j+1 in the low one
    at::Tensor absmax;          // fp32 [blocks]; undefined when double quantized
    at::Tensor absmaxQ;         // uint8 [blocks]: (absmax - offset) in the 8-bit dynamic map, blocks of 256
    at::Tensor nestedAbsmax;    // fp32 [ceil(blocks / 256)]
    float offset = 0.0f;        // mean of the absmax, subtracted before the nested quantization
    std::vector<int64_t> shape;
    at::ScalarType dtype = at::kFloat;   // dequantize() returns this dtype, as bitsandbytes' quant_state.dtype
    int64_t blocksize = 64;
    FourBitType type = FourBitType::Nf4;

    bool doubleQuant() const { return absmaxQ.defined(); }
};

// The 16 code values as bitsandbytes' get_4bit_type() returns them (FP4 normalised by 12).
const std::array<float, 16>& fourBitCode(FourBitType type);
// bitsandbytes' create_dynamic_map(signed=True): 256 sorted values in [-0.993, 1].
const std::array<float, 256>& dynamicMap();

// Throws InvalidValue unless blocksize is a power of two in 32..4096.
void checkBlocksize(int64_t blocksize, const char* where);

Quantized4Bit quantize4Bit(const at::Tensor& x, FourBitType type, int64_t blocksize = 64, bool doubleQuant = false);
// The per-block absmax, decoded from the nested statistics when double quantized.
at::Tensor blockAbsmax(const Quantized4Bit& q);
at::Tensor dequantize4Bit(const Quantized4Bit& q);
// Code index (0..15) of every element, unpacked; for histograms.
at::Tensor unpack4Bit(const Quantized4Bit& q);
int64_t storageBytes(const Quantized4Bit& q);

// bitsandbytes' quantize_blockwise on the CPU with the dynamic map (used for the nested absmax): absmax per
// block, normalise by it, nearest code with ties to the lower code. Returns (codes uint8, absmax fp32).
std::pair<at::Tensor, at::Tensor> quantizeBlockwiseDynamic(const at::Tensor& x, int64_t blocksize);
at::Tensor dequantizeBlockwiseDynamic(const at::Tensor& codes, const at::Tensor& absmax, int64_t blocksize);

QuantizedInt8 quantizeInt8(const at::Tensor& x, QuantMethod method, Granularity granularity, int64_t blocksize = 64);
at::Tensor dequantizeInt8(const QuantizedInt8& q);   // fp32, the input's shape
int64_t storageBytes(const QuantizedInt8& q);

// The input a 4-bit quantizer takes: bitsandbytes quantizes fp32/fp16/bf16 only, other float types go through fp32.
at::Tensor fourBitInput(const at::Tensor& x);
// measureError() for a tensor already quantized, so a caller that also keeps the codes quantizes once.
QuantError measureError(const at::Tensor& x, const Quantized4Bit& q, int errorBins = 64);
QuantError measureError(const at::Tensor& x, const QuantizedInt8& q, int errorBins = 64);

} // namespace ft
