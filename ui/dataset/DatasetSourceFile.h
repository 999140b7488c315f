#pragma once
// A large dataset file kept open while the editor shows it: rows are read from it by offset when they are shown,
// checked, searched or saved, so the editor holds an index of the file rather than its bytes. Reads are positional
// and locked, so workers and the UI thread may read at once. Saving writes a new file (renamed over the old one);
// this one keeps reading the file as it was opened.

#include <QByteArray>
#include <QFile>
#include <QMutex>
#include <QString>

#include <memory>

class DatasetSourceFile {
public:
    // Null, with `error` set, when the file cannot be opened.
    static std::shared_ptr<DatasetSourceFile> open(const QString& path, QString* error = nullptr);

    // The bytes at [offset, offset + length); shorter (possibly empty) where the file ends or cannot be read.
    QByteArray read(qint64 offset, qint64 length) const;
    QString path() const { return m_file.fileName(); }

    // Drops `file` on a worker thread. The last close of a file a save has replaced frees its pages, which takes
    // 60-250 ms for 860 MB: not something the UI thread may wait for.
    static void release(std::shared_ptr<const DatasetSourceFile> file);
    qint64 size() const { return m_size; }

private:
    explicit DatasetSourceFile(const QString& path) : m_file(path) {}

    mutable QFile m_file;
    mutable QMutex m_lock;
    qint64 m_size = 0;
};
