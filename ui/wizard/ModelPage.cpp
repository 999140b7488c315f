#include "wizard/ModelPage.h"

#include "core/model/gguf_import.h"

#include "AppSettings.h"
#include "EnterKey.h"
#include "wizard/FineTuneWizard.h"
#include "wizard/ModelListModel.h"
#include "HubDownloadDialog.h"

#include <QFileDialog>
#include <QFormLayout>
#include <QFutureWatcher>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QStyledItemDelegate>
#include <QTableView>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

#include <utility>

using ModelList = std::vector<ft::DiscoveredModel>;

namespace {

// Long names keep both ends ("lmstudio-community/…-Q4_K_M"); the reason keeps its start.
class ElideDelegate : public QStyledItemDelegate {
public:
    using QStyledItemDelegate::QStyledItemDelegate;

protected:
    void initStyleOption(QStyleOptionViewItem* option, const QModelIndex& index) const override {
        QStyledItemDelegate::initStyleOption(option, index);
        option->textElideMode = index.column() == ModelListModel::Name ? Qt::ElideMiddle : Qt::ElideRight;
    }
};

} // namespace

ModelPage::ModelPage(QWidget* parent)
    : WizardPage(parent), m_search(new QLineEdit(this)), m_found(new QLabel(this)), m_list(new ModelListModel(this)),
      m_filter(new QSortFilterProxyModel(this)), m_table(new QTableView(this)), m_path(new QLineEdit(this)),
      m_status(new QLabel(this)), m_facts(new QFormLayout()), m_architecture(new QLabel(this)),
      m_parameters(new QLabel(this)), m_dtype(new QLabel(this)), m_template(new QLabel(this)),
      m_footprint(new QLabel(this)) {
    setTitle(tr("Choose the model"));
    setSubTitle(tr("A model found on this computer, or a Hugging Face model folder: config.json, safetensors "
                   "weights and the tokenizer files."));

    // The models on this machine: search, list, and a folder of one's own to look in.
    m_search->setObjectName(QStringLiteral("modelSearch"));
    m_search->setPlaceholderText(tr("Search by name, source or architecture"));
    m_search->setClearButtonEnabled(true);
    m_found->setObjectName(QStringLiteral("modelsFound"));
    auto* addFolder = new QPushButton(tr("Add &folder…"), this);
    addFolder->setObjectName(QStringLiteral("addModelFolder"));
    addFolder->setToolTip(tr("Also look for models in a folder of your own"));
    auto* searchRow = new QHBoxLayout();
    searchRow->addWidget(m_search, 1);
    searchRow->addWidget(m_found);
    searchRow->addWidget(addFolder);
    m_filter->setSourceModel(m_list);
    m_filter->setFilterRole(ModelListModel::SearchRole);
    m_filter->setFilterCaseSensitivity(Qt::CaseInsensitive);
    m_table->setObjectName(QStringLiteral("modelList"));
    m_table->setModel(m_filter);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setWordWrap(false);
    m_table->setItemDelegate(new ElideDelegate(m_table));
    m_table->verticalHeader()->hide();
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 8);
    // The short columns fit their contents; the name and the reason share the rest.
    auto* header = m_table->horizontalHeader();
    header->setSectionResizeMode(QHeaderView::ResizeToContents);
    header->setSectionResizeMode(ModelListModel::Name, QHeaderView::Stretch);
    header->setSectionResizeMode(ModelListModel::Trainable, QHeaderView::Stretch);
    m_table->setMinimumHeight(8 * m_table->verticalHeader()->defaultSectionSize());
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
    m_dtype->setWordWrap(true);
    m_facts->addRow(tr("Architecture:"), m_architecture);
    m_facts->addRow(tr("Parameters:"), m_parameters);
    m_facts->addRow(tr("Stored as:"), m_dtype);
    m_facts->addRow(tr("Chat template:"), m_template);
    m_facts->addRow(tr("Weights in memory:"), m_footprint);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(searchRow);
    layout->addWidget(m_table, 1);
    layout->addLayout(row);
    layout->addWidget(m_status);
    auto* facts = new QWidget(this);
    facts->setObjectName(QStringLiteral("modelFacts"));
    m_facts->setContentsMargins(0, 0, 0, 0);
    facts->setLayout(m_facts);
    layout->addWidget(facts);

    connect(browse, &QPushButton::clicked, this, [this] {
        const QString dir = QFileDialog::getExistingDirectory(this, tr("Model folder"), m_path->text());
        if (!dir.isEmpty()) openFolder(dir);
    });
    connect(download, &QPushButton::clicked, this, [this] {
        auto* dialog = new HubDownloadDialog(this);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        connect(dialog, &HubDownloadDialog::downloaded, this, [this](const QString& snapshot) {
            openFolder(snapshot);
            rescan();  // the new model joins the list of the models on this computer
        });
        dialog->open();
    });
    connect(m_path, &QLineEdit::editingFinished, this, [this] {
        if (!m_model || m_model->dir != m_path->text()) openFolder(m_path->text());
    });

    connect(m_search, &QLineEdit::textChanged, this, [this](const QString& text) {
        m_filter->setFilterFixedString(text);
        if (!isScanning()) showCount();
    });
    connect(addFolder, &QPushButton::clicked, this, [this] {
        const QString dir = QFileDialog::getExistingDirectory(this, tr("A folder with models"),
                                                              AppSettings::folder(AppSettings::Folder::Models));
        if (!dir.isEmpty()) addModelFolder(dir);
    });
    // Double-click or Enter opens the row; Enter never travels on to the wizard's Next.
    connect(m_table, &QTableView::doubleClicked, this, &ModelPage::openRow);
    handleEnterKey(m_table, [this] { openRow(m_table->currentIndex()); });
    // Enter in the search field opens the one row left, or goes down to the list.
    handleEnterKey(m_search, [this] {
        if (m_filter->rowCount() == 1) return openRow(m_filter->index(0, 0));
        m_table->setFocus();
    });
    connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this, &ModelPage::completeChanged);
}

