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
    m_device->setObjectName(QStringLiteral("deviceChoice"));
    addDeviceChoice(QStringLiteral("auto"), 1);
    addDeviceChoice(QStringLiteral("cpu"), 1);
    addDeviceChoice(QStringLiteral("cuda"), 1);
    addDeviceChoice(QStringLiteral("cpu"), 2);
    addDeviceChoice(QStringLiteral("cpu"), 4);
    m_device->setToolTip(tr("Several GPUs or CPU processes train data-parallel: each process takes its own batch "
                            "of the size below, and their gradients are summed every step."));
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
    selectDevice(QString::fromStdString(t.device), t.processes);
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
    t.processes = processes();
    t.dtype = m_dtype->currentData().toString().toStdString();
    t.batchSize = m_batch->value();
    t.gradientAccumulation = m_accumulation->value();
    t.epochs = m_epochs->value();
    t.learningRate = m_learningRate->value();
    t.gradientCheckpointing = m_checkpointing->isChecked();
}

// Each choice's data is {device, processes}; "N GPUs" and "N CPU processes" are data-parallel on this machine.
void TrainingSettingsBox::addDeviceChoice(const QString& device, int processes) {
    const QVariant data = QVariantList{device, processes};
    if (m_device->findData(data) >= 0) return;
    QString label;
    if (processes > 1 && device == QLatin1String("cuda")) label = tr("%n GPUs (data-parallel)", nullptr, processes);
    else if (processes > 1 && device == QLatin1String("cpu"))
        label = tr("%n CPU processes (data-parallel)", nullptr, processes);
    else if (processes > 1) label = tr("%n processes (GPUs when there are, else CPU)", nullptr, processes);
    else if (device == QLatin1String("cpu")) label = tr("CPU");
    else if (device == QLatin1String("cuda")) label = tr("GPU (CUDA)");
    else label = tr("Automatic (GPU when there is one)");
    // GPU counts go after the one GPU, CPU process counts last, each in order.
    int at = m_device->count();
    if (processes > 1 && device == QLatin1String("cuda")) {
        at = m_device->findData(QVariantList{QStringLiteral("cuda"), 1}) + 1;
        while (at < m_device->count() && m_device->itemData(at).toList().value(0).toString() == QLatin1String("cuda") &&
               m_device->itemData(at).toList().value(1).toInt() < processes)
            ++at;
    }
    m_device->insertItem(at, label, data);
}

// A project's choice that this machine does not offer (5 GPUs here, 3 CPU processes) is added, not lost.
void TrainingSettingsBox::selectDevice(const QString& device, int processes) {
    addDeviceChoice(device, processes);
    m_device->setCurrentIndex(std::max(0, m_device->findData(QVariantList{device, processes})));
}

void TrainingSettingsBox::setGpuCount(int gpus) {
    const QSignalBlocker block(m_device);
    const QVariant current = m_device->currentData();
    for (int n = 2; n <= gpus; ++n) addDeviceChoice(QStringLiteral("cuda"), n);
    m_device->setCurrentIndex(std::max(0, m_device->findData(current)));
}

QString TrainingSettingsBox::device() const { return m_device->currentData().toList().value(0).toString(); }

int TrainingSettingsBox::processes() const { return std::max(1, m_device->currentData().toList().value(1).toInt()); }
