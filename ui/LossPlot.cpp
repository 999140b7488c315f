#include "LossPlot.h"

#include "CsvFile.h"

#include <QContextMenuEvent>
#include <QFileDialog>
#include <QMenu>
#include <QMessageBox>
#include <QTimer>
#include <QVBoxLayout>
#include <qcustomplot.h>

namespace {

constexpr int kRedrawMs = 250;  // at most four repaints a second, however fast the steps come
// The plot's rows: the legend (only as tall as it needs), the curves, tokens/s.
constexpr int kSpeedRow = 2;
const QList<double> kRowStretch{0.001, 3.0, 1.0};

QCPGraph* addLine(QCustomPlot* plot, QCPAxis* x, QCPAxis* y, const QString& name, const QColor& color, double width) {
    QCPGraph* g = plot->addGraph(x, y);
    g->setName(name);
    g->setPen(QPen(color, width));
    return g;
}

} // namespace

LossPlot::LossPlot(QWidget* parent)
    : QWidget(parent), m_plot(new QCustomPlot(this)), m_timer(new QTimer(this)) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_plot);
    m_plot->setMinimumSize(320, 200);

    QCPAxisRect* main = m_plot->axisRect();
    m_train = addLine(m_plot, m_plot->xAxis, m_plot->yAxis, tr("Training loss"), QColor(31, 119, 180, 90), 1.0);
    m_smoothed = addLine(m_plot, m_plot->xAxis, m_plot->yAxis, tr("Training loss (smoothed)"), QColor(31, 119, 180), 2.0);
    m_eval = addLine(m_plot, m_plot->xAxis, m_plot->yAxis, tr("Validation loss"), QColor(214, 39, 40), 1.6);
    m_eval->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle, 6));
    m_lr = addLine(m_plot, m_plot->xAxis, m_plot->yAxis2, tr("Learning rate"), QColor(44, 160, 44), 1.2);
    m_lr->setPen(QPen(QColor(44, 160, 44), 1.2, Qt::DashLine));

    m_plot->xAxis->setLabel(tr("Step"));
    m_plot->yAxis->setLabel(tr("Loss"));
    m_plot->yAxis2->setVisible(true);
    m_plot->yAxis2->setLabel(tr("Learning rate"));
    m_plot->yAxis2->setNumberFormat(QStringLiteral("gb"));
    m_plot->yAxis2->setNumberPrecision(2);
    // Steps are whole numbers: a short run gets ticks 1, 2, 3, never 1.5 and 2.5.
    auto steps = QSharedPointer<QCPAxisTickerFixed>::create();
    steps->setTickStep(1.0);
    steps->setScaleStrategy(QCPAxisTickerFixed::ssMultiples);
    m_plot->xAxis->setTicker(steps);
    // The legend in a row of its own above the curves: inside the axis rect it hid the last validation points.
    m_plot->legend->setVisible(true);
    main->insetLayout()->take(m_plot->legend);
    m_plot->plotLayout()->insertRow(0);
    m_plot->plotLayout()->addElement(0, 0, m_plot->legend);
    m_plot->legend->setFillOrder(QCPLegend::foColumnsFirst);
    m_plot->legend->setBorderPen(Qt::NoPen);
    m_plot->legend->setMargins(QMargins(4, 0, 4, 0));

    // Tokens/s below, sharing the step axis and the left margin so the two x axes line up.
    m_speedRect = new QCPAxisRect(m_plot);
    m_plot->plotLayout()->addElement(kSpeedRow, 0, m_speedRect);
    m_plot->plotLayout()->setRowStretchFactors(kRowStretch);
    m_speedRect->axis(QCPAxis::atBottom)->setTicker(steps);
    auto* margins = new QCPMarginGroup(m_plot);
    main->setMarginGroup(QCP::msLeft | QCP::msRight, margins);
    m_speedRect->setMarginGroup(QCP::msLeft | QCP::msRight, margins);
    m_speedRect->axis(QCPAxis::atLeft)->setLabel(tr("Tokens/s"));
    m_speed = addLine(m_plot, m_speedRect->axis(QCPAxis::atBottom), m_speedRect->axis(QCPAxis::atLeft), tr("Tokens/s"),
                      QColor(148, 103, 189), 1.2);
    m_speed->removeFromLegend();
    connect(m_plot->xAxis, qOverload<const QCPRange&>(&QCPAxis::rangeChanged), m_speedRect->axis(QCPAxis::atBottom),
            qOverload<const QCPRange&>(&QCPAxis::setRange));

    m_plot->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
    main->setRangeDragAxes({m_plot->xAxis}, {m_plot->yAxis, m_plot->yAxis2});
    main->setRangeZoomAxes({m_plot->xAxis}, {m_plot->yAxis, m_plot->yAxis2});
    // Once the user moves the view it stays where they put it; resetView() follows the data again.
    connect(m_plot, &QCustomPlot::mousePress, this, [this](QMouseEvent* e) {
        if (e->button() == Qt::LeftButton) m_follow = false;
    });
    connect(m_plot, &QCustomPlot::mouseWheel, this, [this] { m_follow = false; });
    connect(m_plot, &QCustomPlot::mouseDoubleClick, this, [this] { resetView(); });

    m_timer->setInterval(kRedrawMs);
    connect(m_timer, &QTimer::timeout, this, [this] {
        if (m_dirty) flush();
    });
    m_timer->start();
}

