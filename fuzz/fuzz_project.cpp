// libFuzzer target: the project file (project.json), through parseProject, loadProject's in-memory half. A project
// someone sent must be refused with an ft::Error or be safe to use: its relative output folder stays inside the
// project's folder, and what saving writes loads back unchanged.
#include "core/common/error.h"
#include "core/project/project.h"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>

namespace fs = std::filesystem;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const fs::path file = "/home/u/proj/project.json";
    ft::Project p;
    try {
        p = ft::parseProject(std::string(reinterpret_cast<const char*>(data), size), file);
    } catch (const ft::Error&) {
        return 0;
    }
    if (!fs::path(p.output).is_absolute()) {  // where training writes
        const fs::path folder = file.parent_path(), out = p.resolve(p.output).lexically_normal();
        if (std::distance(out.begin(), out.end()) < std::distance(folder.begin(), folder.end()) ||
            !std::equal(folder.begin(), folder.end(), out.begin()))
            __builtin_trap();
    }
    // Saving then loading is what the app does with every project it opened: both must work, and agree.
    const std::string saved = ft::projectToJson(p);
    const std::string again = ft::projectToJson(ft::parseProject(saved, file));
    if (again != saved) __builtin_trap();
    return 0;
}
