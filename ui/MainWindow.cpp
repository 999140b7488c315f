#include "MainWindow.h"

#include "AppSettings.h"
#include "DroppedPaths.h"
#include "ErrorText.h"
#include "LossPlot.h"
#include "ModelFolderProblem.h"
#include "ProjectDocument.h"
#include "QuantizationInspector.h"
#include "RecentFilesMenu.h"
#include "SettingsDialog.h"
#include "TrainingController.h"
#include "TrainingView.h"
#include "EvalView.h"
#include "wizard/EvaluatePage.h"
#include "UserGuide.h"
#include "dataset/DatasetEditor.h"
#include "inspectors/ChatTemplatePreview.h"
#include "inspectors/TokenInspector.h"
#include "wizard/FineTuneWizard.h"
#include "wizard/MethodChoices.h"
#include "wizard/WizardTour.h"

#include "core/common/error.h"
#include "core/data/dataset.h"
#include "core/data/dataset_stream.h"
#include "core/demo/demo.h"
#include "core/model/model_folder.h"
#include "core/text/tokenizer.h"
#include "core/train/project_method.h"
#include "core/train/run_folder.h"
#include "core/train/token_cache.h"
#include "core/train/training_data.h"

#include <QActionGroup>
#include <QApplication>
#include <QCloseEvent>
#include <QCoreApplication>
#include <QDesktopServices>
#include <QDir>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QFutureWatcher>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QPointer>
#include <QProgressDialog>
#include <QPushButton>
#include <QSettings>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTabWidget>
#include <QThread>
#include <QToolBar>
#include <QUndoGroup>
#include <QUndoStack>
#include <QUrl>
#include <QtConcurrent/QtConcurrentRun>

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent), m_document(new ProjectDocument(this)), m_controller(new TrainingController(this)),
      m_exporter(new ModelExporter(this)), m_undoGroup(new QUndoGroup(this)) {
    setWindowTitle(tr("Finetune Studio"));
    setAcceptDrops(true);
    buildTools();
    buildFileMenu();
    buildEditMenu();
    buildTrainMenu();
    buildExportMenu();
    buildViewMenu();
    buildHelpMenu();

    // One project, one controller: a run started here or in the wizard is drawn here, and its folder is one of the
    // document's runs.
    connect(m_document, &ProjectDocument::opened, this, &MainWindow::onProjectOpened);
    connect(m_document, &ProjectDocument::saved, this, [this](const QString& file) {
        statusBar()->showMessage(tr("Saved %1").arg(QDir::toNativeSeparators(file)));
        showProjectInTools();  // the wizard may have chosen another model or dataset
    });
    connect(m_document, &ProjectDocument::modifiedChanged, this, &QWidget::setWindowModified);
    connect(m_document, &ProjectDocument::runsChanged, this, &MainWindow::updateActions);
    connect(m_controller, &TrainingController::started, this, [this](const QString& run) {
        m_document->selectRun(QString());  // follow the new run
        m_document->refreshRuns();
        m_training->reset();
        log(tr("Training started in %1").arg(QDir::toNativeSeparators(run)));
        statusBar()->showMessage(tr("Training…"));
        updateActions();
    });
    connect(m_controller, &TrainingController::checkpointWritten, m_document, &ProjectDocument::refreshRuns);
    connect(m_controller, &TrainingController::finished, this, [this](bool ok, const QString& message, const QString& run) {
        m_document->refreshRuns();
        if (ok) log(tr("Training finished. The run is in %1").arg(QDir::toNativeSeparators(run)));
        else log(message);
        statusBar()->showMessage(ok ? tr("Training finished") : tr("Training stopped"));
        m_paused = false;
        updateActions();
        emit trainingFinished(ok);
    });
    connect(m_exporter, &ModelExporter::finished, this, &MainWindow::onExportFinished);

    QSettings settings;
    restoreGeometry(settings.value(QStringLiteral("window/geometry")).toByteArray());
    restoreState(settings.value(QStringLiteral("window/state")).toByteArray());
    if (!settings.contains(QStringLiteral("window/geometry"))) resize(1100, 760);
    updateActions();
}

MainWindow::~MainWindow() = default;

LossPlot* MainWindow::lossPlot() const { return m_training->lossPlot(); }

FineTuneWizard* MainWindow::wizard() const { return m_wizard; }

WizardTour* MainWindow::wizardTour() const { return m_tour; }

