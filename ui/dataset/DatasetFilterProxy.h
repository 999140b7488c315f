#pragma once
// Search and filter over DatasetTableModel: rows whose cells contain the search text (case-insensitive), optionally
// only the invalid ones. Reads the rows directly rather than through data(), so filtering 100k rows stays quick. An
// indexed (large) dataset is searched on workers (DatasetRowScan); its untouched rows are then filtered by the result.

#include "dataset/DatasetRow.h"

#include <QSortFilterProxyModel>

#include <vector>

class DatasetTableModel;

class DatasetFilterProxy : public QSortFilterProxyModel {
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
    QString searchText() const { return m_search; }
    bool invalidOnly() const { return m_invalidOnly; }

    static constexpr int kIncrementalRows = 200000;  // refiltered row by row up to this many rows

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const override;

private:
    void refilter();
    bool matches(const DatasetRow& row) const;

    DatasetTableModel* m_model = nullptr;
    QString m_search;
    std::vector<quint8> m_matches;
    bool m_invalidOnly = false;
};
