// NF4 / FP4 block-wise quantization, bit for bit as bitsandbytes 0.50.2 does it on the CPU:
// quantize = backends/default/ops.py quantize_4bit (bucketize on code midpoints), dequantize = csrc/cpu_ops.cpp
// dequantizeBlockwise4bitCpu (code * absmax in fp32), double quantization = functional.py quantize_4bit with
// compress_statistics=True (offset = mean, quantize_blockwise(absmax - offset, blocksize=256)).

#include "core/quant/quantizers.h"

#include "core/common/error.h"

#include <algorithm>
#include <cmath>

namespace ft {

namespace {

// bitsandbytes functional.get_4bit_type("nf4").
constexpr std::array<float, 16> kNf4 = {
    -1.0f, -0x1.647362p-1f, -0x1.0cd66p-1f, -0x1.94654p-2f, -0x1.23449ap-2f, -0x1.7a6a7ep-3f, -0x1.74f0e2p-4f, 0.0f,
    0x1.45f5fep-4f, 0x1.4995c6p-3f, 0x1.f809bap-3f, 0x1.5a0674p-2f, 0x1.c3497p-2f, 0x1.200f56p-1f, 0x1.722766p-1f, 1.0f};
// get_4bit_type("fp4"): [0, 0.0625, 8, 12, 4, 6, 2, 3, -0, ...] / 12. The Python list's "-0" is the integer 0, so
// code 8 is +0.0 (it matters for which of codes 0 and 8 a zero gets: bitsandbytes picks 0).
constexpr std::array<float, 16> kFp4 = {
    0.0f, 0x1.555556p-8f, 0x1.555556p-1f, 1.0f, 0x1.555556p-2f, 0.5f, 0x1.555556p-3f, 0.25f,
    0.0f, -0x1.555556p-8f, -0x1.555556p-1f, -1.0f, -0x1.555556p-2f, -0.5f, -0x1.555556p-3f, -0.25f};
// torch.argsort(code) as bitsandbytes' _get_4bit_quantize_bounds computes it: bucket i -> code order[i].
constexpr std::array<int64_t, 16> kNf4Order = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15};
constexpr std::array<int64_t, 16> kFp4Order = {11, 10, 13, 12, 15, 14, 9, 0, 8, 1, 6, 7, 4, 5, 2, 3};

const std::array<int64_t, 16>& order(FourBitType type) { return type == FourBitType::Nf4 ? kNf4Order : kFp4Order; }

// Midpoints between neighbouring sorted codes, in fp32 as bitsandbytes computes them ((a + b) / 2).
at::Tensor bounds(FourBitType type) {
    const auto& code = fourBitCode(type);
    const auto& o = order(type);
    std::vector<float> mids(15);
    for (size_t i = 0; i < 15; ++i) mids[i] = (code[size_t(o[i])] + code[size_t(o[i + 1])]) / 2.0f;
    return torch::tensor(mids, torch::kFloat32);
}

at::Tensor codeTensor(FourBitType type) {
    const auto& code = fourBitCode(type);
    return torch::tensor(std::vector<float>(code.begin(), code.end()), torch::kFloat32);
}

} // namespace

const std::array<float, 16>& fourBitCode(FourBitType type) { return type == FourBitType::Nf4 ? kNf4 : kFp4; }

void checkBlocksize(int64_t blocksize, const char* where) {
    const bool pow2 = blocksize > 0 && (blocksize & (blocksize - 1)) == 0;
    if (!pow2 || blocksize < 32 || blocksize > 4096)
        throw Error(ErrorCode::InvalidValue, where,
                    "blocksize " + std::to_string(blocksize) + " is not a power of two in 32..4096");
}

