#pragma once
// Pulls what training needs from a model repo on the Hub into the Hub cache (see hub_cache.h), as
// huggingface_hub's snapshot_download would with the same files: the revision's commit and files from the API,
// each file's ETag from a HEAD on /resolve, LFS bodies from wherever the Hub redirects, resumed from
// blobs/<etag>.incomplete, checked against their sha256 and renamed into place only when whole.

#include "core/hub/hub_api.h"
#include "core/hub/hub_settings.h"

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

namespace ft::hub {

struct PullProgress {
    std::string file;           // being downloaded
    int fileIndex = 0;          // 1-based among the files to download
    int fileCount = 0;
    uint64_t fileDone = 0, fileTotal = 0;
    uint64_t done = 0, total = 0;  // bytes of every file to download; resumed bytes count as done
    double bytesPerSecond = 0;     // over this pull's transfer so far
    double etaSeconds = -1;        // -1 while unknown
};

struct PullOptions {
    HubSettings settings = HubSettings::fromEnvironment();
    std::function<void(const PullProgress&)> onProgress;  // on the pulling thread, at most ~10 times a second
    const std::atomic<bool>* cancel = nullptr;             // set from any thread; completed files are kept
};

struct PullResult {
    std::filesystem::path snapshot;   // absolute: <cache>/models--ORG--NAME/snapshots/<commit>
    std::string commit;
    std::vector<std::string> files;   // the training files, all present in the snapshot
    int filesDownloaded = 0;          // 0 when everything was cached
    uint64_t bytesDownloaded = 0;     // over the network in this pull
    bool offline = false;             // resolved from the cache without a request
};

// Throws HubError with a sentence that says what to do.
PullResult pull(const RepoSpec& spec, const PullOptions& options = {});

} // namespace ft::hub
