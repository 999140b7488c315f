#pragma once
// Preference tuning's live curves beside the loss: the reward margin (chosen minus rejected, left axis) and the
// reward accuracy (share of pairs whose chosen answer is ahead, right axis, 0 to 1), training steps and validation
// points, by TRL's metric names. KTO's KL estimate joins the margin axis when reported. Redrawn by a timer, as
// LossPlot, so a fast run costs a few repaints a second.

#include <QWidget>

#include <map>
#include <string>

class QCustomPlot;
class QCPGraph;
class QTimer;

class PreferencePlot : public QWidget {
    Q_OBJECT
public:
    explicit PreferencePlot(QWidget* parent = nullptr);

    void clear();
    // One step's (or, `eval`, one validation's) metrics by TRL's names: "rewards/margins", "rewards/accuracies", "kl".
    void addMetrics(int step, bool eval, const std::map<std::string, double>& metrics);
    int pointCount() const;
    QCustomPlot* plot() const { return m_plot; }
    void flush();  // draw what is pending now

private:
    QCustomPlot* m_plot;
    QCPGraph* m_margin;
    QCPGraph* m_accuracy;
    QCPGraph* m_evalMargin;
    QCPGraph* m_evalAccuracy;
    QCPGraph* m_kl;
    QTimer* m_timer;
    bool m_dirty = false;
};
