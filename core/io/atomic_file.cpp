#include "core/io/atomic_file.h"

#include "core/common/error.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <ftw.h>
#include <signal.h>
#include <sstream>
#include <string>
#include <vector>
#include <sys/stat.h>
#include <unistd.h>

namespace fs = std::filesystem;

namespace ft {

namespace {

fs::path tempSibling(const fs::path& path) {
    return path.parent_path() / (path.filename().string() + ".tmp-" + std::to_string(::getpid()));
}

void fsyncPath(const fs::path& path, bool directory) {
    int fd = ::open(path.c_str(), directory ? O_RDONLY | O_DIRECTORY : O_RDONLY);
    if (fd >= 0) {
        ::fsync(fd);
        ::close(fd);
    }
}

// The pid in "<name>.tmp-<pid>" / "<name>.old-<pid>" when `entry` is such a sibling of `name`, else 0.
pid_t siblingPid(const std::string& entry, const std::string& name, std::string_view kind) {
    const std::string prefix = name + std::string(kind);
    if (!entry.starts_with(prefix) || entry.size() == prefix.size()) return 0;
    pid_t pid = 0;
    for (char c : std::string_view(entry).substr(prefix.size())) {
        if (c < '0' || c > '9' || pid > 100'000'000) return 0;
        pid = pid * 10 + (c - '0');
    }
    return pid;
}

bool processAlive(pid_t pid) { return ::kill(pid, 0) == 0 || errno == EPERM; }

// What a writer killed mid-write (kill -9, power loss) left beside `target`: its temporary, and — when it died
// between the two renames of the fallback swap — the old folder moved aside, which is put back when the target is
// missing. Only siblings of processes that no longer run are touched; a live writer's temporary is left alone.
void recoverStaleSiblings(const fs::path& target) {
    const fs::path parent = target.parent_path().empty() ? fs::path(".") : target.parent_path();
    const std::string name = target.filename().string();
    std::vector<fs::path> temps, olds;
    std::error_code ec;
    for (fs::directory_iterator it(parent, ec), end; !ec && it != end; it.increment(ec)) {
        const std::string entry = it->path().filename().string();
        if (const pid_t pid = siblingPid(entry, name, ".tmp-"); pid && pid != ::getpid() && !processAlive(pid))
            temps.push_back(it->path());
        else if (const pid_t old = siblingPid(entry, name, ".old-"); old && old != ::getpid() && !processAlive(old))
            olds.push_back(it->path());
    }
    for (const auto& t : temps) removeTree(t, ec);
    for (const auto& o : olds) {
        if (!fs::exists(target, ec)) fs::rename(o, target, ec);
        else removeTree(o, ec);
    }
}

} // namespace

void writeFileAtomic(const fs::path& path, const std::function<void(std::FILE*)>& fill) {
    const fs::path tmp = tempSibling(path);
    recoverStaleSiblings(path);
    std::FILE* f = std::fopen(tmp.c_str(), "wb");
    if (!f) throw Error(ErrorCode::FileUnwritable, path.string(), std::strerror(errno));
    try {
        fill(f);
        if (std::fflush(f) != 0 || std::ferror(f)) throw Error(ErrorCode::FileUnwritable, path.string(), std::strerror(errno));
        ::fsync(::fileno(f));
    } catch (...) {
        std::fclose(f);
        std::error_code ec;
        fs::remove(tmp, ec);
        throw;
    }
    if (std::fclose(f) != 0) {
        std::error_code ec;
        fs::remove(tmp, ec);
        throw Error(ErrorCode::FileUnwritable, path.string(), std::strerror(errno));
    }
    std::error_code ec;
    fs::rename(tmp, path, ec);
    if (ec) {
        fs::remove(tmp, ec);
        throw Error(ErrorCode::FileUnwritable, path.string(), "rename failed: " + ec.message());
    }
    fsyncPath(path.parent_path().empty() ? fs::path(".") : path.parent_path(), true);
}

void writeFileAtomic(const fs::path& path, std::string_view bytes) {
    writeFileAtomic(path, [&](std::FILE* f) {
        if (!bytes.empty() && std::fwrite(bytes.data(), 1, bytes.size(), f) != bytes.size())
            throw Error(ErrorCode::FileUnwritable, path.string(), std::strerror(errno));
    });
}

void writeDirAtomic(const fs::path& dir, const std::function<void(const fs::path&)>& fill) {
    const fs::path tmp = tempSibling(dir);
    const fs::path old = dir.parent_path() / (dir.filename().string() + ".old-" + std::to_string(::getpid()));
    std::error_code ec;
    recoverStaleSiblings(dir);
    removeTree(tmp, ec);
    if (!fs::create_directories(tmp, ec) && ec) throw Error(ErrorCode::FileUnwritable, dir.string(), ec.message());
    try {
        fill(tmp);
    } catch (const Error& e) {
        removeTree(tmp, ec);
        // Name the file where it was going to be, not inside the temporary folder that is gone now.
        std::string where = e.where();
        if (where.starts_with(tmp.string())) where = dir.string() + where.substr(tmp.string().size());
        throw Error(e.code(), where, e.detail());
    } catch (...) {
        removeTree(tmp, ec);
        throw;
    }
    fsyncPath(tmp, true);
    const bool hadOld = fs::exists(dir);
    // One atomic step where the file system offers it: the new folder and the old one trade names, so there is no
    // moment without `dir` (a kill between two renames would leave only "<dir>.old-<pid>").
    if (hadOld && ::renameat2(AT_FDCWD, tmp.c_str(), AT_FDCWD, dir.c_str(), RENAME_EXCHANGE) == 0) {
        removeTree(tmp, ec);  // now the old folder
        fsyncPath(dir.parent_path().empty() ? fs::path(".") : dir.parent_path(), true);
        return;
    }
    if (hadOld) {
        fs::rename(dir, old, ec);
        if (ec) {
            removeTree(tmp, ec);
            throw Error(ErrorCode::FileUnwritable, dir.string(), "cannot move the old folder aside: " + ec.message());
        }
    }
    fs::rename(tmp, dir, ec);
    if (ec) {
        if (hadOld) fs::rename(old, dir, ec);  // put the old state back
        removeTree(tmp, ec);
        throw Error(ErrorCode::FileUnwritable, dir.string(), "rename failed");
    }
    if (hadOld) removeTree(old, ec);
    fsyncPath(dir.parent_path().empty() ? fs::path(".") : dir.parent_path(), true);
}

std::uintmax_t removeTree(const fs::path& path, std::error_code& ec) {
    ec.clear();
    static thread_local std::uintmax_t removed;
    removed = 0;
    struct stat st;
    if (::lstat(path.c_str(), &st) != 0) {
        if (errno != ENOENT) ec.assign(errno, std::generic_category());
        return 0;
    }
    // Depth first, not following links: files and links go, then the folders that held them.
    const int rc = ::nftw(path.c_str(), [](const char* p, const struct stat*, int, struct FTW*) {
        if (std::remove(p) != 0) return -1;
        ++removed;
        return 0;
    }, 16, FTW_DEPTH | FTW_PHYS);
    if (rc != 0) ec.assign(errno, std::generic_category());
    return removed;
}

std::string readFile(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        throw Error(fs::exists(path) ? ErrorCode::FileUnreadable : ErrorCode::FileNotFound, path.string(), "");
    }
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

} // namespace ft
