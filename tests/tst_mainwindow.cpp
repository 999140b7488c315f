// The GUI on the offscreen platform: open the demo, train a few steps in the core's thread while the window stays
// responsive, see the curves plotted and exported as CSV, export the adapter three ways on workers; menus, settings,
// recent files and undo wiring; the Quantization inspector against core's quantize report.

#include "AppSettings.h"
#include "LossPlot.h"
#include "MainWindow.h"
#include "ProjectDocument.h"
#include "QuantResultModel.h"
#include "QuantizationInspector.h"
#include "RecentFilesMenu.h"
#include "SettingsDialog.h"
#include "TrainingController.h"
#include "TrainingView.h"
#include "UserGuide.h"
#include "dataset/DatasetEditor.h"
#include "dataset/DatasetQualityWidget.h"
#include "dataset/DatasetTableModel.h"
#include "inspectors/ChatTemplatePreview.h"
#include "inspectors/LoadedModel.h"
#include "inspectors/TokenInspector.h"
#include "DroppedPaths.h"
#include "EvalTableModel.h"
#include "EvalView.h"
#include "wizard/FineTuneWizard.h"
#include "wizard/ModelPage.h"
#include "wizard/WizardTour.h"

#include "core/train/example_encoder.h"
#include "core/demo/demo.h"
#include "core/model/model_folder.h"
#include "core/model/quantize_tensors.h"
#include "core/train/checkpoint_info.h"
#include "core/project/project.h"
#include "core/train/token_cache.h"
#include "core/train/training_data.h"

#include <QAbstractTextDocumentLayout>
#include <QComboBox>
#include <QDropEvent>
#include <QFontDatabase>
#include <QFontInfo>
#include <QGlyphRun>
#include <QMimeData>
#include <QLayout>
#include <QLineEdit>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QRawFont>
#include <QScopeGuard>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QScrollBar>
#include <QTabWidget>
#include <QTableView>
#include <QTableWidget>
#include <QListWidget>
#include <QPushButton>
#include <QLabel>
#include <qcustomplot.h>
#include <QTranslator>
#include <QTemporaryDir>
#include <QTextBlock>
#include <QTextLayout>
#include <QToolBar>
#include <QUndoGroup>
#include <QUndoStack>
#include <QtTest>
#include <qcustomplot.h>

#include <cmath>

namespace {

// Sends the drag-enter and drop a file manager would, carrying `paths`; true when the drag was accepted.
bool dropOn(QWidget* target, const QStringList& paths) {
    QMimeData data;
    QList<QUrl> urls;
    for (const QString& p : paths) urls << QUrl::fromLocalFile(p);
    data.setUrls(urls);
    const QPoint at = target->rect().center();
    QDragEnterEvent enter(at, Qt::CopyAction, &data, Qt::LeftButton, Qt::NoModifier);
    QCoreApplication::sendEvent(target, &enter);
    if (!enter.isAccepted()) return false;
    QDropEvent drop(QPointF(at), Qt::CopyAction, &data, Qt::LeftButton, Qt::NoModifier);
    QCoreApplication::sendEvent(target, &drop);
    return drop.isAccepted();
}

QStringList readLines(const QString& path) {
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) return {};
    return QString::fromUtf8(f.readAll()).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
}

void writeFile(const QString& path, const QByteArray& bytes = {}) {
    QDir().mkpath(QFileInfo(path).path());
    QFile f(path);
    QVERIFY2(f.open(QIODevice::WriteOnly), qPrintable(path));
    f.write(bytes);
}

// Qt's warnings about shortcuts that match twice (and so trigger nothing), caught while a test runs.
QStringList g_ambiguous;
QtMessageHandler g_previousHandler = nullptr;
void catchAmbiguousShortcuts(QtMsgType type, const QMessageLogContext& context, const QString& message) {
    if (message.contains(QLatin1String("Ambiguous shortcut"))) g_ambiguous << message;
    if (g_previousHandler) g_previousHandler(type, context, message);
}

// The message box a window opened last (shown with open(), not exec()), or null.
QMessageBox* openMessageBox(QWidget* window) {
    const QList<QMessageBox*> boxes = window->findChildren<QMessageBox*>();
    return boxes.isEmpty() ? nullptr : boxes.last();
}

} // namespace

class TestMainWindow : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_demoDir;

    QString demoModel() {
        const QString model = m_demoDir.filePath(QStringLiteral("demo/model"));
        if (!QFile::exists(model + QStringLiteral("/model.safetensors"))) ft::makeDemo(m_demoDir.filePath(QStringLiteral("demo")).toStdString());
        return model;
    }

