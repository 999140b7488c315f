// The fine-tuning wizard driven page by page on the built-in demo: model and dataset opened on workers, the template
// rendered and tokenized, LoRA chosen with a live estimate, a few training steps, the adapter exported, both models
// asked side by side, and the choices found again in the reopened project file.

#include "LossPlot.h"
#include "inspectors/ChatTemplatePreview.h"
#include "inspectors/TokenChipView.h"
#include "inspectors/TokenInspector.h"
#include "EvalView.h"
#include "wizard/DatasetPage.h"
#include "wizard/EvaluatePage.h"
#include "wizard/ExportPage.h"
#include "wizard/FineTuneWizard.h"
#include "wizard/FormattingPage.h"
#include "wizard/GoalPage.h"
#include "wizard/LoraPanel.h"
#include "wizard/MethodPage.h"
#include "wizard/ModelPage.h"
#include "wizard/SideBySideChat.h"
#include "wizard/TrainPage.h"

#include "core/demo/demo.h"
#include "core/io/atomic_file.h"
#include "core/project/project.h"
#include "core/train/run_folder.h"
#include "wizard/TrainingSettingsBox.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFileInfo>
#include <QLineEdit>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QTableView>
#include <QTableWidget>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

// Goal → Model → Data → Formatting → Method, waiting for the pages that load on workers.
void walkToMethodPage(FineTuneWizard& w) {
    w.next();
    QTRY_VERIFY_WITH_TIMEOUT(w.modelPage()->isComplete(), 60000);
    w.next();
    QTRY_VERIFY_WITH_TIMEOUT(w.datasetPage()->isComplete(), 60000);
    w.next();
    w.next();
}

class TestWizard : public QObject {
    Q_OBJECT
private slots:
    void walksTheDemoThroughEveryPage() {
        QTemporaryDir dir;
        const QString demo = dir.filePath(QStringLiteral("demo"));
        ft::makeDemo(demo.toStdString());
        const QString projectFile = demo + QStringLiteral("/project.json");

        FineTuneWizard w;
        QVERIFY2(w.openProject(projectFile), qPrintable(w.lastError()));
        w.show();

        // 1 Goal
        QCOMPARE(w.currentId(), int(FineTuneWizard::Goal));
        QVERIFY(w.goalPage()->isInstruct());
        w.next();

        // 2 Model: opened on a worker
        QCOMPARE(w.currentId(), int(FineTuneWizard::Model));
        QTRY_VERIFY_WITH_TIMEOUT(w.modelPage()->isComplete(), 60000);
        QVERIFY(w.modelPage()->model()->linearModules.contains(QStringLiteral("down_proj")));
        QVERIFY(!w.modelPage()->model()->chatTemplate.isEmpty());
        w.next();
        QVERIFY(w.model());

        // 3 Dataset
        QCOMPARE(w.currentId(), int(FineTuneWizard::Dataset));
        QTRY_VERIFY_WITH_TIMEOUT(w.datasetPage()->isComplete(), 60000);
        QVERIFY(w.datasetPage()->dataset()->examples.size() > 10);
        QCOMPARE(w.datasetPage()->dataset()->format, ft::DatasetFormat::Alpaca);
        w.next();

        // 4 Formatting: the model's template, rendered and tokenized
        QCOMPARE(w.currentId(), int(FineTuneWizard::Formatting));
        ChatTemplatePreview* preview = w.formattingPage()->templatePreview();
        QTRY_VERIFY_WITH_TIMEOUT(preview->renderedText().contains(QStringLiteral("<|im_start|>assistant")), 10000);
        QVERIFY(!preview->differsFromModel());
        QTRY_VERIFY_WITH_TIMEOUT(w.formattingPage()->tokenInspector()->trainedCount() > 0, 30000);
        QVERIFY(w.formattingPage()->tokenInspector()->maskedCount() > 0);
        // The demo trains one example per row; the keyboard turns packing on, Next stores it, and the Train page
        // below trains packed rows.
        QCheckBox* packing = w.formattingPage()->packingBox();
        QVERIFY(!packing->isChecked());
        packing->setFocus();
        QTest::keyClick(packing, Qt::Key_Space);
        QVERIFY(packing->isChecked());
        w.next();
        QVERIFY(w.project().training.packing);

        // 5 Method: LoRA; the estimate follows the rank
        QCOMPARE(w.currentId(), int(FineTuneWizard::Method));
        MethodPage* method = w.methodPage();
        method->setMethod(QStringLiteral("lora"));
        auto* lora = static_cast<LoraPanel*>(method->panel(QStringLiteral("lora")));
        lora->setRank(8);
        const qint64 at8 = method->trainableParameters();
        QVERIFY(at8 > 0);
        lora->setRank(4);
        QCOMPARE(method->trainableParameters(), at8 / 2);
        QVERIFY(method->estimatedBytes() > 0);
        w.next();

        // 6 Train: a few steps on the core's thread
        QCOMPARE(w.currentId(), int(FineTuneWizard::Train));
        QSignalSpy finished(w.trainPage(), &TrainPage::trainingFinished);
        w.trainPage()->startTraining(3);
        QVERIFY(!w.trainPage()->isComplete());
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 180000);
        QVERIFY(finished.at(0).at(0).toBool());
        QCOMPARE(w.trainPage()->lossPlot()->trainPointCount(), 3);
        QVERIFY(w.trainPage()->isComplete());
        w.next();

