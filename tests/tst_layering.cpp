// The core never includes Qt: the engine must build and run without it (CLI, headless machines, fuzzers).

#include <QDirIterator>
#include <QFile>
#include <QRegularExpression>
#include <QtTest>

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

    void publicHeadersAvoidTorch() {
        // Headers the UI and the CLI include must not pull LibTorch in (build speed); internal ones say so.
        const QStringList publicHeaders{"core/train/training_run.h", "core/train/project.h", "core/demo/demo.h",
                                        "core/common/error.h", "core/model/model_folder.h", "core/io/safetensors.h",
                                        "core/hub/hub_download.h", "core/hub/hub_api.h", "core/hub/hub_error.h",
                                        "core/hub/hub_settings.h"};
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
