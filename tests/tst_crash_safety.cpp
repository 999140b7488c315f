// Crash safety of everything we write: an export killed with SIGKILL at any moment leaves the old output or the
// complete new one, never a part, and the next export clears what the killed one left; a write that fails (a full
// disk, simulated with RLIMIT_FSIZE so that write() fails with EFBIG even as root; or a read-only folder where
// permissions apply) throws an ft::Error naming the file and leaves what was on disk byte for byte as it was.
// (kill -9 during training and resume: tst_checkpoint; the dataset editor's autosave recovery: tst_dataset_editor.)

// LibTorch before Qt: Qt's `slots` keyword macro breaks LibTorch headers parsed after it.
#include <torch/torch.h>

#include "core/common/error.h"
#include "core/demo/demo.h"
#include "core/export/gguf_adapter.h"
#include "core/export/merged_model.h"
#include "core/io/atomic_file.h"
#include "core/io/safetensors.h"
#include "core/model/decoder.h"
#include "core/train/checkpoint.h"
#include "core/train/metrics_log.h"
#include "core/train/training_run.h"
#include "core/project/project.h"

#include <QElapsedTimer>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <csignal>
#include <functional>
#include <map>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

namespace fs = std::filesystem;

namespace {

QString q(const fs::path& p) { return QString::fromStdString(p.string()); }

// Every file under `dir` (relative path → bytes); a file's bytes for a plain file; empty when absent.
using Snapshot = std::map<std::string, std::string>;
Snapshot snapshot(const fs::path& path) {
    Snapshot s;
    if (fs::is_regular_file(path)) s[""] = ft::readFile(path);
    else if (fs::is_directory(path))
        for (const auto& e : fs::recursive_directory_iterator(path))
            s[fs::relative(e.path(), path).string()] = e.is_regular_file() ? ft::readFile(e.path()) : "<dir>";
    return s;
}

// What a writer leaves beside `target` while it works: "<name>.tmp-<pid>" and "<name>.old-<pid>".
std::vector<std::string> leftovers(const fs::path& target) {
    std::vector<std::string> out;
    const std::string name = target.filename().string();
    for (const auto& e : fs::directory_iterator(target.parent_path())) {
        const std::string n = e.path().filename().string();
        if (n.starts_with(name + ".tmp-") || n.starts_with(name + ".old-")) out.push_back(n);
    }
    return out;
}

void removeOrFail(const fs::path& p) {
    std::error_code ec;
    ft::removeTree(p, ec);
    QVERIFY2(!ec, ec.message().c_str());
}

// A full disk for this process: files may not grow past `bytes` (write() fails with EFBIG; SIGXFSZ ignored).
class FileSizeLimit {
public:
    explicit FileSizeLimit(rlim_t bytes) {
        std::signal(SIGXFSZ, SIG_IGN);
        ::getrlimit(RLIMIT_FSIZE, &m_saved);
        rlimit r = m_saved;
        r.rlim_cur = bytes;
        ::setrlimit(RLIMIT_FSIZE, &r);
    }
    ~FileSizeLimit() { ::setrlimit(RLIMIT_FSIZE, &m_saved); }

private:
    rlimit m_saved{};
};

// A folder without write permission; does nothing for root, whom permissions do not stop (`active()` says which).
class ReadOnlyFolder {
public:
    explicit ReadOnlyFolder(fs::path dir) : m_dir(std::move(dir)) {
        if (::geteuid() != 0) ::chmod(m_dir.c_str(), 0500);
    }
    ~ReadOnlyFolder() { ::chmod(m_dir.c_str(), 0700); }
    static bool active() { return ::geteuid() != 0; }

private:
    fs::path m_dir;
};

// Runs `write` on a full disk of `limit` bytes per file, then (not as root) into a read-only `folder`; each must throw
// FileUnwritable naming `expected` (a path or file name), with `target` byte-identical afterwards and no temporary left.
void expectCleanFailure(const char* what, const fs::path& target, const fs::path& folder, const std::string& expected,
                        const std::function<void()>& write, rlim_t limit = 64) {
    const Snapshot before = snapshot(target);
    QVERIFY2(!before.empty(), "the old output must exist before the failing write");
    for (const bool fullDisk : {true, false}) {
        if (!fullDisk && !ReadOnlyFolder::active()) {
            qInfo("%s, read-only folder: skipped (running as root: permissions do not stop writes; the full-disk "
                  "case covers it)", what);
            continue;
        }
        std::optional<ft::Error> error;
        try {
            if (fullDisk) {
                FileSizeLimit full(limit);
                write();
            } else {
                ReadOnlyFolder ro(folder);
                write();
            }
        } catch (const ft::Error& e) {
            error = e;
        } catch (const std::exception& e) {
            QFAIL(qPrintable(QStringLiteral("%1: not an ft::Error: %2").arg(what, e.what())));
        }
        const char* how = fullDisk ? "full disk" : "read-only folder";
        QVERIFY2(error, qPrintable(QStringLiteral("%1, %2: the write did not fail").arg(what, how)));
        qInfo("%s, %s: %s", what, how, error->what());
        QCOMPARE(error->code(), ft::ErrorCode::FileUnwritable);
        QVERIFY2(error->where().find(expected) != std::string::npos, error->where().c_str());
        QVERIFY2(snapshot(target) == before, qPrintable(QStringLiteral("%1, %2: the old output changed").arg(what, how)));
        QVERIFY2(leftovers(target).empty(), qPrintable(QStringLiteral("%1, %2: a temporary was left").arg(what, how)));
    }
}

} // namespace

