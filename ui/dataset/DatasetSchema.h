#pragma once
// Which fields of the records are shown as columns, and how a row's cells map back onto a record. The layout follows
// the first recognisable record, as core's loadDataset does. Which format a record is in, and why a row is refused,
// core says (core/data/record_format.h); the editor adds what its columns show (a cell missing or not text) and is
// stricter about blank text.

#include "dataset/DatasetRow.h"

#include "core/data/record_format.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonObject>
#include <QJsonParseError>
#include <QList>

#include <optional>

enum class FieldRole : quint8 { System, Prompt, Input, Answer, Text, Json, Other };

struct DatasetField {
    QString key;  // JSON key, message role ("user") or CSV header name
    FieldRole role = FieldRole::Other;
};

class DatasetSchema {
    Q_DECLARE_TR_FUNCTIONS(DatasetSchema)
public:
    enum class Layout {
        Empty,
        ChatTriple,      // messages that are all system? / user / assistant: one column per role
        Messages,        // any other messages list: one JSON column
        ShareGpt,        // conversations of from/value: one JSON column
        Alpaca,          // instruction, input, output (, system)
        PromptResponse,  // prompt, response or completion
        Text,            // raw text
        Preference,      // prompt?, chosen, rejected: strings, or message lists shown as compact JSON
        Unpaired,        // prompt, completion, label (KTO)
        Record,          // nothing recognisable: the whole record as JSON
        Csv,             // one column per header field
    };

    // The format core detects in the record.
    static RecordShape shapeOf(const QJsonObject& record);
    // `records`: the parsed objects (invalid lines skipped), `shapes` the shapeOf each; decides the layout and its
    // fields.
    static DatasetSchema forRecords(const QList<QJsonObject>& records, const QList<RecordShape>& shapes);
    static DatasetSchema forCsvHeader(const QStringList& header);

    Layout layout() const { return m_layout; }
    const QList<DatasetField>& fields() const { return m_fields; }
    int fieldCount() const { return int(m_fields.size()); }
    RecordShape shape() const;
    // The format training reads the file in (the layout's); nullopt for Empty, Record and Csv.
    std::optional<ft::DatasetFormat> format() const;
    bool hasAnswer() const;

    // A record's values into `row` (cells, missing and badType); `validate` then fills in the issue.
    void readRecord(const QJsonObject& record, DatasetRow& row) const;
    // The cells written over `base`, so the record's fields that are not shown are kept.
    QJsonObject writeRecord(const DatasetRow& row, QJsonObject base) const;
    void validate(DatasetRow& row) const;
    // A record as the user typed it (a row that did not parse): an object is read into the cells like a loaded
    // record and returned; anything else leaves a raw row (issue NotJson or NotObject) and returns nothing.
    std::optional<QJsonObject> readText(const QString& text, DatasetRow& row) const;

    // Why QJson refused `text` at character `offset`, in plain words ("a string is missing its closing quote",
    // "expected a value (…) but found “oops”"); translated.
    static QString jsonErrorText(const QString& text, QJsonParseError::ParseError error, int offset);

    // The prompt and the answer of a row, for the quality report.
    QString prompt(const DatasetRow& row) const;
    QString answer(const DatasetRow& row) const;

private:
    // Preference layouts take message lists in any column (compact JSON in the cell) and KTO's label as text.
    bool preferenceLayout() const { return m_layout == Layout::Preference || m_layout == Layout::Unpaired; }
    static bool isChatTriple(const QJsonObject& record);
    static void validateJson(const QString& text, DatasetRow& row);  // NotJson (with where and why) or NotObject
    // The row's cells as the record core reads (what writeRecord would write, without the fields not shown), read
    // in format(), which the caller checked is there.
    ft::RecordRead readCells(const DatasetRow& row) const;
    void setRefusal(const ft::RowRefusal& refusal, DatasetRow& row) const;

    Layout m_layout = Layout::Empty;
    QList<DatasetField> m_fields;
};
