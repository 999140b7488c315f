#include "dataset/DatasetTableModel.h"

#include "dataset/DatasetLoader.h"
#include "dataset/DatasetWriter.h"
#include "dataset/RowMoveCommand.h"
#include "dataset/RowReplaceCommand.h"
#include "dataset/RowsCommand.h"

#include <QApplication>
#include <QBrush>
#include <QCryptographicHash>
#include <QDir>
#include <QJsonDocument>
#include <QJsonParseError>
#include <QSaveFile>
#include <QStyle>
#include <QThreadPool>
#include <QUndoStack>

#include <utility>

namespace {
constexpr int kDisplayChars = 300;  // a cell shows its start; the editor and the tooltip show more
}

DatasetTableModel::DatasetTableModel(QObject* parent) : QAbstractTableModel(parent), m_undo(new QUndoStack(this)) {
    if (auto* style = QApplication::style()) {
        m_okIcon = style->standardIcon(QStyle::SP_DialogApplyButton);
        m_badIcon = style->standardIcon(QStyle::SP_MessageBoxWarning);
    }
}

void DatasetTableModel::setDocument(DatasetDocument doc) {
    beginResetModel();
    m_doc = std::move(doc);
    m_original = m_doc.original ? std::move(*m_doc.original) : DatasetOriginalRows(m_doc.rows, m_doc.isIndexed());
    m_doc.original.reset();
    m_checks.clear();
    m_invalid = -1;
    m_loaded.clear();
    endResetModel();
    m_undo->clear();
    m_undo->setClean();
}

bool DatasetTableModel::isModified() const { return !m_undo->isClean(); }

int DatasetTableModel::invalidRowCount() const {
    if (m_invalid < 0)
        m_invalid = int(std::count_if(m_doc.rows.begin(), m_doc.rows.end(),
                                      [this](const DatasetRow& r) { return issueOf(r) != RowIssue::None; }));
    return m_invalid;
}

const DatasetRow& DatasetTableModel::row(int i) const {
    const DatasetRow& r = m_doc.rows[i];
    if (!r.isIndexed()) return r;
    DatasetRow* hit = m_loaded.object(r.offset);
    if (!hit) {
        hit = new DatasetRow(DatasetLoader::loaded(m_doc, r));
        m_loaded.insert(r.offset, hit);
    }
    hit->line = r.line;  // a duplicate shares its original's bytes, not its line
    return *hit;
}

DatasetRow DatasetTableModel::loaded(const DatasetRow& row) const { return DatasetLoader::loaded(m_doc, row); }

RowIssue DatasetTableModel::issueOf(const DatasetRow& r) const {
    if (!r.isIndexed()) return r.issue;
    return size_t(r.sourceIndex) < m_checks.size() ? RowIssue(m_checks[size_t(r.sourceIndex)]) : RowIssue::None;
}

void DatasetTableModel::setRowChecks(std::vector<quint8> issues) {
    if (issues.size() != size_t(m_original.size())) return;  // for another version of the file
    m_checks = std::move(issues);
    m_invalid = -1;
}

int DatasetTableModel::rowCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : int(m_doc.rows.size()); }

int DatasetTableModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : FirstFieldColumn + m_doc.schema.fieldCount();
}

QString DatasetTableModel::displayText(const QString& cell) const {
    QString s = cell.size() > kDisplayChars ? cell.left(kDisplayChars) + u'…' : cell;
    return s.replace(u'\n', QStringLiteral(" ⏎ "));
}

QString DatasetTableModel::editText(int field, const QString& cell) const {
    if (m_doc.schema.fields()[field].role != FieldRole::Json) return cell;
    const QJsonDocument json = QJsonDocument::fromJson(cell.toUtf8());  // one row, so the cost is fine
    return json.isNull() ? cell : QString::fromUtf8(json.toJson(QJsonDocument::Indented));
}

