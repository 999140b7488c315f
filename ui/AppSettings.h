#pragma once
// The app's preferences, typed, over QSettings (organization "FinetuneStudio"): UI language, the default training
// device for new projects, the folders file dialogs start in, the recent-files list, and the folders the Model page
// looks for models in besides the usual places.

#include <QString>
#include <QStringList>

class AppSettings {
public:
    enum class Folder { Projects, Models, Datasets, Exports };
    static constexpr int kMaxRecentFiles = 10;

    static QString language();               // "en", "ko", or "" for the system's
    static void setLanguage(const QString& code);
    static QString defaultDevice();          // auto | cpu | cuda
    static void setDefaultDevice(const QString& device);
    static QString folder(Folder kind);      // empty when never set
    static void setFolder(Folder kind, const QString& dir);

    static QStringList recentFiles();        // newest first, existing or not
    static void addRecentFile(const QString& path);
    static void clearRecentFiles();

    static QStringList modelFolders();       // in the order added
    static void addModelFolder(const QString& dir);
};
