#include "wizard/AdapterPanel.h"

#include <QComboBox>
#include <QFormLayout>
#include <QSpinBox>

AdapterPanel::AdapterPanel(QWidget* parent) : MethodPanel(parent), m_bottleneck(new QSpinBox(this)), m_activation(new QComboBox(this)) {
    m_bottleneck->setRange(1, 65536);
    for (const char* a : {"relu", "gelu", "silu", "tanh"}) m_activation->addItem(QString::fromLatin1(a), QString::fromLatin1(a));
    auto* form = new QFormLayout(this);
    form->setContentsMargins(0, 0, 0, 0);
    form->addRow(tr("Bottleneck width:"), m_bottleneck);
    form->addRow(tr("Activation:"), m_activation);
    connect(m_bottleneck, &QSpinBox::valueChanged, this, &MethodPanel::changed);
    connect(m_activation, &QComboBox::currentIndexChanged, this, &MethodPanel::changed);
}

void AdapterPanel::load(const ft::Project& p) {
    const QSignalBlocker b1(m_bottleneck), b2(m_activation);
    m_bottleneck->setValue(p.adapter.bottleneck);
    m_activation->setCurrentIndex(std::max(0, m_activation->findData(QString::fromStdString(p.adapter.activation))));
}

void AdapterPanel::store(ft::Project& p) const {
    p.adapter.bottleneck = m_bottleneck->value();
    p.adapter.activation = m_activation->currentData().toString().toStdString();
}
