#include "core/train/checkpoint.h"

#include "core/common/error.h"
#include "core/device/cuda_support.h"
#include "core/io/atomic_file.h"
#include "core/io/json_file.h"
#include "core/io/safetensors.h"
#include "core/train/run_folder.h"

#include <nlohmann/json.hpp>
#include <torch/torch.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <cstdio>
#include <map>

namespace fs = std::filesystem;

namespace ft {

namespace {

NamedTensors trainableTensors(CausalLM& lm) {
    NamedTensors out;
    for (const auto& p : lm->named_parameters())
        if (p.value().requires_grad()) out.emplace_back(p.key(), p.value());
    return out;
}

std::vector<at::Generator> generators() {
    std::vector<at::Generator> out{at::detail::getDefaultCPUGenerator()};
    if (cudaAvailable())
        for (int i = 0; i < int(torch::cuda::device_count()); ++i)
            out.push_back(at::globalContext().defaultGenerator(c10::Device(c10::kCUDA, c10::DeviceIndex(i))));
    return out;
}

// torch::save(optimizer, file), through our atomic writer. torch::save to a file name cannot report a full disk: its
// zip writer checks the last write in its destructor and throws from there, which ends the program (std::terminate).
// Here the sink takes every byte LibTorch offers, remembers a failed write, and the error is raised after it.
void writeOptimizer(const fs::path& path, torch::optim::Optimizer& optimizer) {
    torch::serialize::OutputArchive archive;
    archive << optimizer;
    writeFileAtomic(path, [&](std::FILE* f) {
        int error = 0;
        archive.save_to([&](const void* data, size_t n) -> size_t {
            if (!error && n && std::fwrite(data, 1, n, f) != n) error = errno ? errno : EIO;
            return n;
        });
        if (error) throw Error(ErrorCode::FileUnwritable, path.string(), std::strerror(error));
    });
}

} // namespace

void writeCheckpoint(const fs::path& runDir, CausalLM& lm, torch::optim::Optimizer& optimizer,
                     const TrainerPosition& position, const std::function<void(const fs::path&)>& exportAdapter,
                     const std::string& projectJson) {
    const fs::path dir = checkpointDir(runDir, position.step);
    std::error_code ec;
    fs::create_directories(dir.parent_path(), ec);
    if (ec) throw Error(ErrorCode::FileUnwritable, dir.parent_path().string(), ec.message());
    writeDirAtomic(dir, [&](const fs::path& tmp) {
        writeSafetensors(tmp / "trainable.safetensors", trainableTensors(lm));
        writeOptimizer(tmp / "optimizer.pt", optimizer);
        NamedTensors rng;
        const auto gens = generators();
        for (size_t i = 0; i < gens.size(); ++i) rng.emplace_back("generator." + std::to_string(i), gens[i].get_state());
        writeSafetensors(tmp / "rng.safetensors", rng);
        if (exportAdapter) exportAdapter(checkpointAdapterDir(tmp));
        if (!projectJson.empty()) writeFileAtomic(checkpointProjectFile(tmp), projectJson);
        // Written last: its presence is what marks a checkpoint complete (the rename already makes it atomic).
        const nlohmann::json state{{"format", "finetune-studio-checkpoint"},
                                   {"version", kCheckpointFormatVersion},
                                   {"step", position.step},
                                   {"epoch", position.epoch},
                                   {"cursor", position.cursor},
                                   {"total_steps", position.totalSteps},
                                   {"seed", position.seed}};
        writeFileAtomic(tmp / "trainer_state.json", state.dump(2) + "\n");
    });
}

TrainerPosition readCheckpoint(const fs::path& dir, CausalLM& lm, torch::optim::Optimizer& optimizer) {
    const fs::path stateFile = dir / "trainer_state.json";
    const auto state = readJsonFile(stateFile);
    if (state.value("format", "") != "finetune-studio-checkpoint" || state.value("version", 0) != kCheckpointFormatVersion)
        throw Error(ErrorCode::Unsupported, stateFile.string(), "not a version " + std::to_string(kCheckpointFormatVersion) +
                                                                    " Finetune Studio checkpoint");
    TrainerPosition pos;
    try {
        pos.step = state.at("step").get<int>();
        pos.epoch = state.at("epoch").get<int>();
        pos.cursor = state.at("cursor").get<int64_t>();
        pos.totalSteps = state.at("total_steps").get<int>();
        pos.seed = state.at("seed").get<uint64_t>();
    } catch (const nlohmann::json::exception& e) {
        throw Error(ErrorCode::ParseError, stateFile.string(), e.what());
    }

    const fs::path weightsFile = dir / "trainable.safetensors";
    const auto st = SafetensorsFile::open(weightsFile);
    const NamedTensors params = trainableTensors(lm);
    if (st.entries().size() != params.size())
        throw Error(ErrorCode::InvalidValue, weightsFile.string(),
                    std::to_string(st.entries().size()) + " trainable tensors, but this run trains " +
                        std::to_string(params.size()) + "; resume with the project the checkpoint was made with");
    torch::NoGradGuard noGrad;
    for (const auto& [name, p] : params) {
        const TensorEntry* e = st.find(name);
        if (!e || e->shape != p.sizes().vec())
            throw Error(ErrorCode::InvalidValue, weightsFile.string() + ": tensor '" + name + "'",
                        e ? "shape differs from the model's" : "missing; resume with the project the checkpoint was made with");
        p.copy_(st.tensor(name));
    }
    torch::load(optimizer, (dir / "optimizer.pt").string());

    const auto rng = SafetensorsFile::open(dir / "rng.safetensors");
    const auto gens = generators();
    for (size_t i = 0; i < gens.size(); ++i)
        if (rng.find("generator." + std::to_string(i))) {
            auto g = gens[i];
            g.set_state(rng.tensor("generator." + std::to_string(i)).clone());
        }
    return pos;
}

void cleanStaleCheckpointTemps(const fs::path& runDir) {
    std::error_code ec;
    const fs::path root = runCheckpointsDir(runDir);
    if (!fs::is_directory(root, ec)) return;
    std::vector<fs::path> stale;
    for (const auto& entry : fs::directory_iterator(root, ec)) {
        const std::string name = entry.path().filename().string();
        if (name.find(".tmp-") != std::string::npos || name.find(".old-") != std::string::npos) stale.push_back(entry.path());
    }
    for (const auto& p : stale) removeTree(p, ec);
}

void pruneCheckpoints(const fs::path& runDir, int keep) {
    if (keep <= 0) return;
    auto all = completeCheckpoints(runDir);
    std::error_code ec;
    while (int(all.size()) > keep) {
        removeTree(all.begin()->second, ec);
        all.erase(all.begin());
    }
}

} // namespace ft
