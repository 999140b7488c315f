#pragma once
// A preference row's two answers side by side, the words that differ highlighted: what the chosen answer has that
// the rejected one lacks (green, left) and the reverse (red, right), over the prompt. Message lists show their turns'
// text. For the dataset editor's current row; read-only (the table is where rows are edited).

#include <QStringList>
#include <QWidget>

class QLabel;
class QTextBrowser;

class PreferencePairView : public QWidget {
    Q_OBJECT
public:
    explicit PreferencePairView(QWidget* parent = nullptr);

    // The row's cells as the editor holds them: strings, or message lists as JSON. An empty `rejected` (KTO's
    // unpaired rows) shows the one completion and its label.
    void showPair(const QString& prompt, const QString& chosen, const QString& rejected, const QString& label = {});
    void clear();

    // Word-level difference: `a` and `b` as HTML, each with the words the other lacks wrapped in <span class=...>
    // ("only-a", "only-b"). Whitespace is kept as written. Longer texts than `maxWords` are shown without marks
    // (the table is words × words ints, built on the UI thread).
    static std::pair<QString, QString> diffHtml(const QString& a, const QString& b, int maxWords = 1500);
    // The text of a cell: a message list's turns ("role: content" when more than one), else the cell itself.
    static QString cellText(const QString& cell);

    QString chosenHtml() const;
    QString rejectedHtml() const;

private:
    QLabel* m_prompt;
    QLabel* m_chosenTitle;
    QLabel* m_rejectedTitle;
    QTextBrowser* m_chosen;
    QTextBrowser* m_rejected;
};
