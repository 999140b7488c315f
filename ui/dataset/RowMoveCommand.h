#pragma once
// Undo step for moving one row up or down.

#include "dataset/DatasetTableModel.h"

#include <QUndoCommand>

class RowMoveCommand : public QUndoCommand {
public:
    RowMoveCommand(DatasetTableModel* model, int from, int to, const QString& text)
        : QUndoCommand(text), m_model(model), m_from(from), m_to(to) {}

    void redo() override { m_model->moveRowTo(m_from, m_to); }
    void undo() override { m_model->moveRowTo(m_to, m_from); }

private:
    DatasetTableModel* m_model;
    int m_from, m_to;
};
