// libFuzzer target: what reads a run folder (core/train/run_folder.h): listing runs, a checkpoint's progress and
// export, the metrics log and its truncation on resume. The input is up to four files split at NUL bytes (JSON
// holds none): run.json, checkpoints/step-000002/trainer_state.json, that checkpoint's project.json and
// metrics.jsonl; a missing part is a missing file. They are written into a per-process folder, which also holds a
// model (config.json) and adapter folders, so an export can get past its existence checks.
#include "core/common/error.h"
#include "core/train/checkpoint_info.h"
#include "core/train/metrics_log.h"
#include "core/train/run_folder.h"
#include "fuzz/scratch.h"

#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <string_view>
#include <signal.h>
#include <unistd.h>

namespace fs = std::filesystem;

namespace {

void writeOrRemove(const fs::path& file, const std::string_view* part) {
    std::error_code ec;
    fs::remove(file, ec);
    if (!part) return;
    if (std::FILE* f = std::fopen(file.c_str(), "wb")) {
        std::fwrite(part->data(), 1, part->size(), f);
        std::fclose(f);
    }
}

void touch(const fs::path& file) {
    fs::create_directories(file.parent_path());
    if (std::FILE* f = std::fopen(file.c_str(), "wb")) std::fclose(f);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    static const std::string kPrefix = "ft-fuzz-runs-";
    static const fs::path root = fuzzScratchDir() / (kPrefix + std::to_string(getpid()));
    static const fs::path run = root / "20260101-000000";
    static const fs::path checkpoint = ft::checkpointDir(run, 2);
    static const bool made = [] {  // what the parts never change; project.json's "model": "model" finds it
        std::error_code ec;  // the folders of ended processes that had no exit handler run (merge's children, crashes)
        for (const auto& entry : fs::directory_iterator(root.parent_path(), ec)) {
            const std::string name = entry.path().filename().string();
            if (name.rfind(kPrefix, 0) == 0 && ::kill(std::atoi(name.c_str() + kPrefix.size()), 0) != 0 && errno == ESRCH)
                fs::remove_all(entry.path(), ec);
        }
        touch(checkpoint / "model" / "config.json");
        touch(ft::checkpointAdapterDir(checkpoint) / "adapter_config.json");
        touch(ft::runAdapterDir(run) / "adapter_config.json");
        std::atexit([] {
            std::error_code ec2;
            fs::remove_all(root, ec2);
        });
        return true;
    }();
    (void)made;

    std::string_view parts[4];
    size_t count = 0;
    for (std::string_view rest(reinterpret_cast<const char*>(data), size); count < 4;) {
        const size_t nul = rest.find('\0');
        parts[count++] = rest.substr(0, nul);
        if (nul == std::string_view::npos) break;
        rest.remove_prefix(nul + 1);
    }
    const fs::path files[4] = {ft::runStateFile(run), checkpoint / "trainer_state.json", ft::checkpointProjectFile(checkpoint),
                               ft::runMetricsFile(run)};
    for (size_t i = 0; i < 4; ++i) writeOrRemove(files[i], i < count ? &parts[i] : nullptr);

    const auto refusedAtMost = [](auto&& read) {  // a reader may refuse with ft::Error, nothing else
        try {
            read();
        } catch (const ft::Error&) {
        }
    };
    refusedAtMost([] { (void)ft::runsToJson(ft::listRuns(root)); });  // readRun on each: ftstudio-cli runs, Runs panel
    refusedAtMost([] { (void)ft::runProgress(run); });
    refusedAtMost([] { (void)ft::checkpointExport(run); });  // export and evaluation of a run's latest checkpoint
    refusedAtMost([size] {
        // A resume keeps the lines up to its checkpoint's step; the curve read back is the old one cut there.
        const int step = int(size % 5);
        const auto before = ft::readMetricsLog(ft::runMetricsFile(run));
        ft::truncateMetricsLog(ft::runMetricsFile(run), step);
        const auto after = ft::readMetricsLog(ft::runMetricsFile(run));
        size_t kept = 0;
        for (const auto& r : before) kept += r.step <= step;
        if (after.size() != kept) __builtin_trap();
        for (const auto& r : after)
            if (r.step > step) __builtin_trap();
    });
    return 0;
}
