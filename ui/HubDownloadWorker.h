#pragma once
// One Hub pull (core/hub) on its own thread, relayed as queued signals. The cancel flag is shared, not owned: the
// dialog may close while curl is still unwinding, and the worker then finishes and deletes itself with its thread.

#include "core/hub/hub_api.h"
#include "core/hub/hub_settings.h"

#include <QObject>
#include <QString>
#include <atomic>
#include <memory>

class HubDownloadWorker : public QObject {
    Q_OBJECT
public:
    HubDownloadWorker(ft::hub::RepoSpec spec, ft::hub::HubSettings settings, std::shared_ptr<std::atomic<bool>> cancel);

    // Starts the pull on a new thread; worker and thread delete themselves when it ends.
    static HubDownloadWorker* start(ft::hub::RepoSpec spec, ft::hub::HubSettings settings,
                                    std::shared_ptr<std::atomic<bool>> cancel);

signals:
    void progress(const QString& file, int index, int count, qint64 fileDone, qint64 fileTotal, qint64 done,
                  qint64 total, double bytesPerSecond, double etaSeconds);
    // problem: -1 on success, else an ft::hub::HubProblem; message: core's English sentence; subject: what it names.
    void finished(const QString& snapshot, int problem, const QString& message, const QString& subject);

private:
    void run();

    ft::hub::RepoSpec m_spec;
    ft::hub::HubSettings m_settings;
    std::shared_ptr<std::atomic<bool>> m_cancel;
};
