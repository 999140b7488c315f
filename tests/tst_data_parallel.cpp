// Data-parallel training on c10d with Gloo, on the CPU: N processes each with batch b take the steps one process
// with batch N x b takes (losses within 1e-5 over 20 steps, trained weights within 1e-6), for LoRA, full
// fine-tuning and DPO; a rank killed with SIGKILL stops the others with an error naming it, leaves complete checkpoints
// only, and a resume with the same processes continues the uninterrupted run's curve; the environment launchers
// set is read as torchrun documents it. The NCCL path (world size 1 on a GPU) runs where CUDA is.

#include "core/common/error.h"
#include "core/demo/demo.h"
#include "core/device/cuda_support.h"
#include "core/dist/dist_env.h"
#include "core/dist/local_launch.h"
#include "core/io/atomic_file.h"
#include "core/io/safetensors.h"
#include "core/project/project.h"
#include "core/train/checkpoint_info.h"
#include "core/train/run_folder.h"
#include "core/train/training_run.h"

#include <nlohmann/json.hpp>
#include <torch/torch.h>

#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include "metric_curves.h"

#include <atomic>
#include <csignal>
#include <fstream>
#include <map>
#include <sstream>

namespace fs = std::filesystem;

namespace {

// The largest difference between the trained parameters of two checkpoints (every tensor, by name); `where` names
// the tensor it is in.
double weightsDiff(const fs::path& a, const fs::path& b, std::string* where = nullptr) {
    const auto fa = ft::SafetensorsFile::open(a / "trainable.safetensors");
    const auto fb = ft::SafetensorsFile::open(b / "trainable.safetensors");
    if (fa.entries().size() != fb.entries().size()) return INFINITY;
    double d = 0;
    for (const auto& e : fa.entries()) {
        if (!fb.find(e.name)) return INFINITY;
        const double here =
            (fa.tensor(e.name).to(torch::kFloat64) - fb.tensor(e.name).to(torch::kFloat64)).abs().max().item<double>();
        if (here > d && where) *where = e.name;
        d = std::max(d, here);
    }
    return d;
}

// The demo as a short run: `steps` steps of `batch` examples on the CPU, no dropout (each rank would draw other masks
// than the one process does), evaluations every 10 steps, checkpoints every `checkpointEvery`. Learning rates as
// users set them (LoRA 1e-3, full fine-tuning 2e-4), not the demo's 3e-3: AdamW divides each update by the gradient's
// own size, so where a gradient is nearly zero the float32 rounding of a different summation order (one batch of 4
// against two of 2) is magnified by the rate; at 3e-3 a LoRA weight differs by 1.3e-6, at 5e-4 a few of full
// fine-tuning's embedding entries by 5e-5, while the losses stay within 2e-6.
fs::path makeProject(const fs::path& dir, const std::string& method, int batch, int steps = 20, int checkpointEvery = 10) {
    if (!fs::exists(dir / "model")) ft::makeDemo(dir);
    auto p = ft::loadProject(dir / "project.json");
    p.method = method;
    p.training.device = "cpu";
    p.training.batchSize = batch;
    p.training.maxSteps = steps;
    p.training.evalEvery = 10;
    p.training.checkpointEvery = checkpointEvery;
    p.training.keepCheckpoints = 0;
    p.lora.dropout = 0.0;
    p.training.learningRate = method == "full" ? 2e-4 : 1e-3;
    if (method == "dpo") {  // LoRA with the adapters off as the reference, on the demo's preference pairs
        p.method = "lora";
        p.kind = ft::FinetuneKind::Preference;
        p.dataset = "data/preference.jsonl";
        p.preference.loss = "dpo";
    }
    const fs::path file = dir / ("project-" + method + "-b" + std::to_string(batch) + ".json");
    ft::saveProject(p, file);
    return file;
}

QString q(const fs::path& p) { return QString::fromStdString(p.string()); }

struct Result {
    int code = -1;
    bool crashed = false;
    QString output;
};

Result runCli(const QStringList& args, const QProcessEnvironment& env = QProcessEnvironment::systemEnvironment(),
              int timeoutMs = 300000) {
    QProcess p;
    p.setProcessEnvironment(env);
    p.setProcessChannelMode(QProcess::MergedChannels);
    p.start(FT_CLI_PATH, args);
    Result r;
    if (!p.waitForFinished(timeoutMs)) {
        p.kill();
        p.waitForFinished();
        r.output = QString::fromUtf8(p.readAll());
        return r;
    }
    r.code = p.exitCode();
    r.crashed = p.exitStatus() == QProcess::CrashExit;
    r.output = QString::fromUtf8(p.readAll());
    return r;
}

// The environment torchrun gives rank `rank` of `world`.
QProcessEnvironment rankEnv(int rank, int world, int port, int timeoutSeconds = 60) {
    auto env = QProcessEnvironment::systemEnvironment();
    env.insert("RANK", QString::number(rank));
    env.insert("WORLD_SIZE", QString::number(world));
    env.insert("LOCAL_RANK", QString::number(rank));
    env.insert("MASTER_ADDR", "127.0.0.1");
    env.insert("MASTER_PORT", QString::number(port));
    env.insert("FT_DIST_TIMEOUT", QString::number(timeoutSeconds));
    return env;
}

// No file or folder of a write in progress (temporaries end in .tmp-…) beside the complete checkpoints.
void checkCheckpointsComplete(const fs::path& run) {
    for (const auto& e : fs::directory_iterator(run / "checkpoints")) {
        const std::string name = e.path().filename().string();
        QVERIFY2(name.starts_with("step-") && name.find('.') == std::string::npos, name.c_str());
        for (const char* f : {"trainer_state.json", "trainable.safetensors", "optimizer.pt", "rng.safetensors"})
            QVERIFY2(fs::exists(e.path() / f), (e.path() / f).c_str());
    }
}

} // namespace

