#pragma once
// Exports that need no live training run, on a worker thread (QtConcurrent): a trained PEFT adapter folder copied,
// merged into its base model, or converted to a llama.cpp GGUF adapter. Progress and the result come back as
// signals on the UI thread; a running merge can be cancelled.

#include "core/export/merged_model.h"
#include "core/quant/qlora_config.h"

#include <QFutureWatcher>
#include <QObject>
#include <QString>

#include <atomic>
#include <memory>
#include <optional>

class ModelExporter : public QObject {
    Q_OBJECT
public:
    enum class Kind { PeftAdapter, MergedModel, GgufAdapter };

    explicit ModelExporter(QObject* parent = nullptr);
    ~ModelExporter() override;

    bool isRunning() const { return m_watcher.isRunning(); }

public slots:
    void copyAdapter(const QString& adapterDir, const QString& outDir);
    // qlora: set when the adapter was trained over a 4-bit base (the merge then starts from the dequantized weights).
    // chatTemplate: the project's own template when training did not use the model's; the folder carries it.
    void exportMerged(const QString& baseModel, const QString& adapterDir, const QString& outDir,
                      const std::optional<ft::QloraConfig>& qlora, const QString& chatTemplate = QString());
    void exportGguf(const QString& baseModel, const QString& adapterDir, const QString& outFile);
    // A full fine-tune: the base folder with the trained weights of the run's latest checkpoint.
    void exportFull(const QString& baseModel, const QString& runDir, const QString& outDir,
                    const QString& chatTemplate = QString());
    void cancel();

signals:
    void progress(int done, int total);
    void finished(ModelExporter::Kind kind, bool ok, const QString& message, const QString& path);

private:
    ft::MergeOptions reportingOptions(const std::shared_ptr<std::atomic<bool>>& cancelled);
    template <typename Fn>
    void run(Kind kind, const QString& path, std::shared_ptr<std::atomic<bool>> cancelled, Fn work);

    QFutureWatcher<QString> m_watcher;  // the result is the error text, empty when it worked
    Kind m_kind = Kind::PeftAdapter;
    QString m_path;
    std::shared_ptr<std::atomic<bool>> m_cancel;
};
