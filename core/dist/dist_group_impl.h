#pragma once
// DistGroup's parts, for the files of core/dist that use c10d directly (dist_group.cpp, gradient_sync.cpp,
// core/cuda/nccl_backend.cpp). Includes c10d's headers: keep it out of every other file.

#include "core/dist/dist_group.h"

#include <torch/csrc/distributed/c10d/ProcessGroup.hpp>
#include <torch/csrc/distributed/c10d/Store.hpp>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>

namespace ft {

struct DistGroup::Impl {
    DistEnv env;
    c10::intrusive_ptr<c10d::Store> store;           // the rendezvous (rank 0 serves it)
    c10::intrusive_ptr<c10d::ProcessGroup> group;    // the collectives
    // Each rank counts up its own key in the store every half second, on its own connection; a rank whose count
    // stands still is the one that stopped (DistGroup::peerLost).
    c10::intrusive_ptr<c10d::Store> heartbeatStore;
    std::thread heartbeat;
    std::mutex mutex;
    std::condition_variable wake;
    bool stopping = false;

    ~Impl();
    void beat();
};

// The NCCL backend for CUDA tensors: libftcore_cuda.so registers its maker when it is loaded (core/cuda/
// nccl_backend.cpp, built where LibTorch has CUDA and NCCL's header is found). makeNcclBackend throws, in words,
// where there is none.
using NcclBackendMaker = c10::intrusive_ptr<c10d::Backend> (*)(const c10::intrusive_ptr<c10d::Store>&, const DistEnv&);
void registerNcclBackend(NcclBackendMaker maker);
c10::intrusive_ptr<c10d::Backend> makeNcclBackend(const c10::intrusive_ptr<c10d::Store>& store, const DistEnv& env);
bool ncclAvailable();

} // namespace ft
