// Every training run in a folder of its own (core/train/run_folder.h): two runs of one project never share
// checkpoints, pruning stays inside a run, --resume continues the newest unfinished run, `runs` lists them with their
// states (finished, cancelled, failed for a killed one), a fresh run never writes into a folder holding another run,
// export --checkpoint takes a run's latest checkpoint, and a project without model or dataset loads but does not train.

#include "core/common/error.h"
#include "core/demo/demo.h"
#include "core/export/export_request.h"
#include "core/io/atomic_file.h"
#include "core/train/checkpoint_info.h"
#include "core/project/project.h"
#include "core/train/run_folder.h"
#include "core/train/training_run.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QtTest>

#include <map>
#include <set>

namespace fs = std::filesystem;

namespace {

struct Cli {
    int code = -1;
    QString out, err;
};

Cli cli(const QStringList& args) {
    QProcess p;
    p.start(QStringLiteral(FT_CLI_PATH), args);
    if (!p.waitForFinished(120000)) return {-1, {}, QStringLiteral("timed out")};
    return {p.exitCode(), QString::fromUtf8(p.readAllStandardOutput()), QString::fromUtf8(p.readAllStandardError())};
}

QString q(const fs::path& p) { return QString::fromStdString(p.string()); }

// The demo, short: 12 steps, a checkpoint every 2, the 2 newest kept (so pruning matters), no evaluation until the end.
fs::path makeProject(const fs::path& dir) {
    ft::makeDemo(dir);
    auto p = ft::loadProject(dir / "project.json");
    p.training.maxSteps = 12;
    p.training.checkpointEvery = 2;
    p.training.keepCheckpoints = 2;
    p.training.evalEvery = 0;
    ft::saveProject(p, dir / "project.json");
    return dir / "project.json";
}

QJsonArray runsJson(const fs::path& project) {
    const Cli r = cli({QStringLiteral("runs"), q(project)});
    if (r.code != 0) qWarning("runs: exit %d: %s", r.code, qPrintable(r.err));
    return QJsonDocument::fromJson(r.out.toUtf8()).array();
}

std::set<std::string> checkpointNames(const fs::path& runDir) {
    std::set<std::string> names;
    for (const auto& e : fs::directory_iterator(ft::runCheckpointsDir(runDir))) names.insert(e.path().filename().string());
    return names;
}

// Every file under `dir` with its bytes: what "nothing changed" compares.
std::map<std::string, std::string> snapshot(const fs::path& dir) {
    std::map<std::string, std::string> files;
    for (const auto& e : fs::recursive_directory_iterator(dir))
        files[fs::relative(e.path(), dir).string()] = e.is_regular_file() ? ft::readFile(e.path()) : std::string("<dir>");
    return files;
}

// Trains through the C++ API; cancels once `cancelAfter` steps are done.
ft::RunState train(const ft::Project& project, ft::RunOptions options, int cancelAfter = -1, fs::path* runDir = nullptr,
                   std::optional<ft::Error>* error = nullptr) {
    ft::TrainingRun run(project, options);
    if (runDir) *runDir = run.outDir();
    ft::RunState final = ft::RunState::Idle;
    run.start({.onStep = [&](const ft::StepMetrics& m) { if (m.step == cancelAfter) run.cancel(); },
               .onFinished = [&](ft::RunState s, const std::optional<ft::Error>& e) {
                   final = s;
                   if (error) *error = e;
               }});
    run.wait();
    return final;
}

} // namespace

class TestRunFolder : public QObject {
    Q_OBJECT
private slots:
    void runFoldersAreUniqueAndOrdered() {
        QTemporaryDir tmp;
        const fs::path root = fs::path(tmp.path().toStdString()) / "runs";
        std::vector<fs::path> dirs;
        for (int i = 0; i < 11; ++i) dirs.push_back(ft::createRunFolder(root));
        const QRegularExpression id(QStringLiteral("^\\d{8}-\\d{6}(-\\d+)?$"));
        std::set<fs::path> unique(dirs.begin(), dirs.end());
        QCOMPARE(int(unique.size()), 11);
        for (const auto& d : dirs) {
            QVERIFY2(fs::is_directory(d) && id.match(q(d.filename())).hasMatch(), d.c_str());
            QVERIFY(!ft::readRun(d));  // an empty folder is no run yet
        }
        for (const auto& d : dirs) {
            ft::RunInfo info;
            info.id = d.filename().string();
            info.method = "lora";
            info.state = ft::RunState::Finished;
            info.started = "2026-12-06T04:15:02Z";  // the same second: -2 … -11 order them (numerically)
            ft::writeRunState(d, info);
        }
        const auto runs = ft::listRuns(root);
        QCOMPARE(int(runs.size()), 11);
        for (size_t i = 0; i < runs.size(); ++i) QCOMPARE(runs[i].dir, dirs[i]);
        QCOMPARE(ft::newestRun(root)->dir, dirs.back());
        QVERIFY(!ft::newestUnfinishedRun(root));  // all finished
    }

