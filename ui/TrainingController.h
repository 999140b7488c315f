#pragma once
// Owns a core TrainingRun and relays its callbacks (called on the core's training thread) to the UI thread as
// queued signals. Widgets never touch the run or its tensors.

#include "core/train/metrics_log.h"
#include "core/train/training_run.h"

#include <QObject>
#include <QPointer>
#include <QThread>
#include <QString>

#include <memory>

class TrainingController : public QObject {
    Q_OBJECT
public:
    explicit TrainingController(QObject* parent = nullptr);
    ~TrainingController() override;

    bool isRunning() const;
    bool canExport() const;

public slots:
    // `resume`: continue from the newest complete checkpoint in the project's output folder.
    void start(const QString& projectFile, int maxSteps = -1, bool resume = false);
    void pause();
    void resume();
    void cancel();
    // Exports on a worker thread; reports through exportFinished.
    void exportAdapter(const QString& dir);

signals:
    void prepared(qint64 trainable, qint64 total, int totalSteps, int trainExamples, int validationExamples,
                  const QString& device);
    void stepReported(int step, int totalSteps, double epoch, double loss, double lr, double tokensPerSecond,
                      double etaSeconds, qint64 memoryBytes);
    void evalReported(int step, double loss, double perplexity);
    // Before `prepared` when the run continues a checkpoint: the metrics logged up to it (read on the training thread).
    void resumedFrom(int step, const std::vector<ft::MetricRecord>& history);
    void paused();
    void resumed();
    // ok = finished normally; message empty unless it failed or was cancelled.
    void finished(bool ok, const QString& message, const QString& outDir);
    void exportFinished(bool ok, const QString& message, const QString& dir);

private:
    std::unique_ptr<ft::TrainingRun> m_run;
    bool m_running = false;
    QPointer<QThread> m_exportThread;
};
