// The wizard's Model page downloads a model by its Hub name, driven with real key and mouse events against
// tests/fake_hub.py: an error sentence in the dialog, then the snapshot opened on the page; and Cancel mid-download,
// which keeps the complete files and leaves nothing partial in snapshots/.

#include "fake_hub_process.h"

#include "HubDownloadDialog.h"
#include "wizard/FineTuneWizard.h"
#include "wizard/ModelPage.h"

#include "core/demo/demo.h"

#include <QDialogButtonBox>
#include <QDirIterator>
#include <QElapsedTimer>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSignalSpy>
#include <QPointer>
#include <QtTest>

namespace {

const QString kRepoFolder = QStringLiteral("models--tiny-org--tiny-llama");

// The environment the app reads the Hub settings from, pointed at the fake hub and a fresh cache.
void useHub(const FakeHubProcess& hub, const QString& cache) {
    const QProcessEnvironment env = hub.environment();
    for (const char* name : {"HF_TOKEN", "HUGGING_FACE_HUB_TOKEN", "HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE",
                             "HUGGINGFACE_HUB_CACHE", "HF_TOKEN_PATH", "XDG_CACHE_HOME"})
        qunsetenv(name);
    qputenv("HF_ENDPOINT", env.value(QStringLiteral("HF_ENDPOINT")).toUtf8());
    qputenv("HF_HOME", env.value(QStringLiteral("HF_HOME")).toUtf8());
    qputenv("HF_HUB_CACHE", cache.toUtf8());
}

struct Wizard {
    QTemporaryDir dir;
    FineTuneWizard w;
    bool open() {
        const QString demo = dir.filePath(QStringLiteral("demo"));
        ft::makeDemo(demo.toStdString());
        if (!w.openProject(demo + QStringLiteral("/project.json"))) return false;
        w.show();
        w.next();  // the Model page
        return w.currentId() == int(FineTuneWizard::Model);
    }
    HubDownloadDialog* clickDownload() {
        auto* button = w.modelPage()->findChild<QPushButton*>(QStringLiteral("hubDownload"));
        if (!button) return nullptr;
        QTest::mouseClick(button, Qt::LeftButton);
        return w.modelPage()->findChild<HubDownloadDialog*>();
    }
};

} // namespace

class TestHubDownload : public QObject {
    Q_OBJECT
private slots:
    void downloadOpensTheSnapshot() {
        FakeHubProcess hub;
        QVERIFY(hub.ok());
        QTemporaryDir cache;
        useHub(hub, cache.path());
        Wizard wizard;
        QVERIFY(wizard.open());
        QTRY_VERIFY_WITH_TIMEOUT(wizard.w.modelPage()->isComplete(), 60000);  // the demo's own model first

        HubDownloadDialog* dialog = wizard.clickDownload();
        QVERIFY(dialog);
        QTRY_VERIFY(dialog->isVisible());
        auto* name = dialog->findChild<QLineEdit*>(QStringLiteral("hubRepo"));
        auto* message = dialog->findChild<QLabel*>(QStringLiteral("hubMessage"));

        // A gated repo without a token: the sentence says what to do, the dialog stays.
        QTest::keyClicks(name, QStringLiteral("tiny-org/gated"));
        QTest::keyClick(name, Qt::Key_Return);
        QTRY_VERIFY_WITH_TIMEOUT(!dialog->isDownloading(), 30000);
        QVERIFY2(message->text().contains(QLatin1String("gated or private")) &&
                     message->text().contains(QLatin1String("HF_TOKEN")), qPrintable(message->text()));
        QVERIFY(dialog->isVisible());

        // The right name, then Return (the default button): the page opens the snapshot.
        QSignalSpy loaded(wizard.w.modelPage(), &ModelPage::loaded);
        name->selectAll();
        QTest::keyClicks(name, QStringLiteral("tiny-org/tiny-llama"));
        QTest::keyClick(name, Qt::Key_Return);
        QPointer<HubDownloadDialog> alive(dialog);  // it closes and deletes itself on success
        QTRY_VERIFY2_WITH_TIMEOUT(loaded.count() == 1,
                                  qPrintable(alive ? message->text() : QStringLiteral("the dialog closed")), 60000);
        QVERIFY(!alive);
        const QString snapshot = QDir(cache.path()).filePath(kRepoFolder + QStringLiteral("/snapshots/"));
        const auto* path = wizard.w.modelPage()->findChild<QLineEdit*>(QStringLiteral("modelPath"));
        QVERIFY2(path->text().startsWith(snapshot), qPrintable(path->text()));
        QVERIFY(QFile::exists(path->text() + QStringLiteral("/model.safetensors.index.json")));
        QVERIFY2(loaded.at(0).at(0).toBool(), "the downloaded folder did not open as a model");
        QVERIFY(wizard.w.modelPage()->isComplete());
    }

