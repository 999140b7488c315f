#include "dataset/DatasetSchema.h"

#include "dataset/CoreJson.h"

#include <QJsonDocument>

#include <nlohmann/json.hpp>

namespace {

bool hasValue(const QJsonObject& o, const QString& key) { return o.contains(key) && !o.value(key).isNull(); }

QString compactJson(const QJsonValue& v) {
    return QString::fromUtf8(v.isArray() ? QJsonDocument(v.toArray()).toJson(QJsonDocument::Compact)
                                         : QJsonDocument(v.toObject()).toJson(QJsonDocument::Compact));
}

QString joined(const QString& a, const QString& b) { return a.isEmpty() ? b : b.isEmpty() ? a : a + u'\n' + b; }

} // namespace

RecordShape DatasetSchema::shapeOf(const QJsonObject& record) {
    switch (ft::recordFormat(toCoreJson(record)).value_or(ft::DatasetFormat::PlainText)) {
    case ft::DatasetFormat::Messages: return RecordShape::Messages;
    case ft::DatasetFormat::ShareGpt: return RecordShape::ShareGpt;
    case ft::DatasetFormat::Alpaca: return RecordShape::Alpaca;
    case ft::DatasetFormat::PromptResponse: return RecordShape::PromptResponse;
    case ft::DatasetFormat::Text: return RecordShape::Text;
    case ft::DatasetFormat::PlainText: break;  // a .txt file's, never a record's: none detected
    case ft::DatasetFormat::Preference: return RecordShape::Preference;
    case ft::DatasetFormat::Unpaired: return RecordShape::Unpaired;
    }
    return RecordShape::Unknown;
}

bool DatasetSchema::isChatTriple(const QJsonObject& record) {
    const QJsonArray list = record.value(QStringLiteral("messages")).toArray();
    QStringList roles;
    for (const auto& m : list) {
        const QJsonObject o = m.toObject();
        if (!o.value(QStringLiteral("role")).isString() || !o.value(QStringLiteral("content")).isString()) return false;
        roles << o.value(QStringLiteral("role")).toString();
    }
    const QStringList pair{QStringLiteral("user"), QStringLiteral("assistant")};
    return roles == pair || roles == QStringList{QStringLiteral("system")} + pair;
}

DatasetSchema DatasetSchema::forRecords(const QList<QJsonObject>& records, const QList<RecordShape>& shapes) {
    DatasetSchema s;
    s.m_layout = Layout::Record;
    s.m_fields = {{QString(), FieldRole::Json}};
    for (qsizetype i = 0; i < records.size(); ++i) {
        const QJsonObject& r = records[i];
        const RecordShape shape = shapes[i];
        if (shape == RecordShape::Unknown) continue;
        switch (shape) {
        case RecordShape::Messages: {
            bool triple = true;
            for (qsizetype k = 0; k < records.size() && triple; ++k)
                triple = shapes[k] != RecordShape::Messages || isChatTriple(records[k]);
            s.m_layout = triple ? Layout::ChatTriple : Layout::Messages;
            s.m_fields = triple ? QList<DatasetField>{{QStringLiteral("system"), FieldRole::System},
                                                      {QStringLiteral("user"), FieldRole::Prompt},
                                                      {QStringLiteral("assistant"), FieldRole::Answer}}
                                : QList<DatasetField>{{QStringLiteral("messages"), FieldRole::Json}};
            break;
        }
        case RecordShape::ShareGpt:
            s.m_layout = Layout::ShareGpt;
            s.m_fields = {{QStringLiteral("conversations"), FieldRole::Json}};
            break;
        case RecordShape::Alpaca: {
            s.m_layout = Layout::Alpaca;
            const bool system = std::any_of(records.begin(), records.end(),
                                            [](const QJsonObject& o) { return o.contains(QStringLiteral("system")); });
            if (system) s.m_fields = {{QStringLiteral("system"), FieldRole::System}};
            else s.m_fields.clear();
            s.m_fields += {{QStringLiteral("instruction"), FieldRole::Prompt},
                           {QStringLiteral("input"), FieldRole::Input},
                           {QStringLiteral("output"), FieldRole::Answer}};
            break;
        }
        case RecordShape::PromptResponse:
            s.m_layout = Layout::PromptResponse;
            s.m_fields = {{QStringLiteral("prompt"), FieldRole::Prompt},
                          {hasValue(r, QStringLiteral("response")) ? QStringLiteral("response") : QStringLiteral("completion"),
                           FieldRole::Answer}};
            break;
        case RecordShape::Preference:
            s.m_layout = Layout::Preference;
            s.m_fields = {{QStringLiteral("prompt"), FieldRole::Prompt},
                          {QStringLiteral("chosen"), FieldRole::Answer},
                          {QStringLiteral("rejected"), FieldRole::Other}};
            break;
        case RecordShape::Unpaired:
            s.m_layout = Layout::Unpaired;
            s.m_fields = {{QStringLiteral("prompt"), FieldRole::Prompt},
                          {QStringLiteral("completion"), FieldRole::Answer},
                          {QStringLiteral("label"), FieldRole::Other}};
            break;
        default:
            s.m_layout = Layout::Text;
            s.m_fields = {{QStringLiteral("text"), FieldRole::Text}};
            break;
        }
        break;
    }
    return s;
}