QVariant DatasetTableModel::data(const QModelIndex& index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid)) return {};
    const DatasetRow& row = this->row(index.row());
    if (index.column() == StatusColumn) {
        switch (role) {
        case Qt::DisplayRole: return statusLabel(row);
        case Qt::ToolTipRole: return statusText(row);
        case Qt::DecorationRole: return row.isValid() ? m_okIcon : m_badIcon;
        case Qt::ForegroundRole: return row.isValid() ? QVariant() : QBrush(Qt::darkRed);
        case IssueRole: return int(row.issue);
        default: return {};
        }
    }
    const int field = index.column() - FirstFieldColumn;
    const QString& cell = row.cells[field];
    if (row.raw) {  // the line as written, in the first field; the others stay empty until it is an object
        switch (role) {
        case Qt::DisplayRole: return field == 0 ? displayText(cell) : QString();
        case Qt::EditRole: return field == 0 ? cell : QString();
        case Qt::ToolTipRole: return field == 0 ? cell.left(2000) : statusText(row);
        case Qt::ForegroundRole: return field == 0 ? QBrush(Qt::darkRed) : QVariant();
        case IssueRole: return int(row.issue);
        default: return {};
        }
    }
    switch (role) {
    case Qt::DisplayRole: return displayText(cell);
    case Qt::EditRole: return editText(field, cell);
    case Qt::ToolTipRole: return cell.left(2000);
    case IssueRole: return int(row.issue);
    default: return {};
    }
}

QVariant DatasetTableModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation == Qt::Vertical) {  // the record's line in the file, so that rows match what an editor shows
        if (section < 0 || section >= rowCount() || (role != Qt::DisplayRole && role != Qt::ToolTipRole)) return {};
        const int line = m_doc.rows[section].line;
        if (role == Qt::ToolTipRole)
            return line > 0 ? tr("Line %1 of the file").arg(line) : tr("Added here; written to the file when you save");
        return line > 0 ? QString::number(line) : QStringLiteral("+");
    }
    if (role != Qt::DisplayRole) return {};
    if (section == StatusColumn) return tr("Status");
    const int field = section - FirstFieldColumn;
    if (field < 0 || field >= m_doc.schema.fieldCount()) return {};
    const DatasetField& f = m_doc.schema.fields()[field];
    switch (m_doc.schema.layout()) {
    case DatasetSchema::Layout::ChatTriple:
        return f.role == FieldRole::System ? tr("System") : f.role == FieldRole::Prompt ? tr("User") : tr("Assistant");
    case DatasetSchema::Layout::Messages: return tr("Conversation (JSON)");
    case DatasetSchema::Layout::ShareGpt: return tr("Conversations (JSON)");
    case DatasetSchema::Layout::Record: return tr("Record (JSON)");
    default: return f.key;  // the file's own field name
    }
}

Qt::ItemFlags DatasetTableModel::flags(const QModelIndex& index) const {
    if (!index.isValid()) return Qt::NoItemFlags;
    const Qt::ItemFlags base = Qt::ItemIsEnabled | Qt::ItemIsSelectable;
    if (index.column() == StatusColumn) return base;
    // A line that is no JSON object is edited as text in its first field.
    if (index.column() > FirstFieldColumn && index.row() < rowCount() && row(index.row()).raw) return base;
    return base | Qt::ItemIsEditable;
}