    void aRunWhoseLockIsFreeWasKilled() {
        QTemporaryDir tmp;
        const fs::path dir = ft::createRunFolder(fs::path(tmp.path().toStdString()));
        ft::RunInfo info;
        info.id = dir.filename().string();
        info.method = "lora";
        info.stepsDone = 4;
        info.totalSteps = 10;
        info.state = ft::RunState::Running;
        ft::writeRunState(dir, info);
        {
            const ft::RunLock lock(dir);
            QCOMPARE(ft::readRun(dir)->state, ft::RunState::Running);
            QVERIFY_THROWS_EXCEPTION(ft::Error, ft::RunLock{dir});  // one trainer per folder
        }
        const auto read = ft::readRun(dir);
        QCOMPARE(read->state, ft::RunState::Failed);  // "running", but nobody holds the lock
        QCOMPARE(read->stepsDone, 4);
        QVERIFY(read->adapter.empty());
        const auto json = QJsonDocument::fromJson(QByteArray::fromStdString(ft::runsToJson({*read}))).array();
        QCOMPARE(json.size(), 1);
        const QJsonObject o = json[0].toObject();
        QCOMPARE(o.value("state").toString(), QStringLiteral("failed"));
        QCOMPARE(o.value("total_steps").toInt(), 10);
        QVERIFY(o.value("adapter").isNull());
    }

    // Issue 16's bug: a 12-step run, then a 6-step run of the same project. They used to share one folder, and pruning
    // (keep 2) deleted the 6-step run's newest checkpoint because the older run's steps 10 and 12 ranked higher.
    void twoRunsOfOneProjectStayApart() {
        QTemporaryDir tmp;
        const fs::path project = makeProject(fs::path(tmp.path().toStdString()) / "demo");
        const Cli first = cli({"train", q(project)});
        QVERIFY2(first.code == 0, qPrintable(first.err));
        const Cli second = cli({"train", q(project), "--max-steps", "6"});
        QVERIFY2(second.code == 0, qPrintable(second.err));
        // The checkpoint announced last is still there.
        const auto announced = QRegularExpression(QStringLiteral("checkpoint @ step 6: (\\S+)")).match(second.out);
        QVERIFY2(announced.hasMatch(), qPrintable(second.out));
        QVERIFY2(fs::exists(announced.captured(1).toStdString() + "/trainer_state.json"), qPrintable(announced.captured(1)));

        const QJsonArray runs = runsJson(project);
        QCOMPARE(runs.size(), 2);
        const QJsonObject a = runs[0].toObject(), b = runs[1].toObject();
        const fs::path dirA = a.value("dir").toString().toStdString(), dirB = b.value("dir").toString().toStdString();
        QVERIFY(dirA != dirB);
        QCOMPARE(dirA.parent_path(), ft::runsRoot(ft::loadProject(project)));
        QVERIFY2(first.out.contains("run: " + q(dirA)), qPrintable(first.out));
        QVERIFY2(second.out.contains("run: " + q(dirB)), qPrintable(second.out));
        QVERIFY(second.out.contains("done: adapter written to " + q(ft::runAdapterDir(dirB))));
        for (const auto& [o, steps] : {std::pair{a, 12}, std::pair{b, 6}}) {
            QCOMPARE(o.value("state").toString(), QStringLiteral("finished"));
            QCOMPARE(o.value("method").toString(), QStringLiteral("lora"));
            QCOMPARE(o.value("steps_done").toInt(), steps);
            QCOMPARE(o.value("total_steps").toInt(), steps);
            QCOMPARE(o.value("adapter").toString(), q(ft::runAdapterDir(o.value("dir").toString().toStdString())));
            QVERIFY(!o.value("id").toString().isEmpty());
        }
        QCOMPARE(checkpointNames(dirA), (std::set<std::string>{"step-000010", "step-000012"}));
        QCOMPARE(checkpointNames(dirB), (std::set<std::string>{"step-000004", "step-000006"}));
        for (const auto& [dir, steps] : {std::pair{dirA, 12}, std::pair{dirB, 6}}) {
            QCOMPARE(int(ft::readFile(ft::runMetricsFile(dir)).find("\"step\":" + std::to_string(steps + 1))),
                     int(std::string::npos));
            QVERIFY(ft::readFile(ft::runMetricsFile(dir)).find("\"step\":" + std::to_string(steps)) != std::string::npos);
            QCOMPARE(ft::loadProject(ft::runProjectFile(dir)).method, std::string("lora"));
            QVERIFY(fs::exists(ft::runAdapterDir(dir) / "adapter_model.safetensors"));
        }

        // export --checkpoint RUN exports the run's latest checkpoint.
        const fs::path exported = fs::path(tmp.path().toStdString()) / "exported";
        const Cli ex = cli({"export", "--checkpoint", q(dirB), "--format", "peft", "--out", q(exported)});
        QVERIFY2(ex.code == 0, qPrintable(ex.err));
        QVERIFY2(ex.out.contains("step 6, lora"), qPrintable(ex.out));
        QVERIFY(ft::readFile(exported / "adapter_model.safetensors") ==
                ft::readFile(ft::checkpointDir(dirB, 6) / "adapter/adapter_model.safetensors"));
        const auto request = ft::exportRequestFromCheckpoint(dirA, ft::ExportFormat::Merged, exported / "m");
        QCOMPARE(request.checkpoint, ft::checkpointDir(dirA, 12));
        QCOMPARE(request.step, 12);
        QCOMPARE(request.method, std::string("lora"));
        QCOMPARE(request.adapter, ft::checkpointAdapterDir(ft::checkpointDir(dirA, 12)));
        QCOMPARE(fs::canonical(request.model), fs::canonical(project.parent_path() / "model"));
        QVERIFY(!request.merge.qlora);
    }

