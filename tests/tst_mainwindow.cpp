// The GUI skeleton on the offscreen platform: open the demo, train a few steps in the core's thread while the
// window stays responsive, see the loss plotted, export the adapter through the controller.

#include "LossPlot.h"
#include "MainWindow.h"
#include "TrainingController.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

class TestMainWindow : public QObject {
    Q_OBJECT
private slots:
    void trainsDemoAndExports() {
        QTemporaryDir dir;
        MainWindow w;
        w.show();
        QSignalSpy opened(&w, &MainWindow::projectOpened);
        w.openDemo(dir.filePath(QStringLiteral("demo")));  // written on a worker thread
        QTRY_COMPARE_WITH_TIMEOUT(opened.count(), 1, 120000);

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

        QSignalSpy exported(&w, &MainWindow::adapterExported);
        const QString target = dir.filePath(QStringLiteral("export/adapter"));
        QDir().mkpath(dir.filePath(QStringLiteral("export")));
        w.exportAdapterTo(target);
        QTRY_COMPARE_WITH_TIMEOUT(exported.count(), 1, 60000);
        QCOMPARE(exported.at(0).at(0).toBool(), true);
        QVERIFY(QFile::exists(target + QStringLiteral("/adapter_config.json")));
        QVERIFY(QFile::exists(target + QStringLiteral("/adapter_model.safetensors")));
    }

    void exportBeforeTrainingIsRefused() {
        MainWindow w;
        QSignalSpy exported(&w, &MainWindow::adapterExported);
        w.exportAdapterTo(QStringLiteral("/nonexistent/adapter"));
        QTRY_COMPARE(exported.count(), 1);
        QCOMPARE(exported.at(0).at(0).toBool(), false);
    }
};

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
