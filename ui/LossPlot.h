#pragma once
// Live loss curves: training loss per step and validation loss at each evaluation.

#include <QWidget>

class QCustomPlot;
class QCPGraph;

class LossPlot : public QWidget {
    Q_OBJECT
public:
    explicit LossPlot(QWidget* parent = nullptr);

    void clear();
    void addTrainLoss(int step, double loss);
    void addEvalLoss(int step, double loss);
    void resetView();  // fit the axes to the data again after the user zoomed
    int trainPointCount() const;
    QCustomPlot* plot() const { return m_plot; }

private:
    void rescale();
    QCustomPlot* m_plot;
    QCPGraph* m_train;
    QCPGraph* m_eval;
};
