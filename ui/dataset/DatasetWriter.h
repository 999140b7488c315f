#pragma once
// Writes a DatasetDocument back: untouched rows exactly as they were read, edited and added rows serialized anew.

#include "dataset/DatasetDocument.h"

class DatasetWriter {
public:
    // `chunks`, when given, receives each row's bytes in the output (they become the rows' sources after a save).
    static QByteArray serialize(const DatasetDocument& doc, QList<QByteArray>* chunks = nullptr);
    // One row's bytes, ending in the file's line end.
    static QByteArray rowBytes(const DatasetDocument& doc, const DatasetRow& row);
    static QByteArray csvLine(const QStringList& fields, char delimiter, const QByteArray& newline);
};