void LossPlot::clear() {
    m_rows.clear();
    m_follow = true;
    m_dirty = true;
    flush();
}

void LossPlot::addTrainLoss(int step, double loss) { record(step, loss, kNone, kNone); }

void LossPlot::addStep(int step, double loss, double learningRate, double tokensPerSecond) {
    record(step, loss, learningRate, tokensPerSecond);
}

void LossPlot::addEvalLoss(int step, double loss) {
    m_rows[step].evalLoss = loss;
    m_dirty = true;
}

void LossPlot::record(int step, double loss, double lr, double tokensPerSecond) {
    Row& r = m_rows[step];
    r.loss = loss;
    r.lr = lr;
    r.tokensPerSecond = tokensPerSecond;
    m_dirty = true;
}

void LossPlot::resetView() {
    m_follow = true;
    rescale();
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

int LossPlot::trainPointCount() const {
    return int(std::count_if(m_rows.begin(), m_rows.end(), [](const auto& r) { return !std::isnan(r.second.loss); }));
}

int LossPlot::evalPointCount() const {
    return int(std::count_if(m_rows.begin(), m_rows.end(), [](const auto& r) { return !std::isnan(r.second.evalLoss); }));
}

void LossPlot::setSmoothing(double weight) {
    m_smoothing = std::clamp(weight, 0.0, 0.999);
    m_dirty = true;
}

void LossPlot::setThroughputVisible(bool visible) {
    if (visible == m_speedVisible) return;
    m_speedVisible = visible;
    // A hidden layout element still takes its row, so the rect is taken out of the layout and put back.
    if (visible) {
        m_plot->plotLayout()->addElement(kSpeedRow, 0, m_speedRect);
        m_plot->plotLayout()->setRowStretchFactors(kRowStretch);
    } else {
        m_plot->plotLayout()->take(m_speedRect);
        m_plot->plotLayout()->simplify();
    }
    m_speedRect->setVisible(visible);
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

std::map<int, double> LossPlot::smoothedLoss() const {
    // Exponential moving average with TensorBoard's bias correction, so the first points are not pulled toward 0.
    std::map<int, double> out;
    double ema = 0.0;
    int n = 0;
    for (const auto& [step, r] : m_rows) {
        if (std::isnan(r.loss)) continue;
        ema = m_smoothing * ema + (1.0 - m_smoothing) * r.loss;
        ++n;
        out[step] = ema / (1.0 - std::pow(m_smoothing, n));
    }
    return out;
}

void LossPlot::flush() {
    if (!m_dirty) return;
    m_dirty = false;
    rebuildGraphs();
    if (m_follow) rescale();
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

void LossPlot::rebuildGraphs() {
    // Refilled from the rows on each tick: O(steps) per 250 ms is cheap and handles late or repeated steps.
    QVector<double> ts, loss, es, eval, ls, lr, ss, speed, ms, smooth;
    for (const auto& [step, r] : m_rows) {
        if (!std::isnan(r.loss)) ts << step, loss << r.loss;
        if (!std::isnan(r.evalLoss)) es << step, eval << r.evalLoss;
        if (!std::isnan(r.lr)) ls << step, lr << r.lr;
        if (!std::isnan(r.tokensPerSecond)) ss << step, speed << r.tokensPerSecond;
    }
    for (const auto& [step, v] : smoothedLoss()) ms << step, smooth << v;
    m_train->setData(ts, loss, true);
    m_smoothed->setData(ms, smooth, true);
    m_eval->setData(es, eval, true);
    m_lr->setData(ls, lr, true);
    m_speed->setData(ss, speed, true);
}

void LossPlot::rescale() {
    m_plot->rescaleAxes();
    const QCPRange y = m_plot->yAxis->range();
    m_plot->yAxis->setRange(std::min(0.0, y.lower), y.upper * 1.05);
    const QCPRange lr = m_plot->yAxis2->range();
    m_plot->yAxis2->setRange(0.0, lr.upper > 0 ? lr.upper * 1.05 : 1.0);
    QCPAxis* speedY = m_speedRect->axis(QCPAxis::atLeft);
    speedY->setRange(0.0, speedY->range().upper > 0 ? speedY->range().upper * 1.1 : 1.0);
    m_speedRect->axis(QCPAxis::atBottom)->setRange(m_plot->xAxis->range());
}

bool LossPlot::savePng(const QString& path, int width, int height) {
    m_dirty = true;
    flush();
    return m_plot->savePng(path, width, height);  // renders now, independent of the queued replot
}

bool LossPlot::saveCsv(const QString& path, QString* error) const {
    const std::map<int, double> smooth = smoothedLoss();
    QList<QStringList> rows;
    for (const auto& [step, r] : m_rows) {
        const auto s = smooth.find(step);
        rows.append({QString::number(step), csvNumber(r.loss), csvNumber(s == smooth.end() ? kNone : s->second),
                     csvNumber(r.lr), csvNumber(r.tokensPerSecond), csvNumber(r.evalLoss)});
    }
    return writeCsvFile(path,
                        {QStringLiteral("step"), QStringLiteral("train_loss"), QStringLiteral("train_loss_smoothed"),
                         QStringLiteral("learning_rate"), QStringLiteral("tokens_per_second"),
                         QStringLiteral("validation_loss")},
                        rows, error);
}

void LossPlot::contextMenuEvent(QContextMenuEvent* event) {
    QMenu menu(this);
    menu.addAction(tr("Reset &Zoom"), this, &LossPlot::resetView);
    QAction* speed = menu.addAction(tr("Show &Tokens/s"), this, [this](bool on) { setThroughputVisible(on); });
    speed->setCheckable(true);
    speed->setChecked(m_speedVisible);
    QMenu* smoothing = menu.addMenu(tr("&Smoothing"));
    for (double w : {0.0, 0.6, 0.9, 0.99}) {
        QAction* a = smoothing->addAction(w == 0.0 ? tr("Off") : QString::number(w), this, [this, w] { setSmoothing(w); flush(); });
        a->setCheckable(true);
        a->setChecked(qFuzzyCompare(1.0 + w, 1.0 + m_smoothing));
    }
    menu.addSeparator();
    menu.addAction(tr("Export &PNG…"), this, &LossPlot::exportPngDialog);
    menu.addAction(tr("Export &CSV…"), this, &LossPlot::exportCsvDialog);
    menu.exec(event->globalPos());
}

void LossPlot::exportPngDialog() {
    const QString path = QFileDialog::getSaveFileName(this, tr("Export Plot as PNG"), QStringLiteral("training.png"),
                                                      tr("PNG image (*.png)"));
    if (!path.isEmpty() && !savePng(path))
        QMessageBox::warning(this, tr("Export failed"), tr("Cannot write %1.").arg(path));
}

void LossPlot::exportCsvDialog() {
    const QString path = QFileDialog::getSaveFileName(this, tr("Export Curves as CSV"), QStringLiteral("training.csv"),
                                                      tr("CSV file (*.csv)"));
    QString error;
    if (!path.isEmpty() && !saveCsv(path, &error)) QMessageBox::warning(this, tr("Export failed"), error);
}
