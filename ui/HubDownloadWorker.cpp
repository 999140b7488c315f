#include "HubDownloadWorker.h"

#include "core/hub/hub_download.h"
#include "core/hub/hub_error.h"

#include <QThread>

HubDownloadWorker::HubDownloadWorker(ft::hub::RepoSpec spec, ft::hub::HubSettings settings,
                                     std::shared_ptr<std::atomic<bool>> cancel)
    : m_spec(std::move(spec)), m_settings(std::move(settings)), m_cancel(std::move(cancel)) {}

HubDownloadWorker* HubDownloadWorker::start(ft::hub::RepoSpec spec, ft::hub::HubSettings settings,
                                            std::shared_ptr<std::atomic<bool>> cancel) {
    auto* thread = new QThread();
    thread->setObjectName(QStringLiteral("HubDownload"));
    auto* worker = new HubDownloadWorker(std::move(spec), std::move(settings), std::move(cancel));
    worker->moveToThread(thread);
    connect(thread, &QThread::started, worker, &HubDownloadWorker::run);
    connect(worker, &HubDownloadWorker::finished, thread, &QThread::quit);
    connect(thread, &QThread::finished, worker, &QObject::deleteLater);
    connect(thread, &QThread::finished, thread, &QObject::deleteLater);
    thread->start();
    return worker;
}

void HubDownloadWorker::run() {
    ft::hub::PullOptions options;
    options.settings = m_settings;
    options.cancel = m_cancel.get();
    options.onProgress = [this](const ft::hub::PullProgress& p) {
        emit progress(QString::fromStdString(p.file), p.fileIndex, p.fileCount, qint64(p.fileDone), qint64(p.fileTotal),
                      qint64(p.done), qint64(p.total), p.bytesPerSecond, p.etaSeconds);
    };
    try {
        const ft::hub::PullResult r = ft::hub::pull(m_spec, options);
        emit finished(QString::fromStdString(r.snapshot.string()), -1, {}, {});
    } catch (const ft::hub::HubError& e) {
        emit finished({}, int(e.problem()), QString::fromUtf8(e.what()), QString::fromStdString(e.subject()));
    } catch (const std::exception& e) {
        emit finished({}, int(ft::hub::HubProblem::DiskError), QString::fromUtf8(e.what()), {});
    }
}
