#include "inspectors/ChatTemplatePreview.h"

#include "ErrorText.h"
#include "inspectors/ChatTemplatePresets.h"
#include "inspectors/CodeEditor.h"
#include "inspectors/VisibleText.h"

#include "core/common/error.h"
#include "core/model/model_folder.h"
#include "core/text/chat_template.h"
#include "core/text/tokenizer.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFontDatabase>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QPlainTextEdit>
#include <QSpinBox>
#include <QSplitter>
#include <QTextBlock>
#include <QTextEdit>
#include <QTimer>
#include <QVBoxLayout>

#include <nlohmann/json.hpp>

namespace {

constexpr int kDebounceMs = 300;
const QString kModel = QStringLiteral("model"), kCustom = QStringLiteral("custom");

// The core names template errors "<name>:<line>".
int lineOf(const ft::Error& e) {
    const std::string& w = e.where();
    const auto colon = w.rfind(':');
    if (colon == std::string::npos) return 0;
    bool ok = false;
    const int line = QString::fromStdString(w.substr(colon + 1)).toInt(&ok);
    return ok ? line : 0;
}

} // namespace

ChatTemplatePreview::ChatTemplatePreview(QWidget* parent)
    : QWidget(parent), m_source(new QComboBox(this)), m_editor(new CodeEditor(this)), m_example(new QSpinBox(this)),
      m_generationPrompt(new QCheckBox(tr("Add the generation prompt"), this)), m_output(new QTextEdit(this)),
      m_error(new QLabel(this)), m_warning(new QLabel(this)), m_tokenWarning(new QLabel(this)), m_debounce(new QTimer(this)) {
    m_source->setObjectName(QStringLiteral("templateSource"));
    m_source->addItem(tr("The model's own template"), kModel);
    for (const auto& p : chatTemplatePresets()) m_source->addItem(p.name, p.name);
    m_source->addItem(tr("Custom"), kCustom);

    const QFont mono = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    m_editor->setFont(mono);
    m_editor->setPlaceholderText(tr("Jinja chat template"));
    m_output->setReadOnly(true);
    m_output->setFont(mono);
    m_example->setRange(1, 1);
    m_example->setPrefix(tr("Example "));
    m_error->setWordWrap(true);
    m_error->setStyleSheet(QStringLiteral("color:#c0392b"));
    m_error->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_warning->setWordWrap(true);
    m_warning->setStyleSheet(QStringLiteral("color:#b9770e"));
    m_tokenWarning->setObjectName(QStringLiteral("specialTokenWarning"));
    m_tokenWarning->setWordWrap(true);
    m_tokenWarning->setTextFormat(Qt::PlainText);  // the tokens look like tags
    m_tokenWarning->setStyleSheet(QStringLiteral("color:#c0392b"));
    m_tokenWarning->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_debounce->setSingleShot(true);
    m_debounce->setInterval(kDebounceMs);

    auto* top = new QHBoxLayout();
    top->addWidget(new QLabel(tr("Template:"), this));
    top->addWidget(m_source, 1);
    top->addWidget(m_example);
    top->addWidget(m_generationPrompt);
    auto* split = new QSplitter(Qt::Horizontal, this);
    split->addWidget(m_editor);
    split->addWidget(m_output);
    auto* layout = new QVBoxLayout(this);  // the style's margins, as the other tabs; a page embedding it sets none
    layout->addLayout(top);
    layout->addWidget(split, 1);
    layout->addWidget(m_error);
    layout->addWidget(m_warning);
    layout->addWidget(m_tokenWarning);
    m_error->hide();
    m_warning->hide();
    m_tokenWarning->hide();

    connect(m_source, &QComboBox::currentIndexChanged, this, &ChatTemplatePreview::onSourceChosen);
    connect(m_editor, &QPlainTextEdit::textChanged, this, [this] {
        if (m_settingText) return;
        // Typing into a preset or the model's template makes it a custom one.
        const QSignalBlocker block(m_source);
        m_source->setCurrentIndex(m_source->findData(kCustom));
        m_debounce->start();
    });
    connect(m_debounce, &QTimer::timeout, this, &ChatTemplatePreview::renderNow);
    connect(m_example, &QSpinBox::valueChanged, this, &ChatTemplatePreview::renderNow);
    connect(m_generationPrompt, &QCheckBox::toggled, this, &ChatTemplatePreview::renderNow);
}

void ChatTemplatePreview::setModel(LoadedModelPtr model) {
    m_model = std::move(model);
    if (m_source->currentData().toString() == kModel) onSourceChosen(m_source->currentIndex());
    else renderNow();
}

void ChatTemplatePreview::setExamples(std::vector<ft::Example> examples) {
    m_examples = std::move(examples);
    const QSignalBlocker block(m_example);
    m_example->setRange(1, std::max<int>(1, int(m_examples.size())));
    renderNow();
}

void ChatTemplatePreview::setCurrentExample(int index) { m_example->setValue(index + 1); }
int ChatTemplatePreview::currentExample() const { return m_example->value() - 1; }

void ChatTemplatePreview::setTrainingTemplate(const QString& source) {
    if (source.isEmpty() || (m_model && source == m_model->chatTemplate)) {
        selectModelTemplate();
        return;
    }
    for (const auto& p : chatTemplatePresets())
        if (p.source == source) return selectPreset(p.name);
    setCustomTemplate(source);
    renderNow();
}

QString ChatTemplatePreview::trainingTemplate() const {
    return differsFromModel() ? templateSource() : QString();
}

QString ChatTemplatePreview::templateSource() const { return m_editor->toPlainText(); }

bool ChatTemplatePreview::differsFromModel() const {
    return m_source->currentData().toString() != kModel && (!m_model || templateSource() != m_model->chatTemplate);
}

