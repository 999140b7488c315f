#include "QuantizationInspector.h"

#include "CsvFile.h"
#include "QuantResultModel.h"

#include <QComboBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QMenu>
#include <QMessageBox>
#include <QPushButton>
#include <QScrollBar>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>
#include <qcustomplot.h>

#include <cmath>

namespace {

enum Metric { MetricMse, MetricMaxError, MetricSnr };

QCustomPlot* makePlot(QWidget* parent, const QString& x, const QString& y) {
    auto* p = new QCustomPlot(parent);
    p->setMinimumSize(240, 160);
    p->xAxis->setLabel(x);
    p->yAxis->setLabel(y);
    p->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
    p->setContextMenuPolicy(Qt::CustomContextMenu);
    return p;
}

// The legend in a row of its own above the axis rect, so it never hides a bar or a level line.
void placeLegendAbove(QCustomPlot* plot) {
    plot->axisRect()->insetLayout()->take(plot->legend);
    plot->plotLayout()->insertRow(0);
    plot->plotLayout()->addElement(0, 0, plot->legend);
    plot->plotLayout()->setRowStretchFactor(0, 0.001);  // only as tall as the legend needs
    plot->legend->setFillOrder(QCPLegend::foColumnsFirst);
    plot->legend->setBorderPen(Qt::NoPen);
    plot->legend->setMargins(QMargins(4, 0, 4, 0));
}

// A tensor's name under each bar, upright and centred on it (so the last one is not cut by the widget's right
// border, which makes QCustomPlot skip the label), every k-th only when the bars are narrower than a line of text,
// counted from the last so that it always keeps its name.
class BarNameTicker : public QCPAxisTickerText {
public:
    explicit BarNameTicker(QCPAxis* axis) : m_axis(axis) {}

protected:
    QVector<QString> createLabelVector(const QVector<double>& ticks, const QLocale& locale, QChar formatChar,
                                       int precision) override {
        QVector<QString> labels = QCPAxisTickerText::createLabelVector(ticks, locale, formatChar, precision);
        if (mTicks.isEmpty()) return labels;
        const double spacing = std::abs(m_axis->coordToPixel(1.0) - m_axis->coordToPixel(0.0));
        const double line = QFontMetricsF(m_axis->tickLabelFont()).height() + 2.0;
        const int every = spacing > 0 ? std::max(1, int(std::ceil(line / spacing))) : 1;
        const int last = int(std::lround(mTicks.lastKey()));
        for (qsizetype i = 0; i < ticks.size(); ++i)
            if ((last - int(std::lround(ticks[i]))) % every != 0) labels[i].clear();
        return labels;
    }

private:
    QCPAxis* m_axis;
};

QCPBars* barsOf(QCustomPlot* plot, const QColor& color) {
    plot->clearPlottables();
    auto* bars = new QCPBars(plot->xAxis, plot->yAxis);
    bars->setPen(Qt::NoPen);
    bars->setBrush(color);
    return bars;
}

// "model.layers.3.self_attn.q_proj.weight" → "3.q_proj": enough to tell the bars apart.
QString shortName(const QString& name) {
    static const QRegularExpression layer(QStringLiteral("layers\\.(\\d+)\\..*?([A-Za-z0-9_]+)\\.weight$"));
    const auto m = layer.match(name);
    return m.hasMatch() ? m.captured(1) + QLatin1Char('.') + m.captured(2) : name;
}

} // namespace

QuantizationInspector::QuantizationInspector(QWidget* parent)
    : QWidget(parent), m_results(new QuantResultModel(this)) {
    buildUi();
    connect(&m_listWatcher, &QFutureWatcherBase::finished, this, [this] {
        const TensorListing l = m_listWatcher.result();
        if (!l.error.isEmpty()) {
            setStatus(l.error);
            emit sourceOpened(false, l.error);
            return;
        }
        m_tensors = l.tensors;
        const QSignalBlocker block(m_tensorBox);
        m_tensorBox->clear();
        for (const TensorInfo& t : m_tensors) m_tensorBox->addItem(t.name);
        m_sourceLabel->setText(tr("%1 — %n tensor(s)", nullptr, int(m_tensors.size())).arg(m_source));
        m_scanButton->setEnabled(true);
        emit sourceOpened(true, QString());
        inspectCurrent();
    });
    connect(&m_inspectWatcher, &QFutureWatcherBase::finished, this, [this] {
        m_inspection = m_inspectWatcher.result();
        showInspection();
        emit inspected(m_inspection.error.isEmpty(), m_inspection.error);
    });
    connect(&m_scanWatcher, &QFutureWatcherBase::finished, this, [this] {
        m_scan = m_scanWatcher.result();
        showScan();
        emit scanned(m_scan.error.isEmpty(), m_scan.error);
    });
}