Quantized4Bit quantize4Bit(const at::Tensor& x, FourBitType type, int64_t blocksize, bool doubleQuant) {
    checkBlocksize(blocksize, "quantize4Bit");
    if (!x.defined() || x.numel() == 0) throw Error(ErrorCode::InvalidValue, "quantize4Bit", "empty tensor");
    const auto st = x.scalar_type();
    if (st != at::kFloat && st != at::kBFloat16 && st != at::kHalf)
        throw Error(ErrorCode::Unsupported, "quantize4Bit",
                    std::string("dtype ") + c10::toString(st) + " (bitsandbytes takes fp32, fp16 and bf16)");

    Quantized4Bit q;
    q.shape = x.sizes().vec();
    q.dtype = st;
    q.blocksize = blocksize;
    q.type = type;

    const auto flat = x.detach().to(torch::kCPU).reshape(-1).to(torch::kFloat32).contiguous();
    const int64_t n = flat.numel();
    const int64_t rem = n % blocksize;
    const int64_t full = n - rem;
    const int64_t blocks = full / blocksize;

    // Full blocks: absmax stored as is, values scaled by the reciprocal of max(absmax, 1e-38) (a zero block
    // scales to zeros); the partial last block divides instead and stores the clamped absmax. Both as bitsandbytes.
    const auto com = flat.slice(0, 0, full).reshape({blocks, blocksize});
    auto absmax = std::get<0>(com.abs().max(-1));
    auto scaled = torch::clamp(com * absmax.clamp_min(1e-38).reciprocal().view({-1, 1}), -1, 1).reshape(-1);
    if (rem) {
        const auto tail = flat.slice(0, full);
        const auto am = tail.abs().max().clamp_min(1e-38);
        absmax = torch::cat({absmax, am.unsqueeze(0)});
        scaled = torch::cat({scaled, torch::clamp(tail / am, -1, 1)});
    }
    if (scaled.numel() % 2) scaled = torch::constant_pad_nd(scaled, {0, 1}, 0);

    // torch.bucketize (right=False): a value exactly on a midpoint goes to the lower code.
    auto idx = torch::bucketize(scaled, bounds(type), /*out_int32=*/false);
    if (type == FourBitType::Fp4) {
        const auto& o = kFp4Order;
        idx = torch::tensor(std::vector<int64_t>(o.begin(), o.end()), torch::kInt64).index_select(0, idx);
    }
    const auto q8 = idx.to(torch::kUInt8);
    q.packed = torch::bitwise_or(torch::bitwise_left_shift(q8.slice(0, 0, c10::nullopt, 2), 4),
                                 q8.slice(0, 1, c10::nullopt, 2))
                   .contiguous();

    if (doubleQuant) {
        // functional.quantize_4bit(compress_statistics=True): offset = absmax.mean(), then 8-bit blocks of 256.
        const auto offset = absmax.mean();
        auto [codes, nested] = quantizeBlockwiseDynamic(absmax - offset, 256);
        q.absmaxQ = codes;
        q.nestedAbsmax = nested;
        q.offset = offset.item<float>();
    } else {
        q.absmax = absmax.contiguous();
    }
    return q;
}

at::Tensor blockAbsmax(const Quantized4Bit& q) {
    if (!q.doubleQuant()) return q.absmax;
    // functional.dequantize_4bit: dequantize_blockwise(absmax, state2) then absmax += offset, both in fp32.
    return dequantizeBlockwiseDynamic(q.absmaxQ, q.nestedAbsmax, 256) + q.offset;
}

at::Tensor unpack4Bit(const Quantized4Bit& q) {
    int64_t n = 1;
    for (auto s : q.shape) n *= s;
    const auto p = q.packed.reshape(-1);
    const auto hi = torch::bitwise_right_shift(p, 4);
    const auto lo = torch::bitwise_and(p, 0x0F);
    return torch::stack({hi, lo}, 1).reshape(-1).slice(0, 0, n);
}

at::Tensor dequantize4Bit(const Quantized4Bit& q) {
    checkBlocksize(q.blocksize, "dequantize4Bit");
    const auto idx = unpack4Bit(q).to(torch::kInt64);
    const int64_t n = idx.numel();
    const auto absmax = blockAbsmax(q).to(torch::kFloat32);
    const int64_t blocks = (n + q.blocksize - 1) / q.blocksize;
    if (absmax.numel() != blocks)
        throw Error(ErrorCode::InvalidValue, "dequantize4Bit",
                    "absmax has " + std::to_string(absmax.numel()) + " blocks, expected " + std::to_string(blocks));
    // out = code[nibble] * absmax[block] in fp32, then cast (cpu_ops.cpp dequantizeBlockwise4bitCpu).
    const auto values = codeTensor(q.type).index_select(0, idx);
    const auto blockOf = torch::arange(n, torch::kInt64).floor_divide(q.blocksize);
    const auto out = values * absmax.index_select(0, blockOf);
    return out.reshape(q.shape).to(q.dtype);
}

