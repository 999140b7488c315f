#include "LocalShortcuts.h"

#include <QAction>
#include <QKeyEvent>
#include <QWidget>

LocalShortcuts::LocalShortcuts(QWidget* panel, const QList<QAction*>& actions) : QObject(panel) {
    for (QAction* a : actions) m_actions.append(a);
    panel->installEventFilter(this);
}

QAction* LocalShortcuts::actionFor(const QKeyEvent* key) const {
    const QKeySequence pressed(key->keyCombination());
    for (QAction* a : m_actions)
        if (a && a->isEnabled() && a->shortcuts().contains(pressed)) return a;
    return nullptr;
}

bool LocalShortcuts::eventFilter(QObject* watched, QEvent* event) {
    if (event->type() != QEvent::ShortcutOverride && event->type() != QEvent::KeyPress)
        return QObject::eventFilter(watched, event);
    auto* key = static_cast<QKeyEvent*>(event);
    QAction* action = actionFor(key);
    if (!action) return false;
    key->accept();
    if (event->type() == QEvent::KeyPress) action->trigger();
    return true;
}
