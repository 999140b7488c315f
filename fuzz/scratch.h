#pragma once
// Where targets that need real files write them: /dev/shm when there is one (memory: the readers' fsyncs cost
// nothing and a long campaign does not wear the disk), else the temp folder.
#include <filesystem>
#include <system_error>

inline std::filesystem::path fuzzScratchDir() {
    std::error_code ec;
    if (std::filesystem::is_directory("/dev/shm", ec)) return "/dev/shm";
    return std::filesystem::temp_directory_path();
}
