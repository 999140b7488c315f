#pragma once
// The Hub cache's own layout (huggingface_hub file_download.py), so transformers finds what we fetched and we find
// what it fetched:
//   <cache>/models--ORG--NAME/blobs/<etag>                 file contents, named by ETag (sha256 for LFS files)
//   <cache>/models--ORG--NAME/blobs/<etag>.incomplete      a download in progress, resumed from its size
//   <cache>/models--ORG--NAME/snapshots/<commit>/<file>    relative symlink to ../../blobs/<etag>
//   <cache>/models--ORG--NAME/refs/<revision>              the commit a branch or tag pointed to, no newline

#include <filesystem>
#include <optional>
#include <string>

namespace ft::hub {

class RepoCache {
public:
    RepoCache(const std::filesystem::path& cacheDir, const std::string& repoId);

    const std::filesystem::path& root() const { return m_root; }
    std::filesystem::path blob(const std::string& etag) const { return m_root / "blobs" / etag; }
    std::filesystem::path incomplete(const std::string& etag) const {
        return m_root / "blobs" / (etag + ".incomplete");
    }
    std::filesystem::path snapshot(const std::string& commit) const { return m_root / "snapshots" / commit; }

    std::optional<std::string> readRef(const std::string& revision) const;
    void writeRef(const std::string& revision, const std::string& commit) const;  // atomic
    // snapshots/<commit>/<file> -> blobs/<etag> as a relative link, replacing what was there (atomic rename).
    void link(const std::string& commit, const std::string& file, const std::string& etag) const;

private:
    std::filesystem::path m_root;
};

// "models--" + repo id with '/' as "--" (repo_folder_name).
std::string repoFolderName(const std::string& repoId);

} // namespace ft::hub
