// Checkpoints and resume: a run stopped (cancelled, or killed with SIGKILL mid-run) and resumed gives the same loss
// curve as one that never stopped; checkpoint folders are complete or absent; a non-finite loss stops the run and
// keeps the last good checkpoint.

// LibTorch before Qt: Qt's `slots` keyword macro breaks LibTorch headers parsed after it.
#include <torch/torch.h>

#include "core/common/error.h"
#include "core/demo/demo.h"
#include "core/io/atomic_file.h"
#include "core/train/checkpoint.h"
#include "core/train/project.h"
#include "core/train/training_run.h"

#include <nlohmann/json.hpp>

#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <map>
#include <sstream>

namespace fs = std::filesystem;

namespace {

struct Curve {
    std::map<int, double> loss, evalLoss;
};

Curve readCurve(const fs::path& metrics) {
    Curve c;
    std::istringstream in(ft::readFile(metrics));
    std::string line;
    while (std::getline(in, line)) {
        const auto j = nlohmann::json::parse(line);
        if (j.contains("loss")) c.loss[j["step"]] = j["loss"];
        if (j.contains("eval_loss")) c.evalLoss[j["step"]] = j["eval_loss"];
    }
    return c;
}

// The largest difference between two curves; both must have the same steps.
double curveDiff(const Curve& a, const Curve& b) {
    if (a.loss.size() != b.loss.size() || a.evalLoss.size() != b.evalLoss.size()) return INFINITY;
    double d = 0;
    for (const auto& [step, v] : a.loss) d = std::max(d, b.loss.count(step) ? std::abs(v - b.loss.at(step)) : INFINITY);
    for (const auto& [step, v] : a.evalLoss) d = std::max(d, b.evalLoss.count(step) ? std::abs(v - b.evalLoss.at(step)) : INFINITY);
    return d;
}

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