private slots:
    void initTestCase() {
        // Settings go to a test location and start empty: nothing of the user's is read or overwritten.
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("FinetuneStudioTest"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_mainwindow"));
        QSettings().clear();
    }

    void menusExist() {
        MainWindow w;
        QStringList titles;
        for (QAction* a : w.menuBar()->actions()) titles << a->menu()->objectName();
        for (const char* m : {"menuFile", "menuEdit", "menuTrain", "menuExport", "menuView", "menuHelp"})
            QVERIFY2(titles.contains(QLatin1String(m)), m);
        for (const char* a : {"actionNewProject", "actionOpenProject", "actionSaveProject", "actionOpenModel", "actionOpenDataset",
                              "actionUndo", "actionRedo", "actionExportAdapter", "actionExportMerged", "actionExportGguf",
                              "actionSettings", "actionUserGuide", "actionShow_quantizationInspector", "actionShow_trainingView"})
            QVERIFY2(w.findChild<QAction*>(QLatin1String(a)), a);
        QVERIFY(w.findChild<QMenu*>(QStringLiteral("menuRecent")));
        QVERIFY(w.findChild<QMenu*>(QStringLiteral("menuLanguage")));
        // Nothing to export before a run.
        QVERIFY(!w.findChild<QAction*>(QStringLiteral("actionExportMerged"))->isEnabled());

        // Hiding a tool from the View menu hides its tab.
        QAction* toggle = w.findChild<QAction*>(QStringLiteral("actionShow_quantizationInspector"));
        const int tab = w.tools()->indexOf(w.quantizationInspector());
        toggle->setChecked(false);
        QVERIFY(!w.tools()->isTabVisible(tab));
        toggle->setChecked(true);
        QVERIFY(w.tools()->isTabVisible(tab));
    }

    void undoFollowsTheActiveTool() {
        MainWindow w;
        auto* tool = new QWidget;
        tool->setObjectName(QStringLiteral("undoTool"));
        QUndoStack stack;
        w.addToolTab(tool, QStringLiteral("Undo tool"), &stack);
        QAction* undo = w.findChild<QAction*>(QStringLiteral("actionUndo"));
        w.showTool(tool);
        QCOMPARE(w.undoGroup()->activeStack(), &stack);
        QVERIFY(!undo->isEnabled());
        stack.push(new QUndoCommand(QStringLiteral("edit")));
        QVERIFY(undo->isEnabled());
        undo->trigger();
        QCOMPARE(stack.index(), 0);
        w.showTool(w.quantizationInspector());
        QCOMPARE(w.undoGroup()->activeStack(), nullptr);
        QVERIFY(!undo->isEnabled());
    }

    void datasetAndWizardAreTools() {
        MainWindow w;
        QVERIFY(w.datasetEditor());
        QSignalSpy loaded(w.datasetEditor(), &DatasetEditor::fileOpened);
        const QString data = QFileInfo(demoModel()).path() + QStringLiteral("/data/train.jsonl");
        w.openDataset(data);
        QTRY_COMPARE_WITH_TIMEOUT(loaded.count(), 1, 30000);
        QVERIFY2(loaded.at(0).at(0).toBool(), qPrintable(loaded.at(0).at(1).toString()));
        QCOMPARE(w.tools()->currentWidget(), w.datasetEditor());
        QCOMPARE(w.undoGroup()->activeStack(), w.datasetEditor()->undoStack());
        QCOMPARE(AppSettings::recentFiles().first(), QDir::cleanPath(data));

        QTemporaryDir dir;
        w.openWizard(dir.filePath(QStringLiteral("new.json")));
        QVERIFY(w.wizard());
        QVERIFY(w.wizard()->isVisible());
        QCOMPARE(w.wizard()->projectFile(), dir.filePath(QStringLiteral("new.json")));
        w.wizard()->close();
    }

    // With the focus in the dataset editor, Ctrl+Z, Ctrl+Shift+Z and Ctrl+S act on the dataset; the window's
    // Edit > Undo/Redo and File > Save Project have the same keys, and Qt used to trigger neither ("Ambiguous
    // shortcut overload"). Elsewhere Ctrl+S saves the project. The editor's toolbar has only its own actions.
    void datasetShortcutsInTheWindow() {
        QTemporaryDir dir;
        const QString demo = dir.filePath(QStringLiteral("demo"));
        ft::makeDemo(demo.toStdString());
        const QString project = demo + QStringLiteral("/project.json");
        const QString data = demo + QStringLiteral("/data/train.jsonl");
        const int rows = readLines(data).size();
        QVERIFY(rows > 2);

        g_ambiguous.clear();
        g_previousHandler = qInstallMessageHandler(catchAmbiguousShortcuts);
        auto restore = qScopeGuard([] { qInstallMessageHandler(g_previousHandler); });

        MainWindow w;
        w.show();
        w.activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(&w));
        w.openProject(project);
        DatasetEditor* editor = w.datasetEditor();
        QTRY_VERIFY_WITH_TIMEOUT(editor->filePath() == data && !editor->isLoading(), 60000);
        QCOMPARE(editor->model()->rowCount(), rows);

        // The stray Export > PEFT Adapter… button: the window's toolbar has it, the editor's does not.
        QAction* exportAdapter = w.findChild<QAction*>(QStringLiteral("actionExportAdapter"));
        QVERIFY(w.findChild<QToolBar*>(QStringLiteral("trainingToolBar"))->actions().contains(exportAdapter));
        for (QToolBar* bar : editor->findChildren<QToolBar*>()) QVERIFY(!bar->actions().contains(exportAdapter));

        w.showTool(editor);
        QTableView* view = editor->view();
        view->setFocus();
        QTRY_VERIFY(view->hasFocus());
        editor->selectRow(0);
        QTest::keyClick(view, Qt::Key_Delete);  // the editor's own Delete: no window action has the key
        QCOMPARE(editor->model()->rowCount(), rows - 1);

        QTest::keyClick(view, Qt::Key_Z, Qt::ControlModifier);
        QCOMPARE(editor->model()->rowCount(), rows);
        QVERIFY(!editor->isModified());
        QVERIFY(QKeySequence::keyBindings(QKeySequence::Redo).contains(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Z)));
        QTest::keyClick(view, Qt::Key_Z, Qt::ControlModifier | Qt::ShiftModifier);
        QCOMPARE(editor->model()->rowCount(), rows - 1);
        QVERIFY(editor->isModified());

        QVERIFY(QFile::remove(project));  // Ctrl+S here must not save the project
        QTest::keyClick(view, Qt::Key_S, Qt::ControlModifier);
        QVERIFY(!editor->isModified());
        QCOMPARE(readLines(data).size(), rows - 1);
        QVERIFY(!QFile::exists(project));

        // Elsewhere Ctrl+S is File > Save Project.
        w.showTool(w.trainingView());
        QPlainTextEdit* log = w.trainingView()->logView();
        log->setFocus();
        QTRY_VERIFY(log->hasFocus());
        QTest::keyClick(log, Qt::Key_S, Qt::ControlModifier);
        QVERIFY(QFile::exists(project));
        QVERIFY2(g_ambiguous.isEmpty(), qPrintable(g_ambiguous.join(QLatin1Char('\n'))));
    }

    // File > Open Model on a folder that is not a model: a message says what a model folder holds and what this one
    // holds instead; nothing is opened or logged as opened, the recent files stay as they were, and the model
    // opened before stays in the inspectors.
    void openModelRefusesFoldersThatAreNotModels_data() {
        QTest::addColumn<QStringList>("files");       // relative to the folder; "name=text" writes text
        QTest::addColumn<QString>("opened");           // the folder to open, relative
        QTest::addColumn<QStringList>("mentions");     // what the message must say
        QTest::newRow("gguf") << QStringList{"tinyllama-1.1b-chat.Q4_K_M.gguf", "README.md"} << QString()
                              << QStringList{"tinyllama-1.1b-chat.Q4_K_M.gguf", "GGUF", "README.md"};
        QTest::newRow("lone safetensors") << QStringList{"pytorch-lora.safetensors"} << QString()
                                          << QStringList{"pytorch-lora.safetensors", "weights only"};
        QTest::newRow("hub cache") << QStringList{"models--org--tiny/refs/main=0123abcd",
                                                  "models--org--tiny/blobs/deadbeef",
                                                  "models--org--tiny/snapshots/0123abcd/config.json={}"}
                                   << QStringLiteral("models--org--tiny")
                                   << QStringList{"snapshots/0123abcd", "Hugging Face hub cache", "blobs/", "snapshots/"};
        QTest::newRow("empty") << QStringList{} << QString() << QStringList{"empty"};
    }

    void openModelRefusesFoldersThatAreNotModels() {
        QFETCH(QStringList, files);
        QFETCH(QString, opened);
        QFETCH(QStringList, mentions);
        QTemporaryDir dir;
        for (const QString& f : files) {
            const qsizetype eq = f.indexOf(QLatin1Char('='));
            writeFile(dir.filePath(f.left(eq)), eq < 0 ? QByteArray() : f.mid(eq + 1).toUtf8());
        }
        const QString bad = opened.isEmpty() ? dir.path() : dir.filePath(opened);

        AppSettings::clearRecentFiles();
        const QString model = demoModel();
        MainWindow w;
        w.show();
        QSignalSpy modelOpened(&w, &MainWindow::modelOpened);
        w.openModel(model);
        QTRY_VERIFY_WITH_TIMEOUT(w.tokenInspector()->model() && w.tokenInspector()->model()->dir == model, 60000);
        QVERIFY(!openMessageBox(&w));

        w.openModel(bad);
        QMessageBox* box = openMessageBox(&w);
        QVERIFY(box);
        const QString text = box->text();
        for (const char* needed : {"config.json", "model.safetensors", "model.safetensors.index.json", "tokenizer.model",
                                   "tokenizer.json"})
            QVERIFY2(text.contains(QLatin1String(needed)), qPrintable(text));
        for (const QString& m : mentions) QVERIFY2(text.contains(m), qPrintable(m + QStringLiteral(" not in: ") + text));
        delete box;
        QCOMPARE(modelOpened.count(), 1);
        QVERIFY(!AppSettings::recentFiles().contains(QDir::cleanPath(bad)));
        QVERIFY(!w.trainingView()->logView()->toPlainText().contains(bad));
        QTest::qWait(100);  // nothing loads behind the message
        QCOMPARE(w.tokenInspector()->model()->dir, model);
    }

    // Help > User Guide from a build folder outside the source tree (nothing at ../..) finds the source tree's
    // guide, in either language.
    void userGuideIsFoundFromAnyBuildFolder() {
        QTemporaryDir elsewhere;
        for (const QString& guide : {QStringLiteral("docs/user-guide.md"), QStringLiteral("docs/user-guide.ko.md")}) {
            const QString found = findUserGuide(guide, elsewhere.filePath(QStringLiteral("build/app")));
            QVERIFY2(found.endsWith(guide), qPrintable(guide + QStringLiteral(" → ") + found));
            QVERIFY(QFileInfo(found).isFile());
        }
        QVERIFY(QFileInfo(userGuidePath()).isFile());
    }

    // The Tokens and Chat Template tabs have the margins of the other tabs.
    void toolTabsHaveMargins() {
        MainWindow w;
        const QMargins reference = w.datasetEditor()->layout()->contentsMargins();
        QVERIFY(!reference.isNull());
        QCOMPARE(w.trainingView()->layout()->contentsMargins(), reference);
        auto* chat = w.findChild<ChatTemplatePreview*>(QStringLiteral("chatTemplatePreview"));
        QVERIFY(chat);
        for (QWidget* tool : {static_cast<QWidget*>(w.tokenInspector()), static_cast<QWidget*>(chat)})
            QCOMPARE(tool->layout()->contentsMargins(), reference);
    }

    // The training log is one font: a Korean line's Hangul, digits and punctuation are drawn in the same font as a
    // Latin path, not in a fallback of other metrics.
    void trainingLogIsOneFont() {
        MainWindow w;
        w.show();
        QPlainTextEdit* log = w.trainingView()->logView();
        w.trainingView()->log(QStringLiteral("Training started"));
        w.trainingView()->log(QStringLiteral("스텝 90 검증: 손실 4.3190, 퍼플렉서티 75.18"));
        w.trainingView()->log(QStringLiteral("학습이 끝났습니다. 어댑터 위치: /tmp/demo/output/adapter"));
        w.trainingView()->log(QStringLiteral("Validation at step 120: loss 4.4105, perplexity 82.31"));
        if (QFontDatabase::families(QFontDatabase::Korean).isEmpty()) QSKIP("no font with Hangul is installed");
        QSet<QString> families;
        QSet<qreal> sizes;
        for (QTextBlock b = log->document()->begin(); b.isValid(); b = b.next()) {
            log->document()->documentLayout()->blockBoundingRect(b);  // lays the block out
            for (const QGlyphRun& run : b.layout()->glyphRuns(0, int(b.text().size()))) families << run.rawFont().familyName();
            sizes << QFontInfo(b.charFormat().font()).pointSizeF();
        }
        QCOMPARE(sizes.size(), 1);
        QVERIFY(!families.isEmpty());
        QVERIFY2(families.size() == 1, qPrintable(families.values().join(QStringLiteral(", "))));
    }

    void settingsRoundTrip() {
        {
            SettingsDialog d;
            d.languageBox()->setCurrentIndex(d.languageBox()->findData(QStringLiteral("ko")));
            d.deviceBox()->setCurrentIndex(d.deviceBox()->findData(QStringLiteral("cpu")));
            d.folderEdit(AppSettings::Folder::Models)->setText(QStringLiteral("/models"));
            d.save();
        }
        QCOMPARE(AppSettings::language(), QStringLiteral("ko"));
        QCOMPARE(AppSettings::defaultDevice(), QStringLiteral("cpu"));
        QCOMPARE(AppSettings::folder(AppSettings::Folder::Models), QStringLiteral("/models"));
        SettingsDialog again;
        QCOMPARE(again.languageBox()->currentData().toString(), QStringLiteral("ko"));
        QCOMPARE(again.deviceBox()->currentData().toString(), QStringLiteral("cpu"));
        QCOMPARE(again.folderEdit(AppSettings::Folder::Models)->text(), QStringLiteral("/models"));

        // A new project takes the default device.
        QTemporaryDir dir;
        MainWindow w;
        QSignalSpy opened(&w, &MainWindow::projectOpened);
        const QString model = demoModel();
        QVERIFY(w.newProject(dir.filePath(QStringLiteral("p.json")), model, QFileInfo(model).path() + QStringLiteral("/data/train.jsonl")));
        QCOMPARE(opened.count(), 1);
        QCOMPARE(ft::loadProject(dir.filePath(QStringLiteral("p.json")).toStdString()).training.device, std::string("cpu"));
        AppSettings::setLanguage(QString());
        AppSettings::setDefaultDevice(QStringLiteral("auto"));
    }

    void recentFiles() {
        AppSettings::clearRecentFiles();
        QTemporaryDir dir;
        for (int i = 0; i < AppSettings::kMaxRecentFiles + 3; ++i) AppSettings::addRecentFile(dir.filePath(QStringLiteral("f%1.jsonl").arg(i)));
        AppSettings::addRecentFile(dir.filePath(QStringLiteral("f5.jsonl")));  // again: moves to the top, once
        const QStringList files = AppSettings::recentFiles();
        QCOMPARE(files.size(), AppSettings::kMaxRecentFiles);
        QCOMPARE(files.first(), QDir::cleanPath(dir.filePath(QStringLiteral("f5.jsonl"))));
        QCOMPARE(files.count(files.first()), 1);
        QVERIFY(!files.contains(QDir::cleanPath(dir.filePath(QStringLiteral("f0.jsonl")))));

        // The menu lists them; opening a project adds it.
        MainWindow w;
        QSignalSpy opened(&w, &MainWindow::projectOpened);
        demoModel();
        const QString project = m_demoDir.filePath(QStringLiteral("demo/project.json"));
        w.openProject(project);
        QCOMPARE(opened.count(), 1);
        QCOMPARE(AppSettings::recentFiles().first(), QDir::cleanPath(project));
        auto* menu = w.findChild<RecentFilesMenu*>(QStringLiteral("menuRecent"));
        menu->rebuild();
        QSignalSpy triggered(menu, &RecentFilesMenu::fileTriggered);
        QAction* first = menu->actions().first();
        QVERIFY(first->isEnabled());
        first->trigger();
        QCOMPARE(triggered.count(), 1);
        QCOMPARE(triggered.at(0).at(0).toString(), QDir::cleanPath(project));
        QCOMPARE(opened.count(), 2);  // the window opened it again
    }

    // Opening a project shows it in every tool: the model in the inspectors, the data in the editor, and its
    // examples in the token inspector, encoded as training encodes them.
    void projectFillsTheTools() {
        QTemporaryDir dir;
        MainWindow w;
        w.show();
        QSignalSpy opened(&w, &MainWindow::projectOpened);
        w.openDemo(dir.filePath(QStringLiteral("demo")));
        QTRY_COMPARE_WITH_TIMEOUT(opened.count(), 1, 120000);
        QTRY_COMPARE_WITH_TIMEOUT(w.tokenInspector()->exampleCount(), 40, 60000);
        QTRY_VERIFY_WITH_TIMEOUT(w.tokenInspector()->tokenCount() > 0, 60000);
        QVERIFY(w.tokenInspector()->trainedCount() > 0 && w.tokenInspector()->maskedCount() > 0);
        const std::vector<int> first = w.tokenInspector()->encoded().ids;
        w.tokenInspector()->selectExample(5);
        QTRY_VERIFY_WITH_TIMEOUT(w.tokenInspector()->encoded().ids != first, 30000);
        QTRY_VERIFY_WITH_TIMEOUT(w.datasetEditor()->filePath().endsWith(QStringLiteral("train.jsonl")) && !w.datasetEditor()->isLoading(), 60000);
        // The quality report counts tokens with the open model's tokenizer, not the 4-characters estimate.
        QSignalSpy report(w.datasetEditor(), &DatasetEditor::reportReady);
        w.datasetEditor()->analyze();
        QTRY_COMPARE_WITH_TIMEOUT(report.count(), 1, 60000);
        QVERIFY(!w.datasetEditor()->qualityWidget()->report().tokensEstimated());
    }

    // A project that trains with its own chat template shows its examples tokenized with that template, not the
    // model's: the inspector's tokens are the ones training will see.
    void projectTemplateReachesTheInspector() {
        QTemporaryDir dir;
        const QString demo = dir.filePath(QStringLiteral("demo"));
        ft::makeDemo(demo.toStdString());
        const QString projectFile = demo + QStringLiteral("/project.json");
        ft::Project p = ft::loadProject(projectFile.toStdString());
        p.chatTemplate = "{% for m in messages %}<{{ m.role }}>{{ m.content }}</{{ m.role }}>\n{% endfor %}"
                         "{% if add_generation_prompt %}<assistant>{% endif %}";
        ft::saveProject(p, projectFile.toStdString());

        MainWindow w;
        w.show();
        w.openProject(projectFile);
        QTRY_COMPARE_WITH_TIMEOUT(w.tokenInspector()->exampleCount(), 40, 60000);
        QTRY_VERIFY_WITH_TIMEOUT(w.tokenInspector()->tokenCount() > 0, 60000);

        ft::ModelFolder folder = ft::openModelFolder(p.resolve(p.model));
        const ft::ExampleEncoder own(folder);
        folder.chatTemplate = p.chatTemplate;
        const ft::ExampleEncoder custom(folder);
        ft::DatasetOptions options;
        options.format = ft::datasetFormatFromName(p.datasetFormat);
        options.columns = p.datasetColumns;
        const auto data = ft::loadDataset(p.resolve(p.dataset), ft::DatasetKind::Instruct, options);
        const auto expected = custom.encodeChat(data.examples[0], p.training.maxSeqLength, p.training.trainOnPrompt);
        QTRY_VERIFY_WITH_TIMEOUT(w.tokenInspector()->encoded().ids == expected.ids, 30000);
        QVERIFY(own.encodeChat(data.examples[0], p.training.maxSeqLength, p.training.trainOnPrompt).ids != expected.ids);
        QCOMPARE(w.tokenInspector()->encoded().labels, expected.labels);
    }

    // Once training has encoded the project's dataset into the token cache, opening the project steps through the
    // cached examples (nothing encoded again), the same tokens and labels training reads.
    void tokenCacheReachesTheInspector() {
        QTemporaryDir dir;
        const QByteArray cacheBefore = qgetenv("FT_TOKEN_CACHE");
        qputenv("FT_TOKEN_CACHE", dir.filePath(QStringLiteral("token-cache")).toUtf8());
        const auto restore = qScopeGuard([&] { qputenv("FT_TOKEN_CACHE", cacheBefore); });
        const QString demo = dir.filePath(QStringLiteral("demo"));
        ft::makeDemo(demo.toStdString());
        const QString projectFile = demo + QStringLiteral("/project.json");
        const ft::Project p = ft::loadProject(projectFile.toStdString());
        const ft::TrainingData data = ft::prepareTrainingData(p, ft::openModelFolder(p.resolve(p.model)));
        QVERIFY(!data.tokenCache.empty());
        const auto cache = ft::findTokenCache(p, ft::openModelFolder(p.resolve(p.model)));
        QVERIFY(cache);

        MainWindow w;
        w.show();
        w.openProject(projectFile);
        QTRY_VERIFY_WITH_TIMEOUT(w.tokenInspector()->showsCachedExamples(), 60000);
        QCOMPARE(w.tokenInspector()->exampleCount(), int(cache->table->size()));
        w.tokenInspector()->selectExample(3);
        const ft::TokenizedExample expected = cache->table->example(3);
        QTRY_VERIFY_WITH_TIMEOUT(w.tokenInspector()->encoded().ids == expected.ids, 30000);
        QCOMPARE(w.tokenInspector()->encoded().labels, expected.labels);
        QVERIFY(w.tokenInspector()->trainedCount() > 0 && w.tokenInspector()->maskedCount() > 0);
    }

    void trainsDemoAndExports() {
        QTemporaryDir dir;
        MainWindow w;
        w.show();
        QSignalSpy opened(&w, &MainWindow::projectOpened);
        w.openDemo(dir.filePath(QStringLiteral("demo")));  // written on a worker thread
        QTRY_COMPARE_WITH_TIMEOUT(opened.count(), 1, 120000);

        QSignalSpy steps(w.controller(), &TrainingController::stepReported);
        QSignalSpy evals(w.controller(), &TrainingController::evalReported);
        QSignalSpy finished(&w, &MainWindow::trainingFinished);
        QElapsedTimer uiClock;
        int uiTurns = 0;
        QTimer ticker;  // counts event-loop turns while training runs: the UI thread must not be blocked
        connect(&ticker, &QTimer::timeout, [&] { ++uiTurns; });
        ticker.start(20);
        uiClock.start();
        w.startTraining(12);
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 180000);
        ticker.stop();
        QCOMPARE(finished.at(0).at(0).toBool(), true);
        QCOMPARE(w.lossPlot()->trainPointCount(), 12);
        qInfo("UI event-loop turns during training: %d in %lld ms", uiTurns, uiClock.elapsed());
        QVERIFY(uiTurns >= uiClock.elapsed() / 20 / 4);

        // The curves as CSV: one row per step, the reported loss and learning rate, validation where evaluated.
        const QString csv = dir.filePath(QStringLiteral("curves.csv"));
        QVERIFY(w.lossPlot()->saveCsv(csv));
        const QStringList lines = readLines(csv);
        QCOMPARE(lines.first(), QStringLiteral("step,train_loss,train_loss_smoothed,learning_rate,tokens_per_second,validation_loss"));
        QCOMPARE(lines.size(), 1 + 12);
        QCOMPARE(steps.count(), 12);
        const QStringList last = lines.last().split(QLatin1Char(','));
        QCOMPARE(last.at(0).toInt(), steps.last().at(0).toInt());
        QCOMPARE(last.at(1).toDouble(), steps.last().at(3).toDouble());
        QCOMPARE(last.at(3).toDouble(), steps.last().at(4).toDouble());
        QVERIFY(last.at(2).toDouble() > 0);
        QCOMPARE(lines.first().split(QLatin1Char(',')).size(), last.size());
        if (!evals.isEmpty()) QCOMPARE(last.at(5).toDouble(), evals.last().at(1).toDouble());
        QVERIFY(w.lossPlot()->savePng(dir.filePath(QStringLiteral("curves.png"))));
        QVERIFY(QFileInfo(dir.filePath(QStringLiteral("curves.png"))).size() > 1000);

        QSignalSpy exported(&w, &MainWindow::adapterExported);
        QSignalSpy anyExport(&w, &MainWindow::exportFinished);
        const QString target = dir.filePath(QStringLiteral("export/adapter"));
        QDir().mkpath(dir.filePath(QStringLiteral("export")));
        QVERIFY(w.findChild<QAction*>(QStringLiteral("actionExportMerged"))->isEnabled());
        w.exportAdapterTo(target);
        QTRY_COMPARE_WITH_TIMEOUT(exported.count(), 1, 60000);
        QCOMPARE(exported.at(0).at(0).toBool(), true);
        QVERIFY(QFile::exists(target + QStringLiteral("/adapter_config.json")));
        QVERIFY(QFile::exists(target + QStringLiteral("/adapter_model.safetensors")));

        const QString merged = dir.filePath(QStringLiteral("export/merged"));
        w.exportMergedTo(merged);
        QTRY_COMPARE_WITH_TIMEOUT(anyExport.count(), 2, 120000);
        QVERIFY2(anyExport.at(1).at(1).toBool(), qPrintable(anyExport.at(1).at(2).toString()));
        QVERIFY(QFile::exists(merged + QStringLiteral("/config.json")));
        QVERIFY(QFile::exists(merged + QStringLiteral("/model.safetensors")));

        const QString gguf = dir.filePath(QStringLiteral("export/adapter.gguf"));
        w.exportGgufTo(gguf);
        QTRY_COMPARE_WITH_TIMEOUT(anyExport.count(), 3, 60000);
        QVERIFY2(anyExport.at(2).at(1).toBool(), qPrintable(anyExport.at(2).at(2).toString()));
        QFile g(gguf);
        QVERIFY(g.open(QIODevice::ReadOnly));
        QCOMPARE(g.read(4), QByteArray("GGUF"));
    }

    // The Evaluation tab after a run: the run is offered and checked; Evaluate by keyboard runs on a worker while the
    // UI keeps turning; the rows sort by their change in loss, filter as typed, and Enter on one opens the dataset
    // editor on that row's line. A second evaluation cancelled midway leaves the first results in place.
    void evaluationTabComparesAndLeadsToData() {
        QTemporaryDir dir;
        MainWindow w;
        w.show();
        w.activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(&w));
        QSignalSpy opened(&w, &MainWindow::projectOpened);
        w.openDemo(dir.filePath(QStringLiteral("demo")));
        QTRY_COMPARE_WITH_TIMEOUT(opened.count(), 1, 120000);
        QSignalSpy finished(&w, &MainWindow::trainingFinished);
        w.startTraining(30);
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 180000);

        EvalView* eval = w.evalView();
        w.showTool(eval);
        QTRY_COMPARE(eval->modelList()->count(), 1);
        QCOMPARE(eval->modelList()->item(0)->checkState(), Qt::Checked);
        QSignalSpy evaluated(eval, &EvalView::evaluated);
        int uiTurns = 0;
        QElapsedTimer clock;
        QTimer ticker;
        connect(&ticker, &QTimer::timeout, [&] { ++uiTurns; });
        ticker.start(20);
        clock.start();
        eval->evaluateButton()->setFocus();
        QTest::keyClick(eval->evaluateButton(), Qt::Key_Return);
        QVERIFY(eval->isRunning());
        QVERIFY(eval->cancelButton()->isEnabled());
        QTRY_COMPARE_WITH_TIMEOUT(evaluated.count(), 1, 120000);
        ticker.stop();
        QVERIFY2(evaluated.at(0).at(0).toBool(), qPrintable(eval->status()->text()));
        qInfo("UI event-loop turns during evaluation: %d in %lld ms", uiTurns, clock.elapsed());
        QVERIFY(uiTurns >= clock.elapsed() / 20 / 4);
        const auto report = eval->report();
        QCOMPARE(eval->table()->model()->rowCount(), int(report->rows.size()));
        QCOMPARE(eval->summary()->rowCount(), 2);
        QVERIFY(eval->lossScatter()->graphCount() >= 1);

        // Regressions first (Alt+G, which clicks the button a moment later): the rows in descending change of loss.
        eval->table()->setFocus();
        QTest::keyClick(eval->table(), Qt::Key_G, Qt::AltModifier);
        const int delta = eval->model()->deltaColumn(1);
        QTRY_COMPARE(eval->proxy()->sortColumn(), delta);
        QCOMPARE(eval->proxy()->sortOrder(), Qt::DescendingOrder);
        for (int r = 1; r < eval->proxy()->rowCount(); ++r)
            QVERIFY(eval->proxy()->index(r - 1, delta).data(EvalTableModel::SortRole).toDouble() >=
                    eval->proxy()->index(r, delta).data(EvalTableModel::SortRole).toDouble());

        // Enter on the current row: the dataset editor, on that row.
        eval->table()->setFocus();
        const QModelIndex current = eval->proxy()->index(0, EvalTableModel::PromptColumn);
        eval->table()->setCurrentIndex(current);
        const int line = current.data(EvalTableModel::LineRole).toInt();
        QTest::keyClick(eval->table(), Qt::Key_Return);
        QTRY_COMPARE(w.tools()->currentWidget(), static_cast<QWidget*>(w.datasetEditor()));
        QTRY_VERIFY(!w.datasetEditor()->isLoading());
        QTRY_COMPARE(w.datasetEditor()->selectedRows().size(), 1);
        QCOMPARE(w.datasetEditor()->model()->rows().at(w.datasetEditor()->selectedRows().front()).line, line);

        // The filter, typed: only rows whose text holds it.
        w.showTool(eval);
        QString word;  // typed key by key, so an ASCII word of some row (the demo mixes Korean and English)
        for (const auto& row : report->rows)
            for (const QString& w : QString::fromStdString(row.prompt).split(QLatin1Char(' ')))
                if (word.isEmpty() && w.size() >= 4 && std::all_of(w.begin(), w.end(), [](QChar c) { return c.isLetter() && c.unicode() < 128; }))
                    word = w;
        if (word.isEmpty()) word = QString::number(report->rows.front().line);
        eval->filter()->setFocus();
        QTest::keyClicks(eval->filter(), word);
        QVERIFY(eval->proxy()->rowCount() >= 1);
        QVERIFY(eval->proxy()->rowCount() <= int(report->rows.size()));
        for (int r = 0; r < eval->proxy()->rowCount(); ++r) {
            QString rowText;
            for (int c = 0; c < eval->proxy()->columnCount(); ++c) rowText += eval->proxy()->index(r, c).data().toString();
            QVERIFY(rowText.contains(word, Qt::CaseInsensitive));
        }

        // Cancelled at once: the first results stay.
        eval->evaluate();
        QVERIFY(eval->isRunning());
        QTest::mouseClick(eval->cancelButton(), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(evaluated.count(), 2, 60000);
        QCOMPARE(evaluated.at(1).at(0).toBool(), false);
        QVERIFY(eval->status()->text().contains(QStringLiteral("cancelled")));
        QCOMPARE(eval->report(), report);

        // Two runs side by side: a column of each per measure, a change in loss against the base for each, a row of
        // the summary and a cloud of points each.
        auto two = std::make_shared<ft::EvalReport>(*report);
        two->sides.push_back({"second", "elsewhere", report->sides[1].scores});
        for (auto& row : two->rows) {
            row.answers.push_back(row.answers[1]);
            row.answers.back().loss = row.answers[0].loss + 0.25;
            row.answers.back().text = "other";
        }
        eval->showReport(two);
        EvalTableModel* model = eval->model();
        QCOMPARE(model->columnCount(), EvalTableModel::FirstSideColumn + 5 * 3 - 1);
        QCOMPARE(model->headerData(model->answerColumn(2), Qt::Horizontal, Qt::DisplayRole).toString(), QStringLiteral("second answer"));
        QCOMPARE(model->headerData(model->deltaColumn(2), Qt::Horizontal, Qt::DisplayRole).toString(), QStringLiteral("Δ loss second"));
        QCOMPARE(model->index(0, model->deltaColumn(2)).data(EvalTableModel::SortRole).toDouble(), 0.25);
        QCOMPARE(model->index(0, model->answerColumn(2)).data().toString(), QStringLiteral("other"));
        QCOMPARE(eval->summary()->rowCount(), 3);
        QCOMPARE(eval->lossScatter()->graphCount(), 3);  // two runs and the diagonal
    }

    void exportBeforeTrainingIsRefused() {
        MainWindow w;
        QSignalSpy exported(&w, &MainWindow::adapterExported);
        QSignalSpy anyExport(&w, &MainWindow::exportFinished);
        w.exportAdapterTo(QStringLiteral("/nonexistent/adapter"));
        QTRY_COMPARE(exported.count(), 1);
        QCOMPARE(exported.at(0).at(0).toBool(), false);
        w.exportMergedTo(QStringLiteral("/nonexistent/merged"));
        w.exportGgufTo(QStringLiteral("/nonexistent/a.gguf"));
        QTRY_COMPARE(anyExport.count(), 3);
        QCOMPARE(anyExport.at(1).at(1).toBool(), false);
        QCOMPARE(anyExport.at(2).at(1).toBool(), false);
    }

    void quantizationInspectorMatchesCore() {
        const QString model = demoModel();
        QuantizationInspector q;
        q.show();
        QSignalSpy opened(&q, &QuantizationInspector::sourceOpened);
        QSignalSpy inspected(&q, &QuantizationInspector::inspected);
        q.openSource(model);
        QTRY_COMPARE_WITH_TIMEOUT(opened.count(), 1, 30000);
        QVERIFY2(opened.at(0).at(0).toBool(), qPrintable(opened.at(0).at(1).toString()));
        const QString name = QStringLiteral("model.layers.0.self_attn.q_proj.weight");
        QVERIFY(q.tensorNames().contains(name));
        QTRY_COMPARE_WITH_TIMEOUT(inspected.count(), 1, 30000);  // the first tensor, right after opening
        q.selectTensor(name);
        QTRY_VERIFY_WITH_TIMEOUT(inspected.count() >= 2 && q.inspection().tensor.name == name && !q.isBusy(), 30000);
        QVERIFY2(q.inspection().error.isEmpty(), qPrintable(q.inspection().error));

        // The table's NF4 row is what core reports for the same tensor (`ftstudio-cli quantize --method nf4`).
        ft::QuantOptions nf4;
        const ft::QuantReport core = ft::quantizeTensors(model.toStdString(), name.toStdString(), nf4);
        QCOMPARE(q.resultModel()->rowCount(), 4);
        QCOMPARE(q.resultModel()->index(0, QuantResultModel::Mse).data(Qt::UserRole).toDouble(), core.tensors.front().error.mse);
        QCOMPARE(q.resultModel()->index(0, QuantResultModel::Bytes).data(Qt::UserRole).toLongLong(),
                 qlonglong(core.tensors.front().error.bytes));
        QVERIFY(q.inspection().absmax > 0);
        double histogramTotal = 0;
        for (double c : q.inspection().blockNormalized.counts) histogramTotal += c;
        QCOMPARE(qint64(histogramTotal), q.inspection().tensor.numel);
        QVERIFY(!normalizedLevels(ft::QuantMethod::Nf4, q.inspection()).empty());

        // Every layer with int8: the same tensors and numbers as core's report.
        QSignalSpy scanned(&q, &QuantizationInspector::scanned);
        q.setMethod(ft::QuantMethod::Int8Sym);
        q.scanModel();
        QTRY_COMPARE_WITH_TIMEOUT(scanned.count(), 1, 60000);
        QVERIFY(scanned.at(0).at(0).toBool());
        const ft::QuantReport all = ft::quantizeTensors(model.toStdString(), std::nullopt, defaultQuantOptions(ft::QuantMethod::Int8Sym, 64));
        QCOMPARE(q.scan().report.tensors.size(), all.tensors.size());
        QCOMPARE(q.scan().report.tensors.back().error.mse, all.tensors.back().error.mse);

        QTemporaryDir out;
        QString error;
        QVERIFY2(q.exportTo(out.path(), &error), qPrintable(error));
        for (const char* f : {"value_histogram.png", "error_histogram.png", "layers.png", "value_histogram.csv",
                              "error_histogram.csv", "methods.csv", "layers.csv"})
            QVERIFY2(QFileInfo(out.filePath(QLatin1String(f))).size() > 0, f);
        QCOMPARE(readLines(out.filePath(QStringLiteral("methods.csv"))).size(), 1 + 4);
        QCOMPARE(readLines(out.filePath(QStringLiteral("layers.csv"))).size(), 1 + int(all.tensors.size()));
    }

    // Issue 16, at the main window's default size: the methods table shows all its rows without scrolling, the value
    // histogram's legend hides no bar or level line, and every bar of the layer scan has its name, the last one too
    // (QCustomPlot skips a tick label that would cross the widget's border).
    void quantizationInspectorShowsEverything() {
        const QString model = demoModel();
        MainWindow w;
        w.resize(1100, 760);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        auto* q = w.findChild<QuantizationInspector*>(QStringLiteral("quantizationInspector"));
        QVERIFY(q);
        QTabWidget* tabs = nullptr;
        for (QWidget* p = q->parentWidget(); p && !tabs; p = p->parentWidget()) tabs = qobject_cast<QTabWidget*>(p);
        QVERIFY(tabs);
        tabs->setCurrentWidget(q);
        QSignalSpy inspected(q, &QuantizationInspector::inspected);
        q->openSource(model);
        QTRY_VERIFY_WITH_TIMEOUT(inspected.count() >= 1 && !q->isBusy(), 30000);
        QVERIFY(inspected.last().at(0).toBool());

        auto* table = q->findChild<QTableView*>(QStringLiteral("methodTable"));
        QVERIFY(table);
        QCOMPARE(q->resultModel()->rowCount(), 4);
        QCoreApplication::processEvents();
        QCOMPARE(table->verticalScrollBar()->maximum(), 0);
        for (int r = 0; r < q->resultModel()->rowCount(); ++r) {
            const QRect cell = table->visualRect(q->resultModel()->index(r, 0));
            QVERIFY2(table->viewport()->rect().contains(cell),
                     qPrintable(QStringLiteral("row %1 at y %2..%3, viewport height %4")
                                    .arg(r).arg(cell.top()).arg(cell.bottom()).arg(table->viewport()->height())));
        }

        auto* values = q->findChild<QCustomPlot*>(QStringLiteral("valuePlot"));
        QVERIFY(values);
        values->replot(QCustomPlot::rpImmediateRefresh);
        QVERIFY(values->legend->visible());
        const QRectF legend = values->legend->outerRect();
        QVERIFY(!legend.isEmpty());
        auto* bars = qobject_cast<QCPBars*>(values->plottable(0));
        QVERIFY(bars && values->graphCount() == 1);
        QCPAxis* vx = values->xAxis;
        QCPAxis* vy = values->yAxis;
        int checked = 0;
        for (auto it = bars->data()->constBegin(); it != bars->data()->constEnd(); ++it) {
            if (it->value <= 0 || !vx->range().contains(it->key)) continue;
            const QRectF bar = QRectF(QPointF(vx->coordToPixel(it->key - bars->width() / 2), vy->coordToPixel(it->value)),
                                      QPointF(vx->coordToPixel(it->key + bars->width() / 2), vy->coordToPixel(0.0)))
                                   .normalized();
            QVERIFY2(!legend.intersects(bar), qPrintable(QString::number(it->key)));
            ++checked;
        }
        const QCPGraph* levels = values->graph(0);
        for (auto it = levels->data()->constBegin(); it != levels->data()->constEnd(); ++it) {
            const double px = vx->coordToPixel(it->key);
            const QRectF line(QPointF(px - 1, vy->coordToPixel(it->value)), QPointF(px + 1, vy->coordToPixel(0.0)));
            QVERIFY2(!legend.intersects(line.normalized()), qPrintable(QString::number(it->key)));
            ++checked;
        }
        QVERIFY(checked > 16);

        QSignalSpy scanned(q, &QuantizationInspector::scanned);
        q->scanModel();
        QTRY_COMPARE_WITH_TIMEOUT(scanned.count(), 1, 60000);
        QVERIFY(scanned.at(0).at(0).toBool());
        auto* layers = q->findChild<QCustomPlot*>(QStringLiteral("layerPlot"));
        QVERIFY(layers);
        layers->replot(QCustomPlot::rpImmediateRefresh);
        layers->replot(QCustomPlot::rpImmediateRefresh);  // the second layout sees the first's axis width
        const int n = int(q->scan().report.tensors.size());
        QVERIFY(n > 8);
        QCPAxis* x = layers->xAxis;
        const QVector<double> ticks = x->tickVector();
        const QVector<QString> labels = x->tickVectorLabels();
        QCOMPARE(labels.size(), ticks.size());
        const QFontMetrics fm(x->tickLabelFont());
        const double rot = x->tickLabelRotation() / 180.0 * M_PI;
        for (int i = 0; i < n; ++i) {
            const qsizetype k = ticks.indexOf(double(i));
            QVERIFY2(k >= 0 && !labels[k].isEmpty(), qPrintable(QStringLiteral("bar %1 of %2 has no name").arg(i + 1).arg(n)));
            // Where QCustomPlot puts a bottom axis's outside label (QCPAxisPainterPrivate::getTickLabelDrawOffset).
            const QRect box = fm.boundingRect(0, 0, 0, 0, Qt::TextDontClip | Qt::AlignHCenter, labels[k]);
            const double px = x->coordToPixel(double(i)), w = box.width(), h = box.height();
            const double left = rot > 0   ? px + std::sin(rot) * h / 2
                                : rot < 0 ? px - std::cos(-rot) * w - std::sin(-rot) * h / 2
                                          : px - w / 2;
            const double width = std::abs(w * std::cos(rot)) + std::abs(h * std::sin(rot));
            QVERIFY2(left >= 0 && left + width <= layers->width() - 1,
                     qPrintable(QStringLiteral("the name of bar %1 spans %2..%3 of %4 px").arg(i + 1).arg(left).arg(left + width).arg(layers->width())));
        }
    }

    // Issue 16: a short run's step axis read 1, 1.5, 2, 2.5, 3 and the legend sat on the last validation point and
    // the learning rate line. Steps are whole numbers; the legend has a row of its own above the curves.
    void lossPlotTicksAndLegend() {
        LossPlot plot;
        plot.resize(800, 500);
        plot.show();
        QVERIFY(QTest::qWaitForWindowExposed(&plot));
        plot.addStep(1, 3.0, 1e-4, 900.0);
        plot.addStep(2, 2.2, 1e-4, 950.0);
        plot.addStep(3, 1.4, 1e-4, 1000.0);
        plot.addEvalLoss(3, 2.9);
        plot.flush();
        QCustomPlot* p = plot.plot();
        p->replot(QCustomPlot::rpImmediateRefresh);
        QCOMPARE(p->axisRectCount(), 2);
        for (QCPAxis* axis : {p->xAxis, p->axisRect(1)->axis(QCPAxis::atBottom)}) {
            const QVector<double> ticks = axis->tickVector();
            QVERIFY(ticks.size() >= 2);
            for (double t : ticks) QVERIFY2(t == std::round(t), qPrintable(QString::number(t)));
        }
        QVERIFY(p->legend->visible());
        QCOMPARE(p->legend->itemCount(), 4);
        const QRectF legend = p->legend->outerRect().adjusted(-3, -3, 3, 3);
        int points = 0;
        for (int g = 0; g < p->graphCount(); ++g) {
            const QCPGraph* graph = p->graph(g);
            for (auto it = graph->data()->constBegin(); it != graph->data()->constEnd(); ++it, ++points) {
                const QPointF at(graph->keyAxis()->coordToPixel(it->key), graph->valueAxis()->coordToPixel(it->value));
                QVERIFY2(!legend.contains(at), qPrintable(QStringLiteral("%1 at step %2").arg(graph->name()).arg(it->key)));
            }
        }
        QCOMPARE(points, 3 + 3 + 1 + 3 + 3);  // loss, smoothed, validation, learning rate, tokens/s

        // A longer run with validation near the end, high on the plot: where an inset legend would sit.
        for (int step = 4; step <= 20; ++step) plot.addStep(step, 3.0 - step * 0.1, 1e-4 * (1.0 - step / 40.0), 1000.0);
        for (int step : {14, 17, 20}) plot.addEvalLoss(step, 3.0 - step * 0.01);
        plot.flush();
        p->replot(QCustomPlot::rpImmediateRefresh);
        const QRectF legend2 = p->legend->outerRect().adjusted(-3, -3, 3, 3);
        for (int g = 0; g < p->graphCount(); ++g) {
            const QCPGraph* graph = p->graph(g);
            for (auto it = graph->data()->constBegin(); it != graph->data()->constEnd(); ++it) {
                const QPointF at(graph->keyAxis()->coordToPixel(it->key), graph->valueAxis()->coordToPixel(it->value));
                QVERIFY2(!legend2.contains(at), qPrintable(QStringLiteral("%1 at step %2").arg(graph->name()).arg(it->key)));
            }
        }
        plot.setThroughputVisible(false);  // the rows are rebuilt: the legend keeps its own
        plot.setThroughputVisible(true);
        QCOMPARE(p->plotLayout()->element(0, 0), static_cast<QCPLayoutElement*>(p->legend));
        QCOMPARE(p->plotLayout()->rowCount(), 3);

        // The tokens/s axis title goes through tr().
        struct OneWord : QTranslator {
            QString translate(const char* context, const char* source, const char*, int) const override {
                return qstrcmp(context, "LossPlot") == 0 && qstrcmp(source, "Tokens/s") == 0 ? QStringLiteral("토큰/초") : QString();
            }
            bool isEmpty() const override { return false; }
        } translator;
        QCoreApplication::installTranslator(&translator);
        LossPlot translated;
        QCoreApplication::removeTranslator(&translator);
        QCOMPARE(translated.plot()->axisRect(1)->axis(QCPAxis::atLeft)->label(), QStringLiteral("토큰/초"));
    }

    // A model folder, a project or a dataset dropped on the window opens as the File menu opens it; other things are
    // not accepted.
    void dropOpensModelsProjectsAndDatasets() {
        const QString model = demoModel();
        const QString demo = m_demoDir.filePath(QStringLiteral("demo"));
        QCOMPARE(pathKind(model), PathKind::ModelFolder);
        QCOMPARE(pathKind(model + QLatin1Char('/')), PathKind::ModelFolder);
        QCOMPARE(pathKind(demo + QStringLiteral("/project.json")), PathKind::Project);
        QCOMPARE(pathKind(demo + QStringLiteral("/data/train.jsonl")), PathKind::Dataset);
        QCOMPARE(pathKind(model + QStringLiteral("/config.json")), PathKind::Dataset);  // JSON, not a project
        QCOMPARE(pathKind(demo + QStringLiteral("/data")), PathKind::Unsupported);     // a folder without config.json
        QCOMPARE(pathKind(model + QStringLiteral("/model.safetensors")), PathKind::Unsupported);

        MainWindow w;
        w.show();
        QSignalSpy models(&w, &MainWindow::modelOpened);
        QSignalSpy projects(&w, &MainWindow::projectOpened);
        QSignalSpy datasets(&w, &MainWindow::datasetOpened);
        QVERIFY(!dropOn(&w, {model + QStringLiteral("/model.safetensors")}));
        QVERIFY(!dropOn(&w, {demo + QStringLiteral("/data")}));
        QCOMPARE(models.count() + projects.count() + datasets.count(), 0);

        QVERIFY(dropOn(&w, {model + QLatin1Char('/')}));  // file managers end folder URLs with a slash
        QCOMPARE(models.count(), 1);
        QCOMPARE(models.at(0).at(0).toString(), model);
        QVERIFY(dropOn(&w, {demo + QStringLiteral("/data/train.jsonl")}));
        QCOMPARE(datasets.count(), 1);
        QCOMPARE(w.tools()->currentWidget(), static_cast<QWidget*>(w.datasetEditor()));
        QTRY_VERIFY_WITH_TIMEOUT(w.datasetEditor()->filePath().endsWith(QStringLiteral("train.jsonl")) && !w.datasetEditor()->isLoading(), 60000);
        QVERIFY(dropOn(&w, {demo + QStringLiteral("/project.json")}));
        QCOMPARE(projects.count(), 1);
        QCOMPARE(w.projectFile(), demo + QStringLiteral("/project.json"));

        // On the wizard: a model folder dropped on the Model page opens there.
        w.openWizard();
        FineTuneWizard* wizard = w.wizard();
        QVERIFY(wizard);
        wizard->next();
        QCOMPARE(wizard->currentId(), int(FineTuneWizard::Model));
        QTRY_VERIFY_WITH_TIMEOUT(wizard->modelPage()->isComplete(), 60000);
        QVERIFY(!dropOn(wizard, {demo + QStringLiteral("/data/train.jsonl")}));  // not a model: refused here
        QTemporaryDir other;
        ft::makeDemo(other.path().toStdString());
        QVERIFY(dropOn(wizard, {other.filePath(QStringLiteral("model"))}));
        QTRY_VERIFY_WITH_TIMEOUT(wizard->modelPage()->isComplete() && wizard->modelPage()->model()->dir == other.filePath(QStringLiteral("model")), 60000);
        wizard->close();
    }

    // The guided tour walks the wizard: a tip per control, Next moving the wizard on (after the page is ready), the
    // bubble following the user's own navigation, and the training page holding it until a run has finished.
    void guidedTourWalksTheWizard() {
        QTemporaryDir dir;
        MainWindow w;
        w.show();
        QSignalSpy opened(&w, &MainWindow::projectOpened);
        w.openDemo(dir.filePath(QStringLiteral("demo")));
        QTRY_COMPARE_WITH_TIMEOUT(opened.count(), 1, 120000);
        QVERIFY(w.findChild<QAction*>(QStringLiteral("actionGuidedTour")));
        w.findChild<QAction*>(QStringLiteral("actionGuidedTour"))->trigger();
        FineTuneWizard* wizard = w.wizard();
        WizardTour* tour = w.wizardTour();
        QVERIFY(wizard && tour);
        QVERIFY(wizard->isVisible());
        QCOMPARE(wizard->currentId(), int(FineTuneWizard::Goal));
        QCOMPARE(tour->stepIndex(), 0);
        QVERIFY(tour->bubble()->isVisible());
        QCOMPARE(tour->target()->objectName(), QStringLiteral("goalInstruct"));

        // Every step names a control that exists on its page, in page order.
        const auto steps = WizardTour::steps();
        int lastPage = -1;
        for (const auto& step : steps) {
            QVERIFY(step.page >= lastPage);
            lastPage = step.page;
            QVERIFY2(!step.target.isEmpty() && wizard->page(step.page)->findChild<QWidget*>(step.target), qPrintable(step.target));
        }

        // Next goes on to the Model page (once the model has loaded), then to its second tip.
        tour->next();
        QTRY_COMPARE_WITH_TIMEOUT(wizard->currentId(), int(FineTuneWizard::Model), 60000);
        QCOMPARE(tour->target()->objectName(), QStringLiteral("modelPath"));
        // The bubble lies inside the wizard and off the control it frames.
        const QRect bubble = tour->bubble()->geometry();
        QVERIFY(wizard->rect().contains(bubble));
        const QRect target(tour->target()->mapTo(wizard, QPoint(0, 0)), tour->target()->size());
        QVERIFY(!bubble.intersects(target));
        tour->next();
        QCOMPARE(tour->target()->objectName(), QStringLiteral("modelFacts"));
        tour->back();
        QCOMPARE(tour->target()->objectName(), QStringLiteral("modelPath"));

        // The user's own navigation moves the bubble.
        QTRY_VERIFY_WITH_TIMEOUT(wizard->modelPage()->isComplete(), 60000);
        wizard->next();
        QCOMPARE(wizard->currentId(), int(FineTuneWizard::Dataset));
        QCOMPARE(tour->target()->objectName(), QStringLiteral("datasetPath"));
        for (int page : {FineTuneWizard::Formatting, FineTuneWizard::Method, FineTuneWizard::Train}) {
            while (wizard->currentId() != page) {
                const int before = tour->stepIndex();
                tour->next();
                QTRY_VERIFY_WITH_TIMEOUT(tour->stepIndex() != before || wizard->currentId() == page, 60000);
            }
        }
        QCOMPARE(tour->target()->objectName(), QStringLiteral("startTraining"));
        // The Train page is complete only after a run: Next waits and says so, without moving the wizard.
        tour->next();
        QVERIFY(tour->isWaiting());
        QCOMPARE(wizard->currentId(), int(FineTuneWizard::Train));
        QVERIFY(tour->bubble()->isVisible());

        QSignalSpy ended(tour, &WizardTour::ended);
        tour->end();
        QCOMPARE(ended.count(), 1);
        QVERIFY(!tour->bubble()->isVisible());
        wizard->next();  // ended: no longer follows
        QVERIFY(!tour->bubble()->isVisible());
        wizard->close();
    }

    // A run cancelled after a checkpoint continues from it: Resume from Checkpoint is offered, the curve is drawn from
    // step 1 again (the history in metrics.jsonl, then the new steps) and the run finishes at its own total.
    void resumesFromCheckpoint() {
        QTemporaryDir dir;
        const QString demo = dir.filePath(QStringLiteral("demo"));
        ft::makeDemo(demo.toStdString());
        const QString projectFile = demo + QStringLiteral("/project.json");
        ft::Project p = ft::loadProject(projectFile.toStdString());
        p.training.checkpointEvery = 4;
        ft::saveProject(p, projectFile.toStdString());

        MainWindow w;
        w.show();
        w.openProject(projectFile);
        QAction* resume = w.findChild<QAction*>(QStringLiteral("actionResumeTraining"));
        QVERIFY(resume);
        QVERIFY(!resume->isEnabled());  // no run yet
        QSignalSpy finished(&w, &MainWindow::trainingFinished);
        QSignalSpy resumed(w.controller(), &TrainingController::resumedFrom);
        int total = 0;
        auto cancelAt = connect(w.controller(), &TrainingController::stepReported, &w, [&](int step, int totalSteps) {
            total = totalSteps;
            if (step >= 9) w.controller()->cancel();
        });
        w.startTraining();
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 120000);
        QCOMPARE(finished.at(0).at(0).toBool(), false);  // cancelled
        disconnect(cancelAt);
        QVERIFY(total > 20);
        const auto run = w.document()->selectedRun();  // the run just stopped, in its own folder
        QVERIFY(run);
        const auto progress = ft::runProgress(run->dir);
        QVERIFY(progress && progress->step >= 8 && progress->step < total);
        QTRY_VERIFY(resume->isEnabled());

        resume->trigger();
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 2, 120000);
        QVERIFY(finished.at(1).at(0).toBool());
        QCOMPARE(resumed.count(), 1);
        QCOMPARE(resumed.at(0).at(0).toInt(), progress->step);
        w.lossPlot()->flush();
        QCOMPARE(w.lossPlot()->trainPointCount(), total);  // every step once: history, then the rest
        QVERIFY(w.lossPlot()->evalPointCount() >= 1);
        QTemporaryDir out;
        QVERIFY(w.lossPlot()->saveCsv(out.filePath(QStringLiteral("curve.csv"))));
        const QStringList rows = readLines(out.filePath(QStringLiteral("curve.csv")));
        QCOMPARE(rows.size(), 1 + total);
        for (int i = 1; i <= total; ++i) QVERIFY2(rows[i].startsWith(QString::number(i) + QLatin1Char(',')), qPrintable(rows[i]));
        QVERIFY(!resume->isEnabled());  // finished: nothing to resume
    }

    void quantizationInspectorReportsBadSource() {
        QuantizationInspector q;
        QSignalSpy opened(&q, &QuantizationInspector::sourceOpened);
        q.openSource(QStringLiteral("/nonexistent/model.safetensors"));
        QTRY_COMPARE_WITH_TIMEOUT(opened.count(), 1, 10000);
        QCOMPARE(opened.at(0).at(0).toBool(), false);
        QVERIFY(!opened.at(0).at(1).toString().isEmpty());
    }
};

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
