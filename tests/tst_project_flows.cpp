// A user's first day, through the real window and wizard with mouse and keyboard: a new project goes on page by page
// without "cannot open" errors; the wizard and the main window share one project and one run (a wizard run is the
// Training tab's run, a restart shows the last run, a reopened wizard remembers it, a stopped run still exports); the
// Chat Template tab's choice is the project's template; every run keeps its own checkpoints.

#include "LossPlot.h"
#include "MainWindow.h"
#include "ProjectDocument.h"
#include "TrainingController.h"
#include "TrainingView.h"
#include "inspectors/ChatTemplatePresets.h"
#include "inspectors/ChatTemplatePreview.h"
#include "inspectors/TokenInspector.h"
#include "wizard/DatasetPage.h"
#include "wizard/ExportPage.h"
#include "wizard/FineTuneWizard.h"
#include "wizard/ModelPage.h"
#include "wizard/TrainPage.h"

#include "core/demo/demo.h"
#include "core/project/project.h"
#include "core/train/run_folder.h"

#include <QAbstractButton>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

namespace {

QList<QMessageBox*> visibleMessageBoxes() {
    QList<QMessageBox*> boxes;
    for (QWidget* w : QApplication::topLevelWidgets())
        if (auto* box = qobject_cast<QMessageBox*>(w); box && box->isVisible()) boxes << box;
    return boxes;
}

QString messageTexts() {
    QStringList texts;
    for (QMessageBox* box : visibleMessageBoxes()) texts << box->text();
    return texts.join(QLatin1Char('\n'));
}

// Next as the user presses it: a mouse click on the wizard's Next button.
void clickNext(QWizard* wizard) {
    QAbstractButton* next = wizard->button(QWizard::NextButton);
    QVERIFY(next->isVisible());
    // The page decides (a model or dataset still loading on a worker); the button follows it.
    QTRY_VERIFY_WITH_TIMEOUT(wizard->currentPage()->isComplete() && next->isEnabled(), 60000);
    QTest::mouseClick(next, Qt::LeftButton);
}

// From Goal to Train on a project whose model and dataset are set: each page finishes loading before Next.
void walkToTrain(FineTuneWizard* wizard) {
    QCOMPARE(wizard->currentId(), int(FineTuneWizard::Goal));
    for (int page : {FineTuneWizard::Model, FineTuneWizard::Dataset, FineTuneWizard::Formatting, FineTuneWizard::Method,
                     FineTuneWizard::Train}) {
        // The focus where a user leaves it: in the page's path field, when it has one.
        if (auto* path = wizard->currentPage()->findChild<QLineEdit*>()) path->setFocus();
        clickNext(wizard);
        QCOMPARE(wizard->currentId(), page);  // at once: a click on Next with the focus in a path field goes on
    }
}

QProgressBar* progressOf(QWidget* view) { return view->findChild<QProgressBar*>(); }

} // namespace

