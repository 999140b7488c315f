// Checkpoints and resume: a run stopped (cancelled, or killed with SIGKILL mid-run) and resumed gives the same loss
// curve as one that never stopped; checkpoint folders are complete or absent; a non-finite loss stops the run and
// keeps the last good checkpoint.

// LibTorch before Qt: Qt's `slots` keyword macro breaks LibTorch headers parsed after it.
#include <torch/torch.h>

#include "core/common/error.h"
#include "core/demo/demo.h"
#include "core/export/merged_model.h"
#include "core/io/json_file.h"
#include "core/io/safetensors.h"
#include "core/model/model_folder.h"
#include "core/model/decoder.h"
#include "core/io/atomic_file.h"
#include "core/train/checkpoint.h"
#include "core/project/project.h"
#include "core/train/training_run.h"

#include <nlohmann/json.hpp>

#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include "metric_curves.h"

#include <algorithm>
#include <map>
#include <sstream>

namespace fs = std::filesystem;

namespace {

// The demo with a short schedule: checkpoints every 8 steps, dropout on (so the generators' state matters).
fs::path makeProject(const fs::path& dir, int steps = 24) {
    ft::makeDemo(dir);
    auto p = ft::loadProject(dir / "project.json");
    p.training.maxSteps = steps;
    p.training.checkpointEvery = 8;
    p.training.keepCheckpoints = 0;
    p.training.evalEvery = 8;
    p.lora.dropout = 0.1;
    ft::saveProject(p, dir / "project.json");
    return dir / "project.json";
}

ft::RunState runTraining(const fs::path& project, const fs::path& out, bool resume, int cancelAfter = -1,
                         std::optional<ft::Error>* error = nullptr) {
    ft::RunOptions options;
    options.outDir = out;
    options.resume = resume;
    ft::TrainingRun run(ft::loadProject(project), options);
    ft::RunState final = ft::RunState::Idle;
    run.start({.onStep = [&](const ft::StepMetrics& m) { if (m.step == cancelAfter) run.cancel(); },
               .onFinished = [&](ft::RunState s, const std::optional<ft::Error>& e) {
                   final = s;
                   if (error) *error = e;
               }});
    run.wait();
    return final;
}

void checkCheckpointsComplete(const fs::path& out) {
    for (const auto& e : fs::directory_iterator(out / "checkpoints")) {
        const std::string name = e.path().filename().string();
        QVERIFY2(name.starts_with("step-") && name.find('.') == std::string::npos, name.c_str());  // no temp left
        for (const char* f : {"trainer_state.json", "trainable.safetensors", "optimizer.pt", "rng.safetensors",
                              "adapter/adapter_config.json", "adapter/adapter_model.safetensors"})
            QVERIFY2(fs::exists(e.path() / f), (e.path() / f).c_str());
    }
}

// Runs ftstudio-cli; returns its exit code (-1 on a timeout) and its output in `output`.
int runCli(const QStringList& args, QString* output = nullptr) {
    QProcess p;
    p.setProcessChannelMode(QProcess::MergedChannels);
    p.start(FT_CLI_PATH, args);
    if (!p.waitForFinished(180000)) return -1;
    if (output) *output = QString::fromUtf8(p.readAll());
    return p.exitCode();
}

QString q(const fs::path& p) { return QString::fromStdString(p.string()); }

} // namespace

class TestCheckpoint : public QObject {
    Q_OBJECT
private slots:
    void cancelThenResumeGivesTheSameCurve() {
        QTemporaryDir tmp;
        const fs::path root = tmp.path().toStdString();
        const auto project = makeProject(root / "demo");
        QCOMPARE(runTraining(project, root / "straight", false), ft::RunState::Finished);
        QCOMPARE(runTraining(project, root / "stopped", false, 13), ft::RunState::Cancelled);
        QCOMPARE(ft::latestCheckpoint(root / "stopped")->filename().string(), std::string("step-000008"));
        QCOMPARE(runTraining(project, root / "stopped", true), ft::RunState::Finished);

        const Curve a = readCurve(root / "straight/metrics.jsonl"), b = readCurve(root / "stopped/metrics.jsonl");
        QCOMPARE(int(a.loss.size()), 24);
        const double diff = curveDiff(a, b);
        qInfo("cancelled at step 13, resumed from step 8: max |loss diff| over 24 steps and 3 evaluations = %.3g", diff);
        QCOMPARE(diff, 0.0);  // the same arithmetic in the same order: bit for bit
        QVERIFY(a.loss.at(24) < a.loss.at(1));
        checkCheckpointsComplete(root / "stopped");
        // The final adapters are identical too.
        QVERIFY(ft::readFile(root / "straight/adapter/adapter_model.safetensors") ==
                ft::readFile(root / "stopped/adapter/adapter_model.safetensors"));
    }

