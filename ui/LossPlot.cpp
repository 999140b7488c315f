#include "LossPlot.h"

#include <QVBoxLayout>
#include <qcustomplot.h>

LossPlot::LossPlot(QWidget* parent) : QWidget(parent), m_plot(new QCustomPlot(this)) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_plot);
    m_plot->setMinimumSize(320, 200);

    m_train = m_plot->addGraph();
    m_train->setName(tr("Training loss"));
    m_train->setPen(QPen(QColor(31, 119, 180), 1.6));
    m_eval = m_plot->addGraph();
    m_eval->setName(tr("Validation loss"));
    m_eval->setPen(QPen(QColor(214, 39, 40), 1.6));
    m_eval->setLineStyle(QCPGraph::lsLine);
    m_eval->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle, 6));

    m_plot->xAxis->setLabel(tr("Step"));
    m_plot->yAxis->setLabel(tr("Loss"));
    m_plot->legend->setVisible(true);
    m_plot->axisRect()->insetLayout()->setInsetAlignment(0, Qt::AlignTop | Qt::AlignRight);
    m_plot->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
}

void LossPlot::clear() {
    m_train->data()->clear();
    m_eval->data()->clear();
    m_plot->replot();
}

void LossPlot::addTrainLoss(int step, double loss) {
    m_train->addData(step, loss);
    rescale();
}

void LossPlot::addEvalLoss(int step, double loss) {
    m_eval->addData(step, loss);
    rescale();
}

void LossPlot::resetView() { rescale(); }

int LossPlot::trainPointCount() const { return m_train->dataCount(); }

void LossPlot::rescale() {
    m_plot->rescaleAxes();
    const QCPRange y = m_plot->yAxis->range();
    m_plot->yAxis->setRange(std::min(0.0, y.lower), y.upper * 1.05);
    // Replotting queued: many points in one event-loop turn cost one repaint.
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}