class TestCrashSafety : public QObject {
    Q_OBJECT

    QTemporaryDir m_tmp;
    fs::path m_root, m_demo, m_big, m_adapter;

    int cli(const QStringList& args, QString* output = nullptr) {
        QProcess p;
        p.setProcessChannelMode(QProcess::MergedChannels);
        p.start(FT_CLI_PATH, args);
        if (!p.waitForFinished(300000)) return -1;
        if (output) *output = QString::fromUtf8(p.readAll());
        return p.exitCode();
    }

    QStringList mergedExport(const fs::path& out) {
        return {"export", "--model", q(m_big), "--adapter", q(m_adapter), "--format", "merged", "--out", q(out)};
    }

private slots:
    // The demo trained for two steps (an adapter), and "big": the demo model with 160 MB of extra tensors, which an
    // export copies byte for byte, so that writing it takes long enough to be killed in the middle.
    void initTestCase() {
        QVERIFY(m_tmp.isValid());
        m_root = m_tmp.path().toStdString();
        m_demo = m_root / "demo";
        ft::makeDemo(m_demo);
        QString output;
        QCOMPARE(cli({"train", q(m_demo / "project.json"), "--out", q(m_root / "run"), "--max-steps", "2"}, &output), 0);
        m_adapter = m_root / "run/adapter";
        QVERIFY2(fs::exists(m_adapter / "adapter_model.safetensors"), qPrintable(output));

        m_big = m_root / "big";
        fs::copy(m_demo / "model", m_big, fs::copy_options::recursive);
        const auto base = ft::SafetensorsFile::open(m_demo / "model/model.safetensors");
        ft::NamedTensors tensors;
        for (const auto& e : base.entries()) tensors.emplace_back(e.name, base.tensor(e.name));
        torch::manual_seed(0);
        for (int i = 0; i < 10; ++i)
            tensors.emplace_back("extra." + std::to_string(i) + ".weight", torch::randn({2048, 2048}));  // 16 MB each
        ft::writeSafetensors(m_big / "model.safetensors", tensors);
    }