        // 7 Evaluate: the run just trained is the model compared; Space on Evaluate runs it on a worker, the page
        // waits for it, and the held-out rows come back with both models' losses and answers.
        QCOMPARE(w.currentId(), int(FineTuneWizard::Evaluate));
        EvalView* eval = w.evaluatePage()->view();
        int checked = 0;
        for (int i = 0; i < eval->modelList()->count(); ++i) checked += eval->modelList()->item(i)->checkState() == Qt::Checked;
        QCOMPARE(checked, 1);
        eval->evaluateButton()->setFocus();
        QTest::keyClick(eval->evaluateButton(), Qt::Key_Space);
        QVERIFY(eval->isRunning());
        QVERIFY(!w.evaluatePage()->isComplete());
        QTRY_VERIFY_WITH_TIMEOUT(!eval->isRunning(), 120000);
        QVERIFY2(eval->report(), qPrintable(eval->status()->text()));
        QCOMPARE(eval->summary()->rowCount(), 2);
        QCOMPARE(eval->table()->model()->rowCount(), int(eval->report()->rows.size()));
        QVERIFY(eval->report()->rows.size() >= 3);
        QVERIFY(w.evaluatePage()->isComplete());
        w.next();

        // 8 Export: the PEFT adapter and a GGUF adapter; then ask both models
        QCOMPARE(w.currentId(), int(FineTuneWizard::Export));
        ExportPage* exporter = w.exportPage();
        QSignalSpy exported(exporter, &ExportPage::exported);
        const QString adapter = dir.filePath(QStringLiteral("exported/adapter"));
        exporter->setFormat(ExportPage::Peft);
        exporter->setOutputPath(adapter);
        exporter->exportNow();
        QTRY_COMPARE_WITH_TIMEOUT(exported.count(), 1, 60000);
        QVERIFY2(exported.at(0).at(0).toBool(), qPrintable(exported.at(0).at(1).toString()));
        QVERIFY(QFile::exists(adapter + QStringLiteral("/adapter_config.json")));
        QVERIFY(QFile::exists(adapter + QStringLiteral("/adapter_model.safetensors")));

        const QString gguf = dir.filePath(QStringLiteral("exported/adapter.gguf"));
        exporter->setFormat(ExportPage::Gguf);
        exporter->setOutputPath(gguf);
        exporter->exportNow();
        QTRY_COMPARE_WITH_TIMEOUT(exported.count(), 2, 60000);
        QVERIFY2(exported.at(1).at(0).toBool(), qPrintable(exported.at(1).at(1).toString()));
        QVERIFY(QFileInfo(gguf).size() > 0);

        QSignalSpy answered(exporter->chat(), &SideBySideChat::answered);
        QSignalSpy chatFailed(exporter->chat(), &SideBySideChat::failed);
        // Typed and sent with Enter: both models are asked, and the wizard stays open (Enter used to reach the
        // wizard's default button, Finish, and close it).
        auto* prompt = exporter->chat()->findChild<QLineEdit*>(QStringLiteral("chatPrompt"));
        QVERIFY(prompt);
        prompt->setFocus();
        QTest::keyClicks(prompt, QStringLiteral("Hello"));
        QTest::keyClick(prompt, Qt::Key_Return);
        QVERIFY(exporter->chat()->isBusy() || answered.count() + chatFailed.count() > 0);
        QVERIFY(w.isVisible());
        QTRY_COMPARE_WITH_TIMEOUT(answered.count() + chatFailed.count(), 1, 120000);
        QVERIFY(w.isVisible());
        QCOMPARE(w.currentId(), int(FineTuneWizard::Export));
        QVERIFY2(chatFailed.isEmpty(), chatFailed.isEmpty() ? "" : qPrintable(chatFailed.at(0).at(0).toString()));