void ModelPage::initializePage() {
    rescan();
    const QString dir = studio()->resolvedPath(studio()->project().model);
    if (studio()->model() && studio()->model()->dir == dir) return show(studio()->model());
    if (!dir.isEmpty()) openFolder(dir);
}

void ModelPage::rescan() {
    ++m_scanning;
    const int request = ++m_scanRequest;
    m_found->setText(tr("Looking for models…"));
    std::vector<std::filesystem::path> folders;
    for (const QString& dir : AppSettings::modelFolders()) folders.emplace_back(dir.toStdString());
    const ft::DiscoverySources sources = ft::defaultDiscoverySources(folders);
    auto* watcher = new QFutureWatcher<ModelList>(this);
    connect(watcher, &QFutureWatcher<ModelList>::finished, this, [this, watcher, request] {
        watcher->deleteLater();
        --m_scanning;
        if (request != m_scanRequest) return;  // a newer scan is on its way
        const ModelList models = watcher->result();
        const int count = int(models.size());
        m_list->setModels(models);
        showCount();
        emit scanned(count);
    });
    watcher->setFuture(QtConcurrent::run([sources] {
        try {
            return ft::discoverModels(sources);
        } catch (const std::exception&) {  // discovery words its own failures; this is the last guard
            return ModelList();
        }
    }));
}

void ModelPage::addModelFolder(const QString& dir) {
    AppSettings::addModelFolder(dir);
    rescan();
}

void ModelPage::openRow(const QModelIndex& proxyIndex) {
    if (!proxyIndex.isValid()) return;
    const ft::DiscoveredModel& m = m_list->modelAt(m_filter->mapToSource(proxyIndex).row());
    if (!m.trainable) {  // nothing opens; say why where the page reports
        m_status->setText(tr("%1 cannot be trained here: %2")
                              .arg(QString::fromStdString(m.name), ModelListModel::reasonText(m)));
        return;
    }
    openFolder(QString::fromStdString(m.path));
}

void ModelPage::showCount() {
    const int all = m_list->rowCount();
    const int shown = m_filter->rowCount();
    m_found->setText(shown == all ? tr("%n model(s) on this computer", "", all)
                                  : tr("%1 of %n model(s) on this computer", "", all).arg(shown));
}

QString ModelPage::selectedTrainablePath() const {
    const QModelIndexList rows = m_table->selectionModel()->selectedRows();
    if (rows.isEmpty() || !rows.first().data(ModelListModel::TrainableRole).toBool()) return {};
    return rows.first().data(ModelListModel::PathRole).toString();
}

void ModelPage::openFolder(const QString& dir) {
    if (selectedTrainablePath() != dir) m_table->clearSelection();  // picked by path or Browse, not from the list
    m_requested = dir;
    m_path->setText(dir);
    m_model.reset();
    const std::filesystem::path path = dir.toStdString();
    if (ft::isGgufPath(path) && !ft::ggufImported(path))
        m_status->setText(tr("Importing %1 as a model to fine-tune: its weights are dequantized once (a few seconds "
                             "per 100 M parameters), then reused …")
                              .arg(dir));
    else
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
        if (std::exchange(m_nextWhenLoaded, false) && m_model && wizard() && wizard()->currentPage() == this)
            wizard()->next();
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
    if (!model->folder.ggufStoredAs.empty())
        m_dtype->setText(tr("%1 in the GGUF file (%2 bits per weight), dequantized to %3 for training: the model "
                            "starts from the quantized weights, so its answers are as good as that file's, not the "
                            "original model's")
                             .arg(QString::fromStdString(model->folder.ggufStoredAs))
                             .arg(model->folder.ggufBitsPerWeight, 0, 'f', 1)
                             .arg(QString::fromStdString(f.dtype)));
    else
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

bool ModelPage::isComplete() const {
    if (m_loading > 0) return false;
    const QString selected = selectedTrainablePath();
    return (m_model && m_model->ok()) || (!selected.isEmpty() && selected != m_requested);
}

bool ModelPage::store() {
    // A model selected in the list but not opened yet: open it, and go on once it is loaded.
    if (const QString selected = selectedTrainablePath(); !selected.isEmpty() && selected != m_requested) {
        m_nextWhenLoaded = true;
        openFolder(selected);
        return false;
    }
    if (!m_model) return false;
    studio()->project().model = studio()->projectPath(m_model->dir);
    studio()->setModel(m_model);
    return true;
}
