#pragma once
// Search and filter over DatasetTableModel: rows whose cells contain the search text (case-insensitive), optionally
// only the invalid ones. Reads the rows directly rather than through data(). An indexed (large) dataset is searched on
// workers (DatasetRowScan); its untouched rows are then filtered by the result.
//
// A proxy of its own rather than QSortFilterProxyModel, which maps every row again after a reset or a new filter (a
// million rows: ~35 ms of the UI thread at every open) and refilters incrementally in quadratic time. Here no filter
// is the identity (nothing is mapped), and a filter is a sorted list of the source rows shown, built in one pass; an
// edit, insert, removal or move updates it in place, as QSortFilterProxyModel's dynamic filter would (an edited row
// that no longer matches leaves the view). No sorting.

#include "dataset/DatasetRow.h"

#include <QAbstractProxyModel>

#include <utility>
#include <vector>

class DatasetTableModel;

class DatasetFilterProxy : public QAbstractProxyModel {
    Q_OBJECT
public:
    explicit DatasetFilterProxy(QObject* parent = nullptr);

    void setDatasetModel(DatasetTableModel* model);
    void setSearchText(const QString& text);
    // Search of an indexed dataset: `matches` holds, per row of its file (sourceIndex), whether the row matches.
    void setSearchResult(const QString& text, std::vector<quint8> matches);
    // Whether each of the model's rows matches the search, by its row now: after a save makes the rows the new
    // file's (sourceIndex = row), this is the search result for it, with no search again.
    std::vector<quint8> matchesByRow() const;
    void setInvalidOnly(bool invalidOnly);
    // The rows' issues changed (every row was checked): filters again.
    void invalidate() { refilter(); }
    QString searchText() const { return m_search; }
    bool invalidOnly() const { return m_invalidOnly; }

    QModelIndex index(int row, int column, const QModelIndex& parent = {}) const override;
    QModelIndex parent(const QModelIndex& child) const override;
    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    bool hasChildren(const QModelIndex& parent = {}) const override;
    QModelIndex mapToSource(const QModelIndex& proxyIndex) const override;
    QModelIndex mapFromSource(const QModelIndex& sourceIndex) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    bool filtering() const { return !m_search.isEmpty() || m_invalidOnly; }
    bool accepts(int sourceRow) const;
    bool matches(const DatasetRow& row) const;
    void refilter();
    void remap();  // m_mapped and m_rows for the filter now, from every row
    std::pair<int, int> shownBetween(int first, int last) const;  // [lo, hi): the proxy rows of source rows in [first, last]
    std::vector<int> acceptedRows(int first, int last) const;  // source rows in [first, last] the filter shows
    int proxyRowOf(int sourceRow) const;                         // -1: not shown
    // Source signals, for a filtered view (an unfiltered one passes them on as they are).
    void sourceDataChanged(const QModelIndex& topLeft, const QModelIndex& bottomRight, const QList<int>& roles);
    void sourceHeaderDataChanged(Qt::Orientation orientation, int first, int last);
    void sourceRowsAboutToBeInserted(const QModelIndex& parent, int first, int last);
    void sourceRowsInserted(const QModelIndex& parent, int first, int last);
    void sourceRowsAboutToBeRemoved(const QModelIndex& parent, int first, int last);
    void sourceRowsRemoved(const QModelIndex& parent, int first, int last);
    void sourceRowsAboutToBeMoved(const QModelIndex& parent, int first, int last, const QModelIndex& dest, int row);
    void sourceRowsMoved(const QModelIndex& parent, int first, int last, const QModelIndex& dest, int row);

    DatasetTableModel* m_model = nullptr;
    QString m_search;
    std::vector<quint8> m_matches;
    bool m_invalidOnly = false;
    bool m_mapped = false;   // m_rows is the mapping (a filter is on); otherwise proxy row = source row
    std::vector<int> m_rows;  // the source rows shown, ascending
    // A move in flight while filtering: whether the view was told (beginMoveRows), or the move is of several rows and
    // the view is reset (the model moves one row at a time; this is for completeness).
    enum class Move { None, Signalled, Reset } m_move = Move::None;
    bool m_removeSignalled = false;  // a removal in flight while filtering hides rows the view shows
};
