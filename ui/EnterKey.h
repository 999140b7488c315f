#pragma once
// Enter in a line edit that acts on its own (ask, export) instead of travelling on to the dialog's default button:
// QLineEdit emits returnPressed but leaves the key unaccepted, so in a wizard it would press Finish and close.

#include <QObject>

#include <functional>

class QLineEdit;

// Calls `action` on Return/Enter in `edit` and swallows the key. The filter lives as long as `edit`.
void handleEnterKey(QLineEdit* edit, std::function<void()> action);
