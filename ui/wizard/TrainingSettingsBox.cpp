#include "wizard/TrainingSettingsBox.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QSpinBox>

TrainingSettingsBox::TrainingSettingsBox(QWidget* parent)
    : QGroupBox(tr("Training"), parent), m_device(new QComboBox(this)), m_dtype(new QComboBox(this)), m_batch(new QSpinBox(this)),
      m_accumulation(new QSpinBox(this)), m_epochs(new QSpinBox(this)), m_learningRate(new QDoubleSpinBox(this)),
      m_checkpointing(new QCheckBox(tr("Gradient checkpointing (less memory, about a third slower)"), this)) {
    m_device->addItem(tr("Automatic (GPU when there is one)"), QStringLiteral("auto"));
    m_device->addItem(tr("CPU"), QStringLiteral("cpu"));
    m_device->addItem(tr("GPU (CUDA)"), QStringLiteral("cuda"));
    for (const char* d : {"float32", "bfloat16", "float16"}) m_dtype->addItem(QString::fromLatin1(d), QString::fromLatin1(d));
    m_batch->setRange(1, 4096);
    m_accumulation->setRange(1, 4096);
    m_epochs->setRange(1, 1000);
    m_learningRate->setDecimals(6);
    m_learningRate->setRange(1e-7, 1.0);
    m_learningRate->setSingleStep(1e-5);
    auto* form = new QFormLayout(this);
    form->addRow(tr("Device:"), m_device);
    form->addRow(tr("Weights dtype:"), m_dtype);
    form->addRow(tr("Batch size:"), m_batch);
    form->addRow(tr("Gradient accumulation:"), m_accumulation);
    form->addRow(tr("Epochs:"), m_epochs);
    form->addRow(tr("Learning rate:"), m_learningRate);
    form->addRow(QString(), m_checkpointing);
    connect(m_device, &QComboBox::currentIndexChanged, this, &TrainingSettingsBox::changed);
    connect(m_dtype, &QComboBox::currentIndexChanged, this, &TrainingSettingsBox::changed);
    connect(m_batch, &QSpinBox::valueChanged, this, &TrainingSettingsBox::changed);
    connect(m_checkpointing, &QCheckBox::toggled, this, &TrainingSettingsBox::changed);
}

void TrainingSettingsBox::load(const ft::Project& p) {
    const QSignalBlocker b1(m_device), b2(m_dtype), b3(m_batch), b4(m_checkpointing);
    const auto& t = p.training;
    m_device->setCurrentIndex(std::max(0, m_device->findData(QString::fromStdString(t.device))));
    m_dtype->setCurrentIndex(std::max(0, m_dtype->findData(QString::fromStdString(t.dtype))));
    m_batch->setValue(t.batchSize);
    m_accumulation->setValue(t.gradientAccumulation);
    m_epochs->setValue(t.epochs);
    m_learningRate->setValue(t.learningRate);
    m_checkpointing->setChecked(t.gradientCheckpointing);
}

void TrainingSettingsBox::store(ft::Project& p) const {
    auto& t = p.training;
    t.device = device().toStdString();
    t.dtype = m_dtype->currentData().toString().toStdString();
    t.batchSize = m_batch->value();
    t.gradientAccumulation = m_accumulation->value();
    t.epochs = m_epochs->value();
    t.learningRate = m_learningRate->value();
    t.gradientCheckpointing = m_checkpointing->isChecked();
}

QString TrainingSettingsBox::device() const { return m_device->currentData().toString(); }
