#include "inspectors/TokenChipView.h"

#include <QHelpEvent>
#include <QPainter>
#include <QPaintEvent>
#include <QToolTip>

#include <algorithm>
#include <cmath>

namespace {

constexpr int kPad = 4, kGap = 3;
constexpr double kMinContrast = 4.5;  // WCAG 2 AA for normal text

// WCAG 2 relative luminance.
double luminance(const QColor& c) {
    auto channel = [](double v) { return v <= 0.04045 ? v / 12.92 : std::pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * channel(c.redF()) + 0.7152 * channel(c.greenF()) + 0.0722 * channel(c.blueF());
}

QColor mix(const QColor& a, const QColor& b, double t) {
    return QColor::fromRgbF(float(a.redF() + (b.redF() - a.redF()) * t), float(a.greenF() + (b.greenF() - a.greenF()) * t),
                            float(a.blueF() + (b.blueF() - a.blueF()) * t));
}

} // namespace

TokenChipView::TokenChipView(QWidget* parent) : QWidget(parent) {
    // Height for width: a resizable QScrollArea then sizes the view to the wrapped chips and scrolls vertically.
    QSizePolicy policy(QSizePolicy::Preferred, QSizePolicy::Preferred);
    policy.setHeightForWidth(true);
    setSizePolicy(policy);
    setMouseTracking(true);
}

QRect TokenChipView::chipRect(int index) const {
    return index >= 0 && size_t(index) < m_rects.size() ? m_rects[size_t(index)] : QRect();
}

double TokenChipView::contrastRatio(const QColor& a, const QColor& b) {
    const double la = luminance(a), lb = luminance(b);
    return (std::max(la, lb) + 0.05) / (std::min(la, lb) + 0.05);
}

QColor TokenChipView::readableOn(const QColor& background, const QColor& preferred, double minimum) {
    if (contrastRatio(preferred, background) >= minimum) return preferred;
    const QColor extreme = contrastRatio(Qt::black, background) >= contrastRatio(Qt::white, background) ? QColor(Qt::black)
                                                                                                       : QColor(Qt::white);
    for (int step = 1; step < 20; ++step) {  // the least change from the preferred colour that is readable
        const QColor c = mix(preferred, extreme, step / 20.0);
        if (contrastRatio(c, background) >= minimum) return c;
    }
    return extreme;
}

QColor TokenChipView::heatColour(double t) {
    t = std::clamp(t, 0.0, 1.0);
    return QColor::fromHsvF(float(0.16 * (1.0 - t)), float(0.25 + 0.6 * t), 1.0f);
}

QColor TokenChipView::background(const TokenChip& chip) const { return chip.attended ? fill(chip) : QColor(Qt::white); }

QColor TokenChipView::pieceColour(const TokenChip& chip) const {
    return readableOn(background(chip), chip.trained ? QColor(Qt::black) : QColor(0x70, 0x70, 0x70), kMinContrast);
}

QColor TokenChipView::idColour(const TokenChip& chip) const {
    return readableOn(background(chip), QColor(0x80, 0x80, 0x80), kMinContrast);
}

QString TokenChipView::headerText(int segment) const {
    return segment >= 1 && segment <= m_segmentNames.size() ? m_segmentNames[segment - 1] : m_segmentName.arg(segment);
}

void TokenChipView::setChips(std::vector<TokenChip> chips, const QString& segmentName, const QStringList& names) {
    m_chips = std::move(chips);
    m_segmentName = segmentName;
    m_segmentNames = names;
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
        // A chip wider than the view (a very long piece) is cut to it and its text elided when painted.
        const int w = std::min(std::max(fm.horizontalAdvance(c.piece), fm.horizontalAdvance(QString::number(c.id))) + 2 * kPad,
                               std::max(2 * kPad + 1, width - 2 * kGap));
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
    // Only the chips move: the height follows the width through heightForWidth, never through a minimum height,
    // which a narrower width (a vertical scroll bar appearing) would leave too small.
    layout(width(), &m_rects, &m_headers);
}

QColor TokenChipView::fill(const TokenChip& chip) const {
    if (!chip.trained) return QColor(0xe5, 0xe7, 0xe9);
    if (chip.loss >= 0.0f && m_maxLoss > 0.0f) {
        return heatColour(double(chip.loss / m_maxLoss));  // pale yellow (low loss) to red (the highest in view)
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
                   headerText(h.segment));
        p.setPen(QPen(QColor(0x5d, 0x6d, 0x7e), 1));
        p.drawLine(kGap + fm.horizontalAdvance(headerText(h.segment)) + 8, h.y + fm.height() / 2,
                   width() - kGap, h.y + fm.height() / 2);
    }
    for (size_t i = 0; i < m_chips.size() && i < m_rects.size(); ++i) {
        const QRect r = m_rects[i];
        if (!r.intersects(visible)) continue;  // only what is on screen: cheap even for long examples
        const TokenChip& c = m_chips[i];
        p.setBrush(background(c));
        p.setPen(QPen(c.trained ? QColor(0x1e, 0x84, 0x49) : QColor(0x99, 0x99, 0x99), 1,
                      c.attended ? Qt::SolidLine : Qt::DashLine));
        p.drawRoundedRect(r.adjusted(0, 0, -1, -1), 3, 3);
        p.setPen(pieceColour(c));
        p.setFont(font());
        p.drawText(QRect(r.x(), r.y() + kPad, r.width(), fm.height()), Qt::AlignHCenter,
                   fm.elidedText(c.piece, Qt::ElideMiddle, r.width() - 2 * kPad));
        p.setFont(small);
        p.setPen(idColour(c));
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
