#include "wizard/TrainPage.h"

#include "LossPlot.h"
#include "PreferencePlot.h"
#include "ProjectDocument.h"
#include "RunHistory.h"
#include "TrainingController.h"
#include "wizard/FineTuneWizard.h"
#include "wizard/MethodChoices.h"

#include "core/train/run_folder.h"

#include <QDir>

#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QProgressBar>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

TrainPage::TrainPage(QWidget* parent)
    : WizardPage(parent), m_plot(new LossPlot(this)), m_preferencePlot(new PreferencePlot(this)), m_progress(new QProgressBar(this)), m_summary(new QLabel(this)),
      m_stats(new QLabel(this)), m_result(new QLabel(this)), m_maxSteps(new QSpinBox(this)),
      m_start(new QPushButton(tr("&Start training"), this)), m_pause(new QPushButton(tr("&Pause"), this)),
      m_cancel(new QPushButton(tr("S&top"), this)) {
    setTitle(tr("Train"));
    setSubTitle(tr("The loss should fall; the validation loss (red) rising while the training loss falls means "
                   "over-fitting: stop, or train fewer epochs."));
    m_start->setObjectName(QStringLiteral("startTraining"));  // the tour points at it
    // "Stop", not "Cancel": the wizard's own Cancel closes the wizard, this one stops the run (its checkpoints stay).
    m_cancel->setObjectName(QStringLiteral("stopTraining"));
    m_cancel->setToolTip(tr("Stop the run; its checkpoints are kept, so it can be exported or resumed."));
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
    auto* curves = new QHBoxLayout();
    curves->addWidget(m_plot, 3);
    curves->addWidget(m_preferencePlot, 2);
    m_preferencePlot->hide();
    layout->addLayout(curves, 1);
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
    setSubTitle(p.kind == ft::FinetuneKind::Preference
                    ? tr("The loss should fall and the reward margin (chosen minus rejected) grow; a validation margin "
                         "that stops growing while the training one climbs means over-fitting: stop, or train fewer "
                         "epochs.")
                    : tr("The loss should fall; the validation loss (red) rising while the training loss falls means "
                         "over-fitting: stop, or train fewer epochs."));
    // Data-parallel: batch_size is per process, so say what one optimizer step sees.
    const QString batch =
        p.training.processes > 1
            ? tr("%1 processes, global batch %2").arg(p.training.processes).arg(p.training.batchSize * p.training.processes * p.training.gradientAccumulation)
            : tr("batch %1").arg(p.training.batchSize);
    m_summary->setText(tr("%1 on the model in %2 with the data in %3: %n epoch(s), %4, learning rate %5.", "",
                          p.training.epochs)
                           .arg(methodTitle(QString::fromStdString(p.method)),
                                QDir::toNativeSeparators(studio()->resolvedPath(p.model)),
                                QDir::toNativeSeparators(studio()->resolvedPath(p.dataset)), batch)
                           .arg(p.training.learningRate));
    if (!isTraining()) {
        showSelectedRun();
    } else if (m_plot->trainPointCount() == 0) {  // a run the main window started before this page was shown
        plotRunHistory(m_plot, ft::readMetricsLog(ft::runMetricsFile(studio()->controller()->runDir().toStdString())));
    }
    updateButtons();
}

QString TrainPage::methodTitle(const QString& method) {
    const MethodChoice* choice = findMethodChoice(method);
    return choice ? choice->translatedTitle() : method;
}

