#include "FontCoverage.h"

#include <QFontDatabase>
#include <QFontInfo>
#include <QList>
#include <QRawFont>

#include <algorithm>
#include <optional>

namespace {

// The font families that have `c`'s script, for the scripts whose glyphs a Latin font lacks and whose fallback fonts
// are drawn at visibly other sizes.
QStringList familiesFor(char32_t c) {
    switch (QChar::script(c)) {
    case QChar::Script_Hangul: return QFontDatabase::families(QFontDatabase::Korean);
    case QChar::Script_Hiragana:
    case QChar::Script_Katakana: return QFontDatabase::families(QFontDatabase::Japanese);
    case QChar::Script_Han: return QFontDatabase::families(QFontDatabase::SimplifiedChinese);
    default: return {};
    }
}

} // namespace

QFont fontCovering(const QFont& font, const QString& text) {
    const QList<uint> chars = text.toUcs4();
    // QRawFont: the family's own glyphs (QFontMetrics::inFontUcs4 counts the fallbacks too).
    auto firstMissing = [&chars](const QFont& f) -> std::optional<uint> {
        const QRawFont raw = QRawFont::fromFont(f);
        const auto it = std::find_if(chars.begin(), chars.end(), [&raw](uint c) { return !QChar::isSpace(c) && !raw.supportsCharacter(c); });
        return it == chars.end() ? std::nullopt : std::optional(*it);
    };
    const std::optional<uint> missing = firstMissing(font);
    if (!missing) return font;
    QStringList families = familiesFor(*missing);
    const bool fixed = QFontInfo(font).fixedPitch();
    std::stable_partition(families.begin(), families.end(),
                          [fixed](const QString& family) { return QFontDatabase::isFixedPitch(family) == fixed; });
    for (const QString& family : families) {
        QFont candidate = font;
        candidate.setFamilies({family});
        if (!firstMissing(candidate)) return candidate;
    }
    return font;  // no family has them all: the fallback it is
}
