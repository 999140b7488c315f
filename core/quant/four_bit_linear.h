#pragma once
// Internal (includes LibTorch): the linear map of a frozen 4-bit weight, as an autograd Function.
//
// bitsandbytes' MatMul4Bit: forward dequantizes W to the input's dtype and computes x Wᵀ; backward returns only
// the input's gradient, dequantizing W again instead of keeping it (the saved state is the 4-bit codes, already in
// memory). W itself never gets a gradient: QLoRA trains the adapters beside it.

#include "core/quant/quantizers.h"

#include <string>

namespace ft {

// x (..., in) → (..., out) in x's dtype.
at::Tensor fourBitLinear(const at::Tensor& x, const Quantized4Bit& w);

// "nf4" | "fp4" (any case); anything else is an InvalidValue error naming `where`.
FourBitType fourBitTypeNamed(const std::string& name, const std::string& where);

} // namespace ft
