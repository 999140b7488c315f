#pragma once
// Undo step for a cell edit: the whole row before and after, so undo also restores "untouched" (saved byte for byte).

#include "dataset/DatasetTableModel.h"

#include <QUndoCommand>

class RowReplaceCommand : public QUndoCommand {
public:
    RowReplaceCommand(DatasetTableModel* model, int row, DatasetRow before, DatasetRow after, const QString& text)
        : QUndoCommand(text), m_model(model), m_row(row), m_before(std::move(before)), m_after(std::move(after)) {}

    void redo() override { m_model->replaceRow(m_row, m_after); }
    void undo() override { m_model->replaceRow(m_row, m_before); }

private:
    DatasetTableModel* m_model;
    int m_row;
    DatasetRow m_before, m_after;
};