class TestProjectFlows : public QObject {
    Q_OBJECT
private:
    QString makeDemoProject(const QTemporaryDir& dir, int checkpointEvery = 50) {
        const QString demo = dir.filePath(QStringLiteral("demo"));
        ft::makeDemo(demo.toStdString());
        const QString file = demo + QStringLiteral("/project.json");
        ft::Project p = ft::loadProject(file.toStdString());
        p.training.checkpointEvery = checkpointEvery;
        ft::saveProject(p, file.toStdString());
        return file;
    }

private slots:
    void initTestCase() {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("FinetuneStudioTest"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_project_flows"));
        QSettings().clear();
    }

    // File ▸ New Fine-tune…, then Next on Goal and Model: a new project is incomplete by nature, so no "Cannot open
    // project — a required field is missing" pop-up, and the wizard keeps the keyboard focus.
    void newProjectGoesOnPageByPage() {
        QTemporaryDir dir;
        QTemporaryDir demoDir;
        ft::makeDemo(demoDir.filePath(QStringLiteral("demo")).toStdString());
        const QString file = dir.filePath(QStringLiteral("mine/project.json"));
        QDir().mkpath(dir.filePath(QStringLiteral("mine")));
        MainWindow w;
        w.show();
        w.openWizard(file);
        FineTuneWizard* wizard = w.wizard();
        QVERIFY(wizard && wizard->isVisible());
        QCOMPARE(w.projectFile(), file);
        QVERIFY(QFile::exists(file));
        QVERIFY(w.document()->project().model.empty());

        clickNext(wizard);
        QCOMPARE(wizard->currentId(), int(FineTuneWizard::Model));
        QTest::qWait(50);
        QVERIFY2(visibleMessageBoxes().isEmpty(), qPrintable(messageTexts()));
        const ft::Project saved = ft::loadProject(file.toStdString());  // incomplete, but a project
        QVERIFY(saved.model.empty() && saved.dataset.empty());

        wizard->modelPage()->openFolder(demoDir.filePath(QStringLiteral("demo/model")));
        QTRY_VERIFY_WITH_TIMEOUT(wizard->modelPage()->isComplete(), 60000);
        clickNext(wizard);
        QCOMPARE(wizard->currentId(), int(FineTuneWizard::Dataset));
        QTest::qWait(50);
        QVERIFY2(visibleMessageBoxes().isEmpty(), qPrintable(messageTexts()));
        QVERIFY(!ft::loadProject(file.toStdString()).model.empty());
        // The main window follows the same document: it shows the new project, not an error.
        QCOMPARE(w.document()->project().model, ft::loadProject(file.toStdString()).model);
        QVERIFY(w.windowTitle().contains(QStringLiteral("project")));
        QTRY_COMPARE(QApplication::activeWindow(), static_cast<QWidget*>(wizard));
        wizard->close();
    }

    // A run started in the wizard is the main window's run; a restart shows it; a reopened wizard remembers it.
    void wizardAndWindowShareTheRun() {
        QTemporaryDir dir;
        const QString file = makeDemoProject(dir);
        {
            MainWindow w;
            w.show();
            w.openProject(file);
            w.openWizard();
            FineTuneWizard* wizard = w.wizard();
            walkToTrain(wizard);
            QVERIFY(!wizard->button(QWizard::NextButton)->isEnabled());  // no run yet
            // One Cancel on the Train page (the wizard's, which closes it); the page's own button stops the run.
            int cancels = 0;
            for (QAbstractButton* b : wizard->findChildren<QAbstractButton*>())
                if (b->isVisible() && b->text().remove(QLatin1Char('&')) == QLatin1String("Cancel")) ++cancels;
            QCOMPARE(cancels, 1);
            // The summary names the method and the files as a person would ("LoRA", not "Method lora").
            bool summary = false;
            for (QLabel* l : wizard->trainPage()->findChildren<QLabel*>())
                summary = summary || l->text().startsWith(QLatin1String("LoRA on the model in "));
            QVERIFY(summary);

            // Three steps, typed and clicked as a user does.
            auto* steps = wizard->trainPage()->findChild<QSpinBox*>();
            QVERIFY(steps);
            steps->setFocus();
            steps->selectAll();
            QTest::keyClicks(steps, QStringLiteral("3"));
            QSignalSpy finished(&w, &MainWindow::trainingFinished);
            QTest::mouseClick(wizard->trainPage()->findChild<QPushButton*>(QStringLiteral("startTraining")), Qt::LeftButton);
            QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 180000);
            QVERIFY(finished.at(0).at(0).toBool());

            // The Training tab drew the wizard's run.
            w.lossPlot()->flush();
            QCOMPARE(w.lossPlot()->trainPointCount(), 3);
            QCOMPARE(progressOf(w.trainingView())->value(), 3);
            QCOMPARE(progressOf(w.trainingView())->maximum(), 3);
            // The run is the project's newest, and the Export menu says so.
            QCOMPARE(int(w.document()->runs().size()), 1);
            const ft::RunInfo run = *w.document()->selectedRun();
            QCOMPARE(run.state, ft::RunState::Finished);
            QVERIFY(w.findChild<QAction*>(QStringLiteral("actionExportAdapter"))->isEnabled());
            QVERIFY(w.findChild<QAction*>(QStringLiteral("actionExportRunInfo"))->text().contains(QString::fromStdString(run.id)));
            QTRY_VERIFY(wizard->button(QWizard::NextButton)->isEnabled());
            wizard->close();
            QTRY_VERIFY(!w.wizard());

            // Reopened, the wizard remembers the finished run: Train is complete without training again.
            w.openWizard();
            walkToTrain(w.wizard());
            QTRY_VERIFY(w.wizard()->button(QWizard::NextButton)->isEnabled());
            QCOMPARE(w.wizard()->trainPage()->lossPlot()->trainPointCount(), 3);

            // Evaluate is optional: Next goes on without running it.
            clickNext(w.wizard());
            QCOMPARE(w.wizard()->currentId(), int(FineTuneWizard::Evaluate));
            // Export: Enter in the path field exports there; it does not press Finish.
            clickNext(w.wizard());
            QCOMPARE(w.wizard()->currentId(), int(FineTuneWizard::Export));
            auto* path = w.wizard()->exportPage()->findChild<QLineEdit*>();
            QVERIFY(path);
            QSignalSpy exported(w.wizard()->exportPage(), &ExportPage::exported);
            path->setFocus();
            path->selectAll();
            const QString target = dir.filePath(QStringLiteral("typed/adapter"));
            QTest::keyClicks(path, target);
            QTest::keyClick(path, Qt::Key_Return);
            QTRY_COMPARE_WITH_TIMEOUT(exported.count(), 1, 60000);
            QVERIFY2(exported.at(0).at(0).toBool(), qPrintable(exported.at(0).at(1).toString()));
            QVERIFY(QFile::exists(target + QStringLiteral("/adapter_config.json")));
            QVERIFY(w.wizard() && w.wizard()->isVisible());
            w.wizard()->close();
        }
        // After a restart the last run's curve is there.
        MainWindow again;
        again.show();
        again.openProject(file);
        again.lossPlot()->flush();
        QCOMPARE(again.lossPlot()->trainPointCount(), 3);
        QCOMPARE(progressOf(again.trainingView())->value(), 3);
        QVERIFY(again.findChild<QAction*>(QStringLiteral("actionExportAdapter"))->isEnabled());
    }

