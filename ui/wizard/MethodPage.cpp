#include "wizard/MethodPage.h"

#include "wizard/FineTuneWizard.h"
#include "wizard/MethodChoices.h"
#include "wizard/MethodPanel.h"
#include "wizard/TrainingSettingsBox.h"

#include "core/train/memory_estimate.h"
#include "core/train/project_method.h"

#include <QComboBox>
#include <QFormLayout>
#include <QFutureWatcher>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QStackedWidget>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

namespace {

struct Available {
    QString device;  // what "auto" resolves to
    qint64 bytes = -1;
    int gpus = 0;    // CUDA devices: the device choice offers "N GPUs" for each N up to it
};

// Asking CUDA for free memory starts its runtime (seconds the first time): done on a worker.
Available availableOn(const QString& device) {
    const int gpus = ft::cudaDeviceCount();
    if (device == QLatin1String("auto")) {
        const qint64 gpu = ft::availableMemoryBytes("cuda");
        if (gpu >= 0) return {QStringLiteral("cuda"), gpu, gpus};
        return {QStringLiteral("cpu"), ft::availableMemoryBytes("cpu"), gpus};
    }
    return {device, ft::availableMemoryBytes(device.toStdString()), gpus};
}

} // namespace

MethodPage::MethodPage(QWidget* parent)
    : WizardPage(parent), m_method(new QComboBox(this)), m_stack(new QStackedWidget(this)),
      m_training(new TrainingSettingsBox(this)), m_estimate(new QLabel(this)), m_warning(new QLabel(this)) {
    setTitle(tr("Method"));
    setSubTitle(tr("LoRA trains small low-rank matrices beside frozen weights; QLoRA does the same over a 4-bit base "
                   "and needs the least memory."));
    for (const MethodChoice& choice : methodChoices()) {
        MethodPanel* panel = choice.makePanel(this);
        m_method->addItem(choice.translatedLabel(), choice.name());
        m_stack->addWidget(panel);
        connect(panel, &MethodPanel::changed, this, &MethodPage::estimate);
    }
    m_method->setObjectName(QStringLiteral("methodChoice"));  // the tour points at these names
    m_estimate->setObjectName(QStringLiteral("memoryEstimate"));
    m_estimate->setWordWrap(true);
    m_estimate->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_warning->setWordWrap(true);
    m_warning->setStyleSheet(QStringLiteral("color:#c0392b; font-weight:bold"));
    m_warning->hide();

    auto* top = new QFormLayout();
    top->addRow(tr("Method:"), m_method);
    auto* columns = new QHBoxLayout();
    columns->addWidget(m_stack, 3);
    columns->addWidget(m_training, 2);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addLayout(columns, 1);
    layout->addWidget(m_estimate);
    layout->addWidget(m_warning);

    connect(m_method, &QComboBox::currentIndexChanged, this, [this](int i) {
        m_stack->setCurrentIndex(i);
        estimate();
    });
    connect(m_training, &TrainingSettingsBox::changed, this, [this] {
        queryAvailable();
        estimate();
    });
}

void MethodPage::initializePage() {
    const ft::Project& p = studio()->project();
    for (int i = 0; i < m_stack->count(); ++i) {
        auto* panel = static_cast<MethodPanel*>(m_stack->widget(i));
        panel->setModel(studio()->model());
        panel->load(p);
    }
    m_training->load(p);
    {
        const QSignalBlocker block(m_method);
        const int i = std::max(0, m_method->findData(QString::fromStdString(p.method)));
        m_method->setCurrentIndex(i);
        m_stack->setCurrentIndex(i);
    }
    queryAvailable();
    estimate();
}

void MethodPage::setMethod(const QString& method) { m_method->setCurrentIndex(std::max(0, m_method->findData(method))); }

QString MethodPage::method() const { return m_method->currentData().toString(); }

MethodPanel* MethodPage::panel(const QString& method) const {
    const int i = m_method->findData(method);
    return i < 0 ? nullptr : static_cast<MethodPanel*>(m_stack->widget(i));
}

