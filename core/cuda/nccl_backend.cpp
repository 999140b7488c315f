// The NCCL backend for CUDA tensors, registered with ftcore's DistGroup (core/dist/dist_group_impl.h) when
// libftcore_cuda.so is loaded. Built where LibTorch has CUDA and NCCL's header is found (the nvidia-nccl wheel torch
// depends on).
#include "core/dist/dist_group_impl.h"

#include <torch/csrc/distributed/c10d/ProcessGroupNCCL.hpp>

#include <c10/cuda/CUDAFunctions.h>

namespace ft {

namespace {

c10::intrusive_ptr<c10d::Backend> makeBackend(const c10::intrusive_ptr<c10d::Store>& store, const DistEnv& env) {
    c10::cuda::set_device(c10::DeviceIndex(env.localRank));  // one GPU per process, as torchrun's LOCAL_RANK says
    auto options = c10d::ProcessGroupNCCL::Options::create();
    options->timeout = env.timeout;
    return c10::make_intrusive<c10d::ProcessGroupNCCL>(store, env.rank, env.worldSize, options);
}

const bool registered = (registerNcclBackend(&makeBackend), true);

} // namespace

} // namespace ft
