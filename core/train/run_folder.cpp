#include "core/train/run_folder.h"

#include "core/common/error.h"
#include "core/io/atomic_file.h"
#include "core/io/json_file.h"
#include "core/train/checkpoint_info.h"
#include "core/project/project.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <ctime>
#include <thread>
#include <tuple>

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

namespace fs = std::filesystem;

namespace ft {

namespace {

constexpr const char* kRunFormat = "finetune-studio-run";
constexpr int kRunFormatVersion = 1;
constexpr const char* kLockFile = "run.lock";

std::string utcNow(const char* format) {
    const std::time_t now = std::time(nullptr);
    std::tm tm{};
    gmtime_r(&now, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, format, &tm);
    return buf;
}

std::optional<RunState> runStateNamed(const std::string& name) {
    for (const RunState s : {RunState::Running, RunState::Finished, RunState::Cancelled, RunState::Failed})
        if (name == runStateName(s)) return s;
    return std::nullopt;
}

// True while some process holds the run's lock. A shared probe conflicts with the trainer's exclusive lock and
// never blocks it for long (RunLock retries briefly).
bool lockHeld(const fs::path& runDir) {
    const int fd = ::open((runDir / kLockFile).c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return false;
    const bool held = ::flock(fd, LOCK_SH | LOCK_NB) != 0 && errno == EWOULDBLOCK;
    ::close(fd);  // also drops the probe's own shared lock
    return held;
}

// The numeric tail that makes an id unique ("…-041502-3" → 3), for ordering runs started in the same second.
int collisionIndex(const std::string& id) {
    const auto dash = id.rfind('-');
    if (dash == std::string::npos || dash + 1 >= id.size() || id.size() - dash > 4) return 1;
    const std::string tail = id.substr(dash + 1);
    if (!std::all_of(tail.begin(), tail.end(), [](char c) { return c >= '0' && c <= '9'; })) return 1;
    return std::stoi(tail);
}

} // namespace

const char* runStateName(RunState state) {
    switch (state) {
    case RunState::Idle: return "idle";
    case RunState::Preparing: return "preparing";
    case RunState::Running: return "running";
    case RunState::Paused: return "paused";
    case RunState::Finished: return "finished";
    case RunState::Cancelled: return "cancelled";
    case RunState::Failed: return "failed";
    }
    return "?";
}

fs::path runStateFile(const fs::path& runDir) { return runDir / "run.json"; }
fs::path runProjectFile(const fs::path& runDir) { return runDir / "project.json"; }
fs::path runMetricsFile(const fs::path& runDir) { return runDir / "metrics.jsonl"; }
fs::path runCheckpointsDir(const fs::path& runDir) { return runDir / "checkpoints"; }
fs::path runAdapterDir(const fs::path& runDir) { return runDir / "adapter"; }
fs::path runReferenceFile(const fs::path& runDir) { return runDir / "reference_logps.json"; }

fs::path runsRoot(const Project& project) { return project.resolve(project.output) / "runs"; }

fs::path createRunFolder(const fs::path& root) {
    std::error_code ec;
    fs::create_directories(root, ec);
    if (ec) throw Error(ErrorCode::FileUnwritable, root.string(), ec.message());
    const std::string base = utcNow("%Y%m%d-%H%M%S");
    for (int n = 1; n < 10000; ++n) {
        const fs::path dir = root / (n == 1 ? base : base + "-" + std::to_string(n));
        // mkdir is atomic: of two processes starting in the same second, one gets -2.
        if (fs::create_directory(dir, ec)) return dir;
        if (ec) throw Error(ErrorCode::FileUnwritable, dir.string(), ec.message());
    }
    throw Error(ErrorCode::FileUnwritable, (root / base).string(), "no free run folder name");
}

std::optional<RunInfo> readRun(const fs::path& runDir) {
    std::error_code ec;
    const bool hasState = fs::exists(runStateFile(runDir), ec);
    if (!hasState && !fs::is_directory(runCheckpointsDir(runDir), ec)) return std::nullopt;
    RunInfo info;
    info.id = runDir.filename().string();
    info.dir = runDir;
    if (const auto latest = latestCheckpoint(runDir)) info.latestCheckpoint = *latest;
    bool known = false;
    if (hasState) {
        try {
            const auto j = readJsonFile(runStateFile(runDir));
            if (j.value("format", "") == kRunFormat) {
                info.id = j.value("id", info.id);
                info.method = j.value("method", "");
                info.stepsDone = jsonInt(j, "steps_done", 0, runStateFile(runDir).string());
                info.totalSteps = jsonInt(j, "total_steps", 0, runStateFile(runDir).string());
                info.started = j.value("started", "");
                const auto state = runStateNamed(j.value("state", ""));
                info.state = state.value_or(RunState::Failed);
                known = true;
            }
        } catch (const Error&) {
        } catch (const nlohmann::json::exception&) {
        }
    }
    if (!known) {
        // A folder from before run.json (or one whose run.json is unreadable): what its checkpoints say.
        const auto progress = runProgress(runDir);
        info.stepsDone = progress ? progress->step : 0;
        info.totalSteps = progress ? progress->totalSteps : 0;
        info.state = progress && progress->finished() ? RunState::Finished : RunState::Failed;
        try {
            if (!info.latestCheckpoint.empty() && fs::exists(checkpointProjectFile(info.latestCheckpoint)))
                info.method = loadProject(checkpointProjectFile(info.latestCheckpoint)).method;
        } catch (const Error&) {
        }
    }
    if (info.state == RunState::Running && !lockHeld(runDir)) info.state = RunState::Failed;  // killed
    const fs::path finalAdapter = runAdapterDir(runDir);
    const fs::path checkpointAdapter = info.latestCheckpoint.empty() ? fs::path() : checkpointAdapterDir(info.latestCheckpoint);
    if (info.finished() && fs::exists(finalAdapter / "adapter_config.json", ec)) info.adapter = finalAdapter;
    else if (!checkpointAdapter.empty() && fs::exists(checkpointAdapter / "adapter_config.json", ec))
        info.adapter = checkpointAdapter;
    return info;
}

std::vector<RunInfo> listRuns(const fs::path& root) {
    std::vector<RunInfo> runs;
    std::error_code ec;
    if (!fs::is_directory(root, ec)) return runs;
    for (const auto& entry : fs::directory_iterator(root, ec))
        if (entry.is_directory(ec))
            if (auto run = readRun(entry.path())) runs.push_back(std::move(*run));
    // Ids are start times; runs started in the same second carry -2, -3… (numerically, not as text: -10 after -9).
    std::sort(runs.begin(), runs.end(), [](const RunInfo& a, const RunInfo& b) {
        return std::tuple(a.started, collisionIndex(a.id), a.id) < std::tuple(b.started, collisionIndex(b.id), b.id);
    });
    return runs;
}

std::optional<RunInfo> newestRun(const fs::path& root) {
    auto runs = listRuns(root);
    if (runs.empty()) return std::nullopt;
    return std::move(runs.back());
}

std::optional<RunInfo> newestUnfinishedRun(const fs::path& root) {
    auto runs = listRuns(root);
    for (auto it = runs.rbegin(); it != runs.rend(); ++it)
        if (it->resumable()) return std::move(*it);
    return std::nullopt;
}

void writeRunState(const fs::path& runDir, const RunInfo& info) {
    const nlohmann::ordered_json j{{"format", kRunFormat},
                           {"version", kRunFormatVersion},
                           {"id", info.id},
                           {"method", info.method},
                           {"state", runStateName(info.state)},
                           {"steps_done", info.stepsDone},
                           {"total_steps", info.totalSteps},
                           {"started", info.started.empty() ? utcNow("%Y-%m-%dT%H:%M:%SZ") : info.started},
                           {"pid", int(::getpid())}};
    writeFileAtomic(runStateFile(runDir), j.dump(2) + "\n");
}

std::string runStartTime() { return utcNow("%Y-%m-%dT%H:%M:%SZ"); }

void removeEmptyRunFolder(const fs::path& runDir) {
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(runDir, ec))
        if (entry.path().filename() != kLockFile) return;
    fs::remove(runDir / kLockFile, ec);
    fs::remove(runDir, ec);
}

RunLock::RunLock(const fs::path& runDir) {
    const fs::path file = runDir / kLockFile;
    m_fd = ::open(file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (m_fd < 0) throw Error(ErrorCode::FileUnwritable, file.string(), std::strerror(errno));
    // A reader's probe holds a shared lock for an instant: try for a moment before calling the folder busy.
    for (int attempt = 0; attempt < 50; ++attempt) {
        if (::flock(m_fd, LOCK_EX | LOCK_NB) == 0) return;
        if (errno != EWOULDBLOCK) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    ::close(m_fd);
    m_fd = -1;
    throw Error(ErrorCode::InvalidValue, runDir.string(),
                "another process is training in this run folder; wait for it to end, or choose another folder");
}

RunLock::~RunLock() {
    if (m_fd >= 0) ::close(m_fd);
}

std::string runsToJson(const std::vector<RunInfo>& runs) {
    nlohmann::ordered_json list = nlohmann::ordered_json::array();  // fields in the documented order
    for (const auto& r : runs)
        list.push_back({{"id", r.id},
                        {"dir", r.dir.string()},
                        {"method", r.method},
                        {"steps_done", r.stepsDone},
                        {"total_steps", r.totalSteps},
                        {"state", runStateName(r.state)},
                        {"adapter", r.adapter.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(r.adapter.string())}});
    return list.dump(2) + "\n";
}

} // namespace ft
