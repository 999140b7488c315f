#include "wizard/DatasetPage.h"

#include "ErrorText.h"

#include "core/train/project_method.h"

#include <QComboBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QFutureWatcher>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

namespace {

// The fields each record format reads; each may come from a differently named column.
QStringList fieldsOf(const QString& format) {
    if (format == QLatin1String("messages")) return {QStringLiteral("messages")};
    if (format == QLatin1String("sharegpt")) return {QStringLiteral("conversations")};
    if (format == QLatin1String("alpaca"))
        return {QStringLiteral("instruction"), QStringLiteral("input"), QStringLiteral("output"), QStringLiteral("system")};
    if (format == QLatin1String("prompt_response"))
        return {QStringLiteral("prompt"), QStringLiteral("response"), QStringLiteral("completion")};
    if (format == QLatin1String("text")) return {QStringLiteral("text")};
    return {};
}

struct Loaded {
    DatasetPtr data;
    QString error;
};

} // namespace

DatasetPage::DatasetPage(QWidget* parent)
    : WizardPage(parent), m_path(new QLineEdit(this)), m_format(new QComboBox(this)), m_columns(new QTableWidget(0, 2, this)),
      m_summary(new QLabel(this)), m_report(new QTableWidget(0, 2, this)) {
    setTitle(tr("Choose the training data"));
    setSubTitle(tr("JSONL, JSON, CSV/TSV or plain text. Bad rows are left out and listed below; nothing stops at the "
                   "first one."));
    m_format->addItem(tr("Detect automatically"), QString());
    for (auto f : {ft::DatasetFormat::Messages, ft::DatasetFormat::ShareGpt, ft::DatasetFormat::Alpaca,
                   ft::DatasetFormat::PromptResponse, ft::DatasetFormat::Text, ft::DatasetFormat::PlainText})
        m_format->addItem(QString::fromLatin1(ft::datasetFormatName(f)), QString::fromLatin1(ft::datasetFormatName(f)));
    m_columns->setHorizontalHeaderLabels({tr("Field"), tr("Column in the file")});
    m_columns->horizontalHeader()->setStretchLastSection(true);
    m_columns->verticalHeader()->hide();
    m_columns->setMaximumHeight(140);
    m_report->setHorizontalHeaderLabels({tr("Where"), tr("Why it was left out")});
    m_report->horizontalHeader()->setStretchLastSection(true);
    m_report->verticalHeader()->hide();
    m_report->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_summary->setWordWrap(true);
    m_path->setObjectName(QStringLiteral("datasetPath"));

    auto* browse = new QPushButton(tr("&Browse…"), this);
    auto* apply = new QPushButton(tr("&Reload"), this);
    auto* row = new QHBoxLayout();
    row->addWidget(m_path, 1);
    row->addWidget(browse);
    auto* form = new QFormLayout();
    form->addRow(tr("File:"), row);
    auto* formatRow = new QHBoxLayout();
    formatRow->addWidget(m_format, 1);
    formatRow->addWidget(apply);
    form->addRow(tr("Record format:"), formatRow);
    form->addRow(tr("Column mapping:"), m_columns);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_summary);
    layout->addWidget(m_report, 1);

    connect(browse, &QPushButton::clicked, this, [this] {
        const QString f = QFileDialog::getOpenFileName(this, tr("Training data"), m_path->text(),
                                                       tr("Datasets (*.jsonl *.json *.csv *.tsv *.txt);;All files (*)"));
        if (!f.isEmpty()) openFile(f);
    });
    // Leaving the field (a click on Next) must not read the same file again: that emptied the page under the click,
    // so Next did nothing.
    connect(m_path, &QLineEdit::editingFinished, this, [this] {
        if (m_path->text() != m_requested) reload();
    });
    connect(apply, &QPushButton::clicked, this, &DatasetPage::reload);
    connect(m_format, &QComboBox::currentIndexChanged, this, [this] {
        fillColumns(m_format->currentData().toString());
        reload();
    });
}

void DatasetPage::initializePage() {
    const ft::Project& p = studio()->project();
    {
        const QSignalBlocker block(m_format);
        m_format->setCurrentIndex(std::max(0, m_format->findData(QString::fromStdString(p.datasetFormat))));
    }
    fillColumns(QString::fromStdString(p.datasetFormat));
    for (int r = 0; r < m_columns->rowCount(); ++r) {
        const auto it = p.datasetColumns.find(m_columns->item(r, 0)->text().toStdString());
        if (it != p.datasetColumns.end()) m_columns->item(r, 1)->setText(QString::fromStdString(it->second));
    }
    openFile(studio()->resolvedPath(p.dataset));
}

