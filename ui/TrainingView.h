#pragma once
// The training tab: which project is open, the live curves, progress with step / loss / tokens/s / ETA / memory,
// and the run's log. Fed by the TrainingController's queued signals; it never waits on the run.

#include "core/train/metrics_log.h"

#include <QWidget>

#include <vector>

class LossPlot;
class PreferencePlot;
class TrainingController;
class QLabel;
class QPlainTextEdit;
class QProgressBar;

class TrainingView : public QWidget {
    Q_OBJECT
public:
    explicit TrainingView(TrainingController* controller, QWidget* parent = nullptr);

    LossPlot* lossPlot() const { return m_plot; }
    PreferencePlot* preferencePlot() const { return m_preferencePlot; }
    QPlainTextEdit* logView() const { return m_log; }
    void setProjectText(const QString& text);
    void log(const QString& line);
    void reset();  // a new run starts: empty curves and progress
    // A run read back from its folder (metrics.jsonl and how far it got), e.g. the project's last run after a restart.
    void showRun(const std::vector<ft::MetricRecord>& history, int stepsDone, int totalSteps);

private:
    void onStep(int step, int totalSteps, double epoch, double loss, double lr, double tokensPerSecond,
                double etaSeconds, qint64 memoryBytes);

    LossPlot* m_plot;
    PreferencePlot* m_preferencePlot;  // shown while a preference run's metrics are on it
    QProgressBar* m_progress;
    QLabel* m_projectLabel;
    QLabel* m_stepLabel;
    QLabel* m_lossLabel;
    QLabel* m_lrLabel;
    QLabel* m_speedLabel;
    QLabel* m_etaLabel;
    QLabel* m_memoryLabel;
    QPlainTextEdit* m_log;
    int m_resumedStep = 0;  // between resumedFrom and prepared
};
