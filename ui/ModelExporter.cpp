#include "ModelExporter.h"

#include "ErrorText.h"

#include "core/common/error.h"
#include "core/export/gguf_adapter.h"
#include "core/export/merged_model.h"
#include "core/train/checkpoint_info.h"

#include <QPointer>
#include <QtConcurrent/QtConcurrentRun>

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

// Streamed exports report each tensor to the UI thread and stop when cancelled.
ft::MergeOptions ModelExporter::reportingOptions(const std::shared_ptr<std::atomic<bool>>& cancelled) {
    ft::MergeOptions options;
    QPointer<ModelExporter> self(this);
    options.progress = [self, cancelled](int64_t done, int64_t total) {
        QMetaObject::invokeMethod(
            self.data(), [self, done, total] { if (self) emit self->progress(int(done), int(total)); },
            Qt::QueuedConnection);
        return !cancelled->load();
    };
    return options;
}

template <typename Fn>
void ModelExporter::run(Kind kind, const QString& path, std::shared_ptr<std::atomic<bool>> cancelled, Fn work) {
    if (isRunning()) {
        emit finished(kind, false, tr("Another export is still running."), path);
        return;
    }
    m_kind = kind;
    m_path = path;
    m_cancel = std::move(cancelled);
    m_watcher.setFuture(QtConcurrent::run([work]() -> QString {
        try {
            work();
            return {};
        } catch (const ft::Error& e) {
            return errorText(e);
        } catch (const std::exception& e) {
            return QString::fromUtf8(e.what());
        }
    }));
}

void ModelExporter::copyAdapter(const QString& adapterDir, const QString& outDir) {
    run(Kind::PeftAdapter, outDir, {}, [a = adapterDir.toStdString(), o = outDir.toStdString()] { ft::copyPeftAdapter(a, o); });
}

void ModelExporter::exportMerged(const QString& baseModel, const QString& adapterDir, const QString& outDir,
                                 const std::optional<ft::QloraConfig>& qlora, const QString& chatTemplate) {
    const auto cancelled = std::make_shared<std::atomic<bool>>(false);
    ft::MergeOptions options = reportingOptions(cancelled);
    options.qlora = qlora;
    options.chatTemplate = chatTemplate.toStdString();
    run(Kind::MergedModel, outDir, cancelled,
        [b = baseModel.toStdString(), a = adapterDir.toStdString(), o = outDir.toStdString(), options] {
            ft::writeMergedModel(b, a, o, options);
        });
}

void ModelExporter::exportFull(const QString& baseModel, const QString& runDir, const QString& outDir,
                               const QString& chatTemplate) {
    const auto cancelled = std::make_shared<std::atomic<bool>>(false);
    ft::MergeOptions options = reportingOptions(cancelled);
    options.chatTemplate = chatTemplate.toStdString();
    run(Kind::MergedModel, outDir, cancelled,
        [b = baseModel.toStdString(), r = runDir.toStdString(), o = outDir.toStdString(), options] {
            const auto checkpoint = ft::latestCheckpoint(r);
            if (!checkpoint)
                throw ft::Error(ft::ErrorCode::FileNotFound, r, "the run left no checkpoint; train again to export");
            ft::writeFullModel(b, *checkpoint / "trainable.safetensors", o, options);
        });
}

void ModelExporter::exportGguf(const QString& baseModel, const QString& adapterDir, const QString& outFile) {
    run(Kind::GgufAdapter, outFile, {}, [b = baseModel.toStdString(), a = adapterDir.toStdString(), o = outFile.toStdString()] {
        ft::writeGgufAdapter(b, a, o);
    });
}

void ModelExporter::cancel() {
    if (m_cancel) m_cancel->store(true);
}
