#pragma once
// The processes of one data-parallel run, joined through PyTorch's c10d: rank 0 serves a TCPStore at
// MASTER_ADDR:MASTER_PORT, every rank meets there, and the collectives go through ProcessGroupGloo (CPU tensors)
// or ProcessGroupNCCL (CUDA). Internal: the c10d and gloo headers stay in the .cpp files.

#include "core/common/error.h"
#include "core/dist/dist_env.h"

#include <ATen/core/Tensor.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace ft {

class DistGroup {
public:
    // Meets the other ranks (each waits up to env.timeout for all to arrive) and builds the backend: NCCL on
    // cuda:LOCAL_RANK when `cuda`, Gloo otherwise. Throws ft::Error when they do not all arrive in time. Rank 0 calls
    // `whileWaiting` every 50 ms until all have come: it throws to stop waiting (a worker it started has ended).
    static std::unique_ptr<DistGroup> join(const DistEnv& env, bool cuda,
                                           const std::function<void()>& whileWaiting = {});
    ~DistGroup();
    DistGroup(const DistGroup&) = delete;
    DistGroup& operator=(const DistGroup&) = delete;

    int rank() const;
    int size() const;
    const DistEnv& env() const;

    // Collectives: every rank calls them in the same order. A rank that has died or stops answering makes them
    // throw ft::Error(PeerLost) naming it (after env.timeout at the most).
    void allReduceSum(at::Tensor& tensor, const std::string& during = "a sum over the ranks");
    void broadcastFromRankZero(std::vector<at::Tensor>& tensors);
    // Rank 0's `value` on every rank (through the store: small texts such as the run folder's path).
    std::string shareFromRankZero(const std::string& key, const std::string& value);

    // A run that ended well: every rank checks out; rank 0 waits (a few seconds at most) until all have, as the
    // rendezvous lives in its process.
    void leave();

    // The error of a collective that failed: which ranks stopped answering (their heartbeats in the store stopped),
    // and what `during` was going on. Rank 0 gone means the store is gone too, and says so.
    Error peerLost(const std::string& during, const std::string& cause) const;

    struct Impl;
    Impl& impl() { return *m; }

private:
    explicit DistGroup(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> m;
};

} // namespace ft
