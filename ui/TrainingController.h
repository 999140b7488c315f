#pragma once
// Owns a core TrainingRun and relays its callbacks (called on the core's training thread) to the UI thread as
// queued signals. Widgets never touch the run or its tensors. One controller serves the main window and the wizard,
// so a run started in either is seen in both.

#include "core/train/metrics_log.h"
#include "core/train/training_run.h"

#include <QObject>
#include <QString>

#include <map>
#include <memory>
#include <string>

class TrainingController : public QObject {
    Q_OBJECT
public:
    explicit TrainingController(QObject* parent = nullptr);
    ~TrainingController() override;

    bool isRunning() const;
    QString runDir() const { return m_runDir; }  // the run in progress (or the last one started)

public slots:
    // A new run of `project` in a folder of its own under the project's output (core/train/run_folder.h).
    // maxSteps > 0 stops early. `resumeRun`: continue that run folder from its newest complete checkpoint instead.
    void start(const ft::Project& project, int maxSteps = -1, const QString& resumeRun = QString());
    void pause();
    void resume();
    void cancel();

signals:
    void started(const QString& runDir);
    // trainRows: the rows the training examples make (fewer when packed).
    void prepared(qint64 trainable, qint64 total, int totalSteps, int trainExamples, int trainRows,
                  int validationExamples, const QString& device);
    void stepReported(int step, int totalSteps, double epoch, double loss, double lr, double tokensPerSecond,
                      double etaSeconds, qint64 memoryBytes);
    void evalReported(int step, double loss, double perplexity);
    // Preference tuning: TRL's metrics of a step (or, `eval`, of a validation), by TRL's names.
    void preferenceReported(int step, bool eval, const std::map<std::string, double>& metrics);
    void checkpointWritten(int step, const QString& dir);
    // Before `prepared` when the run continues a checkpoint: the metrics logged up to it (read on the training thread).
    void resumedFrom(int step, const std::vector<ft::MetricRecord>& history);
    void paused();
    void resumed();
    // ok = finished normally; message empty unless it failed or was cancelled.
    void finished(bool ok, const QString& message, const QString& runDir);

private:
    std::unique_ptr<ft::TrainingRun> m_run;
    bool m_running = false;
    QString m_runDir;
};
