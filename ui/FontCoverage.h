#pragma once
// One font for a text view that mixes scripts. Qt draws the characters a font lacks, and the digits and punctuation
// beside them, from a fallback font of other metrics: a Korean log line's Hangul and numbers come out smaller than
// the Latin path on the next line. A family that has every glyph avoids the fallback.

#include <QFont>
#include <QString>

// `font`, or when it lacks glyphs of `text` (Hangul, kana, Han) a family with them all, of the same pitch when there
// is one; `font` again when no family has them.
QFont fontCovering(const QFont& font, const QString& text);
