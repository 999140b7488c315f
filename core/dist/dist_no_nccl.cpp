// Builds without CUDA or without NCCL's header: CUDA devices cannot be joined; CPU processes still can (Gloo).
#include "core/dist/dist_group_impl.h"

namespace ft {

bool ncclAvailable() { return false; }

c10::intrusive_ptr<c10d::Backend> makeNcclBackend(const c10::intrusive_ptr<c10d::Store>&, const DistEnv& env) {
    throw Error(ErrorCode::Unsupported, "rank " + std::to_string(env.rank) + ": NCCL",
                "this build of Finetune Studio has no NCCL (it was built without CUDA or without NCCL's header); "
                "train on several CPU processes (training.device cpu), or build where CUDA and the nvidia-nccl "
                "wheel are present");
}

} // namespace ft