    // Stopped before its first checkpoint (cancelled at step 5 of 24, checkpoints every 8): --resume has nothing to
    // continue from and nothing is lost, so it starts again in the same folder, its log cut back to nothing, and
    // ends on the straight run's curve.
    void resumeBeforeTheFirstCheckpointStartsAgain() {
        QTemporaryDir tmp;
        const fs::path root = tmp.path().toStdString();
        const auto project = makeProject(root / "demo");
        QCOMPARE(runTraining(project, root / "straight", false), ft::RunState::Finished);
        QCOMPARE(runTraining(project, root / "early", false, 5), ft::RunState::Cancelled);
        QVERIFY(!ft::latestCheckpoint(root / "early"));
        QCOMPARE(int(readCurve(root / "early/metrics.jsonl").loss.size()), 5);
        QString output;
        QCOMPARE(runCli({"train", q(project), "--out", q(root / "early"), "--resume"}, &output), 0);
        QVERIFY2(output.contains("no checkpoint yet: the run starts again from step 0"), qPrintable(output));
        QCOMPARE(curveDiff(readCurve(root / "straight/metrics.jsonl"), readCurve(root / "early/metrics.jsonl")), 0.0);
        const auto lines = [](const fs::path& f) { const std::string t = ft::readFile(f); return std::count(t.begin(), t.end(), '\n'); };
        QCOMPARE(lines(root / "early/metrics.jsonl"), lines(root / "straight/metrics.jsonl"));  // the 5 first lines went
        // A folder that never held a run is still refused.
        QCOMPARE(runCli({"train", q(project), "--out", q(root / "nothing"), "--resume"}, &output), 1);
        QVERIFY2(output.contains("no complete checkpoint to resume from"), qPrintable(output));
    }

    void killDashNineThenResume() {
        QTemporaryDir tmp;
        const fs::path root = tmp.path().toStdString();
        const auto project = makeProject(root / "demo", 40);
        {
            auto p = ft::loadProject(project);
            p.training.keepCheckpoints = 2;
            ft::saveProject(p, project);
        }
        const auto cli = [&](const QStringList& args) {
            QProcess p;
            p.start(FT_CLI_PATH, args);
            if (!p.waitForFinished(120000)) return -1;
            return p.exitCode();
        };
        const QString proj = QString::fromStdString(project.string());
        QCOMPARE(cli({"train", proj, "--out", QString::fromStdString((root / "straight").string())}), 0);

        // SIGKILL as soon as step 21 is printed: the step-16 checkpoint exists; 24 is being (or not yet) written.
        QProcess victim;
        victim.start(FT_CLI_PATH, {"train", proj, "--out", QString::fromStdString((root / "killed").string())});
        QVERIFY(victim.waitForStarted());
        bool killed = false;
        while (!killed && victim.waitForReadyRead(60000)) {
            while (victim.canReadLine()) {
                if (victim.readLine().startsWith("step   21/")) {
                    victim.kill();
                    killed = true;
                    break;
                }
            }
        }
        QVERIFY(killed);
        victim.waitForFinished();
        QCOMPARE(victim.exitStatus(), QProcess::CrashExit);
        QVERIFY(!fs::exists(root / "killed/adapter"));  // the run never finished
        const auto latest = ft::latestCheckpoint(root / "killed");
        QVERIFY(latest);
        qInfo("killed after step 21; newest complete checkpoint: %s", latest->filename().c_str());

        QCOMPARE(cli({"train", proj, "--out", QString::fromStdString((root / "killed").string()), "--resume"}), 0);
        int kept = 0;
        for ([[maybe_unused]] const auto& e : fs::directory_iterator(root / "killed/checkpoints")) ++kept;
        QCOMPARE(kept, 2);  // keep_checkpoints: the two newest (32, 40), older ones removed
        const double diff = curveDiff(readCurve(root / "straight/metrics.jsonl"), readCurve(root / "killed/metrics.jsonl"));
        qInfo("after kill -9 and resume: max |loss diff| over 40 steps = %.3g", diff);
        QCOMPARE(diff, 0.0);
        checkCheckpointsComplete(root / "killed");
    }

