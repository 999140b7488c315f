#pragma once
// Writes that never leave a half-written file: write a temporary beside the target, flush, then rename.

#include <filesystem>
#include <functional>
#include <string_view>
#include <system_error>

namespace ft {

// Writes `bytes` to `path` atomically (temp file in the same folder, fsync, rename).
void writeFileAtomic(const std::filesystem::path& path, std::string_view bytes);

// Streams into a temp file through `fill(FILE*)`, then renames onto `path`. On any failure the target is untouched.
void writeFileAtomic(const std::filesystem::path& path, const std::function<void(std::FILE*)>& fill);

// Builds a folder in "<dir>.tmp-<pid>" through `fill(tmpDir)`, then swaps it in place of `dir` (renameat2
// RENAME_EXCHANGE; two renames where the file system lacks it): a reader sees the old folder or the complete new one,
// never a mix. Both writers first clear what a killed writer left beside the target ("*.tmp-<pid>", and put back an
// "<dir>.old-<pid>" when `dir` is missing) for pids that no longer run.
void writeDirAtomic(const std::filesystem::path& dir,
                    const std::function<void(const std::filesystem::path& tmpDir)>& fill);

std::string readFile(const std::filesystem::path& path);

// std::filesystem::remove_all(path, ec), done with nftw: in a program linked with the torch 2.11 wheel, libtorch.so
// exports its own std::filesystem::remove_all, which crashes (a null call) on any non-empty folder.
std::uintmax_t removeTree(const std::filesystem::path& path, std::error_code& ec);

} // namespace ft
