#include "core/model/causal_lm_loss.h"

#include "core/model/autocast_scope.h"
#include "core/model/softmax_rows.h"

#include <torch/torch.h>

namespace ft {

torch::Tensor causalLmLossSum(const torch::Tensor& logits, const torch::Tensor& labels) {
    const int64_t V = logits.size(-1);
    auto shiftedLogits = logits.slice(1, 0, -1).reshape({-1, V});
    auto shiftedLabels = labels.slice(1, 1).reshape({-1});
    return torch::nn::functional::cross_entropy(
        shiftedLogits, shiftedLabels,
        torch::nn::functional::CrossEntropyFuncOptions().ignore_index(kIgnoreIndex).reduction(torch::kSum));
}

int64_t lossChunkRows(int64_t vocab) { return std::max<int64_t>(128, (int64_t(16) << 20) / std::max<int64_t>(1, vocab)); }

namespace {

struct Targets {
    torch::Tensor rows;     // (N,) int64: rows of h.view(-1, C) that predict a label
    torch::Tensor labels;   // (N,) int64: the label each predicts
};

// Position t predicts labels[t + 1]; the last position of a row and ignored labels predict nothing.
Targets targetsOf(const torch::Tensor& labels) {
    const int64_t B = labels.size(0);
    const torch::Tensor next = torch::cat({labels.slice(1, 1), torch::full({B, 1}, kIgnoreIndex, labels.options())}, 1).reshape({-1});
    const torch::Tensor rows = (next != kIgnoreIndex).nonzero().squeeze(1);
    return {rows, next.index_select(0, rows)};
}

// One chunk's logits in fp32, as the unfused path computes them: the product in the compute dtype, the cap in it too.
torch::Tensor chunkLogits(const torch::Tensor& h, const torch::Tensor& w, double softcap) {
    torch::Tensor z = torch::nn::functional::linear(h, w);
    if (softcap > 0) z = torch::tanh(z / softcap) * softcap;
    return z.to(torch::kFloat32);
}

struct FusedLoss {
    torch::Tensor loss;                 // () fp32
    torch::Tensor gradHidden, gradWeight;  // d loss / d h (B, T, C) and d loss / d W (V, C); undefined when not asked
};

// h: (M, C) and w: (V, C) already in the compute dtype.
FusedLoss fusedLoss(const torch::Tensor& h, const torch::Tensor& w, const Targets& t, double softcap, bool wantH, bool wantW,
                    torch::ScalarType hiddenDtype, torch::ScalarType weightDtype) {
    torch::NoGradGuard noGrad;
    const int64_t N = t.rows.size(0), V = w.size(0), step = lossChunkRows(V);
    FusedLoss out;
    out.loss = torch::zeros({}, h.options().dtype(torch::kFloat32));
    if (wantH) out.gradHidden = torch::zeros(h.sizes(), h.options().dtype(hiddenDtype));
    if (wantW) out.gradWeight = torch::zeros(w.sizes(), w.options().dtype(torch::kFloat32));
    for (int64_t start = 0; start < N; start += step) {
        const int64_t n = std::min(step, N - start);
        const torch::Tensor rows = t.rows.slice(0, start, start + n), labels = t.labels.slice(0, start, start + n).unsqueeze(1);
        const torch::Tensor hc = h.index_select(0, rows);  // (n, C)
        torch::Tensor z = chunkLogits(hc, w, softcap);     // (n, V) fp32
        // d/dz of -log softmax(z)[y] = softmax(z) - onehot(y); through the cap, times 1 - (z / cap)^2.
        torch::Tensor capSlope;
        if (softcap > 0 && (wantH || wantW)) capSlope = 1.0 - (z / softcap).square();
        const torch::Tensor picked = z.gather(1, labels);
        torch::Tensor lse;
        if (z.device().is_cpu()) {  // each row once while it is in cache (softmax_rows.h)
            lse = softmaxRowsInPlace(z).unsqueeze(1);
        } else {
            lse = z.logsumexp(1, /*keepdim=*/true);
            if (wantH || wantW) z.sub_(lse).exp_();
        }
        out.loss += (lse - picked).sum();
        if (!wantH && !wantW) continue;
        torch::Tensor& g = z;  // softmax(z) now
        g.scatter_add_(1, labels, torch::full({n, 1}, -1.0, g.options()));
        if (softcap > 0) g.mul_(capSlope);
        const torch::Tensor gc = g.to(h.scalar_type());  // the unfused backward's grad_output of the product
        if (wantH) out.gradHidden.index_add_(0, rows, gc.mm(w).to(hiddenDtype));
        if (wantW) {  // in fp32 across chunks; a half-precision product is rounded per chunk, as the unfused one is once
            if (gc.scalar_type() == torch::kFloat32) out.gradWeight.addmm_(gc.t(), hc);
            else out.gradWeight.add_(gc.t().mm(hc));
        }
    }
    if (wantW) out.gradWeight = out.gradWeight.to(weightDtype);
    return out;
}

class FusedLinearCrossEntropy : public torch::autograd::Function<FusedLinearCrossEntropy> {
public:
    static torch::Tensor forward(torch::autograd::AutogradContext* ctx, const torch::Tensor& hidden, const torch::Tensor& weight,
                                 const torch::Tensor& labels, double softcap) {
        const c10::DeviceType device = hidden.device().type();
        const torch::ScalarType dtype = AutocastScope::current(device).value_or(hidden.scalar_type());
        const torch::Tensor h = hidden.reshape({-1, hidden.size(-1)}).to(dtype), w = weight.to(dtype);
        FusedLoss f = fusedLoss(h, w, targetsOf(labels), softcap, hidden.requires_grad(), weight.requires_grad(),
                                hidden.scalar_type(), weight.scalar_type());
        ctx->saved_data["grad_hidden"] = f.gradHidden.defined() ? f.gradHidden.view(hidden.sizes()) : f.gradHidden;
        ctx->saved_data["grad_weight"] = f.gradWeight;
        return f.loss;
    }

    static torch::autograd::variable_list backward(torch::autograd::AutogradContext* ctx, torch::autograd::variable_list grads) {
        const torch::Tensor scale = grads[0];
        const auto scaled = [&](const char* key) {
            const torch::Tensor g = ctx->saved_data[key].toTensor();
            if (!g.defined()) return g;
            return g.scalar_type() == scale.scalar_type() ? g * scale : (g.to(scale.scalar_type()) * scale).to(g.scalar_type());
        };
        return {scaled("grad_hidden"), scaled("grad_weight"), torch::Tensor(), torch::Tensor()};
    }
};

} // namespace

torch::Tensor causalLmLossSumFromHidden(const torch::Tensor& hidden, const torch::Tensor& weight, const torch::Tensor& labels,
                                        double softcap) {
    if (torch::GradMode::is_enabled() && (hidden.requires_grad() || weight.requires_grad()))
        return FusedLinearCrossEntropy::apply(hidden, weight, labels, softcap);
    const c10::DeviceType device = hidden.device().type();
    const torch::ScalarType dtype = AutocastScope::current(device).value_or(hidden.scalar_type());
    torch::NoGradGuard noGrad;
    return fusedLoss(hidden.reshape({-1, hidden.size(-1)}).to(dtype), weight.to(dtype), targetsOf(labels), softcap, false,
                     false, hidden.scalar_type(), weight.scalar_type())
        .loss;
}

} // namespace ft