bool DatasetTableModel::setData(const QModelIndex& index, const QVariant& value, int role) {
    if (role != Qt::EditRole || !checkIndex(index, CheckIndexOption::IndexIsValid) || index.column() == StatusColumn)
        return false;
    const int field = index.column() - FirstFieldColumn;
    const DatasetRow before = row(index.row());  // a copy: the row just read may be dropped by the next
    QString text = value.toString();
    if (before.raw) return setRawText(index.row(), field, text);
    if (m_doc.schema.fields()[field].role == FieldRole::Json) {  // kept compact, one line in the file
        const QJsonDocument json = QJsonDocument::fromJson(text.toUtf8());
        if (!json.isNull()) text = QString::fromUtf8(json.toJson(QJsonDocument::Compact));
    }
    const quint32 bit = 1u << field;
    if (text == before.cells[field] && !(before.missing & bit) && !(before.badType & bit)) return true;

    DatasetRow after = before;
    after.cells[field] = text;
    after.missing &= ~bit;
    after.badType &= ~bit;
    after.edited = true;
    after.shape = m_doc.format == DatasetDocument::Format::Csv ? RecordShape::Csv : m_doc.schema.shape();
    if (!before.source.isEmpty() && m_doc.format == DatasetDocument::Format::Jsonl) {
        const QJsonObject base = QJsonDocument::fromJson(before.source).object();
        after.shape = DatasetSchema::shapeOf(m_doc.schema.writeRecord(after, base));
    }
    m_doc.schema.validate(after);
    m_undo->push(new RowReplaceCommand(this, index.row(), before, after, tr("Edit cell")));
    return true;
}

// The text of a line that was not a JSON object: kept as typed until it is one, then read like a loaded record (with
// the typed object as the base its fields are written over, so fields that are not shown are kept).
bool DatasetTableModel::setRawText(int rowIndex, int field, const QString& text) {
    const DatasetRow before = row(rowIndex);
    if (field != 0) return false;
    if (text == before.cells.value(0)) return true;
    DatasetRow after = before;
    after.edited = true;
    if (const auto record = m_doc.schema.readText(text, after))
        after.source = QJsonDocument(*record).toJson(QJsonDocument::Compact) + m_doc.newline;
    m_undo->push(new RowReplaceCommand(this, rowIndex, before, after, tr("Edit cell")));
    return true;
}

void DatasetTableModel::addRow(int position) {
    if (position < 0 || position > rowCount()) position = rowCount();
    DatasetRow row;
    row.cells = QStringList(m_doc.schema.fieldCount());
    row.edited = true;
    row.shape = m_doc.format == DatasetDocument::Format::Csv ? RecordShape::Csv : m_doc.schema.shape();
    m_doc.schema.validate(row);
    m_undo->push(new RowsCommand(this, RowsCommand::Kind::Insert, {{position, row}}, tr("Add row")));
}

void DatasetTableModel::duplicateRows(QList<int> rows) {
    std::sort(rows.begin(), rows.end());
    rows.erase(std::unique(rows.begin(), rows.end()), rows.end());
    QList<QPair<int, DatasetRow>> copies;
    for (int k = 0; k < rows.size(); ++k)  // each copy right below its original
        if (rows[k] >= 0 && rows[k] < rowCount()) {
            copies.append({rows[k] + int(copies.size()) + 1, m_doc.rows[rows[k]]});
            copies.back().second.line = 0;  // not a line of the file (yet)
        }
    if (!copies.isEmpty())
        m_undo->push(new RowsCommand(this, RowsCommand::Kind::Insert, copies, tr("Duplicate %n row(s)", nullptr, int(copies.size()))));
}

void DatasetTableModel::deleteRows(QList<int> rows) {
    std::sort(rows.begin(), rows.end());
    rows.erase(std::unique(rows.begin(), rows.end()), rows.end());
    QList<QPair<int, DatasetRow>> removed;
    for (int r : rows)
        if (r >= 0 && r < rowCount()) removed.append({r, m_doc.rows[r]});
    if (!removed.isEmpty())
        m_undo->push(new RowsCommand(this, RowsCommand::Kind::Remove, removed, tr("Delete %n row(s)", nullptr, int(removed.size()))));
}

bool DatasetTableModel::shiftRow(int row, int delta) {
    const int to = row + delta;
    if (row < 0 || row >= rowCount() || to < 0 || to >= rowCount() || delta == 0) return false;
    m_undo->push(new RowMoveCommand(this, row, to, delta < 0 ? tr("Move row up") : tr("Move row down")));
    return true;
}

