#pragma once
// A dataset file as the editor holds it: its rows and what is needed to write it back the way it was. A large file is
// indexed: its rows are read from `file` when they are shown, searched or saved, so memory stays small.

#include "dataset/DatasetOriginalRows.h"
#include "dataset/DatasetRow.h"
#include "dataset/DatasetSchema.h"
#include "dataset/DatasetSourceFile.h"

#include <QByteArray>
#include <QList>
#include <QString>

#include <optional>

struct DatasetDocument {
    enum class Format { Jsonl, Csv };

    QString path;
    Format format = Format::Jsonl;
    DatasetSchema schema;
    QList<DatasetRow> rows;
    QByteArray prefix;               // bytes before the first record: the CSV header, leading blank lines
    QByteArray newline = "\n";       // the file's line end, for rows written anew
    char delimiter = ',';            // CSV ',' or TSV '\t'
    QByteArray sourceHash;           // SHA-1 of the file as read: an autosave applies only to that file
    std::shared_ptr<const DatasetSourceFile> file;  // set when the rows are indexed (DatasetRow::offset)
    // The rows as read, when the loader made them on its thread (an indexed file's: a million rows take ~20 ms);
    // empty otherwise, and DatasetTableModel::setDocument makes them from `rows`.
    std::optional<DatasetOriginalRows> original;

    bool isIndexed() const { return bool(file); }
};
