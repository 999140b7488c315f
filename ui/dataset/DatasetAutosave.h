#pragma once
// Crash safety for the editor: after each edit (debounced, within a second) the edits are written atomically to
// ".<name>.autosave" beside the dataset; opening the dataset again offers them back; a clean save removes the file.
// Untouched rows are stored as ranges of the original file's rows, so the autosave stays small for a large file.

#include <QObject>
#include <QTimer>

class DatasetTableModel;

class DatasetAutosave : public QObject {
    Q_OBJECT
public:
    static constexpr int kDelayMs = 500;

    explicit DatasetAutosave(DatasetTableModel* model, QObject* parent = nullptr);

    static QString autosavePath(const QString& datasetPath);
    static bool exists(const QString& datasetPath);
    // Puts the autosaved rows into `model`, which must hold the dataset as just read, as one undoable step.
    static bool restore(DatasetTableModel* model, QString* error = nullptr);

    // The dataset the model holds now; cancels a pending write for the previous one.
    void setDatasetPath(const QString& path);
    bool isPending() const { return m_timer.isActive(); }
    bool writeNow(QString* error = nullptr);
    void remove();

signals:
    void written();
    void failed(const QString& error);

private:
    void schedule();
    QByteArray snapshot() const;

    DatasetTableModel* m_model;
    QString m_path;
    QTimer m_timer;
};