        // The choices are in the project file and come back when it is reopened.
        const ft::Project saved = ft::loadProject(projectFile.toStdString());
        QCOMPARE(saved.method, std::string("lora"));
        QCOMPARE(saved.lora.r, 4);
        QCOMPARE(saved.kind, ft::FinetuneKind::Instruct);
        QVERIFY(saved.chatTemplate.empty());
        FineTuneWizard again;
        QVERIFY(again.openProject(projectFile));
        again.show();
        walkToMethodPage(again);
        QCOMPARE(again.currentId(), int(FineTuneWizard::Method));
        QCOMPARE(again.methodPage()->method(), QStringLiteral("lora"));
        QCOMPARE(again.methodPage()->trainableParameters(), at8 / 2);
    }

    void baseFineTuningShowsBlocks() {
        QTemporaryDir dir;
        const QString demo = dir.filePath(QStringLiteral("demo"));
        ft::makeDemo(demo.toStdString());
        FineTuneWizard w;
        QVERIFY(w.openProject(demo + QStringLiteral("/project.json")));
        w.show();
        w.goalPage()->setInstruct(false);
        w.next();
        QTRY_VERIFY_WITH_TIMEOUT(w.modelPage()->isComplete(), 60000);
        w.next();
        // The demo's records are instruction pairs, which Base FT refuses: give it plain text instead.
        QTRY_VERIFY_WITH_TIMEOUT(!w.datasetPage()->isComplete(), 60000);
        QFile text(demo + QStringLiteral("/data/notes.txt"));
        QVERIFY(text.open(QIODevice::WriteOnly));
        for (int i = 0; i < 40; ++i) text.write(QByteArray("Paragraph ") + QByteArray::number(i) + " of the notes: hello world.\n\n");
        text.close();
        w.datasetPage()->openFile(text.fileName());
        QTRY_VERIFY_WITH_TIMEOUT(w.datasetPage()->isComplete(), 60000);
        w.next();
        QCOMPARE(w.currentId(), int(FineTuneWizard::Formatting));
        QTRY_VERIFY_WITH_TIMEOUT(w.formattingPage()->tokenInspector()->blockCount() > 0, 30000);
        QCOMPARE(w.formattingPage()->tokenInspector()->maskedCount(), 0);
        QCOMPARE(ft::loadProject((demo + QStringLiteral("/project.json")).toStdString()).kind, ft::FinetuneKind::Base);
    }

    // "2 CPU processes" chosen with the keyboard on the Method page trains data-parallel: this process is rank 0 and
    // starts rank 1 with ftstudio-cli (found on PATH here); the Train page plots rank 0's curve.
    void dataParallelOnTwoCpuProcessesByKeyboard() {
        qputenv("PATH", QFileInfo(QStringLiteral(FT_CLI_PATH)).absolutePath().toUtf8() + ':' + qgetenv("PATH"));
        QTemporaryDir dir;
        const QString demo = dir.filePath(QStringLiteral("demo"));
        ft::makeDemo(demo.toStdString());
        FineTuneWizard w;
        QVERIFY(w.openProject(demo + QStringLiteral("/project.json")));
        w.show();
        walkToMethodPage(w);
        QCOMPARE(w.currentId(), int(FineTuneWizard::Method));
        QComboBox* device = w.methodPage()->trainingSettings()->deviceChoice();
        const int target = device->findData(QVariantList{QStringLiteral("cpu"), 2});
        QVERIFY(target > 0);
        device->setFocus();
        QTest::keyClick(device, Qt::Key_Home);
        for (int i = 0; i < target; ++i) QTest::keyClick(device, Qt::Key_Down);
        QCOMPARE(device->currentText(), QStringLiteral("2 CPU processes (data-parallel)"));
        w.next();
        QCOMPARE(w.project().training.processes, 2);
        QCOMPARE(w.project().training.device, std::string("cpu"));

        QCOMPARE(w.currentId(), int(FineTuneWizard::Train));
        // The summary counts what one optimizer step sees: batch_size is per process.
        bool saysGlobalBatch = false;
        for (const QLabel* label : w.trainPage()->findChildren<QLabel*>())
            saysGlobalBatch |= label->text().contains(QStringLiteral("2 processes, global batch 8"));
        QVERIFY(saysGlobalBatch);
        QSignalSpy finished(w.trainPage(), &TrainPage::trainingFinished);
        w.trainPage()->startTraining(3);
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 180000);
        QVERIFY(finished.at(0).at(0).toBool());
        QCOMPARE(w.trainPage()->lossPlot()->trainPointCount(), 3);
        // Rank 0's log says the gradients were summed with another process each step.
        const auto runs = ft::listRuns(ft::runsRoot(w.project()));
        QCOMPARE(int(runs.size()), 1);
        const std::string metrics = ft::readFile(ft::runMetricsFile(runs.back().dir));
        QVERIFY2(metrics.find("\"allreduce_bytes\"") != std::string::npos, metrics.c_str());
    }

    // Preference tuning through the keyboard: Alt+P picks it on the Goal page, the loss box takes KTO by its arrow
    // keys, β is typed; the dataset page reads the demo's pairs, and the formatting page shows both sequences of a
    // pair with their answers trained and their prompts masked.
    void preferenceTuningByKeyboard() {
        QTemporaryDir dir;
        const QString demo = dir.filePath(QStringLiteral("demo"));
        ft::makeDemo(demo.toStdString());
        FineTuneWizard w;
        QVERIFY(w.openProject(demo + QStringLiteral("/project.json")));
        w.show();
        w.activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(&w));  // mnemonics reach the active window only
        GoalPage* goal = w.goalPage();
        QComboBox* loss = goal->lossBox();
        QVERIFY(!loss->isVisible());  // offered only with preference tuning
        QTest::keyClick(&w, Qt::Key_P, Qt::AltModifier);
        QTRY_COMPARE(goal->kind(), ft::FinetuneKind::Preference);  // a mnemonic clicks the button animated
        QTRY_VERIFY(loss->isVisible());
        loss->setFocus();
        QTest::keyClick(loss, Qt::Key_End);  // the last entry: KTO
        QCOMPARE(loss->currentData().toString(), QStringLiteral("kto"));
        auto* beta = goal->findChild<QDoubleSpinBox*>(QStringLiteral("preferenceBeta"));
        QVERIFY(beta);
        beta->setFocus();
        beta->selectAll();
        QTest::keyClicks(beta, QStringLiteral("0.25"));
        QTest::keyClick(beta, Qt::Key_Tab);
        QCOMPARE(beta->value(), 0.25);
        loss->setFocus();
        QTest::keyClick(loss, Qt::Key_Home);  // back to DPO for the pairs below
        QCOMPARE(loss->currentData().toString(), QStringLiteral("dpo"));
        w.next();
        const ft::Project& p = w.project();
        QCOMPARE(p.kind, ft::FinetuneKind::Preference);
        QCOMPARE(p.preference.loss, std::string("dpo"));
        QCOMPARE(p.preference.beta, 0.25);

        QTRY_VERIFY_WITH_TIMEOUT(w.modelPage()->isComplete(), 60000);
        w.next();
        // The demo's instruction pairs are not preference rows: the page says so; its preference file is.
        QTRY_VERIFY_WITH_TIMEOUT(!w.datasetPage()->isComplete(), 60000);
        w.datasetPage()->openFile(demo + QStringLiteral("/data/preference.jsonl"));
        QTRY_VERIFY_WITH_TIMEOUT(w.datasetPage()->isComplete(), 60000);
        QCOMPARE(w.datasetPage()->dataset()->format, ft::DatasetFormat::Preference);
        w.next();
        QCOMPARE(w.currentId(), int(FineTuneWizard::Formatting));
        TokenInspector* tokens = w.formattingPage()->tokenInspector();
        QTRY_VERIFY_WITH_TIMEOUT(tokens->chipView()->chips().size() > 0 && tokens->trainedCount() > 0, 30000);
        // Two rows: prompt + chosen, prompt + rejected; the prompt masked in both, the answers trained.
        int rows = 1, trained = 0, masked = 0;
        const auto& chips = tokens->chipView()->chips();
        for (size_t i = 0; i < chips.size(); ++i) {
            if (i > 0 && chips[i].segment != chips[i - 1].segment) ++rows;
            (chips[i].trained ? trained : masked) += 1;
        }
        QCOMPARE(rows, 2);
        QVERIFY(trained > 0 && masked > 0);
        QVERIFY(!chips.front().trained);
    }
};

QTEST_MAIN(TestWizard)
#include "tst_wizard.moc"
