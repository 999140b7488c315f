#include "EvalRunner.h"

#include "ErrorText.h"

#include "core/common/error.h"

#include <QtConcurrent/QtConcurrentRun>

EvalRunner::EvalRunner(QObject* parent) : QObject(parent) {
    connect(&m_watcher, &QFutureWatcherBase::finished, this, [this] {
        const Outcome o = m_watcher.result();
        m_running = false;
        if (o.report) emit finished(o.report);
        else emit failed(o.error, o.cancelled);
    });
}

EvalRunner::~EvalRunner() {
    cancel();
    m_watcher.waitForFinished();
}

void EvalRunner::start(const ft::Project& project, ft::EvalOptions options) {
    if (isRunning()) return;
    m_running = true;
    m_cancel = std::make_shared<std::atomic<bool>>(false);
    // `this` outlives the worker (the destructor waits for it); events posted to it after it is gone are dropped.
    options.progress = [this](const ft::EvalProgress& p) {
        QMetaObject::invokeMethod(this, [this, p] {
            emit progress(p.side, p.sides, QString::fromStdString(p.stage), p.done, p.total);
        }, Qt::QueuedConnection);
        return true;
    };
    m_watcher.setFuture(QtConcurrent::run([project, options, cancel = m_cancel]() mutable {
        options.cancel = cancel.get();
        Outcome o;
        try {
            o.report = std::make_shared<const ft::EvalReport>(ft::evaluateProject(project, options));
        } catch (const ft::Error& e) {
            o.cancelled = e.code() == ft::ErrorCode::Cancelled;
            o.error = errorText(e);
        } catch (const std::exception& e) {
            o.error = QString::fromLocal8Bit(e.what());
        }
        return o;
    }));
}

void EvalRunner::cancel() {
    if (m_cancel) *m_cancel = true;
}
