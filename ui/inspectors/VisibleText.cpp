#include "inspectors/VisibleText.h"

#include <algorithm>

QString visibleWhitespace(const QString& text) {
    QString out;
    out.reserve(text.size());
    for (const QChar c : text) {
        switch (c.unicode()) {
        case ' ': case 0x2581: case 0x0120: out += QChar(0x00B7); break;  // ' ', '▁', 'Ġ' → '·'
        case '\t': out += QChar(0x2192); break;                           // '→'
        case '\n': case 0x010A: out += QChar(0x21B5); break;              // '\n', 'Ċ' → '↵'
        case '\r': out += QStringLiteral("\\r"); break;
        default: out += c;
        }
    }
    return out;
}

QString highlightedHtml(const QString& text, const QStringList& specialTokens) {
    QStringList tokens = specialTokens;
    tokens.removeAll(QString());
    // Longest first, so "<|im_start|>" wins over a shorter token that is its prefix.
    std::sort(tokens.begin(), tokens.end(), [](const QString& a, const QString& b) { return a.size() > b.size(); });
    const QString mark = QStringLiteral("<span style=\"color:#9a9a9a\">%1</span>");
    QString html = QStringLiteral("<pre style=\"white-space:pre-wrap\">");
    for (qsizetype i = 0; i < text.size();) {
        const auto special = std::find_if(tokens.begin(), tokens.end(),
                                          [&](const QString& t) { return QStringView(text).mid(i).startsWith(t); });
        if (special != tokens.end()) {
            html += QStringLiteral("<span style=\"background:#ffd76e;color:#5a3d00\">%1</span>").arg(special->toHtmlEscaped());
            i += special->size();
            continue;
        }
        const QChar c = text.at(i++);
        if (c == QLatin1Char(' ')) html += mark.arg(QChar(0x00B7));
        else if (c == QLatin1Char('\t')) html += mark.arg(QChar(0x2192));
        else if (c == QLatin1Char('\n')) html += mark.arg(QChar(0x21B5)) + QLatin1Char('\n');
        else html += QString(c).toHtmlEscaped();
    }
    return html + QStringLiteral("</pre>");
}
