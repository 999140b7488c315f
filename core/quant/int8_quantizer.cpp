// int8 absmax (symmetric) and zero-point (asymmetric) quantization per tensor, per output channel or per block.
// Rounding is torch.round (half to even), as in bitsandbytes' and PyTorch's reference int8 recipes.

#include "core/quant/quantizers.h"

#include "core/common/error.h"

namespace ft {

namespace {

// The groups that share a scale, each a row of a 2-D view: [1, n], [dim0, n / dim0], or full blocks [n / bs, bs]
// plus the partial last block [1, rem].
std::vector<at::Tensor> groupRows(const at::Tensor& flat, const std::vector<int64_t>& shape, Granularity g,
                                  int64_t blocksize) {
    const int64_t n = flat.numel();
    switch (g) {
    case Granularity::Tensor:
        return {flat.view({1, n})};
    case Granularity::Channel: {
        const int64_t rows = shape.empty() ? 1 : shape[0];
        return {flat.view({rows, rows ? n / rows : 0})};
    }
    case Granularity::Block: {
        const int64_t rem = n % blocksize;
        std::vector<at::Tensor> parts{flat.slice(0, 0, n - rem).view({(n - rem) / blocksize, blocksize})};
        if (rem) parts.push_back(flat.slice(0, n - rem).view({1, rem}));
        return parts;
    }
    }
    throw Error(ErrorCode::Internal, "quantizeInt8", "unknown granularity");
}

} // namespace

QuantizedInt8 quantizeInt8(const at::Tensor& x, QuantMethod method, Granularity granularity, int64_t blocksize) {
    if (method != QuantMethod::Int8Sym && method != QuantMethod::Int8Asym)
        throw Error(ErrorCode::InvalidValue, "quantizeInt8", std::string("method ") + std::string(quantMethodName(method)));
    if (granularity == Granularity::Block) checkBlocksize(blocksize, "quantizeInt8");
    if (!x.defined() || x.numel() == 0) throw Error(ErrorCode::InvalidValue, "quantizeInt8", "empty tensor");
    if (!at::isFloatingType(x.scalar_type()))
        throw Error(ErrorCode::Unsupported, "quantizeInt8", std::string("dtype ") + c10::toString(x.scalar_type()));
    if (granularity == Granularity::Channel && x.dim() == 0)
        throw Error(ErrorCode::InvalidValue, "quantizeInt8", "per-channel quantization of a scalar");

    QuantizedInt8 q;
    q.method = method;
    q.granularity = granularity;
    q.blocksize = blocksize;
    const auto shape = x.sizes().vec();
    const auto flat = x.detach().to(torch::kCPU).to(torch::kFloat32).contiguous().reshape(-1);

    std::vector<at::Tensor> qs, scales, zeros;
    for (const auto& rows : groupRows(flat, shape, granularity, blocksize)) {
        if (rows.size(1) == 0) {   // per-channel view of a tensor with an empty trailing dimension
            qs.push_back(torch::empty({0}, torch::kInt8));
            continue;
        }
        if (method == QuantMethod::Int8Sym) {
            auto s = std::get<0>(rows.abs().max(1, true)) / 127.0f;
            s = torch::where(s > 0, s, torch::ones_like(s));   // an all-zero group: any scale gives q = 0
            qs.push_back(torch::clamp(torch::round(rows / s), -127, 127).to(torch::kInt8).reshape(-1));
            scales.push_back(s.reshape(-1));
        } else {
            // The range always holds 0 (as torch.ao's MinMaxObserver does): then z lies in [-128, 127] and 0 is
            // exact; without it an all-positive group would saturate at 127.
            const auto mx = std::get<0>(rows.max(1, true)).clamp_min(0);
            const auto mn = std::get<0>(rows.min(1, true)).clamp_max(0);
            auto s = (mx - mn) / 255.0f;
            s = torch::where(s > 0, s, torch::ones_like(s));   // a constant group
            const auto z = torch::clamp(torch::round(-128.0f - mn / s), -128, 127);
            qs.push_back(torch::clamp(torch::round(rows / s) + z, -128, 127).to(torch::kInt8).reshape(-1));
            scales.push_back(s.reshape(-1));
            zeros.push_back(z.to(torch::kInt8).reshape(-1));
        }
    }
    q.q = torch::cat(qs).reshape(shape);
    q.scale = scales.empty() ? torch::empty({0}, torch::kFloat32) : torch::cat(scales);
    if (!zeros.empty()) q.zeroPoint = torch::cat(zeros);
    return q;
}

at::Tensor dequantizeInt8(const QuantizedInt8& q) {
    const auto shape = q.q.sizes().vec();
    const auto flat = q.q.reshape(-1).to(torch::kFloat32);
    // Expand the per-group scale (and zero point) back over the group's elements, in the same group layout.
    const int64_t n = flat.numel();
    at::Tensor group;
    switch (q.granularity) {
    case Granularity::Tensor: group = torch::zeros({n}, torch::kInt64); break;
    case Granularity::Channel: {
        const int64_t rows = shape.empty() ? 1 : shape[0];
        group = rows ? torch::arange(n, torch::kInt64).floor_divide(std::max<int64_t>(1, n / rows))
                     : torch::empty({0}, torch::kInt64);
        break;
    }
    case Granularity::Block: group = torch::arange(n, torch::kInt64).floor_divide(q.blocksize); break;
    }
    const auto s = q.scale.index_select(0, group);
    if (q.method == QuantMethod::Int8Sym) return (s * flat).reshape(shape);
    const auto z = q.zeroPoint.to(torch::kFloat32).index_select(0, group);
    return (s * (flat - z)).reshape(shape);
}

int64_t storageBytes(const QuantizedInt8& q) {
    int64_t bytes = q.q.numel() + q.scale.numel() * 4;
    if (q.zeroPoint.defined()) bytes += q.zeroPoint.numel();
    return bytes;
}

} // namespace ft
