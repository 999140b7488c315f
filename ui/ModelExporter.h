#pragma once
// Exports on a worker thread (QtConcurrent): a run's (or checkpoint's) result as a PEFT adapter folder, merged into
// its base model, or converted to a llama.cpp GGUF adapter — one ft::ExportRequest, the same the CLI makes.
// Progress and the result come back as signals on the UI thread; a running merge can be cancelled.

#include "core/export/export_request.h"

#include <QFutureWatcher>
#include <QObject>
#include <QString>

#include <atomic>
#include <memory>

class ModelExporter : public QObject {
    Q_OBJECT
public:
    enum class Kind { PeftAdapter, MergedModel, GgufAdapter };
    static ft::ExportFormat formatOf(Kind kind);

    explicit ModelExporter(QObject* parent = nullptr);
    ~ModelExporter() override;

    bool isRunning() const { return m_watcher.isRunning(); }

public slots:
    // `runOrCheckpoint`: a run folder (its latest checkpoint; a finished run's is its final state) or a checkpoint.
    void exportRun(const QString& runOrCheckpoint, ModelExporter::Kind kind, const QString& out);
    void cancel();

signals:
    void progress(int done, int total);
    void finished(ModelExporter::Kind kind, bool ok, const QString& message, const QString& path);

private:
    QFutureWatcher<QString> m_watcher;  // the result is the error text, empty when it worked
    Kind m_kind = Kind::PeftAdapter;
    QString m_path;
    std::shared_ptr<std::atomic<bool>> m_cancel;
};
