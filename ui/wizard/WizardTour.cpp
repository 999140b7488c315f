#include "wizard/WizardTour.h"

#include "wizard/FineTuneWizard.h"

#include <QEvent>
#include <QFrame>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>
#include <QWizardPage>

#include <algorithm>

namespace {

constexpr int kBubbleWidth = 380;
constexpr int kGap = 10;  // between the target and the bubble

} // namespace

std::vector<WizardTour::Step> WizardTour::steps() {
    using W = FineTuneWizard;
    return {
        {W::Goal, QStringLiteral("goalInstruct"), tr("What the model should learn"),
         tr("<b>Instruct fine-tuning</b> teaches a model to answer your way, from conversations; the loss is taken "
            "only on the answers. <b>Base fine-tuning</b> continues pre-training on plain text, for a domain's "
            "vocabulary and style. <b>Preference tuning</b> then aligns a tuned model from pairs of better and worse "
            "answers. The demo is an instruct run.")},
        {W::Model, QStringLiteral("modelPath"), tr("The model"),
         tr("Any Hugging Face model folder: config.json, safetensors weights and the tokenizer. Choose it here, or "
            "drop the folder on the main window. The demo's tiny Llama is already chosen.")},
        {W::Model, QStringLiteral("modelFacts"), tr("What it is and what it needs"),
         tr("Read from the folder: architecture, parameter count, stored dtype, chat template, and the memory its "
            "weights take.")},
        {W::Dataset, QStringLiteral("datasetPath"), tr("The data"),
         tr("JSONL, JSON, CSV/TSV or plain text; the record format (messages, ShareGPT, Alpaca, prompt/response, "
            "text) is detected. Rows that cannot be used are listed below with their line and the reason; the rest "
            "still trains.")},
        {W::Formatting, QStringLiteral("formattingPreview"), tr("The chat template"),
         tr("Each example rendered with the model's own chat template, as transformers' apply_chat_template renders "
            "it. A template error stops here, with its line, not in the middle of a run.")},
        {W::Formatting, QStringLiteral("formattingTokens"), tr("What the model learns from"),
         tr("The tokens of the example: ids, pieces, attention mask and loss mask. Only the marked tokens (the "
            "assistant's answer) carry loss; if an answer is not marked, the model learns nothing from it.")},
        {W::Method, QStringLiteral("methodChoice"), tr("The method"),
         tr("Full fine-tuning changes every weight. LoRA trains small matrices beside frozen weights; QLoRA does the "
            "same over a 4-bit base to save memory. Adapter, prompt, P- and prefix tuning train fewer parameters "
            "still. Each method's settings appear below it.")},
        {W::Method, QStringLiteral("memoryEstimate"), tr("Will it fit?"),
         tr("The peak memory of the run, estimated for the model, method, batch and sequence length you chose, "
            "updated with every change.")},
        {W::Train, QStringLiteral("startTraining"), tr("Train"),
         tr("Start the run and watch the loss fall. The validation loss (red) rising while the training loss "
            "falls means over-fitting. Pause, resume or cancel at any time. Next becomes available when the run "
            "has finished.")},
        {W::Evaluate, QStringLiteral("evaluateButton"), tr("Did it help?"),
         tr("Evaluate runs the rows training held out through the base model and the tuned one: loss per example, "
            "both answers side by side, exact match, token F1 and ROUGE-L against the reference. Sort by the change "
            "in loss to see what improved and what got worse; Enter on a row opens it in the dataset editor.")},
        {W::Export, QStringLiteral("exportFormats"), tr("Export and try"),
         tr("Save a PEFT adapter (for transformers and peft), a merged model, or a GGUF adapter (for llama.cpp and "
            "Ollama). Then ask the base and the tuned model the same question side by side.")},
    };
}