QString DatasetTableModel::statusText(const DatasetRow& row) const {
    const QString field = row.issueField < m_doc.schema.fieldCount() ? m_doc.schema.fields()[row.issueField].key : QString();
    switch (row.issue) {
    case RowIssue::None: return tr("OK");
    case RowIssue::NotJson: {
        if (row.issueOffset < 0) return tr("Not valid JSON");
        const QString why = DatasetSchema::jsonErrorText(row.cells.value(0), QJsonParseError::ParseError(row.issueField),
                                                         row.issueOffset);
        return row.line > 0 ? tr("Not valid JSON at line %1, column %2: %3").arg(row.line).arg(row.issueOffset + 1).arg(why)
                            : tr("Not valid JSON at column %1: %2").arg(row.issueOffset + 1).arg(why);
    }
    case RowIssue::NotObject: return tr("Not a JSON object");
    case RowIssue::UnknownShape:
        return tr("No known fields (messages, conversations, instruction/output, prompt/response, text)");
    case RowIssue::FieldCount: return tr("Wrong number of fields for the header");
    case RowIssue::MissingField:
        return m_doc.schema.layout() == DatasetSchema::Layout::ChatTriple ? tr("No “%1” message").arg(field)
                                                                          : tr("Missing field “%1”").arg(field);
    case RowIssue::NotString: return tr("Field “%1” is not text").arg(field);
    case RowIssue::BadConversation: return tr("Not a non-empty list of messages with a role and content");
    case RowIssue::UnknownRole: return tr("Unknown role (use system, user, assistant or tool)");
    case RowIssue::LastNotAssistant: return tr("The last message is not from the assistant");
    case RowIssue::EmptyPrompt: return tr("Empty prompt");
    case RowIssue::EmptyAnswer: return tr("Empty answer");
    case RowIssue::EmptyText: return tr("Empty text");
    }
    return {};
}

QString DatasetTableModel::statusLabel(const DatasetRow& row) const {
    const QString field = row.issueField < m_doc.schema.fieldCount() ? m_doc.schema.fields()[row.issueField].key : QString();
    switch (row.issue) {
    case RowIssue::None: return tr("OK");
    case RowIssue::NotJson: return tr("Not valid JSON");
    case RowIssue::NotObject: return tr("Not a JSON object");
    case RowIssue::UnknownShape: return tr("No known fields");
    case RowIssue::FieldCount: return tr("Wrong field count");
    case RowIssue::MissingField:
        return m_doc.schema.layout() == DatasetSchema::Layout::ChatTriple ? tr("No “%1” message").arg(field)
                                                                          : tr("Missing “%1”").arg(field);
    case RowIssue::NotString: return tr("“%1” is not text").arg(field);
    case RowIssue::BadConversation: return tr("Bad message list");
    case RowIssue::UnknownRole: return tr("Unknown role");
    case RowIssue::LastNotAssistant: return tr("No answer at the end");
    case RowIssue::EmptyPrompt: return tr("Empty prompt");
    case RowIssue::EmptyAnswer: return tr("Empty answer");
    case RowIssue::EmptyText: return tr("Empty text");
    }
    return {};
}

QStringList DatasetTableModel::possibleStatusLabels() const {
    QStringList labels;
    DatasetRow row;
    for (int issue = int(RowIssue::None); issue <= int(RowIssue::EmptyText); ++issue) {
        row.issue = RowIssue(issue);
        for (int field = 0; field < std::max(1, m_doc.schema.fieldCount()); ++field) {
            row.issueField = quint8(field);
            labels << statusLabel(row);
        }
    }
    labels.removeDuplicates();
    return labels;
}

QByteArray DatasetTableModel::serialized() const { return DatasetWriter::serialize(m_doc); }

