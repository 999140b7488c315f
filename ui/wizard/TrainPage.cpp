#include "wizard/TrainPage.h"

#include "LossPlot.h"
#include "TrainingController.h"
#include "wizard/FineTuneWizard.h"

#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QProgressBar>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

TrainPage::TrainPage(QWidget* parent)
    : WizardPage(parent), m_plot(new LossPlot(this)), m_progress(new QProgressBar(this)), m_summary(new QLabel(this)),
      m_stats(new QLabel(this)), m_result(new QLabel(this)), m_maxSteps(new QSpinBox(this)),
      m_start(new QPushButton(tr("&Start training"), this)), m_pause(new QPushButton(tr("&Pause"), this)),
      m_cancel(new QPushButton(tr("&Cancel"), this)) {
    setTitle(tr("Train"));
    setSubTitle(tr("The loss should fall; the validation loss (red) rising while the training loss falls means "
                   "over-fitting: stop, or train fewer epochs."));
    m_start->setObjectName(QStringLiteral("startTraining"));  // the tour points at it
    m_maxSteps->setRange(0, 1000000);
    m_maxSteps->setSpecialValueText(tr("all"));
    m_maxSteps->setToolTip(tr("Stop after this many steps for a quick trial; the project is not changed."));
    m_progress->setFormat(tr("%v / %m steps"));
    m_summary->setWordWrap(true);
    m_result->setWordWrap(true);
    auto* buttons = new QHBoxLayout();
    buttons->addWidget(new QLabel(tr("Steps:"), this));
    buttons->addWidget(m_maxSteps);
    buttons->addStretch(1);
    buttons->addWidget(m_start);
    buttons->addWidget(m_pause);
    buttons->addWidget(m_cancel);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_summary);
    layout->addWidget(m_plot, 1);
    layout->addWidget(m_progress);
    layout->addWidget(m_stats);
    layout->addWidget(m_result);
    layout->addLayout(buttons);
    connect(m_start, &QPushButton::clicked, this, [this] { startTraining(m_maxSteps->value() > 0 ? m_maxSteps->value() : -1); });
    connect(m_pause, &QPushButton::clicked, this, &TrainPage::togglePause);
    connect(m_cancel, &QPushButton::clicked, this, &TrainPage::cancelTraining);
}

void TrainPage::initializePage() {
    connectController();
    const ft::Project& p = studio()->project();
    m_summary->setText(tr("Method %1 on %2 with %3; %4 epoch(s), batch %5, learning rate %6.")
                           .arg(QString::fromStdString(p.method), QString::fromStdString(p.model),
                                QString::fromStdString(p.dataset))
                           .arg(p.training.epochs)
                           .arg(p.training.batchSize)
                           .arg(p.training.learningRate));
    updateButtons();
}

void TrainPage::connectController() {
    if (m_connected) return;
    m_connected = true;
    TrainingController* c = studio()->controller();
    connect(c, &TrainingController::prepared, this,
            [this](qint64 trainable, qint64 total, int steps, int trainN, int valN, const QString& device) {
                m_progress->setRange(0, steps);
                m_result->setText(tr("%1 training and %2 validation examples; %3 of %4 parameters trainable; %5 steps on %6.")
                                      .arg(trainN)
                                      .arg(valN)
                                      .arg(QLocale().toString(trainable), QLocale().toString(total))
                                      .arg(steps)
                                      .arg(device));
            });
    connect(c, &TrainingController::stepReported, this,
            [this](int step, int total, double epoch, double loss, double lr, double tokensPerSecond, double eta, qint64 memory) {
                m_plot->addStep(step, loss, lr, tokensPerSecond);
                m_progress->setRange(0, total);
                m_progress->setValue(step);
                m_stats->setText(tr("Step %1 / %2 · epoch %3 · loss %4 · %5 tokens/s · %6 s left · %7 MiB")
                                     .arg(step)
                                     .arg(total)
                                     .arg(epoch, 0, 'f', 2)
                                     .arg(loss, 0, 'f', 4)
                                     .arg(tokensPerSecond, 0, 'f', 0)
                                     .arg(eta, 0, 'f', 0)
                                     .arg(double(memory) / (1 << 20), 0, 'f', 0));
            });
    connect(c, &TrainingController::evalReported, this, [this](int step, double loss, double) { m_plot->addEvalLoss(step, loss); });
    connect(c, &TrainingController::finished, this, [this](bool ok, const QString& message, const QString& out) {
        m_finishedOk = ok;
        m_paused = false;
        if (ok) studio()->setRunOutput(out);
        m_result->setText(ok ? tr("Finished. The trained adapter is in %1.").arg(out + QStringLiteral("/adapter")) : message);
        updateButtons();
        emit completeChanged();
        emit trainingFinished(ok);
    });
}

void TrainPage::startTraining(int maxSteps) {
    TrainingController* c = studio()->controller();
    if (c->isRunning()) return;
    connectController();
    if (!studio()->saveProject()) {
        m_result->setText(studio()->lastError());
        return;
    }
    m_finishedOk = false;
    m_plot->clear();
    m_progress->setValue(0);
    m_result->setText(tr("Preparing: loading the model and tokenizing the data …"));
    c->start(studio()->projectFile(), maxSteps);
    updateButtons();
    emit completeChanged();
}

void TrainPage::togglePause() {
    TrainingController* c = studio()->controller();
    if (!c->isRunning()) return;
    m_paused ? c->resume() : c->pause();
    m_paused = !m_paused;
    updateButtons();
}

void TrainPage::cancelTraining() { studio()->controller()->cancel(); }

bool TrainPage::isTraining() const { return studio() && studio()->controller()->isRunning(); }

void TrainPage::updateButtons() {
    const bool running = isTraining();
    m_start->setEnabled(!running);
    m_pause->setEnabled(running);
    m_pause->setText(m_paused ? tr("&Resume") : tr("&Pause"));
    m_cancel->setEnabled(running);
}

bool TrainPage::isComplete() const { return m_finishedOk && !isTraining(); }
