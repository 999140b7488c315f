// The Model page's list of models on this machine, driven with real key events: HOME, HF_HOME and OLLAMA_MODELS
// point at a fake machine (the demo model in a hub cache, a BERT beside it, an Ollama GGUF); typing in the search
// field filters the rows, arrow keys and Return on a model that can be trained open it (it really loads), Return on
// one that cannot does nothing and its reason is on the row; a selection plus Next opens and goes on; an added
// folder is remembered and scanned.

#include "AppSettings.h"
#include "wizard/FineTuneWizard.h"
#include "wizard/ModelListModel.h"
#include "wizard/ModelPage.h"

#include "core/demo/demo.h"

#include <QAbstractButton>
#include <QDir>
#include <QLabel>
#include <QLineEdit>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTableView>
#include <QTemporaryDir>
#include <QtTest>

namespace {

void writeFile(const QString& path, const QByteArray& bytes) {
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(bytes);
}

void copyFolder(const QString& from, const QString& to) {
    QDir().mkpath(to);
    for (const QString& name : QDir(from).entryList(QDir::Files)) QVERIFY(QFile::copy(from + '/' + name, to + '/' + name));
}

// The visible rows' names, in order.
QStringList visibleNames(QTableView* table) {
    QStringList names;
    for (int r = 0; r < table->model()->rowCount(); ++r)
        names << table->model()->index(r, ModelListModel::Name).data().toString();
    return names;
}

void clearAndType(QLineEdit* edit, const QString& text) {
    edit->setFocus();
    QTest::keyClick(edit, Qt::Key_A, Qt::ControlModifier);
    QTest::keyClick(edit, Qt::Key_Backspace);
    QTest::keyClicks(edit, text);
}

} // namespace

