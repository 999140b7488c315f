#include "DroppedPaths.h"

#include "core/common/error.h"
#include "core/project/project.h"

#include <QDir>
#include <QFileInfo>
#include <QMimeData>

namespace {

constexpr qint64 kMaxProjectBytes = 1 << 20;  // a project file is a few KB; anything larger is data

} // namespace

PathKind pathKind(const QString& path) {
    const QFileInfo info(path);
    if (info.isDir()) return QFileInfo::exists(QDir(path).filePath(QStringLiteral("config.json"))) ? PathKind::ModelFolder
                                                                                                   : PathKind::Unsupported;
    if (!info.isFile()) return PathKind::Unsupported;
    const QString suffix = info.suffix().toLower();
    if (suffix == QLatin1String("json")) {
        if (info.size() <= kMaxProjectBytes) {
            try {
                ft::loadProject(path.toStdString());
                return PathKind::Project;
            } catch (const ft::Error&) {
            }
        }
        return PathKind::Dataset;
    }
    for (const char* s : {"jsonl", "csv", "tsv", "txt"})
        if (suffix == QLatin1String(s)) return PathKind::Dataset;
    return PathKind::Unsupported;
}

QList<DroppedPath> droppedPaths(const QMimeData* data) {
    QList<DroppedPath> paths;
    if (!data || !data->hasUrls()) return paths;
    for (const QUrl& url : data->urls()) {
        if (!url.isLocalFile()) continue;
        QString path = url.toLocalFile();
        while (path.size() > 1 && path.endsWith(QLatin1Char('/'))) path.chop(1);  // file managers add one to folders
        paths.append({pathKind(path), path});
    }
    return paths;
}

bool hasOpenablePath(const QMimeData* data) {
    for (const DroppedPath& p : droppedPaths(data))
        if (p.kind != PathKind::Unsupported) return true;
    return false;
}
