#pragma once
// The main window: menus, the live loss plot, progress with step / tokens/s / ETA, and the run's log.

#include <QMainWindow>
#include <QString>

class LossPlot;
class TrainingController;
class QAction;
class QLabel;
class QPlainTextEdit;
class QProgressBar;

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;

    QString projectFile() const { return m_projectFile; }
    LossPlot* lossPlot() const { return m_plot; }
    TrainingController* controller() const { return m_controller; }

public slots:
    void openProject(const QString& file);
    // Writes the built-in demo into `dir` on a worker thread (if not there yet), then opens it.
    void openDemo(const QString& dir);
    void startTraining(int maxSteps = -1);
    void exportAdapterTo(const QString& dir);

signals:
    void projectOpened(const QString& file);
    void trainingFinished(bool ok);
    void adapterExported(bool ok, const QString& dir);

protected:
    void closeEvent(QCloseEvent* event) override;

private:
    void buildMenus();
    void buildCentral();
    void updateActions();
    void log(const QString& line);
    void showWarning(const QString& title, const QString& text);
    void onStep(int step, int totalSteps, double epoch, double loss, double lr, double tokensPerSecond,
                double etaSeconds, qint64 memoryBytes);

    TrainingController* m_controller;
    LossPlot* m_plot = nullptr;
    QProgressBar* m_progress = nullptr;
    QLabel* m_projectLabel = nullptr;
    QLabel* m_stepLabel = nullptr;
    QLabel* m_lossLabel = nullptr;
    QLabel* m_speedLabel = nullptr;
    QLabel* m_etaLabel = nullptr;
    QLabel* m_memoryLabel = nullptr;
    QPlainTextEdit* m_log = nullptr;
    QAction* m_trainAction = nullptr;
    QAction* m_pauseAction = nullptr;
    QAction* m_cancelAction = nullptr;
    QAction* m_exportAdapterAction = nullptr;
    QString m_projectFile;
    bool m_paused = false;
};