class TestModelPage : public QObject {
    Q_OBJECT
    QTemporaryDir m_tmp;
    QString m_snapshot;

private slots:
    void initTestCase() {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("FinetuneStudioTest"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_model_page"));
        QSettings().clear();

        const QString root = m_tmp.path();
        ft::makeDemo((root + QStringLiteral("/demo")).toStdString());
        m_snapshot = root + QStringLiteral("/hf/hub/models--Finetune--Demo-Tiny/snapshots/0123abcd");
        copyFolder(root + QStringLiteral("/demo/model"), m_snapshot);
        writeFile(root + QStringLiteral("/hf/hub/models--Finetune--Demo-Tiny/refs/main"), "0123abcd");
        const QString bert = root + QStringLiteral("/hf/hub/models--google-bert--bert-base-uncased/snapshots/1");
        copyFolder(root + QStringLiteral("/demo/model"), bert);
        writeFile(bert + QStringLiteral("/config.json"), R"({"model_type":"bert"})");
        QVERIFY(QFile::copy(QStringLiteral(FT_TEST_DATA_DIR "/gguf/reference.gguf"), root + QStringLiteral("/reference.gguf")));
        writeFile(root + QStringLiteral("/ollama/manifests/registry.ollama.ai/library/fixture/latest"),
                  R"({"layers":[{"mediaType":"application/vnd.ollama.image.model","digest":"sha256:ab12"}]})");
        QDir().mkpath(root + QStringLiteral("/ollama/blobs"));
        QVERIFY(QFile::copy(root + QStringLiteral("/reference.gguf"), root + QStringLiteral("/ollama/blobs/sha256-ab12")));

        qputenv("HOME", (root + QStringLiteral("/home")).toUtf8());
        qputenv("HF_HOME", (root + QStringLiteral("/hf")).toUtf8());
        qputenv("OLLAMA_MODELS", (root + QStringLiteral("/ollama")).toUtf8());
        qunsetenv("HF_HUB_CACHE");
    }

    void searchArrowsAndReturn() {
        FineTuneWizard w;
        w.newProject(m_tmp.filePath(QStringLiteral("p1/project.json")));
        w.show();
        w.next();
        QCOMPARE(w.currentId(), int(FineTuneWizard::Model));
        ModelPage* page = w.modelPage();
        auto* found = page->findChild<QLabel*>(QStringLiteral("modelsFound"));
        QVERIFY(found);
        QTRY_VERIFY_WITH_TIMEOUT(!page->isScanning(), 30000);
        QVERIFY2(found->text().startsWith(QStringLiteral("3 model")), qPrintable(found->text()));
        QTableView* table = page->modelTable();
        QCOMPARE(visibleNames(table), (QStringList{QStringLiteral("Finetune/Demo-Tiny"),
                                                   QStringLiteral("google-bert/bert-base-uncased"),
                                                   QStringLiteral("fixture:latest")}));

        // Typing filters as you go: by name, by source, by architecture.
        auto* search = page->findChild<QLineEdit*>(QStringLiteral("modelSearch"));
        QVERIFY(search);
        clearAndType(search, QStringLiteral("ollama"));
        QCOMPARE(visibleNames(table), QStringList{QStringLiteral("fixture:latest")});
        clearAndType(search, QStringLiteral("BERT"));
        QCOMPARE(visibleNames(table), QStringList{QStringLiteral("google-bert/bert-base-uncased")});

        // Down + Return on the BERT: nothing opens; the reason is in its row and tooltip.
        table->setFocus();
        QTest::keyClick(table, Qt::Key_Down);
        QCOMPARE(table->currentIndex().row(), 0);
        QTest::keyClick(table, Qt::Key_Return);
        QVERIFY(!page->isLoading());
        QVERIFY(!page->model());
        QCOMPARE(w.currentId(), int(FineTuneWizard::Model));
        QVERIFY(!page->isComplete());
        const QModelIndex why = table->model()->index(0, ModelListModel::Trainable);
        QCOMPARE(why.data().toString(), QStringLiteral("no — architecture 'bert' is not a decoder this app trains"));
        QVERIFY(why.data(Qt::ToolTipRole).toString().contains(QStringLiteral("'bert'")));
        QVERIFY(why.data(Qt::ForegroundRole).isValid());  // greyed
        QVERIFY2(found->text().startsWith(QStringLiteral("1 of 3 model")), qPrintable(found->text()));
        // Return said why where the page reports.
        bool said = false;
        for (QLabel* l : page->findChildren<QLabel*>())
            said = said || l->text() == QStringLiteral("google-bert/bert-base-uncased cannot be trained here: architecture "
                                                       "'bert' is not a decoder this app trains");
        QVERIFY(said);

        // "llama" is the architecture of the demo and of the GGUF; then down to the demo and Return: it loads.
        clearAndType(search, QStringLiteral("llama"));
        QCOMPARE(visibleNames(table), (QStringList{QStringLiteral("Finetune/Demo-Tiny"), QStringLiteral("fixture:latest")}));
        QCOMPARE(table->model()->index(0, ModelListModel::Trainable).data().toString(), QStringLiteral("yes"));
        table->setFocus();
        QTest::keyClick(table, Qt::Key_Down);
        QTest::keyClick(table, Qt::Key_Up);
        QCOMPARE(table->currentIndex().row(), 0);
        QTest::keyClick(table, Qt::Key_Return);
        QVERIFY(page->isLoading());
        QTRY_VERIFY_WITH_TIMEOUT(page->isComplete(), 60000);
        QCOMPARE(page->model()->dir, m_snapshot);
        QCOMPARE(page->findChild<QLineEdit*>(QStringLiteral("modelPath"))->text(), m_snapshot);
        QCOMPARE(w.currentId(), int(FineTuneWizard::Model));  // Return opened the row, it did not press Next

        // Enter in the search field opens the one row the search leaves.
        page->openFolder(m_tmp.filePath(QStringLiteral("demo/model")));
        QTRY_VERIFY_WITH_TIMEOUT(page->isComplete(), 60000);
        clearAndType(search, QStringLiteral("demo-tiny"));
        QCOMPARE(visibleNames(table), QStringList{QStringLiteral("Finetune/Demo-Tiny")});
        QTest::keyClick(search, Qt::Key_Return);
        QTRY_VERIFY_WITH_TIMEOUT(page->isComplete() && page->model()->dir == m_snapshot, 60000);
        QCOMPARE(w.currentId(), int(FineTuneWizard::Model));
    }

    // A .gguf path typed into the field: the page says it imports the file (the first time only), then shows how the
    // base was stored.
    void ggufPathIsImportedAndOpened() {
        qputenv("FT_GGUF_CACHE", m_tmp.filePath(QStringLiteral("gguf-cache")).toUtf8());
        FineTuneWizard w;
        w.newProject(m_tmp.filePath(QStringLiteral("p-gguf/project.json")));
        w.show();
        w.next();
        ModelPage* page = w.modelPage();
        QTRY_VERIFY_WITH_TIMEOUT(!page->isScanning(), 30000);
        QTRY_VERIFY_WITH_TIMEOUT(!page->isLoading(), 30000);
        auto* path = page->findChild<QLineEdit*>(QStringLiteral("modelPath"));
        QVERIFY(path);
        path->setFocus();
        QSignalSpy loaded(page, &ModelPage::loaded);
        clearAndType(path, QStringLiteral(FT_TEST_DATA_DIR "/gguf_import/qwen2/model.gguf"));
        QTest::keyClick(path, Qt::Key_Return);
        auto labelWith = [page](const QString& text) {
            for (QLabel* l : page->findChildren<QLabel*>())
                if (l->text().contains(text)) return true;
            return false;
        };
        QVERIFY(labelWith(QStringLiteral("Importing")));
        QTRY_VERIFY_WITH_TIMEOUT(!loaded.isEmpty(), 30000);
        QVERIFY(loaded.first().first().toBool());
        QVERIFY(page->model());
        QVERIFY(labelWith(QStringLiteral("BF16 in the GGUF file")));
        QCOMPARE(w.currentId(), int(FineTuneWizard::Model)); // Return in the field opens; it does not press Next
        qunsetenv("FT_GGUF_CACHE");
    }

    void selectionAndNextOpensAndGoesOn() {
        FineTuneWizard w;
        w.newProject(m_tmp.filePath(QStringLiteral("p2/project.json")));
        w.show();
        w.next();
        ModelPage* page = w.modelPage();
        QTRY_VERIFY_WITH_TIMEOUT(!page->isScanning(), 30000);
        QVERIFY(!w.button(QWizard::NextButton)->isEnabled());
        QTableView* table = page->modelTable();
        table->setFocus();
        // Focus alone makes the first row current but selects nothing (tabbing through the list changes no choice);
        // an arrow key selects.
        QVERIFY(!w.button(QWizard::NextButton)->isEnabled());
        QTest::keyClick(table, Qt::Key_Down);
        QTest::keyClick(table, Qt::Key_Up);  // the demo, first row
        QCOMPARE(page->modelList()->modelAt(table->currentIndex().row()).name, std::string("Finetune/Demo-Tiny"));
        QVERIFY(w.button(QWizard::NextButton)->isEnabled());
        QTest::mouseClick(w.button(QWizard::NextButton), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(w.currentId(), int(FineTuneWizard::Dataset), 60000);
        QVERIFY(w.model());
        QCOMPARE(w.model()->dir, m_snapshot);
    }

    void addedFolderIsRememberedAndScanned() {
        FineTuneWizard w;
        w.newProject(m_tmp.filePath(QStringLiteral("p3/project.json")));
        w.show();
        w.next();
        ModelPage* page = w.modelPage();
        QTRY_VERIFY_WITH_TIMEOUT(!page->isScanning(), 30000);
        QCOMPARE(page->modelList()->rowCount(), 3);
        QSignalSpy scanned(page, &ModelPage::scanned);
        page->addModelFolder(m_tmp.filePath(QStringLiteral("demo")));  // holds model/: a folder of models
        QTRY_COMPARE_WITH_TIMEOUT(scanned.count(), 1, 30000);
        QCOMPARE(scanned.at(0).at(0).toInt(), 4);
        QCOMPARE(AppSettings::modelFolders(), QStringList{QDir::cleanPath(m_tmp.filePath(QStringLiteral("demo")))});
        const ft::DiscoveredModel& added = page->modelList()->modelAt(3);
        QCOMPARE(added.source, std::string("folder"));
        QCOMPARE(added.name, std::string("model"));
        QVERIFY(added.trainable);
    }
};

QTEST_MAIN(TestModelPage)
#include "tst_model_page.moc"
