#pragma once
// Enter in a line edit (or a list) that acts on its own (ask, export, open the row) instead of travelling on to the
// dialog's default button: QLineEdit and item views leave the key unaccepted, so in a wizard it would press Next or
// Finish.

#include <QObject>

#include <functional>

class QWidget;

// Calls `action` on Return/Enter in `widget` and swallows the key. The filter lives as long as `widget`.
void handleEnterKey(QWidget* widget, std::function<void()> action);