DatasetSchema DatasetSchema::forCsvHeader(const QStringList& header) {
    DatasetSchema s;
    s.m_layout = Layout::Csv;
    for (const QString& name : header) {
        const QString n = name.trimmed().toLower();
        FieldRole role = FieldRole::Other;
        if (n == u"prompt" || n == u"instruction" || n == u"question" || n == u"user") role = FieldRole::Prompt;
        else if (n == u"response" || n == u"completion" || n == u"output" || n == u"answer" || n == u"assistant")
            role = FieldRole::Answer;
        else if (n == u"input") role = FieldRole::Input;
        else if (n == u"system") role = FieldRole::System;
        else if (n == u"text") role = FieldRole::Text;
        s.m_fields.append({name, role});
    }
    return s;
}

std::optional<ft::DatasetFormat> DatasetSchema::format() const {
    switch (m_layout) {
    case Layout::ChatTriple:
    case Layout::Messages: return ft::DatasetFormat::Messages;
    case Layout::ShareGpt: return ft::DatasetFormat::ShareGpt;
    case Layout::Alpaca: return ft::DatasetFormat::Alpaca;
    case Layout::PromptResponse: return ft::DatasetFormat::PromptResponse;
    case Layout::Text: return ft::DatasetFormat::Text;
    case Layout::Preference: return ft::DatasetFormat::Preference;
    case Layout::Unpaired: return ft::DatasetFormat::Unpaired;
    default: return std::nullopt;
    }
}

RecordShape DatasetSchema::shape() const {
    switch (m_layout) {
    case Layout::ChatTriple:
    case Layout::Messages: return RecordShape::Messages;
    case Layout::ShareGpt: return RecordShape::ShareGpt;
    case Layout::Alpaca: return RecordShape::Alpaca;
    case Layout::PromptResponse: return RecordShape::PromptResponse;
    case Layout::Text: return RecordShape::Text;
    case Layout::Csv: return RecordShape::Csv;
    case Layout::Preference: return RecordShape::Preference;
    case Layout::Unpaired: return RecordShape::Unpaired;
    default: return RecordShape::Unknown;
    }
}

bool DatasetSchema::hasAnswer() const {
    return std::any_of(m_fields.begin(), m_fields.end(), [](const DatasetField& f) {
        return f.role == FieldRole::Answer || (f.role == FieldRole::Json && !f.key.isEmpty());
    });
}

void DatasetSchema::readRecord(const QJsonObject& record, DatasetRow& row) const {
    const int n = fieldCount();
    row.cells = QStringList(n);
    row.missing = row.badType = 0;
    if (m_layout == Layout::ChatTriple) {
        row.missing = (1u << n) - 1;
        for (const auto& m : record.value(QStringLiteral("messages")).toArray()) {
            const QJsonObject o = m.toObject();
            const QString role = o.value(QStringLiteral("role")).toString();
            for (int i = 0; i < n; ++i)
                if (m_fields[i].key == role) {
                    row.cells[i] = o.value(QStringLiteral("content")).toString();
                    row.missing &= ~(1u << i);
                }
        }
        return;
    }
    if (m_layout == Layout::Record) {
        row.cells[0] = compactJson(record);
        return;
    }
    for (int i = 0; i < n; ++i) {
        const QJsonValue v = record.value(m_fields[i].key);
        if (v.isUndefined() || v.isNull()) row.missing |= 1u << i;
        else if (v.isString()) row.cells[i] = v.toString();
        else if (m_fields[i].role == FieldRole::Json || (preferenceLayout() && v.isArray())) row.cells[i] = compactJson(v);
        else if (preferenceLayout() && v.isBool()) row.cells[i] = v.toBool() ? QStringLiteral("true") : QStringLiteral("false");
        else {
            row.badType |= 1u << i;
            row.cells[i] = v.isObject() || v.isArray() ? compactJson(v) : v.toVariant().toString();
        }
    }
}

