#include "EvalView.h"

#include "EvalTableModel.h"

#include "core/common/error.h"
#include "core/eval/eval_report.h"
#include "core/train/metrics_log.h"
#include "core/train/run_folder.h"
#include "ErrorText.h"

#include <QComboBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QProgressBar>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QSpinBox>
#include <QSplitter>
#include <QTabWidget>
#include <QTableView>
#include <QTableWidget>
#include <QVBoxLayout>
#include <qcustomplot.h>

#include <algorithm>
#include <cmath>

namespace {

enum RowsChoice { HeldOut, NamedFile };
constexpr int kPathRole = Qt::UserRole + 1;
const QColor kSideColors[] = {QColor(117, 117, 117), QColor(21, 101, 192), QColor(239, 108, 0), QColor(106, 27, 154),
                              QColor(0, 131, 143)};

QCustomPlot* makePlot(QWidget* parent) {
    auto* p = new QCustomPlot(parent);
    p->setMinimumSize(280, 150);
    p->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
    return p;
}

QString runLabel(const ft::RunInfo& run) {
    return QStringLiteral("%1 · %2 · %3/%4").arg(QString::fromStdString(run.id), QString::fromStdString(run.method))
        .arg(run.stepsDone).arg(run.totalSteps);
}

QString fixed(double v, int digits = 3) { return std::isfinite(v) ? QString::number(v, 'f', digits) : QStringLiteral("–"); }

} // namespace

EvalView::EvalView(QWidget* parent)
    : QWidget(parent), m_runner(new EvalRunner(this)), m_model(new EvalTableModel(this)), m_proxy(new QSortFilterProxyModel(this)) {
    m_proxy->setSourceModel(m_model);
    m_proxy->setSortRole(EvalTableModel::SortRole);
    m_proxy->setFilterKeyColumn(-1);
    m_proxy->setFilterCaseSensitivity(Qt::CaseInsensitive);
    buildLayout();
    connect(m_runner, &EvalRunner::progress, this, &EvalView::onProgress);
    connect(m_runner, &EvalRunner::finished, this, [this](EvalReportPtr report) {
        setRunning(false);
        showReport(report);
        emit evaluated(true);
    });
    connect(m_runner, &EvalRunner::failed, this, [this](const QString& message, bool cancelled) {
        setRunning(false);
        m_status->setText(cancelled ? tr("Evaluation cancelled.") : tr("Evaluation failed: %1").arg(message));
        emit evaluated(false);
    });
    setRunning(false);
}

EvalView::~EvalView() = default;

