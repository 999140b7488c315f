#include "dataset/DatasetFilterProxy.h"

#include "dataset/DatasetTableModel.h"

DatasetFilterProxy::DatasetFilterProxy(QObject* parent) : QSortFilterProxyModel(parent) {
    setDynamicSortFilter(true);  // an edited row is filtered again at once
}

void DatasetFilterProxy::setDatasetModel(DatasetTableModel* model) {
    m_model = model;
    setSourceModel(model);
}

void DatasetFilterProxy::setSearchText(const QString& text) {
    if (text == m_search && m_matches.empty()) return;
    m_search = text;
    m_matches.clear();
    refilter();
}

void DatasetFilterProxy::setSearchResult(const QString& text, std::vector<quint8> matches) {
    m_search = text;
    m_matches = std::move(matches);
    refilter();
}

// QSortFilterProxyModel's incremental refilter removes or inserts each run of rows that changed, and updates its
// mapping for each: quadratic when a search over a million rows keeps thousands of scattered ones (30 s measured).
// A large model is mapped again from scratch instead, in one pass.
void DatasetFilterProxy::refilter() {
    if (m_model && m_model->rowCount() > kIncrementalRows) invalidate();
    else invalidateRowsFilter();
}

void DatasetFilterProxy::setInvalidOnly(bool invalidOnly) {
    if (invalidOnly == m_invalidOnly) return;
    m_invalidOnly = invalidOnly;
    refilter();
}

std::vector<quint8> DatasetFilterProxy::matchesByRow() const {
    std::vector<quint8> out(size_t(m_model ? m_model->rowCount() : 0), 0);
    for (size_t i = 0; i < out.size(); ++i) out[i] = matches(m_model->rows()[qsizetype(i)]);
    return out;
}

bool DatasetFilterProxy::matches(const DatasetRow& row) const {
    if (m_search.isEmpty()) return true;
    if (row.isIndexed()) return size_t(row.sourceIndex) < m_matches.size() && m_matches[size_t(row.sourceIndex)];
    return std::any_of(row.cells.begin(), row.cells.end(),
                       [&](const QString& cell) { return cell.contains(m_search, Qt::CaseInsensitive); });
}

bool DatasetFilterProxy::filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const {
    if (!m_model || sourceParent.isValid()) return true;
    const DatasetRow& row = m_model->rows()[sourceRow];
    if (m_invalidOnly && m_model->issueOf(row) == RowIssue::None) return false;
    return matches(row);
}
