#include "dataset/MultiLineDelegate.h"

#include <QKeyEvent>
#include <QPlainTextEdit>

namespace {
constexpr int kEditorLines = 8;
}

QWidget* MultiLineDelegate::createEditor(QWidget* parent, const QStyleOptionViewItem&, const QModelIndex&) const {
    auto* editor = new QPlainTextEdit(parent);
    editor->setTabChangesFocus(true);
    editor->setLineWrapMode(QPlainTextEdit::WidgetWidth);
    return editor;
}

void MultiLineDelegate::setEditorData(QWidget* editor, const QModelIndex& index) const {
    auto* edit = static_cast<QPlainTextEdit*>(editor);
    edit->setPlainText(index.data(Qt::EditRole).toString());
    edit->selectAll();
}

void MultiLineDelegate::setModelData(QWidget* editor, QAbstractItemModel* model, const QModelIndex& index) const {
    model->setData(index, static_cast<QPlainTextEdit*>(editor)->toPlainText(), Qt::EditRole);
}

void MultiLineDelegate::updateEditorGeometry(QWidget* editor, const QStyleOptionViewItem& option, const QModelIndex&) const {
    QRect r = option.rect;
    r.setHeight(std::max(r.height(), editor->fontMetrics().lineSpacing() * kEditorLines));
    if (auto* parent = editor->parentWidget()) r.moveBottom(std::min(r.bottom(), parent->height() - 1));
    r.moveTop(std::max(r.top(), 0));
    editor->setGeometry(r);
}

bool MultiLineDelegate::eventFilter(QObject* object, QEvent* event) {
    if (event->type() == QEvent::KeyPress) {
        const auto* key = static_cast<QKeyEvent*>(event);
        const bool enter = key->key() == Qt::Key_Return || key->key() == Qt::Key_Enter;
        if (enter && (key->modifiers() & Qt::ControlModifier)) {
            auto* editor = qobject_cast<QWidget*>(object);
            emit commitData(editor);
            emit closeEditor(editor, QAbstractItemDelegate::NoHint);
            return true;
        }
    }
    return QStyledItemDelegate::eventFilter(object, event);
}
