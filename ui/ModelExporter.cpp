#include "ModelExporter.h"

#include "ErrorText.h"

#include "core/common/error.h"

#include <QPointer>
#include <QtConcurrent/QtConcurrentRun>

ft::ExportFormat ModelExporter::formatOf(Kind kind) {
    switch (kind) {
    case Kind::PeftAdapter: return ft::ExportFormat::Peft;
    case Kind::MergedModel: return ft::ExportFormat::Merged;
    case Kind::GgufAdapter: return ft::ExportFormat::Gguf;
    }
    return ft::ExportFormat::Peft;
}

ModelExporter::ModelExporter(QObject* parent) : QObject(parent) {
    connect(&m_watcher, &QFutureWatcherBase::finished, this, [this] {
        const QString error = m_watcher.result();
        emit finished(m_kind, error.isEmpty(), error, m_path);
    });
}

ModelExporter::~ModelExporter() {
    cancel();
    m_watcher.waitForFinished();  // the worker may still post progress to this object
}

void ModelExporter::exportRun(const QString& runOrCheckpoint, Kind kind, const QString& out) {
    if (isRunning()) {
        emit finished(kind, false, tr("Another export is still running."), out);
        return;
    }
    m_kind = kind;
    m_path = out;
    m_cancel = std::make_shared<std::atomic<bool>>(false);
    // Streamed exports report each tensor to the UI thread and stop when cancelled.
    QPointer<ModelExporter> self(this);
    auto report = [self, cancelled = m_cancel](int64_t done, int64_t total) {
        QMetaObject::invokeMethod(
            self.data(), [self, done, total] { if (self) emit self->progress(int(done), int(total)); },
            Qt::QueuedConnection);
        return !cancelled->load();
    };
    m_watcher.setFuture(QtConcurrent::run(
        [source = runOrCheckpoint.toStdString(), format = formatOf(kind), o = out.toStdString(), report]() -> QString {
            try {
                ft::ExportRequest request = ft::exportRequestFromCheckpoint(source, format, o);
                request.merge.progress = report;
                ft::runExport(request);
                return {};
            } catch (const ft::Error& e) {
                return errorText(e);
            } catch (const std::exception& e) {
                return QString::fromUtf8(e.what());
            }
        }));
}

void ModelExporter::cancel() {
    if (m_cancel) m_cancel->store(true);
}
