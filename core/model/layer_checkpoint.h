#pragma once
// Internal (includes LibTorch): gradient checkpointing of one decoder layer (Chen et al. 2016, arXiv:1604.06174).
// The forward keeps only the layer's input; the backward runs the layer again with gradients on, under the random
// generator state of the first pass (so dropout draws the same masks), and backpropagates through that. Activation
// memory falls from every layer's intermediates to one tensor per layer, for one extra forward.

#include "core/model/decoder.h"

namespace ft {

torch::Tensor checkpointedLayerForward(DecoderLayerImpl& layer, const torch::Tensor& x, const RopeTables& rope,
                                       const torch::Tensor& segments);

} // namespace ft
