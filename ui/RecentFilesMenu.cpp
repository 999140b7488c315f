#include "RecentFilesMenu.h"

#include "AppSettings.h"

#include <QDir>
#include <QFileInfo>

RecentFilesMenu::RecentFilesMenu(QWidget* parent) : QMenu(tr("Open &Recent"), parent) {
    connect(this, &QMenu::aboutToShow, this, &RecentFilesMenu::rebuild);
    rebuild();
}

void RecentFilesMenu::rebuild() {
    clear();
    const QStringList files = AppSettings::recentFiles();
    int n = 0;
    for (const QString& f : files) {
        // "&1 train.jsonl — /home/me/data": the name first, the folder to tell namesakes apart.
        const QFileInfo info(f);
        QAction* a = addAction(QStringLiteral("&%1 %2 — %3").arg(++n % 10).arg(info.fileName(), QDir::toNativeSeparators(info.path())),
                               this, [this, f] { emit fileTriggered(f); });
        a->setEnabled(info.exists());
        a->setData(f);
    }
    if (files.isEmpty()) addAction(tr("No recent files"))->setEnabled(false);
    addSeparator();
    addAction(tr("&Clear List"), this, [this] {
        AppSettings::clearRecentFiles();
        rebuild();
    })->setEnabled(!files.isEmpty());
}