// Jobs still running finish in the pool; their results are dropped with the watchers.
QuantizationInspector::~QuantizationInspector() = default;

void QuantizationInspector::buildUi() {
    auto* openModel = new QPushButton(tr("Open &Model Folder…"), this);
    auto* openFile = new QPushButton(tr("Open .&safetensors…"), this);
    connect(openModel, &QPushButton::clicked, this, [this] {
        const QString d = QFileDialog::getExistingDirectory(this, tr("Open Model Folder"));
        if (!d.isEmpty()) openSource(d);
    });
    connect(openFile, &QPushButton::clicked, this, [this] {
        const QString f = QFileDialog::getOpenFileName(this, tr("Open Tensors"), QString(), tr("safetensors (*.safetensors)"));
        if (!f.isEmpty()) openSource(f);
    });
    m_sourceLabel = new QLabel(tr("Open a model folder or a .safetensors file."), this);
    m_sourceLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);

    m_tensorBox = new QComboBox(this);
    m_tensorBox->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_tensorBox->setMinimumContentsLength(28);
    connect(m_tensorBox, &QComboBox::currentIndexChanged, this, [this] { inspectCurrent(); });
    m_blockBox = new QComboBox(this);
    for (int b = 32; b <= 4096; b *= 2) m_blockBox->addItem(QString::number(b), b);
    m_blockBox->setCurrentText(QStringLiteral("64"));  // bitsandbytes' default for 4-bit weights
    connect(m_blockBox, &QComboBox::currentIndexChanged, this, [this] { inspectCurrent(); });
    m_methodBox = new QComboBox(this);
    for (ft::QuantMethod m : inspectedMethods())
        m_methodBox->addItem(QuantResultModel::shortMethodName(m), int(m));
    connect(m_methodBox, &QComboBox::currentIndexChanged, this, [this] {
        drawValueHistogram();
        drawErrorHistogram();
    });
    m_scanButton = new QPushButton(tr("Scan &All Layers"), this);
    m_scanButton->setEnabled(false);
    connect(m_scanButton, &QPushButton::clicked, this, &QuantizationInspector::scanModel);
    auto* exportButton = new QPushButton(tr("&Export…"), this);
    connect(exportButton, &QPushButton::clicked, this, &QuantizationInspector::exportDialog);

    auto* top = new QHBoxLayout();
    top->addWidget(openModel);
    top->addWidget(openFile);
    top->addWidget(m_sourceLabel, 1);
    auto* picks = new QHBoxLayout();
    picks->addWidget(new QLabel(tr("Tensor:"), this));
    picks->addWidget(m_tensorBox, 1);
    picks->addWidget(new QLabel(tr("Block size:"), this));
    picks->addWidget(m_blockBox);
    picks->addWidget(new QLabel(tr("Method:"), this));
    picks->addWidget(m_methodBox);
    picks->addWidget(m_scanButton);
    picks->addWidget(exportButton);

    m_valuePlot = makePlot(this, tr("Value / absmax"), tr("Count"));
    m_errorPlot = makePlot(this, tr("Dequantized − original"), tr("Count"));
    m_layerPlot = makePlot(this, tr("Layer"), tr("MSE"));
    m_valuePlot->setObjectName(QStringLiteral("valuePlot"));
    m_errorPlot->setObjectName(QStringLiteral("errorPlot"));
    m_layerPlot->setObjectName(QStringLiteral("layerPlot"));
    placeLegendAbove(m_valuePlot);
    for (QCustomPlot* p : {m_valuePlot, m_errorPlot, m_layerPlot})
        connect(p, &QWidget::customContextMenuRequested, this, [this, p](const QPoint& pos) { plotMenu(p, pos); });
    m_table = new QTableView(this);
    m_table->setModel(m_results);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_table->verticalHeader()->hide();
    m_table->setObjectName(QStringLiteral("methodTable"));
    // Tall enough for every method's row (and a horizontal scroll bar, should the columns not fit): the splitter
    // may not squeeze it into a table that scrolls four rows.
    m_table->setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    const int rows = int(inspectedMethods().size());
    m_table->setFixedHeight(m_table->horizontalHeader()->sizeHint().height() +
                            rows * m_table->verticalHeader()->defaultSectionSize() + 2 * m_table->frameWidth() +
                            m_table->horizontalScrollBar()->sizeHint().height());
    m_metricBox = new QComboBox(this);
    m_metricBox->addItems({tr("MSE"), tr("Max error"), tr("SNR (dB)")});
    connect(m_metricBox, &QComboBox::currentIndexChanged, this, [this] { drawLayers(); });

    auto* histograms = new QSplitter(Qt::Horizontal, this);
    histograms->addWidget(m_valuePlot);
    histograms->addWidget(m_errorPlot);
    auto* layerBox = new QWidget(this);
    auto* layerLayout = new QVBoxLayout(layerBox);
    layerLayout->setContentsMargins(0, 0, 0, 0);
    auto* metricRow = new QHBoxLayout();
    metricRow->addWidget(new QLabel(tr("Error across the model:"), layerBox));
    metricRow->addWidget(m_metricBox);
    metricRow->addStretch(1);
    layerLayout->addLayout(metricRow);
    layerLayout->addWidget(m_layerPlot, 1);
    auto* split = new QSplitter(Qt::Vertical, this);
    split->addWidget(histograms);
    split->addWidget(m_table);
    split->addWidget(layerBox);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 0);
    split->setStretchFactor(2, 2);
    split->setCollapsible(1, false);

    m_status = new QLabel(this);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addLayout(picks);
    layout->addWidget(split, 1);
    layout->addWidget(m_status);
}

