#pragma once
// Page 6: the run. The core trains on its own thread; the wizard's TrainingController relays each step here, so the
// loss curve and progress move while the window stays responsive. Pause, resume and cancel go back the same way.

#include "wizard/WizardPage.h"

namespace ft {
struct RunInfo;
}
class LossPlot;
class PreferencePlot;
class QLabel;
class QProgressBar;
class QPushButton;
class QSpinBox;

class TrainPage : public WizardPage {
    Q_OBJECT
public:
    explicit TrainPage(QWidget* parent = nullptr);

    void initializePage() override;
    bool isComplete() const override;

    LossPlot* lossPlot() const { return m_plot; }
    PreferencePlot* preferencePlot() const { return m_preferencePlot; }
    bool isTraining() const;
    bool finishedOk() const { return m_finishedOk; }

public slots:
    // maxSteps > 0 stops early (a quick trial); the project's own settings are left as they are.
    void startTraining(int maxSteps = -1);
    void togglePause();
    void cancelTraining();

signals:
    void trainingFinished(bool ok);

private:
    void connectController();
    void showSelectedRun();
    QString runText(const ft::RunInfo& run) const;
    static QString methodTitle(const QString& method);
    void updateButtons();

    LossPlot* m_plot;
    PreferencePlot* m_preferencePlot;  // preference runs: reward margin and accuracy beside the loss
    QProgressBar* m_progress;
    QLabel* m_summary;
    QLabel* m_stats;
    QLabel* m_result;
    QSpinBox* m_maxSteps;
    QPushButton* m_start;
    QPushButton* m_pause;
    QPushButton* m_cancel;
    bool m_connected = false;
    bool m_paused = false;
    bool m_finishedOk = false;
};
