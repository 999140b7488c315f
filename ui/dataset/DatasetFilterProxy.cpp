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
    if (text == m_search) return;
    m_search = text;
    invalidateRowsFilter();
}

void DatasetFilterProxy::setInvalidOnly(bool invalidOnly) {
    if (invalidOnly == m_invalidOnly) return;
    m_invalidOnly = invalidOnly;
    invalidateRowsFilter();
}

bool DatasetFilterProxy::filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const {
    if (!m_model || sourceParent.isValid()) return true;
    const DatasetRow& row = m_model->rows()[sourceRow];
    if (m_invalidOnly && row.isValid()) return false;
    if (m_search.isEmpty()) return true;
    return std::any_of(row.cells.begin(), row.cells.end(),
                       [&](const QString& cell) { return cell.contains(m_search, Qt::CaseInsensitive); });
}