class TestDataParallel : public QObject {
    Q_OBJECT
private slots:
    void environmentAsLaunchersSetIt() {
        using Env = std::map<std::string, std::string>;
        QVERIFY(!ft::distEnvFromEnvironment(Env{{"PATH", "/bin"}}));
        const auto d = ft::distEnvFromEnvironment(Env{{"RANK", "1"}, {"WORLD_SIZE", "4"}, {"LOCAL_RANK", "1"},
                                                      {"MASTER_ADDR", "10.0.0.2"}, {"MASTER_PORT", "29501"}});
        QVERIFY(d);
        QCOMPARE(d->rank, 1);
        QCOMPARE(d->worldSize, 4);
        QCOMPARE(d->localRank, 1);
        QCOMPARE(d->masterAddr, std::string("10.0.0.2"));
        QCOMPARE(d->masterPort, 29501);
        // SLURM's srun without torchrun's names.
        const auto s = ft::distEnvFromEnvironment(Env{{"SLURM_PROCID", "3"}, {"SLURM_NTASKS", "8"}, {"SLURM_LOCALID", "1"},
                                                      {"MASTER_ADDR", "node1"}});
        QVERIFY(s);
        QCOMPARE(s->rank, 3);
        QCOMPARE(s->worldSize, 8);
        QCOMPARE(s->localRank, 1);
        QCOMPARE(s->masterPort, 29500);
        // Each mistake named by its variable.
        const std::vector<std::pair<Env, std::string>> bad{
            {{{"RANK", "0"}}, "WORLD_SIZE"},
            {{{"RANK", "2"}, {"WORLD_SIZE", "2"}}, "RANK"},
            {{{"RANK", "x"}, {"WORLD_SIZE", "2"}}, "RANK"},
            {{{"RANK", "0"}, {"WORLD_SIZE", "2"}, {"MASTER_PORT", "70000"}}, "MASTER_PORT"},
            {{{"RANK", "1"}, {"WORLD_SIZE", "2"}}, "MASTER_ADDR"},
        };
        for (const auto& [env, variable] : bad) {
            try {
                ft::distEnvFromEnvironment(env);
                QFAIL(("accepted a bad " + variable).c_str());
            } catch (const ft::Error& e) {
                QVERIFY2(e.where().find(variable) != std::string::npos, e.what());
            }
        }
    }