void EvalView::buildLayout() {
    // What to evaluate.
    m_models = new QListWidget(this);
    m_models->setObjectName(QStringLiteral("evalModels"));
    m_models->setMaximumHeight(72);
    m_models->setToolTip(tr("The tuned models to compare with the base model: the project's runs (their newest "
                            "checkpoint) and folders you add. Space checks or unchecks one."));
    connect(m_models, &QListWidget::itemChanged, this, [this] { plotLossCurves(); });
    auto* addFolder = new QPushButton(tr("Add fol&der…"), this);
    addFolder->setToolTip(tr("An exported adapter or a merged model folder"));
    connect(addFolder, &QPushButton::clicked, this, &EvalView::addModelFolder);

    m_rows = new QComboBox(this);
    m_rows->setObjectName(QStringLiteral("evalRows"));
    m_rows->addItem(tr("The project's held-out rows"));
    m_rows->addItem(tr("Every row of a file…"));
    connect(m_rows, &QComboBox::activated, this, [this](int index) {
        if (index != NamedFile) return setDataFile(QString());
        const QString file = QFileDialog::getOpenFileName(this, tr("Rows to evaluate on"), QString(),
                                                          tr("Datasets (*.jsonl *.json *.csv *.tsv *.txt)"));
        setDataFile(file);
    });
    m_maxNewTokens = new QSpinBox(this);
    m_maxNewTokens->setObjectName(QStringLiteral("evalMaxNewTokens"));
    m_maxNewTokens->setRange(1, 4096);
    m_maxNewTokens->setValue(128);
    m_maxNewTokens->setToolTip(tr("Longest answer generated per row (greedy decoding)"));

    m_evaluate = new QPushButton(tr("Eval&uate"), this);
    m_evaluate->setObjectName(QStringLiteral("evaluateButton"));
    m_evaluate->setDefault(true);
    m_evaluate->setAutoDefault(true);
    connect(m_evaluate, &QPushButton::clicked, this, &EvalView::evaluate);
    m_cancel = new QPushButton(tr("Cancel"), this);
    m_cancel->setObjectName(QStringLiteral("cancelEvaluationButton"));
    connect(m_cancel, &QPushButton::clicked, this, &EvalView::cancel);
    m_progress = new QProgressBar(this);
    m_progress->setTextVisible(true);
    m_status = new QLabel(tr("Choose the models to compare, then Evaluate."), this);
    m_status->setWordWrap(true);

    // Labels with their buddies, so their mnemonics move the focus (a text label of a layout row shows the & as is).
    const auto label = [this](const QString& text, QWidget* buddy) {
        auto* l = new QLabel(text, this);
        l->setBuddy(buddy);
        return l;
    };
    auto* form = new QFormLayout;
    auto* modelsRow = new QHBoxLayout;
    modelsRow->addWidget(m_models, 1);
    modelsRow->addWidget(addFolder, 0, Qt::AlignTop);
    form->addRow(label(tr("Tuned &models:"), m_models), modelsRow);
    auto* rowsRow = new QHBoxLayout;
    rowsRow->addWidget(m_rows, 1);
    rowsRow->addWidget(label(tr("Max new to&kens:"), m_maxNewTokens));
    rowsRow->addWidget(m_maxNewTokens);
    form->addRow(label(tr("Ro&ws to use:"), m_rows), rowsRow);
    auto* runRow = new QHBoxLayout;
    runRow->addWidget(m_evaluate);
    runRow->addWidget(m_cancel);
    runRow->addWidget(m_progress, 1);

    // What came out.
    m_summary = new QTableWidget(this);
    m_summary->setObjectName(QStringLiteral("evalSummary"));
    m_summary->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_summary->verticalHeader()->hide();
    m_summary->hide();  // until there is a report; then as tall as its rows
    m_scatter = makePlot(this);
    m_scatter->xAxis->setLabel(tr("Base loss"));
    m_scatter->yAxis->setLabel(tr("Tuned loss"));
    m_bars = makePlot(this);
    m_curves = makePlot(this);
    m_curves->xAxis->setLabel(tr("Step"));
    m_curves->yAxis->setLabel(tr("Loss"));
    m_curves->legend->setVisible(true);
    auto* plots = new QTabWidget(this);
    plots->addTab(m_scatter, tr("Per-example loss"));
    plots->addTab(m_bars, tr("Answer metrics"));
    plots->addTab(m_curves, tr("Loss curves"));

    m_filter = new QLineEdit(this);
    m_filter->setObjectName(QStringLiteral("evalFilter"));
    m_filter->setPlaceholderText(tr("Filter rows (prompt, answers, reference)…"));
    m_filter->setClearButtonEnabled(true);
    connect(m_filter, &QLineEdit::textChanged, m_proxy, &QSortFilterProxyModel::setFilterFixedString);
    auto* improvements = new QPushButton(tr("&Improvements first"), this);
    improvements->setObjectName(QStringLiteral("improvementsFirst"));
    improvements->setAutoDefault(false);
    connect(improvements, &QPushButton::clicked, this, [this] { sortByChange(false); });
    auto* regressions = new QPushButton(tr("Re&gressions first"), this);
    regressions->setObjectName(QStringLiteral("regressionsFirst"));
    regressions->setAutoDefault(false);
    connect(regressions, &QPushButton::clicked, this, [this] { sortByChange(true); });
    auto* saveHtmlButton = new QPushButton(tr("Save re&port…"), this);
    saveHtmlButton->setAutoDefault(false);
    connect(saveHtmlButton, &QPushButton::clicked, this, [this] {
        const QString file = QFileDialog::getSaveFileName(this, tr("Save evaluation report"), QStringLiteral("evaluation.html"),
                                                          tr("HTML report (*.html)"));
        QString error;
        if (!file.isEmpty() && !saveHtml(file, &error)) m_status->setText(error);
    });
    auto* saveRowsButton = new QPushButton(tr("Save &JSONL…"), this);
    saveRowsButton->setAutoDefault(false);
    connect(saveRowsButton, &QPushButton::clicked, this, [this] {
        const QString file = QFileDialog::getSaveFileName(this, tr("Save evaluation rows"), QStringLiteral("evaluation.jsonl"),
                                                          tr("JSON lines (*.jsonl)"));
        QString error;
        if (!file.isEmpty() && !saveJsonl(file, &error)) m_status->setText(error);
    });
    auto* openButton = new QPushButton(tr("&Open results…"), this);
    openButton->setAutoDefault(false);
    connect(openButton, &QPushButton::clicked, this, [this] {
        const QString file = QFileDialog::getOpenFileName(this, tr("Open evaluation rows"), QString(), tr("JSON lines (*.jsonl)"));
        QString error;
        if (!file.isEmpty() && !openResults(file, &error)) m_status->setText(error);
    });
    auto* tableBar = new QHBoxLayout;
    tableBar->addWidget(m_filter, 1);
    tableBar->addWidget(improvements);
    tableBar->addWidget(regressions);
    tableBar->addWidget(saveHtmlButton);
    tableBar->addWidget(saveRowsButton);
    tableBar->addWidget(openButton);

    m_table = new QTableView(this);
    m_table->setObjectName(QStringLiteral("evalTable"));
    m_table->setModel(m_proxy);
    m_table->setSortingEnabled(true);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setWordWrap(false);
    m_table->horizontalHeader()->setDefaultSectionSize(110);
    m_table->setMinimumHeight(140);  // a few rows however small the window
    m_table->setToolTip(tr("Double-click or press Enter on a row to open it in the dataset editor."));
    connect(m_table, &QTableView::activated, this, [this](const QModelIndex& index) {
        const auto r = report();
        if (!r || !index.isValid()) return;
        emit openDatasetRow(QString::fromStdString(r->dataFile.string()), m_proxy->data(index, EvalTableModel::LineRole).toInt());
    });

    auto* top = new QWidget(this);
    auto* topLayout = new QVBoxLayout(top);
    topLayout->setContentsMargins(0, 0, 0, 0);
    topLayout->addLayout(form);
    topLayout->addLayout(runRow);
    topLayout->addWidget(m_status);
    topLayout->addWidget(m_summary);
    auto* results = new QSplitter(Qt::Vertical, this);
    results->addWidget(plots);
    auto* rowsBox = new QWidget(this);
    auto* rowsLayout = new QVBoxLayout(rowsBox);
    rowsLayout->setContentsMargins(0, 0, 0, 0);
    rowsLayout->addLayout(tableBar);
    rowsLayout->addWidget(m_table);
    results->addWidget(rowsBox);
    results->setStretchFactor(0, 2);
    results->setStretchFactor(1, 3);
    results->setChildrenCollapsible(false);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(top);
    layout->addWidget(results, 1);
}

