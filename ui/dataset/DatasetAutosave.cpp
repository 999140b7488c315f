#include "dataset/DatasetAutosave.h"

#include "dataset/DatasetTableModel.h"
#include "dataset/RowsResetCommand.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>
#include <QUndoStack>

namespace {
const QString kKind = QStringLiteral("finetune-studio/dataset-autosave");
constexpr int kVersion = 1;

// A row that still is the original file's row `sourceIndex`: stored as a reference, not as its contents. (An
// indexed row is one of the file it indexes: a save replaces them all; a row loaded from an earlier file carries its
// bytes and is not one.)
bool isOriginal(const DatasetRow& row, const DatasetOriginalRows& original) {
    return !row.edited && original.holds(row);
}
} // namespace

DatasetAutosave::DatasetAutosave(DatasetTableModel* model, QObject* parent) : QObject(parent), m_model(model) {
    m_timer.setSingleShot(true);
    m_timer.setInterval(kDelayMs);
    connect(&m_timer, &QTimer::timeout, this, [this] { writeNow(); });
    connect(model->undoStack(), &QUndoStack::indexChanged, this, &DatasetAutosave::schedule);
}

QString DatasetAutosave::autosavePath(const QString& datasetPath) {
    const QFileInfo info(datasetPath);
    return info.dir().filePath(QLatin1Char('.') + info.fileName() + QStringLiteral(".autosave"));
}

bool DatasetAutosave::exists(const QString& datasetPath) { return QFile::exists(autosavePath(datasetPath)); }

void DatasetAutosave::setDatasetPath(const QString& path) {
    m_timer.stop();
    m_path = path;
}

void DatasetAutosave::schedule() {
    // Not restarted by further edits: a stream of edits is still saved within kDelayMs of the first one.
    if (!m_path.isEmpty() && !m_timer.isActive()) m_timer.start();
}

void DatasetAutosave::remove() {
    m_timer.stop();
    if (!m_path.isEmpty()) QFile::remove(autosavePath(m_path));
}

QByteArray DatasetAutosave::snapshot() const {
    const DatasetOriginalRows& original = m_model->originalRows();
    QJsonArray rows;
    int rangeStart = -1, rangeEnd = -1;
    auto flush = [&] {
        if (rangeStart >= 0) rows.append(QJsonArray{rangeStart, rangeEnd});
        rangeStart = -1;
    };
    for (const DatasetRow& row : m_model->rows()) {
        if (isOriginal(row, original)) {
            if (rangeStart >= 0 && row.sourceIndex == rangeEnd) {
                ++rangeEnd;
                continue;
            }
            flush();
            rangeStart = row.sourceIndex, rangeEnd = row.sourceIndex + 1;
            continue;
        }
        flush();
        QJsonObject o{{QStringLiteral("cells"), QJsonArray::fromStringList(row.cells)},
                      {QStringLiteral("missing"), qint64(row.missing)},
                      {QStringLiteral("badType"), qint64(row.badType)}};
        if (row.raw) o.insert(QStringLiteral("raw"), true);
        if (row.line > 0) o.insert(QStringLiteral("line"), row.line);
        if (original.holds(row))
            o.insert(QStringLiteral("from"), row.sourceIndex);
        else if (!row.source.isEmpty())
            o.insert(QStringLiteral("source"), QString::fromUtf8(row.source));
        rows.append(o);
    }
    flush();
    const QJsonObject root{{QStringLiteral("kind"), kKind},
                           {QStringLiteral("version"), kVersion},
                           {QStringLiteral("file"), QFileInfo(m_path).fileName()},
                           {QStringLiteral("sha1"), QString::fromLatin1(m_model->document().sourceHash.toHex())},
                           {QStringLiteral("rows"), rows}};
    return QJsonDocument(root).toJson(QJsonDocument::Compact);
}

bool DatasetAutosave::writeNow(QString* error) {
    m_timer.stop();
    if (m_path.isEmpty()) return false;
    if (!m_model->isModified()) {  // back to the saved state: nothing to recover
        remove();
        return true;
    }
    QSaveFile file(autosavePath(m_path));
    const QByteArray bytes = snapshot();
    if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size() || !file.commit()) {
        const QString message = tr("Cannot write the autosave %1: %2. Your edits are kept in memory; save soon.")
                                    .arg(QDir::toNativeSeparators(file.fileName()), file.errorString());
        if (error) *error = message;
        emit failed(message);
        return false;
    }
    emit written();
    return true;
}

bool DatasetAutosave::restore(DatasetTableModel* model, QString* error) {
    const QString path = autosavePath(model->filePath());
    auto fail = [&](const QString& message) {
        if (error) *error = message;
        return false;
    };
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return fail(tr("Cannot read the autosave %1: %2.").arg(QDir::toNativeSeparators(path), file.errorString()));
    const QJsonObject root = QJsonDocument::fromJson(file.readAll()).object();
    if (root.value(QStringLiteral("kind")).toString() != kKind || root.value(QStringLiteral("version")).toInt() != kVersion)
        return fail(tr("%1 is not an autosave this version can read; it was left as it is.").arg(QDir::toNativeSeparators(path)));
    if (root.value(QStringLiteral("sha1")).toString() != QString::fromLatin1(model->document().sourceHash.toHex()))
        return fail(tr("The dataset changed on disk after the autosave was made, so its edits no longer fit. "
                       "The autosave was left at %1.").arg(QDir::toNativeSeparators(path)));

    const DatasetOriginalRows& original = model->originalRows();
    const DatasetSchema& schema = model->schema();
    const QString damaged = tr("The autosave %1 is damaged; it was left as it is.").arg(QDir::toNativeSeparators(path));
    QList<DatasetRow> rows;
    for (const auto& entry : root.value(QStringLiteral("rows")).toArray()) {
        if (entry.isArray()) {  // [first, end) of the original rows
            const int first = entry[0].toInt(-1), end = entry[1].toInt(-1);
            if (first < 0 || end > original.size() || first >= end) return fail(damaged);
            for (int i = first; i < end; ++i) rows.append(original.at(i));
            continue;
        }
        const QJsonObject o = entry.toObject();
        DatasetRow row;
        const int from = o.value(QStringLiteral("from")).toInt(-1);
        if (from >= original.size()) return fail(damaged);
        if (from >= 0) row = model->loaded(original.at(from));  // its bytes: the fields not shown are written back
        else row.source = o.value(QStringLiteral("source")).toString().toUtf8();
        row.cells.clear();
        for (const auto& c : o.value(QStringLiteral("cells")).toArray()) row.cells.append(c.toString());
        if (row.cells.size() != schema.fieldCount()) return fail(damaged);
        row.missing = quint32(o.value(QStringLiteral("missing")).toInteger());
        row.badType = quint32(o.value(QStringLiteral("badType")).toInteger());
        row.raw = o.value(QStringLiteral("raw")).toBool();
        row.line = o.value(QStringLiteral("line")).toInt(from >= 0 ? row.line : 0);
        row.edited = true;
        if (row.shape == RecordShape::Unknown) row.shape = schema.shape();
        schema.validate(row);
        rows.append(row);
    }
    model->undoStack()->push(new RowsResetCommand(model, model->rows(), rows, tr("Restore autosaved edits")));
    return true;
}