bool DatasetTableModel::saveTo(const QString& path, QString* error) {
    if (m_doc.isIndexed()) return saveIndexed(path, error);
    QList<QByteArray> chunks;
    const QByteArray bytes = DatasetWriter::serialize(m_doc, &chunks);
    QSaveFile file(path);  // a temporary beside the target, renamed over it on commit
    if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size() || !file.commit()) {
        if (error)
            *error = tr("Cannot save %1: %2. Check the free space and that the folder is writable.")
                         .arg(QDir::toNativeSeparators(path), file.errorString());
        return false;
    }
    // The written file is the new original: every row is now untouched, its bytes those just written.
    qsizetype rowBytes = 0;
    for (qsizetype i = 0; i < m_doc.rows.size(); ++i) {
        DatasetRow& row = m_doc.rows[i];
        row.source = chunks[i];
        row.sourceIndex = int(i);
        row.edited = false;
        rowBytes += chunks[i].size();
    }
    m_doc.prefix = bytes.left(bytes.size() - rowBytes);
    int line = 1 + int(m_doc.prefix.count('\n'));  // rows are numbered by their lines in the file just written
    for (qsizetype i = 0; i < m_doc.rows.size(); ++i) {
        m_doc.rows[i].line = line;
        line += int(chunks[i].count('\n'));
    }
    if (!m_doc.rows.isEmpty()) emit headerDataChanged(Qt::Vertical, 0, int(m_doc.rows.size()) - 1);
    m_doc.path = path;
    m_doc.sourceHash = QCryptographicHash::hash(bytes, QCryptographicHash::Sha1);
    m_original = DatasetOriginalRows(m_doc.rows, false);
    m_undo->setClean();
    return true;
}

bool DatasetTableModel::saveIndexed(const QString& path, QString* error) {
    return adoptSave(writeIndexed(m_doc, path), error);
}

// Streams the rows to the new file (untouched ones copied from the old) and notes where each row went. Touches
// nothing but `doc` (read) and the file, so it runs on a worker while the editor waits with edits paused.
DatasetTableModel::IndexedSave DatasetTableModel::writeIndexed(const DatasetDocument& doc, const QString& path,
                                                               std::atomic<qint64>* written) {
    IndexedSave out;
    out.path = path;
    QSaveFile file(path);
    QCryptographicHash sha1(QCryptographicHash::Sha1);
    const qsizetype n = doc.rows.size();
    out.offsets.assign(size_t(n), 0);
    out.lines.assign(size_t(n), 0);
    int line = 1;
    DatasetWriter::Result result = DatasetWriter::Result::SinkFailed;
    if (file.open(QIODevice::WriteOnly))
        result = DatasetWriter::write(doc, [&](qsizetype i, const QByteArray& bytes) {
            if (file.write(bytes) != bytes.size()) return false;
            sha1.addData(bytes);
            if (i < 0) out.prefix = bytes;
            else out.offsets[size_t(i)] = out.size, out.lines[size_t(i)] = line;
            out.size += bytes.size();
            if (written) *written = out.size;
            line += int(bytes.count('\n'));
            return true;
        });
    QString why;
    if (result == DatasetWriter::Result::Ok && file.commit()) out.file = DatasetSourceFile::open(path, &why);
    else file.cancelWriting();
    if (!out.file)
        out.error = result == DatasetWriter::Result::SourceUnreadable
                        ? tr("Cannot save %1: %2 could not be read back while saving (it was changed or removed "
                             "outside the editor). Nothing was overwritten; save under another name.")
                              .arg(QDir::toNativeSeparators(path), QDir::toNativeSeparators(doc.file->path()))
                        : tr("Cannot save %1: %2. Check the free space and that the folder is writable.")
                              .arg(QDir::toNativeSeparators(path), why.isEmpty() ? file.errorString() : why);
    out.sha1 = sha1.result();
    if (out.file) {  // the rows as the written file's, indexed in it
        out.rows.resize(n);
        for (qsizetype i = 0; i < n; ++i) {
            DatasetRow& row = out.rows[i];
            row.offset = out.offsets[size_t(i)];
            row.length = qint32(std::min<qint64>((i + 1 < n ? out.offsets[size_t(i) + 1] : out.size) - row.offset, INT32_MAX));
            row.sourceIndex = int(i);
            row.line = out.lines[size_t(i)];
        }
    }
    return out;
}

