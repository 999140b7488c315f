// Where DistGroup finds the NCCL backend: registered by libftcore_cuda.so (core/cuda/nccl_backend.cpp) when CUDA
// support is loaded (core/device/cuda_support.h); CPU processes need none (Gloo).
#include "core/device/cuda_support.h"
#include "core/dist/dist_group_impl.h"

namespace ft {

namespace {
NcclBackendMaker g_maker = nullptr;
} // namespace

void registerNcclBackend(NcclBackendMaker maker) { g_maker = maker; }

bool ncclAvailable() { return loadCudaSupport() && g_maker; }

c10::intrusive_ptr<c10d::Backend> makeNcclBackend(const c10::intrusive_ptr<c10d::Store>& store, const DistEnv& env) {
    if (!ncclAvailable())
        throw Error(ErrorCode::Unsupported, "rank " + std::to_string(env.rank) + ": NCCL",
                    loadCudaSupport()
                        ? std::string("this build of Finetune Studio has no NCCL (it was built without NCCL's header); "
                                      "train on several CPU processes (training.device cpu), or build where the "
                                      "nvidia-nccl wheel is present")
                        : "CUDA is not loaded (" + cudaSupportProblem() +
                              "); train on several CPU processes (training.device cpu)");
    return g_maker(store, env);
}

} // namespace ft
