#include "dataset/DatasetQualityWidget.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QSpinBox>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace {
constexpr int kRowRole = Qt::UserRole + 1;
}

DatasetQualityWidget::DatasetQualityWidget(QWidget* parent)
    : QWidget(parent), m_maxTokens(new QSpinBox(this)), m_analyze(new QPushButton(tr("Analyze"), this)),
      m_summary(new QLabel(this)), m_tree(new QTreeWidget(this)) {
    m_maxTokens->setRange(16, 1 << 20);
    m_maxTokens->setValue(2048);
    m_maxTokens->setToolTip(tr("Rows longer than this many tokens are reported as truncated."));
    m_summary->setWordWrap(true);
    m_tree->setHeaderLabels({tr("Finding"), tr("Rows")});
    m_tree->header()->setSectionResizeMode(0, QHeaderView::Stretch);
    m_tree->setUniformRowHeights(true);

    auto* top = new QHBoxLayout;
    top->addWidget(new QLabel(tr("Max length (tokens):"), this));
    top->addWidget(m_maxTokens);
    top->addStretch();
    top->addWidget(m_analyze);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(top);
    layout->addWidget(m_summary);
    layout->addWidget(m_tree);

    connect(m_analyze, &QPushButton::clicked, this, &DatasetQualityWidget::analyzeRequested);
    connect(m_tree, &QTreeWidget::itemActivated, this, [this](QTreeWidgetItem* item) { activate(item); });
    connect(m_tree, &QTreeWidget::itemClicked, this, [this](QTreeWidgetItem* item) { activate(item); });
}

int DatasetQualityWidget::maxTokens() const { return m_maxTokens->value(); }
void DatasetQualityWidget::setMaxTokens(int tokens) { m_maxTokens->setValue(tokens); }

void DatasetQualityWidget::setBusy(bool busy) {
    m_analyze->setEnabled(!busy);
    if (busy) m_summary->setText(tr("Analyzing…"));
}

void DatasetQualityWidget::setUnavailable(const QString& why) {
    m_unavailable = true;
    m_report = {};
    m_tree->clear();
    m_analyze->setEnabled(false);
    m_summary->setText(why);
}

void DatasetQualityWidget::setOutdated(bool outdated) {
    if (outdated == m_outdated || m_unavailable) return;
    m_outdated = outdated;
    setReport(m_report);
}

void DatasetQualityWidget::setReport(const DatasetQualityReport& report) {
    m_unavailable = false;
    m_report = report;
    m_analyze->setEnabled(true);
    m_tree->clear();
    const auto& findings = report.findings();
    QString summary = findings.isEmpty() ? tr("No problems found in %n row(s).", nullptr, report.rowCount())
                                         : tr("%n finding(s).", nullptr, int(findings.size()));
    if (report.tokensEstimated())
        summary += u' ' + tr("Token counts are estimates (4 characters a token); open a model for exact counts.");
    if (m_outdated) summary += u' ' + tr("The dataset changed since; analyze again.");
    m_summary->setText(summary);

    QList<QTreeWidgetItem*> items;
    for (qsizetype f = 0; f < findings.size() && f < kMaxFindingsShown; ++f) {
        const auto& finding = findings[f];
        auto* item = new QTreeWidgetItem({DatasetQualityReport::kindName(finding.kind) + QStringLiteral(": ") + finding.detail,
                                          QString::number(finding.rows.size())});
        item->setData(0, kRowRole, finding.rows.value(0, -1));
        item->setToolTip(0, finding.detail);
        for (qsizetype r = 0; r < finding.rows.size() && r < kMaxRowsShown; ++r) {
            auto* child = new QTreeWidgetItem(item, {tr("Row %1").arg(finding.rows[r] + 1)});
            child->setData(0, kRowRole, finding.rows[r]);
        }
        if (finding.rows.size() > kMaxRowsShown)
            new QTreeWidgetItem(item, {tr("…and %n more", nullptr, int(finding.rows.size() - kMaxRowsShown))});
        items.append(item);
    }
    if (findings.size() > kMaxFindingsShown)
        items.append(new QTreeWidgetItem({tr("…and %n more finding(s)", nullptr, int(findings.size() - kMaxFindingsShown))}));
    m_tree->addTopLevelItems(items);
}

void DatasetQualityWidget::activate(QTreeWidgetItem* item) {
    const QVariant row = item ? item->data(0, kRowRole) : QVariant();
    if (row.isValid() && row.toInt() >= 0) emit rowActivated(row.toInt());
}