int64_t storageBytes(const Quantized4Bit& q) {
    int64_t bytes = q.packed.numel();
    if (q.doubleQuant())
        bytes += q.absmaxQ.numel() + q.nestedAbsmax.numel() * 4 + 4;   // + fp32 offset
    else
        bytes += q.absmax.numel() * 4;
    return bytes;
}

namespace {

// bitsandbytes 0.50.2 csrc/cpu_ops.cpp build_quantize_lut: [-1, 1] cut into 65,536 evenly spaced points, each
// mapped to the code whose midpoint interval holds it (midpoints 0.5f * (c[i] + c[i + 1]) of the unmodified map,
// the code index advancing while the next midpoint is strictly below the point). Quantization reads this table,
// so a value near a midpoint takes the code of its table point, not always the nearest code.
constexpr int kLutSize = 65536;

const std::array<uint8_t, kLutSize>& dynamicLut() {
    static const std::array<uint8_t, kLutSize> lut = [] {
        const auto& code = dynamicMap();
        std::array<float, 255> mid{};
        for (size_t i = 0; i < mid.size(); ++i) mid[i] = 0.5f * (code[i] + code[i + 1]);
        std::array<uint8_t, kLutSize> t{};
        size_t c = 0;
        for (int i = 0; i < kLutSize; ++i) {
            const float val = -1.0f + (2.0f * float(i)) / float(kLutSize - 1);
            while (c < mid.size() && mid[c] < val) ++c;
            t[size_t(i)] = uint8_t(c);
        }
        return t;
    }();
    return lut;
}

// cpu_ops.cpp norm_to_lut_index: clamp to [-1, 1], then (v + 1) * 0.5 * 65535 + 0.5 truncated to uint16.
inline uint16_t lutIndex(float v) {
    if (std::isnan(v)) return 0;   // bitsandbytes' cast of NaN is undefined; ours takes the table's first code
    v = std::clamp(v, -1.0f, 1.0f);
    const float scaled = (v + 1.0f) * 0.5f * float(kLutSize - 1);
    return uint16_t(scaled + 0.5f);
}

} // namespace

std::pair<at::Tensor, at::Tensor> quantizeBlockwiseDynamic(const at::Tensor& x, int64_t blocksize) {
    // bitsandbytes 0.50.2 csrc/cpu_ops.cpp quantize_cpu_impl: absmax per block, then each value times 1 / absmax
    // through the 65,536-entry table above (an exact nearest-code search differs on ~0.3 % of a real weight's
    // absmax values: tests/data/make_quant_fixtures.py's 2048x2048 case). A block of zeros gives code 0.
    const auto& lut = dynamicLut();
    const auto a = x.to(torch::kCPU).to(torch::kFloat32).contiguous().reshape(-1);
    const int64_t n = a.numel();
    const int64_t blocks = (n + blocksize - 1) / blocksize;
    auto out = torch::empty({n}, torch::kUInt8);
    auto absmax = torch::empty({blocks}, torch::kFloat32);
    const float* in = a.data_ptr<float>();
    uint8_t* o = out.data_ptr<uint8_t>();
    float* am = absmax.data_ptr<float>();
    for (int64_t b = 0; b < blocks; ++b) {
        const int64_t begin = b * blocksize;
        const int64_t end = std::min(n, begin + blocksize);
        float m = 0.0f;
        for (int64_t i = begin; i < end; ++i) m = std::max(m, std::fabs(in[i]));   // as bitsandbytes: NaN skipped
        am[b] = m;
        if (m == 0.0f) {
            std::fill(o + begin, o + end, uint8_t(0));
            continue;
        }
        const float inv = 1.0f / m;
        for (int64_t i = begin; i < end; ++i) o[i] = lut[lutIndex(in[i] * inv)];
    }
    return {out, absmax};
}

at::Tensor dequantizeBlockwiseDynamic(const at::Tensor& codes, const at::Tensor& absmax, int64_t blocksize) {
    // cpu_ops.cpp dequantizeBlockwise8bitCpu with the unmodified map (code[0] = -0.993), code[q] * absmax.
    const auto& map = dynamicMap();
    const auto code = torch::tensor(std::vector<float>(map.begin(), map.end()), torch::kFloat32);
    const auto idx = codes.reshape(-1).to(torch::kInt64);
    const auto blockOf = torch::arange(idx.numel(), torch::kInt64).floor_divide(blocksize);
    return code.index_select(0, idx) * absmax.to(torch::kFloat32).index_select(0, blockOf);
}

} // namespace ft
