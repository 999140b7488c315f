#pragma once
// Writing a small table as RFC 4180 CSV (atomically, through QSaveFile), for the plots' "Export CSV".

#include <QList>
#include <QString>
#include <QStringList>

// Fields with a comma, quote or line break are quoted. On failure returns false and sets `error` (translated).
bool writeCsvFile(const QString& path, const QStringList& header, const QList<QStringList>& rows,
                  QString* error = nullptr);

// A number as CSV wants it: shortest round-trip form, empty for NaN.
QString csvNumber(double value);
