#pragma once
// Live training curves: training loss (raw and EMA-smoothed), validation loss, the learning rate on a right axis and
// tokens/s in a small plot below. Points are batched and drawn by a timer (every 250 ms) with a queued replot, so a
// fast run costs a few repaints a second, not one per step. Zoom and pan with the mouse; the view follows the data
// again after "Reset zoom". Export as PNG or CSV from the context menu or the methods below.

#include <QWidget>

#include <cmath>
#include <limits>
#include <map>

class QCustomPlot;
class QCPAxisRect;
class QCPGraph;
class QTimer;

class LossPlot : public QWidget {
    Q_OBJECT
public:
    explicit LossPlot(QWidget* parent = nullptr);

    void clear();
    void addTrainLoss(int step, double loss);
    void addEvalLoss(int step, double loss);
    // One optimizer step with everything the trainer reports about it.
    void addStep(int step, double loss, double learningRate, double tokensPerSecond);
    void resetView();  // fit the axes to the data again after the user zoomed
    int trainPointCount() const;
    int evalPointCount() const;
    QCustomPlot* plot() const { return m_plot; }

    // EMA weight of the smoothed curve in [0, 1): smoothed = w * previous + (1 - w) * loss, bias-corrected.
    void setSmoothing(double weight);
    double smoothing() const { return m_smoothing; }
    void setThroughputVisible(bool visible);
    bool isThroughputVisible() const { return m_speedVisible; }

    // Draws what is pending now instead of at the next tick (before a screenshot or an export).
    void flush();
    bool savePng(const QString& path, int width = 0, int height = 0);
    // step, train_loss, train_loss_smoothed, learning_rate, tokens_per_second, validation_loss; empty = not reported.
    bool saveCsv(const QString& path, QString* error = nullptr) const;

protected:
    void contextMenuEvent(QContextMenuEvent* event) override;

private:
    static constexpr double kNone = std::numeric_limits<double>::quiet_NaN();
    struct Row {
        double loss = kNone, lr = kNone, tokensPerSecond = kNone, evalLoss = kNone;
    };

    void record(int step, double loss, double lr, double tokensPerSecond);
    std::map<int, double> smoothedLoss() const;
    void rebuildGraphs();
    void rescale();
    void exportPngDialog();
    void exportCsvDialog();

    QCustomPlot* m_plot;
    QCPAxisRect* m_speedRect;
    QCPGraph* m_train;
    QCPGraph* m_smoothed;
    QCPGraph* m_eval;
    QCPGraph* m_lr;
    QCPGraph* m_speed;
    QTimer* m_timer;
    std::map<int, Row> m_rows;  // by step: the single source for graphs and CSV
    double m_smoothing = 0.6;  // TensorBoard's default: follows short runs without hiding the trend
    bool m_dirty = false;       // rows changed since the graphs were last filled
    bool m_follow = true;       // false once the user zoomed or panned
    bool m_speedVisible = true;
};
