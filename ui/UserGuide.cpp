#include "UserGuide.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QStringList>

QString findUserGuide(const QString& guide, const QString& appDir) {
    const QDir app(appDir);
    QStringList roots;
    for (const char* relative : {"../../share/doc/finetune-studio", "../share/doc/finetune-studio", "../.."})
        roots << app.filePath(QLatin1String(relative));
#ifdef FT_GUIDE_SOURCE_DIR
    roots << QStringLiteral(FT_GUIDE_SOURCE_DIR);
#endif
    for (const QString& root : roots)
        for (const QString& file : {guide, QStringLiteral("docs/user-guide.md"), QStringLiteral("README.md")})
            if (const QString candidate = root + QLatin1Char('/') + file; QFileInfo::exists(candidate))
                return QFileInfo(candidate).canonicalFilePath();
    return {};
}

QString userGuidePath() {
    //: The user guide's file name in this language (docs/user-guide.ko.md is the Korean one).
    const QString guide = QStringLiteral("docs/") + QCoreApplication::translate("MainWindow", "user-guide.md");
    return findUserGuide(guide, QCoreApplication::applicationDirPath());
}
