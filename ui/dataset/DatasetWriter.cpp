#include "dataset/DatasetWriter.h"

#include <QJsonDocument>

QByteArray DatasetWriter::serialize(const DatasetDocument& doc, QList<QByteArray>* chunks) {
    QByteArray out = doc.prefix;
    if (!out.isEmpty() && !out.endsWith('\n') && !doc.rows.isEmpty()) out += doc.newline;  // a header without a line end
    if (chunks) chunks->clear();
    for (qsizetype i = 0; i < doc.rows.size(); ++i) {
        const DatasetRow& row = doc.rows[i];
        QByteArray chunk = row.edited || row.source.isEmpty() ? rowBytes(doc, row) : row.source;
        if (!chunk.endsWith('\n') && i + 1 < doc.rows.size()) chunk += doc.newline;  // was the file's last line
        out += chunk;
        if (chunks) chunks->append(chunk);
    }
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
