#pragma once
// A panel's own shortcuts, preferred over the window's same keys while the focus is inside the panel.
//
// Qt matches a key against every enabled shortcut whose context fits; when two fit (the window's Edit > Undo and the
// dataset editor's Undo, both Ctrl+Z) it triggers neither and prints "QAction::event: Ambiguous shortcut overload".
// Before it looks, the focus widget and then its parents are offered the key as a ShortcutOverride event; accepting
// it there makes the key an ordinary key press. This filter, installed on the panel, accepts the override for its
// actions' keys (unless a child such as a line edit claimed the key for itself first) and triggers the action when
// the press reaches the panel. Outside the panel the window's shortcut keeps the key.

#include <QList>
#include <QObject>
#include <QPointer>

class QAction;
class QKeyEvent;
class QWidget;

class LocalShortcuts : public QObject {
    Q_OBJECT
public:
    // Owned by `panel`. Only keys the children ignore as presses suit this (Ctrl+letter, not arrows or Delete,
    // which a table view acts on itself).
    LocalShortcuts(QWidget* panel, const QList<QAction*>& actions);

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    QAction* actionFor(const QKeyEvent* key) const;

    QList<QPointer<QAction>> m_actions;
};
