#include "wizard/PromptLearningPanel.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFormLayout>
#include <QLineEdit>
#include <QSpinBox>

PromptLearningPanel::PromptLearningPanel(ft::Method method, QWidget* parent)
    : MethodPanel(parent), m_method(method), m_tokens(new QSpinBox(this)) {
    m_tokens->setRange(1, 1024);
    auto* form = new QFormLayout(this);
    form->setContentsMargins(0, 0, 0, 0);
    form->addRow(tr("Virtual tokens:"), m_tokens);
    connect(m_tokens, &QSpinBox::valueChanged, this, &MethodPanel::changed);
    if (method == ft::Method::PromptTuning) {
        m_init = new QComboBox(this);
        m_init->addItem(tr("Random"), QStringLiteral("random"));
        m_init->addItem(tr("From text"), QStringLiteral("text"));
        m_initText = new QLineEdit(this);
        m_initText->setPlaceholderText(tr("e.g. Classify the sentiment of this review:"));
        form->addRow(tr("Initialization:"), m_init);
        form->addRow(tr("Initial text:"), m_initText);
        connect(m_init, &QComboBox::currentIndexChanged, this, [this] { m_initText->setEnabled(m_init->currentIndex() == 1); });
        m_initText->setEnabled(false);
    } else {
        m_hidden = new QSpinBox(this);
        m_hidden->setRange(0, 65536);
        m_hidden->setSpecialValueText(tr("the model's hidden size"));
        connect(m_hidden, &QSpinBox::valueChanged, this, &MethodPanel::changed);
        if (method == ft::Method::PTuning) {
            m_encoder = new QComboBox(this);
            m_encoder->addItem(tr("MLP"), QStringLiteral("MLP"));
            m_encoder->addItem(tr("LSTM"), QStringLiteral("LSTM"));
            form->addRow(tr("Prompt encoder:"), m_encoder);
            connect(m_encoder, &QComboBox::currentIndexChanged, this, &MethodPanel::changed);
        } else {
            m_projection = new QCheckBox(tr("Train the prefix through an MLP (prefix projection)"), this);
            form->addRow(QString(), m_projection);
            connect(m_projection, &QCheckBox::toggled, this, &MethodPanel::changed);
        }
        form->addRow(tr("Encoder hidden size:"), m_hidden);
    }
}

void PromptLearningPanel::load(const ft::Project& p) {
    const auto& c = p.promptLearning;
    const QSignalBlocker b(m_tokens);
    m_tokens->setValue(c.numVirtualTokens);
    if (m_init) {
        m_init->setCurrentIndex(c.init == "text" ? 1 : 0);
        m_initText->setText(QString::fromStdString(c.initText));
    }
    if (m_hidden) {
        const QSignalBlocker bh(m_hidden);
        m_hidden->setValue(c.encoderHiddenSize);
    }
    if (m_encoder) {
        const QSignalBlocker be(m_encoder);
        m_encoder->setCurrentIndex(std::max(0, m_encoder->findData(QString::fromStdString(c.encoderType))));
    }
    if (m_projection) {
        const QSignalBlocker bp(m_projection);
        m_projection->setChecked(c.prefixProjection);
    }
}

void PromptLearningPanel::store(ft::Project& p) const {
    auto& c = p.promptLearning;
    c.numVirtualTokens = m_tokens->value();
    if (m_init) {
        c.init = m_init->currentData().toString().toStdString();
        c.initText = m_initText->text().toStdString();
    }
    if (m_hidden) c.encoderHiddenSize = m_hidden->value();
    if (m_encoder) c.encoderType = m_encoder->currentData().toString().toStdString();
    if (m_projection) c.prefixProjection = m_projection->isChecked();
}
