#pragma once
// Search and filter over DatasetTableModel: rows whose cells contain the search text (case-insensitive), optionally
// only the invalid ones. Reads the rows directly rather than through data(), so filtering 100k rows stays quick.

#include <QSortFilterProxyModel>

class DatasetTableModel;

class DatasetFilterProxy : public QSortFilterProxyModel {
    Q_OBJECT
public:
    explicit DatasetFilterProxy(QObject* parent = nullptr);

    void setDatasetModel(DatasetTableModel* model);
    void setSearchText(const QString& text);
    void setInvalidOnly(bool invalidOnly);
    QString searchText() const { return m_search; }
    bool invalidOnly() const { return m_invalidOnly; }

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const override;

private:
    DatasetTableModel* m_model = nullptr;
    QString m_search;
    bool m_invalidOnly = false;
};