    void twoProcessesTakeOneProcessesSteps_data() {
        QTest::addColumn<QString>("method");
        QTest::newRow("lora") << "lora";
        QTest::newRow("full") << "full";
        QTest::newRow("dpo") << "dpo";
    }
    // 2 processes x batch 2 == 1 process x batch 4: the same losses (and validation losses) over 20 steps and the
    // same trained weights, the ranks started by our launcher (--nproc-per-node).
    void twoProcessesTakeOneProcessesSteps() {
        QFETCH(QString, method);
        QTemporaryDir tmp;
        const fs::path root = tmp.path().toStdString();
        const auto whole = makeProject(root / "demo", method.toStdString(), 4);
        const auto half = makeProject(root / "demo", method.toStdString(), 2);
        const Result one = runCli({"train", q(whole), "--out", q(root / "one")});
        QVERIFY2(one.code == 0, qPrintable(one.output));
        const Result two = runCli({"train", q(half), "--out", q(root / "two"), "--nproc-per-node", "2"});
        QVERIFY2(two.code == 0, qPrintable(two.output));
        QVERIFY2(two.output.contains("data-parallel: 2 processes"), qPrintable(two.output));
        QCOMPARE(two.output.count("done: adapter"), 1);  // rank 0 alone reports

        const Curve a = readCurve(root / "one/metrics.jsonl"), b = readCurve(root / "two/metrics.jsonl");
        QCOMPARE(int(a.loss.size()), 20);
        QCOMPARE(int(b.evalLoss.size()), 2);
        const double lossDiff = curveDiff(a, b);
        std::string worst;
        const double weightDiff =
            weightsDiff(root / "one/checkpoints/step-000020", root / "two/checkpoints/step-000020", &worst);
        qInfo("%s: 1 x batch 4 vs 2 x batch 2 over 20 steps: max |loss diff| %.3g (loss %.4f -> %.4f), max |weight "
              "diff| %.3g (%s), %.0f gradient bytes all-reduced per step", qPrintable(method), lossDiff, a.loss.at(1),
              a.loss.at(20), weightDiff, worst.c_str(), b.allReduceBytes.empty() ? 0.0 : b.allReduceBytes.begin()->second);
        QVERIFY2(lossDiff <= 1e-5, qPrintable(QString::number(lossDiff)));
        QVERIFY2(weightDiff <= 1e-6, qPrintable(QString::number(weightDiff)));
        QVERIFY(a.loss.at(20) < a.loss.at(1));
        QVERIFY(!b.allReduceBytes.empty());
        QVERIFY(a.allReduceBytes.empty());
        // Only rank 0 wrote: one run folder, one log.
        QVERIFY(fs::exists(root / "two/run.json"));
        if (method != "full") QVERIFY(fs::exists(root / "two/adapter/adapter_model.safetensors"));
    }