void DatasetPage::fillColumns(const QString& format) {
    const auto previous = columns();
    m_columns->setRowCount(0);
    for (const QString& field : fieldsOf(format)) {
        const int r = m_columns->rowCount();
        m_columns->insertRow(r);
        auto* name = new QTableWidgetItem(field);
        name->setFlags(name->flags() & ~Qt::ItemIsEditable);
        const auto it = previous.find(field.toStdString());
        m_columns->setItem(r, 0, name);
        m_columns->setItem(r, 1, new QTableWidgetItem(it != previous.end() ? QString::fromStdString(it->second) : field));
    }
}

std::map<std::string, std::string> DatasetPage::columns() const {
    std::map<std::string, std::string> out;
    for (int r = 0; r < m_columns->rowCount(); ++r) {
        const QString field = m_columns->item(r, 0)->text(), column = m_columns->item(r, 1)->text().trimmed();
        if (!column.isEmpty() && column != field) out[field.toStdString()] = column.toStdString();
    }
    return out;
}

void DatasetPage::openFile(const QString& file) {
    m_path->setText(file);
    reload();
}

void DatasetPage::reload() {
    const QString file = m_path->text();
    m_requested = file;
    m_dataset.reset();
    m_report->setRowCount(0);
    if (file.isEmpty()) {
        m_summary->setText(tr("Choose a file."));
        emit completeChanged();
        return;
    }
    m_summary->setText(tr("Reading %1 …").arg(file));
    ft::DatasetOptions options;
    options.format = ft::datasetFormatFromName(m_format->currentData().toString().toStdString());
    options.columns = columns();
    const auto kind = ft::datasetKindOf(studio() ? studio()->project().kind : ft::FinetuneKind::Instruct);
    ++m_loading;
    const int request = ++m_request;
    emit completeChanged();
    auto* watcher = new QFutureWatcher<Loaded>(this);
    connect(watcher, &QFutureWatcher<Loaded>::finished, this, [this, watcher, request] {
        watcher->deleteLater();
        --m_loading;
        if (request != m_request) return;
        const Loaded r = watcher->result();
        show(r.data, r.error);
        emit loaded(m_dataset != nullptr);
    });
    watcher->setFuture(QtConcurrent::run([file, kind, options] {
        Loaded r;
        try {
            r.data = std::make_shared<const ft::Dataset>(ft::loadDataset(file.toStdString(), kind, options));
        } catch (const ft::Error& e) {
            r.error = errorText(e);
        }
        return r;
    }));
}

void DatasetPage::show(const DatasetPtr& data, const QString& error) {
    if (!data) {
        m_summary->setText(error);
        emit completeChanged();
        return;
    }
    m_dataset = data;
    const QString format = QString::fromLatin1(ft::datasetFormatName(data->format));
    if (m_format->currentIndex() == 0) fillColumns(format);  // show which fields the detected format reads
    m_summary->setText(tr("Format: %1%2 — %n usable example(s), %3 row(s) left out.", "", int(data->examples.size()))
                           .arg(format, m_format->currentIndex() == 0 ? tr(" (detected)") : QString())
                           .arg(data->errors.size()));
    m_report->setRowCount(int(data->errors.size()));
    for (int i = 0; i < int(data->errors.size()); ++i) {
        const auto& e = data->errors[size_t(i)];
        m_report->setItem(i, 0, new QTableWidgetItem(tr("line %1").arg(e.line)));
        m_report->setItem(i, 1, new QTableWidgetItem(QString::fromStdString(e.reason)));
    }
    emit completeChanged();
}

int DatasetPage::badRowCount() const { return m_dataset ? int(m_dataset->errors.size()) : 0; }

bool DatasetPage::isComplete() const { return m_dataset && !m_dataset->examples.empty() && m_loading == 0; }

bool DatasetPage::store() {
    if (!m_dataset) return false;
    ft::Project& p = studio()->project();
    p.dataset = studio()->projectPath(m_path->text());
    p.datasetFormat = m_format->currentData().toString().toStdString();
    p.datasetColumns = columns();
    studio()->setDataset(m_dataset);
    return true;
}
