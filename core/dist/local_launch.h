#pragma once
// Starts the ranks of a data-parallel run as processes on this machine (what `ftstudio-cli train --nproc-per-node
// N` does, as torchrun's --nproc-per-node) and watches them: when one fails, the others get a grace period to stop
// by themselves (they notice the lost rank and say so), then are killed. POSIX; no LibTorch.

#include "core/dist/dist_env.h"

#include <chrono>
#include <optional>
#include <string>
#include <sys/types.h>
#include <vector>

namespace ft {

struct WorkerExit {
    int rank = 0;
    pid_t pid = 0;
    int exitCode = 0;  // when it exited
    int signal = 0;    // when a signal ended it
    bool ok() const { return signal == 0 && exitCode == 0; }
};

// "rank 1 (pid 4242) was killed by signal 9 (Killed)", "rank 0 (pid 4241) exited with code 1".
std::string describeExit(const WorkerExit& exit);

// A TCP port on 127.0.0.1 that nothing listens on now (for rank 0's rendezvous).
int freeLocalPort();

class LocalLauncher {
public:
    // Runs `program args...` once per rank from `firstRank` to `base.worldSize` - 1 (ranks below are this process's
    // business), each with `base`'s variables for its rank (RANK, LOCAL_RANK, ...) added to this process's
    // environment; with `logDir`, each rank's output goes to logDir/rank-N.log instead of this process's (an app
    // has no terminal to show it in). Throws ft::Error when a process cannot start.
    LocalLauncher(const std::string& program, const std::vector<std::string>& args, const DistEnv& base,
                  int firstRank = 0, const std::string& logDir = {});
    ~LocalLauncher();  // kills what still runs
    LocalLauncher(const LocalLauncher&) = delete;
    LocalLauncher& operator=(const LocalLauncher&) = delete;

    // Waits until every rank has ended; returns how each ended, in the order they did. After the first failure
    // (or from now, `graceFromNow`: the caller knows the run failed) the rest are killed (SIGKILL) if they are still
    // running `grace` later.
    std::vector<WorkerExit> wait(std::chrono::milliseconds grace, bool graceFromNow = false);
    // Without waiting: a rank that has ended since the start, if any (wait() reports it again).
    std::optional<WorkerExit> poll();
    // Sends `signal` to every rank still running.
    void signalAll(int signal);
    // Where `rank`'s output went ("" when it shares this process's).
    std::string logFile(int rank) const;

private:
    std::optional<WorkerExit> reap(size_t index);

    int m_firstRank = 0;
    std::string m_logDir;
    std::vector<pid_t> m_pids;       // by rank from m_firstRank; 0 once reaped
    std::vector<WorkerExit> m_ended;  // reaped by poll(), not yet returned by wait()
};

} // namespace ft
