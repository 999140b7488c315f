#pragma once
// Runs an evaluation (core/eval/evaluation.h) on a worker thread and reports back on the UI thread: progress after
// each batch, then the report or the reason it stopped. Cancel stops it within one generated token; the destructor
// cancels and waits that long.

#include "core/eval/evaluation.h"

#include <QFutureWatcher>
#include <QObject>

#include <atomic>
#include <memory>

using EvalReportPtr = std::shared_ptr<const ft::EvalReport>;

class EvalRunner : public QObject {
    Q_OBJECT
public:
    explicit EvalRunner(QObject* parent = nullptr);
    ~EvalRunner() override;

    // From start() until finished or failed has been emitted (the future alone ends before its result is handed on).
    bool isRunning() const { return m_running; }
    // Ignored while one runs.
    void start(const ft::Project& project, ft::EvalOptions options);
    void cancel();

signals:
    void progress(int side, int sides, const QString& stage, int done, int total);
    void finished(EvalReportPtr report);
    void failed(const QString& message, bool cancelled);

private:
    struct Outcome {
        EvalReportPtr report;
        QString error;
        bool cancelled = false;
    };
    bool m_running = false;
    QFutureWatcher<Outcome> m_watcher;
    std::shared_ptr<std::atomic<bool>> m_cancel;
};
