#include "dataset/DatasetSourceFile.h"

#include <QDir>
#include <QMutexLocker>
#include <QThreadPool>

std::shared_ptr<DatasetSourceFile> DatasetSourceFile::open(const QString& path, QString* error) {
    std::shared_ptr<DatasetSourceFile> file(new DatasetSourceFile(path));
    if (!file->m_file.open(QIODevice::ReadOnly)) {
        if (error) *error = file->m_file.errorString();
        return nullptr;
    }
    file->m_size = file->m_file.size();
    return file;
}

QByteArray DatasetSourceFile::read(qint64 offset, qint64 length) const {
    QMutexLocker lock(&m_lock);
    if (offset < 0 || length <= 0 || !m_file.seek(offset)) return {};
    return m_file.read(length);
}

void DatasetSourceFile::release(std::shared_ptr<const DatasetSourceFile> file) {
    if (file) QThreadPool::globalInstance()->start([file = std::move(file)]() mutable { file.reset(); });
}
