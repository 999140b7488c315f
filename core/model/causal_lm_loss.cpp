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

// Per target row of h: log p(label) and, when asked, the gradient of each row's log p with respect to h and W, each
// row's scaled by `scale` (N,) when given. h: (M, C) and w: (V, C) in the compute dtype.
struct TokenPass {
    torch::Tensor logProbs;                // (N,) fp32
    torch::Tensor gradHidden, gradWeight;  // (M, C) in hiddenDtype, (V, C) fp32; undefined when not asked
};

TokenPass tokenPass(const torch::Tensor& h, const torch::Tensor& w, const Targets& t, double softcap, bool wantH,
                    bool wantW, const torch::Tensor& scale, torch::ScalarType hiddenDtype) {
    torch::NoGradGuard noGrad;
    const int64_t N = t.rows.size(0), V = w.size(0), step = lossChunkRows(V);
    TokenPass out;
    out.logProbs = torch::empty({N}, h.options().dtype(torch::kFloat32));
    if (wantH) out.gradHidden = torch::zeros(h.sizes(), h.options().dtype(hiddenDtype));
    if (wantW) out.gradWeight = torch::zeros(w.sizes(), w.options().dtype(torch::kFloat32));
    for (int64_t start = 0; start < N; start += step) {
        const int64_t n = std::min(step, N - start);
        const torch::Tensor rows = t.rows.slice(0, start, start + n), labels = t.labels.slice(0, start, start + n).unsqueeze(1);
        const torch::Tensor hc = h.index_select(0, rows);
        torch::Tensor z = chunkLogits(hc, w, softcap);
        torch::Tensor capSlope;
        if (softcap > 0 && (wantH || wantW)) capSlope = 1.0 - (z / softcap).square();
        const torch::Tensor picked = z.gather(1, labels);
        torch::Tensor lse;
        if (z.device().is_cpu()) {
            lse = softmaxRowsInPlace(z).unsqueeze(1);
        } else {
            lse = z.logsumexp(1, /*keepdim=*/true);
            if (wantH || wantW) z.sub_(lse).exp_();
        }
        out.logProbs.slice(0, start, start + n).copy_((picked - lse).squeeze(1));
        if (!wantH && !wantW) continue;
        torch::Tensor& g = z.neg_();  // d log p(y) / dz = onehot(y) - softmax(z)
        g.scatter_add_(1, labels, torch::ones({n, 1}, g.options()));
        if (softcap > 0) g.mul_(capSlope);
        if (scale.defined()) g.mul_(scale.slice(0, start, start + n).unsqueeze(1));
        const torch::Tensor gc = g.to(h.scalar_type());
        if (wantH) out.gradHidden.index_add_(0, rows, gc.mm(w).to(hiddenDtype));
        if (wantW) {
            if (gc.scalar_type() == torch::kFloat32) out.gradWeight.addmm_(gc.t(), hc);
            else out.gradWeight.add_(gc.t().mm(hc));
        }
    }
    return out;
}

// Per-token log-probabilities as one autograd node. With the output layer frozen, each target row's d log p / d h is
// computed in the forward pass (as the fused loss does), and backward scales it by that token's incoming gradient;
// a trained output layer is gone through again in backward instead, since its gradient sums over rows whose scale
// only backward knows.
class TokenLogProbsFunction : public torch::autograd::Function<TokenLogProbsFunction> {
public:
    static torch::Tensor forward(torch::autograd::AutogradContext* ctx, const torch::Tensor& hidden, const torch::Tensor& weight,
                                 const torch::Tensor& labels, double softcap) {
        const torch::ScalarType dtype = AutocastScope::current(hidden.device().type()).value_or(hidden.scalar_type());
        const torch::Tensor h = hidden.reshape({-1, hidden.size(-1)}).to(dtype), w = weight.to(dtype);
        const Targets t = targetsOf(labels);
        const bool wantH = hidden.requires_grad(), wantW = weight.requires_grad();
        const TokenPass pass = tokenPass(h, w, t, softcap, wantH && !wantW, false, {}, hidden.scalar_type());
        ctx->saved_data["rows"] = t.rows;
        if (wantW) {
            ctx->saved_data["h"] = h;
            ctx->saved_data["w"] = w;
            ctx->saved_data["labels"] = t.labels;
            ctx->saved_data["softcap"] = softcap;
            ctx->saved_data["want_h"] = wantH;
            ctx->saved_data["hidden_dtype"] = int64_t(hidden.scalar_type());
            ctx->saved_data["weight_dtype"] = int64_t(weight.scalar_type());
        } else {
            ctx->saved_data["grad_hidden"] = pass.gradHidden;
        }
        ctx->saved_data["hidden_sizes"] = hidden.sizes().vec();
        return torch::zeros({labels.numel()}, pass.logProbs.options()).index_copy_(0, t.rows, pass.logProbs).view(labels.sizes());
    }