void ChatTemplatePreview::selectModelTemplate() { m_source->setCurrentIndex(m_source->findData(kModel)); onSourceChosen(m_source->currentIndex()); }

void ChatTemplatePreview::selectPreset(const QString& name) {
    const int i = m_source->findData(name);
    if (i < 0) return;
    m_source->setCurrentIndex(i);
    onSourceChosen(i);
}

void ChatTemplatePreview::setCustomTemplate(const QString& source) {
    setEditorText(source);
    const QSignalBlocker block(m_source);
    m_source->setCurrentIndex(m_source->findData(kCustom));
    m_debounce->start();
}

void ChatTemplatePreview::onSourceChosen(int index) {
    const QString key = m_source->itemData(index).toString();
    if (key == kCustom) return;  // keep what is in the editor
    if (key == kModel) {
        setEditorText(m_model ? m_model->chatTemplate : QString());
    } else {
        for (const auto& p : chatTemplatePresets())
            if (p.name == key) setEditorText(p.source);
    }
    renderNow();
    emit trainingTemplateChanged(trainingTemplate());
}

void ChatTemplatePreview::setEditorText(const QString& text) {
    m_settingText = true;
    m_editor->setPlainText(text);
    m_settingText = false;
}

std::vector<ft::ChatMessage> ChatTemplatePreview::currentMessages() const {
    const int i = currentExample();
    if (i >= 0 && i < int(m_examples.size()) && !m_examples[size_t(i)].messages.empty())
        return m_examples[size_t(i)].messages;
    // No dataset yet: a stand-in conversation (not translated: it is data the template sees).
    return {{"system", "You are a helpful assistant."}, {"user", "Hello!"}, {"assistant", "Hi! How can I help?"}};
}

void ChatTemplatePreview::renderNow() {
    m_debounce->stop();
    updateWarning();
    const QString source = templateSource();
    auto fail = [this](int line, const QString& message) {
        m_errorLine = line;
        m_errorMessage = message;
        m_error->setText(line > 0 ? tr("Line %1: %2").arg(line).arg(message) : message);
        m_error->show();
        m_output->clear();
        markErrorLine(line);
        emit renderFailed(line, message);
    };
    if (source.trimmed().isEmpty()) {
        fail(0, tr("The model has no chat template. Choose a preset or write one, or use Base FT."));
        return;
    }
    try {
        const ft::ChatTemplate tpl = ft::ChatTemplate::compile(source.toStdString());
        nlohmann::ordered_json messages = nlohmann::ordered_json::array();
        for (const auto& m : currentMessages()) messages.push_back({{"role", m.role}, {"content", m.content}});
        ft::ChatTemplateOptions options;
        options.addGenerationPrompt = m_generationPrompt->isChecked();
        if (m_model) {
            options.bosToken = m_model->folder.bosToken;
            options.eosToken = m_model->folder.eosToken;
        }
        m_rendered = QString::fromStdString(tpl.render(messages, options));
    } catch (const ft::Error& e) {
        fail(lineOf(e), QString::fromStdString(e.detail().empty() ? e.what() : e.detail()));
        return;
    }
    m_errorLine = -1;
    m_errorMessage.clear();
    m_error->hide();
    markErrorLine(-1);
    m_output->setHtml(highlightedHtml(m_rendered, m_model ? m_model->specialTokens : QStringList()));
    emit rendered(m_rendered);
    emit trainingTemplateChanged(trainingTemplate());
}

void ChatTemplatePreview::markErrorLine(int line) {
    QList<QTextEdit::ExtraSelection> marks;
    if (line > 0 && line <= m_editor->document()->blockCount()) {
        QTextEdit::ExtraSelection mark;
        mark.format.setBackground(QColor(0xf5, 0xb7, 0xb1));
        mark.format.setProperty(QTextFormat::FullWidthSelection, true);
        mark.cursor = QTextCursor(m_editor->document()->findBlockByNumber(line - 1));
        marks << mark;
    }
    m_editor->setExtraSelections(marks);
}

void ChatTemplatePreview::updateWarning() {
    updateTokenWarning();
    if (!differsFromModel()) {
        m_warning->hide();
        return;
    }
    m_warning->setText(m_model && m_model->chatTemplate.isEmpty()
                           ? tr("The model has no chat template of its own: training will use this one. Ship it with "
                                "the tuned model, or prompts will be formatted differently than in training.")
                           : tr("Training will use this template, not the model's own. Prompt the tuned model with "
                                "the same template: tools that apply the model's template will format prompts "
                                "differently than in training."));
    m_warning->show();
}

// A preset made for another model family (Gemma's <start_of_turn> on a ChatML model) renders fine, but its markers
// are not tokens of this tokenizer: each is cut into byte or subword pieces and learned as ordinary text.
void ChatTemplatePreview::updateTokenWarning() {
    m_foreignTokens.clear();
    if (differsFromModel() && m_model && m_model->encoder) {
        for (const QString& token : templateSpecialTokens(templateSource())) {
            const int pieces = int(m_model->encoder->tokenizer().encode(token.toStdString()).ids.size());
            if (pieces > 1) m_foreignTokens.append({token, pieces});
        }
    }
    if (m_foreignTokens.isEmpty()) {
        m_tokenWarning->hide();
        return;
    }
    QStringList split;
    for (const ForeignToken& t : m_foreignTokens) split << tr("%1 becomes %n pieces", nullptr, t.pieces).arg(t.text);
    m_tokenWarning->setText(tr("This template's special tokens are not tokens of the model's tokenizer: %1. Training "
                               "would learn them as plain text, piece by piece, not as the markers the model knows. "
                               "Choose the model's own template or one written for its tokenizer.")
                                .arg(split.join(QStringLiteral("; "))));
    m_tokenWarning->show();
}
