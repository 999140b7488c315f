#include "core/train/checkpoint_info.h"

#include "core/common/error.h"
#include "core/io/json_file.h"
#include "core/train/project.h"

namespace fs = std::filesystem;

namespace ft {

std::optional<RunProgress> runProgress(const fs::path& outDir) {
    const auto latest = latestCheckpoint(outDir);
    if (!latest) return std::nullopt;
    try {
        const auto state = readJsonFile(*latest / "trainer_state.json");
        RunProgress p{*latest, state.value("step", 0), state.value("total_steps", 0)};
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
                        "name OUT/checkpoints/step-N or the run's output folder");
        c.checkpoint = *latest;
    }
    c.step = readJsonFile(c.checkpoint / "trainer_state.json").value("step", 0);
    const fs::path projectFile = c.checkpoint / "project.json";
    if (!fs::exists(projectFile))
        throw Error(ErrorCode::FileNotFound, projectFile.string(),
                    "this checkpoint does not say which model it was trained from (written by an older version); "
                    "export its adapter/ with --model and --adapter");
    const Project project = loadProject(projectFile);
    c.method = project.method;
    c.chatTemplate = project.chatTemplate;
    c.isLora = project.method == "lora" || project.method == "qlora";
    c.model = project.resolve(project.model);
    if (!fs::exists(c.model / "config.json"))
        throw Error(ErrorCode::FileNotFound, (c.model / "config.json").string(),
                    "the model this checkpoint was trained from is not there any more; put it back, or export the "
                    "adapter with --model and --adapter");
    if (project.method == "full") {
        c.fullWeights = c.checkpoint / "trainable.safetensors";
    } else {
        c.adapter = c.checkpoint / "adapter";
        if (!fs::exists(c.adapter / "adapter_config.json"))
            throw Error(ErrorCode::FileNotFound, (c.adapter / "adapter_config.json").string(), "the checkpoint holds no adapter");
    }
    if (project.method == "qlora") c.qlora = project.qlora;
    return c;
}

} // namespace ft
