// The GUI on the offscreen platform: open the demo, train a few steps in the core's thread while the window stays
// responsive, see the curves plotted and exported as CSV, export the adapter three ways on workers; menus, settings,
// recent files and undo wiring; the Quantization inspector against core's quantize report.

#include "AppSettings.h"
#include "LossPlot.h"
#include "MainWindow.h"
#include "QuantResultModel.h"
#include "QuantizationInspector.h"
#include "RecentFilesMenu.h"
#include "SettingsDialog.h"
#include "TrainingController.h"
#include "dataset/DatasetEditor.h"
#include "inspectors/TokenInspector.h"
#include "wizard/FineTuneWizard.h"

#include "core/demo/demo.h"
#include "core/quant/quant_report.h"

#include <QComboBox>
#include <QLineEdit>
#include <QMenu>
#include <QMenuBar>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QUndoGroup>
#include <QUndoStack>
#include <QtTest>

namespace {

QStringList readLines(const QString& path) {
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) return {};
    return QString::fromUtf8(f.readAll()).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
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