    void nonFiniteLossKeepsTheLastGoodCheckpoint() {
        QTemporaryDir tmp;
        const fs::path root = tmp.path().toStdString();
        const auto projectFile = makeProject(root / "demo");
        auto p = ft::loadProject(projectFile);
        p.training.learningRate = 1e30;  // the first update throws every adapter weight to ~1e30
        p.training.maxGradNorm = 0;
        p.training.checkpointEvery = 1;
        p.training.scheduler = "constant";
        ft::saveProject(p, projectFile);
        std::optional<ft::Error> error;
        QCOMPARE(runTraining(projectFile, root / "out", false, -1, &error), ft::RunState::Failed);
        QVERIFY(error);
        QCOMPARE(error->code(), ft::ErrorCode::NonFiniteLoss);
        qInfo("%s", error->what());
        const auto latest = ft::latestCheckpoint(root / "out");
        QVERIFY(latest);
        QVERIFY(std::string(error->what()).find(latest->string()) != std::string::npos);
        // The kept checkpoint holds finite numbers only.
        const auto st = ft::readFile(*latest / "trainer_state.json");
        QVERIFY(nlohmann::json::parse(st)["step"].get<int>() >= 1);
    }

    // export --checkpoint takes the model, method, adapter and chat template from the checkpoint: the same files as
    // naming them.
    void exportFromACheckpoint() {
        QTemporaryDir tmp;
        const fs::path root = tmp.path().toStdString();
        const auto project = makeProject(root / "demo", 8);
        auto p = ft::loadProject(project);  // trained with its own template: the merged folder must carry it
        p.chatTemplate = "{% for m in messages %}<{{ m.role }}>{{ m.content }}</{{ m.role }}>\n{% endfor %}"
                         "{% if add_generation_prompt %}<assistant>{% endif %}";
        ft::saveProject(p, project);
        QCOMPARE(runTraining(project, root / "out", false), ft::RunState::Finished);
        const fs::path step8 = root / "out/checkpoints/step-000008";
        QVERIFY(fs::exists(step8 / "project.json"));
        QString log;
        QCOMPARE(runCli({"export", "--checkpoint", q(root / "out"), "--format", "merged", "--out", q(root / "m1")}, &log), 0);
        QVERIFY2(log.contains("step 8, lora"), qPrintable(log));
        QCOMPARE(runCli({"export", "--model", q(root / "demo/model"), "--adapter", q(step8 / "adapter"), "--format",
                         "merged", "--out", q(root / "m2")}), 0);
        QVERIFY(ft::readFile(root / "m1/model.safetensors") == ft::readFile(root / "m2/model.safetensors"));
        QCOMPARE(ft::readJsonFile(root / "m1/tokenizer_config.json").value("chat_template", std::string()), p.chatTemplate);
        QCOMPARE(ft::openModelFolder(root / "m1").chatTemplate, p.chatTemplate);
        QVERIFY(ft::readFile(root / "m2/tokenizer_config.json") == ft::readFile(root / "demo/model/tokenizer_config.json"));
        ft::writeFileAtomic(root / "template.jinja", p.chatTemplate);
        QCOMPARE(runCli({"export", "--model", q(root / "demo/model"), "--adapter", q(step8 / "adapter"), "--format",
                         "merged", "--chat-template", q(root / "template.jinja"), "--out", q(root / "m3")}), 0);
        QVERIFY(ft::readFile(root / "m3/tokenizer_config.json") == ft::readFile(root / "m1/tokenizer_config.json"));
        QVERIFY(ft::readFile(root / "m3/chat_template.jinja") == p.chatTemplate);
        QCOMPARE(runCli({"export", "--checkpoint", q(step8), "--format", "peft", "--out", q(root / "peft")}), 0);
        QVERIFY(ft::readFile(root / "peft/adapter_model.safetensors") == ft::readFile(step8 / "adapter/adapter_model.safetensors"));
        QCOMPARE(runCli({"export", "--checkpoint", q(step8), "--format", "gguf", "--out", q(root / "a.gguf")}), 0);
        QVERIFY(fs::file_size(root / "a.gguf") > 1000);
        // Naming the model too is refused: the checkpoint already says which.
        QCOMPARE(runCli({"export", "--checkpoint", q(step8), "--model", q(root / "demo/model"), "--format", "peft",
                         "--out", q(root / "x")}), 2);
        QVERIFY(!fs::exists(root / "x"));
    }