QStringList QuantizationInspector::tensorNames() const {
    QStringList names;
    for (const TensorInfo& t : m_tensors) names << t.name;
    return names;
}

QString QuantizationInspector::currentTensor() const { return m_tensorBox->currentText(); }
int QuantizationInspector::blocksize() const { return m_blockBox->currentData().toInt(); }
ft::QuantMethod QuantizationInspector::currentMethod() const { return ft::QuantMethod(m_methodBox->currentData().toInt()); }

bool QuantizationInspector::isBusy() const {
    return m_listWatcher.isRunning() || m_inspectWatcher.isRunning() || m_scanWatcher.isRunning();
}

void QuantizationInspector::openSource(const QString& path) {
    m_source = path;
    m_tensors.clear();
    m_scan = {};
    m_scanButton->setEnabled(false);
    setStatus(tr("Reading %1 …").arg(path));
    m_listWatcher.setFuture(QtConcurrent::run(&listTensors, path));
}

void QuantizationInspector::selectTensor(const QString& name) {
    const int i = m_tensorBox->findText(name);
    if (i < 0) {
        emit inspected(false, tr("No tensor named %1.").arg(name));
    } else if (i == m_tensorBox->currentIndex()) {
        inspectCurrent();
    } else {
        m_tensorBox->setCurrentIndex(i);  // inspects through currentIndexChanged
    }
}

void QuantizationInspector::setBlocksize(int blocksize) {
    const int i = m_blockBox->findData(blocksize);
    if (i >= 0) m_blockBox->setCurrentIndex(i);
}

void QuantizationInspector::setMethod(ft::QuantMethod method) {
    const int i = m_methodBox->findData(int(method));
    if (i >= 0) m_methodBox->setCurrentIndex(i);
}

void QuantizationInspector::inspectCurrent() {
    const int i = m_tensorBox->currentIndex();
    if (i < 0 || i >= m_tensors.size()) return;
    setStatus(tr("Quantizing %1 with every method …").arg(m_tensors[i].name));
    // A newer request replaces the watched future; the older job's result is never shown.
    m_inspectWatcher.setFuture(QtConcurrent::run(&inspectTensor, m_source, m_tensors[i], blocksize()));
}

