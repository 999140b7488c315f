#include "TrainingView.h"

#include "FontCoverage.h"
#include "LossPlot.h"
#include "PreferencePlot.h"
#include "RunHistory.h"
#include "TrainingController.h"

#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QTime>
#include <QVBoxLayout>

namespace {

QString formatDuration(double seconds) {
    const int s = int(seconds + 0.5);
    return QStringLiteral("%1:%2").arg(s / 60).arg(s % 60, 2, 10, QLatin1Char('0'));
}

} // namespace

TrainingView::TrainingView(TrainingController* controller, QWidget* parent)
    : QWidget(parent),
      m_plot(new LossPlot(this)),
      m_preferencePlot(new PreferencePlot(this)),
      m_progress(new QProgressBar(this)),
      m_projectLabel(new QLabel(tr("No project open"), this)),
      m_stepLabel(new QLabel(this)),
      m_lossLabel(new QLabel(this)),
      m_lrLabel(new QLabel(this)),
      m_speedLabel(new QLabel(this)),
      m_etaLabel(new QLabel(this)),
      m_memoryLabel(new QLabel(this)),
      m_log(new QPlainTextEdit(this)) {
    auto* layout = new QVBoxLayout(this);
    m_projectLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_projectLabel);
    auto* curves = new QHBoxLayout();
    curves->addWidget(m_plot, 3);
    curves->addWidget(m_preferencePlot, 2);
    m_preferencePlot->setVisible(false);
    layout->addLayout(curves, 3);
    m_progress->setFormat(tr("%v / %m steps"));
    m_progress->setValue(0);
    layout->addWidget(m_progress);
    auto* stats = new QGridLayout();
    int col = 0;
    for (QLabel* l : {m_stepLabel, m_lossLabel, m_lrLabel, m_speedLabel, m_etaLabel, m_memoryLabel})
        stats->addWidget(l, 0, col++);
    layout->addLayout(stats);
    m_log->setReadOnly(true);
    m_log->setMaximumBlockCount(5000);
    layout->addWidget(m_log, 1);

    connect(controller, &TrainingController::resumedFrom, this,
            [this](int step, const std::vector<ft::MetricRecord>& history) {
                m_resumedStep = step;
                plotRunHistory(m_plot, history);
                m_preferencePlot->setVisible(plotPreferenceHistory(m_preferencePlot, history));
                log(step > 0 ? tr("Continuing from the checkpoint of step %1").arg(step)
                             : tr("No checkpoint yet: the run starts again from step 0"));
            });
    connect(controller, &TrainingController::prepared, this,
            [this](qint64 trainable, qint64 total, int totalSteps, int trainN, int rows, int valN, const QString& device) {
                m_progress->setRange(0, totalSteps);
                m_progress->setValue(m_resumedStep);
                m_resumedStep = 0;
                if (rows != trainN) log(tr("Packing: %1 training examples in %2 rows.").arg(trainN).arg(rows));
                log(tr("Prepared: %1 training and %2 validation examples; %3 of %4 parameters trainable (%5%); %6 steps on %7.")
                        .arg(trainN)
                        .arg(valN)
                        .arg(trainable)
                        .arg(total)
                        .arg(100.0 * double(trainable) / double(std::max<qint64>(1, total)), 0, 'f', 2)
                        .arg(totalSteps)
                        .arg(device));
            });
    connect(controller, &TrainingController::stepReported, this, &TrainingView::onStep);
    connect(controller, &TrainingController::preferenceReported, this,
            [this](int step, bool eval, const std::map<std::string, double>& metrics) {
                m_preferencePlot->setVisible(true);
                m_preferencePlot->addMetrics(step, eval, metrics);
                if (!eval) return;
                const auto at = [&](const char* key) { const auto it = metrics.find(key); return it == metrics.end() ? 0.0 : it->second; };
                log(tr("Validation at step %1: reward accuracy %2, margin %3").arg(step).arg(at("rewards/accuracies"), 0, 'f', 3)
                        .arg(at("rewards/margins"), 0, 'f', 4));
            });
    connect(controller, &TrainingController::evalReported, this, [this](int step, double loss, double ppl) {
        m_plot->addEvalLoss(step, loss);
        if (ppl > 0)  // preference runs report no perplexity (their loss is not a likelihood)
            log(tr("Validation at step %1: loss %2, perplexity %3").arg(step).arg(loss, 0, 'f', 4).arg(ppl, 0, 'f', 2));
    });
}

void TrainingView::setProjectText(const QString& text) { m_projectLabel->setText(text); }

void TrainingView::log(const QString& line) {
    // One font for the whole log: switched (every line with it) when a line needs glyphs the current one lacks.
    if (const QFont font = fontCovering(m_log->font(), line); font != m_log->font()) m_log->setFont(font);
    m_log->appendPlainText(QTime::currentTime().toString(QStringLiteral("HH:mm:ss  ")) + line);
}

void TrainingView::reset() {
    m_plot->clear();
    m_preferencePlot->clear();
    m_preferencePlot->setVisible(false);
    m_progress->setValue(0);
    for (QLabel* l : {m_stepLabel, m_lossLabel, m_lrLabel, m_speedLabel, m_etaLabel, m_memoryLabel}) l->clear();
}

void TrainingView::showRun(const std::vector<ft::MetricRecord>& history, int stepsDone, int totalSteps) {
    reset();
    plotRunHistory(m_plot, history);
    m_preferencePlot->setVisible(plotPreferenceHistory(m_preferencePlot, history));
    m_progress->setRange(0, std::max(1, totalSteps));
    m_progress->setValue(stepsDone);
    for (auto it = history.rbegin(); it != history.rend(); ++it) {
        if (it->eval) continue;
        m_stepLabel->setText(tr("Step %1 / %2").arg(it->step).arg(totalSteps));
        m_lossLabel->setText(tr("Loss %1").arg(it->loss, 0, 'f', 4));
        m_lrLabel->setText(tr("LR %1").arg(it->learningRate, 0, 'g', 3));
        m_speedLabel->setText(tr("%1 tokens/s").arg(it->tokensPerSecond, 0, 'f', 0));
        break;
    }
    m_etaLabel->clear();
    m_memoryLabel->clear();
}

void TrainingView::onStep(int step, int totalSteps, double epoch, double loss, double lr, double tokensPerSecond,
                          double etaSeconds, qint64 memoryBytes) {
    m_plot->addStep(step, loss, lr, tokensPerSecond);
    m_progress->setMaximum(totalSteps);
    m_progress->setValue(step);
    m_stepLabel->setText(tr("Step %1 / %2 (epoch %3)").arg(step).arg(totalSteps).arg(epoch, 0, 'f', 2));
    m_lossLabel->setText(tr("Loss %1").arg(loss, 0, 'f', 4));
    m_lrLabel->setText(tr("LR %1").arg(lr, 0, 'g', 3));
    m_speedLabel->setText(tr("%1 tokens/s").arg(tokensPerSecond, 0, 'f', 0));
    m_etaLabel->setText(tr("ETA %1").arg(formatDuration(etaSeconds)));
    m_memoryLabel->setText(tr("Memory %1 MiB").arg(double(memoryBytes) / (1 << 20), 0, 'f', 0));
}
