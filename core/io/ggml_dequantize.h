#pragma once
// ggml's tensor types (the ids GGUF files store) as one table: name, values per block, bytes per block, and the
// dequantization to float32 where we have it. The math follows gguf-py 0.19's gguf.quants.dequantize (the numpy
// twin of ggml-quants.c's dequantize_row_*) operation for operation, so the results agree bit for bit.
// Plain C++: no torch, so the GGUF reader and its fuzz target can use it.

#include <cstddef>
#include <cstdint>
#include <span>

namespace ft {

// ggml_type ids as stored in GGUF tensor infos (ggml.h, gguf-py constants.GGMLQuantizationType).
enum class GgmlType : uint32_t {
    F32 = 0, F16 = 1, Q4_0 = 2, Q4_1 = 3, Q5_0 = 6, Q5_1 = 7, Q8_0 = 8, Q8_1 = 9,
    Q2_K = 10, Q3_K = 11, Q4_K = 12, Q5_K = 13, Q6_K = 14, Q8_K = 15,
    IQ2_XXS = 16, IQ2_XS = 17, IQ3_XXS = 18, IQ1_S = 19, IQ4_NL = 20, IQ3_S = 21, IQ2_S = 22, IQ4_XS = 23,
    I8 = 24, I16 = 25, I32 = 26, I64 = 27, F64 = 28, IQ1_M = 29, BF16 = 30,
    TQ1_0 = 34, TQ2_0 = 35, MXFP4 = 39, NVFP4 = 40, Q1_0 = 41,
};

// One float32 row from `blocks`: dst holds blockSize floats per block.
using DequantizeFn = void (*)(const uint8_t* blocks, float* dst, int64_t nBlocks);

struct GgmlTypeTraits {
    GgmlType type;
    const char* name;        // "Q4_K", as gguf-py and llama.cpp print it
    uint32_t blockSize;      // values per block
    uint32_t typeSize;       // bytes per block
    DequantizeFn dequantize; // null: the file format is known but we do not dequantize it (yet)
};

// The traits of a type id read from a file, or null for an id ggml does not define.
const GgmlTypeTraits* ggmlTypeTraits(uint32_t id);
const char* ggmlTypeName(GgmlType type);

// Dequantizes `numel` values (a multiple of the block size) from `bytes` (exactly numel / blockSize * typeSize of
// them) into `dst`. Throws ft::Error (Unsupported for a type without dequantization, InvalidValue for sizes that
// do not fit); `where` names the tensor in that error.
void dequantizeToFloat(GgmlType type, std::span<const uint8_t> bytes, std::span<float> dst, const char* where);

// IEEE half and bfloat16 bits to float32, exact (NaN payloads kept, as numpy's astype does).
float halfToFloat(uint16_t h);
float bf16ToFloat(uint16_t b);

} // namespace ft
