// The NCCL backend: built where LibTorch has CUDA and NCCL's header is found (the nvidia-nccl wheel torch depends
// on); dist_no_nccl.cpp stands in elsewhere.
#include "core/dist/dist_group_impl.h"

#include <torch/csrc/distributed/c10d/ProcessGroupNCCL.hpp>

#include <c10/cuda/CUDAFunctions.h>

namespace ft {

bool ncclAvailable() { return true; }

c10::intrusive_ptr<c10d::Backend> makeNcclBackend(const c10::intrusive_ptr<c10d::Store>& store, const DistEnv& env) {
    c10::cuda::set_device(c10::DeviceIndex(env.localRank));  // one GPU per process, as torchrun's LOCAL_RANK says
    auto options = c10d::ProcessGroupNCCL::Options::create();
    options->timeout = env.timeout;
    return c10::make_intrusive<c10d::ProcessGroupNCCL>(store, env.rank, env.worldSize, options);
}

} // namespace ft