QJsonObject DatasetSchema::writeRecord(const DatasetRow& row, QJsonObject base) const {
    if (m_layout == Layout::ChatTriple) {
        QJsonArray list;
        for (int i = 0; i < fieldCount(); ++i) {
            if (m_fields[i].role == FieldRole::System && row.cells[i].isEmpty()) continue;  // no system turn
            list.append(QJsonObject{{QStringLiteral("role"), m_fields[i].key}, {QStringLiteral("content"), row.cells[i]}});
        }
        base.insert(QStringLiteral("messages"), list);
        return base;
    }
    if (m_layout == Layout::Record) return QJsonDocument::fromJson(row.cells[0].toUtf8()).object();
    for (int i = 0; i < fieldCount(); ++i) {
        if (row.badType & (1u << i)) continue;  // not edited: the original value stays as it was
        if ((row.missing & (1u << i)) && row.cells[i].isEmpty()) continue;
        const QString& key = m_fields[i].key;
        if (preferenceLayout()) {  // a list stays a list, a label written true/false a JSON bool
            const QJsonDocument doc = QJsonDocument::fromJson(row.cells[i].toUtf8());
            const QString cell = row.cells[i].trimmed();
            if (doc.isArray()) base.insert(key, doc.array());
            else if (m_layout == Layout::Unpaired && key == u"label" && (cell == u"true" || cell == u"false"))
                base.insert(key, cell == u"true");
            else base.insert(key, row.cells[i]);
        } else if (m_fields[i].role == FieldRole::Json) {
            const QJsonDocument doc = QJsonDocument::fromJson(row.cells[i].toUtf8());
            base.insert(key, doc.isArray() ? QJsonValue(doc.array()) : QJsonValue(row.cells[i]));
        } else {
            base.insert(key, row.cells[i]);
        }
    }
    return base;
}

ft::RecordRead DatasetSchema::readCells(const DatasetRow& row) const {
    nlohmann::json record = nlohmann::json::object();
    if (m_layout == Layout::ChatTriple) {
        nlohmann::json list = nlohmann::json::array();
        for (int i = 0; i < fieldCount(); ++i) {
            if (m_fields[i].role == FieldRole::System && row.cells[i].isEmpty()) continue;  // no system turn
            list.push_back({{"role", m_fields[i].key.toStdString()}, {"content", row.cells[i].toStdString()}});
        }
        record["messages"] = std::move(list);
    } else {
        for (int i = 0; i < fieldCount(); ++i) {
            if ((row.badType & (1u << i)) || ((row.missing & (1u << i)) && row.cells[i].isEmpty())) continue;
            const std::string cell = row.cells[i].toStdString();
            nlohmann::json value = m_fields[i].role == FieldRole::Json || preferenceLayout()
                                       ? nlohmann::json::parse(cell, nullptr, false)
                                       : nlohmann::json(cell);
            if (!value.is_array() && !value.is_string()) value = cell;  // writeRecord keeps a cell that is no list as text
            record[m_fields[i].key.toStdString()] = std::move(value);
        }
    }
    return ft::readRecord(record, *format());
}

void DatasetSchema::setRefusal(const ft::RowRefusal& refusal, DatasetRow& row) const {
    const QString key = QString::fromStdString(refusal.field);
    int field = 0;
    while (field < fieldCount() && m_fields[field].key != key) ++field;
    const bool column = field < fieldCount();
    row.issueField = quint8(column ? field : 0);
    switch (refusal.reason) {
    case ft::Refusal::NotObject: row.issue = RowIssue::NotObject; return;
    case ft::Refusal::NoKnownFields: row.issue = RowIssue::UnknownShape; return;
    case ft::Refusal::MissingField: row.issue = RowIssue::MissingField; return;
    case ft::Refusal::NotString:
    case ft::Refusal::NotUtf8:  // a message's role or content is no column: the list is what is wrong
        row.issue = column ? RowIssue::NotString : RowIssue::BadConversation;
        return;
    case ft::Refusal::NotAList:
    case ft::Refusal::MessageLacksField: row.issue = RowIssue::BadConversation; return;
    case ft::Refusal::UnknownRole:
    case ft::Refusal::UnknownSpeaker: row.issue = RowIssue::UnknownRole; return;
    case ft::Refusal::LastNotAssistant: row.issue = RowIssue::LastNotAssistant; return;
    case ft::Refusal::EmptyAnswer: row.issue = RowIssue::EmptyAnswer; return;
    case ft::Refusal::EmptyText: row.issue = RowIssue::EmptyText; return;
    case ft::Refusal::MixedShapes: row.issue = RowIssue::BadConversation; return;
    case ft::Refusal::NoSharedPrompt:
    case ft::Refusal::PlainNeedsPrompt: row.issue = RowIssue::MissingField; return;
    case ft::Refusal::NotBool: row.issue = RowIssue::NotString; return;
    }
}

