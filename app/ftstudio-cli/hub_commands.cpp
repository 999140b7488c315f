// ftstudio-cli pull: a model repo from the Hugging Face Hub into the Hub cache. Progress goes to stderr; the last
// line on stdout is the snapshot folder, for scripts (`ftstudio-cli train` takes it as the project's model).

#include "commands.h"
#include "cli_args.h"

#include "core/hub/hub_download.h"
#include "core/hub/hub_error.h"

#include <cstdio>
#include <unistd.h>

namespace ftcli {

namespace {

std::string duration(double seconds) {
    if (seconds < 0) return "--:--";
    const long s = static_cast<long>(seconds + 0.5);
    char buf[32];
    if (s >= 3600) std::snprintf(buf, sizeof buf, "%ld:%02ld:%02ld", s / 3600, s / 60 % 60, s % 60);
    else std::snprintf(buf, sizeof buf, "%02ld:%02ld", s / 60, s % 60);
    return buf;
}

std::string size(uint64_t bytes) {
    char buf[32];
    if (bytes < 1000) std::snprintf(buf, sizeof buf, "%llu B", static_cast<unsigned long long>(bytes));
    else if (bytes < 1000000) std::snprintf(buf, sizeof buf, "%.1f kB", bytes / 1e3);
    else if (bytes < 1000000000) std::snprintf(buf, sizeof buf, "%.1f MB", bytes / 1e6);
    else std::snprintf(buf, sizeof buf, "%.2f GB", bytes / 1e9);
    return buf;
}

// One status line, rewritten in place on a terminal; elsewhere one line per finished file, so logs stay short.
void printProgress(const ft::hub::PullProgress& p) {
    static int lastPrinted = 0;
    const bool tty = ::isatty(STDERR_FILENO);
    const bool fileDone = p.fileDone == p.fileTotal;
    if (!tty && (!fileDone || p.fileIndex == lastPrinted)) return;
    lastPrinted = fileDone ? p.fileIndex : 0;
    std::fprintf(stderr, "%s[%d/%d] %s  %s/%s  total %s/%s  %s/s  ETA %s%s", tty ? "\r\033[K" : "", p.fileIndex,
                 p.fileCount, p.file.c_str(), size(p.fileDone).c_str(), size(p.fileTotal).c_str(), size(p.done).c_str(),
                 size(p.total).c_str(), size(static_cast<uint64_t>(p.bytesPerSecond)).c_str(),
                 duration(p.etaSeconds).c_str(), tty && !fileDone ? "" : "\n");
}

} // namespace

int pull(const Args& in) {
    Args args = in;
    const auto cache = takeOption(args, "--cache");
    if (args.size() != 1 || args[0].starts_with("-"))
        throw UsageError("usage: ftstudio-cli pull ORG/NAME[@REVISION] [--cache DIR]");
    const auto spec = ft::hub::parseRepoSpec(args[0]);
    if (!spec) throw UsageError("'" + args[0] + "' is not a Hub repo name: write ORG/NAME or ORG/NAME@REVISION");

    ft::hub::PullOptions options;
    if (cache) options.settings.cacheDir = *cache;
    options.onProgress = printProgress;
    try {
        if (options.settings.offline) std::fprintf(stderr, "HF_HUB_OFFLINE is set: looking in the cache only\n");
        else std::fprintf(stderr, "%s@%s from %s\n", spec->repo.c_str(), spec->revision.c_str(),
                          options.settings.endpoint.c_str());
        const ft::hub::PullResult r = ft::hub::pull(*spec, options);
        if (!r.offline)
            std::fprintf(stderr, "commit %s: %zu files, %d downloaded (%s)%s\n", r.commit.c_str(), r.files.size(),
                         r.filesDownloaded, size(r.bytesDownloaded).c_str(),
                         r.filesDownloaded == 0 ? ", all already in the cache" : "");
        std::printf("%s\n", r.snapshot.string().c_str());
        return 0;
    } catch (const ft::hub::HubError& e) {
        std::fprintf(stderr, "error: %s\n", e.what());
        return 1;
    }
}

} // namespace ftcli
