#include "dataset/DatasetLoader.h"

#include "core/data/csv.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QtConcurrent/QtConcurrentMap>

#include <atomic>
#include <cstring>
#include <numeric>
#include <vector>

namespace {
std::atomic<qint64> g_indexThreshold{128ll << 20};

// A record that is no JSON object (its issue set): kept as the text of its line, flagged, for the user to fix.
void readUnparsed(const DatasetSchema& schema, DatasetRow& row) {
    qsizetype end = row.source.indexOf('\n');
    if (end < 0) end = row.source.size();
    if (end > 0 && row.source[end - 1] == '\r') --end;
    schema.readText(QString::fromUtf8(row.source.left(end)), row);
}

void readParsed(const DatasetSchema& schema, const QJsonObject& record, DatasetRow& row) {
    schema.readRecord(record, row);
    schema.validate(row);
}
} // namespace

qint64 DatasetLoader::indexThreshold() { return g_indexThreshold; }
void DatasetLoader::setIndexThreshold(qint64 bytes) { g_indexThreshold = bytes; }

DatasetLoader::Result DatasetLoader::load(const QString& path) {
    const QFileInfo info(path);
    const QString suffix = info.suffix().toLower();
    if (info.size() > indexThreshold() && suffix != u"csv" && suffix != u"tsv" && suffix != u"json")
        return loadIndexed(path);
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {{}, tr("Cannot read %1: %2. Check that the file exists and that you may read it.")
                        .arg(QDir::toNativeSeparators(path), file.errorString())};
    return parse(file.readAll(), path);
}

DatasetLoader::Result DatasetLoader::parse(const QByteArray& bytes, const QString& path) {
    Result r;
    DatasetDocument& doc = r.document;
    doc.path = path;
    doc.sourceHash = QCryptographicHash::hash(bytes, QCryptographicHash::Sha1);
    const qsizetype eol = bytes.indexOf('\n');
    if (eol > 0 && bytes[eol - 1] == '\r') doc.newline = "\r\n";
    const QString suffix = QFileInfo(path).suffix().toLower();
    if (suffix == u"csv" || suffix == u"tsv") {
        doc.format = DatasetDocument::Format::Csv;
        doc.delimiter = suffix == u"tsv" ? '\t' : ',';
        r.error = parseCsv(bytes, doc);
    } else if (suffix == u"json" && bytes.trimmed().startsWith('[')) {
        r.error = tr("%1 is one JSON list; the editor works on JSON Lines. Save it as .jsonl with one record a line.")
                      .arg(QFileInfo(path).fileName());
    } else {
        parseJsonl(bytes, doc);
    }
    return r;
}

void DatasetLoader::parseJsonl(const QByteArray& bytes, DatasetDocument& doc) {
    // Split into records; blank lines stay with the record before them, so untouched bytes are written back as read.
    const qsizetype size = bytes.size();
    int lineNo = 0;
    for (qsizetype start = 0; start < size;) {
        qsizetype end = bytes.indexOf('\n', start);
        const qsizetype next = end < 0 ? size : end + 1;
        const QByteArray line = QByteArray::fromRawData(bytes.constData() + start, next - start);
        ++lineNo;
        if (line.trimmed().isEmpty()) {
            if (doc.rows.isEmpty()) doc.prefix += line;
            else doc.rows.last().source += line;
        } else {
            DatasetRow row;
            row.source = bytes.mid(start, next - start);
            row.sourceIndex = int(doc.rows.size());
            row.line = lineNo;
            doc.rows.append(std::move(row));
        }
        start = next;
    }

    // Parse the records in parallel: each is independent, and this is most of the time spent on a large file.
    QList<QJsonObject> objects(doc.rows.size());
    QList<int> index(doc.rows.size());
    std::iota(index.begin(), index.end(), 0);
    QtConcurrent::blockingMap(index, [&](int i) {
        DatasetRow& row = doc.rows[i];
        QJsonParseError err;
        const QJsonDocument json = QJsonDocument::fromJson(row.source, &err);
        if (err.error != QJsonParseError::NoError) row.issue = RowIssue::NotJson;
        else if (!json.isObject()) row.issue = RowIssue::NotObject;
        else {
            objects[i] = json.object();
            row.shape = DatasetSchema::shapeOf(objects[i]);  // core's detection, per record (mixed files)
        }
    });
    QList<QJsonObject> sample;  // the layout is decided on the parsed records
    QList<RecordShape> shapes;
    for (int i = 0; i < objects.size(); ++i)
        if (doc.rows[i].issue == RowIssue::None) {
            sample.append(objects[i]);
            shapes.append(doc.rows[i].shape);
        }
    doc.schema = DatasetSchema::forRecords(sample, shapes);
    sample.clear();

    QtConcurrent::blockingMap(index, [&](int i) {
        DatasetRow& row = doc.rows[i];
        if (row.issue != RowIssue::None) return readUnparsed(doc.schema, row);
        readParsed(doc.schema, objects[i], row);
        objects[i] = {};
    });
}

