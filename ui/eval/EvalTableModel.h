#pragma once
// An evaluation's rows as a table: line, prompt, reference, each model's answer and loss, the change in loss of each
// tuned model against the base, and each model's token F1 and ROUGE-L. Numbers sort as numbers (SortRole).

#include "EvalRunner.h"

#include <QAbstractTableModel>

class EvalTableModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Role { SortRole = Qt::UserRole + 1, LineRole };
    enum Column { LineColumn, PromptColumn, ReferenceColumn, FirstSideColumn };

    explicit EvalTableModel(QObject* parent = nullptr);
    void setReport(EvalReportPtr report);
    EvalReportPtr report() const { return m_report; }

    // Where each kind of column starts for side `side` (0: base); -1 when there is none.
    int answerColumn(int side) const;
    int lossColumn(int side) const;
    int deltaColumn(int side) const;  // tuned sides only: loss − base loss (negative: better)
    int f1Column(int side) const;
    int rougeColumn(int side) const;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

private:
    int sides() const;
    EvalReportPtr m_report;
};