WizardTour::WizardTour(FineTuneWizard* wizard)
    : QObject(wizard), m_wizard(wizard), m_steps(steps()), m_bubble(new QFrame(wizard)), m_frame(new QFrame(wizard)),
      m_title(new QLabel(m_bubble)), m_text(new QLabel(m_bubble)), m_counter(new QLabel(m_bubble)),
      m_back(new QPushButton(tr("Back"), m_bubble)), m_next(new QPushButton(tr("Next"), m_bubble)),
      m_end(new QPushButton(tr("End tour"), m_bubble)) {
    m_bubble->setObjectName(QStringLiteral("wizardTourBubble"));
    m_bubble->setAutoFillBackground(true);
    m_bubble->setBackgroundRole(QPalette::ToolTipBase);
    m_bubble->setForegroundRole(QPalette::ToolTipText);
    m_bubble->setFrameShape(QFrame::Box);
    m_bubble->setLineWidth(2);
    m_bubble->setFixedWidth(kBubbleWidth);
    m_title->setWordWrap(true);
    QFont bold = m_title->font();
    bold.setBold(true);
    m_title->setFont(bold);
    m_text->setWordWrap(true);
    m_text->setTextFormat(Qt::RichText);
    m_counter->setForegroundRole(QPalette::PlaceholderText);
    m_next->setDefault(true);
    auto* buttons = new QHBoxLayout();
    buttons->addWidget(m_counter, 1);
    buttons->addWidget(m_end);
    buttons->addWidget(m_back);
    buttons->addWidget(m_next);
    auto* layout = new QVBoxLayout(m_bubble);
    layout->addWidget(m_title);
    layout->addWidget(m_text);
    layout->addLayout(buttons);
    m_bubble->hide();

    // The highlight: a frame drawn over the target that lets every click through.
    m_frame->setObjectName(QStringLiteral("wizardTourFrame"));
    m_frame->setAttribute(Qt::WA_TransparentForMouseEvents);
    m_frame->setStyleSheet(QStringLiteral("QFrame#wizardTourFrame { border: 3px solid #e8891d; border-radius: 6px; "
                                          "background: transparent; }"));
    m_frame->hide();

    connect(m_next, &QPushButton::clicked, this, &WizardTour::next);
    connect(m_back, &QPushButton::clicked, this, &WizardTour::back);
    connect(m_end, &QPushButton::clicked, this, &WizardTour::end);
    connect(wizard, &QWizard::currentIdChanged, this, &WizardTour::followPage);
    wizard->installEventFilter(this);
}

WizardTour::~WizardTour() {
    delete m_bubble.data();
    delete m_frame.data();
}

QWidget* WizardTour::bubble() const { return m_bubble; }
QString WizardTour::title() const { return m_title->text(); }
QString WizardTour::text() const { return m_text->text(); }

int WizardTour::firstStepOf(int pageId) const {
    for (size_t i = 0; i < m_steps.size(); ++i)
        if (m_steps[i].page == pageId) return int(i);
    return -1;
}

void WizardTour::start() {
    const int first = m_wizard ? firstStepOf(m_wizard->currentId()) : -1;
    show(first < 0 ? 0 : first);
}

void WizardTour::show(int index) {
    if (!m_wizard || !m_bubble || index < 0 || index >= int(m_steps.size())) return;
    m_index = index;
    m_waiting = false;
    const Step& step = m_steps[size_t(index)];
    m_title->setText(step.title);
    m_text->setText(step.text);
    m_counter->setText(tr("%1 of %2").arg(index + 1).arg(m_steps.size()));
    m_back->setEnabled(index > 0);
    m_next->setText(index + 1 == int(m_steps.size()) ? tr("Finish") : tr("Next"));
    if (m_target) m_target->removeEventFilter(this);
    m_target = step.target.isEmpty() ? nullptr : m_wizard->findChild<QWidget*>(step.target);
    if (m_target) m_target->installEventFilter(this);
    m_bubble->show();
    m_bubble->raise();
    place();
    emit stepShown(index);
}