    void cancelKeepsCompleteFiles() {
        FakeHubProcess hub({QStringLiteral("--slow"), QStringLiteral("40000")});  // 40 kB/s: ~6 s in all
        QVERIFY(hub.ok());
        QTemporaryDir cache;
        useHub(hub, cache.path());
        Wizard wizard;
        QVERIFY(wizard.open());
        QTRY_VERIFY_WITH_TIMEOUT(wizard.w.modelPage()->isComplete(), 60000);
        const QString before = wizard.w.modelPage()->findChild<QLineEdit*>(QStringLiteral("modelPath"))->text();

        HubDownloadDialog* dialog = wizard.clickDownload();
        QVERIFY(dialog);
        auto* name = dialog->findChild<QLineEdit*>(QStringLiteral("hubRepo"));
        QTest::keyClicks(name, QStringLiteral("tiny-org/tiny-llama"));
        QTest::mouseClick(dialog->findChild<QPushButton*>(QStringLiteral("hubStart")), Qt::LeftButton);
        QVERIFY(dialog->isDownloading());

        // Once a few files are complete and tokenizer.json is on its way, Cancel.
        auto* file = dialog->findChild<QLabel*>(QStringLiteral("hubFile"));
        QTRY_VERIFY_WITH_TIMEOUT(file->text().startsWith(QLatin1String("tokenizer.json")), 30000);
        // "x of y · z/s · t left"
        const QString detail = dialog->findChild<QLabel*>(QStringLiteral("hubDetail"))->text();
        QVERIFY2(detail.contains(QLatin1String("/s")) && detail.contains(QLatin1String(" of ")), qPrintable(detail));
        QVERIFY(dialog->findChild<QProgressBar*>(QStringLiteral("hubProgress"))->value() > 0);
        auto* cancel = dialog->findChild<QDialogButtonBox*>()->button(QDialogButtonBox::Cancel);
        QElapsedTimer clock;
        clock.start();
        QTest::mouseClick(cancel, Qt::LeftButton);
        QVERIFY(clock.elapsed() < 200);  // the click returns at once: the UI thread does not wait on the download
        QTRY_VERIFY_WITH_TIMEOUT(!dialog->isDownloading(), 10000);
        qInfo("cancel took effect after %lld ms", clock.elapsed());
        auto* message = dialog->findChild<QLabel*>(QStringLiteral("hubMessage"));
        QVERIFY2(message->text().contains(QLatin1String("Cancelled")) &&
                     message->text().contains(QLatin1String("kept")), qPrintable(message->text()));
        QVERIFY(dialog->isVisible());

        // config.json and generation_config.json are whole blobs linked into the snapshot; tokenizer.json is not
        // there, only its .incomplete beside the blobs.
        const QString root = QDir(cache.path()).filePath(kRepoFolder);
        int links = 0;
        QDirIterator it(root + QStringLiteral("/snapshots"), QDir::AllEntries | QDir::System | QDir::NoDotAndDotDot,
                        QDirIterator::Subdirectories);
        while (it.hasNext()) {
            const QFileInfo info(it.next());
            if (info.isDir() && !info.isSymLink()) continue;
            QVERIFY2(info.isSymLink() && !info.symLinkTarget().endsWith(QLatin1String(".incomplete")) && info.exists(),
                     qPrintable(info.filePath()));
            QVERIFY2(info.fileName() != QLatin1String("tokenizer.json"), "a partial file is visible in snapshots/");
            ++links;
        }
        QVERIFY(links >= 2);
        const QStringList parts = QDir(root + QStringLiteral("/blobs")).entryList({QStringLiteral("*.incomplete")});
        QVERIFY(!parts.isEmpty());  // tokenizer.json's part, kept for a resume
        QCOMPARE(wizard.w.modelPage()->findChild<QLineEdit*>(QStringLiteral("modelPath"))->text(), before);

        QTest::mouseClick(cancel, Qt::LeftButton);  // now "Close"
        QTRY_VERIFY(!wizard.w.modelPage()->findChild<HubDownloadDialog*>());
    }
};

QTEST_MAIN(TestHubDownload)
#include "tst_hub_download.moc"
