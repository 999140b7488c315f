#include "core/dist/local_launch.h"

#include "core/common/error.h"

#include <arpa/inet.h>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <netinet/in.h>
#include <optional>
#include <sys/socket.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

extern char** environ;

namespace ft {

std::string describeExit(const WorkerExit& e) {
    const std::string who = "rank " + std::to_string(e.rank) + " (pid " + std::to_string(e.pid) + ")";
    if (e.signal != 0)
        return who + " was killed by signal " + std::to_string(e.signal) + " (" + strsignal(e.signal) + ")";
    return who + " exited with code " + std::to_string(e.exitCode);
}

int freeLocalPort() {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) throw Error(ErrorCode::Internal, "socket", std::strerror(errno));
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;  // the kernel picks one
    socklen_t len = sizeof addr;
    const bool ok = ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 &&
                    ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0;
    const int err = errno;
    ::close(fd);
    if (!ok) throw Error(ErrorCode::Internal, "127.0.0.1", std::string("no free TCP port: ") + std::strerror(err));
    return ntohs(addr.sin_port);
}

LocalLauncher::LocalLauncher(const std::string& program, const std::vector<std::string>& args, const DistEnv& base,
                             int firstRank, const std::string& logDir)
    : m_firstRank(firstRank), m_logDir(logDir) {
    for (int rank = firstRank; rank < base.worldSize; ++rank) {
        DistEnv env = base;
        env.rank = rank;
        env.localRank = rank;
        // Everything the child needs is built before fork(): after it, only async-signal-safe calls.
        std::vector<std::string> envStrings;
        const auto ours = distEnvVariables(env);
        for (char** e = environ; *e; ++e) {
            const std::string entry = *e;
            const std::string name = entry.substr(0, entry.find('='));
            if (!ours.count(name)) envStrings.push_back(entry);
        }
        for (const auto& [name, value] : ours) envStrings.push_back(name + "=" + value);
        std::vector<char*> envp, argv;
        for (auto& s : envStrings) envp.push_back(s.data());
        envp.push_back(nullptr);
        std::vector<std::string> argStrings{program};
        argStrings.insert(argStrings.end(), args.begin(), args.end());
        for (auto& s : argStrings) argv.push_back(s.data());
        argv.push_back(nullptr);
        const std::string log = logFile(rank);

        const pid_t pid = ::fork();
        if (pid < 0) {
            const int err = errno;
            signalAll(SIGKILL);
            wait(std::chrono::milliseconds(0));
            throw Error(ErrorCode::Internal, "rank " + std::to_string(rank), std::string("fork: ") + std::strerror(err));
        }
        if (pid == 0) {
            if (!log.empty()) {
                const int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
                if (fd < 0) _exit(126);
                ::dup2(fd, STDOUT_FILENO);
                ::dup2(fd, STDERR_FILENO);
                ::close(fd);
            }
            ::execve(program.c_str(), argv.data(), envp.data());
            _exit(127);
        }
        m_pids.push_back(pid);
    }
}

LocalLauncher::~LocalLauncher() {
    signalAll(SIGKILL);
    for (pid_t& pid : m_pids)
        if (pid > 0) ::waitpid(pid, nullptr, 0);
}

void LocalLauncher::signalAll(int signal) {
    for (const pid_t pid : m_pids)
        if (pid > 0) ::kill(pid, signal);
}

std::string LocalLauncher::logFile(int rank) const {
    return m_logDir.empty() ? std::string() : m_logDir + "/rank-" + std::to_string(rank) + ".log";
}

// The exit of the rank at `index` once it has ended; nothing while it runs (no waiting).
std::optional<WorkerExit> LocalLauncher::reap(size_t index) {
    pid_t& pid = m_pids[index];
    if (pid <= 0) return std::nullopt;
    int status = 0;
    const pid_t got = ::waitpid(pid, &status, WNOHANG);
    if (got == 0) return std::nullopt;
    WorkerExit e;
    e.rank = m_firstRank + int(index);
    e.pid = pid;
    if (got > 0 && WIFSIGNALED(status)) e.signal = WTERMSIG(status);
    else if (got > 0 && WIFEXITED(status)) e.exitCode = WEXITSTATUS(status);
    else e.exitCode = -1;  // not ours any more (ECHILD)
    pid = 0;
    return e;
}

std::optional<WorkerExit> LocalLauncher::poll() {
    for (size_t i = 0; i < m_pids.size(); ++i)
        if (auto e = reap(i)) m_ended.push_back(*e);
    if (m_ended.empty()) return std::nullopt;
    return m_ended.front();
}

std::vector<WorkerExit> LocalLauncher::wait(std::chrono::milliseconds grace, bool graceFromNow) {
    using Clock = std::chrono::steady_clock;
    std::vector<WorkerExit> exits = std::move(m_ended);
    m_ended.clear();
    std::optional<Clock::time_point> killAt;
    if (graceFromNow) killAt = Clock::now() + grace;
    for (const WorkerExit& e : exits)
        if (!e.ok() && !killAt) killAt = Clock::now() + grace;
    for (;;) {
        bool running = false;
        for (size_t rank = 0; rank < m_pids.size(); ++rank) {
            if (m_pids[rank] <= 0) continue;
            const auto e = reap(rank);
            if (!e) {
                running = true;
                continue;
            }
            exits.push_back(*e);
            if (!e->ok() && !killAt) killAt = Clock::now() + grace;
        }
        if (!running) return exits;
        if (killAt && Clock::now() >= *killAt) {
            signalAll(SIGKILL);
            killAt = Clock::time_point::max();
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
}

} // namespace ft