void QuantizationInspector::scanModel() {
    if (m_source.isEmpty()) return;
    const ft::QuantOptions options = defaultQuantOptions(currentMethod(), blocksize());
    setStatus(tr("Quantizing every layer with %1 …").arg(QuantResultModel::methodName(options)));
    m_scanButton->setEnabled(false);
    m_scanWatcher.setFuture(QtConcurrent::run(&::scanModel, m_source, options));
}

void QuantizationInspector::setStatus(const QString& text) { m_status->setText(text); }

void QuantizationInspector::showInspection() {
    if (!m_inspection.error.isEmpty()) {
        setStatus(m_inspection.error);
        m_results->setResults({});
        return;
    }
    const TensorInfo& t = m_inspection.tensor;
    QStringList dims;
    for (qint64 d : t.shape) dims << QString::number(d);
    QString text = tr("%1: %2 [%3], absmax %4").arg(t.name, t.dtype, dims.join(QStringLiteral(" × ")))
                       .arg(m_inspection.absmax, 0, 'g', 4);
    if (m_inspection.sampled < t.numel)
        text += tr(" — histograms of the first %L1 of %L2 values").arg(m_inspection.sampled).arg(t.numel);
    setStatus(text);
    m_results->setResults(m_inspection.methods);
    drawValueHistogram();
    drawErrorHistogram();
}

void QuantizationInspector::showScan() {
    m_scanButton->setEnabled(!m_source.isEmpty());
    if (!m_scan.error.isEmpty()) {
        setStatus(m_scan.error);
        return;
    }
    setStatus(tr("%1 on %n tensor(s): %L2 bytes instead of %L3.", nullptr, int(m_scan.report.tensors.size()))
                  .arg(QuantResultModel::methodName(m_scan.options))
                  .arg(m_scan.report.totalBytes)
                  .arg(m_scan.report.originalBytes));
    drawLayers();
}

void QuantizationInspector::drawValueHistogram() {
    m_valuePlot->clearPlottables();
    if (m_inspection.methods.empty()) return m_valuePlot->replot(QCustomPlot::rpQueuedReplot);
    const ft::QuantMethod method = currentMethod();
    const bool fourBit = method == ft::QuantMethod::Nf4 || method == ft::QuantMethod::Fp4;
    const Histogram& h = fourBit ? m_inspection.blockNormalized : m_inspection.tensorNormalized;
    QCPBars* bars = barsOf(m_valuePlot, QColor(31, 119, 180, 170));
    bars->setName(fourBit ? tr("Values / block absmax") : tr("Values / tensor absmax"));
    bars->setWidth((h.max - h.min) / std::max<qsizetype>(1, h.counts.size()));
    bars->setData(h.centers(), h.counts, true);
    // The representable values as impulses reaching the top of the histogram.
    const double top = h.counts.isEmpty() ? 1.0 : *std::max_element(h.counts.begin(), h.counts.end());
    QVector<double> xs, ys;
    for (double l : normalizedLevels(method, m_inspection)) xs << l, ys << top;
    QCPGraph* levels = m_valuePlot->addGraph();
    levels->setName(tr("Levels"));
    levels->setLineStyle(QCPGraph::lsImpulse);
    levels->setPen(QPen(QColor(214, 39, 40, xs.size() > 32 ? 60 : 200), 1.0));
    levels->setData(xs, ys, true);
    m_valuePlot->xAxis->setLabel(fourBit ? tr("Value / block absmax") : tr("Value / tensor absmax"));
    m_valuePlot->legend->setVisible(true);
    m_valuePlot->rescaleAxes();
    m_valuePlot->xAxis->setRange(-1.05, 1.05);
    m_valuePlot->yAxis->setRange(0, top * 1.05);
    m_valuePlot->replot(QCustomPlot::rpQueuedReplot);
}