void MainWindow::buildTools() {
    m_tabs = new QTabWidget(this);
    m_tabs->setDocumentMode(true);
    setCentralWidget(m_tabs);
    m_toolsMenu = new QMenu(tr("&Tools"), this);
    connect(m_tabs, &QTabWidget::currentChanged, this, [this](int index) {
        const auto it = m_undoStacks.find(m_tabs->widget(index));
        m_undoGroup->setActiveStack(it == m_undoStacks.end() ? nullptr : it->second);
    });

    m_training = new TrainingView(m_controller, this);
    m_training->setObjectName(QStringLiteral("trainingView"));
    addToolTab(m_training, tr("Training"));
    m_quant = new QuantizationInspector(this);
    m_quant->setObjectName(QStringLiteral("quantizationInspector"));
    addToolTab(m_quant, tr("Quantization"));

    m_dataset = new DatasetEditor(this);
    m_dataset->setObjectName(QStringLiteral("datasetEditor"));
    addToolTab(m_dataset, tr("Dataset"), m_dataset->undoStack());
    connect(m_dataset, &DatasetEditor::fileOpened, this, [this](bool ok, const QString& error) {
        if (!ok) showMessage(false, tr("Cannot open dataset"), error);
    });

    m_eval = new EvalView(this);
    m_eval->setObjectName(QStringLiteral("evalView"));
    addToolTab(m_eval, tr("Evaluation"));
    connect(m_eval, &EvalView::openDatasetRow, this, &MainWindow::showDatasetLine);
    // The project as saved, and its runs as they appear (the document follows the controller), are what evaluation
    // offers.
    const auto offer = [this] {
        if (m_document->isOpen()) m_eval->setProject(project(), m_document->runs());
    };
    connect(m_document, &ProjectDocument::saved, m_eval, offer);
    connect(m_document, &ProjectDocument::runsChanged, m_eval, offer);

    auto* tokens = m_tokens = new TokenInspector(this);
    tokens->setObjectName(QStringLiteral("tokenInspector"));
    addToolTab(tokens, tr("Tokens"));
    auto* chat = m_chatPreview = new ChatTemplatePreview(this);
    chat->setObjectName(QStringLiteral("chatTemplatePreview"));
    addToolTab(chat, tr("Chat Template"));
    // The template chosen here is the one training uses: it goes into the project (saved at once, as the wizard
    // saves each page) and into the token inspector.
    connect(chat, &ChatTemplatePreview::trainingTemplateChanged, this, [this](const QString& source) {
        if (!m_document->isOpen() || QString::fromStdString(project().chatTemplate) == source) return;
        m_document->project().chatTemplate = source.toStdString();
        m_document->markModified();
        m_tokens->setChatTemplate(source);
        log(source.isEmpty() ? tr("Training will use the model's own chat template.")
                             : tr("Training will use the template chosen in the Chat Template tab."));
        if (!m_document->save()) showMessage(false, tr("Cannot save project"), m_document->lastError());
    });
    // One model load serves both inspectors.
    connect(this, &MainWindow::modelOpened, tokens, &TokenInspector::openModel);
    connect(tokens, &TokenInspector::modelLoaded, chat, [tokens, chat](bool ok) {
        if (ok) chat->setModel(tokens->model());
    });
    // With a model open, the dataset's quality report counts tokens with its tokenizer instead of estimating them.
    connect(tokens, &TokenInspector::modelLoaded, m_dataset, [this, tokens](bool ok) {
        LoadedModelPtr model = ok ? tokens->model() : nullptr;
        if (!model || !model->encoder) return m_dataset->setTokenCounter(nullptr);
        m_dataset->setTokenCounter([model](const QString& text) {
            return int(model->encoder->tokenizer().encode(text.toStdString()).ids.size());
        });
    });
}

void MainWindow::addToolTab(QWidget* tool, const QString& title, QUndoStack* undo) {
    m_tabs->addTab(tool, title);
    if (undo) {
        m_undoStacks[tool] = undo;
        m_undoGroup->addStack(undo);
        if (m_tabs->currentWidget() == tool) m_undoGroup->setActiveStack(undo);
    }
    QAction* toggle = m_toolsMenu->addAction(title);
    toggle->setObjectName(QStringLiteral("actionShow_") + tool->objectName());
    toggle->setCheckable(true);
    toggle->setChecked(true);
    connect(toggle, &QAction::toggled, this, [this, tool](bool on) { setToolVisible(tool, on); });
}

void MainWindow::showTool(QWidget* tool) {
    setToolVisible(tool, true);
    m_tabs->setCurrentWidget(tool);
}

void MainWindow::setToolVisible(QWidget* tool, bool visible) {
    const int i = m_tabs->indexOf(tool);
    if (i < 0) return;
    m_tabs->setTabVisible(i, visible);
    if (auto* toggle = findChild<QAction*>(QStringLiteral("actionShow_") + tool->objectName())) {
        const QSignalBlocker block(toggle);
        toggle->setChecked(visible);
    }
}

