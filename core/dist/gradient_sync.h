#pragma once
// Sums the trainable parameters' gradients over the ranks of a data-parallel run with c10d's Reducer, the engine
// under PyTorch's DistributedDataParallel: gradients grouped in buckets (25 MiB, the first 1 MiB, as DDP), each
// bucket's all-reduce started by autograd's hooks as soon as its last gradient is ready, so communication overlaps
// the rest of the backward pass. Internal (ATen's Tensor in the interface; c10d stays in the .cpp).

#include <ATen/core/Tensor.h>

#include <cstdint>
#include <memory>
#include <vector>

namespace ft {

class DistGroup;

// What one synchronised backward pass moved.
struct GradientSyncStats {
    int buckets = 0;
    int64_t bytes = 0;           // gradient bytes summed (each rank sends and receives about twice this in a ring)
    double busySeconds = 0.0;    // from the first bucket's start to the last one's end (waiting for the slowest rank too)
    double waitSeconds = 0.0;    // of that, after backward's own work was done: the time communication added
};

class GradientSync {
public:
    // `params`: the trainable parameters, in the same order on every rank. Their starting values are made rank 0's.
    GradientSync(DistGroup& group, std::vector<at::Tensor> params, int64_t bucketBytes = 25 << 20);
    ~GradientSync();

    // Call before the backward pass of `loss` whose gradients (added to what earlier micro-batches left in .grad)
    // are to be summed over the ranks: a step's last micro-batch. Backward passes without it stay local.
    void expectBackward(const at::Tensor& loss);
    // The last synchronised backward pass's figures (after it returned).
    GradientSyncStats lastStats() const;

private:
    struct Impl;
    std::unique_ptr<Impl> m;
};

} // namespace ft