void QuantizationInspector::drawErrorHistogram() {
    m_errorPlot->clearPlottables();
    const auto& methods = m_inspection.methods;
    const auto it = std::find_if(methods.begin(), methods.end(),
                                 [this](const MethodResult& r) { return r.options.method == currentMethod(); });
    if (it != methods.end() && !it->error.errorHistogram.empty()) {
        Histogram h{it->error.errorMin, it->error.errorMax, {}};
        for (int64_t c : it->error.errorHistogram) h.counts << double(c);
        QCPBars* bars = barsOf(m_errorPlot, QColor(255, 127, 14, 190));
        bars->setWidth((h.max - h.min) / h.counts.size());
        bars->setData(h.centers(), h.counts, true);
        m_errorPlot->rescaleAxes();
        m_errorPlot->yAxis->setRangeLower(0);
    }
    m_errorPlot->replot(QCustomPlot::rpQueuedReplot);
}

void QuantizationInspector::drawLayers() {
    m_layerPlot->clearPlottables();
    const auto& tensors = m_scan.report.tensors;
    if (tensors.empty()) return m_layerPlot->replot(QCustomPlot::rpQueuedReplot);
    const int metric = m_metricBox->currentIndex();
    QVector<double> xs, ys;
    auto ticker = QSharedPointer<BarNameTicker>::create(m_layerPlot->xAxis);
    for (size_t i = 0; i < tensors.size(); ++i) {
        const ft::QuantError& e = tensors[i].error;
        const double v = metric == MetricMse ? e.mse : metric == MetricMaxError ? e.maxAbsError : e.snrDb;
        xs << double(i);
        ys << (std::isfinite(v) ? v : 0.0);
        ticker->addTick(double(i), shortName(QString::fromStdString(tensors[i].name)));
    }
    QCPBars* bars = barsOf(m_layerPlot, QColor(44, 160, 44, 200));
    bars->setWidth(0.8);
    bars->setData(xs, ys, true);
    m_layerPlot->xAxis->setTicker(ticker);
    m_layerPlot->xAxis->setTickLabelRotation(tensors.size() > 8 ? -90 : 0);
    m_layerPlot->xAxis->setLabel(tr("Tensor (layer.projection), %1").arg(QuantResultModel::methodName(m_scan.options)));
    m_layerPlot->yAxis->setLabel(m_metricBox->currentText());
    m_layerPlot->rescaleAxes();
    m_layerPlot->xAxis->setRange(-0.6, double(tensors.size()) - 0.4);
    m_layerPlot->yAxis->setRangeLower(0);
    m_layerPlot->replot(QCustomPlot::rpQueuedReplot);
}

bool QuantizationInspector::saveValueHistogramCsv(const QString& path, QString* error) const {
    QList<QStringList> rows;
    const QVector<double> centers = m_inspection.blockNormalized.centers();
    for (int i = 0; i < centers.size(); ++i)
        rows.append({csvNumber(centers[i]), csvNumber(m_inspection.blockNormalized.counts[i]),
                     csvNumber(m_inspection.tensorNormalized.counts.value(i))});
    return writeCsvFile(path, {QStringLiteral("normalized_value"), QStringLiteral("count_by_block_absmax"),
                               QStringLiteral("count_by_tensor_absmax")},
                        rows, error);
}

bool QuantizationInspector::saveErrorHistogramCsv(const QString& path, QString* error) const {
    QList<QStringList> rows;
    for (const MethodResult& r : m_inspection.methods) {
        const auto& e = r.error;
        const double w = e.errorHistogram.empty() ? 0.0 : (e.errorMax - e.errorMin) / double(e.errorHistogram.size());
        for (size_t i = 0; i < e.errorHistogram.size(); ++i)
            rows.append({QString::fromLatin1(ft::quantMethodName(r.options.method).data()),
                         csvNumber(e.errorMin + (double(i) + 0.5) * w), QString::number(e.errorHistogram[i])});
    }
    return writeCsvFile(path, {QStringLiteral("method"), QStringLiteral("error"), QStringLiteral("count")}, rows, error);
}

