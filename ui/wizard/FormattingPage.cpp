#include "wizard/FormattingPage.h"

#include "inspectors/ChatTemplatePreview.h"
#include "inspectors/TokenInspector.h"
#include "wizard/FineTuneWizard.h"

#include <QCheckBox>
#include <QFormLayout>
#include <QLabel>
#include <QSpinBox>
#include <QSplitter>
#include <QStackedWidget>
#include <QVBoxLayout>

FormattingPage::FormattingPage(QWidget* parent)
    : WizardPage(parent), m_stack(new QStackedWidget(this)), m_preview(new ChatTemplatePreview(this)),
      m_maxLength(new QSpinBox(this)), m_trainOnPrompt(new QCheckBox(tr("Also take the loss on the prompt"), this)),
      m_packing(new QCheckBox(tr("Pack several examples into each row"), this)),
      m_blockSize(new QSpinBox(this)), m_tokens(new TokenInspector(this)) {
    setTitle(tr("Formatting"));
    m_preview->setObjectName(QStringLiteral("formattingPreview"));  // the tour points at these names
    m_tokens->setObjectName(QStringLiteral("formattingTokens"));
    // Tools with margins of their own (as tabs of the main window); here the page's layout frames them.
    for (QWidget* tool : {static_cast<QWidget*>(m_preview), static_cast<QWidget*>(m_tokens)})
        tool->layout()->setContentsMargins(0, 0, 0, 0);
    m_maxLength->setRange(16, 131072);
    m_maxLength->setSuffix(tr(" tokens"));
    m_blockSize->setRange(2, 131072);
    m_blockSize->setSuffix(tr(" tokens"));

    auto* instructPage = new QWidget(this);
    auto* instructForm = new QFormLayout();
    instructForm->addRow(tr("Maximum sequence length:"), m_maxLength);
    instructForm->addRow(QString(), m_trainOnPrompt);
    m_packing->setToolTip(tr("Short examples share a row up to the maximum length, so no padding is computed: "
                             "training runs faster. Each example keeps its own positions and sees only itself, so "
                             "its loss is the same as alone. Prompt tuning and P-tuning do not pack."));
    instructForm->addRow(QString(), m_packing);
    auto* instructLayout = new QVBoxLayout(instructPage);
    instructLayout->setContentsMargins(0, 0, 0, 0);
    instructLayout->addWidget(m_preview, 1);
    instructLayout->addLayout(instructForm);

    auto* basePage = new QWidget(this);
    auto* baseForm = new QFormLayout(basePage);
    baseForm->setContentsMargins(0, 0, 0, 0);
    auto* baseNote = new QLabel(tr("Documents are tokenized with BOS/EOS as the model's tokenizer says, joined, and cut "
                                   "into blocks of this many tokens; the remainder shorter than a block is dropped."),
                                basePage);
    baseNote->setWordWrap(true);
    baseForm->addRow(baseNote);
    baseForm->addRow(tr("Block size:"), m_blockSize);

    m_stack->addWidget(instructPage);
    m_stack->addWidget(basePage);
    auto* split = new QSplitter(Qt::Vertical, this);
    split->addWidget(m_stack);
    split->addWidget(m_tokens);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(split);

    connect(m_preview, &ChatTemplatePreview::rendered, this, [this] {
        showTokens();
        emit completeChanged();
    });
    connect(m_preview, &ChatTemplatePreview::renderFailed, this, &FormattingPage::completeChanged);
    connect(m_maxLength, &QSpinBox::valueChanged, this, &FormattingPage::showTokens);
    connect(m_trainOnPrompt, &QCheckBox::toggled, this, &FormattingPage::showTokens);
    connect(m_blockSize, &QSpinBox::valueChanged, this, &FormattingPage::showTokens);
}

// Instruct and preference data are conversations (or prompts with answers) rendered with the chat template.
bool FormattingPage::instruct() const { return studio() && studio()->project().kind != ft::FinetuneKind::Base; }

bool FormattingPage::preference() const { return studio() && studio()->project().kind == ft::FinetuneKind::Preference; }

void FormattingPage::initializePage() {
    const ft::Project& p = studio()->project();
    setSubTitle(preference() ? tr("The chat template renders each prompt and both answers; the loss compares the "
                                  "answers' tokens (green), summed, between chosen and rejected.")
                : instruct() ? tr("The chat template turns each conversation into text; only the assistant's tokens are "
                                "trained (green).")
                           : tr("Base FT trains on every token of fixed-length blocks."));
    m_trainOnPrompt->setVisible(!preference());  // preference losses take the answers only
    m_packing->setVisible(!preference());
    m_stack->setCurrentIndex(instruct() ? 0 : 1);
    m_tokens->setModel(studio()->model());
    const QSignalBlocker b1(m_maxLength), b2(m_trainOnPrompt), b3(m_blockSize), b4(m_packing);
    m_maxLength->setValue(p.training.maxSeqLength);
    m_trainOnPrompt->setChecked(p.training.trainOnPrompt);
    m_packing->setChecked(p.training.packing);
    m_blockSize->setValue(p.training.blockSize);
    if (instruct()) {
        m_preview->setModel(studio()->model());
        std::vector<ft::Example> shown = studio()->dataset() ? studio()->dataset()->examples : std::vector<ft::Example>{};
        for (auto& e : shown) e = ft::chosenConversation(e);  // a preference row: its prompt with the chosen answer
        m_preview->setExamples(shown);
        m_preview->setTrainingTemplate(QString::fromStdString(p.chatTemplate));
        m_preview->renderNow();
    } else {
        showTokens();
    }
}

void FormattingPage::showTokens() {
    if (!studio() || !studio()->dataset() || studio()->dataset()->examples.empty()) return;
    const auto& examples = studio()->dataset()->examples;
    if (instruct()) {
        if (m_preview->errorLine() >= 0) return;  // nothing to tokenize until the template renders
        const int i = std::clamp(m_preview->currentExample(), 0, int(examples.size()) - 1);
        m_tokens->setChatTemplate(m_preview->trainingTemplate());
        if (preference())
            m_tokens->showPreferenceExample(examples[size_t(i)], m_maxLength->value(),
                                            ft::preferenceTokenizationFor(studio()->project().preference.loss));
        else
            m_tokens->showChatExample(examples[size_t(i)], m_maxLength->value(), m_trainOnPrompt->isChecked());
    } else {
        m_tokens->showRawText(examples, m_blockSize->value());
    }
}

bool FormattingPage::isComplete() const { return !instruct() || m_preview->errorLine() < 0; }

bool FormattingPage::store() {
    ft::Project& p = studio()->project();
    if (instruct()) {
        if (m_preview->errorLine() >= 0) return false;
        p.chatTemplate = m_preview->trainingTemplate().toStdString();
        p.training.maxSeqLength = m_maxLength->value();
        p.training.trainOnPrompt = m_trainOnPrompt->isChecked();
        p.training.packing = m_packing->isChecked();
    } else {
        p.training.blockSize = m_blockSize->value();
    }
    return true;
}
