#include "dataset/DatasetFilterProxy.h"

#include "dataset/DatasetTableModel.h"

#include <algorithm>

DatasetFilterProxy::DatasetFilterProxy(QObject* parent) : QAbstractProxyModel(parent) {}

void DatasetFilterProxy::setDatasetModel(DatasetTableModel* model) {
    beginResetModel();
    if (m_model) disconnect(m_model, nullptr, this, nullptr);
    m_model = model;
    QAbstractProxyModel::setSourceModel(model);
    connect(model, &QAbstractItemModel::dataChanged, this, &DatasetFilterProxy::sourceDataChanged);
    connect(model, &QAbstractItemModel::headerDataChanged, this, &DatasetFilterProxy::sourceHeaderDataChanged);
    connect(model, &QAbstractItemModel::rowsAboutToBeInserted, this, &DatasetFilterProxy::sourceRowsAboutToBeInserted);
    connect(model, &QAbstractItemModel::rowsInserted, this, &DatasetFilterProxy::sourceRowsInserted);
    connect(model, &QAbstractItemModel::rowsAboutToBeRemoved, this, &DatasetFilterProxy::sourceRowsAboutToBeRemoved);
    connect(model, &QAbstractItemModel::rowsRemoved, this, &DatasetFilterProxy::sourceRowsRemoved);
    connect(model, &QAbstractItemModel::rowsAboutToBeMoved, this, &DatasetFilterProxy::sourceRowsAboutToBeMoved);
    connect(model, &QAbstractItemModel::rowsMoved, this, &DatasetFilterProxy::sourceRowsMoved);
    connect(model, &QAbstractItemModel::modelAboutToBeReset, this, [this] { beginResetModel(); });
    connect(model, &QAbstractItemModel::modelReset, this, [this] {
        remap();
        endResetModel();
    });
    remap();
    endResetModel();
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

bool DatasetFilterProxy::accepts(int sourceRow) const {
    if (!m_model) return true;
    const DatasetRow& row = m_model->rows()[sourceRow];
    if (m_invalidOnly && m_model->issueOf(row) == RowIssue::None) return false;
    return matches(row);
}

std::vector<int> DatasetFilterProxy::acceptedRows(int first, int last) const {
    std::vector<int> rows;
    for (int r = first; r <= last; ++r)
        if (accepts(r)) rows.push_back(r);
    return rows;
}

void DatasetFilterProxy::remap() {
    m_mapped = filtering() && m_model;
    m_rows = m_mapped ? acceptedRows(0, m_model->rowCount() - 1) : std::vector<int>();
}

std::pair<int, int> DatasetFilterProxy::shownBetween(int first, int last) const {
    const auto lo = std::lower_bound(m_rows.begin(), m_rows.end(), first);
    const auto hi = std::upper_bound(lo, m_rows.end(), last);
    return {int(lo - m_rows.begin()), int(hi - m_rows.begin())};
}

int DatasetFilterProxy::proxyRowOf(int sourceRow) const {
    if (!m_mapped) return sourceRow >= 0 && sourceRow < rowCount() ? sourceRow : -1;
    const auto it = std::lower_bound(m_rows.begin(), m_rows.end(), sourceRow);
    return it != m_rows.end() && *it == sourceRow ? int(it - m_rows.begin()) : -1;
}

// The filter changed: the rows shown are mapped again in one pass, and the view's current row and selection follow
// the rows they were on (as QSortFilterProxyModel::invalidate does), or go where a row is no longer shown.
void DatasetFilterProxy::refilter() {
    emit layoutAboutToBeChanged();
    const QModelIndexList before = persistentIndexList();
    QList<QPair<int, int>> sources;  // (source row, column) of each
    sources.reserve(before.size());
    for (const QModelIndex& i : before) {
        const QModelIndex s = mapToSource(i);
        sources.append({s.isValid() ? s.row() : -1, i.column()});
    }
    remap();
    QModelIndexList after;
    after.reserve(before.size());
    for (const auto& [row, column] : sources) {
        const int p = row < 0 ? -1 : proxyRowOf(row);
        after.append(p < 0 ? QModelIndex() : index(p, column));
    }
    changePersistentIndexList(before, after);
    emit layoutChanged();
}

QModelIndex DatasetFilterProxy::index(int row, int column, const QModelIndex& parent) const {
    if (parent.isValid() || row < 0 || column < 0 || row >= rowCount() || column >= columnCount()) return {};
    return createIndex(row, column);
}

QModelIndex DatasetFilterProxy::parent(const QModelIndex&) const { return {}; }

int DatasetFilterProxy::rowCount(const QModelIndex& parent) const {
    if (parent.isValid() || !m_model) return 0;
    return m_mapped ? int(m_rows.size()) : m_model->rowCount();
}

int DatasetFilterProxy::columnCount(const QModelIndex& parent) const {
    return parent.isValid() || !m_model ? 0 : m_model->columnCount();
}

bool DatasetFilterProxy::hasChildren(const QModelIndex& parent) const {
    return !parent.isValid() && rowCount() > 0 && columnCount() > 0;
}

QModelIndex DatasetFilterProxy::mapToSource(const QModelIndex& proxyIndex) const {
    if (!proxyIndex.isValid() || !m_model || proxyIndex.model() != this) return {};
    const int row = proxyIndex.row();
    if (m_mapped && size_t(row) >= m_rows.size()) return {};
    return m_model->index(m_mapped ? m_rows[size_t(row)] : row, proxyIndex.column());
}

QModelIndex DatasetFilterProxy::mapFromSource(const QModelIndex& sourceIndex) const {
    if (!sourceIndex.isValid() || sourceIndex.model() != m_model) return {};
    const int p = proxyRowOf(sourceIndex.row());
    return p < 0 ? QModelIndex() : index(p, sourceIndex.column());
}

QVariant DatasetFilterProxy::headerData(int section, Qt::Orientation orientation, int role) const {
    if (!m_model) return {};
    if (orientation == Qt::Horizontal) return m_model->headerData(section, orientation, role);
    if (section < 0 || section >= rowCount()) return {};
    return m_model->headerData(m_mapped ? m_rows[size_t(section)] : section, orientation, role);
}

// --- the source's changes --------------------------------------------------------------------------------------

// An edited row is filtered again: it leaves the view when it no longer matches, or comes in when it now does.
void DatasetFilterProxy::sourceDataChanged(const QModelIndex& topLeft, const QModelIndex& bottomRight,
                                           const QList<int>& roles) {
    if (!m_mapped) {
        emit dataChanged(index(topLeft.row(), topLeft.column()), index(bottomRight.row(), bottomRight.column()), roles);
        return;
    }
    for (int r = topLeft.row(); r <= bottomRight.row(); ++r) {
        const bool shown = accepts(r);
        const auto it = std::lower_bound(m_rows.begin(), m_rows.end(), r);
        const int p = int(it - m_rows.begin());
        const bool present = it != m_rows.end() && *it == r;
        if (shown && !present) {
            beginInsertRows({}, p, p);
            m_rows.insert(it, r);
            endInsertRows();
        } else if (!shown && present) {
            beginRemoveRows({}, p, p);
            m_rows.erase(it);
            endRemoveRows();
        } else if (present) {
            emit dataChanged(index(p, topLeft.column()), index(p, bottomRight.column()), roles);
        }
    }
}

void DatasetFilterProxy::sourceHeaderDataChanged(Qt::Orientation orientation, int first, int last) {
    if (orientation == Qt::Horizontal || !m_mapped) {
        emit headerDataChanged(orientation, first, last);
        return;
    }
    const auto [lo, hi] = shownBetween(first, last);
    if (lo != hi) emit headerDataChanged(orientation, lo, hi - 1);
}

void DatasetFilterProxy::sourceRowsAboutToBeInserted(const QModelIndex& parent, int first, int last) {
    if (!parent.isValid() && !m_mapped) beginInsertRows({}, first, last);
}

void DatasetFilterProxy::sourceRowsInserted(const QModelIndex& parent, int first, int last) {
    if (parent.isValid()) return;
    if (!m_mapped) {
        endInsertRows();
        return;
    }
    const int count = last - first + 1;
    const auto at = std::lower_bound(m_rows.begin(), m_rows.end(), first);
    for (auto it = at; it != m_rows.end(); ++it) *it += count;  // the rows after them move down, in the same order
    const std::vector<int> shown = acceptedRows(first, last);
    if (shown.empty()) return;
    const int p = int(at - m_rows.begin());
    beginInsertRows({}, p, p + int(shown.size()) - 1);
    m_rows.insert(m_rows.begin() + p, shown.begin(), shown.end());
    endInsertRows();
}

void DatasetFilterProxy::sourceRowsAboutToBeRemoved(const QModelIndex& parent, int first, int last) {
    if (parent.isValid()) return;
    if (!m_mapped) {
        beginRemoveRows({}, first, last);
        return;
    }
    const auto [lo, hi] = shownBetween(first, last);
    m_removeSignalled = lo != hi;
    if (!m_removeSignalled) return;
    beginRemoveRows({}, lo, hi - 1);
    m_rows.erase(m_rows.begin() + lo, m_rows.begin() + hi);
}

void DatasetFilterProxy::sourceRowsRemoved(const QModelIndex& parent, int first, int last) {
    if (parent.isValid()) return;
    if (!m_mapped) {
        endRemoveRows();
        return;
    }
    const int count = last - first + 1;
    for (auto it = std::upper_bound(m_rows.begin(), m_rows.end(), last); it != m_rows.end(); ++it) *it -= count;
    if (m_removeSignalled) endRemoveRows();
    m_removeSignalled = false;
}

// Rows [first, last] go before source row `row` (numbered as before the move). Unfiltered, the view moves them too.
// Filtered, one row: it moves in the view only past rows the view shows; several rows: the view is reset.
void DatasetFilterProxy::sourceRowsAboutToBeMoved(const QModelIndex& parent, int first, int last,
                                                  const QModelIndex& dest, int row) {
    if (parent.isValid() || dest.isValid()) return;
    m_move = Move::None;
    if (!m_mapped) {
        beginMoveRows({}, first, last, {}, row);
        m_move = Move::Signalled;
        return;
    }
    if (first != last) {
        beginResetModel();
        m_move = Move::Reset;
        return;
    }
    const int p = proxyRowOf(first);
    if (p < 0) return;  // not shown: the rows shown keep their order
    // The shown rows it passes: between it and its destination.
    const auto lo = std::upper_bound(m_rows.begin(), m_rows.end(), row > first ? first : row - 1);
    const auto hi = std::lower_bound(m_rows.begin(), m_rows.end(), row > first ? row : first);
    const int passed = int(hi - lo);
    if (passed == 0) return;
    beginMoveRows({}, p, p, {}, row > first ? p + passed + 1 : p - passed);
    m_move = Move::Signalled;
}

void DatasetFilterProxy::sourceRowsMoved(const QModelIndex& parent, int first, int /*last*/, const QModelIndex& dest,
                                         int row) {
    if (parent.isValid() || dest.isValid()) return;
    if (!m_mapped) {
        if (m_move == Move::Signalled) endMoveRows();
        m_move = Move::None;
        return;
    }
    if (m_move == Move::Reset) {
        remap();
        m_move = Move::None;
        endResetModel();
        return;
    }
    // Source row `first` is now at `to`; the rows between moved one place toward where it was.
    const int to = row > first ? row - 1 : row;
    const auto moved = [&](int r) {
        if (r == first) return to;
        if (first < to && r > first && r <= to) return r - 1;
        if (to < first && r >= to && r < first) return r + 1;
        return r;
    };
    for (int& r : m_rows) r = moved(r);
    // Only the moved row can be out of order now: put it back in place.
    const auto it = std::find(m_rows.begin(), m_rows.end(), to);
    if (it != m_rows.end()) {
        if (first < to) std::rotate(it, it + 1, std::upper_bound(it + 1, m_rows.end(), to));
        else std::rotate(std::lower_bound(m_rows.begin(), it, to), it, it + 1);
    }
    if (m_move == Move::Signalled) endMoveRows();
    m_move = Move::None;
}
