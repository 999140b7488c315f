#pragma once
// The inspector's table: one row per quantization method with what it loses on the selected tensor.

#include "QuantInspection.h"

#include <QAbstractTableModel>

class QuantResultModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Method, Mse, MaxError, Snr, Bytes, BitsPerElement, ColumnCount };

    explicit QuantResultModel(QObject* parent = nullptr);

    void setResults(std::vector<MethodResult> results);
    const std::vector<MethodResult>& results() const { return m_results; }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    static QString methodName(const ft::QuantOptions& options);  // "NF4 (block 64)", "int8 symmetric (per tensor)"
    static QString shortMethodName(ft::QuantMethod method);      // "NF4", "int8 sym."

private:
    std::vector<MethodResult> m_results;
};