void EvalView::setProject(const ft::Project& project, const std::vector<ft::RunInfo>& runs) {
    m_project = project;
    m_hasProject = true;
    const QStringList checked = checkedModels();
    QStringList added;  // folders the user added stay
    for (int i = 0; i < m_models->count(); ++i)
        if (m_models->item(i)->data(Qt::UserRole).toBool()) added << m_models->item(i)->data(kPathRole).toString();
    m_models->clear();
    for (auto it = runs.rbegin(); it != runs.rend(); ++it) {
        if (it->latestCheckpoint.empty()) continue;
        auto* item = new QListWidgetItem(runLabel(*it), m_models);
        const QString dir = QString::fromStdString(it->dir.string());
        item->setData(kPathRole, dir);
        item->setToolTip(dir);
        item->setFlags(item->flags() | Qt::ItemIsUserCheckable);
        item->setCheckState(checked.contains(dir) ? Qt::Checked : Qt::Unchecked);
    }
    for (const QString& dir : added) {
        auto* item = new QListWidgetItem(QDir::toNativeSeparators(dir), m_models);
        item->setData(kPathRole, dir);
        item->setData(Qt::UserRole, true);
        item->setFlags(item->flags() | Qt::ItemIsUserCheckable);
        item->setCheckState(checked.contains(dir) ? Qt::Checked : Qt::Unchecked);
    }
    if (checkedModels().isEmpty() && m_models->count() > 0) m_models->item(0)->setCheckState(Qt::Checked);  // the newest run
    if (m_models->count() > 0) m_models->setCurrentRow(0);
    if (m_models->count() == 0) m_status->setText(tr("No run of this project has a checkpoint yet: train first, or add an exported folder."));
    setRunning(m_runner->isRunning());
    plotLossCurves();
}