void MainWindow::buildFileMenu() {
    QMenu* file = menuBar()->addMenu(tr("&File"));
    file->setObjectName(QStringLiteral("menuFile"));
    file->addAction(tr("&New Fine-tune…"), QKeySequence::New, this, [this] {
        const QString start = AppSettings::folder(AppSettings::Folder::Projects);
        const QString f = QFileDialog::getSaveFileName(this, tr("New Fine-tune Project"),
                                                       (start.isEmpty() ? QString() : start + QLatin1Char('/')) + QStringLiteral("project.json"),
                                                       tr("Finetune Studio project (*.json)"));
        if (!f.isEmpty()) openWizard(f);
    })->setObjectName(QStringLiteral("actionNewProject"));
    file->addAction(tr("Open in &Wizard"), this, [this] { openWizard(); })->setObjectName(QStringLiteral("actionOpenWizard"));
    file->addAction(tr("&Open Project…"), QKeySequence::Open, this, [this] {
        const QString f = QFileDialog::getOpenFileName(this, tr("Open Project"), AppSettings::folder(AppSettings::Folder::Projects),
                                                       tr("Finetune Studio project (*.json)"));
        if (!f.isEmpty()) openProject(f);
    })->setObjectName(QStringLiteral("actionOpenProject"));
    m_saveAction = file->addAction(tr("&Save Project"), QKeySequence::Save, this, [this] { saveProjectAs(m_document->file()); });
    m_saveAction->setObjectName(QStringLiteral("actionSaveProject"));
    m_saveAsAction = file->addAction(tr("Save Project &As…"), QKeySequence::SaveAs, this, [this] {
        const QString f = askSaveFile(tr("Save Project As"), QFileInfo(m_document->file()).fileName(), tr("Finetune Studio project (*.json)"));
        if (!f.isEmpty()) saveProjectAs(f);
    });
    m_saveAsAction->setObjectName(QStringLiteral("actionSaveProjectAs"));
    file->addSeparator();
    file->addAction(tr("Open &Model…"), this, [this] {
        const QString d = QFileDialog::getExistingDirectory(this, tr("Open Model Folder"), AppSettings::folder(AppSettings::Folder::Models));
        if (!d.isEmpty()) openModel(d);
    })->setObjectName(QStringLiteral("actionOpenModel"));
    file->addAction(tr("Open &Dataset…"), this, [this] {
        const QString f = QFileDialog::getOpenFileName(this, tr("Open Dataset"), AppSettings::folder(AppSettings::Folder::Datasets),
                                                       tr("Datasets (*.jsonl *.json *.csv *.tsv *.txt);;All files (*)"));
        if (!f.isEmpty()) openDataset(f);
    })->setObjectName(QStringLiteral("actionOpenDataset"));
    m_recent = new RecentFilesMenu(this);
    m_recent->setObjectName(QStringLiteral("menuRecent"));
    connect(m_recent, &RecentFilesMenu::fileTriggered, this, &MainWindow::openPath);
    file->addMenu(m_recent);
    file->addSeparator();
    file->addAction(tr("Se&ttings…"), QKeySequence::Preferences, this, [this] {
        auto* dialog = new SettingsDialog(this);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        dialog->open();  // no nested event loop: training signals keep flowing
    })->setObjectName(QStringLiteral("actionSettings"));
    file->addSeparator();
    file->addAction(tr("&Quit"), QKeySequence::Quit, this, &QWidget::close);
}

void MainWindow::buildEditMenu() {
    QMenu* edit = menuBar()->addMenu(tr("&Edit"));
    edit->setObjectName(QStringLiteral("menuEdit"));
    // The group's actions follow the active tool's stack, and are disabled when it has none.
    QAction* undo = m_undoGroup->createUndoAction(this, tr("&Undo"));
    undo->setObjectName(QStringLiteral("actionUndo"));
    undo->setShortcuts(QKeySequence::Undo);
    QAction* redo = m_undoGroup->createRedoAction(this, tr("&Redo"));
    redo->setObjectName(QStringLiteral("actionRedo"));
    redo->setShortcuts(QKeySequence::Redo);  // every binding: Ctrl+Shift+Z and Ctrl+Y
    edit->addAction(undo);
    edit->addAction(redo);
}

void MainWindow::buildTrainMenu() {
    QMenu* train = menuBar()->addMenu(tr("T&rain"));
    train->setObjectName(QStringLiteral("menuTrain"));
    m_trainAction = train->addAction(tr("&Start Training"), this, [this] { startTraining(); });
    m_resumeAction = train->addAction(tr("Resume from &Checkpoint"), this, &MainWindow::resumeTraining);
    m_resumeAction->setObjectName(QStringLiteral("actionResumeTraining"));
    m_pauseAction = train->addAction(tr("&Pause"), this, [this] {
        if (m_paused) m_controller->resume();
        else m_controller->pause();
        m_paused = !m_paused;
        log(m_paused ? tr("Paused") : tr("Resumed"));
        updateActions();
    });
    m_cancelAction = train->addAction(tr("&Cancel"), m_controller, &TrainingController::cancel);

    QToolBar* bar = m_trainingBar = addToolBar(tr("Training"));
    bar->setObjectName(QStringLiteral("trainingToolBar"));
    bar->addAction(m_trainAction);
    bar->addAction(m_pauseAction);
    bar->addAction(m_cancelAction);
}