// The rows are the written file's now, indexed in it: edited rows drop their cells, as every row is untouched.
bool DatasetTableModel::adoptSave(IndexedSave save, QString* error) {
    if (!save.file) {
        if (error) *error = save.error;
        return false;
    }
    const qsizetype n = m_doc.rows.size();
    if (qsizetype(save.offsets.size()) != n) {  // edited while it was written: the file holds the rows as they were
        if (error) *error = tr("Rows were added or deleted while %1 was being written; save again.")
                                .arg(QDir::toNativeSeparators(save.path));
        return false;
    }
    // Each row's issue carries over by position when every row was checked; otherwise the editor checks again.
    std::vector<quint8> checks;
    if (rowsChecked()) {
        checks.resize(size_t(n));
        for (qsizetype i = 0; i < n; ++i) checks[size_t(i)] = quint8(issueOf(m_doc.rows[i]));
    }
    m_doc.rows.swap(save.rows);
    // The old rows (a million: ~15 ms to free) go on a worker, as does the file the save replaced.
    QThreadPool::globalInstance()->start([old = std::move(save.rows)] {});
    m_doc.prefix = save.prefix;
    m_doc.path = save.path;
    DatasetSourceFile::release(std::exchange(m_doc.file, std::move(save.file)));
    m_doc.sourceHash = save.sha1;
    m_original = DatasetOriginalRows(std::move(save.offsets), save.size, std::move(save.lines));
    m_checks = std::move(checks);
    m_invalid = -1;
    m_loaded.clear();
    // Every row shows what it showed; only the line numbers moved. (A dataChanged over a million rows would have the
    // filter look at each one again.)
    if (n > 0) emit headerDataChanged(Qt::Vertical, 0, int(n) - 1);
    m_undo->setClean();
    return true;
}

void DatasetTableModel::replaceRow(int row, const DatasetRow& value) {
    if (m_invalid >= 0) m_invalid += invalid(value) - invalid(m_doc.rows.at(row));
    m_doc.rows[row] = value;  // a loaded row: it is no longer read from the file
    emit dataChanged(index(row, 0), index(row, columnCount() - 1));
}

void DatasetTableModel::insertRowsAt(const QList<QPair<int, DatasetRow>>& rows) {
    for (const auto& [position, row] : rows) {
        beginInsertRows({}, position, position);
        if (m_invalid >= 0) m_invalid += invalid(row);
        m_doc.rows.insert(position, row);
        endInsertRows();
    }
}

void DatasetTableModel::removeRowsAt(const QList<int>& positions) {
    for (qsizetype k = positions.size() - 1; k >= 0;) {  // from the end, one run of adjacent rows at a time
        qsizetype first = k;
        while (first > 0 && positions[first - 1] == positions[first] - 1) --first;
        beginRemoveRows({}, positions[first], positions[k]);
        if (m_invalid >= 0)
            for (qsizetype i = positions[first]; i <= positions[k]; ++i) m_invalid -= invalid(m_doc.rows.at(i));
        m_doc.rows.remove(positions[first], positions[k] - positions[first] + 1);
        endRemoveRows();
        k = first - 1;
    }
}

void DatasetTableModel::moveRowTo(int from, int to) {
    beginMoveRows({}, from, from, {}, to > from ? to + 1 : to);
    m_doc.rows.move(from, to);
    endMoveRows();
}

void DatasetTableModel::replaceAllRows(const QList<DatasetRow>& rows) {
    beginResetModel();
    m_doc.rows = rows;
    m_invalid = -1;
    endResetModel();
}
