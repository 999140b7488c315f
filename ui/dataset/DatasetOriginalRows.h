#pragma once
// The rows of a dataset as last read or saved: the autosave refers to untouched rows by their index in it, and the
// check and search of a large file scan it. A small document's are its rows themselves (shared with the model's list
// until an edit). An indexed document's are kept as where each record is in the file, 16 bytes a row: sharing the
// model's million DatasetRows instead made the first edit copy them all (~100 MB, a pause of the UI).

#include "dataset/DatasetRow.h"

#include <QList>

#include <memory>
#include <vector>

class DatasetOriginalRows {
public:
    DatasetOriginalRows() = default;
    // `rows` as the document has them after a load or save (row i: sourceIndex i). Indexed: only their places.
    DatasetOriginalRows(const QList<DatasetRow>& rows, bool indexed);
    // An indexed file's rows from where they start (one past the last row: `end`) and their lines.
    DatasetOriginalRows(std::vector<qint64> offsets, qint64 end, std::vector<int> lines);

    qsizetype size() const { return m_index ? qsizetype(m_index->lines.size()) : m_rows.size(); }
    bool isIndexed() const { return bool(m_index); }
    // Row i as the loader made it (an indexed row: offset, length, line, sourceIndex; no cells or bytes).
    DatasetRow at(qsizetype i) const;
    qint64 offset(qsizetype i) const;  // indexed: where row i starts in the file
    qint32 length(qsizetype i) const;  // indexed: its bytes, line end included
    // `row`'s bytes are those of row row.sourceIndex here: an indexed row at that place, or a row sharing its bytes.
    bool holds(const DatasetRow& row) const;

private:
    struct Index {
        std::vector<qint64> offsets;  // size() + 1: the last is where the rows end
        std::vector<int> lines;
    };
    QList<DatasetRow> m_rows;             // not indexed
    std::shared_ptr<const Index> m_index;  // indexed; shared by copies (the scans' workers hold one)
};
