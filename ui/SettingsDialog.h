#pragma once
// Preferences: UI language (applies at the next start), the default training device for new projects and the folders
// file dialogs start in. Reads and writes AppSettings; nothing is saved unless OK is pressed.

#include "AppSettings.h"

#include <QDialog>
#include <map>

class QComboBox;
class QLineEdit;

class SettingsDialog : public QDialog {
    Q_OBJECT
public:
    explicit SettingsDialog(QWidget* parent = nullptr);

    void load();
    void save() const;
    QComboBox* languageBox() const { return m_language; }
    QComboBox* deviceBox() const { return m_device; }
    QLineEdit* folderEdit(AppSettings::Folder kind) const { return m_folders.at(kind); }

private:
    QComboBox* m_language;
    QComboBox* m_device;
    std::map<AppSettings::Folder, QLineEdit*> m_folders;
};