    // kill -9 of rank 1 mid-run (started as torchrun starts ranks): rank 0 stops with an error naming rank 1, the
    // checkpoints on disk are complete, and --resume with two processes continues the uninterrupted curve.
    void killedRankStopsTheOthersAndTheRunResumes() {
        QTemporaryDir tmp;
        const fs::path root = tmp.path().toStdString();
        const auto project = makeProject(root / "demo", "lora", 2, 40, 8);
        const Result straight = runCli({"train", q(project), "--out", q(root / "straight"), "--nproc-per-node", "2"});
        QVERIFY2(straight.code == 0, qPrintable(straight.output));

        const int port = ft::freeLocalPort();
        QProcess rank0, rank1;
        rank0.setProcessChannelMode(QProcess::MergedChannels);
        rank1.setProcessChannelMode(QProcess::MergedChannels);
        rank0.setProcessEnvironment(rankEnv(0, 2, port));
        rank1.setProcessEnvironment(rankEnv(1, 2, port));
        const QStringList args{"train", q(project), "--out", q(root / "killed")};
        rank0.start(FT_CLI_PATH, args);
        rank1.start(FT_CLI_PATH, args);
        QVERIFY(rank0.waitForStarted() && rank1.waitForStarted());
        QByteArray seen;
        bool killed = false;
        while (!killed && rank0.waitForReadyRead(120000)) {
            seen += rank0.readAll();
            if (seen.contains("step   21/")) {
                ::kill(pid_t(rank1.processId()), SIGKILL);
                killed = true;
            }
        }
        QVERIFY2(killed, seen.constData());
        QElapsedTimer timer;
        timer.start();
        QVERIFY(rank0.waitForFinished(90000));
        rank1.waitForFinished();
        seen += rank0.readAll();
        qInfo("rank 0 stopped %lld ms after rank 1 was killed; it said: %s", (long long)timer.elapsed(),
              qPrintable(QString::fromUtf8(seen).split('\n').filter("rank").join(" | ")));
        QCOMPARE(rank1.exitStatus(), QProcess::CrashExit);
        QCOMPARE(rank0.exitStatus(), QProcess::NormalExit);
        QVERIFY(rank0.exitCode() != 0);
        QVERIFY2(seen.contains("rank 1 stopped answering"), seen.constData());
        QVERIFY2(seen.contains("--resume"), seen.constData());
        QVERIFY(!fs::exists(root / "killed/adapter"));
        checkCheckpointsComplete(root / "killed");
        const auto latest = ft::latestCheckpoint(root / "killed");
        QVERIFY(latest);
        QCOMPARE(ft::readRun(root / "killed")->state, ft::RunState::Failed);

        const Result resumed = runCli({"train", q(project), "--out", q(root / "killed"), "--resume", "--nproc-per-node", "2"});
        QVERIFY2(resumed.code == 0, qPrintable(resumed.output));
        QVERIFY2(resumed.output.contains("resumed from the checkpoint of step"), qPrintable(resumed.output));
        const double diff = curveDiff(readCurve(root / "straight/metrics.jsonl"), readCurve(root / "killed/metrics.jsonl"));
        qInfo("killed at step 21, resumed from %s with 2 processes: max |loss diff| over 40 steps = %.3g",
              latest->filename().c_str(), diff);
        QCOMPARE(diff, 0.0);  // the same sums in the same order
        QCOMPARE(weightsDiff(root / "straight/checkpoints/step-000040", root / "killed/checkpoints/step-000040"), 0.0);
        checkCheckpointsComplete(root / "killed");
    }

    // A rank that hangs (stopped with SIGSTOP: its heartbeat stops too) is named once the timeout has passed.
    void hungRankIsNamedAfterTheTimeout() {
        QTemporaryDir tmp;
        const fs::path root = tmp.path().toStdString();
        const auto project = makeProject(root / "demo", "lora", 2, 400, 0);
        const int port = ft::freeLocalPort();
        QProcess rank0, rank1;
        rank0.setProcessChannelMode(QProcess::MergedChannels);
        rank1.setProcessChannelMode(QProcess::MergedChannels);
        rank0.setProcessEnvironment(rankEnv(0, 2, port, 5));
        rank1.setProcessEnvironment(rankEnv(1, 2, port, 5));
        const QStringList args{"train", q(project), "--out", q(root / "hung")};
        rank0.start(FT_CLI_PATH, args);
        rank1.start(FT_CLI_PATH, args);
        QVERIFY(rank0.waitForStarted() && rank1.waitForStarted());
        QByteArray seen;
        while (!seen.contains("step    3/") && rank0.waitForReadyRead(120000)) seen += rank0.readAll();
        QVERIFY2(seen.contains("step    3/"), seen.constData());
        ::kill(pid_t(rank1.processId()), SIGSTOP);
        QElapsedTimer timer;
        timer.start();
        const bool stopped = rank0.waitForFinished(60000);
        const qint64 ms = timer.elapsed();
        ::kill(pid_t(rank1.processId()), SIGKILL);
        rank1.waitForFinished();
        QVERIFY(stopped);
        seen += rank0.readAll();
        qInfo("rank 1 stopped (SIGSTOP); rank 0 gave up %lld ms later (FT_DIST_TIMEOUT=5)", (long long)ms);
        QVERIFY(rank0.exitCode() != 0);
        QVERIFY2(seen.contains("rank 1 stopped answering"), seen.constData());
    }