void MainWindow::buildExportMenu() {
    QMenu* menu = menuBar()->addMenu(tr("E&xport"));
    menu->setObjectName(QStringLiteral("menuExport"));
    m_exportAdapterAction = menu->addAction(tr("&PEFT Adapter…"), this, [this] {
        const QString dir = askFolder(tr("Export PEFT Adapter into"));
        if (!dir.isEmpty()) exportAdapterTo(dir + QStringLiteral("/adapter"));
    });
    m_exportAdapterAction->setObjectName(QStringLiteral("actionExportAdapter"));
    m_exportMergedAction = menu->addAction(tr("&Merged Model…"), this, [this] {
        const QString dir = askFolder(tr("Export Merged Model into"));
        if (!dir.isEmpty()) exportMergedTo(dir + QStringLiteral("/merged"));
    });
    m_exportMergedAction->setObjectName(QStringLiteral("actionExportMerged"));
    m_exportGgufAction = menu->addAction(tr("&GGUF Adapter (llama.cpp)…"), this, [this] {
        const QString f = askSaveFile(tr("Export GGUF Adapter"), QStringLiteral("adapter.gguf"), tr("GGUF file (*.gguf)"));
        if (!f.isEmpty()) exportGgufTo(f);
    });
    m_exportGgufAction->setObjectName(QStringLiteral("actionExportGguf"));
    // Which run the exports take, said where they are chosen; another run of the project can be picked.
    menu->addSeparator();
    m_exportRunInfo = menu->addAction(QString());
    m_exportRunInfo->setObjectName(QStringLiteral("actionExportRunInfo"));
    m_exportRunInfo->setEnabled(false);
    m_runsMenu = menu->addMenu(tr("Export from &Run"));
    m_runsMenu->setObjectName(QStringLiteral("menuExportRun"));
    connect(m_runsMenu, &QMenu::aboutToShow, this, &MainWindow::fillRunsMenu);
    m_trainingBar->addAction(m_exportAdapterAction);  // the window's own toolbar, not the dataset editor's
}

QString MainWindow::runTitle(const ft::RunInfo& run) {
    const QString id = QString::fromStdString(run.id);
    switch (run.state) {
    case ft::RunState::Finished: return tr("%1 — finished, %2 steps").arg(id).arg(run.totalSteps);
    case ft::RunState::Running: return tr("%1 — training, step %2 of %3").arg(id).arg(run.stepsDone).arg(run.totalSteps);
    case ft::RunState::Cancelled: return tr("%1 — stopped at step %2 of %3").arg(id).arg(run.stepsDone).arg(run.totalSteps);
    default: return tr("%1 — failed at step %2 of %3").arg(id).arg(run.stepsDone).arg(run.totalSteps);
    }
}

void MainWindow::fillRunsMenu() {
    m_runsMenu->clear();
    qDeleteAll(m_runsMenu->findChildren<QActionGroup*>(Qt::FindDirectChildrenOnly));  // the last showing's
    auto* group = new QActionGroup(m_runsMenu);
    QAction* newest = m_runsMenu->addAction(tr("The Newest Run"), this, [this] { m_document->selectRun(QString()); });
    newest->setCheckable(true);
    newest->setChecked(m_document->selectedRunId().isEmpty());
    group->addAction(newest);
    m_runsMenu->addSeparator();
    const auto& runs = m_document->runs();
    for (auto it = runs.rbegin(); it != runs.rend(); ++it) {
        const QString id = QString::fromStdString(it->id);
        QAction* a = m_runsMenu->addAction(runTitle(*it), this, [this, id] { m_document->selectRun(id); });
        a->setCheckable(true);
        a->setChecked(m_document->selectedRunId() == id);
        a->setEnabled(it->finished() || !it->latestCheckpoint.empty());
        group->addAction(a);
    }
}

void MainWindow::buildViewMenu() {
    QMenu* view = menuBar()->addMenu(tr("&View"));
    view->setObjectName(QStringLiteral("menuView"));
    view->addMenu(m_toolsMenu);
    view->addAction(tr("Reset &Zoom"), this, [this] { lossPlot()->resetView(); });
    QAction* speed = view->addAction(tr("Show Tokens/s Plot"), this, [this](bool on) { lossPlot()->setThroughputVisible(on); });
    speed->setCheckable(true);
    speed->setChecked(true);
    QMenu* language = view->addMenu(tr("&Language"));
    language->setObjectName(QStringLiteral("menuLanguage"));
    auto* group = new QActionGroup(language);
    const std::pair<QString, QString> languages[] = {
        {QString(), tr("System Default")}, {QStringLiteral("en"), QStringLiteral("English")}, {QStringLiteral("ko"), QStringLiteral("한국어")}};
    for (const auto& [code, name] : languages) {
        QAction* a = language->addAction(name, this, [this, code] {
            AppSettings::setLanguage(code);
            statusBar()->showMessage(tr("The language changes when Finetune Studio starts again."));
        });
        a->setCheckable(true);
        a->setChecked(AppSettings::language() == code);
        a->setData(code);
        group->addAction(a);
    }
}

