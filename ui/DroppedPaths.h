#pragma once
// What a path given to the app is — a model folder, a project, a dataset — decided the same way for drag and drop,
// the recent-files menu and the command line. Cheap enough for a drag entering the window: a folder is a model when
// it holds config.json; a .json is a project when it is small and reads as one, else a dataset.

#include <QList>
#include <QString>
#include <QUrl>

class QMimeData;

enum class PathKind { ModelFolder, Project, Dataset, Unsupported };

PathKind pathKind(const QString& path);

struct DroppedPath {
    PathKind kind;
    QString path;
};

// The local files and folders a drag carries, each with its kind (Unsupported included, to be reported).
QList<DroppedPath> droppedPaths(const QMimeData* data);
bool hasOpenablePath(const QMimeData* data);
