#include "CsvFile.h"

#include <QCoreApplication>
#include <QLocale>
#include <QSaveFile>

#include <cmath>

namespace {

QString quoted(const QString& field) {
    if (!field.contains(QLatin1Char(',')) && !field.contains(QLatin1Char('"')) && !field.contains(QLatin1Char('\n')))
        return field;
    QString q = field;
    q.replace(QStringLiteral("\""), QStringLiteral("\"\""));
    return QLatin1Char('"') + q + QLatin1Char('"');
}

QByteArray line(const QStringList& fields) {
    QStringList out;
    for (const QString& f : fields) out << quoted(f);
    return (out.join(QLatin1Char(',')) + QLatin1Char('\n')).toUtf8();
}

} // namespace

bool writeCsvFile(const QString& path, const QStringList& header, const QList<QStringList>& rows, QString* error) {
    QSaveFile file(path);
    bool ok = file.open(QIODevice::WriteOnly);
    if (ok) {
        file.write(line(header));
        for (const QStringList& r : rows) file.write(line(r));
        ok = file.commit();
    }
    if (!ok && error)
        *error = QCoreApplication::translate("CsvFile", "Cannot write %1: %2").arg(path, file.errorString());
    return ok;
}

QString csvNumber(double value) {
    if (std::isnan(value)) return {};
    return QString::number(value, 'g', QLocale::FloatingPointShortest);
}
