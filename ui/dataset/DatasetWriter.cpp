#include "dataset/DatasetWriter.h"

#include <QJsonDocument>

DatasetWriter::Result DatasetWriter::write(const DatasetDocument& doc, const Sink& sink) {
    const QList<DatasetRow>& rows = doc.rows;
    const qsizetype n = rows.size();
    QByteArray prefix = doc.prefix;
    if (!prefix.isEmpty() && !prefix.endsWith('\n') && n > 0) prefix += doc.newline;  // a header without a line end
    if (!prefix.isEmpty() && !sink(-1, prefix)) return Result::SinkFailed;
    auto emitRow = [&](qsizetype i, QByteArray chunk) {
        if (!chunk.endsWith('\n') && i + 1 < n) chunk += doc.newline;  // was the file's last line
        return sink(i, chunk);
    };
    for (qsizetype i = 0; i < n; ++i) {
        const DatasetRow& row = rows[i];
        if (row.isIndexed() && doc.file) {
            // Rows that still follow each other in the file: one read for up to 4 MB of them.
            qsizetype last = i;
            qint64 end = row.offset + row.length;
            while (last + 1 < n && rows[last + 1].isIndexed() && rows[last + 1].offset == end &&
                   end - row.offset < (4 << 20)) {
                ++last;
                end += rows[last].length;
            }
            const QByteArray block = doc.file->read(row.offset, end - row.offset);
            if (block.size() != end - row.offset) return Result::SourceUnreadable;
            for (qsizetype k = i; k <= last; ++k)
                if (!emitRow(k, block.mid(rows[k].offset - row.offset, rows[k].length))) return Result::SinkFailed;
            i = last;
            continue;
        }
        if (!emitRow(i, row.edited || row.source.isEmpty() ? rowBytes(doc, row) : row.source)) return Result::SinkFailed;
    }
    return Result::Ok;
}

QByteArray DatasetWriter::serialize(const DatasetDocument& doc, QList<QByteArray>* chunks) {
    QByteArray out;
    if (chunks) chunks->clear();
    write(doc, [&](qsizetype row, const QByteArray& bytes) {
        out += bytes;
        if (chunks && row >= 0) chunks->append(bytes);
        return true;
    });
    return out;
}

QByteArray DatasetWriter::rowBytes(const DatasetDocument& doc, const DatasetRow& row) {
    if (doc.format == DatasetDocument::Format::Csv) return csvLine(row.cells, doc.delimiter, doc.newline);
    if (row.raw)  // not a JSON object yet: the user's text on its one line, as typed
        return row.cells.value(0).toUtf8().replace('\n', ' ').replace('\r', ' ') + doc.newline;
    if (doc.schema.layout() == DatasetSchema::Layout::Record) {
        const QJsonDocument json = QJsonDocument::fromJson(row.cells.value(0).toUtf8());
        if (!json.isObject())  // not JSON yet: keep the user's text on its one line rather than lose it
            return row.cells.value(0).toUtf8().replace('\n', ' ').replace('\r', ' ') + doc.newline;
        return json.toJson(QJsonDocument::Compact) + doc.newline;
    }
    const QJsonObject base = row.source.isEmpty() ? QJsonObject() : QJsonDocument::fromJson(row.source).object();
    return QJsonDocument(doc.schema.writeRecord(row, base)).toJson(QJsonDocument::Compact) + doc.newline;
}

QByteArray DatasetWriter::csvLine(const QStringList& fields, char delimiter, const QByteArray& newline) {
    QByteArray line;
    for (qsizetype i = 0; i < fields.size(); ++i) {
        if (i) line += delimiter;
        QByteArray f = fields[i].toUtf8();
        const bool quote = f.contains(delimiter) || f.contains('"') || f.contains('\n') || f.contains('\r') ||
                           f.startsWith(' ') || f.endsWith(' ');
        if (quote) f = '"' + f.replace("\"", "\"\"") + '"';
        line += f;
    }
    return line + newline;
}
