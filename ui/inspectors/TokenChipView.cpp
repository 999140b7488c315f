#include "inspectors/TokenChipView.h"

#include <QHelpEvent>
#include <QPainter>
#include <QPaintEvent>
#include <QToolTip>

#include <algorithm>

namespace {

constexpr int kPad = 4, kGap = 3;

} // namespace

TokenChipView::TokenChipView(QWidget* parent) : QWidget(parent) {
    setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Preferred);
    setMouseTracking(true);
}

void TokenChipView::setChips(std::vector<TokenChip> chips, const QString& segmentName) {
    m_chips = std::move(chips);
    m_segmentName = segmentName;
    m_maxLoss = 0.0f;
    for (const auto& c : m_chips) m_maxLoss = std::max(m_maxLoss, c.loss);
    layout(width(), &m_rects, &m_headers);
    updateGeometry();
    update();
}

void TokenChipView::setLosses(const std::vector<float>& losses) {
    m_maxLoss = 0.0f;
    for (size_t i = 0; i < m_chips.size() && i < losses.size(); ++i) m_chips[i].loss = losses[i];
    for (const auto& c : m_chips) m_maxLoss = std::max(m_maxLoss, c.loss);
    update();
}

// Places the chips left to right, wrapping at `width`; returns the height used.
int TokenChipView::layout(int width, std::vector<QRect>* rects, std::vector<Header>* headers) const {
    const QFontMetrics fm(font());
    const int chipHeight = 2 * fm.height() + 2 * kPad;
    int x = kGap, y = kGap;
    const bool segmented = std::any_of(m_chips.begin(), m_chips.end(), [&](const TokenChip& c) { return c.segment != m_chips.front().segment; });
    rects->clear();
    headers->clear();
    for (size_t i = 0; i < m_chips.size(); ++i) {
        const TokenChip& c = m_chips[i];
        if (segmented && (i == 0 || c.segment != m_chips[i - 1].segment)) {
            if (i > 0) y += chipHeight + kGap;
            headers->push_back({y, c.segment});
            y += fm.height() + kGap;
            x = kGap;
        }
        const int w = std::max(fm.horizontalAdvance(c.piece), fm.horizontalAdvance(QString::number(c.id))) + 2 * kPad;
        if (x > kGap && x + w > width - kGap) {
            x = kGap;
            y += chipHeight + kGap;
        }
        rects->push_back(QRect(x, y, w, chipHeight));
        x += w + kGap;
    }
    return m_chips.empty() ? 0 : y + chipHeight + kGap;
}

int TokenChipView::heightForWidth(int width) const {
    std::vector<QRect> rects;
    std::vector<Header> headers;
    return layout(width, &rects, &headers);
}

QSize TokenChipView::sizeHint() const { return QSize(400, std::max(40, heightForWidth(std::max(width(), 400)))); }

void TokenChipView::resizeEvent(QResizeEvent* event) {
    QWidget::resizeEvent(event);
    const int h = layout(width(), &m_rects, &m_headers);
    if (h != height()) setMinimumHeight(h);
}

QColor TokenChipView::fill(const TokenChip& chip) const {
    if (!chip.trained) return QColor(0xe5, 0xe7, 0xe9);
    if (chip.loss >= 0.0f && m_maxLoss > 0.0f) {
        // Heat map: pale yellow (low loss) to red (the highest loss in view).
        const double t = std::clamp(double(chip.loss / m_maxLoss), 0.0, 1.0);
        return QColor::fromHsvF(0.16 * (1.0 - t), 0.25 + 0.6 * t, 1.0);
    }
    return QColor(0xc8, 0xf0, 0xd0);
}

void TokenChipView::paintEvent(QPaintEvent* event) {
    QPainter p(this);
    const QFontMetrics fm(font());
    QFont small = font();
    small.setPointSizeF(std::max(6.0, font().pointSizeF() * 0.8));
    const QRect visible = event->rect();
    for (const Header& h : m_headers) {
        if (h.y > visible.bottom() || h.y + fm.height() < visible.top()) continue;
        p.setPen(palette().color(QPalette::WindowText));
        p.drawText(QRect(kGap, h.y, width() - 2 * kGap, fm.height()), Qt::AlignLeft | Qt::AlignVCenter,
                   m_segmentName.arg(h.segment));
        p.setPen(QPen(QColor(0x5d, 0x6d, 0x7e), 1));
        p.drawLine(kGap + fm.horizontalAdvance(m_segmentName.arg(h.segment)) + 8, h.y + fm.height() / 2,
                   width() - kGap, h.y + fm.height() / 2);
    }
    for (size_t i = 0; i < m_chips.size() && i < m_rects.size(); ++i) {
        const QRect r = m_rects[i];
        if (!r.intersects(visible)) continue;  // only what is on screen: cheap even for long examples
        const TokenChip& c = m_chips[i];
        p.setBrush(c.attended ? fill(c) : Qt::white);
        p.setPen(QPen(c.trained ? QColor(0x1e, 0x84, 0x49) : QColor(0x99, 0x99, 0x99), 1,
                      c.attended ? Qt::SolidLine : Qt::DashLine));
        p.drawRoundedRect(r.adjusted(0, 0, -1, -1), 3, 3);
        p.setPen(c.trained ? Qt::black : QColor(0x70, 0x70, 0x70));
        p.setFont(font());
        p.drawText(QRect(r.x(), r.y() + kPad, r.width(), fm.height()), Qt::AlignHCenter, c.piece);
        p.setFont(small);
        p.setPen(QColor(0x80, 0x80, 0x80));
        p.drawText(QRect(r.x(), r.y() + kPad + fm.height(), r.width(), fm.height()), Qt::AlignHCenter,
                   QString::number(c.id));
    }
}

int TokenChipView::chipAt(const QPoint& pos) const {
    for (size_t i = 0; i < m_rects.size(); ++i)
        if (m_rects[i].contains(pos)) return int(i);
    return -1;
}

bool TokenChipView::event(QEvent* event) {
    if (event->type() == QEvent::ToolTip) {
        auto* help = static_cast<QHelpEvent*>(event);
        const int i = chipAt(help->pos());
        if (i < 0) {
            QToolTip::hideText();
            return true;
        }
        const TokenChip& c = m_chips[size_t(i)];
        QString tip = tr("Token %1: id %2, %3, attention %4")
                          .arg(i)
                          .arg(c.id)
                          .arg(c.trained ? tr("trained") : tr("masked (label -100)"))
                          .arg(c.attended ? 1 : 0);
        if (c.loss >= 0.0f) tip += tr("\nLoss %1").arg(double(c.loss), 0, 'f', 3);
        QToolTip::showText(help->globalPos(), tip, this);
        return true;
    }
    return QWidget::event(event);
}
