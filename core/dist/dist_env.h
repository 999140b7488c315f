#pragma once
// Where this process stands in a data-parallel run, read from the environment the way PyTorch's launchers set it
// (torchrun, SLURM's srun, or by hand): RANK, WORLD_SIZE, LOCAL_RANK, MASTER_ADDR, MASTER_PORT. No LibTorch.

#include <chrono>
#include <map>
#include <optional>
#include <string>

namespace ft {

struct DistEnv {
    int rank = 0;
    int worldSize = 1;
    int localRank = 0;              // the process's index on its machine: which GPU it takes
    std::string masterAddr = "127.0.0.1";
    int masterPort = 29500;         // rank 0 serves the rendezvous store (c10d's TCPStore) there
    std::chrono::seconds timeout{300};  // a collective or the rendezvous waiting longer fails the run (FT_DIST_TIMEOUT)
};

// The run's place from `env` (the process environment when empty). nullopt when neither RANK/WORLD_SIZE nor SLURM's
// SLURM_PROCID/SLURM_NTASKS are set: a single-process run. Throws ft::Error naming the variable for a value that is
// not a number, out of range, or missing beside the others.
std::optional<DistEnv> distEnvFromEnvironment(const std::map<std::string, std::string>& env = {});

// The variables a launcher sets for `rank` of `worldSize` on this machine (what --nproc-per-node passes its workers).
std::map<std::string, std::string> distEnvVariables(const DistEnv& env);

} // namespace ft