    static torch::autograd::variable_list backward(torch::autograd::AutogradContext* ctx, torch::autograd::variable_list grads) {
        const torch::Tensor rows = ctx->saved_data["rows"].toTensor();
        const torch::Tensor perToken = grads[0].reshape({-1}).to(torch::kFloat32);
        const auto sizes = ctx->saved_data["hidden_sizes"].toIntVector();
        if (const auto w = ctx->saved_data.find("w"); w != ctx->saved_data.end()) {
            const torch::Tensor h = ctx->saved_data["h"].toTensor();
            const Targets t{rows, ctx->saved_data["labels"].toTensor()};
            const auto hiddenDtype = torch::ScalarType(ctx->saved_data["hidden_dtype"].toInt());
            const TokenPass pass = tokenPass(h, w->second.toTensor(), t, ctx->saved_data["softcap"].toDouble(),
                                             ctx->saved_data["want_h"].toBool(), true, perToken.index_select(0, rows), hiddenDtype);
            return {pass.gradHidden.defined() ? pass.gradHidden.view(sizes) : torch::Tensor(),
                    pass.gradWeight.to(torch::ScalarType(ctx->saved_data["weight_dtype"].toInt())), torch::Tensor(),
                    torch::Tensor()};
        }
        const torch::Tensor g = ctx->saved_data["grad_hidden"].toTensor();
        if (!g.defined()) return {torch::Tensor(), torch::Tensor(), torch::Tensor(), torch::Tensor()};
        const torch::Tensor scaled = g.scalar_type() == torch::kFloat32 ? g * perToken.unsqueeze(1)
                                                                        : (g.to(torch::kFloat32) * perToken.unsqueeze(1)).to(g.scalar_type());
        return {scaled.view(sizes), torch::Tensor(), torch::Tensor(), torch::Tensor()};
    }
};

} // namespace

torch::Tensor tokenLogProbsFromHidden(const torch::Tensor& hidden, const torch::Tensor& weight, const torch::Tensor& labels,
                                      double softcap) {
    if (torch::GradMode::is_enabled() && (hidden.requires_grad() || weight.requires_grad()))
        return TokenLogProbsFunction::apply(hidden, weight, labels, softcap);
    const torch::ScalarType dtype = AutocastScope::current(hidden.device().type()).value_or(hidden.scalar_type());
    const Targets t = targetsOf(labels);
    const TokenPass pass = tokenPass(hidden.reshape({-1, hidden.size(-1)}).to(dtype), weight.to(dtype), t, softcap, false,
                                     false, {}, hidden.scalar_type());
    return torch::zeros({labels.numel()}, pass.logProbs.options()).index_copy_(0, t.rows, pass.logProbs).view(labels.sizes());
}

torch::Tensor tokenLogProbs(const torch::Tensor& logits, const torch::Tensor& labels) {
    const Targets t = targetsOf(labels);
    const torch::Tensor z = logits.reshape({-1, logits.size(-1)}).index_select(0, t.rows);
    const torch::Tensor picked = z.log_softmax(-1).gather(1, t.labels.unsqueeze(1)).squeeze(1);
    return torch::zeros({labels.numel()}, picked.options()).index_copy(0, t.rows, picked).view(labels.sizes());
}

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