// The project's newest (or chosen) run as it stands on disk: its curve, how far it got and what can be done with it.
void TrainPage::showSelectedRun() {
    m_plot->clear();
    m_preferencePlot->clear();
    m_preferencePlot->hide();
    const auto run = studio()->document()->selectedRun();
    if (!run) {
        m_progress->setRange(0, 1);
        m_progress->setValue(0);
        m_progress->setFormat(tr("Not trained yet"));
        m_result->clear();
        emit completeChanged();
        return;
    }
    const auto history = ft::readMetricsLog(ft::runMetricsFile(run->dir));
    plotRunHistory(m_plot, history);
    m_preferencePlot->setVisible(plotPreferenceHistory(m_preferencePlot, history));
    m_progress->setFormat(tr("%v / %m steps"));
    m_progress->setRange(0, std::max(1, run->totalSteps));
    m_progress->setValue(run->stepsDone);
    m_result->setText(runText(*run));
    emit completeChanged();
}

QString TrainPage::runText(const ft::RunInfo& run) const {
    const QString dir = QDir::toNativeSeparators(QString::fromStdString(run.dir.string()));
    const QString id = QString::fromStdString(run.id);
    switch (run.state) {
    case ft::RunState::Finished:
        return tr("Run %1 finished (%2 steps); it is in %3.").arg(id).arg(run.totalSteps).arg(dir);
    case ft::RunState::Running:
        return tr("Run %1 is training in another window or process (step %2 of %3).").arg(id).arg(run.stepsDone).arg(run.totalSteps);
    default:
        return run.latestCheckpoint.empty()
                   ? tr("Run %1 stopped at step %2 of %3 before its first checkpoint; train again.").arg(id).arg(run.stepsDone).arg(run.totalSteps)
                   : tr("Run %1 stopped at step %2 of %3; its last checkpoint can be exported or resumed (Train ▸ Resume).")
                         .arg(id)
                         .arg(run.stepsDone)
                         .arg(run.totalSteps);
    }
}

void TrainPage::connectController() {
    if (m_connected) return;
    m_connected = true;
    TrainingController* c = studio()->controller();
    connect(c, &TrainingController::prepared, this,
            [this](qint64 trainable, qint64 total, int steps, int trainN, int rows, int valN, const QString& device) {
                m_progress->setRange(0, steps);
                const QString examples = rows == trainN ? QString::number(trainN)
                                                        : tr("%1 (packed in %2 rows)").arg(trainN).arg(rows);
                m_result->setText(tr("%1 training and %2 validation examples; %3 of %4 parameters trainable; %5 steps on %6.")
                                      .arg(examples)
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
    connect(c, &TrainingController::preferenceReported, this,
            [this](int step, bool eval, const std::map<std::string, double>& metrics) {
                m_preferencePlot->show();
                m_preferencePlot->addMetrics(step, eval, metrics);
            });
    // A run started anywhere (here or the main window) draws here from its first step.
    connect(c, &TrainingController::started, this, [this] {
        m_plot->clear();
        m_preferencePlot->clear();
        m_preferencePlot->hide();
        m_progress->setFormat(tr("%v / %m steps"));
        m_progress->setValue(0);
        m_result->setText(tr("Preparing: loading the model and tokenizing the data …"));
        updateButtons();
        emit completeChanged();
    });
    connect(c, &TrainingController::resumedFrom, this, [this](int, const std::vector<ft::MetricRecord>& history) {
        plotRunHistory(m_plot, history);
        m_preferencePlot->setVisible(plotPreferenceHistory(m_preferencePlot, history));
    });
    connect(c, &TrainingController::finished, this, [this](bool ok, const QString& message, const QString&) {
        m_finishedOk = ok;
        m_paused = false;
        const auto run = studio()->document()->selectedRun();
        // A stopped or failed run says why, then what is left of it.
        QStringList text;
        if (!ok) text << message;
        if (run) text << runText(*run);
        m_result->setText(text.join(QLatin1Char(' ')).trimmed());
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
    studio()->document()->selectRun(QString());  // the new run, once it exists, is the one shown and exported
    c->start(studio()->project(), maxSteps);
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

// Going on to Export needs a run with something to export: a finished run, or a stopped one with a checkpoint.
bool TrainPage::isComplete() const { return !isTraining() && !studio()->runOutput().isEmpty(); }
