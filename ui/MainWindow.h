#pragma once
// The main window: menus (File, Edit, Train, Export, View, Help), the tools as tabs (training, quantization, and the
// tools added through addToolTab), exports on worker threads with a progress dialog, and the window layout and
// preferences kept in QSettings.

#include "ModelExporter.h"

#include "core/project/project.h"
#include "core/train/run_folder.h"

#include <QMainWindow>
#include <QPointer>
#include <QString>

#include <map>
#include <optional>

class ChatTemplatePreview;
class DatasetEditor;
class EvalView;
class FineTuneWizard;
class LossPlot;
class ProjectDocument;
class QuantizationInspector;
class RecentFilesMenu;
class TokenInspector;
class TrainingController;
class TrainingView;
class WizardTour;
class QAction;
class QMenu;
class QTabWidget;
class QToolBar;
class QUndoGroup;
class QUndoStack;

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;

    QString projectFile() const;
    const ft::Project& project() const;
    ProjectDocument* document() const { return m_document; }
    LossPlot* lossPlot() const;
    TrainingController* controller() const { return m_controller; }
    TrainingView* trainingView() const { return m_training; }
    QuantizationInspector* quantizationInspector() const { return m_quant; }
    DatasetEditor* datasetEditor() const { return m_dataset; }
    TokenInspector* tokenInspector() const { return m_tokens; }
    EvalView* evalView() const { return m_eval; }
    FineTuneWizard* wizard() const;  // null until opened
    WizardTour* wizardTour() const;  // null until a tour starts
    QTabWidget* tools() const { return m_tabs; }
    QUndoGroup* undoGroup() const { return m_undoGroup; }
    // The adapter the Export menu and the loss map take: the selected run's (newest by default); empty when none.
    QString adapterDir() const;

    // Adds a tool as a tab with a View-menu toggle. `undo`, when given, drives Edit > Undo/Redo while the tab is shown.
    void addToolTab(QWidget* tool, const QString& title, QUndoStack* undo = nullptr);
    void showTool(QWidget* tool);
    void setToolVisible(QWidget* tool, bool visible);

public slots:
    void openProject(const QString& file);
    // Writes the built-in demo into `dir` on a worker thread (if not there yet), then opens it.
    void openDemo(const QString& dir);
    bool saveProjectAs(const QString& file);
    // A LoRA project on `model` and `dataset` with the defaults (device from the settings), saved and opened.
    bool newProject(const QString& file, const QString& model, const QString& dataset);
    // The fine-tuning wizard, non-modal: on a new project to be saved at `file`, or on the open project when empty.
    void openWizard(const QString& file = QString());
    void openModel(const QString& dir);     // into the inspectors
    void openDataset(const QString& file);  // into the dataset editor, when there is one
    // The dataset editor on `file` with the row of `line` selected (evaluation's rows lead back to their data).
    void showDatasetLine(const QString& file, int line);
    // A model folder, project or dataset file, told apart as pathKind() does; anything else is reported.
    void openPath(const QString& path);
    // The wizard on the open project, with its guided tour from the first page.
    void startWizardTour();
    void startTraining(int maxSteps = -1);
    // Continues the project's run from its newest complete checkpoint (after a cancel, a crash or a kill); the curve
    // is drawn from the run's beginning.
    void resumeTraining();
    // Exports of the selected run (newest unless another was chosen in Export ▸ Export from Run).
    void exportAdapterTo(const QString& dir);
    void exportMergedTo(const QString& dir);
    void exportGgufTo(const QString& file);

signals:
    void projectOpened(const QString& file);
    void trainingFinished(bool ok);
    void adapterExported(bool ok, const QString& dir);
    // Every export, the PEFT adapter included; `message` is the translated error when !ok.
    void exportFinished(ModelExporter::Kind kind, bool ok, const QString& message, const QString& path);
    void modelOpened(const QString& dir);
    void datasetOpened(const QString& file);

protected:
    void closeEvent(QCloseEvent* event) override;
    // Model folders, projects and dataset files dropped on the window open as the File menu opens them.
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;

private:
    void buildTools();
    void buildFileMenu();
    void buildEditMenu();
    void buildTrainMenu();
    void buildExportMenu();
    void buildViewMenu();
    void buildHelpMenu();
    void updateActions();
    void log(const QString& line);
    void showMessage(bool ok, const QString& title, const QString& text);
    void onExportFinished(ModelExporter::Kind kind, bool ok, const QString& message, const QString& path);
    void beginExport(ModelExporter::Kind kind, const QString& path);
    void exportRun(ModelExporter::Kind kind, const QString& path);
    std::optional<ft::RunInfo> exportableRun() const;
    static QString runTitle(const ft::RunInfo& run);
    void fillRunsMenu();
    void onProjectOpened();
    void showLastRun();
    void showProjectInTools();
    void showModelInTools(const QString& dir);
    QString askSaveFile(const QString& title, const QString& name, const QString& filter);
    QString askFolder(const QString& title);

    ProjectDocument* m_document;
    TrainingController* m_controller;
    ModelExporter* m_exporter;
    QTabWidget* m_tabs = nullptr;
    TrainingView* m_training = nullptr;
    QuantizationInspector* m_quant = nullptr;
    DatasetEditor* m_dataset = nullptr;
    TokenInspector* m_tokens = nullptr;
    EvalView* m_eval = nullptr;
    ChatTemplatePreview* m_chatPreview = nullptr;
    QPointer<FineTuneWizard> m_wizard;
    QPointer<WizardTour> m_tour;
    QUndoGroup* m_undoGroup = nullptr;
    std::map<QWidget*, QUndoStack*> m_undoStacks;
    QMenu* m_toolsMenu = nullptr;
    RecentFilesMenu* m_recent = nullptr;
    QAction* m_saveAction = nullptr;
    QAction* m_saveAsAction = nullptr;
    QAction* m_trainAction = nullptr;
    QAction* m_resumeAction = nullptr;
    QAction* m_pauseAction = nullptr;
    QAction* m_cancelAction = nullptr;
    QAction* m_exportAdapterAction = nullptr;
    QAction* m_exportMergedAction = nullptr;
    QAction* m_exportGgufAction = nullptr;
    QAction* m_exportRunInfo = nullptr;
    QMenu* m_runsMenu = nullptr;
    QToolBar* m_trainingBar = nullptr;
    QString m_shownModel;    // what the tools show, so a save reloads only what changed
    QString m_shownDataset;
    bool m_paused = false;
};
