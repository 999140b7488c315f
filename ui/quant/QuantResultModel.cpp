#include "QuantResultModel.h"

#include <QLocale>

#include <cmath>

QuantResultModel::QuantResultModel(QObject* parent) : QAbstractTableModel(parent) {}

void QuantResultModel::setResults(std::vector<MethodResult> results) {
    beginResetModel();
    m_results = std::move(results);
    endResetModel();
}

int QuantResultModel::rowCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : int(m_results.size()); }

int QuantResultModel::columnCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : ColumnCount; }

QString QuantResultModel::methodName(const ft::QuantOptions& o) {
    switch (o.method) {
    case ft::QuantMethod::Nf4: return tr("NF4 (block %1)").arg(o.blocksize);
    case ft::QuantMethod::Fp4: return tr("FP4 (block %1)").arg(o.blocksize);
    case ft::QuantMethod::Int8Sym: return tr("int8 symmetric (per tensor)");
    case ft::QuantMethod::Int8Asym: return tr("int8 asymmetric (per tensor)");
    }
    return {};
}

QString QuantResultModel::shortMethodName(ft::QuantMethod method) {
    switch (method) {
    case ft::QuantMethod::Nf4: return tr("NF4");
    case ft::QuantMethod::Fp4: return tr("FP4");
    case ft::QuantMethod::Int8Sym: return tr("int8 sym.");
    case ft::QuantMethod::Int8Asym: return tr("int8 asym.");
    }
    return {};
}

QVariant QuantResultModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.row() >= int(m_results.size())) return {};
    const MethodResult& r = m_results[size_t(index.row())];
    if (role == Qt::TextAlignmentRole && index.column() != Method) return int(Qt::AlignRight | Qt::AlignVCenter);
    if (role != Qt::DisplayRole && role != Qt::UserRole) return {};
    const bool raw = role == Qt::UserRole;  // the number itself, for exports and tests
    switch (Column(index.column())) {
    case Method: return methodName(r.options);
    case Mse: return raw ? QVariant(r.error.mse) : QVariant(QString::number(r.error.mse, 'g', 4));
    case MaxError: return raw ? QVariant(r.error.maxAbsError) : QVariant(QString::number(r.error.maxAbsError, 'g', 4));
    case Snr:
        if (raw) return r.error.snrDb;
        return std::isfinite(r.error.snrDb) ? QString::number(r.error.snrDb, 'f', 2) : tr("exact");
    case Bytes: return raw ? QVariant(qlonglong(r.error.bytes)) : QVariant(QLocale().toString(qlonglong(r.error.bytes)));
    case BitsPerElement:
        return raw ? QVariant(r.error.bitsPerElement) : QVariant(QString::number(r.error.bitsPerElement, 'f', 3));
    case ColumnCount: break;
    }
    return {};
}

QVariant QuantResultModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return QAbstractTableModel::headerData(section, orientation, role);
    switch (Column(section)) {
    case Method: return tr("Method");
    case Mse: return tr("MSE");
    case MaxError: return tr("Max error");
    case Snr: return tr("SNR (dB)");
    case Bytes: return tr("Bytes");
    case BitsPerElement: return tr("Bits / value");
    case ColumnCount: break;
    }
    return {};
}
