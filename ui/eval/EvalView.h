#pragma once
// The Evaluation tab (and the wizard's Evaluate page): which models to compare (the project's runs, or exported
// folders), on which rows (the held-out split or a file), then, as it runs on a worker, progress and cancel; the
// summary per model, plots (per-example loss base against tuned, answer metrics, the runs' loss curves overlaid),
// and every row in a sortable, filterable table whose rows lead back to the dataset. Saves the report as HTML and
// the rows as JSONL, and opens saved rows again.

#include "EvalRunner.h"

#include "core/project/project.h"
#include "core/train/run_folder.h"

#include <QWidget>

class EvalTableModel;
class QCustomPlot;
class QLabel;
class QLineEdit;
class QListWidget;
class QProgressBar;
class QPushButton;
class QSortFilterProxyModel;
class QSpinBox;
class QTableView;
class QTableWidget;
class QComboBox;

class EvalView : public QWidget {
    Q_OBJECT
public:
    explicit EvalView(QWidget* parent = nullptr);
    ~EvalView() override;

    // The project and its runs (as the project document lists them, newest last): those with a checkpoint are
    // offered, the newest checked; clears nothing already shown.
    void setProject(const ft::Project& project, const std::vector<ft::RunInfo>& runs);
    // Checks exactly this run (or folder) among the models to compare, adding it to the list when missing.
    void selectRun(const QString& dir);
    void setDataFile(const QString& file);  // empty: the held-out rows
    void setMaxNewTokens(int tokens);
    void showReport(EvalReportPtr report);
    bool openResults(const QString& jsonlFile, QString* error = nullptr);
    bool saveHtml(const QString& file, QString* error = nullptr) const;
    bool saveJsonl(const QString& file, QString* error = nullptr) const;

    EvalReportPtr report() const;
    bool isRunning() const;
    QListWidget* modelList() const { return m_models; }
    QPushButton* evaluateButton() const { return m_evaluate; }
    QPushButton* cancelButton() const { return m_cancel; }
    QTableView* table() const { return m_table; }
    QSortFilterProxyModel* proxy() const { return m_proxy; }
    EvalTableModel* model() const { return m_model; }
    QTableWidget* summary() const { return m_summary; }
    QLineEdit* filter() const { return m_filter; }
    QLabel* status() const { return m_status; }
    QCustomPlot* lossScatter() const { return m_scatter; }
    QCustomPlot* metricBars() const { return m_bars; }
    QCustomPlot* lossCurves() const { return m_curves; }

public slots:
    void evaluate();
    void cancel();
    void sortByChange(bool regressionsFirst);

signals:
    // A row of the table was activated (double-click, Enter): its dataset file and line.
    void openDatasetRow(const QString& file, int line);
    void evaluated(bool ok);

private:
    void buildLayout();
    void fillSummary();
    void fillPlots();
    void plotLossCurves();
    void setRunning(bool running);
    void onProgress(int side, int sides, const QString& stage, int done, int total);
    QStringList checkedModels() const;
    void addModelFolder();

    ft::Project m_project;
    bool m_hasProject = false;
    QString m_dataFile;
    EvalRunner* m_runner;
    EvalTableModel* m_model;
    QSortFilterProxyModel* m_proxy;
    QListWidget* m_models = nullptr;
    QComboBox* m_rows = nullptr;
    QSpinBox* m_maxNewTokens = nullptr;
    QPushButton* m_evaluate = nullptr;
    QPushButton* m_cancel = nullptr;
    QProgressBar* m_progress = nullptr;
    QLabel* m_status = nullptr;
    QTableWidget* m_summary = nullptr;
    QCustomPlot* m_scatter = nullptr;
    QCustomPlot* m_bars = nullptr;
    QCustomPlot* m_curves = nullptr;
    QLineEdit* m_filter = nullptr;
    QTableView* m_table = nullptr;
};