    // SIGKILL at moments spread over an uncontested export's time: the target is always the old folder or the
    // complete new one; a leftover temporary is cleared by the next export.
    void killDashNineDuringMergedExport() {
        const fs::path reference = m_root / "merged-reference", out = m_root / "kill/merged";
        QElapsedTimer clock;
        clock.start();
        QCOMPARE(cli(mergedExport(reference)), 0);
        const qint64 whole = clock.elapsed();
        const Snapshot fresh = snapshot(reference);
        QVERIFY(fresh.count("model.safetensors"));

        // The previous export: a copy of the base (a model folder, so an export may replace it), unlike the new one.
        fs::create_directories(out.parent_path());
        fs::copy(m_big, out, fs::copy_options::recursive);
        const Snapshot old = snapshot(out);
        QVERIFY(old != fresh);

        int keptOld = 0, gotNew = 0, interrupted = 0;
        for (const double at : {0.05, 0.2, 0.35, 0.5, 0.6, 0.7, 0.8, 0.9, 0.97}) {
            const int delayMs = std::max(1, int(at * double(whole)));
            QProcess victim;
            victim.start(FT_CLI_PATH, mergedExport(out));
            QVERIFY(victim.waitForStarted());
            const bool finished = victim.waitForFinished(delayMs);
            if (!finished) {
                victim.kill();  // SIGKILL
                victim.waitForFinished();
            }
            const bool killed = victim.exitStatus() == QProcess::CrashExit;
            const Snapshot now = snapshot(out);
            const bool isOld = now == old, isNew = now == fresh;
            qInfo("SIGKILL after %4d ms (%2.0f%% of %lld ms): %s, target %s, leftovers %zu", delayMs, at * 100,
                  (long long)whole, killed ? "killed" : "had finished", isOld ? "old" : isNew ? "new" : "PARTIAL",
                  leftovers(out).size());
            QVERIFY2(isOld || isNew, "the target holds neither the old folder nor the complete new one");
            if (!killed) QCOMPARE(victim.exitCode(), 0);
            if (killed && !leftovers(out).empty()) ++interrupted;
            isOld ? ++keptOld : ++gotNew;
            if (isNew) {  // back to the old folder for the next kill
                removeOrFail(out);
                fs::copy(m_big, out, fs::copy_options::recursive);
            }
        }
        qInfo("%d kills left the old folder, %d found the new one complete, %d interrupted a write in progress",
              keptOld, gotNew, interrupted);
        QVERIFY2(interrupted > 0, "no kill landed while the export was writing; the model is too small to test this");

        // The next export clears the temporaries of the killed ones and completes.
        QCOMPARE(cli(mergedExport(out)), 0);
        QVERIFY(snapshot(out) == fresh);
        const auto left = leftovers(out);
        QVERIFY2(left.empty(), left.empty() ? "" : left.front().c_str());
    }

    void fullDiskDuringProjectSave() {
        const fs::path dir = m_root / "save", file = dir / "project.json";
        fs::create_directories(dir);
        auto project = ft::loadProject(m_demo / "project.json");
        ft::saveProject(project, file);
        project.training.maxSteps = 1234;
        expectCleanFailure("project save", file, dir, file.string(), [&] { ft::saveProject(project, file); });
    }