void MethodPage::queryAvailable() {
    const QString device = m_training->device();
    const int request = ++m_availableRequest;
    auto* watcher = new QFutureWatcher<Available>(this);
    connect(watcher, &QFutureWatcher<Available>::finished, this, [this, watcher, request] {
        watcher->deleteLater();
        if (request != m_availableRequest) return;
        m_available = watcher->result().bytes;
        m_resolvedDevice = watcher->result().device;
        m_training->setGpuCount(watcher->result().gpus);
        estimate();
    });
    watcher->setFuture(QtConcurrent::run([device] { return availableOn(device); }));
}

// Pure arithmetic on config.json's sizes: cheap enough to redo on every change.
void MethodPage::estimate() {
    if (!studio() || !studio()->model() || !studio()->model()->ok()) return;
    ft::Project p = studio()->project();
    p.method = method().toStdString();
    static_cast<MethodPanel*>(m_stack->currentWidget())->store(p);
    m_training->store(p);
    ft::MemoryEstimateRequest r;
    r.method = p.method;
    r.dtype = p.training.dtype;
    r.batchSize = ft::rowsPerBatch(p);  // chosen + rejected rows for preference pairs
    r.seqLength = p.kind == ft::FinetuneKind::Base ? p.training.blockSize : p.training.maxSeqLength;
    r.gradientCheckpointing = p.training.gradientCheckpointing;
    r.packedRows = ft::packsRows(p);
    r.mixedPrecision = p.training.mixedPrecision;
    r.device = m_resolvedDevice.toStdString();
    r.lora = p.lora;
    r.qlora = p.qlora;
    r.adapter = p.adapter;
    r.promptLearning = p.promptLearning;
    const ft::ModelConfig& config = studio()->model()->folder.config;
    const ft::MemoryEstimate e = ft::estimateTrainingMemory(config, r);
    m_trainable = e.trainableParameters;
    m_estimated = e.total;
    m_fits = ft::fits(e, m_available);
    const QLocale l;
    const qint64 total = std::max<qint64>(1, studio()->model()->footprint.parameters);
    m_estimate->setText(
        tr("Trainable parameters: %1 of %2 (%3%). Estimated memory: %4 — weights %5, gradients %6, optimizer %7, "
           "activations %8, runtime %9.")
            .arg(l.toString(qlonglong(e.trainableParameters)), l.toString(qlonglong(total)))
            .arg(100.0 * double(e.trainableParameters) / double(total), 0, 'f', 3)
            .arg(l.formattedDataSize(e.total), l.formattedDataSize(e.weights), l.formattedDataSize(e.gradients),
                 l.formattedDataSize(e.optimizer), l.formattedDataSize(e.activations), l.formattedDataSize(e.overhead)) +
        (m_available >= 0 ? tr(" Free on %1: %2.").arg(m_resolvedDevice, l.formattedDataSize(m_available)) : QString()) +
        (p.kind == ft::FinetuneKind::Preference
             ? tr(" Activations counted for %1 rows a batch: each pair's chosen and rejected answers go through "
                  "together. The reference model takes no second copy (adapters off, or for full fine-tuning its "
                  "log-probabilities taken once before training).")
                   .arg(r.batchSize)
             : QString()));
    m_warning->setVisible(!m_fits);
    if (!m_fits)
        m_warning->setText(tr("This will not fit: it needs about %1 but %2 has %3 free. Lower the batch size or the "
                              "sequence length, turn on gradient checkpointing, or use QLoRA.")
                               .arg(l.formattedDataSize(e.total), m_resolvedDevice, l.formattedDataSize(m_available)));
    emit estimateChanged();
}

bool MethodPage::store() {
    ft::Project& p = studio()->project();
    p.method = method().toStdString();
    static_cast<MethodPanel*>(m_stack->currentWidget())->store(p);
    m_training->store(p);
    return true;
}