void MainWindow::buildHelpMenu() {
    QMenu* help = menuBar()->addMenu(tr("&Help"));
    help->setObjectName(QStringLiteral("menuHelp"));
    help->addAction(tr("&User Guide"), this, [this] {
            const QString guide = userGuidePath();
            if (guide.isEmpty() || !QDesktopServices::openUrl(QUrl::fromLocalFile(guide)))
                showMessage(false, tr("User Guide"), tr("The user guide (docs/user-guide.md) was not found next to the application."));
        })
        ->setObjectName(QStringLiteral("actionUserGuide"));
    help->addAction(tr("Guided &Tour"), this, &MainWindow::startWizardTour)->setObjectName(QStringLiteral("actionGuidedTour"));
    help->addAction(tr("&About Finetune Studio"), this, [this] {
        QMessageBox::about(this, tr("About Finetune Studio"),
                           tr("Finetune Studio %1\nFine-tune language models on your own machine.")
                               .arg(QApplication::applicationVersion()));
    });
}

QString MainWindow::projectFile() const { return m_document->file(); }

const ft::Project& MainWindow::project() const { return m_document->project(); }

// The run the Export menu and the token inspector's loss map take: the selected (newest) run when it has something
// to export and is not the one training now.
std::optional<ft::RunInfo> MainWindow::exportableRun() const {
    auto run = m_document->selectedRun();
    if (!run) return std::nullopt;
    const ft::MethodSpec* method = ft::findMethod(run->method);
    const bool fullCheckpoint = method && !method->exportsAdapter && !run->latestCheckpoint.empty();
    if (run->adapter.empty() && !fullCheckpoint) return std::nullopt;
    if (m_controller->isRunning() && QString::fromStdString(run->dir.string()) == m_controller->runDir()) return std::nullopt;
    return run;
}

QString MainWindow::adapterDir() const {
    const auto run = exportableRun();
    return run && !run->adapter.empty() ? QString::fromStdString(run->adapter.string()) : QString();
}

void MainWindow::updateActions() {
    const bool running = m_controller->isRunning();
    const bool exporting = m_exporter->isRunning();
    const bool open = m_document->isOpen();
    const auto run = exportableRun();
    const ft::MethodSpec* method = run ? ft::findMethod(run->method) : nullptr;
    const bool lora = method && method->mergeable;
    const bool full = method && !method->exportsAdapter;
    m_saveAction->setEnabled(open);
    m_saveAsAction->setEnabled(open);
    m_trainAction->setEnabled(!running && open);
    const auto selected = m_document->selectedRun();
    const bool resumable = !running && selected && selected->resumable();
    m_resumeAction->setEnabled(resumable);
    m_resumeAction->setToolTip(resumable ? tr("Continue run %1 from step %2 of %3")
                                               .arg(QString::fromStdString(selected->id))
                                               .arg(selected->stepsDone)
                                               .arg(selected->totalSteps)
                                         : tr("No unfinished run with a checkpoint"));
    m_pauseAction->setEnabled(running);
    m_pauseAction->setText(m_paused ? tr("&Resume") : tr("&Pause"));
    m_cancelAction->setEnabled(running);
    m_exportAdapterAction->setEnabled(!exporting && run && !full);
    m_exportMergedAction->setEnabled(!exporting && (lora || full));
    m_exportGgufAction->setEnabled(!exporting && lora);
    m_exportRunInfo->setText(run ? tr("From run %1").arg(runTitle(*run)) : tr("No run to export yet"));
    m_runsMenu->setEnabled(!m_document->runs().empty());
    // The token inspector's loss heat map uses the run's adapter; a run in progress rewrites it.
    const QString adapter = adapterDir();
    if (m_tokens->adapterDir() != adapter) m_tokens->setAdapterDir(adapter);
}

void MainWindow::showMessage(bool ok, const QString& title, const QString& text) {
    // Window-modal and opened, not exec()'d: no nested event loop, so queued training signals keep flowing.
    auto* box = new QMessageBox(ok ? QMessageBox::Information : QMessageBox::Warning, title, text, QMessageBox::Ok, this);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->open();
}

void MainWindow::log(const QString& line) { m_training->log(line); }

QString MainWindow::askSaveFile(const QString& title, const QString& name, const QString& filter) {
    const QString start = AppSettings::folder(AppSettings::Folder::Exports);
    return QFileDialog::getSaveFileName(this, title, start.isEmpty() ? name : start + QLatin1Char('/') + name, filter);
}

QString MainWindow::askFolder(const QString& title) {
    return QFileDialog::getExistingDirectory(this, title, AppSettings::folder(AppSettings::Folder::Exports));
}

