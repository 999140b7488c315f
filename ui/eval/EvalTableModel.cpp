#include "EvalTableModel.h"

#include <QBrush>
#include <QColor>

#include <cmath>

namespace {
QString number(double v, int digits = 3) { return std::isfinite(v) ? QString::number(v, 'f', digits) : QStringLiteral("–"); }
QString oneLine(const std::string& s) {
    QString t = QString::fromStdString(s);
    t.replace(QLatin1Char('\n'), QStringLiteral(" ⏎ "));
    return t;
}
}

EvalTableModel::EvalTableModel(QObject* parent) : QAbstractTableModel(parent) {}

void EvalTableModel::setReport(EvalReportPtr report) {
    beginResetModel();
    m_report = std::move(report);
    endResetModel();
}

int EvalTableModel::sides() const { return m_report ? int(m_report->sides.size()) : 0; }
int EvalTableModel::answerColumn(int side) const { return side < sides() ? FirstSideColumn + side : -1; }
int EvalTableModel::lossColumn(int side) const { return side < sides() ? FirstSideColumn + sides() + side : -1; }
int EvalTableModel::deltaColumn(int side) const {
    return side >= 1 && side < sides() ? FirstSideColumn + 2 * sides() + side - 1 : -1;
}
int EvalTableModel::f1Column(int side) const { return side < sides() ? FirstSideColumn + 3 * sides() - 1 + side : -1; }
int EvalTableModel::rougeColumn(int side) const { return side < sides() ? FirstSideColumn + 4 * sides() - 1 + side : -1; }

int EvalTableModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() || !m_report ? 0 : int(m_report->rows.size());
}

int EvalTableModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() || !m_report ? 0 : FirstSideColumn + 5 * sides() - 1;
}

QVariant EvalTableModel::data(const QModelIndex& index, int role) const {
    if (!m_report || !index.isValid()) return {};
    const ft::EvalRow& row = m_report->rows[size_t(index.row())];
    const int c = index.column();
    if (role == LineRole) return row.line;
    const int n = sides();
    // Which side a per-side column is about, and the number it shows.
    double value = NAN;
    bool numeric = true;
    if (c == LineColumn) value = row.line;
    else if (c >= FirstSideColumn + n && c < FirstSideColumn + 2 * n) value = row.answers[size_t(c - FirstSideColumn - n)].loss;
    else if (c >= FirstSideColumn + 2 * n && c < FirstSideColumn + 3 * n - 1) {
        const int s = c - FirstSideColumn - 2 * n + 1;
        value = row.answers[size_t(s)].loss - row.answers[0].loss;
    } else if (c >= FirstSideColumn + 3 * n - 1 && c < FirstSideColumn + 4 * n - 1) value = row.answers[size_t(c - FirstSideColumn - 3 * n + 1)].tokenF1;
    else if (c >= FirstSideColumn + 4 * n - 1) value = row.answers[size_t(c - FirstSideColumn - 4 * n + 1)].rougeLUnicode;
    else numeric = false;

    if (numeric) {
        switch (role) {
        case Qt::DisplayRole: return c == LineColumn ? QString::number(row.line) : number(value);
        case SortRole: return std::isfinite(value) ? value : 1e300;  // unscored rows last
        case Qt::TextAlignmentRole: return int(Qt::AlignRight | Qt::AlignVCenter);
        case Qt::BackgroundRole:
            if (c >= FirstSideColumn + 2 * n && c < FirstSideColumn + 3 * n - 1 && std::isfinite(value) && value != 0)
                return QBrush(value < 0 ? QColor(0xe8, 0xf5, 0xe9) : QColor(0xff, 0xeb, 0xee));
            return {};
        default: return {};
        }
    }
    const std::string* text = nullptr;
    if (c == PromptColumn) text = &row.prompt;
    else if (c == ReferenceColumn) text = &row.reference;
    else text = &row.answers[size_t(c - FirstSideColumn)].text;
    switch (role) {
    case Qt::DisplayRole:
    case SortRole: return oneLine(*text);
    case Qt::ToolTipRole: return QString::fromStdString(*text);
    default: return {};
    }
}

QVariant EvalTableModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole || !m_report) return {};
    const int n = sides();
    const auto name = [&](int s) { return s == 0 ? tr("base") : QString::fromStdString(m_report->sides[size_t(s)].name); };
    if (section == LineColumn) return tr("Line");
    if (section == PromptColumn) return tr("Prompt");
    if (section == ReferenceColumn) return tr("Reference");
    int c = section - FirstSideColumn;
    if (c < n) return tr("%1 answer").arg(name(c));
    c -= n;
    if (c < n) return tr("%1 loss").arg(name(c));
    c -= n;
    if (c < n - 1) return tr("Δ loss %1").arg(name(c + 1));
    c -= n - 1;
    if (c < n) return tr("%1 F1").arg(name(c));
    c -= n;
    return tr("%1 ROUGE-L").arg(name(c));
}