void WizardTour::place() {
    if (!m_wizard || !m_bubble || !m_bubble->isVisible()) return;
    m_bubble->adjustSize();
    const QRect bounds = m_wizard->rect().adjusted(kGap, kGap, -kGap, -kGap);
    const bool targetShown = m_target && m_target->isVisible();
    QRect target;
    if (targetShown) {
        target = QRect(m_target->mapTo(m_wizard.data(), QPoint(0, 0)), m_target->size()).intersected(bounds);
        m_frame->setGeometry(target.adjusted(-4, -4, 4, 4));
        m_frame->show();
        m_frame->raise();
    } else {
        m_frame->hide();
    }
    const QSize size = m_bubble->size();
    QPoint at;
    if (!targetShown) {
        at = QPoint(bounds.center().x() - size.width() / 2, bounds.bottom() - size.height() - 60);
    } else if (target.bottom() + kGap + size.height() <= bounds.bottom()) {
        at = QPoint(target.left(), target.bottom() + kGap);  // below
    } else if (target.top() - kGap - size.height() >= bounds.top()) {
        at = QPoint(target.left(), target.top() - kGap - size.height());  // above
    } else {
        at = QPoint(bounds.right() - size.width(), bounds.bottom() - size.height() - 60);  // over a corner
    }
    at.setX(std::clamp(at.x(), bounds.left(), std::max(bounds.left(), bounds.right() - size.width())));
    at.setY(std::clamp(at.y(), bounds.top(), std::max(bounds.top(), bounds.bottom() - size.height())));
    m_bubble->move(at);
    m_bubble->raise();
}

void WizardTour::next() {
    if (!m_wizard || m_index < 0) return;
    if (m_index + 1 >= int(m_steps.size())) {
        end();
        return;
    }
    if (m_steps[size_t(m_index + 1)].page == m_wizard->currentId()) {
        show(m_index + 1);
        return;
    }
    QWizardPage* page = m_wizard->currentPage();
    if (page && !page->isComplete()) {
        m_waiting = true;
        m_text->setText(m_steps[size_t(m_index)].text + QStringLiteral("<p><i>") +
                        tr("The tour goes on when this page is ready.") + QStringLiteral("</i></p>"));
        place();
        connect(page, &QWizardPage::completeChanged, this, &WizardTour::advanceWhenComplete, Qt::UniqueConnection);
        return;
    }
    m_wizard->next();  // followPage shows the new page's first tip; a page that refuses to go on keeps this one
}

void WizardTour::advanceWhenComplete() {
    auto* page = qobject_cast<QWizardPage*>(sender());
    if (!m_waiting || !m_wizard || page != m_wizard->currentPage() || !page->isComplete()) return;
    disconnect(page, &QWizardPage::completeChanged, this, &WizardTour::advanceWhenComplete);
    m_waiting = false;
    m_wizard->next();
}

void WizardTour::back() {
    if (!m_wizard || m_index <= 0) return;
    if (m_steps[size_t(m_index - 1)].page == m_wizard->currentId()) show(m_index - 1);
    else m_wizard->back();
}

void WizardTour::followPage(int pageId) {
    if (m_index < 0 || !m_bubble || !m_bubble->isVisible()) return;  // not started, or ended
    if (QWizardPage* page = m_wizard ? m_wizard->currentPage() : nullptr)
        disconnect(page, &QWizardPage::completeChanged, this, &WizardTour::advanceWhenComplete);
    const int first = firstStepOf(pageId);
    if (first >= 0) show(first);
}

void WizardTour::end() {
    if (m_bubble) m_bubble->hide();
    if (m_frame) m_frame->hide();
    if (m_target) m_target->removeEventFilter(this);
    m_index = -1;
    m_waiting = false;
    emit ended();
}

bool WizardTour::eventFilter(QObject* watched, QEvent* event) {
    switch (event->type()) {
    case QEvent::Resize:
    case QEvent::Move:
    case QEvent::Show:
    case QEvent::Hide:
    case QEvent::LayoutRequest:
        if (m_bubble && m_bubble->isVisible()) place();
        break;
    default:
        break;
    }
    return QObject::eventFilter(watched, event);
}