    // --nproc-per-node: this process is rank 0 and starts rank 1; killed -9, rank 1 is named with its pid and signal.
    void launcherNamesAKilledWorker() {
        QTemporaryDir tmp;
        const fs::path root = tmp.path().toStdString();
        const auto project = makeProject(root / "demo", "lora", 2, 400, 0);
        QProcess launcher;
        launcher.setProcessChannelMode(QProcess::MergedChannels);
        auto env = QProcessEnvironment::systemEnvironment();
        env.insert("FT_DIST_TIMEOUT", "60");
        launcher.setProcessEnvironment(env);
        launcher.start(FT_CLI_PATH, {"train", q(project), "--out", q(root / "run"), "--nproc-per-node", "2"});
        QVERIFY(launcher.waitForStarted());
        QByteArray seen;
        while (!seen.contains("step    3/") && launcher.waitForReadyRead(120000)) seen += launcher.readAll();
        QVERIFY2(seen.contains("step    3/"), seen.constData());
        // Its one child, rank 1 (started from the training thread: each thread lists its own children).
        QString children;
        for (const auto& task : fs::directory_iterator("/proc/" + std::to_string(launcher.processId()) + "/task"))
            children += QString::fromStdString(ft::readFile(task.path() / "children")) + ' ';
        const QStringList pids = children.split(' ', Qt::SkipEmptyParts);
        QCOMPARE(pids.size(), 1);
        ::kill(pid_t(pids[0].toInt()), SIGKILL);
        QVERIFY(launcher.waitForFinished(90000));
        seen += launcher.readAll();
        QCOMPARE(launcher.exitCode(), 1);
        QVERIFY2(seen.contains("rank 1 stopped answering"), seen.constData());
        QVERIFY2(seen.contains(qPrintable("rank 1 (pid " + pids[0] + ") was killed by signal 9")), seen.constData());
        QCOMPARE(ft::readRun(root / "run")->state, ft::RunState::Failed);
    }

    // What the app does: its own TrainingRun is rank 0 and starts rank 1 (training.processes 2). Paused for longer
    // than FT_DIST_TIMEOUT (the ranks keep summing while paused) and resumed, it ends on the curve of a run that was
    // never paused.
    void appProcessIsRankZeroAndPausesWithItsWorkers() {
        QTemporaryDir tmp;
        const fs::path root = tmp.path().toStdString();
        const auto project = makeProject(root / "demo", "lora", 2, 12, 0);
        const Result straight = runCli({"train", q(project), "--out", q(root / "straight"), "--nproc-per-node", "2"});
        QVERIFY2(straight.code == 0, qPrintable(straight.output));

        auto p = ft::loadProject(project);
        p.training.processes = 2;
        qputenv("FT_DIST_TIMEOUT", "8");
        ft::RunOptions options;
        options.outDir = root / "paused";
        options.workerProgram = FT_CLI_PATH;
        ft::TrainingRun run(p, options);
        std::optional<ft::Error> error;
        ft::RunState final = ft::RunState::Idle;
        std::atomic<int> stepsSeen{0};
        std::atomic<bool> pausedSeen{false};
        run.start({.onStep = [&](const ft::StepMetrics& m) {
                       stepsSeen = m.step;
                       if (m.step == 4) run.pause();
                   },
                   .onFinished = [&](ft::RunState s, const std::optional<ft::Error>& e) {
                       final = s;
                       error = e;
                   }});
        QTRY_VERIFY_WITH_TIMEOUT(run.state() == ft::RunState::Paused, 120000);
        QTest::qWait(10000);  // longer than the timeout
        QCOMPARE(run.state(), ft::RunState::Paused);
        QCOMPARE(stepsSeen.load(), 4);
        run.resume();
        run.wait();
        qunsetenv("FT_DIST_TIMEOUT");
        QVERIFY2(!error, error ? error->what() : "");
        QCOMPARE(final, ft::RunState::Finished);
        const double diff = curveDiff(readCurve(root / "straight/metrics.jsonl"), readCurve(root / "paused/metrics.jsonl"));
        qInfo("rank 0 in this process, paused 10 s at step 4 with FT_DIST_TIMEOUT=8: max |loss diff| against an "
              "unpaused run %.3g", diff);
        QCOMPARE(diff, 0.0);
    }

