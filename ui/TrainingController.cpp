#include "TrainingController.h"

#include "ErrorText.h"

#include "core/train/run_folder.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <QMetaObject>
#include <QPointer>
#include <QStandardPaths>

TrainingController::TrainingController(QObject* parent) : QObject(parent) {}

TrainingController::~TrainingController() = default;  // ~TrainingRun cancels and joins

bool TrainingController::isRunning() const { return m_running; }

void TrainingController::start(const ft::Project& project, int maxSteps, const QString& resumeRun) {
    if (m_running) return;
    ft::RunOptions options;
    options.maxSteps = maxSteps;
    if (!resumeRun.isEmpty()) {
        options.outDir = resumeRun.toStdString();
        options.resume = true;
    }
    // Data-parallel on this machine (training.processes > 1): this process is rank 0 and starts the others with the
    // command-line tool installed beside the app (else the one on PATH).
    QString worker = QCoreApplication::applicationDirPath() + QStringLiteral("/ftstudio-cli");
    if (!QFileInfo(worker).isExecutable()) worker = QStandardPaths::findExecutable(QStringLiteral("ftstudio-cli"));
    options.workerProgram = worker.toStdString();
    m_run = std::make_unique<ft::TrainingRun>(project, options);
    // Each callback posts a functor to this object's thread; QPointer guards against a destroyed controller.
    QPointer<TrainingController> self(this);
    auto post = [self](auto fn) {
        QMetaObject::invokeMethod(
            self.data(), [self, fn] { if (self) fn(self.data()); }, Qt::QueuedConnection);
    };
    m_run->start({
        .onPrepared =
            [post](const ft::RunSummary& s) {
                if (s.resumedFromStep > 0 || s.restartedFromStepZero) {
                    // The run has cut metrics.jsonl back to its checkpoint: the curve so far, posted before any step.
                    // (A run started again from step 0 has nothing to show: its log starts afresh.)
                    auto history = s.restartedFromStepZero ? std::vector<ft::MetricRecord>{}
                                                           : ft::readMetricsLog(ft::runMetricsFile(s.runDir));
                    post([step = s.resumedFromStep, history = std::move(history)](TrainingController* c) {
                        emit c->resumedFrom(step, history);
                    });
                }
                post([s](TrainingController* c) {
                    emit c->prepared(s.trainableParameters, s.totalParameters, s.totalSteps, s.trainExamples,
                                     s.trainRows, s.validationExamples, QString::fromStdString(s.device));
                });
            },
        .onStep =
            [post](const ft::StepMetrics& m) {
                post([m](TrainingController* c) {
                    emit c->stepReported(m.step, m.totalSteps, m.epoch, m.loss, m.learningRate, m.tokensPerSecond,
                                         m.etaSeconds, m.memoryBytes);
                    if (!m.preference.empty()) emit c->preferenceReported(m.step, false, m.preference);
                });
            },
        .onEval =
            [post](const ft::EvalMetrics& e) {
                post([e](TrainingController* c) {
                    emit c->evalReported(e.step, e.loss, e.perplexity);
                    if (!e.preference.empty()) emit c->preferenceReported(e.step, true, e.preference);
                });
            },
        .onCheckpoint =
            [post](int step, const std::filesystem::path& dir) {
                post([step, dir = QString::fromStdString(dir.string())](TrainingController* c) {
                    emit c->checkpointWritten(step, dir);
                });
            },
        .onFinished =
            [post](ft::RunState state, const std::optional<ft::Error>& error) {
                const QString message = error ? errorText(*error)
                                        : state == ft::RunState::Cancelled ? TrainingController::tr("Training cancelled.")
                                                                           : QString();
                const bool ok = state == ft::RunState::Finished;
                post([ok, message](TrainingController* c) {
                    c->m_running = false;
                    emit c->finished(ok, message, c->m_runDir);
                });
            },
    });
    m_running = true;
    m_runDir = QString::fromStdString(m_run->outDir().string());
    if (!m_runDir.isEmpty()) emit started(m_runDir);  // else the run reports through finished why it could not start
}

void TrainingController::pause() {
    if (!m_running) return;
    m_run->pause();
    emit paused();
}

void TrainingController::resume() {
    if (!m_running) return;
    m_run->resume();
    emit resumed();
}

void TrainingController::cancel() {
    if (m_run) m_run->cancel();
}
