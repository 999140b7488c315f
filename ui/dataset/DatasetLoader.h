#pragma once
// Reads a JSONL or CSV/TSV dataset into a DatasetDocument, keeping each record's bytes. Pure data work with no
// widgets, so it runs on a worker thread; bad rows are kept (and flagged) so the user can fix them. A JSONL file
// larger than indexThreshold() is indexed instead: one pass finds where each record starts, the layout is decided on
// the first records, and rows are read and parsed when needed (DatasetRowScan checks them all on workers).

#include "dataset/DatasetDocument.h"

#include <QCoreApplication>

class DatasetLoader {
    Q_DECLARE_TR_FUNCTIONS(DatasetLoader)
public:
    struct Result {
        DatasetDocument document;
        QString error;  // translated; empty when the file was read
        bool ok() const { return error.isEmpty(); }
    };

    static Result load(const QString& path);
    static Result parse(const QByteArray& bytes, const QString& path);

    // Files above this many bytes are indexed (JSONL only: a CSV record may span lines). Tests lower it.
    static qint64 indexThreshold();
    static void setIndexThreshold(qint64 bytes);
    static constexpr int kSchemaSampleRows = 1000;  // an indexed file's layout is decided on its first records

    // One JSONL record's bytes (`row.source`) into its cells, shape and issue, by `schema`.
    static void readJsonlRow(const DatasetSchema& schema, DatasetRow& row);
    // An indexed row with its bytes read from `doc.file` and parsed; any other row as it is.
    static DatasetRow loaded(const DatasetDocument& doc, const DatasetRow& row);

private:
    static Result loadIndexed(const QString& path);
    static void parseJsonl(const QByteArray& bytes, DatasetDocument& doc);
    static QString parseCsv(const QByteArray& bytes, DatasetDocument& doc);
};