void EvalView::selectRun(const QString& dir) {
    bool found = false;
    for (int i = 0; i < m_models->count(); ++i) {
        auto* item = m_models->item(i);
        const bool it = QFileInfo(item->data(kPathRole).toString()) == QFileInfo(dir);
        item->setCheckState(it ? Qt::Checked : Qt::Unchecked);
        found = found || it;
    }
    if (!found) {
        auto* item = new QListWidgetItem(QDir::toNativeSeparators(dir), m_models);
        item->setData(kPathRole, dir);
        item->setData(Qt::UserRole, true);
        item->setFlags(item->flags() | Qt::ItemIsUserCheckable);
        item->setCheckState(Qt::Checked);
    }
    setRunning(m_runner->isRunning());
    plotLossCurves();
}

void EvalView::setDataFile(const QString& file) {
    m_dataFile = file;
    m_rows->setItemText(NamedFile, file.isEmpty() ? tr("Every row of a file…") : tr("Every row of %1").arg(QFileInfo(file).fileName()));
    m_rows->setCurrentIndex(file.isEmpty() ? HeldOut : NamedFile);
}

void EvalView::setMaxNewTokens(int tokens) { m_maxNewTokens->setValue(tokens); }

QStringList EvalView::checkedModels() const {
    QStringList out;
    for (int i = 0; i < m_models->count(); ++i)
        if (m_models->item(i)->checkState() == Qt::Checked) out << m_models->item(i)->data(kPathRole).toString();
    return out;
}

void EvalView::addModelFolder() {
    const QString dir = QFileDialog::getExistingDirectory(this, tr("An exported adapter or merged model"));
    if (!dir.isEmpty()) selectRun(dir);
}

EvalReportPtr EvalView::report() const { return m_model->report(); }
bool EvalView::isRunning() const { return m_runner->isRunning(); }

void EvalView::evaluate() {
    if (!m_hasProject || m_runner->isRunning()) return;
    const QStringList models = checkedModels();
    if (models.isEmpty()) {
        m_status->setText(tr("Check at least one tuned model to compare with the base."));
        return;
    }
    ft::EvalOptions options;
    for (const QString& m : models) options.tuned.push_back(m.toStdString());
    options.data = m_dataFile.toStdString();
    options.maxNewTokens = m_maxNewTokens->value();
    options.device = m_project.training.device;
    m_runner->start(m_project, options);
    setRunning(true);
    m_progress->setRange(0, 0);
    m_status->setText(tr("Loading…"));
    plotLossCurves();
}

void EvalView::cancel() {
    m_runner->cancel();
    m_status->setText(tr("Cancelling…"));
}

void EvalView::setRunning(bool running) {
    m_evaluate->setEnabled(!running && m_hasProject && m_models->count() > 0);
    m_cancel->setEnabled(running);
    m_models->setEnabled(!running);
    m_rows->setEnabled(!running);
    m_maxNewTokens->setEnabled(!running);
    m_progress->setVisible(running);
    if (!running) m_progress->setRange(0, 1);
}

void EvalView::onProgress(int side, int sides, const QString& stage, int done, int total) {
    const QString model = side == 0 ? tr("base model") : tr("tuned model %1 of %2").arg(side).arg(sides - 1);
    const QString what = stage == QLatin1String("loading") ? tr("loading") : stage == QLatin1String("loss") ? tr("scoring losses")
                                                                                                         : tr("generating answers");
    m_status->setText(tr("Evaluating the %1: %2…").arg(model, what));
    // Each model goes through the rows twice (losses, answers): the bar counts both passes of every model.
    const int perModel = 2 * std::max(1, total);
    m_progress->setRange(0, perModel * sides);
    m_progress->setValue(side * perModel + (stage == QLatin1String("generating") ? total : 0) + done);
}

