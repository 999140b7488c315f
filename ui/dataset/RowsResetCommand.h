#pragma once
// Undo step that swaps every row at once (restoring autosaved edits); the rows are implicitly shared, so it is cheap.

#include "dataset/DatasetTableModel.h"

#include <QUndoCommand>

class RowsResetCommand : public QUndoCommand {
public:
    RowsResetCommand(DatasetTableModel* model, QList<DatasetRow> before, QList<DatasetRow> after, const QString& text)
        : QUndoCommand(text), m_model(model), m_before(std::move(before)), m_after(std::move(after)) {}

    void redo() override { m_model->replaceAllRows(m_after); }
    void undo() override { m_model->replaceAllRows(m_before); }

private:
    DatasetTableModel* m_model;
    QList<DatasetRow> m_before, m_after;
};
