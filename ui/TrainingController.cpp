#include "TrainingController.h"

#include "ErrorText.h"

#include <QMetaObject>
#include <QPointer>
#include <QThread>

TrainingController::TrainingController(QObject* parent) : QObject(parent) {}

TrainingController::~TrainingController() {
    if (m_exportThread) m_exportThread->wait();  // it writes from m_run
}  // then ~TrainingRun cancels and joins

bool TrainingController::isRunning() const { return m_running; }

bool TrainingController::canExport() const {
    return m_run && !m_running && m_run->state() == ft::RunState::Finished;
}

void TrainingController::start(const QString& projectFile, int maxSteps, bool resume) {
    if (m_running) return;
    ft::Project project;
    try {
        project = ft::loadProject(projectFile.toStdString());
    } catch (const ft::Error& e) {
        emit finished(false, errorText(e), QString());
        return;
    }
    m_run = std::make_unique<ft::TrainingRun>(std::move(project), ft::RunOptions{{}, maxSteps, resume});
    m_running = true;
    // Each callback posts a functor to this object's thread; QPointer guards against a destroyed controller.
    QPointer<TrainingController> self(this);
    auto post = [self](auto fn) {
        QMetaObject::invokeMethod(
            self.data(), [self, fn] { if (self) fn(self.data()); }, Qt::QueuedConnection);
    };
    const QString out = QString::fromStdString(m_run->outDir().string());
    m_run->start({
        .onPrepared =
            [post, out](const ft::RunSummary& s) {
                if (s.resumedFromStep > 0) {
                    // The run has cut metrics.jsonl back to its checkpoint: the curve so far, posted before any step.
                    auto history = ft::readMetricsLog(out.toStdString() + "/metrics.jsonl");
                    post([step = s.resumedFromStep, history = std::move(history)](TrainingController* c) {
                        emit c->resumedFrom(step, history);
                    });
                }
                post([s](TrainingController* c) {
                    emit c->prepared(s.trainableParameters, s.totalParameters, s.totalSteps, s.trainExamples,
                                     s.validationExamples, QString::fromStdString(s.device));
                });
            },
        .onStep =
            [post](const ft::StepMetrics& m) {
                post([m](TrainingController* c) {
                    emit c->stepReported(m.step, m.totalSteps, m.epoch, m.loss, m.learningRate, m.tokensPerSecond,
                                         m.etaSeconds, m.memoryBytes);
                });
            },
        .onEval =
            [post](const ft::EvalMetrics& e) {
                post([e](TrainingController* c) { emit c->evalReported(e.step, e.loss, e.perplexity); });
            },
        .onFinished =
            [post, out](ft::RunState state, const std::optional<ft::Error>& error) {
                const QString message = error ? errorText(*error)
                                        : state == ft::RunState::Cancelled ? TrainingController::tr("Training cancelled.")
                                                                           : QString();
                const bool ok = state == ft::RunState::Finished;
                post([ok, message, out](TrainingController* c) {
                    c->m_running = false;
                    emit c->finished(ok, message, out);
                });
            },
    });
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

void TrainingController::exportAdapter(const QString& dir) {
    if (!canExport()) {
        emit exportFinished(false, tr("Train a model first: there is no finished adapter to export."), dir);
        return;
    }
    ft::TrainingRun* run = m_run.get();
    QPointer<TrainingController> self(this);
    QThread* worker = QThread::create([run, dir, self] {
        bool ok = true;
        QString message;
        try {
            run->exportAdapter(dir.toStdString());
        } catch (const ft::Error& e) {
            ok = false;
            message = errorText(e);
        }
        QMetaObject::invokeMethod(
            self.data(), [self, ok, message, dir] { if (self) emit self->exportFinished(ok, message, dir); },
            Qt::QueuedConnection);
    });
    connect(worker, &QThread::finished, worker, &QObject::deleteLater);
    m_exportThread = worker;
    worker->start();
}