void DatasetLoader::readJsonlRow(const DatasetSchema& schema, DatasetRow& row) {
    QJsonParseError err;
    const QJsonDocument json = QJsonDocument::fromJson(row.source, &err);
    if (err.error != QJsonParseError::NoError || !json.isObject()) {
        row.issue = err.error != QJsonParseError::NoError ? RowIssue::NotJson : RowIssue::NotObject;
        return readUnparsed(schema, row);
    }
    const QJsonObject object = json.object();
    row.shape = DatasetSchema::shapeOf(object);
    readParsed(schema, object, row);
}

DatasetRow DatasetLoader::loaded(const DatasetDocument& doc, const DatasetRow& row) {
    if (!row.isIndexed() || !doc.file) return row;
    DatasetRow out = row;
    out.source = doc.file->read(row.offset, row.length);
    if (out.source.isEmpty()) {  // the file shrank or went away under the editor: show that, not a crash
        out.source = QByteArray(" ");
        out.issue = RowIssue::NotJson;
        out.cells = QStringList(doc.schema.fieldCount());
        out.raw = true;
        return out;
    }
    readJsonlRow(doc.schema, out);
    return out;
}

// One pass over the file in blocks: where each record starts (blank lines stay with the record before them, as in
// parseJsonl), its line, and the file's SHA-1; the rows hold only that. The layout comes from the first records.
DatasetLoader::Result DatasetLoader::loadIndexed(const QString& path) {
    Result r;
    DatasetDocument& doc = r.document;
    doc.path = path;
    QString why;
    auto file = DatasetSourceFile::open(path, &why);
    QFile in(path);
    if (!file || !in.open(QIODevice::ReadOnly)) {
        r.error = tr("Cannot read %1: %2. Check that the file exists and that you may read it.")
                      .arg(QDir::toNativeSeparators(path), file ? in.errorString() : why);
        return r;
    }
    QCryptographicHash sha1(QCryptographicHash::Sha1);
    std::vector<qint64> starts;
    std::vector<int> lines;
    starts.reserve(size_t(in.size() / 512 + 16));
    lines.reserve(starts.capacity());
    constexpr qint64 kBlock = 8 << 20;
    QByteArray block;
    qint64 blockStart = 0, lineStart = 0;
    int lineNo = 1;
    bool blank = true;  // the line read so far is whitespace only
    bool firstLineSeen = false;
    char lastOfBlock = 0;
    while (true) {
        block = in.read(kBlock);
        if (block.isEmpty()) break;
        sha1.addData(block);
        const char* p = block.constData();
        for (qsizetype i = 0, n = block.size(); i < n; ++i) {
            const char c = p[i];
            if (c == '\n') {
                if (!firstLineSeen) {
                    firstLineSeen = true;
                    if ((i > 0 ? p[i - 1] : lastOfBlock) == '\r') doc.newline = "\r\n";
                }
                ++lineNo;
                lineStart = blockStart + i + 1;
                blank = true;
                continue;
            }
            if (blank && !(c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f')) {
                blank = false;
                starts.push_back(lineStart);
                lines.push_back(lineNo);
                // Skip to the line's end: the rest of a record's line cannot start another.
                const void* eol = std::memchr(p + i, '\n', size_t(n - i));
                i = eol ? static_cast<const char*>(eol) - p - 1 : n - 1;
            }
        }
        blockStart += block.size();
        lastOfBlock = block.back();
    }
    if (in.error() != QFileDevice::NoError) {
        r.error = tr("Cannot read %1: %2. Check that the file exists and that you may read it.")
                      .arg(QDir::toNativeSeparators(path), in.errorString());
        return r;
    }
    const qint64 size = blockStart;
    doc.sourceHash = sha1.result();
    doc.prefix = file->read(0, starts.empty() ? size : starts.front());

    doc.rows.resize(qsizetype(starts.size()));
    for (size_t i = 0; i < starts.size(); ++i) {
        DatasetRow& row = doc.rows[qsizetype(i)];
        row.offset = starts[i];
        row.length = qint32(std::min<qint64>((i + 1 < starts.size() ? starts[i + 1] : size) - starts[i], INT32_MAX));
        row.sourceIndex = int(i);
        row.line = lines[i];
    }

    // The layout, from the first records (core detects the format from the first usable record too).
    const int sample = int(std::min<size_t>(starts.size(), kSchemaSampleRows));
    QList<QJsonObject> objects;
    QList<RecordShape> shapes;
    if (sample > 0) {
        const QByteArray head = file->read(0, doc.rows[sample - 1].offset + doc.rows[sample - 1].length);
        for (int i = 0; i < sample; ++i) {
            const DatasetRow& row = doc.rows[i];
            const QJsonDocument json = QJsonDocument::fromJson(head.mid(row.offset, row.length));
            if (json.isObject()) {
                objects.append(json.object());
                shapes.append(DatasetSchema::shapeOf(objects.back()));
            }
        }
    }
    doc.schema = DatasetSchema::forRecords(objects, shapes);
    doc.file = std::move(file);
    doc.original = DatasetOriginalRows(std::move(starts), size, std::move(lines));
    return r;
}

QString DatasetLoader::parseCsv(const QByteArray& bytes, DatasetDocument& doc) {
    std::vector<ft::CsvError> errors;
    const auto records = ft::parseCsv(std::string_view(bytes.constData(), size_t(bytes.size())), doc.delimiter, errors);
    if (!errors.empty())
        return tr("Line %1: %2. Close the quote (a quote inside a quoted field is written twice) and open the file again.")
            .arg(errors.front().line)
            .arg(QString::fromStdString(errors.front().reason));
    if (records.empty()) return tr("The file is empty: a CSV dataset needs a header row, e.g. prompt,response.");

    // Where each line starts, so a record's bytes can be cut from the file by its line numbers.
    QList<qsizetype> lineStart{0, 0};  // 1-based
    for (qsizetype i = 0; i < bytes.size(); ++i)
        if (bytes[i] == '\n') lineStart.append(i + 1);
    auto offsetOf = [&](int line) { return line < lineStart.size() ? lineStart[line] : bytes.size(); };

    QStringList header;
    for (const auto& f : records.front().fields) header << QString::fromUtf8(f);
    doc.schema = DatasetSchema::forCsvHeader(header);
    doc.prefix = bytes.left(records.size() > 1 ? offsetOf(records[1].line) : bytes.size());
    for (size_t k = 1; k < records.size(); ++k) {
        const qsizetype begin = offsetOf(records[k].line);
        const qsizetype end = k + 1 < records.size() ? offsetOf(records[k + 1].line) : bytes.size();
        DatasetRow row;
        row.source = bytes.mid(begin, end - begin);
        row.sourceIndex = int(doc.rows.size());
        row.shape = RecordShape::Csv;
        row.line = records[k].line;
        for (const auto& f : records[k].fields) row.cells << QString::fromUtf8(f);
        const bool countOk = row.cells.size() == header.size();
        row.cells.resize(header.size());
        doc.schema.validate(row);
        if (!countOk) row.issue = RowIssue::FieldCount;
        doc.rows.append(std::move(row));
    }
    return {};
}
