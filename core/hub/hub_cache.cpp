#include "core/hub/hub_cache.h"

#include "core/hub/hub_error.h"

#include <cctype>
#include <fstream>
#include <sstream>
#include <unistd.h>

namespace ft::hub {

namespace fs = std::filesystem;

std::string repoFolderName(const std::string& repoId) {
    std::string name = "models--";
    for (char c : repoId) name += c == '/' ? std::string("--") : std::string(1, c);
    return name;
}

RepoCache::RepoCache(const fs::path& cacheDir, const std::string& repoId)
    : m_root(fs::absolute(cacheDir) / repoFolderName(repoId)) {}

std::optional<std::string> RepoCache::readRef(const std::string& revision) const {
    std::ifstream in(m_root / "refs" / revision);
    if (!in) return std::nullopt;
    std::stringstream text;
    text << in.rdbuf();
    std::string commit = text.str();
    while (!commit.empty() && std::isspace(static_cast<unsigned char>(commit.back()))) commit.pop_back();
    if (commit.empty()) return std::nullopt;
    return commit;
}

namespace {
std::string tempName(const fs::path& target) {
    return target.string() + ".tmp-" + std::to_string(::getpid());
}
[[noreturn]] void diskError(const fs::path& path, const std::string& what) {
    throw HubError(HubProblem::DiskError, path.string(),
                   "Could not write " + path.string() + " (" + what + "). Check free space and permissions of the "
                   "Hub cache, or choose another with --cache or HF_HUB_CACHE.");
}
} // namespace

void RepoCache::writeRef(const std::string& revision, const std::string& commit) const {
    const fs::path ref = m_root / "refs" / revision;
    std::error_code ec;
    fs::create_directories(ref.parent_path(), ec);
    const std::string tmp = tempName(ref);
    {
        std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
        out << commit;  // huggingface_hub writes the bare hash
        if (!out.flush()) diskError(ref, "write failed");
    }
    fs::rename(tmp, ref, ec);
    if (ec) diskError(ref, ec.message());
}

void RepoCache::link(const std::string& commit, const std::string& file, const std::string& etag) const {
    const fs::path pointer = snapshot(commit) / file;
    std::error_code ec;
    fs::create_directories(pointer.parent_path(), ec);
    if (ec) diskError(pointer.parent_path(), ec.message());
    // Relative, as _create_symlink makes it: "../../blobs/<etag>", one more "../" per folder of a nested file.
    const fs::path target = fs::relative(blob(etag), pointer.parent_path(), ec);
    if (ec) diskError(pointer, ec.message());
    const std::string tmp = tempName(pointer);
    fs::remove(tmp, ec);
    fs::create_symlink(target, tmp, ec);
    if (ec) diskError(pointer, ec.message());
    fs::rename(tmp, pointer, ec);
    if (ec) diskError(pointer, ec.message());
}

} // namespace ft::hub
