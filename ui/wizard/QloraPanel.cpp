#include "wizard/QloraPanel.h"

#include "wizard/LoraPanel.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QSpinBox>
#include <QVBoxLayout>

QloraPanel::QloraPanel(QWidget* parent)
    : MethodPanel(parent), m_lora(new LoraPanel(this)), m_quantType(new QComboBox(this)), m_blocksize(new QSpinBox(this)),
      m_doubleQuant(new QCheckBox(tr("Double quantization (quantize the block scales too)"), this)),
      m_computeDtype(new QComboBox(this)) {
    m_quantType->addItem(tr("NF4 (normal float, for normally distributed weights)"), QStringLiteral("nf4"));
    m_quantType->addItem(tr("FP4"), QStringLiteral("fp4"));
    m_blocksize->setRange(16, 4096);
    m_blocksize->setSingleStep(16);
    for (const char* d : {"bfloat16", "float16", "float32"}) m_computeDtype->addItem(QString::fromLatin1(d), QString::fromLatin1(d));
    auto* base = new QGroupBox(tr("4-bit base"), this);
    auto* form = new QFormLayout(base);
    form->addRow(tr("4-bit type:"), m_quantType);
    form->addRow(tr("Block size:"), m_blocksize);
    form->addRow(QString(), m_doubleQuant);
    form->addRow(tr("Compute dtype:"), m_computeDtype);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(base);
    layout->addWidget(m_lora);
    connect(m_lora, &MethodPanel::changed, this, &MethodPanel::changed);
    connect(m_quantType, &QComboBox::currentIndexChanged, this, &MethodPanel::changed);
    connect(m_blocksize, &QSpinBox::valueChanged, this, &MethodPanel::changed);
    connect(m_doubleQuant, &QCheckBox::toggled, this, &MethodPanel::changed);
    connect(m_computeDtype, &QComboBox::currentIndexChanged, this, &MethodPanel::changed);
}

void QloraPanel::setModel(const LoadedModelPtr& model) { m_lora->setModel(model); }

void QloraPanel::load(const ft::Project& p) {
    const QSignalBlocker b1(m_quantType), b2(m_blocksize), b3(m_doubleQuant), b4(m_computeDtype);
    m_lora->load(p);
    m_quantType->setCurrentIndex(std::max(0, m_quantType->findData(QString::fromStdString(p.qlora.quantType))));
    m_blocksize->setValue(p.qlora.blocksize);
    m_doubleQuant->setChecked(p.qlora.doubleQuant);
    m_computeDtype->setCurrentIndex(std::max(0, m_computeDtype->findData(QString::fromStdString(p.qlora.computeDtype))));
}

void QloraPanel::store(ft::Project& p) const {
    m_lora->store(p);
    p.qlora.quantType = m_quantType->currentData().toString().toStdString();
    p.qlora.blocksize = m_blocksize->value();
    p.qlora.doubleQuant = m_doubleQuant->isChecked();
    p.qlora.computeDtype = m_computeDtype->currentData().toString().toStdString();
}
