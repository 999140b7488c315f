#pragma once
// A plain-text editor for code (the chat template's Jinja): lines wrap at the edge, and a gutter on the left numbers
// them, one number per line of the text however many rows it wraps into. Qt's "Code Editor" example, trimmed.

#include <QPlainTextEdit>

class CodeEditor : public QPlainTextEdit {
    Q_OBJECT
public:
    explicit CodeEditor(QWidget* parent = nullptr);

    int lineNumberAreaWidth() const;  // pixels: wide enough for the largest line number
    QWidget* lineNumberArea() const { return m_lineNumbers; }

protected:
    void changeEvent(QEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;

private:
    friend class LineNumberArea;
    void paintLineNumbers(QPaintEvent* event);
    void updateMargins();
    void onUpdateRequest(const QRect& rect, int dy);

    QWidget* m_lineNumbers;
};
