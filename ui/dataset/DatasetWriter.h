#pragma once
// Writes a DatasetDocument back: untouched rows exactly as they were read, edited and added rows serialized anew.
// An indexed document's untouched rows are copied from its file, neighbours in one read, so a save streams.

#include "dataset/DatasetDocument.h"

#include <functional>

class DatasetWriter {
public:
    enum class Result { Ok, SinkFailed, SourceUnreadable };
    // Receives the prefix (row -1), then each row's bytes in the output; returns false to stop.
    using Sink = std::function<bool(qsizetype row, const QByteArray& bytes)>;

    static Result write(const DatasetDocument& doc, const Sink& sink);
    // `chunks`, when given, receives each row's bytes in the output (they become the rows' sources after a save).
    static QByteArray serialize(const DatasetDocument& doc, QList<QByteArray>* chunks = nullptr);
    // One row's bytes, ending in the file's line end.
    static QByteArray rowBytes(const DatasetDocument& doc, const DatasetRow& row);
    static QByteArray csvLine(const QStringList& fields, char delimiter, const QByteArray& newline);
};
