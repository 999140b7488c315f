#include "core/quant/four_bit_linear.h"

#include "core/common/error.h"
#include "core/quant/four_bit_device.h"

#include <torch/torch.h>

#include <algorithm>
#include <cctype>

namespace ft {

namespace {

using torch::autograd::AutogradContext;
using torch::autograd::variable_list;

// The codes travel through the autograd context as tensors + plain values: no copy of W is ever saved.
void saveCodes(AutogradContext* ctx, const Quantized4Bit& q) {
    ctx->saved_data["packed"] = q.packed;
    if (q.absmax.defined()) ctx->saved_data["absmax"] = q.absmax;
    if (q.absmaxQ.defined()) ctx->saved_data["absmax_q"] = q.absmaxQ;
    if (q.nestedAbsmax.defined()) ctx->saved_data["nested"] = q.nestedAbsmax;
    ctx->saved_data["offset"] = double(q.offset);
    ctx->saved_data["shape"] = q.shape;
    ctx->saved_data["dtype"] = int64_t(q.dtype);
    ctx->saved_data["blocksize"] = q.blocksize;
    ctx->saved_data["type"] = int64_t(q.type);
}

Quantized4Bit loadCodes(AutogradContext* ctx) {
    Quantized4Bit q;
    q.packed = ctx->saved_data["packed"].toTensor();
    const auto tensorOrNone = [&](const char* key) {
        const auto it = ctx->saved_data.find(key);
        return it == ctx->saved_data.end() ? torch::Tensor() : it->second.toTensor();
    };
    q.absmax = tensorOrNone("absmax");
    q.absmaxQ = tensorOrNone("absmax_q");
    q.nestedAbsmax = tensorOrNone("nested");
    q.offset = float(ctx->saved_data["offset"].toDouble());
    q.shape = ctx->saved_data["shape"].toIntVector();
    q.dtype = static_cast<at::ScalarType>(ctx->saved_data["dtype"].toInt());
    q.blocksize = ctx->saved_data["blocksize"].toInt();
    q.type = static_cast<FourBitType>(ctx->saved_data["type"].toInt());
    return q;
}

struct FourBitLinearFunction : torch::autograd::Function<FourBitLinearFunction> {
    static torch::Tensor forward(AutogradContext* ctx, const torch::Tensor& x, const Quantized4Bit* w) {
        saveCodes(ctx, *w);
        // dequantize_4bit(...).to(A.dtype), then linear: W in the compute dtype for as long as this matmul runs.
        return torch::nn::functional::linear(x, dequantize4BitOn(*w, w->dtype).to(x.scalar_type()));
    }

    static variable_list backward(AutogradContext* ctx, variable_list grads) {
        const torch::Tensor& g = grads[0];
        torch::Tensor dx;
        if (ctx->needs_input_grad(0)) {
            const Quantized4Bit q = loadCodes(ctx);
            dx = torch::matmul(g, dequantize4BitOn(q, q.dtype).to(g.scalar_type()));
        }
        return {dx, torch::Tensor()};
    }
};

} // namespace

at::Tensor fourBitLinear(const at::Tensor& x, const Quantized4Bit& w) {
    if (w.shape.size() != 2 || x.size(-1) != w.shape[1])
        throw Error(ErrorCode::InvalidValue, "fourBitLinear",
                    "input has " + std::to_string(x.size(-1)) + " features, the 4-bit weight expects " +
                        (w.shape.size() == 2 ? std::to_string(w.shape[1]) : std::string("a matrix")));
    return FourBitLinearFunction::apply(x, &w);
}

FourBitType fourBitTypeNamed(const std::string& name, const std::string& where) {
    std::string n = name;
    std::transform(n.begin(), n.end(), n.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    if (n == "nf4") return FourBitType::Nf4;
    if (n == "fp4") return FourBitType::Fp4;
    throw Error(ErrorCode::InvalidValue, where, "'" + name + "'; use nf4 or fp4");
}

} // namespace ft
