#include "wizard/ModelPage.h"

#include "wizard/FineTuneWizard.h"
#include "HubDownloadDialog.h"

#include <QFileDialog>
#include <QFormLayout>
#include <QFutureWatcher>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPushButton>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

ModelPage::ModelPage(QWidget* parent)
    : WizardPage(parent), m_path(new QLineEdit(this)), m_status(new QLabel(this)), m_facts(new QFormLayout()),
      m_architecture(new QLabel(this)), m_parameters(new QLabel(this)), m_dtype(new QLabel(this)),
      m_template(new QLabel(this)), m_footprint(new QLabel(this)) {
    setTitle(tr("Choose the model"));
    setSubTitle(tr("A Hugging Face model folder: config.json, safetensors weights and the tokenizer files."));
    m_path->setPlaceholderText(tr("Model folder"));
    m_path->setObjectName(QStringLiteral("modelPath"));
    auto* browse = new QPushButton(tr("&Browse…"), this);
    auto* row = new QHBoxLayout();
    row->addWidget(m_path, 1);
    row->addWidget(browse);
    auto* download = new QPushButton(tr("Do&wnload…"), this);
    download->setObjectName(QStringLiteral("hubDownload"));
    download->setToolTip(tr("Download a model from the Hugging Face Hub by its name"));
    row->addWidget(download);
    m_status->setWordWrap(true);
    m_template->setWordWrap(true);
    m_facts->addRow(tr("Architecture:"), m_architecture);
    m_facts->addRow(tr("Parameters:"), m_parameters);
    m_facts->addRow(tr("Stored as:"), m_dtype);
    m_facts->addRow(tr("Chat template:"), m_template);
    m_facts->addRow(tr("Weights in memory:"), m_footprint);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(row);
    layout->addWidget(m_status);
    auto* facts = new QWidget(this);
    facts->setObjectName(QStringLiteral("modelFacts"));
    m_facts->setContentsMargins(0, 0, 0, 0);
    facts->setLayout(m_facts);
    layout->addWidget(facts);
    layout->addStretch(1);

    connect(browse, &QPushButton::clicked, this, [this] {
        const QString dir = QFileDialog::getExistingDirectory(this, tr("Model folder"), m_path->text());
        if (!dir.isEmpty()) openFolder(dir);
    });
    connect(download, &QPushButton::clicked, this, [this] {
        auto* dialog = new HubDownloadDialog(this);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        connect(dialog, &HubDownloadDialog::downloaded, this, &ModelPage::openFolder);
        dialog->open();
    });
    connect(m_path, &QLineEdit::editingFinished, this, [this] {
        if (!m_model || m_model->dir != m_path->text()) openFolder(m_path->text());
    });
}

void ModelPage::initializePage() {
    const QString dir = studio()->resolvedPath(studio()->project().model);
    if (studio()->model() && studio()->model()->dir == dir) return show(studio()->model());
    if (!dir.isEmpty()) openFolder(dir);
}

void ModelPage::openFolder(const QString& dir) {
    m_path->setText(dir);
    m_model.reset();
    m_status->setText(tr("Opening %1 …").arg(dir));
    ++m_loading;
    const int request = ++m_request;
    emit completeChanged();
    auto* watcher = new QFutureWatcher<LoadedModelPtr>(this);
    connect(watcher, &QFutureWatcher<LoadedModelPtr>::finished, this, [this, watcher, request] {
        watcher->deleteLater();
        --m_loading;
        if (request != m_request) return;  // another folder was chosen meanwhile
        show(watcher->result());
        emit loaded(m_model != nullptr);
    });
    watcher->setFuture(QtConcurrent::run([dir] { return loadModel(dir); }));
}

void ModelPage::show(const LoadedModelPtr& model) {
    const QLocale locale;
    if (!model->ok()) {
        m_model.reset();
        m_status->setText(model->error);
        for (QLabel* l : {m_architecture, m_parameters, m_dtype, m_template, m_footprint}) l->clear();
        emit completeChanged();
        return;
    }
    m_model = model;
    m_path->setText(model->dir);
    const auto& c = model->folder.config;
    const auto& f = model->footprint;
    m_status->clear();
    m_architecture->setText(tr("%1 (%2): %3 layers, hidden size %4, %5 attention heads (%6 key/value), vocabulary %7")
                                .arg(QString::fromStdString(c.architecture), QString::fromStdString(c.modelType))
                                .arg(c.numLayers)
                                .arg(c.hiddenSize)
                                .arg(c.numHeads)
                                .arg(c.numKvHeads)
                                .arg(c.vocabSize));
    m_parameters->setText(locale.toString(qlonglong(f.parameters)));
    m_dtype->setText(QString::fromStdString(f.dtype));
    if (!model->templateError.isEmpty())
        m_template->setText(tr("found, but it does not compile: %1").arg(model->templateError));
    else
        m_template->setText(model->chatTemplate.isEmpty()
                                ? tr("none — Instruct FT needs one: pick a preset on the formatting page")
                                : tr("found (%n character(s))", "", int(model->chatTemplate.size())));
    m_footprint->setText(tr("fp32 %1 · bf16 %2 · int8 %3 · nf4 %4")
                             .arg(locale.formattedDataSize(f.fp32), locale.formattedDataSize(f.bf16),
                                  locale.formattedDataSize(f.int8), locale.formattedDataSize(f.nf4)));
    emit completeChanged();
}

bool ModelPage::isComplete() const { return m_model && m_model->ok() && m_loading == 0; }

bool ModelPage::store() {
    if (!m_model) return false;
    studio()->project().model = studio()->projectPath(m_model->dir);
    studio()->setModel(m_model);
    return true;
}
