// The core never includes Qt: the engine must build and run without it (CLI, headless machines, fuzzers). Inside
// the core, a folder includes only its own tier or lower ones (coreIncludesNoHigherTier).

#include <QDirIterator>
#include <QFile>
#include <QHash>
#include <QRegularExpression>
#include <QtTest>

namespace {

// The core's folders, lowest tier first. A file may include headers of its own tier or a lower one, so each tier
// builds and is tested without the ones above it.
// clang-format off
const QHash<QString, int> kCoreTiers = {
    {"common", 0},                                   // errors and helpers every layer uses
    {"io", 1}, {"hub", 1},                           // file formats on disk; Hub downloads (plain C++, libcurl)
    {"device", 1},                                   // whether LibTorch's CUDA half is loaded (libftcore_cuda.so)
    {"text", 2}, {"data", 2}, {"quant", 2},          // tokenizers and templates; datasets; quantizers over tensors
    {"cuda", 2},                                     // libftcore_cuda.so: quant's kernels, dist's NCCL
    {"dist", 2},                                     // several processes: rendezvous, collectives, launching
    {"model", 3},                                    // model folders, architectures, the decoder
    {"peft", 4},                                     // adapters on a model
    {"project", 5}, {"inference", 5},                // the project file; a loaded model with its adapter, to chat
    {"train", 6}, {"export", 6},                     // training runs of a project; exports of their adapters
    {"eval", 7},                                     // evaluation: base vs tuned on held-out data, its metrics
    {"demo", 7},                                     // a whole project trained end to end
};
// clang-format on

// The tier of a path under core/ ("train/checkpoint.h"), or -1 for a folder the table does not know.
int coreTier(const QString& path) { return kCoreTiers.value(path.section(QLatin1Char('/'), 0, 0), -1); }

} // namespace

class TestLayering : public QObject {
    Q_OBJECT
private slots:
    void coreIncludesNoQt() {
        const QRegularExpression qtInclude(QStringLiteral("^\\s*#\\s*include\\s*[<\"](Q[A-Za-z]+|qcustomplot|Qt[A-Za-z]+/)[^>\"]*[>\"]"),
                                           QRegularExpression::MultilineOption);
        QDirIterator it(QStringLiteral(FT_SOURCE_DIR "/core"), {QStringLiteral("*.h"), QStringLiteral("*.cpp"),
                                                                 QStringLiteral("*.cu"), QStringLiteral("*.cuh")},
                        QDir::Files, QDirIterator::Subdirectories);
        int files = 0;
        QStringList offenders;
        while (it.hasNext()) {
            QFile f(it.next());
            QVERIFY(f.open(QIODevice::ReadOnly));
            ++files;
            const auto match = qtInclude.match(QString::fromUtf8(f.readAll()));
            if (match.hasMatch()) offenders << f.fileName() + QStringLiteral(": ") + match.captured(0).trimmed();
        }
        QVERIFY2(files > 10, "the core sources were not found");
        QVERIFY2(offenders.isEmpty(), qPrintable(offenders.join(QLatin1Char('\n'))));
    }

    void coreIncludesNoHigherTier() {
        const QString core = QStringLiteral(FT_SOURCE_DIR "/core/");
        const QRegularExpression coreInclude(QStringLiteral("^\\s*#\\s*include\\s*\"core/([^\"]+)\""));
        QDirIterator it(core, {QStringLiteral("*.h"), QStringLiteral("*.cpp"), QStringLiteral("*.cu"), QStringLiteral("*.cuh")},
                        QDir::Files, QDirIterator::Subdirectories);
        int files = 0;
        QStringList offenders;
        while (it.hasNext()) {
            QFile f(it.next());
            QVERIFY(f.open(QIODevice::ReadOnly));
            ++files;
            const QString file = f.fileName().mid(core.size());  // "model/decoder.cpp"
            const int tier = coreTier(file);
            if (tier < 0) {
                offenders << QStringLiteral("core/%1: folder '%2' has no tier (add it to kCoreTiers)")
                                 .arg(file, file.section(QLatin1Char('/'), 0, 0));
                continue;
            }
            const QStringList lines = QString::fromUtf8(f.readAll()).split(QLatin1Char('\n'));
            for (int i = 0; i < lines.size(); ++i) {
                const auto match = coreInclude.match(lines[i]);
                if (!match.hasMatch()) continue;
                const QString included = match.captured(1);
                const int includedTier = coreTier(included);
                if (includedTier < 0)
                    offenders << QStringLiteral("core/%1:%2: includes core/%3, whose folder has no tier").arg(file).arg(i + 1).arg(included);
                else if (includedTier > tier)
                    offenders << QStringLiteral("core/%1:%2: includes core/%3 (tier %4) from tier %5")
                                     .arg(file).arg(i + 1).arg(included).arg(includedTier).arg(tier);
            }
        }
        QVERIFY2(files > 10, "the core sources were not found");
        offenders.sort();
        QVERIFY2(offenders.isEmpty(), qPrintable(QStringLiteral("%1 include(s) against the layers:\n").arg(offenders.size()) +
                                                 offenders.join(QLatin1Char('\n'))));
    }

    void publicHeadersAvoidTorch() {
        // Headers the UI and the CLI include must not pull LibTorch in (build speed); internal ones say so.
        const QStringList publicHeaders{"core/train/training_run.h", "core/project/project.h", "core/demo/demo.h",
                                        "core/common/error.h", "core/model/model_folder.h", "core/io/safetensors.h",
                                        "core/hub/hub_download.h", "core/hub/hub_api.h", "core/hub/hub_error.h",
                                        "core/hub/hub_settings.h", "core/inference/language_model.h",
                                        "core/model/model_footprint.h", "core/model/quantize_tensors.h",
                                        "core/model/tensor_names.h"};
        for (const QString& h : publicHeaders) {
            QFile f(QStringLiteral(FT_SOURCE_DIR "/") + h);
            QVERIFY2(f.open(QIODevice::ReadOnly), qPrintable(h));
            const QString text = QString::fromUtf8(f.readAll());
            QVERIFY2(!text.contains(QStringLiteral("#include <torch/")), qPrintable(h + QStringLiteral(" includes LibTorch")));
        }
    }

    void hubIsPlainCpp() {
        // core/hub (libcurl, no LibTorch) is linked on its own by code that must not pull the engine in.
        QDirIterator it(QStringLiteral(FT_SOURCE_DIR "/core/hub"), {QStringLiteral("*.h"), QStringLiteral("*.cpp")},
                        QDir::Files);
        int files = 0;
        while (it.hasNext()) {
            QFile f(it.next());
            QVERIFY(f.open(QIODevice::ReadOnly));
            ++files;
            const QString text = QString::fromUtf8(f.readAll());
            QVERIFY2(!text.contains(QStringLiteral("#include <torch/")) && !text.contains(QStringLiteral("#include <ATen/")),
                     qPrintable(f.fileName()));
        }
        QVERIFY(files >= 8);
    }
};

QTEST_APPLESS_MAIN(TestLayering)
#include "tst_layering.moc"
