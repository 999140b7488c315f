#pragma once
// Page 4: how examples become tokens. Instruct FT: the chat template (the model's, a preset or a custom one) with the
// rendered example and its tokens, trained vs masked. Base FT: the block size, with the first blocks shown.

#include "wizard/WizardPage.h"

class ChatTemplatePreview;
class QCheckBox;
class QSpinBox;
class QStackedWidget;
class TokenInspector;

class FormattingPage : public WizardPage {
    Q_OBJECT
public:
    explicit FormattingPage(QWidget* parent = nullptr);

    void initializePage() override;
    bool isComplete() const override;

    ChatTemplatePreview* templatePreview() const { return m_preview; }
    TokenInspector* tokenInspector() const { return m_tokens; }
    QSpinBox* blockSizeBox() const { return m_blockSize; }
    QCheckBox* packingBox() const { return m_packing; }

protected:
    bool store() override;

private:
    void showTokens();
    bool instruct() const;
    bool preference() const;

    QStackedWidget* m_stack;
    ChatTemplatePreview* m_preview;
    QSpinBox* m_maxLength;
    QCheckBox* m_trainOnPrompt;
    QCheckBox* m_packing;
    QSpinBox* m_blockSize;
    TokenInspector* m_tokens;
};
