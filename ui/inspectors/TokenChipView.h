#pragma once
// Token chips (piece text over its id) flowed like words in a paragraph and painted by one widget: an example can
// have thousands of tokens, far too many for a QLabel each. Colour says whether the loss is taken on a token
// (trained) or not (label -100, masked); after training, per-token losses turn trained chips into a heat map.
// A dashed outline marks attention-mask 0 (padding); each new block or packed example starts a new row.
// The chips wrap at the view's width and its height follows (heightForWidth), so inside a resizable QScrollArea
// every chip can be scrolled to. Text colours are picked against each chip's fill for a WCAG contrast of 4.5.

#include <QString>
#include <QStringList>
#include <QWidget>

#include <vector>

struct TokenChip {
    QString piece;        // with whitespace made visible
    int id = 0;
    bool trained = false; // label != -100
    bool attended = true; // attention mask 1
    int segment = 0;      // block or packed example; a change starts a new row under a header
    float loss = -1.0f;   // < 0: none
};

class TokenChipView : public QWidget {
    Q_OBJECT
public:
    explicit TokenChipView(QWidget* parent = nullptr);

    // segmentName: the header of each segment, "%1" its number; `names`, where given, name segments 1, 2, ... instead.
    void setChips(std::vector<TokenChip> chips, const QString& segmentName, const QStringList& names = {});
    void setLosses(const std::vector<float>& losses);  // one per chip, in order; shorter lists leave the rest
    const std::vector<TokenChip>& chips() const { return m_chips; }
    QRect chipRect(int index) const;  // where chip `index` is drawn, in this widget's coordinates

    // The colours a chip is painted with: its background, and the piece and id text on it.
    QColor background(const TokenChip& chip) const;
    QColor pieceColour(const TokenChip& chip) const;
    QColor idColour(const TokenChip& chip) const;
    // The heat map at t in [0, 1] of the highest loss in view: pale yellow (low) to red (high).
    static QColor heatColour(double t);
    // WCAG 2 contrast ratio of two colours, 1 to 21.
    static double contrastRatio(const QColor& a, const QColor& b);
    // `preferred`, or the nearest colour toward black or white (whichever contrasts more) that reaches `minimum`.
    static QColor readableOn(const QColor& background, const QColor& preferred, double minimum = 4.5);

    bool hasHeightForWidth() const override { return true; }
    int heightForWidth(int width) const override;
    QSize sizeHint() const override;

protected:
    void paintEvent(QPaintEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;
    bool event(QEvent* event) override;

private:
    struct Header {
        int y;
        int segment;
    };
    int layout(int width, std::vector<QRect>* rects, std::vector<Header>* headers) const;
    QColor fill(const TokenChip& chip) const;
    int chipAt(const QPoint& pos) const;

    std::vector<TokenChip> m_chips;
    std::vector<QRect> m_rects;
    std::vector<Header> m_headers;
    QString m_segmentName;
    QStringList m_segmentNames;
    QString headerText(int segment) const;
    float m_maxLoss = 0.0f;
};
