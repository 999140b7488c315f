#include "wizard/GoalPage.h"

#include "wizard/FineTuneWizard.h"

#include <QLabel>
#include <QRadioButton>
#include <QVBoxLayout>

namespace {

QLabel* paragraph(const QString& text, QWidget* parent) {
    auto* label = new QLabel(text, parent);
    label->setWordWrap(true);
    label->setContentsMargins(24, 0, 0, 8);
    return label;
}

} // namespace

GoalPage::GoalPage(QWidget* parent)
    : WizardPage(parent), m_instruct(new QRadioButton(tr("&Instruct fine-tuning"), this)),
      m_base(new QRadioButton(tr("&Base fine-tuning (continued pre-training)"), this)) {
    setTitle(tr("What do you want the model to learn?"));
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_instruct);
    layout->addWidget(paragraph(
        tr("Teaches a model to answer in a certain way: a format, a tone, a task, a language. The data is "
           "conversations (instruction and answer); the loss is taken only on the answers. Use it when the model "
           "knows enough but does not respond the way you want."),
        this));
    layout->addWidget(m_base);
    layout->addWidget(paragraph(
        tr("Continues pre-training on plain text: documents are joined and cut into blocks, and the model learns to "
           "predict every token. Use it to adapt a model to a domain's vocabulary and style (legal, medical, code, "
           "another language) before or instead of instruction tuning."),
        this));
    auto* note = paragraph(
        tr("<b>Note:</b> if the model lacks facts it needs at answer time (your documents, recent events, product "
           "data), that is usually a retrieval problem first: give it the documents in the prompt (RAG). Fine-tuning "
           "shapes behaviour; it is a poor and costly way to store facts that change."),
        this);
    note->setContentsMargins(0, 12, 0, 0);
    layout->addWidget(note);
    layout->addStretch(1);
    m_instruct->setChecked(true);
    m_instruct->setObjectName(QStringLiteral("goalInstruct"));  // the tour points at these names
}

void GoalPage::initializePage() { setInstruct(studio()->project().kind == ft::FinetuneKind::Instruct); }

bool GoalPage::isInstruct() const { return m_instruct->isChecked(); }

void GoalPage::setInstruct(bool instruct) { (instruct ? m_instruct : m_base)->setChecked(true); }

bool GoalPage::store() {
    studio()->project().kind = isInstruct() ? ft::FinetuneKind::Instruct : ft::FinetuneKind::Base;
    return true;
}
