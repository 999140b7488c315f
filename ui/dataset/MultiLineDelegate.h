#pragma once
// Edits a cell in a QPlainTextEdit, taller than the row, so long prompts and answers (and their line breaks) can be
// edited in place. Enter adds a line; Ctrl+Enter or leaving the editor commits; Escape cancels.

#include <QStyledItemDelegate>

class MultiLineDelegate : public QStyledItemDelegate {
    Q_OBJECT
public:
    using QStyledItemDelegate::QStyledItemDelegate;

    QWidget* createEditor(QWidget* parent, const QStyleOptionViewItem& option, const QModelIndex& index) const override;
    void setEditorData(QWidget* editor, const QModelIndex& index) const override;
    void setModelData(QWidget* editor, QAbstractItemModel* model, const QModelIndex& index) const override;
    void updateEditorGeometry(QWidget* editor, const QStyleOptionViewItem& option, const QModelIndex& index) const override;

protected:
    bool eventFilter(QObject* object, QEvent* event) override;
};