    // Two runs of one project keep their own checkpoints: a short finished run first, then a longer one stopped after
    // its step-8 checkpoint can still be resumed and exported (pruning used to keep the older run's higher steps).
    void stoppedRunKeepsItsCheckpoint() {
        QTemporaryDir dir;
        const QString file = makeDemoProject(dir, /*checkpointEvery=*/4);
        MainWindow w;
        w.show();
        w.openProject(file);
        QSignalSpy finished(&w, &MainWindow::trainingFinished);
        w.startTraining(14);
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 180000);
        QVERIFY(finished.at(0).at(0).toBool());

        auto cancelAt = connect(w.controller(), &TrainingController::stepReported, &w, [&](int step) {
            if (step >= 9) w.controller()->cancel();
        });
        w.startTraining();
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 2, 180000);
        QVERIFY(!finished.at(1).at(0).toBool());
        disconnect(cancelAt);

        QCOMPARE(int(w.document()->runs().size()), 2);
        const ft::RunInfo stopped = *w.document()->selectedRun();
        QCOMPARE(stopped.state, ft::RunState::Cancelled);
        QVERIFY(QFile::exists(QString::fromStdString((stopped.latestCheckpoint / "trainer_state.json").string())));
        QCOMPARE(stopped.latestCheckpoint.filename().string(), std::string("step-000008"));
        QVERIFY(w.findChild<QAction*>(QStringLiteral("actionResumeTraining"))->isEnabled());

        // Export takes the stopped run's last checkpoint.
        QAction* exportAdapter = w.findChild<QAction*>(QStringLiteral("actionExportAdapter"));
        QVERIFY(exportAdapter->isEnabled());
        QSignalSpy exported(&w, &MainWindow::adapterExported);
        const QString target = dir.filePath(QStringLiteral("exported"));
        w.exportAdapterTo(target);
        QTRY_COMPARE_WITH_TIMEOUT(exported.count(), 1, 60000);
        QVERIFY2(exported.at(0).at(0).toBool(), qPrintable(exported.at(0).at(1).toString()));
        QVERIFY(QFile::exists(target + QStringLiteral("/adapter_model.safetensors")));

        // The first run is untouched and can still be chosen for export.
        const ft::RunInfo first = w.document()->runs().front();
        QCOMPARE(first.state, ft::RunState::Finished);
        QCOMPARE(first.stepsDone, 14);
        QVERIFY(!first.adapter.empty());
    }

    // Choosing a template in the Chat Template tab makes it the project's (saved) and the token inspector's.
    void chatTemplateTabSetsTheProjectTemplate() {
        QTemporaryDir dir;
        const QString file = makeDemoProject(dir);
        MainWindow w;
        w.show();
        QSignalSpy loaded(w.tokenInspector(), &TokenInspector::modelLoaded);
        w.openProject(file);
        QTRY_COMPARE_WITH_TIMEOUT(loaded.count(), 1, 60000);
        auto* preview = w.findChild<ChatTemplatePreview*>();
        w.showTool(preview);
        auto* source = preview->findChild<QComboBox*>();
        QVERIFY(source);
        QCOMPARE(source->currentIndex(), 0);  // the model's own
        source->setFocus();
        QTest::keyClick(source, Qt::Key_Down);  // the first preset
        const QString preset = chatTemplatePresets().front().source;
        QTRY_COMPARE(QString::fromStdString(ft::loadProject(file.toStdString()).chatTemplate), preset);
        QCOMPARE(QString::fromStdString(w.document()->project().chatTemplate), preset);
        QCOMPARE(w.tokenInspector()->chatTemplate(), preset);
        QVERIFY(!w.isWindowModified());

        QTest::keyClick(source, Qt::Key_Up);  // back to the model's own
        QTRY_VERIFY(ft::loadProject(file.toStdString()).chatTemplate.empty());
        QVERIFY(w.tokenInspector()->chatTemplate().isEmpty());
    }
};

QTEST_MAIN(TestProjectFlows)
#include "tst_project_flows.moc"