void DatasetSchema::validateJson(const QString& text, DatasetRow& row) {
    const QByteArray utf8 = text.toUtf8();
    QJsonParseError error;
    const QJsonDocument json = QJsonDocument::fromJson(utf8, &error);
    row.issueOffset = -1;
    if (error.error != QJsonParseError::NoError) {
        row.issue = RowIssue::NotJson;
        row.issueField = quint8(error.error);
        row.issueOffset = int(QString::fromUtf8(utf8.left(error.offset)).size());  // bytes to characters
    } else {
        row.issue = json.isObject() ? RowIssue::UnknownShape : RowIssue::NotObject;
        row.issueField = 0;
    }
}

std::optional<QJsonObject> DatasetSchema::readText(const QString& text, DatasetRow& row) const {
    const QJsonDocument json = QJsonDocument::fromJson(text.toUtf8());
    if (json.isObject()) {
        row.raw = false;
        readRecord(json.object(), row);
        row.shape = shapeOf(json.object());
        validate(row);
        return json.object();
    }
    row.raw = true;
    row.cells = QStringList(fieldCount());
    if (!row.cells.isEmpty()) row.cells[0] = text;
    row.missing = fieldCount() > 0 ? (1u << fieldCount()) - 1 : 0;
    row.badType = 0;
    row.shape = RecordShape::Unknown;
    validate(row);
    return std::nullopt;
}

QString DatasetSchema::jsonErrorText(const QString& text, QJsonParseError::ParseError error, int offset) {
    // The word where parsing stopped: QJson calls "oops" an illegal number and "nul" an illegal value.
    QString found;
    for (qsizetype i = std::max(0, offset); i < text.size() && found.size() < 24; ++i) {
        if (text[i].isSpace() || QStringView(u",:{}[]\"").contains(text[i])) break;
        found += text[i];
    }
    const bool notNumber = !found.isEmpty() && !found[0].isDigit() && found[0] != u'-';
    if ((error == QJsonParseError::IllegalValue || error == QJsonParseError::IllegalNumber) && notNumber)
        return tr("expected a value (a string in double quotes, a number, true/false/null, an object or a list) "
                  "but found “%1”").arg(found);
    switch (error) {
    case QJsonParseError::NoError: return {};
    case QJsonParseError::UnterminatedObject: return tr("an object is not closed with } (or a comma is missing)");
    case QJsonParseError::MissingNameSeparator: return tr("expected a colon after the key");
    case QJsonParseError::UnterminatedArray: return tr("a list is not closed with ] (or a comma is missing)");
    case QJsonParseError::MissingValueSeparator: return tr("expected a comma between two items");
    case QJsonParseError::IllegalValue:
        return tr("expected a value (a string in double quotes, a number, true/false/null, an object or a list)");
    case QJsonParseError::TerminationByNumber: return tr("the text ends inside a number");
    case QJsonParseError::IllegalNumber: return tr("a number is not written correctly");
    case QJsonParseError::IllegalEscapeSequence:
        return tr("a backslash in a string starts an escape that does not exist (write \\\\ for a backslash)");
    case QJsonParseError::IllegalUTF8String: return tr("a string holds bytes that are not valid UTF-8");
    case QJsonParseError::UnterminatedString: return tr("a string is missing its closing quote");
    case QJsonParseError::MissingObject: return tr("expected an object in braces { }");
    case QJsonParseError::DeepNesting: return tr("the objects and lists are nested too deeply");
    case QJsonParseError::DocumentTooLarge: return tr("the record is too large");
    case QJsonParseError::GarbageAtEnd: return tr("there is more text after the end of the record");
    }
    return {};
}

