#pragma once
// Reads a JSONL or CSV/TSV dataset into a DatasetDocument, keeping each record's bytes. Pure data work with no
// widgets, so it runs on a worker thread; bad rows are kept (and flagged) so the user can fix them.

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

private:
    static void parseJsonl(const QByteArray& bytes, DatasetDocument& doc);
    static QString parseCsv(const QByteArray& bytes, DatasetDocument& doc);
};