void MainWindow::openPath(const QString& path) {
    switch (pathKind(path)) {
    case PathKind::ModelFolder: openModel(path); break;
    case PathKind::Project: openProject(path); break;
    case PathKind::Dataset: openDataset(path); break;
    case PathKind::Unsupported:
        showMessage(false, tr("Cannot open"),
                    tr("%1 is not something Finetune Studio opens: choose a model folder (with config.json), a project "
                       "(.json) or a dataset (.jsonl, .json, .csv, .tsv, .txt).")
                        .arg(QDir::toNativeSeparators(path)));
        break;
    }
}

void MainWindow::dragEnterEvent(QDragEnterEvent* event) {
    if (hasOpenablePath(event->mimeData())) event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent* event) {
    const QList<DroppedPath> paths = droppedPaths(event->mimeData());
    if (paths.isEmpty()) return;
    event->acceptProposedAction();
    for (const DroppedPath& p : paths) openPath(p.path);
}

void MainWindow::startWizardTour() {
    openWizard();
    if (!m_wizard) return;
    if (!m_tour) m_tour = new WizardTour(m_wizard);
    m_tour->start();
}

void MainWindow::openProject(const QString& file) {
    if (!m_document->open(file)) {  // reports through opened when it worked
        log(m_document->lastError());
        showMessage(false, tr("Cannot open project"), m_document->lastError());
    }
}

void MainWindow::onProjectOpened() {
    const ft::Project& p = project();
    const QString file = m_document->file();
    const auto unset = [](const std::string& path) { return path.empty() ? tr("(not chosen yet)") : QString::fromStdString(path); };
    m_training->setProjectText(tr("Project: %1 — model %2, data %3")
                                   .arg(QString::fromStdString(p.name), unset(p.model), unset(p.dataset)));
    setWindowTitle(tr("%1[*] — Finetune Studio").arg(QString::fromStdString(p.name)));
    setWindowModified(m_document->isModified());
    log(tr("Opened %1").arg(file));
    AppSettings::addRecentFile(file);
    m_shownModel.clear();
    m_shownDataset.clear();
    showLastRun();
    updateActions();
    showProjectInTools();
    m_eval->setProject(p, m_document->runs());
    emit projectOpened(file);
}

// After a restart or on opening a project: the newest run's curve and how far it got, as if it had just run.
void MainWindow::showLastRun() {
    if (m_controller->isRunning()) return;
    const auto run = m_document->selectedRun();
    if (!run) return m_training->reset();
    m_training->showRun(ft::readMetricsLog(ft::runMetricsFile(run->dir)), run->stepsDone, run->totalSteps);
    log(tr("Last run: %1").arg(runTitle(*run)));
}

bool MainWindow::saveProjectAs(const QString& file) {
    if (!m_document->isOpen() || file.isEmpty()) return false;
    if (!m_document->saveAs(file)) {
        showMessage(false, tr("Cannot save project"), m_document->lastError());
        return false;
    }
    return true;
}

bool MainWindow::newProject(const QString& file, const QString& model, const QString& dataset) {
    ft::Project p;
    p.model = model.toStdString();
    p.dataset = dataset.toStdString();
    p.training.device = AppSettings::defaultDevice().toStdString();
    if (!m_document->create(file, p)) {
        showMessage(false, tr("Cannot create project"), m_document->lastError());
        return false;
    }
    return true;
}

void MainWindow::openWizard(const QString& file) {
    if (!m_wizard) {
        // The wizard edits this window's document and trains through its controller: one project, one run.
        m_wizard = new FineTuneWizard(this, m_document, m_controller);
        m_wizard->setAttribute(Qt::WA_DeleteOnClose);
        connect(m_wizard->evaluatePage(), &EvaluatePage::openDatasetRow, this, &MainWindow::showDatasetLine);
    }
    if (!file.isEmpty()) {
        ft::Project p;
        p.training.device = AppSettings::defaultDevice().toStdString();
        if (!m_document->create(file, p)) {
            showMessage(false, tr("Cannot create project"), m_document->lastError());
            return;
        }
    }
    m_wizard->showProject();
    m_wizard->show();
    m_wizard->raise();
    m_wizard->activateWindow();
}