void DatasetSchema::validate(DatasetRow& row) const {
    auto set = [&](RowIssue issue, int field) {
        row.issue = issue;
        row.issueField = quint8(field);
    };
    set(RowIssue::None, 0);
    row.issueOffset = -1;
    if (row.raw) return validateJson(row.cells.value(0), row);
    const int n = fieldCount();
    for (int i = 0; i < n; ++i)
        if (row.badType & (1u << i)) return set(RowIssue::NotString, i);
    if (preferenceLayout()) {  // core says what a preference row lacks (a prompt is optional for message lists)
        const ft::RecordRead read = readCells(row);
        if (read.refusal) setRefusal(*read.refusal, row);
        return;
    }
    for (int i = 0; i < n; ++i) {
        const FieldRole r = m_fields[i].role;
        const bool required = r == FieldRole::Prompt || r == FieldRole::Answer || r == FieldRole::Text || r == FieldRole::Json;
        if (required && (row.missing & (1u << i))) return set(RowIssue::MissingField, i);
    }
    if (m_layout == Layout::Record) return validateJson(row.cells[0], row);
    // Core reads the row as training would. Not CSV: its columns are mapped by header name (forCsvHeader), which
    // loadDataset does only with the project's column map, unknown here; the checks below are all there is.
    std::optional<ft::RowRefusal> emptiness;  // an empty answer or text: the editor's own, stricter, check says it
    if (format()) {
        const ft::RecordRead read = readCells(row);
        if (read.refusal && read.refusal->reason != ft::Refusal::EmptyAnswer && read.refusal->reason != ft::Refusal::EmptyText)
            return setRefusal(*read.refusal, row);
        emptiness = read.refusal;
        if (m_layout == Layout::Messages || m_layout == Layout::ShareGpt) {
            // An answer of only spaces teaches nothing either.
            if (QString::fromStdString(read.example.messages.back().content).trimmed().isEmpty()) set(RowIssue::EmptyAnswer, 0);
            return;
        }
    }
    int prompts = 0, emptyPrompts = 0, emptyAnswer = -1, emptyText = -1;
    for (int i = 0; i < n; ++i) {
        const bool empty = row.cells[i].trimmed().isEmpty();
        switch (m_fields[i].role) {
        case FieldRole::Prompt: ++prompts, emptyPrompts += empty; break;
        case FieldRole::Answer: if (empty && emptyAnswer < 0) emptyAnswer = i; break;
        case FieldRole::Text: if (empty && emptyText < 0) emptyText = i; break;
        default: break;
        }
    }
    if (prompts > 0 && emptyPrompts == prompts) set(RowIssue::EmptyPrompt, 0);
    else if (emptyAnswer >= 0) set(RowIssue::EmptyAnswer, emptyAnswer);
    else if (emptyText >= 0) set(RowIssue::EmptyText, emptyText);
    else if (emptiness) setRefusal(*emptiness, row);  // an empty cell is blank too: not reached
}

QString DatasetSchema::prompt(const DatasetRow& row) const {
    if (row.raw) return {};  // no record yet: its text is no prompt
    if (m_layout == Layout::Messages || m_layout == Layout::ShareGpt) {
        QString p;  // the user turns read before any refusal
        for (const ft::ChatMessage& m : readCells(row).example.messages)
            if (m.role == "user") p = joined(p, QString::fromStdString(m.content));
        return p;
    }
    if (m_layout == Layout::Record) return row.cells.value(0);
    QString p;
    for (int i = 0; i < fieldCount(); ++i) {
        const FieldRole r = m_fields[i].role;
        if (r == FieldRole::Prompt || r == FieldRole::Input || r == FieldRole::Text) p = joined(p, row.cells[i]);
    }
    return p;
}

QString DatasetSchema::answer(const DatasetRow& row) const {
    if (row.raw) return {};
    if (m_layout == Layout::Messages || m_layout == Layout::ShareGpt) {
        const ft::RecordRead read = readCells(row);  // the last turn, once it is the assistant's
        const bool answered = !read.refusal || read.refusal->reason == ft::Refusal::EmptyAnswer;
        return answered ? QString::fromStdString(read.example.messages.back().content) : QString();
    }
    for (int i = 0; i < fieldCount(); ++i)
        if (m_fields[i].role == FieldRole::Answer) return row.cells[i];
    return {};
}
