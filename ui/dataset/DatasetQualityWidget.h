#pragma once
// The quality report as a list of findings; choosing a finding or one of its rows emits rowActivated so the editor
// can select that row.

#include "dataset/DatasetQualityReport.h"

#include <QWidget>

class QLabel;
class QPushButton;
class QSpinBox;
class QTreeWidget;
class QTreeWidgetItem;

class DatasetQualityWidget : public QWidget {
    Q_OBJECT
public:
    static constexpr int kMaxFindingsShown = 1000, kMaxRowsShown = 200;

    explicit DatasetQualityWidget(QWidget* parent = nullptr);

    void setReport(const DatasetQualityReport& report);
    const DatasetQualityReport& report() const { return m_report; }
    void setBusy(bool busy);
    void setOutdated(bool outdated);  // the dataset changed since the report was made
    void setUnavailable(const QString& why);  // no report for this dataset: says why, Analyze disabled
    int maxTokens() const;
    void setMaxTokens(int tokens);
    QTreeWidget* tree() const { return m_tree; }

signals:
    void rowActivated(int row);
    void analyzeRequested();

private:
    void activate(QTreeWidgetItem* item);

    DatasetQualityReport m_report;
    QSpinBox* m_maxTokens;
    QPushButton* m_analyze;
    QLabel* m_summary;
    QTreeWidget* m_tree;
    bool m_outdated = false;
    bool m_unavailable = false;
};