// The tools follow the open project: its model in the inspectors, its dataset in the editor, and its examples as
// training will encode them (read on a worker). Only what changed is loaded again.
void MainWindow::showProjectInTools() {
    const ft::Project& p = project();
    const QString model = m_document->resolvedPath(p.model);
    const QString data = m_document->resolvedPath(p.dataset);
    // The template training will use (the project's own, when it sets one), before the model or examples arrive.
    const QString tpl = QString::fromStdString(p.chatTemplate);
    m_tokens->setChatTemplate(tpl);
    if (m_chatPreview->trainingTemplate() != tpl) m_chatPreview->setTrainingTemplate(tpl);
    if (model != m_shownModel && QFileInfo::exists(model + QStringLiteral("/config.json"))) {
        m_shownModel = model;
        showModelInTools(model);  // the project is the recent file
    }
    const QString examplesKey = data + QString::fromStdString(p.datasetFormat) + QString::number(int(p.kind));
    if (!QFileInfo(data).isFile() || examplesKey == m_shownDataset) return;
    m_shownDataset = examplesKey;
    if (!m_dataset->isModified()) m_dataset->openFileAsync(data);
    ft::DatasetOptions options;
    options.format = ft::datasetFormatFromName(p.datasetFormat);
    options.columns = p.datasetColumns;
    const bool raw = p.kind == ft::FinetuneKind::Base;
    // What the worker hands back: the rows, or (where training left a token cache for this file and these settings)
    // the encoded examples mapped, with the rows of the file's first chunk for the chat preview.
    struct Shown {
        std::vector<ft::Example> examples;
        std::shared_ptr<const ft::ExampleTable> cached;
    };
    auto* watcher = new QFutureWatcher<Shown>(this);
    connect(watcher, &QFutureWatcher<Shown>::finished, this, [this, watcher, raw] {
        watcher->deleteLater();
        Shown shown = watcher->result();
        const ft::Project& now = project();
        const auto& t = now.training;
        if (!raw) {
            std::vector<ft::Example> rows = shown.examples;
            for (auto& e : rows) e = ft::chosenConversation(e);  // a preference row: its prompt with the chosen answer
            m_chatPreview->setExamples(std::move(rows));
        }
        if (shown.cached)
            m_tokens->setCachedExamples(std::move(shown.cached), raw, raw ? t.blockSize : t.maxSeqLength);
        else if (now.kind == ft::FinetuneKind::Preference)
            m_tokens->setPreferenceExamples(std::move(shown.examples), t.maxSeqLength,
                                            ft::preferenceTokenizationFor(now.preference.loss));
        else
            m_tokens->setExamples(std::move(shown.examples), raw, t.maxSeqLength, t.blockSize, t.trainOnPrompt);
    });
    watcher->setFuture(QtConcurrent::run([p, model = model.toStdString()]() -> Shown {
        Shown shown;
        try {
            if (p.kind != ft::FinetuneKind::Preference) {
                std::optional<ft::TokenCacheContents> cache;
                try {
                    cache = ft::findTokenCache(p, ft::openModelFolder(model));
                } catch (const ft::Error&) {  // no model yet, or not one: the rows are encoded when it comes
                }
                if (cache) {
                    ft::DatasetStream stream(p.resolve(p.dataset), ft::datasetKindOf(p.kind), ft::datasetOptionsOf(p));
                    if (auto first = stream.next()) shown.examples = std::move(first->examples);
                    shown.cached = std::move(cache->table);
                    return shown;
                }
            }
            shown.examples = ft::loadProjectDataset(p).examples;
        } catch (const ft::Error&) {
            // the dataset editor shows why
        }
        return shown;
    }));
}

void MainWindow::openModel(const QString& dir) {
    // Checked first: a folder that is not a model says why, and leaves the open model and the recent files alone.
    if (const QString problem = ModelFolderProblem::of(dir); !problem.isEmpty())
        return showMessage(false, tr("Not a Model Folder"), problem);
    AppSettings::addRecentFile(dir);
    showModelInTools(dir);
}

void MainWindow::showModelInTools(const QString& dir) {
    m_quant->openSource(dir);
    log(tr("Opened model %1").arg(dir));
    emit modelOpened(dir);
}

void MainWindow::openDataset(const QString& file) {
    AppSettings::addRecentFile(file);
    m_dataset->openFileAsync(file);  // reports through fileOpened
    showTool(m_dataset);
    log(tr("Opened dataset %1").arg(file));
    emit datasetOpened(file);
}

void MainWindow::showDatasetLine(const QString& file, int line) {
    const bool same = QFileInfo(m_dataset->filePath()) == QFileInfo(file);
    showTool(m_dataset);
    if (same && !m_dataset->isLoading()) {
        if (!m_dataset->selectLine(line)) log(tr("Line %1 of %2 is no longer a row of the dataset.").arg(line).arg(file));
        return;
    }
    if (!same && m_dataset->isModified())
        return showMessage(false, tr("Unsaved Dataset Edits"),
                           tr("The dataset editor holds unsaved edits to %1. Save or undo them, then open the row again.")
                               .arg(QDir::toNativeSeparators(m_dataset->filePath())));
    auto* once = new QObject(this);  // selects the line when this file's rows are shown, then goes
    connect(m_dataset, &DatasetEditor::fileOpened, once, [this, once, line](bool ok) {
        once->deleteLater();
        if (ok) m_dataset->selectLine(line);
    });
    if (!same) m_dataset->openFileAsync(file);
}

void MainWindow::openDemo(const QString& dir) {
    const QString project = dir + QStringLiteral("/project.json");
    if (QFileInfo::exists(project)) {
        openProject(project);
        return;
    }
    log(tr("Preparing the built-in demo in %1 …").arg(dir));
    QPointer<MainWindow> self(this);
    QThread* worker = QThread::create([dir, project, self] {
        QString error;
        try {
            ft::makeDemo(dir.toStdString());
        } catch (const ft::Error& e) {
            error = errorText(e);
        }
        QMetaObject::invokeMethod(
            self.data(),
            [self, error, project] {
                if (!self) return;
                if (error.isEmpty()) self->openProject(project);
                else self->log(error);
            },
            Qt::QueuedConnection);
    });
    connect(worker, &QThread::finished, worker, &QObject::deleteLater);
    worker->start();
}