    // A cancelled run (C++ API) and a killed one (SIGKILL): `runs` says cancelled and failed; --resume continues the
    // newest unfinished one, then the other, then says there is none.
    void resumeContinuesTheNewestUnfinishedRun() {
        QTemporaryDir tmp;
        const fs::path projectFile = makeProject(fs::path(tmp.path().toStdString()) / "demo");
        const ft::Project project = ft::loadProject(projectFile);
        fs::path cancelled;
        QCOMPARE(train(project, {}, 5, &cancelled), ft::RunState::Cancelled);
        QCOMPARE(cancelled.parent_path(), ft::runsRoot(project));
        QCOMPARE(ft::readRun(cancelled)->state, ft::RunState::Cancelled);
        QCOMPARE(ft::newestUnfinishedRun(ft::runsRoot(project))->dir, cancelled);

        QProcess victim;
        victim.setProcessChannelMode(QProcess::MergedChannels);
        victim.start(QStringLiteral(FT_CLI_PATH), {"train", q(projectFile)});
        QVERIFY(victim.waitForStarted());
        QString killedDir;
        bool killed = false;
        while (!killed && victim.waitForReadyRead(60000)) {
            while (victim.canReadLine()) {
                const QString line = QString::fromUtf8(victim.readLine()).trimmed();
                if (line.startsWith("run: ")) killedDir = line.mid(5);
                if (line.startsWith("step    7/")) {
                    victim.kill();
                    killed = true;
                    break;
                }
            }
        }
        QVERIFY(killed);
        victim.waitForFinished();
        QVERIFY(!killedDir.isEmpty());

        QJsonArray runs = runsJson(projectFile);
        QCOMPARE(runs.size(), 2);
        QCOMPARE(runs[0].toObject().value("dir").toString(), q(cancelled));
        QCOMPARE(runs[0].toObject().value("state").toString(), QStringLiteral("cancelled"));
        QCOMPARE(runs[0].toObject().value("steps_done").toInt(), 4);
        QCOMPARE(runs[0].toObject().value("adapter").toString(),
                 q(ft::checkpointAdapterDir(ft::checkpointDir(cancelled, 4))));
        QCOMPARE(runs[1].toObject().value("dir").toString(), killedDir);
        QCOMPARE(runs[1].toObject().value("state").toString(), QStringLiteral("failed"));
        QCOMPARE(runs[1].toObject().value("steps_done").toInt(), 6);
        QCOMPARE(runs[1].toObject().value("total_steps").toInt(), 12);

        Cli r = cli({"train", q(projectFile), "--resume"});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QVERIFY2(r.out.contains("run: " + killedDir) && r.out.contains("resumed from the checkpoint of step 6"),
                 qPrintable(r.out));
        r = cli({"train", q(projectFile), "--resume"});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QVERIFY2(r.out.contains("run: " + q(cancelled)) && r.out.contains("resumed from the checkpoint of step 4"),
                 qPrintable(r.out));
        runs = runsJson(projectFile);
        QCOMPARE(runs.size(), 2);
        for (const auto& v : runs) {
            QCOMPARE(v.toObject().value("state").toString(), QStringLiteral("finished"));
            QCOMPARE(v.toObject().value("steps_done").toInt(), 12);
        }
        r = cli({"train", q(projectFile), "--resume"});
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains(q(ft::runsRoot(project))) && r.err.contains("no unfinished run"), qPrintable(r.err));
        QCOMPARE(runsJson(projectFile).size(), 2);
    }

    void freshRunRefusesAFolderHoldingARun() {
        QTemporaryDir tmp;
        const fs::path root = tmp.path().toStdString();
        const fs::path projectFile = makeProject(root / "demo");
        const fs::path out = root / "out";
        Cli r = cli({"train", q(projectFile), "--out", q(out), "--max-steps", "2"});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QVERIFY(r.out.contains("run: " + q(out)));
        QVERIFY(fs::exists(ft::runAdapterDir(out) / "adapter_config.json"));
        QCOMPARE(ft::readRun(out)->state, ft::RunState::Finished);
        const auto before = snapshot(out);

        r = cli({"train", q(projectFile), "--out", q(out), "--max-steps", "2"});
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains(q(out)) && r.err.contains("--resume") && r.err.contains("--out"), qPrintable(r.err));
        QVERIFY(!r.out.contains("run: "));
        std::optional<ft::Error> error;
        fs::path runDir = "unset";
        QCOMPARE(train(ft::loadProject(projectFile), {out, 2}, -1, &runDir, &error), ft::RunState::Failed);
        QVERIFY(runDir.empty());
        QVERIFY(error && error->where() == out.string());
        QVERIFY(snapshot(out) == before);  // nothing in it changed

        // A folder with a run's checkpoints but no run.json (from before run folders) counts as a run too.
        fs::create_directories(root / "old/checkpoints");
        QCOMPARE(cli({"train", q(projectFile), "--out", q(root / "old")}).code, 1);
        QVERIFY(!fs::exists(root / "old/run.json"));
    }

    // A new project is saved before it names a model or data: it loads, and training says what to choose.
    void projectWithoutModelOrDatasetLoadsButDoesNotTrain() {
        QTemporaryDir tmp;
        const fs::path root = tmp.path().toStdString();
        const fs::path file = root / "new.json";
        ft::writeFileAtomic(file, R"({"format": "finetune-studio-project", "version": 1, "name": "New", "dataset": ""})");
        ft::Project p = ft::loadProject(file);
        QVERIFY(p.model.empty() && p.dataset.empty());
        std::optional<ft::Error> error;
        fs::path runDir = "unset";
        QCOMPARE(train(p, {}, -1, &runDir, &error), ft::RunState::Failed);
        QVERIFY(error);
        QCOMPARE(error->code(), ft::ErrorCode::MissingField);
        QCOMPARE(error->where(), file.string() + ": model");
        QVERIFY2(std::string(error->what()).find("Model page") != std::string::npos, error->what());
        QVERIFY(runDir.empty());
        QVERIFY(!fs::exists(ft::runsRoot(p)));  // no run folder for a run that cannot start

        ft::makeDemo(root / "demo");
        p.model = (root / "demo/model").string();
        ft::saveProject(p, file);
        const Cli r = cli({"train", q(file)});
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains(q(file) + ": dataset") && r.err.contains("\"dataset\""), qPrintable(r.err));
        QCOMPARE(runsJson(file).size(), 0);
    }
};

QTEST_GUILESS_MAIN(TestRunFolder)
#include "tst_run_folder.moc"
