#include "dataset/DatasetOriginalRows.h"

#include <algorithm>

DatasetOriginalRows::DatasetOriginalRows(const QList<DatasetRow>& rows, bool indexed) {
    if (!indexed) {
        m_rows = rows;
        return;
    }
    auto index = std::make_shared<Index>();
    index->offsets.reserve(size_t(rows.size()) + 1);
    index->lines.reserve(size_t(rows.size()));
    for (const DatasetRow& row : rows) {
        index->offsets.push_back(row.offset);
        index->lines.push_back(row.line);
    }
    index->offsets.push_back(rows.isEmpty() ? 0 : rows.back().offset + rows.back().length);
    m_index = std::move(index);
}

DatasetOriginalRows::DatasetOriginalRows(std::vector<qint64> offsets, qint64 end, std::vector<int> lines) {
    auto index = std::make_shared<Index>();
    index->offsets = std::move(offsets);
    index->offsets.push_back(end);
    index->lines = std::move(lines);
    m_index = std::move(index);
}

qint64 DatasetOriginalRows::offset(qsizetype i) const { return m_index->offsets[size_t(i)]; }

qint32 DatasetOriginalRows::length(qsizetype i) const {
    return qint32(std::min<qint64>(m_index->offsets[size_t(i) + 1] - m_index->offsets[size_t(i)], INT32_MAX));
}

DatasetRow DatasetOriginalRows::at(qsizetype i) const {
    if (!m_index) return m_rows[i];
    DatasetRow row;
    row.offset = offset(i);
    row.length = length(i);
    row.line = m_index->lines[size_t(i)];
    row.sourceIndex = int(i);
    return row;
}

bool DatasetOriginalRows::holds(const DatasetRow& row) const {
    if (row.sourceIndex < 0 || row.sourceIndex >= size()) return false;
    if (m_index) return row.isIndexed() && row.offset == offset(row.sourceIndex);
    const DatasetRow& o = m_rows[row.sourceIndex];
    return row.isIndexed() ? o.isIndexed() && o.offset == row.offset : row.source.isSharedWith(o.source);
}
