#include "core/io/ggml_dequantize.h"

#include "core/common/error.h"

#include <bit>
#include <cstring>
#include <string>

// Built with -ffp-contract=off (core/CMakeLists.txt): `d * q - m` rounds as numpy's two separate ops do. Today the
// products are exact anyway (an f16's 11 significant bits times an integer scale of at most 7 and a quant of at
// most 5 bits: 23 bits, within float32's 24), so only the final add rounds; the flag keeps a fused multiply-add
// from ever changing that.

namespace ft {

float halfToFloat(uint16_t h) {
    // numpy's npy_halfbits_to_floatbits: exact, subnormals normalised, inf/NaN payload shifted up unchanged.
    const uint32_t sign = uint32_t(h & 0x8000u) << 16;
    uint32_t exp = h & 0x7c00u;
    uint32_t sig = h & 0x03ffu;
    uint32_t bits;
    if (exp == 0) {
        if (sig == 0) {
            bits = sign;
        } else {
            sig <<= 1;
            while ((sig & 0x0400u) == 0) {
                sig <<= 1;
                ++exp; // one more step below the smallest normal exponent
            }
            bits = sign + ((127 - 15 - exp) << 23) + ((sig & 0x03ffu) << 13);
        }
    } else if (exp == 0x7c00u) {
        bits = sign + 0x7f800000u + (sig << 13);
    } else {
        bits = sign + ((uint32_t(h & 0x7fffu) + 0x1c000u) << 13);
    }
    return std::bit_cast<float>(bits);
}

float bf16ToFloat(uint16_t b) { return std::bit_cast<float>(uint32_t(b) << 16); }

namespace {

constexpr int QK_K = 256;

uint16_t le16(const uint8_t* p) { return uint16_t(p[0] | (p[1] << 8)); }
float f16At(const uint8_t* p) { return halfToFloat(le16(p)); }

void dequantF32(const uint8_t* x, float* y, int64_t n) { std::memcpy(y, x, size_t(n) * 4); }
void dequantF16(const uint8_t* x, float* y, int64_t n) {
    for (int64_t i = 0; i < n; ++i) y[i] = f16At(x + 2 * i);
}
void dequantBF16(const uint8_t* x, float* y, int64_t n) {
    for (int64_t i = 0; i < n; ++i) y[i] = bf16ToFloat(le16(x + 2 * i));
}

// Q4_0, 18 bytes: d (f16), qs[16]; value j < 16 is the low nibble of qs[j], j >= 16 the high nibble of qs[j-16].
void dequantQ4_0(const uint8_t* x, float* y, int64_t nb) {
    for (int64_t b = 0; b < nb; ++b, x += 18, y += 32) {
        const float d = f16At(x);
        for (int j = 0; j < 16; ++j) {
            y[j] = d * float(int(x[2 + j] & 0x0f) - 8);
            y[j + 16] = d * float(int(x[2 + j] >> 4) - 8);
        }
    }
}

// Q4_1, 20 bytes: d, m (f16), qs[16]; y = d * q + m.
void dequantQ4_1(const uint8_t* x, float* y, int64_t nb) {
    for (int64_t b = 0; b < nb; ++b, x += 20, y += 32) {
        const float d = f16At(x), m = f16At(x + 2);
        for (int j = 0; j < 16; ++j) {
            y[j] = d * float(x[4 + j] & 0x0f) + m;
            y[j + 16] = d * float(x[4 + j] >> 4) + m;
        }
    }
}

// Q5_0, 22 bytes: d, qh (u32 LE: bit j is the fifth bit of value j), qs[16].
void dequantQ5_0(const uint8_t* x, float* y, int64_t nb) {
    for (int64_t b = 0; b < nb; ++b, x += 22, y += 32) {
        const float d = f16At(x);
        const uint32_t qh = uint32_t(x[2]) | uint32_t(x[3]) << 8 | uint32_t(x[4]) << 16 | uint32_t(x[5]) << 24;
        for (int j = 0; j < 16; ++j) {
            const int lo = (x[6 + j] & 0x0f) | int((qh >> j) & 1) << 4;
            const int hi = (x[6 + j] >> 4) | int((qh >> (j + 16)) & 1) << 4;
            y[j] = d * float(lo - 16);
            y[j + 16] = d * float(hi - 16);
        }
    }
}

// Q5_1, 24 bytes: d, m, qh, qs[16]; y = d * q + m.
void dequantQ5_1(const uint8_t* x, float* y, int64_t nb) {
    for (int64_t b = 0; b < nb; ++b, x += 24, y += 32) {
        const float d = f16At(x), m = f16At(x + 2);
        const uint32_t qh = uint32_t(x[4]) | uint32_t(x[5]) << 8 | uint32_t(x[6]) << 16 | uint32_t(x[7]) << 24;
        for (int j = 0; j < 16; ++j) {
            const int lo = (x[8 + j] & 0x0f) | int((qh >> j) & 1) << 4;
            const int hi = (x[8 + j] >> 4) | int((qh >> (j + 16)) & 1) << 4;
            y[j] = d * float(lo) + m;
            y[j + 16] = d * float(hi) + m;
        }
    }
}

// Q8_0, 34 bytes: d, qs[32] int8.
void dequantQ8_0(const uint8_t* x, float* y, int64_t nb) {
    for (int64_t b = 0; b < nb; ++b, x += 34, y += 32) {
        const float d = f16At(x);
        for (int j = 0; j < 32; ++j) y[j] = float(int8_t(x[2 + j])) * d;
    }
}

// Q2_K, 84 bytes: scales[16] (low nibble scale, high nibble min), qs[64], d, dmin. Value j = 128 g + 32 s + l is
// bits 2s..2s+1 of qs[32 g + l]; it belongs to sub-block j / 16.
void dequantQ2_K(const uint8_t* x, float* y, int64_t nb) {
    for (int64_t b = 0; b < nb; ++b, x += 84, y += QK_K) {
        const uint8_t* scales = x;
        const uint8_t* qs = x + 16;
        const float d = f16At(x + 80), dmin = f16At(x + 82);
        for (int j = 0; j < QK_K; ++j) {
            const int g = j / 128, s = (j / 32) % 4, l = j % 32;
            const float dl = d * float(scales[j / 16] & 0x0f);
            const float ml = dmin * float(scales[j / 16] >> 4);
            y[j] = dl * float((qs[32 * g + l] >> (2 * s)) & 3) - ml;
        }
    }
}

// Q3_K, 110 bytes: hmask[32], qs[64], scales[12] (16 six-bit scales, biased by 32), d.
void dequantQ3_K(const uint8_t* x, float* y, int64_t nb) {
    for (int64_t b = 0; b < nb; ++b, x += 110, y += QK_K) {
        const uint8_t* hmask = x;
        const uint8_t* qs = x + 32;
        const uint8_t* sc = x + 96;
        const float d = f16At(x + 108);
        float dl[16];
        for (int i = 0; i < 16; ++i) {
            const int low = (i < 8 ? sc[i] : sc[i - 8] >> 4) & 0x0f;
            const int high = (sc[8 + i % 4] >> (2 * (i / 4))) & 3;
            dl[i] = d * float(int8_t(uint8_t(low | high << 4)) - 32);
        }
        for (int j = 0; j < QK_K; ++j) {
            const int g = j / 128, s = (j / 32) % 4, l = j % 32;
            const int ql = (qs[32 * g + l] >> (2 * s)) & 3;
            const int qh = ((hmask[l] >> (j / 32)) & 1) ^ 1; // the offset is 4 where the mask bit is 0
            y[j] = dl[j / 16] * float(ql - (qh << 2));
        }
    }
}

// The 8 six-bit scales and mins of Q4_K / Q5_K, packed in 12 bytes (gguf-py Q4_K.get_scale_min).
void scaleMinK4(const uint8_t* s, uint8_t sc[8], uint8_t mn[8]) {
    for (int j = 0; j < 4; ++j) {
        sc[j] = s[j] & 0x3f;
        mn[j] = s[4 + j] & 0x3f;
        sc[4 + j] = uint8_t((s[8 + j] & 0x0f) | ((s[j] >> 2) & 0x30));
        mn[4 + j] = uint8_t((s[8 + j] >> 4) | ((s[4 + j] >> 2) & 0x30));
    }
}

// Q4_K, 144 bytes: d, dmin, scales[12], qs[128]. Sub-block i = 2 g + s (32 values) is nibble s of qs[32 g + l].
void dequantQ4_K(const uint8_t* x, float* y, int64_t nb) {
    for (int64_t b = 0; b < nb; ++b, x += 144, y += QK_K) {
        const float d = f16At(x), dmin = f16At(x + 2);
        uint8_t sc[8], mn[8];
        scaleMinK4(x + 4, sc, mn);
        const uint8_t* qs = x + 16;
        for (int j = 0; j < QK_K; ++j) {
            const int i = j / 32, l = j % 32;
            const float q = float((qs[32 * (i / 2) + l] >> (4 * (i % 2))) & 0x0f);
            y[j] = (d * float(sc[i])) * q - dmin * float(mn[i]);
        }
    }
}

// Q5_K, 176 bytes: d, dmin, scales[12], qh[32] (bit i of qh[l] is the fifth bit of sub-block i), qs[128].
void dequantQ5_K(const uint8_t* x, float* y, int64_t nb) {
    for (int64_t b = 0; b < nb; ++b, x += 176, y += QK_K) {
        const float d = f16At(x), dmin = f16At(x + 2);
        uint8_t sc[8], mn[8];
        scaleMinK4(x + 4, sc, mn);
        const uint8_t* qh = x + 16;
        const uint8_t* qs = x + 48;
        for (int j = 0; j < QK_K; ++j) {
            const int i = j / 32, l = j % 32;
            const int q = ((qs[32 * (i / 2) + l] >> (4 * (i % 2))) & 0x0f) | ((qh[l] >> i) & 1) << 4;
            y[j] = (d * float(sc[i])) * float(q) - dmin * float(mn[i]);
        }
    }
}

// Q6_K, 210 bytes: ql[128], qh[64], scales[16] int8, d. Value j = 128 g + r: low nibble s = r / 64 of
// ql[64 g + r % 64], high two bits (r / 32) of qh[32 g + r % 32].
void dequantQ6_K(const uint8_t* x, float* y, int64_t nb) {
    for (int64_t b = 0; b < nb; ++b, x += 210, y += QK_K) {
        const uint8_t* ql = x;
        const uint8_t* qh = x + 128;
        const uint8_t* sc = x + 192;
        const float d = f16At(x + 208);
        for (int j = 0; j < QK_K; ++j) {
            const int g = j / 128, r = j % 128;
            const int lo = (ql[64 * g + r % 64] >> (4 * (r / 64))) & 0x0f;
            const int hi = (qh[32 * g + r % 32] >> (2 * (r / 32))) & 3;
            y[j] = (d * float(int8_t(sc[j / 16]))) * float((lo | hi << 4) - 32);
        }
    }
}

// Every type a GGUF file may name (sizes from gguf-py's GGML_QUANT_SIZES), so that sizes are checked even for
// tensors we cannot dequantize.
constexpr GgmlTypeTraits kTypes[] = {
    // type            name       block  bytes                 dequantize
    {GgmlType::F32,     "F32",     1,     4,                    dequantF32},
    {GgmlType::F16,     "F16",     1,     2,                    dequantF16},
    {GgmlType::Q4_0,    "Q4_0",    32,    2 + 16,               dequantQ4_0},
    {GgmlType::Q4_1,    "Q4_1",    32,    2 + 2 + 16,           dequantQ4_1},
    {GgmlType::Q5_0,    "Q5_0",    32,    2 + 4 + 16,           dequantQ5_0},
    {GgmlType::Q5_1,    "Q5_1",    32,    2 + 2 + 4 + 16,       dequantQ5_1},
    {GgmlType::Q8_0,    "Q8_0",    32,    2 + 32,               dequantQ8_0},
    {GgmlType::Q8_1,    "Q8_1",    32,    4 + 4 + 32,           nullptr},
    {GgmlType::Q2_K,    "Q2_K",    256,   2 + 2 + 16 + 64,      dequantQ2_K},
    {GgmlType::Q3_K,    "Q3_K",    256,   2 + 64 + 32 + 12,     dequantQ3_K},
    {GgmlType::Q4_K,    "Q4_K",    256,   2 + 2 + 128 + 12,     dequantQ4_K},
    {GgmlType::Q5_K,    "Q5_K",    256,   2 + 2 + 128 + 32 + 12, dequantQ5_K},
    {GgmlType::Q6_K,    "Q6_K",    256,   2 + 128 + 64 + 16,    dequantQ6_K},
    {GgmlType::Q8_K,    "Q8_K",    256,   4 + 256 + 32,         nullptr},
    {GgmlType::IQ2_XXS, "IQ2_XXS", 256,   2 + 64,               nullptr},
    {GgmlType::IQ2_XS,  "IQ2_XS",  256,   2 + 64 + 8,           nullptr},
    {GgmlType::IQ3_XXS, "IQ3_XXS", 256,   2 + 64 + 32,          nullptr},
    {GgmlType::IQ1_S,   "IQ1_S",   256,   2 + 32 + 16,          nullptr},
    {GgmlType::IQ4_NL,  "IQ4_NL",  32,    2 + 16,               nullptr},
    {GgmlType::IQ3_S,   "IQ3_S",   256,   2 + 64 + 32 + 8 + 4,  nullptr},
    {GgmlType::IQ2_S,   "IQ2_S",   256,   2 + 64 + 16,          nullptr},
    {GgmlType::IQ4_XS,  "IQ4_XS",  256,   2 + 2 + 128 + 4,      nullptr},
    {GgmlType::I8,      "I8",      1,     1,                    nullptr},
    {GgmlType::I16,     "I16",     1,     2,                    nullptr},
    {GgmlType::I32,     "I32",     1,     4,                    nullptr},
    {GgmlType::I64,     "I64",     1,     8,                    nullptr},
    {GgmlType::F64,     "F64",     1,     8,                    nullptr},
    {GgmlType::IQ1_M,   "IQ1_M",   256,   32 + 16 + 8,          nullptr},
    {GgmlType::BF16,    "BF16",    1,     2,                    dequantBF16},
    {GgmlType::TQ1_0,   "TQ1_0",   256,   2 + 4 * 13,           nullptr},
    {GgmlType::TQ2_0,   "TQ2_0",   256,   2 + 64,               nullptr},
    {GgmlType::MXFP4,   "MXFP4",   32,    1 + 16,               nullptr},
    {GgmlType::NVFP4,   "NVFP4",   64,    4 + 32,               nullptr},
    {GgmlType::Q1_0,    "Q1_0",    128,   2 + 16,               nullptr},
};

} // namespace

const GgmlTypeTraits* ggmlTypeTraits(uint32_t id) {
    for (const auto& t : kTypes)
        if (uint32_t(t.type) == id) return &t;
    return nullptr;
}

const char* ggmlTypeName(GgmlType type) {
    const GgmlTypeTraits* t = ggmlTypeTraits(uint32_t(type));
    return t ? t->name : "unknown";
}

void dequantizeToFloat(GgmlType type, std::span<const uint8_t> bytes, std::span<float> dst, const char* where) {
    const GgmlTypeTraits* t = ggmlTypeTraits(uint32_t(type));
    if (!t) throw Error(ErrorCode::Unsupported, where, "ggml type id " + std::to_string(uint32_t(type)));
    if (!t->dequantize)
        throw Error(ErrorCode::Unsupported, where, std::string("dequantizing ") + t->name + " is not implemented");
    if (dst.size() % t->blockSize != 0)
        throw Error(ErrorCode::InvalidValue, where,
                    std::to_string(dst.size()) + " values are not whole " + t->name + " blocks of " +
                        std::to_string(t->blockSize));
    const uint64_t nBlocks = dst.size() / t->blockSize;
    if (bytes.size() != nBlocks * t->typeSize)
        throw Error(ErrorCode::InvalidValue, where,
                    std::to_string(bytes.size()) + " bytes for " + std::to_string(nBlocks) + " " + t->name +
                        " blocks of " + std::to_string(t->typeSize));
    if (nBlocks == 0) return; // an empty tensor: its data pointers may be null
    // Element types (block size 1) take the value count, block types the block count.
    t->dequantize(bytes.data(), dst.data(), int64_t(nBlocks));
}

} // namespace ft