void EvalView::showReport(EvalReportPtr report) {
    m_model->setReport(report);
    m_table->sortByColumn(-1, Qt::AscendingOrder);  // file order
    m_proxy->sort(-1);
    m_table->resizeColumnToContents(EvalTableModel::LineColumn);
    fillSummary();
    fillPlots();
    if (report) {
        QString text = tr("%n example(s) from %1, evaluated in %2 s.", nullptr, int(report->rows.size()))
                           .arg(report->heldOut ? tr("the held-out rows") : QFileInfo(QString::fromStdString(report->dataFile.string())).fileName())
                           .arg(report->seconds, 0, 'f', 1);
        if (report->skippedRows > 0) text += QLatin1Char(' ') + tr("%n bad row(s) left out; the first: %1", nullptr, report->skippedRows)
                                                             .arg(QString::fromStdString(report->rowErrors.empty() ? "" : report->rowErrors.front()));
        m_status->setText(text);
    }
}

void EvalView::fillSummary() {
    const auto r = report();
    m_summary->clear();
    if (!r) return m_summary->hide();
    QStringList headers{tr("Model"), tr("Loss"), tr("Perplexity"), tr("Exact match"), tr("Token F1"), tr("ROUGE-L"),
                        tr("ROUGE-L (Unicode words)")};
    const bool preference = !r->sides.empty() && r->sides[0].scores.rewardAccuracy.has_value();
    if (preference) headers << tr("Reward accuracy") << tr("Reward margin");
    m_summary->setColumnCount(int(headers.size()));
    m_summary->setHorizontalHeaderLabels(headers);
    m_summary->setRowCount(int(r->sides.size()));
    for (size_t s = 0; s < r->sides.size(); ++s) {
        const auto& side = r->sides[s];
        const auto& c = side.scores;
        QStringList cells{s == 0 ? tr("base") : QString::fromStdString(side.name), fixed(c.loss, 4), fixed(c.perplexity, 2),
                          fixed(c.exactMatch), fixed(c.tokenF1), fixed(c.rougeL), fixed(c.rougeLUnicode)};
        if (preference) cells << fixed(c.rewardAccuracy.value_or(NAN)) << fixed(c.rewardMargin.value_or(NAN));
        for (int col = 0; col < cells.size(); ++col) {
            auto* item = new QTableWidgetItem(cells[col]);
            if (col > 0) item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
            if (col == 0) item->setToolTip(QString::fromStdString(side.source));
            m_summary->setItem(int(s), col, item);
        }
    }
    m_summary->resizeColumnsToContents();
    m_summary->resizeRowsToContents();
    int height = m_summary->horizontalHeader()->height() + 2 * m_summary->frameWidth();
    for (int row = 0; row < m_summary->rowCount(); ++row) height += m_summary->rowHeight(row);
    m_summary->setFixedHeight(height);
    m_summary->show();
    m_summary->setToolTip(tr("ROUGE-L as rouge-score computes it keeps only a–z and 0–9, so Korean answers score 0 "
                             "there; the Unicode column counts words of any script."));
}

