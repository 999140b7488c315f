#include "core/model/layer_checkpoint.h"

#include "core/model/autocast_scope.h"

#include <torch/torch.h>

namespace ft {

namespace {

using torch::autograd::AutogradContext;
using torch::autograd::variable_list;

struct CheckpointedLayer : torch::autograd::Function<CheckpointedLayer> {
    static torch::Tensor forward(AutogradContext* ctx, const torch::Tensor& x, DecoderLayerImpl* layer,
                                 const RopeTables* rope, const torch::Tensor* segmentsIn) {
        // Non-tensor arguments by pointer: an undefined tensor (no segments) cannot go through apply().
        const torch::Tensor& segments = *segmentsIn;
        ctx->saved_data["x"] = x.detach();
        ctx->saved_data["layer"] = reinterpret_cast<int64_t>(layer);  // the model outlives its backward pass
        ctx->saved_data["cos"] = rope->cos;
        ctx->saved_data["sin"] = rope->sin;
        if (segments.defined()) ctx->saved_data["segments"] = segments;
        ctx->saved_data["rng"] = at::detail::getDefaultCPUGenerator().get_state();
        if (x.is_cuda()) ctx->saved_data["cuda_rng"] = at::globalContext().defaultGenerator(x.device()).get_state();
        // Backward runs outside autocast; the recomputation must see the same casts as this pass.
        if (const auto autocast = AutocastScope::current(x.device().type())) ctx->saved_data["autocast"] = int64_t(*autocast);
        torch::NoGradGuard noGrad;
        return layer->forward(x, *rope, nullptr, segments);
    }

    static variable_list backward(AutogradContext* ctx, variable_list grads) {
        auto* layer = reinterpret_cast<DecoderLayerImpl*>(ctx->saved_data["layer"].toInt());
        const RopeTables rope{ctx->saved_data["cos"].toTensor(), ctx->saved_data["sin"].toTensor()};
        const auto it = ctx->saved_data.find("segments");
        const torch::Tensor segments = it == ctx->saved_data.end() ? torch::Tensor() : it->second.toTensor();
        torch::Tensor x = ctx->saved_data["x"].toTensor().detach().requires_grad_(true);

        // Replay the first pass's random draws, then give the generators back their current state.
        auto cpu = at::detail::getDefaultCPUGenerator();
        const torch::Tensor cpuNow = cpu.get_state();
        cpu.set_state(ctx->saved_data["rng"].toTensor());
        std::optional<at::Generator> cuda;
        torch::Tensor cudaNow;
        if (const auto c = ctx->saved_data.find("cuda_rng"); c != ctx->saved_data.end()) {
            cuda = at::globalContext().defaultGenerator(x.device());
            cudaNow = cuda->get_state();
            cuda->set_state(c->second.toTensor());
        }
        std::optional<at::ScalarType> autocast;
        if (const auto a = ctx->saved_data.find("autocast"); a != ctx->saved_data.end()) autocast = at::ScalarType(a->second.toInt());
        torch::Tensor y;
        {
            torch::AutoGradMode enable(true);
            AutocastScope scope(x.device().type(), autocast);
            y = layer->forward(x, rope, nullptr, segments);
        }
        cpu.set_state(cpuNow);
        if (cuda) cuda->set_state(cudaNow);
        torch::autograd::backward({y}, {grads[0]});  // accumulates into the layer's trainable parameters
        return {x.grad(), torch::Tensor(), torch::Tensor(), torch::Tensor()};
    }
};

} // namespace

torch::Tensor checkpointedLayerForward(DecoderLayerImpl& layer, const torch::Tensor& x, const RopeTables& rope,
                                       const torch::Tensor& segments) {
    // The Function's output needs a graph even where x has none (the first layer over a frozen embedding), or the
    // layer's own trainable parameters would never see a gradient; transformers' enable_input_require_grads.
    const torch::Tensor in = x.requires_grad() ? x : x.detach().requires_grad_(true);
    return CheckpointedLayer::apply(in, &layer, &rope, &segments);
}

} // namespace ft
