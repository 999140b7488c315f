#pragma once
// File > Open Recent: rebuilt from AppSettings each time it opens, so every window sees the same list.

#include <QMenu>

class RecentFilesMenu : public QMenu {
    Q_OBJECT
public:
    explicit RecentFilesMenu(QWidget* parent = nullptr);
    void rebuild();

signals:
    void fileTriggered(const QString& path);
};
