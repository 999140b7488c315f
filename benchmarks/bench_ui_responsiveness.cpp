// UI responsiveness benchmark (prints figures; not a test): how long the main window's event loop is blocked while
// the user's first session with the demo runs. A 1 ms repeating timer on the UI thread is the probe: the gap between
// two ticks is the longest the UI could not repaint or react to input. One after the other, it drives
//   open demo      MainWindow::openDemo into a temporary folder (written on a worker, then opened)
//   open model     the demo model into the inspectors (File > Open Model: tokens, chat template, quantization)
//   tokenize data  the demo dataset in the dataset editor with its quality report, and every example in the token
//                  inspector
//   train          40 steps with the live loss plot (MainWindow::startTraining)
//   loss heat map  the token inspector's per-token loss with the trained adapter
// and prints, per phase, the ticks seen, the longest block and the 99th-percentile gap, then the longest block of all
// against the goal of 50 ms. Runs on the offscreen platform unless a display is set.
//
//   ft_bench_ui [--trace]     --trace: print every gap over 20 ms with its time in the phase, and every event that
//                             took over 15 ms to deliver (receiver and event type), to find where a block comes from

#include "event_loop_probe.h"

#include "LossPlot.h"
#include "MainWindow.h"
#include "TrainingController.h"
#include "dataset/DatasetEditor.h"
#include "inspectors/TokenInspector.h"

#include "core/common/openmp_wait.h"
#include "core/data/dataset.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTimer>

#include <algorithm>
#include <cstdio>
#include <functional>
#include <vector>

namespace {

// With --trace: names every event that took over 15 ms to deliver (nested ones indented), to find a block's cause.
class TracingApplication : public QApplication {
public:
    using QApplication::QApplication;
    bool trace = false;

    bool notify(QObject* receiver, QEvent* event) override {
        if (!trace) return QApplication::notify(receiver, event);
        const QEvent::Type type = event->type();  // the event may be gone afterwards
        const QString who = QString::fromLatin1(receiver->metaObject()->className()) + QLatin1Char(' ') + receiver->objectName();
        QElapsedTimer t;
        t.start();
        ++m_depth;
        const bool r = QApplication::notify(receiver, event);
        --m_depth;
        const double ms = double(t.nsecsElapsed()) / 1e6;
        if (ms > 15.0) std::printf("    [trace] %*s%.1f ms: event %d to %s\n", 2 * m_depth, "", ms, int(type), qPrintable(who));
        return r;
    }

private:
    int m_depth = 0;
};

} // namespace

int main(int argc, char** argv) {
    ft::restartWithPassiveOpenMpWait(argv);  // as the app does
    if (qEnvironmentVariableIsEmpty("DISPLAY") && qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY") &&
        qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    TracingApplication app(argc, argv);
    QStandardPaths::setTestModeEnabled(true);  // settings and recent files away from the user's
    QApplication::setOrganizationName(QStringLiteral("FinetuneStudioBench"));
    QApplication::setApplicationName(QStringLiteral("ft_bench_ui"));
    const bool trace = app.arguments().contains(QStringLiteral("--trace"));
    app.trace = trace;
    std::printf("platform: %s\n", qPrintable(QApplication::platformName()));

    QTemporaryDir tmp;
    const QString demo = tmp.filePath(QStringLiteral("demo"));
    MainWindow w;
    w.resize(1100, 760);
    w.show();
    waitUntil([] { return false; }, 200);  // first layout and paint

    Probe probe(trace);
    double worst = 0;
    bool ok = true;
    const auto phase = [&](const char* name, const std::function<void()>& start, const std::function<bool()>& done, int timeoutMs) {
        probe.begin(name);
        QElapsedTimer call;
        call.start();
        start();
        if (trace) std::printf("    [trace] the call itself: %.1f ms\n", double(call.nsecsElapsed()) / 1e6);
        const bool finished = waitUntil(done, timeoutMs);
        waitUntil([] { return false; }, 100);  // the repaints that follow
        worst = std::max(worst, probe.end());
        if (!finished) {
            std::printf("  %s did not finish in %d s\n", name, timeoutMs / 1000);
            ok = false;
        }
    };

    QSignalSpy opened(&w, &MainWindow::projectOpened);
    phase("open demo", [&] { w.openDemo(demo); }, [&] { return opened.count() > 0; }, 120000);

    TokenInspector* tokens = w.tokenInspector();
    QSignalSpy modelLoaded(tokens, &TokenInspector::modelLoaded);
    phase("open model", [&] { w.openModel(demo + QStringLiteral("/model")); }, [&] { return modelLoaded.count() > 0; }, 120000);

    const ft::Dataset data = ft::loadDataset((demo + QStringLiteral("/data/train.jsonl")).toStdString(), ft::DatasetKind::Instruct);
    QSignalSpy report(w.datasetEditor(), &DatasetEditor::reportReady);
    QSignalSpy encoded(tokens, &TokenInspector::encodedChanged);
    size_t next = 0;
    phase(
        "tokenize data", [&] { w.openDataset(demo + QStringLiteral("/data/train.jsonl")); },
        [&] {
            // One example at a time in the token inspector, as a user paging through them.
            if (next < data.examples.size() && size_t(encoded.count()) == next) tokens->showChatExample(data.examples[next++], 256);
            return report.count() > 0 && next == data.examples.size() && size_t(encoded.count()) == next;
        },
        120000);

    QSignalSpy trained(&w, &MainWindow::trainingFinished);
    phase("train 40 steps", [&] { w.startTraining(40); }, [&] { return trained.count() > 0; }, 600000);
    if (trained.count() == 0 || !trained.at(0).at(0).toBool()) ok = false;
    std::printf("  (loss plot: %d steps)\n", w.lossPlot()->trainPointCount());

    QSignalSpy losses(tokens, &TokenInspector::lossesShown);
    QSignalSpy lossesFailed(tokens, &TokenInspector::lossesFailed);
    w.showTool(tokens);
    phase("loss heat map", [&] { tokens->showTrainedLosses(w.adapterDir()); },
          [&] { return losses.count() + lossesFailed.count() > 0; }, 120000);
    if (losses.count() > 0) std::printf("  (mean loss over trained tokens: %.3f)\n", tokens->meanTrainedLoss());
    else ok = false;

    std::printf("longest UI block: %.1f ms (goal < 50 ms)\n", worst);
    w.close();
    return ok ? 0 : 1;
}
