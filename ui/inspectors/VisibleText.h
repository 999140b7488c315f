#pragma once
// Text with its whitespace made visible (space ·, tab →, newline ↵) and special tokens highlighted, for the
// template preview and the token chips: a stray space or newline changes what the model is trained on.

#include <QString>
#include <QStringList>

// One line of plain text: ' ' → '·', '\t' → '→', '\n' → '↵' (also SentencePiece's '▁' and byte-BPE's 'Ġ'/'Ċ').
QString visibleWhitespace(const QString& text);

// Rich text (HTML) of `text`: whitespace marks in grey (a newline also breaks the line) and every occurrence of
// `specialTokens` on a highlighted background.
QString highlightedHtml(const QString& text, const QStringList& specialTokens);