void MainWindow::startTraining(int maxSteps) {
    if (!m_document->isOpen() || m_controller->isRunning()) return;
    if (m_document->isModified() && !m_document->save()) {
        showMessage(false, tr("Cannot save project"), m_document->lastError());
        return;
    }
    showTool(m_training);
    m_controller->start(project(), maxSteps);  // reports through started, or finished with the reason
    updateActions();
}

void MainWindow::resumeTraining() {
    const auto run = m_document->selectedRun();
    if (m_controller->isRunning() || !run || !run->resumable()) return;
    ft::Project trained;
    try {
        trained = ft::loadProject(ft::runProjectFile(run->dir));  // the project as that run trained it
    } catch (const ft::Error& e) {
        showMessage(false, tr("Cannot resume"), errorText(e));
        return;
    }
    showTool(m_training);
    log(tr("Resuming run %1 from %2").arg(QString::fromStdString(run->id),
                                          QDir::toNativeSeparators(QString::fromStdString(run->latestCheckpoint.string()))));
    // The run's own step count (a capped trial keeps its cap), so the checkpoint's schedule matches.
    m_controller->start(trained, run->totalSteps, QString::fromStdString(run->dir.string()));
    updateActions();
}

void MainWindow::beginExport(ModelExporter::Kind kind, const QString& path) {
    log(tr("Exporting to %1 …").arg(path));
    auto* progress = new QProgressDialog(tr("Exporting to %1 …").arg(path), tr("Cancel"), 0, 0, this);
    progress->setObjectName(QStringLiteral("exportProgress"));
    progress->setAttribute(Qt::WA_DeleteOnClose);
    progress->setMinimumDuration(0);
    progress->setAutoClose(false);
    progress->setAutoReset(false);
    // Only the merge reports progress and can stop half-way; the other exports take seconds.
    progress->setCancelButton(kind == ModelExporter::Kind::MergedModel ? new QPushButton(tr("Cancel"), progress) : nullptr);
    connect(progress, &QProgressDialog::canceled, m_exporter, &ModelExporter::cancel);
    connect(m_exporter, &ModelExporter::progress, progress, [progress](int done, int total) {
        progress->setMaximum(total);
        progress->setValue(done);
    });
    connect(this, &MainWindow::exportFinished, progress, &QWidget::close, Qt::SingleShotConnection);
    progress->open();
    updateActions();
}

// Every export takes the selected run (the newest unless another was chosen in Export ▸ Export from Run): core's
// export request decides what that run's method can be written as.
void MainWindow::exportRun(ModelExporter::Kind kind, const QString& path) {
    const auto run = exportableRun();
    if (!run) {
        onExportFinished(kind, false,
                         m_controller->isRunning() ? tr("The run is still training: export it when it has finished or stopped.")
                                                   : tr("Train a model first: there is no finished adapter to export."),
                         path);
        return;
    }
    log(tr("Exporting run %1").arg(runTitle(*run)));
    beginExport(kind, path);
    m_exporter->exportRun(QString::fromStdString(run->dir.string()), kind, path);
}

void MainWindow::exportAdapterTo(const QString& dir) { exportRun(ModelExporter::Kind::PeftAdapter, dir); }

void MainWindow::exportMergedTo(const QString& dir) { exportRun(ModelExporter::Kind::MergedModel, dir); }

void MainWindow::exportGgufTo(const QString& file) { exportRun(ModelExporter::Kind::GgufAdapter, file); }

void MainWindow::onExportFinished(ModelExporter::Kind kind, bool ok, const QString& message, const QString& path) {
    const QString what = kind == ModelExporter::Kind::PeftAdapter   ? tr("PEFT adapter")
                         : kind == ModelExporter::Kind::MergedModel ? tr("Merged model")
                                                                    : tr("GGUF adapter");
    if (ok) {
        log(tr("%1 exported to %2").arg(what, path));
        statusBar()->showMessage(tr("%1 exported").arg(what));
        showMessage(true, tr("Export finished"), tr("%1 written to\n%2").arg(what, path));
    } else {
        log(message);
        showMessage(false, tr("Export failed"), message);
    }
    updateActions();
    emit exportFinished(kind, ok, message, path);
    if (kind == ModelExporter::Kind::PeftAdapter) emit adapterExported(ok, path);
}

void MainWindow::closeEvent(QCloseEvent* event) {
    QSettings settings;
    settings.setValue(QStringLiteral("window/geometry"), saveGeometry());
    settings.setValue(QStringLiteral("window/state"), saveState());
    m_controller->cancel();
    m_exporter->cancel();
    event->accept();
}
