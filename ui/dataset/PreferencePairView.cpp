#include "dataset/PreferencePairView.h"

#include <QGridLayout>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QRegularExpression>
#include <QTextBrowser>

#include <vector>

namespace {

const QString kStyle = QStringLiteral(
    "<style>span.only-a{background:#c8f0d0} span.only-b{background:#f8d0d0} body{white-space:pre-wrap}</style>");

// Words and the whitespace after each, so joining the pieces gives the text back exactly.
QStringList pieces(const QString& text) {
    QStringList out;
    static const QRegularExpression word(QStringLiteral("\\S+\\s*|\\s+"));
    for (auto it = word.globalMatch(text); it.hasNext();) out << it.next().captured(0);
    return out;
}

QString escaped(const QString& s) { return s.toHtmlEscaped(); }

} // namespace

PreferencePairView::PreferencePairView(QWidget* parent)
    : QWidget(parent), m_prompt(new QLabel(this)), m_chosenTitle(new QLabel(tr("<b>Chosen</b>"), this)),
      m_rejectedTitle(new QLabel(tr("<b>Rejected</b>"), this)), m_chosen(new QTextBrowser(this)),
      m_rejected(new QTextBrowser(this)) {
    m_prompt->setWordWrap(true);
    m_prompt->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_chosen->setObjectName(QStringLiteral("chosenAnswer"));
    m_rejected->setObjectName(QStringLiteral("rejectedAnswer"));
    auto* layout = new QGridLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_prompt, 0, 0, 1, 2);
    layout->addWidget(m_chosenTitle, 1, 0);
    layout->addWidget(m_rejectedTitle, 1, 1);
    layout->addWidget(m_chosen, 2, 0);
    layout->addWidget(m_rejected, 2, 1);
    clear();
}

QString PreferencePairView::cellText(const QString& cell) {
    const QJsonDocument doc = QJsonDocument::fromJson(cell.toUtf8());
    if (!doc.isArray()) return cell;
    const QJsonArray list = doc.array();
    QStringList turns;
    for (const auto& m : list) {
        const QJsonObject o = m.toObject();
        const QString content = o.value(QStringLiteral("content")).toString();
        turns << (list.size() > 1 ? o.value(QStringLiteral("role")).toString() + QStringLiteral(": ") + content : content);
    }
    return turns.join(QLatin1Char('\n'));
}

std::pair<QString, QString> PreferencePairView::diffHtml(const QString& a, const QString& b, int maxWords) {
    const QStringList x = pieces(a), y = pieces(b);
    if (x.size() > maxWords || y.size() > maxWords) return {escaped(a), escaped(b)};
    // Longest common subsequence of the words (their trailing spaces ignored), by dynamic programming.
    QStringList kx, ky;
    for (const QString& piece : x) kx << piece.trimmed();
    for (const QString& piece : y) ky << piece.trimmed();
    const auto key = [](const QStringList& keys, size_t i) -> const QString& { return keys[qsizetype(i)]; };
    const size_t n = size_t(x.size()), m = size_t(y.size());
    std::vector<std::vector<int>> lcs(n + 1, std::vector<int>(m + 1, 0));
    for (size_t i = n; i-- > 0;)
        for (size_t j = m; j-- > 0;)
            lcs[i][j] = key(kx, i) == key(ky, j) ? lcs[i + 1][j + 1] + 1 : std::max(lcs[i + 1][j], lcs[i][j + 1]);
    QString outA, outB;
    const auto mark = [](QString& out, const QString& piece, const char* cls) {
        const QString word = piece.trimmed();
        if (word.isEmpty()) {
            out += escaped(piece);
            return;
        }
        out += QStringLiteral("<span class=\"%1\">%2</span>").arg(QLatin1String(cls), escaped(word)) +
               escaped(piece.mid(piece.indexOf(word) + word.size()));
    };
    size_t i = 0, j = 0;
    while (i < n || j < m) {
        if (i < n && j < m && key(kx, i) == key(ky, j)) {
            outA += escaped(x[qsizetype(i++)]);
            outB += escaped(y[qsizetype(j++)]);
        } else if (j == m || (i < n && lcs[i + 1][j] >= lcs[i][j + 1])) {
            mark(outA, x[qsizetype(i++)], "only-a");
        } else {
            mark(outB, y[qsizetype(j++)], "only-b");
        }
    }
    return {outA, outB};
}

void PreferencePairView::showPair(const QString& prompt, const QString& chosen, const QString& rejected, const QString& label) {
    const QString p = cellText(prompt);
    m_prompt->setText(p.isEmpty() ? tr("<i>No prompt column: the turns both answers share are the prompt.</i>")
                                  : tr("<b>Prompt:</b> %1").arg(p.toHtmlEscaped()));
    if (rejected.isEmpty() && !label.isEmpty()) {  // an unpaired (KTO) row
        m_chosenTitle->setText(tr("<b>Completion</b> (label: %1)").arg(label.toHtmlEscaped()));
        m_chosen->setHtml(kStyle + cellText(chosen).toHtmlEscaped());
        m_rejected->setVisible(false);
        m_rejectedTitle->setVisible(false);
        return;
    }
    m_chosenTitle->setText(tr("<b>Chosen</b> <span style=\"background:#c8f0d0\">&nbsp;only here&nbsp;</span>"));
    m_rejectedTitle->setText(tr("<b>Rejected</b> <span style=\"background:#f8d0d0\">&nbsp;only here&nbsp;</span>"));
    m_rejected->setVisible(true);
    m_rejectedTitle->setVisible(true);
    const auto [a, b] = diffHtml(cellText(chosen), cellText(rejected));
    m_chosen->setHtml(kStyle + a);
    m_rejected->setHtml(kStyle + b);
}

void PreferencePairView::clear() {
    m_prompt->setText(tr("Select a row to compare its answers."));
    m_chosen->clear();
    m_rejected->clear();
}

QString PreferencePairView::chosenHtml() const { return m_chosen->toHtml(); }
QString PreferencePairView::rejectedHtml() const { return m_rejected->toHtml(); }
