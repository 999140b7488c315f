#include "PreferencePlot.h"

#include <QTimer>
#include <algorithm>
#include <QVBoxLayout>
#include <qcustomplot.h>

namespace {

constexpr int kRedrawMs = 250;

QCPGraph* addLine(QCustomPlot* plot, QCPAxis* y, const QString& name, const QColor& color, Qt::PenStyle style) {
    QCPGraph* g = plot->addGraph(plot->xAxis, y);
    g->setName(name);
    g->setPen(QPen(color, 1.6, style));
    return g;
}

} // namespace

PreferencePlot::PreferencePlot(QWidget* parent) : QWidget(parent), m_plot(new QCustomPlot(this)), m_timer(new QTimer(this)) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_plot);
    m_plot->setMinimumSize(320, 160);
    m_margin = addLine(m_plot, m_plot->yAxis, tr("Reward margin"), QColor(31, 119, 180), Qt::SolidLine);
    m_accuracy = addLine(m_plot, m_plot->yAxis2, tr("Reward accuracy"), QColor(255, 127, 14), Qt::SolidLine);
    m_evalMargin = addLine(m_plot, m_plot->yAxis, tr("Validation margin"), QColor(31, 119, 180), Qt::DashLine);
    m_evalAccuracy = addLine(m_plot, m_plot->yAxis2, tr("Validation accuracy"), QColor(255, 127, 14), Qt::DashLine);
    for (QCPGraph* g : {m_evalMargin, m_evalAccuracy}) g->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle, 6));
    m_kl = addLine(m_plot, m_plot->yAxis, tr("KL estimate"), QColor(127, 127, 127), Qt::DotLine);
    m_kl->removeFromLegend();  // joins the legend when a KTO run reports it

    m_plot->xAxis->setLabel(tr("Step"));
    m_plot->yAxis->setLabel(tr("Margin (chosen − rejected reward)"));
    m_plot->yAxis2->setVisible(true);
    m_plot->yAxis2->setLabel(tr("Accuracy"));
    m_plot->yAxis2->setRange(0.0, 1.0);
    // The legend in a row of its own above the curves, in two columns (as LossPlot: inside, it hid the points).
    m_plot->legend->setVisible(true);
    m_plot->axisRect()->insetLayout()->take(m_plot->legend);
    m_plot->plotLayout()->insertRow(0);
    m_plot->plotLayout()->addElement(0, 0, m_plot->legend);
    m_plot->plotLayout()->setRowStretchFactors({0.001, 1.0});
    m_plot->legend->setWrap(2);  // before the fill order, which rearranges the items by it
    m_plot->legend->setFillOrder(QCPLegend::foColumnsFirst);
    m_plot->legend->setBorderPen(Qt::NoPen);
    m_plot->legend->setMargins(QMargins(4, 0, 4, 0));
    m_plot->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);

    m_timer->setInterval(kRedrawMs);
    connect(m_timer, &QTimer::timeout, this, &PreferencePlot::flush);
    m_timer->start();
}

void PreferencePlot::clear() {
    for (QCPGraph* g : {m_margin, m_accuracy, m_evalMargin, m_evalAccuracy, m_kl}) g->data()->clear();
    m_kl->removeFromLegend();
    m_dirty = true;
    flush();
}

void PreferencePlot::addMetrics(int step, bool eval, const std::map<std::string, double>& metrics) {
    const auto add = [&](QCPGraph* g, const char* key) {
        if (const auto it = metrics.find(key); it != metrics.end()) g->addData(step, it->second);
    };
    add(eval ? m_evalMargin : m_margin, "rewards/margins");
    add(eval ? m_evalAccuracy : m_accuracy, "rewards/accuracies");
    if (!eval && metrics.count("kl")) {
        add(m_kl, "kl");
        m_kl->addToLegend();
    }
    m_dirty = true;
}

int PreferencePlot::pointCount() const { return m_margin->dataCount() + m_evalMargin->dataCount(); }

void PreferencePlot::flush() {
    if (!m_dirty) return;
    m_dirty = false;
    m_plot->xAxis->rescale();
    bool found = false;
    QCPRange range;
    for (QCPGraph* g : {m_margin, m_evalMargin, m_kl}) {
        bool ok = false;
        const QCPRange r = g->getValueRange(ok);
        if (!ok) continue;
        range = found ? QCPRange(std::min(range.lower, r.lower), std::max(range.upper, r.upper)) : r;
        found = true;
    }
    if (found) {  // zero always in view: a margin is read against it
        const double lo = std::min(0.0, range.lower), hi = std::max(0.0, range.upper);
        const double pad = std::max(1e-3, (hi - lo) * 0.05);
        m_plot->yAxis->setRange(lo - pad, hi + pad);
    }
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}