    // A full fine-tune exports as a whole model folder holding exactly the trained weights; it has no adapter.
    void exportAFullFineTune() {
        QTemporaryDir tmp;
        const fs::path root = tmp.path().toStdString();
        const auto project = makeProject(root / "demo", 4);
        auto p = ft::loadProject(project);
        p.method = "full";
        p.training.learningRate = 1e-3;
        ft::saveProject(p, project);
        QCOMPARE(runTraining(project, root / "out", false), ft::RunState::Finished);
        const fs::path step4 = root / "out/checkpoints/step-000004";
        QString log;
        QCOMPARE(runCli({"export", "--checkpoint", q(step4), "--format", "peft", "--out", q(root / "peft")}, &log), 1);
        QVERIFY2(log.contains("--format merged"), qPrintable(log));
        QCOMPARE(runCli({"export", "--checkpoint", q(step4), "--format", "merged", "--out", q(root / "full")}, &log), 0);
        for (const char* f : {"config.json", "tokenizer.model", "tokenizer_config.json"})
            QVERIFY2(fs::exists(root / "full" / f) == fs::exists(root / "demo/model" / f), f);

        const auto trained = ft::SafetensorsFile::open(step4 / "trainable.safetensors");
        const auto base = ft::SafetensorsFile::open(root / "demo/model/model.safetensors");
        ft::CausalLM exported = ft::loadCausalLM(root / "full", torch::kFloat32);
        int changed = 0;
        for (const auto& item : exported->named_parameters()) {
            QVERIFY2(trained.find(item.key()), item.key().c_str());
            QVERIFY2(torch::equal(item.value(), trained.tensor(item.key())), item.key().c_str());
            changed += !torch::equal(base.tensor(item.key()), trained.tensor(item.key()));
        }
        QVERIFY(changed > 0);  // training moved the weights, and the export holds the moved ones
    }

    // Gemma's norms are trained as 1 + w (fp32, as transformers computes them); the exported file holds w again.
    void fullExportStoresGemmaNormsAsTheCheckpointDoes() {
        QTemporaryDir tmp;
        const fs::path root = tmp.path().toStdString();
        const fs::path gemma = fs::path(FT_TEST_DATA_DIR) / "decoders/gemma2";
        ft::CausalLM lm = ft::loadCausalLM(gemma, torch::kFloat32);
        torch::manual_seed(5);
        ft::NamedTensors trained;
        {
            torch::NoGradGuard noGrad;
            for (auto& item : lm->named_parameters()) {
                item.value().add_(torch::randn_like(item.value()) * 0.01);
                trained.emplace_back(item.key(), item.value().clone());
            }
        }
        fs::create_directories(root / "step");
        ft::writeSafetensors(root / "step/trainable.safetensors", trained);
        ft::writeFullModel(gemma, root / "step/trainable.safetensors", root / "out");
        const auto written = ft::SafetensorsFile::open(root / "out/model.safetensors");
        const auto original = ft::SafetensorsFile::open(gemma / "model.safetensors");
        const auto norm = written.tensor("model.layers.0.input_layernorm.weight");
        QVERIFY(torch::allclose(norm, original.tensor("model.layers.0.input_layernorm.weight"), 0, 0.05));  // w, not 1 + w
        ft::CausalLM back = ft::loadCausalLM(root / "out", torch::kFloat32);
        for (const auto& [name, t] : trained) {
            const double diff = (back->named_parameters()[name] - t).abs().max().item<double>();
            QVERIFY2(diff <= 1e-6, (name + ": " + std::to_string(diff)).c_str());
        }
    }

    void resumeRefusesAnotherProject() {
        QTemporaryDir tmp;
        const fs::path root = tmp.path().toStdString();
        const auto projectFile = makeProject(root / "demo");
        QCOMPARE(runTraining(projectFile, root / "out", false, 9), ft::RunState::Cancelled);
        auto p = ft::loadProject(projectFile);
        p.training.seed = 7;
        ft::saveProject(p, projectFile);
        std::optional<ft::Error> error;
        QCOMPARE(runTraining(projectFile, root / "out", true, -1, &error), ft::RunState::Failed);
        QVERIFY(error && std::string(error->what()).find("seed") != std::string::npos);
        // Nothing to resume from is a clear error too.
        QCOMPARE(runTraining(projectFile, root / "empty", true, -1, &error), ft::RunState::Failed);
        QCOMPARE(error->code(), ft::ErrorCode::FileNotFound);
    }
};

QTEST_GUILESS_MAIN(TestCheckpoint)
#include "tst_checkpoint.moc"
