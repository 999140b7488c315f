#pragma once
// Undo step that inserts rows (add, duplicate) or removes them (delete); each is the other's undo.

#include "dataset/DatasetTableModel.h"

#include <QUndoCommand>

class RowsCommand : public QUndoCommand {
public:
    enum class Kind { Insert, Remove };

    // `rows`: (position, row) in ascending positions — after the insert, or before the removal.
    RowsCommand(DatasetTableModel* model, Kind kind, QList<QPair<int, DatasetRow>> rows, const QString& text)
        : QUndoCommand(text), m_model(model), m_kind(kind), m_rows(std::move(rows)) {}

    void redo() override { m_kind == Kind::Insert ? insert() : remove(); }
    void undo() override { m_kind == Kind::Insert ? remove() : insert(); }

private:
    void insert() { m_model->insertRowsAt(m_rows); }
    void remove() {
        QList<int> positions;
        for (const auto& p : m_rows) positions.append(p.first);
        m_model->removeRowsAt(positions);
    }

    DatasetTableModel* m_model;
    Kind m_kind;
    QList<QPair<int, DatasetRow>> m_rows;
};
