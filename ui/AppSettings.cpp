#include "AppSettings.h"

#include <QDir>
#include <QFileInfo>
#include <QSettings>

namespace {

const QString kLanguage = QStringLiteral("ui/language");
const QString kDevice = QStringLiteral("training/defaultDevice");
const QString kRecent = QStringLiteral("files/recent");
const QString kModelFolders = QStringLiteral("models/folders");

QString folderKey(AppSettings::Folder kind) {
    switch (kind) {
    case AppSettings::Folder::Projects: return QStringLiteral("paths/projects");
    case AppSettings::Folder::Models: return QStringLiteral("paths/models");
    case AppSettings::Folder::Datasets: return QStringLiteral("paths/datasets");
    case AppSettings::Folder::Exports: return QStringLiteral("paths/exports");
    }
    return {};
}

} // namespace

QString AppSettings::language() { return QSettings().value(kLanguage).toString(); }
void AppSettings::setLanguage(const QString& code) { QSettings().setValue(kLanguage, code); }

QString AppSettings::defaultDevice() {
    const QString d = QSettings().value(kDevice, QStringLiteral("auto")).toString();
    return d == QLatin1String("cpu") || d == QLatin1String("cuda") ? d : QStringLiteral("auto");
}
void AppSettings::setDefaultDevice(const QString& device) { QSettings().setValue(kDevice, device); }

QString AppSettings::folder(Folder kind) { return QSettings().value(folderKey(kind)).toString(); }
void AppSettings::setFolder(Folder kind, const QString& dir) { QSettings().setValue(folderKey(kind), dir); }

QStringList AppSettings::recentFiles() { return QSettings().value(kRecent).toStringList(); }

void AppSettings::addRecentFile(const QString& path) {
    const QString clean = QDir::cleanPath(QFileInfo(path).absoluteFilePath());
    QStringList files = recentFiles();
    files.removeAll(clean);
    files.prepend(clean);
    while (files.size() > kMaxRecentFiles) files.removeLast();
    QSettings().setValue(kRecent, files);
}

void AppSettings::clearRecentFiles() { QSettings().remove(kRecent); }

QStringList AppSettings::modelFolders() { return QSettings().value(kModelFolders).toStringList(); }

void AppSettings::addModelFolder(const QString& dir) {
    const QString clean = QDir::cleanPath(QFileInfo(dir).absoluteFilePath());
    QStringList folders = modelFolders();
    if (folders.contains(clean)) return;
    folders << clean;
    QSettings().setValue(kModelFolders, folders);
}
