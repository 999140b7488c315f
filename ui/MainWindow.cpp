#include "MainWindow.h"

#include "AppSettings.h"
#include "DroppedPaths.h"
#include "ErrorText.h"
#include "LossPlot.h"
#include "ModelFolderProblem.h"
#include "QuantizationInspector.h"
#include "RecentFilesMenu.h"
#include "SettingsDialog.h"
#include "TrainingController.h"
#include "TrainingView.h"
#include "UserGuide.h"
#include "dataset/DatasetEditor.h"
#include "inspectors/ChatTemplatePreview.h"
#include "inspectors/TokenInspector.h"
#include "wizard/FineTuneWizard.h"
#include "wizard/WizardTour.h"

#include "core/common/error.h"
#include "core/data/dataset.h"
#include "core/demo/demo.h"
#include "core/text/tokenizer.h"
#include "core/train/checkpoint_info.h"

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
    : QMainWindow(parent), m_controller(new TrainingController(this)), m_exporter(new ModelExporter(this)),
      m_undoGroup(new QUndoGroup(this)) {
    setWindowTitle(tr("Finetune Studio"));
    setAcceptDrops(true);
    buildTools();
    buildFileMenu();
    buildEditMenu();
    buildTrainMenu();
    buildExportMenu();
    buildViewMenu();
    buildHelpMenu();

    connect(m_controller, &TrainingController::finished, this, [this](bool ok, const QString& message, const QString& out) {
        if (ok) {
            m_lastOutDir = out;
            log(tr("Training finished. The adapter is in %1").arg(out + QStringLiteral("/adapter")));
        } else {
            log(message);
        }
        statusBar()->showMessage(ok ? tr("Training finished") : tr("Training stopped"));
        m_paused = false;
        updateActions();
        emit trainingFinished(ok);
    });
    connect(m_controller, &TrainingController::exportFinished, this, [this](bool ok, const QString& message, const QString& dir) {
        onExportFinished(ModelExporter::Kind::PeftAdapter, ok, message, dir);
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

    auto* tokens = m_tokens = new TokenInspector(this);
    tokens->setObjectName(QStringLiteral("tokenInspector"));
    addToolTab(tokens, tr("Tokens"));
    auto* chat = m_chatPreview = new ChatTemplatePreview(this);
    chat->setObjectName(QStringLiteral("chatTemplatePreview"));
    addToolTab(chat, tr("Chat Template"));
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
    m_saveAction = file->addAction(tr("&Save Project"), QKeySequence::Save, this, [this] { saveProjectAs(m_projectFile); });
    m_saveAction->setObjectName(QStringLiteral("actionSaveProject"));
    m_saveAsAction = file->addAction(tr("Save Project &As…"), QKeySequence::SaveAs, this, [this] {
        const QString f = askSaveFile(tr("Save Project As"), QFileInfo(m_projectFile).fileName(), tr("Finetune Studio project (*.json)"));
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

    QToolBar* bar = addToolBar(tr("Training"));
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
    // The window's own toolbars, not the ones inside its tools (the dataset editor's).
    for (QToolBar* bar : findChildren<QToolBar*>(Qt::FindDirectChildrenOnly)) bar->addAction(m_exportAdapterAction);
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

QString MainWindow::adapterDir() const {
    if (!m_lastOutDir.isEmpty()) return m_lastOutDir + QStringLiteral("/adapter");
    if (m_projectFile.isEmpty()) return {};
    return QString::fromStdString((m_project.resolve(m_project.output) / "adapter").string());
}

void MainWindow::updateActions() {
    const bool running = m_controller->isRunning();
    const bool exporting = m_exporter->isRunning();
    const bool hasAdapter = !running && QFileInfo::exists(adapterDir() + QStringLiteral("/adapter_config.json"));
    const bool hasFullModel = !running && m_project.method == "full" && !runDir().isEmpty() &&
                              ft::latestCheckpoint(runDir().toStdString());
    m_saveAction->setEnabled(!m_projectFile.isEmpty());
    m_saveAsAction->setEnabled(!m_projectFile.isEmpty());
    m_trainAction->setEnabled(!running && !m_projectFile.isEmpty());
    const auto progress = running || runDir().isEmpty() ? std::nullopt : ft::runProgress(runDir().toStdString());
    m_resumeAction->setEnabled(progress && !progress->finished());
    m_resumeAction->setToolTip(progress && !progress->finished()
                                   ? tr("Continue from step %1 of %2").arg(progress->step).arg(progress->totalSteps)
                                   : tr("No unfinished run with a checkpoint"));
    m_pauseAction->setEnabled(running);
    m_pauseAction->setText(m_paused ? tr("&Resume") : tr("&Pause"));
    m_cancelAction->setEnabled(running);
    m_exportAdapterAction->setEnabled(!exporting && (m_controller->canExport() || hasAdapter));
    m_exportMergedAction->setEnabled(!exporting && (hasAdapter || hasFullModel));
    m_exportGgufAction->setEnabled(!exporting && hasAdapter);
    // The token inspector's loss heat map uses the finished run's adapter; a run in progress rewrites it.
    const QString adapter = hasAdapter ? adapterDir() : QString();
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
    try {
        m_project = ft::loadProject(file.toStdString());
        m_projectFile = file;
        m_lastOutDir.clear();
        m_training->setProjectText(tr("Project: %1 — model %2, data %3")
                                       .arg(QString::fromStdString(m_project.name), QString::fromStdString(m_project.model),
                                            QString::fromStdString(m_project.dataset)));
        setWindowTitle(tr("%1 — Finetune Studio").arg(QString::fromStdString(m_project.name)));
        log(tr("Opened %1").arg(file));
        AppSettings::addRecentFile(file);
        updateActions();
        showProjectInTools();
        emit projectOpened(file);
    } catch (const ft::Error& e) {
        log(errorText(e));
        showMessage(false, tr("Cannot open project"), errorText(e));
    }
}

bool MainWindow::saveProjectAs(const QString& file) {
    if (m_projectFile.isEmpty() || file.isEmpty()) return false;
    ft::Project p = m_project;
    if (QFileInfo(file).absolutePath() != QFileInfo(m_projectFile).absolutePath()) {
        // Paths in a project are relative to its file: moving the file keeps them pointing at the same places.
        p.model = p.resolve(p.model).string();
        p.dataset = p.resolve(p.dataset).string();
        p.output = p.resolve(p.output).string();
    }
    try {
        ft::saveProject(p, file.toStdString());
    } catch (const ft::Error& e) {
        showMessage(false, tr("Cannot save project"), errorText(e));
        return false;
    }
    statusBar()->showMessage(tr("Saved %1").arg(file));
    if (file != m_projectFile) openProject(file);
    return true;
}

bool MainWindow::newProject(const QString& file, const QString& model, const QString& dataset) {
    ft::Project p;
    p.name = QFileInfo(file).completeBaseName().toStdString();
    p.model = model.toStdString();
    p.dataset = dataset.toStdString();
    p.training.device = AppSettings::defaultDevice().toStdString();
    try {
        ft::saveProject(p, file.toStdString());
    } catch (const ft::Error& e) {
        showMessage(false, tr("Cannot create project"), errorText(e));
        return false;
    }
    openProject(file);
    return m_projectFile == file;
}

void MainWindow::openWizard(const QString& file) {
    if (!m_wizard) {
        m_wizard = new FineTuneWizard(this);
        m_wizard->setAttribute(Qt::WA_DeleteOnClose);
        // The wizard writes the project; the window follows it (not while its own run reads the old one).
        connect(m_wizard, &FineTuneWizard::projectSaved, this, [this](const QString& saved) {
            if (!m_controller->isRunning()) openProject(saved);
        });
    }
    if (!file.isEmpty()) {
        m_wizard->newProject(file);
        m_wizard->project().training.device = AppSettings::defaultDevice().toStdString();
    } else if (!m_projectFile.isEmpty() && !m_wizard->openProject(m_projectFile)) {
        showMessage(false, tr("Cannot open project"), m_wizard->lastError());
    }
    m_wizard->show();
    m_wizard->raise();
}

// The tools follow the open project: its model in the inspectors, its dataset in the editor, and its examples as
// training will encode them (read on a worker).
void MainWindow::showProjectInTools() {
    const QString model = QString::fromStdString(m_project.resolve(m_project.model).string());
    const QString data = QString::fromStdString(m_project.resolve(m_project.dataset).string());
    // The template training will use (the project's own, when it sets one), before the model or examples arrive.
    const QString tpl = QString::fromStdString(m_project.chatTemplate);
    m_tokens->setChatTemplate(tpl);
    m_chatPreview->setTrainingTemplate(tpl);
    if (QFileInfo::exists(model + QStringLiteral("/config.json"))) showModelInTools(model);  // the project is the recent file
    if (!QFileInfo(data).isFile()) return;
    if (!m_dataset->isModified()) m_dataset->openFileAsync(data);
    ft::DatasetOptions options;
    options.format = ft::datasetFormatFromName(m_project.datasetFormat);
    options.columns = m_project.datasetColumns;
    const bool raw = m_project.kind == ft::FinetuneKind::Base;
    auto* watcher = new QFutureWatcher<std::vector<ft::Example>>(this);
    connect(watcher, &QFutureWatcher<std::vector<ft::Example>>::finished, this, [this, watcher, raw] {
        watcher->deleteLater();
        std::vector<ft::Example> examples = watcher->result();
        const auto& t = m_project.training;
        if (!raw) m_chatPreview->setExamples(examples);
        m_tokens->setExamples(std::move(examples), raw, t.maxSeqLength, t.blockSize, t.trainOnPrompt);
    });
    watcher->setFuture(QtConcurrent::run([file = data.toStdString(), raw, options]() -> std::vector<ft::Example> {
        try {
            return ft::loadDataset(file, raw ? ft::DatasetKind::RawText : ft::DatasetKind::Instruct, options).examples;
        } catch (const ft::Error&) {
            return {};  // the dataset editor shows why
        }
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
    if (m_projectFile.isEmpty() || m_controller->isRunning()) return;
    m_training->reset();
    showTool(m_training);
    log(tr("Training started"));
    statusBar()->showMessage(tr("Training…"));
    m_controller->start(m_projectFile, maxSteps);
    updateActions();
}

void MainWindow::resumeTraining() {
    if (m_projectFile.isEmpty() || m_controller->isRunning() || runDir().isEmpty()) return;
    const auto progress = ft::runProgress(runDir().toStdString());
    if (!progress || progress->finished()) return;
    m_training->reset();
    showTool(m_training);
    log(tr("Resuming training from %1").arg(QString::fromStdString(progress->checkpoint.string())));
    statusBar()->showMessage(tr("Training…"));
    // The run's own step count (a capped trial keeps its cap), so the checkpoint's schedule matches.
    m_controller->start(m_projectFile, progress->totalSteps, /*resume=*/true);
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

bool MainWindow::checkAdapterForExport(ModelExporter::Kind kind, const QString& path) {
    if (QFileInfo::exists(adapterDir() + QStringLiteral("/adapter_config.json")) && !m_controller->isRunning()) return true;
    onExportFinished(kind, false, tr("Train a model first: there is no finished adapter to export."), path);
    return false;
}

void MainWindow::exportAdapterTo(const QString& dir) {
    if (m_controller->canExport()) {
        beginExport(ModelExporter::Kind::PeftAdapter, dir);
        m_controller->exportAdapter(dir);  // from the live run: reports through exportFinished
    } else if (!m_controller->isRunning() && QFileInfo::exists(adapterDir() + QStringLiteral("/adapter_config.json"))) {
        beginExport(ModelExporter::Kind::PeftAdapter, dir);
        m_exporter->copyAdapter(adapterDir(), dir);  // a run of an earlier session left its adapter on disk
    } else {
        m_controller->exportAdapter(dir);  // refuses with its own message
    }
}

QString MainWindow::runDir() const {
    const QString adapter = adapterDir();
    return adapter.isEmpty() ? QString() : QFileInfo(adapter).path();
}

void MainWindow::exportMergedTo(const QString& dir) {
    if (m_project.method == "full") {  // no adapter: the trained weights of the last checkpoint
        if (m_controller->isRunning() || runDir().isEmpty() || !ft::latestCheckpoint(runDir().toStdString())) {
            onExportFinished(ModelExporter::Kind::MergedModel, false, tr("Train a model first: there is no finished run to export."), dir);
            return;
        }
        beginExport(ModelExporter::Kind::MergedModel, dir);
        m_exporter->exportFull(QString::fromStdString(m_project.resolve(m_project.model).string()), runDir(), dir,
                               QString::fromStdString(m_project.chatTemplate));
        return;
    }
    if (!checkAdapterForExport(ModelExporter::Kind::MergedModel, dir)) return;
    beginExport(ModelExporter::Kind::MergedModel, dir);
    std::optional<ft::QloraConfig> qlora;
    if (m_project.method == "qlora") qlora = m_project.qlora;
    m_exporter->exportMerged(QString::fromStdString(m_project.resolve(m_project.model).string()), adapterDir(), dir, qlora,
                             QString::fromStdString(m_project.chatTemplate));
}

void MainWindow::exportGgufTo(const QString& file) {
    if (!checkAdapterForExport(ModelExporter::Kind::GgufAdapter, file)) return;
    beginExport(ModelExporter::Kind::GgufAdapter, file);
    m_exporter->exportGguf(QString::fromStdString(m_project.resolve(m_project.model).string()), adapterDir(), file);
}

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