bool QuantizationInspector::saveMethodsCsv(const QString& path, QString* error) const {
    QList<QStringList> rows;
    for (const MethodResult& r : m_inspection.methods)
        rows.append({QString::fromLatin1(ft::quantMethodName(r.options.method).data()), QString::number(r.options.blocksize),
                     csvNumber(r.error.mse), csvNumber(r.error.maxAbsError), csvNumber(r.error.snrDb),
                     QString::number(r.error.bytes), csvNumber(r.error.bitsPerElement)});
    return writeCsvFile(path, {QStringLiteral("method"), QStringLiteral("blocksize"), QStringLiteral("mse"),
                               QStringLiteral("max_abs_error"), QStringLiteral("snr_db"), QStringLiteral("bytes"),
                               QStringLiteral("bits_per_element")},
                        rows, error);
}

bool QuantizationInspector::saveLayersCsv(const QString& path, QString* error) const {
    QList<QStringList> rows;
    for (const ft::TensorQuantReport& t : m_scan.report.tensors)
        rows.append({QString::fromStdString(t.name), QString::number(t.error.elements), csvNumber(t.error.mse),
                     csvNumber(t.error.maxAbsError), csvNumber(t.error.snrDb), QString::number(t.error.bytes)});
    return writeCsvFile(path, {QStringLiteral("tensor"), QStringLiteral("numel"), QStringLiteral("mse"),
                               QStringLiteral("max_abs_error"), QStringLiteral("snr_db"), QStringLiteral("bytes")},
                        rows, error);
}

bool QuantizationInspector::exportTo(const QString& dir, QString* error) {
    if (!QDir().mkpath(dir)) {
        if (error) *error = tr("Cannot create %1.").arg(dir);
        return false;
    }
    const QDir d(dir);
    bool ok = saveValueHistogramCsv(d.filePath(QStringLiteral("value_histogram.csv")), error) &&
              saveErrorHistogramCsv(d.filePath(QStringLiteral("error_histogram.csv")), error) &&
              saveMethodsCsv(d.filePath(QStringLiteral("methods.csv")), error);
    if (ok && !m_scan.report.tensors.empty()) ok = saveLayersCsv(d.filePath(QStringLiteral("layers.csv")), error);
    const std::pair<QCustomPlot*, QString> figures[] = {{m_valuePlot, QStringLiteral("value_histogram.png")},
                                                        {m_errorPlot, QStringLiteral("error_histogram.png")},
                                                        {m_layerPlot, QStringLiteral("layers.png")}};
    for (const auto& [plot, name] : figures) {
        if (!ok) break;
        ok = plot->savePng(d.filePath(name), 800, 500);
        if (!ok && error) *error = tr("Cannot write %1.").arg(d.filePath(name));
    }
    return ok;
}

void QuantizationInspector::exportDialog() {
    const QString dir = QFileDialog::getExistingDirectory(this, tr("Export Figures and Tables into"));
    QString error;
    if (!dir.isEmpty() && !exportTo(dir, &error)) QMessageBox::warning(this, tr("Export failed"), error);
}

void QuantizationInspector::plotMenu(QCustomPlot* plot, const QPoint& pos) {
    QMenu menu(this);
    menu.addAction(tr("Export &PNG…"), this, [this, plot] {
        const QString f = QFileDialog::getSaveFileName(this, tr("Export Figure as PNG"), QString(), tr("PNG image (*.png)"));
        if (!f.isEmpty() && !plot->savePng(f)) QMessageBox::warning(this, tr("Export failed"), tr("Cannot write %1.").arg(f));
    });
    menu.addAction(tr("Export &CSV…"), this, [this, plot] {
        const QString f = QFileDialog::getSaveFileName(this, tr("Export Data as CSV"), QString(), tr("CSV file (*.csv)"));
        if (f.isEmpty()) return;
        QString error;
        const bool ok = plot == m_valuePlot ? saveValueHistogramCsv(f, &error)
                        : plot == m_errorPlot ? saveErrorHistogramCsv(f, &error)
                                              : saveLayersCsv(f, &error);
        if (!ok) QMessageBox::warning(this, tr("Export failed"), error);
    });
    menu.addAction(tr("Reset &Zoom"), this, [this, plot] {
        if (plot == m_valuePlot) drawValueHistogram();
        else if (plot == m_errorPlot) drawErrorHistogram();
        else drawLayers();
    });
    menu.exec(plot->mapToGlobal(pos));
}