    // A worker the app started that fails before the ranks meet (here a program that prints its reason and exits 3):
    // rank 0 stops at once, not after FT_DIST_TIMEOUT, and says which rank ended, how, and the worker's last words.
    void aWorkerFailingAtStartStopsRankZeroAtOnce() {
        QTemporaryDir tmp;
        const fs::path root = tmp.path().toStdString();
        auto p = ft::loadProject(makeProject(root / "demo", "lora", 2));
        p.training.processes = 2;
        const fs::path worker = root / "broken-worker";
        ft::writeFileAtomic(worker, "#!/bin/sh\necho 'starting'\necho 'error: model.safetensors: unexpected end of file' >&2\nexit 3\n");
        fs::permissions(worker, fs::perms::owner_all);
        qputenv("FT_DIST_TIMEOUT", "120");
        ft::RunOptions options;
        options.outDir = root / "run";
        options.workerProgram = worker;
        ft::TrainingRun run(p, options);
        std::optional<ft::Error> error;
        ft::RunState final = ft::RunState::Idle;
        QElapsedTimer timer;
        timer.start();
        run.start({.onFinished = [&](ft::RunState s, const std::optional<ft::Error>& e) {
            final = s;
            error = e;
        }});
        run.wait();
        const qint64 ms = timer.elapsed();
        qunsetenv("FT_DIST_TIMEOUT");
        QCOMPARE(final, ft::RunState::Failed);
        QVERIFY(error);
        qInfo("rank 0 stopped %lld ms after its worker failed at start (FT_DIST_TIMEOUT 120 s): %s", (long long)ms,
              error->what());
        QVERIFY2(ms < 30000, qPrintable(QString::number(ms)));
        const std::string text = error->what();
        QVERIFY2(text.find("rank 1 ended before the processes of the run met") != std::string::npos, text.c_str());
        QVERIFY2(text.find("exited with code 3: error: model.safetensors: unexpected end of file") != std::string::npos,
                 text.c_str());
        QVERIFY2(text.find((root / "run/rank-1.log").string()) != std::string::npos, text.c_str());
    }

    // A rank whose peers never come: a clear error within the timeout, not a hang.
    void rendezvousTimesOut() {
        QTemporaryDir tmp;
        const fs::path root = tmp.path().toStdString();
        const auto project = makeProject(root / "demo", "lora", 2);
        const int port = ft::freeLocalPort();
        QElapsedTimer timer;
        timer.start();
        const Result r = runCli({"train", q(project), "--out", q(root / "alone")}, rankEnv(0, 2, port, 3), 60000);
        qInfo("rank 0 of 2 alone gave up after %lld ms", (long long)timer.elapsed());
        QCOMPARE(r.code, 1);
        QVERIFY2(r.output.contains("not all 2 processes"), qPrintable(r.output));
        QVERIFY2(r.output.contains("MASTER_PORT"), qPrintable(r.output));
    }

    // NCCL: one GPU as a world of one gives the single process's losses.
    void ncclWorldOfOneMatchesOneProcess() {
        if (!ft::cudaAvailable()) QSKIP("no CUDA device: the NCCL path runs on a GPU machine");
        QTemporaryDir tmp;
        const fs::path root = tmp.path().toStdString();
        auto project = makeProject(root / "demo", "lora", 4);
        {
            auto p = ft::loadProject(project);
            p.training.device = "cuda";
            ft::saveProject(p, project);
        }
        const Result one = runCli({"train", q(project), "--out", q(root / "one")});
        QVERIFY2(one.code == 0, qPrintable(one.output));
        const int port = ft::freeLocalPort();
        const Result nccl = runCli({"train", q(project), "--out", q(root / "nccl")}, rankEnv(0, 1, port));
        QVERIFY2(nccl.code == 0, qPrintable(nccl.output));
        const double diff = curveDiff(readCurve(root / "one/metrics.jsonl"), readCurve(root / "nccl/metrics.jsonl"));
        qInfo("NCCL, world size 1: max |loss diff| against one process = %.3g", diff);
        QVERIFY(diff <= 1e-6);
    }
};

QTEST_GUILESS_MAIN(TestDataParallel)
#include "tst_data_parallel.moc"