void EvalView::fillPlots() {
    const auto r = report();
    m_scatter->clearPlottables();
    m_bars->clearPlottables();
    m_scatter->legend->setVisible(false);
    if (!r || r->sides.size() < 2) {
        m_scatter->replot();
        m_bars->replot();
        return;
    }
    // Per-example loss: one point per row and tuned model, the diagonal y = x (below it: better than the base).
    double lo = 1e300, hi = -1e300;
    for (size_t s = 1; s < r->sides.size(); ++s) {
        auto* points = m_scatter->addGraph();
        points->setName(QString::fromStdString(r->sides[s].name));
        points->setLineStyle(QCPGraph::lsNone);
        points->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDisc, kSideColors[s % 5], 6));
        QVector<double> x, y;
        for (const auto& row : r->rows) {
            const double b = row.answers[0].loss, t = row.answers[s].loss;
            if (!std::isfinite(b) || !std::isfinite(t)) continue;
            x << b;
            y << t;
            lo = std::min({lo, b, t});
            hi = std::max({hi, b, t});
        }
        points->setData(x, y, /*alreadySorted=*/false);
    }
    if (lo <= hi) {
        auto* diagonal = m_scatter->addGraph();
        diagonal->setName(tr("no change"));
        diagonal->setPen(QPen(Qt::gray, 1, Qt::DashLine));
        diagonal->setData({lo, hi}, {lo, hi});
        const double pad = std::max(1e-3, (hi - lo) * 0.05);
        m_scatter->xAxis->setRange(lo - pad, hi + pad);
        m_scatter->yAxis->setRange(lo - pad, hi + pad);
    }
    m_scatter->legend->setVisible(r->sides.size() > 2);
    m_scatter->replot();

    // Answer metrics: a group of bars per metric, one bar per model.
    const QStringList metrics{tr("Exact match"), tr("Token F1"), tr("ROUGE-L"), tr("ROUGE-L (Unicode)")};
    const double width = 0.8 / double(r->sides.size());
    auto ticker = QSharedPointer<QCPAxisTickerText>::create();
    for (int m = 0; m < metrics.size(); ++m) ticker->addTick(m, metrics[m]);
    m_bars->xAxis->setTicker(ticker);
    m_bars->xAxis->setRange(-0.6, metrics.size() - 0.4);
    m_bars->yAxis->setRange(0, 1.05);
    m_bars->yAxis->setLabel(tr("Mean over rows"));
    m_bars->legend->setVisible(true);
    for (size_t s = 0; s < r->sides.size(); ++s) {
        const auto& c = r->sides[s].scores;
        auto* bars = new QCPBars(m_bars->xAxis, m_bars->yAxis);
        bars->setName(s == 0 ? tr("base") : QString::fromStdString(r->sides[s].name));
        bars->setPen(Qt::NoPen);
        bars->setBrush(kSideColors[s % 5]);
        bars->setWidth(width * 0.9);
        const double offset = (double(s) - double(r->sides.size() - 1) / 2) * width;
        bars->setData({0 + offset, 1 + offset, 2 + offset, 3 + offset}, {c.exactMatch, c.tokenF1, c.rougeL, c.rougeLUnicode});
    }
    m_bars->replot();
}

void EvalView::plotLossCurves() {
    m_curves->clearGraphs();
    int i = 1;
    double top = 0;
    int last = 0;
    for (const QString& dir : checkedModels()) {
        const auto records = ft::readMetricsLog(ft::runMetricsFile(dir.toStdString()));
        if (records.empty()) continue;
        const QColor color = kSideColors[i++ % 5];
        auto* train = m_curves->addGraph();
        train->setName(QFileInfo(dir).fileName());
        train->setPen(QPen(color, 1.4));
        auto* eval = m_curves->addGraph();
        eval->setName(tr("%1 (validation)").arg(QFileInfo(dir).fileName()));
        eval->setPen(QPen(color, 1.4, Qt::DashLine));
        eval->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle, 5));
        for (const auto& rec : records) {
            (rec.eval ? eval : train)->addData(rec.step, rec.loss);
            top = std::max(top, rec.loss);
            last = std::max(last, rec.step);
        }
    }
    if (last > 0) {
        m_curves->xAxis->setRange(0, last);
        m_curves->yAxis->setRange(0, top * 1.05);
    }
    m_curves->replot();
}

void EvalView::sortByChange(bool regressionsFirst) {
    const int column = m_model->deltaColumn(1);
    if (column < 0) return;
    m_table->sortByColumn(column, regressionsFirst ? Qt::DescendingOrder : Qt::AscendingOrder);
    m_table->scrollToTop();
    m_table->setCurrentIndex(m_proxy->index(0, column));
}

namespace {
// Runs `write`, turning a core error into `error`'s plain words.
template <typename F>
bool reportingErrors(QString* error, F write) {
    try {
        write();
        return true;
    } catch (const ft::Error& e) {
        if (error) *error = errorText(e);
        return false;
    }
}
} // namespace

bool EvalView::openResults(const QString& jsonlFile, QString* error) {
    return reportingErrors(error, [&] {
        showReport(std::make_shared<const ft::EvalReport>(ft::readEvalJsonl(jsonlFile.toStdString())));
    });
}

bool EvalView::saveHtml(const QString& file, QString* error) const {
    const auto r = report();
    return r && reportingErrors(error, [&] { ft::writeEvalHtml(file.toStdString(), *r); });
}

bool EvalView::saveJsonl(const QString& file, QString* error) const {
    const auto r = report();
    return r && reportingErrors(error, [&] { ft::writeEvalJsonl(file.toStdString(), *r); });
}
