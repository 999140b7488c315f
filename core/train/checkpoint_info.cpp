#include "core/train/checkpoint_info.h"

#include "core/common/error.h"
#include "core/io/json_file.h"
#include "core/model/gguf_import.h"
#include "core/train/project_method.h"
#include "core/train/run_folder.h"

#include <algorithm>
#include <cstdio>

namespace fs = std::filesystem;

namespace ft {

namespace {

constexpr const char* kPrefix = "step-";

std::optional<int> stepOf(const fs::path& dir) {
    const std::string name = dir.filename().string();
    if (!name.starts_with(kPrefix) || name.size() != std::string(kPrefix).size() + 6) return std::nullopt;
    const std::string digits = name.substr(std::string(kPrefix).size());
    if (!std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; })) return std::nullopt;
    return std::stoi(digits);
}

} // namespace

fs::path checkpointDir(const fs::path& runDir, int step) {
    char name[32];
    std::snprintf(name, sizeof name, "%s%06d", kPrefix, step);
    return runCheckpointsDir(runDir) / name;
}

fs::path checkpointAdapterDir(const fs::path& checkpoint) { return checkpoint / "adapter"; }
fs::path checkpointProjectFile(const fs::path& checkpoint) { return checkpoint / "project.json"; }

std::map<int, fs::path> completeCheckpoints(const fs::path& runDir) {
    std::map<int, fs::path> out;
    std::error_code ec;
    const fs::path root = runCheckpointsDir(runDir);
    if (!fs::is_directory(root, ec)) return out;
    for (const auto& entry : fs::directory_iterator(root, ec))
        if (const auto step = stepOf(entry.path()); step && fs::exists(entry.path() / "trainer_state.json", ec))
            out.emplace(*step, entry.path());
    return out;
}

std::optional<fs::path> latestCheckpoint(const fs::path& runDir) {
    const auto all = completeCheckpoints(runDir);
    if (all.empty()) return std::nullopt;
    return all.rbegin()->second;
}

std::optional<RunProgress> runProgress(const fs::path& runDir) {
    const auto latest = latestCheckpoint(runDir);
    if (!latest) return std::nullopt;
    try {
        const fs::path file = *latest / "trainer_state.json";
        const auto state = readJsonFile(file);
        RunProgress p{*latest, jsonInt(state, "step", 0, file.string()), jsonInt(state, "total_steps", 0, file.string())};
        if (p.step <= 0 || p.totalSteps <= 0) return std::nullopt;
        return p;
    } catch (const Error&) {
        return std::nullopt;
    } catch (const nlohmann::json::exception&) {
        return std::nullopt;
    }
}

CheckpointExport checkpointExport(const fs::path& dir) {
    CheckpointExport c;
    c.checkpoint = dir;
    if (!fs::exists(dir / "trainer_state.json")) {
        const auto latest = latestCheckpoint(dir);
        if (!latest)
            throw Error(ErrorCode::FileNotFound, dir.string(),
                        "neither a complete checkpoint (no trainer_state.json) nor a run folder with checkpoints/; "
                        "name a run folder (runs/<id>, see ftstudio-cli runs) or its checkpoints/step-N");
        c.checkpoint = *latest;
    }
    const fs::path stateFile = c.checkpoint / "trainer_state.json";
    c.step = jsonInt(readJsonFile(stateFile), "step", 0, stateFile.string());
    const fs::path projectFile = checkpointProjectFile(c.checkpoint);
    if (!fs::exists(projectFile))
        throw Error(ErrorCode::FileNotFound, projectFile.string(),
                    "this checkpoint does not say which model it was trained from (written by an older version); "
                    "export its adapter/ with --model and --adapter");
    const Project project = loadProject(projectFile);
    const MethodSpec& method = projectMethod(project);
    c.method = project.method;
    c.chatTemplate = project.chatTemplate;
    c.isLora = method.mergeable;
    c.model = project.resolve(project.model);
    if (!fs::exists(c.model / "config.json") && !(isGgufPath(c.model) && fs::is_regular_file(c.model)))
        throw Error(ErrorCode::FileNotFound, (c.model / "config.json").string(),
                    "the model this checkpoint was trained from is not there any more; put it back, or export the "
                    "adapter with --model and --adapter");
    if (!method.exportsAdapter) {
        c.fullWeights = c.checkpoint / "trainable.safetensors";
    } else {
        c.adapter = checkpointAdapterDir(c.checkpoint);
        if (!fs::exists(c.adapter / "adapter_config.json"))
            throw Error(ErrorCode::FileNotFound, (c.adapter / "adapter_config.json").string(), "the checkpoint holds no adapter");
    }
    if (method.needsFourBitBase) c.qlora = project.qlora;
    return c;
}

} // namespace ft
