#include "wizard/GoalPage.h"

#include "wizard/FineTuneWizard.h"

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QGroupBox>
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

QDoubleSpinBox* coefficient(double min, double max, double step, int decimals, QWidget* parent) {
    auto* box = new QDoubleSpinBox(parent);
    box->setRange(min, max);
    box->setSingleStep(step);
    box->setDecimals(decimals);
    return box;
}

} // namespace

GoalPage::GoalPage(QWidget* parent)
    : WizardPage(parent), m_instruct(new QRadioButton(tr("&Instruct fine-tuning"), this)),
      m_base(new QRadioButton(tr("&Base fine-tuning (continued pre-training)"), this)),
      m_preference(new QRadioButton(tr("&Preference tuning (DPO, ORPO, KTO)"), this)),
      m_preferenceBox(new QGroupBox(tr("Preference loss"), this)), m_loss(new QComboBox(m_preferenceBox)),
      m_beta(coefficient(0.001, 10.0, 0.05, 3, m_preferenceBox)),
      m_labelSmoothing(coefficient(0.0, 0.49, 0.05, 2, m_preferenceBox)),
      m_desirable(coefficient(0.01, 100.0, 0.1, 2, m_preferenceBox)),
      m_undesirable(coefficient(0.01, 100.0, 0.1, 2, m_preferenceBox)), m_lossHelp(new QLabel(m_preferenceBox)) {
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
    layout->addWidget(m_preference);
    layout->addWidget(paragraph(
        tr("Aligns a model that already follows instructions (usually after instruct fine-tuning), from pairs of a "
           "better and a worse answer to the same prompt, or from answers labelled good or bad (KTO). The model learns "
           "to make the chosen answers more likely than the rejected ones, relative to where it started. Use it when "
           "you can tell which answer is better more easily than you can write the best one. The starting model "
           "serves as the reference without a second copy in memory."),
        this));

    m_loss->addItem(tr("DPO — the standard (sigmoid)"), QStringLiteral("dpo"));
    m_loss->addItem(tr("IPO — DPO that does not overfit the pairs"), QStringLiteral("ipo"));
    m_loss->addItem(tr("Hinge (SLiC)"), QStringLiteral("hinge"));
    m_loss->addItem(tr("Robust DPO — some pairs may be the wrong way round"), QStringLiteral("robust"));
    m_loss->addItem(tr("ORPO — no reference; adds the answers' likelihood"), QStringLiteral("orpo"));
    m_loss->addItem(tr("KTO — answers labelled good or bad"), QStringLiteral("kto"));
    m_loss->setObjectName(QStringLiteral("preferenceLoss"));
    m_beta->setObjectName(QStringLiteral("preferenceBeta"));
    m_lossHelp->setWordWrap(true);
    auto* form = new QFormLayout(m_preferenceBox);
    form->addRow(tr("&Loss:"), m_loss);
    form->addRow(tr("Be&ta:"), m_beta);
    form->addRow(tr("Label &smoothing:"), m_labelSmoothing);
    form->addRow(tr("&Desirable weight:"), m_desirable);
    form->addRow(tr("&Undesirable weight:"), m_undesirable);
    form->addRow(m_lossHelp);
    layout->addWidget(m_preferenceBox);

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
    m_preference->setObjectName(QStringLiteral("goalPreference"));
    connect(m_preference, &QRadioButton::toggled, this, &GoalPage::showPreferenceSettings);
    connect(m_loss, &QComboBox::currentIndexChanged, this, &GoalPage::showPreferenceSettings);
    showPreferenceSettings();
}

// Only what the chosen loss reads is offered, with what β means for it.
void GoalPage::showPreferenceSettings() {
    m_preferenceBox->setVisible(m_preference->isChecked());
    const QString loss = m_loss->currentData().toString();
    auto* form = static_cast<QFormLayout*>(m_preferenceBox->layout());
    form->setRowVisible(m_labelSmoothing, loss == QLatin1String("robust"));
    form->setRowVisible(m_desirable, loss == QLatin1String("kto"));
    form->setRowVisible(m_undesirable, loss == QLatin1String("kto"));
    if (loss == QLatin1String("orpo"))
        m_lossHelp->setText(tr("Beta is ORPO's λ, the weight of the odds-ratio term beside the chosen answers' "
                               "likelihood (0.1 in TRL). No reference model is used."));
    else if (loss == QLatin1String("kto"))
        m_lossHelp->setText(tr("Rows are answers labelled desirable or not (pairs are split into one of each). Beta "
                               "(0.1 in TRL) sets how far the model may move from the reference; the weights balance "
                               "desirable against undesirable answers. Needs a batch size of 2 or more."));
    else if (loss == QLatin1String("ipo"))
        m_lossHelp->setText(tr("Beta sets the margin IPO aims for (1 / 2β in average log-probability per token); "
                               "smaller beta, larger margin."));
    else
        m_lossHelp->setText(tr("Beta (0.1 in TRL) sets how far the model may move from the reference: lower lets it "
                               "drift further from where it started."));
}

void GoalPage::initializePage() {
    const ft::Project& p = studio()->project();
    setKind(p.kind);
    const int index = m_loss->findData(QString::fromStdString(p.preference.loss));
    m_loss->setCurrentIndex(index >= 0 ? index : 0);
    m_beta->setValue(p.preference.beta);
    m_labelSmoothing->setValue(p.preference.labelSmoothing);
    m_desirable->setValue(p.preference.desirableWeight);
    m_undesirable->setValue(p.preference.undesirableWeight);
}

bool GoalPage::isInstruct() const { return m_instruct->isChecked(); }

void GoalPage::setInstruct(bool instruct) { (instruct ? m_instruct : m_base)->setChecked(true); }

ft::FinetuneKind GoalPage::kind() const {
    return m_base->isChecked() ? ft::FinetuneKind::Base
           : m_preference->isChecked() ? ft::FinetuneKind::Preference
                                       : ft::FinetuneKind::Instruct;
}

void GoalPage::setKind(ft::FinetuneKind kind) {
    (kind == ft::FinetuneKind::Base ? m_base : kind == ft::FinetuneKind::Preference ? m_preference : m_instruct)->setChecked(true);
}

bool GoalPage::store() {
    ft::Project& p = studio()->project();
    p.kind = kind();
    if (p.kind == ft::FinetuneKind::Preference) {
        p.preference.loss = m_loss->currentData().toString().toStdString();
        p.preference.beta = m_beta->value();
        // Label smoothing is the robust loss's alone (TRL 1.16 reads it nowhere else).
        p.preference.labelSmoothing = p.preference.loss == "robust" ? m_labelSmoothing->value() : 0.0;
        p.preference.desirableWeight = m_desirable->value();
        p.preference.undesirableWeight = m_undesirable->value();
    }
    return true;
}