    // The same step rewritten (a resumed run) and a new step: on failure the old checkpoint is untouched and no new
    // one appears. Two sizes of full disk: the first file fails, or LibTorch's optimizer.pt after it.
    void fullDiskDuringCheckpointWrite() {
        const fs::path out = m_root / "ckpt";
        auto lm = ft::loadCausalLM(m_demo / "model");
        for (auto& p : lm->parameters()) p.requires_grad_(true);  // a full fine-tune: every tensor is checkpointed
        torch::optim::AdamW optimizer(lm->parameters(), torch::optim::AdamWOptions(1e-3));
        for (auto& p : lm->parameters()) p.mutable_grad() = torch::ones_like(p);
        optimizer.step();  // moments: optimizer.pt is twice the parameters' size
        ft::TrainerPosition position{.step = 1, .epoch = 0, .cursor = 4, .totalSteps = 2, .seed = 42};
        ft::writeCheckpoint(out, lm, optimizer, position, nullptr);
        const fs::path step1 = out / "checkpoints/step-000001";
        QVERIFY(fs::exists(step1 / "trainer_state.json"));
        const rlim_t trainableBytes = fs::file_size(step1 / "trainable.safetensors");
        QVERIFY(fs::file_size(step1 / "optimizer.pt") > trainableBytes + 4096);

        for (const rlim_t limit : {rlim_t(64), trainableBytes + 4096}) {
            const std::string file = limit == 64 ? "trainable.safetensors" : "optimizer.pt";
            qInfo("full disk at %llu bytes per file: %s fails", (unsigned long long)limit, file.c_str());
            expectCleanFailure("checkpoint rewrite", step1, out / "checkpoints", limit == 64 ? "step-000001" : file,
                               [&] { ft::writeCheckpoint(out, lm, optimizer, position, nullptr); }, limit);
            ft::TrainerPosition next = position;
            next.step = 2;
            expectCleanFailure("new checkpoint", step1, out / "checkpoints", "step-000002",
                               [&] { ft::writeCheckpoint(out, lm, optimizer, next, nullptr); }, limit);
            int entries = 0;
            for ([[maybe_unused]] const auto& e : fs::directory_iterator(out / "checkpoints")) ++entries;
            QCOMPARE(entries, 1);  // step-000001 alone: no step-000002, no temporary
            QVERIFY(ft::latestCheckpoint(out) == step1);
        }
    }

    // The metrics log is appended to step by step: a line the disk does not take stops the run with the file named
    // (a curve with silent holes would look whole), and what was written stays.
    void fullDiskDuringMetricsLog() {
        const fs::path file = m_root / "metrics/metrics.jsonl";
        fs::create_directories(file.parent_path());
        ft::MetricsLogWriter writer(file, false);
        ft::StepMetrics m;
        m.step = 1;
        m.loss = 2.5;
        writer.write(m);
        const auto before = fs::file_size(file);
        {
            const FileSizeLimit full(before + 16);
            try {
                for (m.step = 2; m.step < 100; ++m.step) writer.write(m);
                QFAIL("a full disk went unnoticed");
            } catch (const ft::Error& e) {
                qInfo("%s", e.what());
                QCOMPARE(e.code(), ft::ErrorCode::FileUnwritable);
                QVERIFY2(e.where() == file.string(), e.what());
                QVERIFY2(std::string(e.detail()).find("resume") != std::string::npos, e.what());
            }
        }
        const auto records = ft::readMetricsLog(file);
        QVERIFY(!records.empty());
        QCOMPARE(records.front().step, 1);
    }

    void fullDiskDuringMergedExport() {
        const fs::path out = m_root / "full/merged";
        fs::create_directories(out.parent_path());
        ft::writeMergedModel(m_demo / "model", m_adapter, out);
        for (const rlim_t limit : {rlim_t(64), rlim_t(1 << 16)})  // the first file copied fails, or the weights
            expectCleanFailure("merged export", out, out.parent_path(), out.filename().string(),
                               [&] { ft::writeMergedModel(m_demo / "model", m_adapter, out); }, limit);
    }

    void fullDiskDuringGgufExport() {
        const fs::path out = m_root / "full/adapter.gguf";
        fs::create_directories(out.parent_path());
        ft::writeGgufAdapter(m_demo / "model", m_adapter, out);
        QVERIFY(fs::file_size(out) > 4096);
        expectCleanFailure("GGUF export", out, out.parent_path(), out.string(),
                           [&] { ft::writeGgufAdapter(m_demo / "model", m_adapter, out); }, 4096);
    }
};

QTEST_GUILESS_MAIN(TestCrashSafety)
#include "tst_crash_safety.moc"
