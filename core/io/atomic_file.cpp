#include "core/io/atomic_file.h"

#include "core/common/error.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <ftw.h>
#include <sstream>
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

} // namespace

void writeFileAtomic(const fs::path& path, const std::function<void(std::FILE*)>& fill) {
    const fs::path tmp = tempSibling(path);
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
    removeTree(tmp, ec);
    if (!fs::create_directories(tmp, ec) && ec) throw Error(ErrorCode::FileUnwritable, dir.string(), ec.message());
    try {
        fill(tmp);
    } catch (...) {
        removeTree(tmp, ec);
        throw;
    }
    fsyncPath(tmp, true);
    const bool hadOld = fs::exists(dir);
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
