#pragma once
// One record as the editor holds it: the cells shown in the table, the record's original bytes (so a row the user
// did not touch is saved byte for byte), where it is in the file, and why it is invalid, if it is. Every member is implicitly shared or plain,
// so copying a row (for undo) is cheap.

#include <QByteArray>
#include <QStringList>

// The record's own shape, as core's loadDataset would detect it (kept per row to find mixed formats).
enum class RecordShape : quint8 { Unknown, Messages, ShareGpt, Alpaca, PromptResponse, Text, Csv, Preference, Unpaired };

enum class RowIssue : quint8 {
    None,
    NotJson,           // the line does not parse
    NotObject,         // the line is JSON but not an object
    UnknownShape,      // no known fields
    FieldCount,        // CSV row with more or fewer fields than the header
    MissingField,      // issueField names it
    NotString,         // issueField names it
    BadConversation,   // not a non-empty list of {role, content}
    UnknownRole,
    LastNotAssistant,  // nothing to learn
    EmptyPrompt,
    EmptyAnswer,
    EmptyText,
};

struct DatasetRow {
    QStringList cells;       // one per field of the schema
    quint32 missing = 0;     // bit i: field i is absent from the record (absent is not the same as empty)
    quint32 badType = 0;     // bit i: field i is present but not a string
    QByteArray source;       // the record's bytes in the file (with its line end); empty for rows added here
    int sourceIndex = -1;    // its position in the file as loaded; the autosave refers to untouched rows by it
    bool edited = false;     // re-serialized from the cells on save
    RecordShape shape = RecordShape::Unknown;
    RowIssue issue = RowIssue::None;
    quint8 issueField = 0;   // the field an issue is about; NotJson: the QJsonParseError::ParseError
    qint32 issueOffset = -1; // NotJson: the character of the text where parsing stopped (0-based)
    int line = 0;            // the file line the record starts on (1-based); 0 for rows added here
    bool raw = false;        // the record is not a JSON object: cells[0] holds its text as written (editable)
    // A large file's rows are indexed, not held: where the record's bytes are in the file (-1: not indexed). Such a
    // row has no cells and no source until it is loaded (DatasetTableModel::loaded); a loaded one keeps its offset.
    qint64 offset = -1;
    qint32 length = 0;

    bool isValid() const { return issue == RowIssue::None; }
    bool isIndexed() const { return offset >= 0 && source.isEmpty() && !edited; }
};
