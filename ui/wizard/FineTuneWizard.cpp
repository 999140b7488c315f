#include "wizard/FineTuneWizard.h"

#include "DroppedPaths.h"
#include "ErrorText.h"
#include "ProjectDocument.h"
#include "TrainingController.h"
#include "wizard/DatasetPage.h"
#include "wizard/EvaluatePage.h"
#include "wizard/ExportPage.h"
#include "wizard/FormattingPage.h"
#include "wizard/GoalPage.h"
#include "wizard/MethodPage.h"
#include "wizard/ModelPage.h"
#include "wizard/TrainPage.h"

#include <QDir>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QMimeData>
#include <QFileInfo>

FineTuneWizard::FineTuneWizard(QWidget* parent, ProjectDocument* document, TrainingController* controller)
    : QWizard(parent), m_document(document ? document : new ProjectDocument(this)),
      m_controller(controller ? controller : new TrainingController(this)), m_ownsController(!controller), m_goal(new GoalPage(this)),
      m_modelPage(new ModelPage(this)), m_datasetPage(new DatasetPage(this)), m_formatting(new FormattingPage(this)),
      m_method(new MethodPage(this)), m_train(new TrainPage(this)), m_evaluate(new EvaluatePage(this)),
      m_export(new ExportPage(this)) {
    setWindowTitle(tr("Fine-tuning Wizard"));
    setWizardStyle(QWizard::ClassicStyle);
    setOption(QWizard::NoBackButtonOnStartPage);
    setPage(Goal, m_goal);
    setPage(Model, m_modelPage);
    setPage(Dataset, m_datasetPage);
    setPage(Formatting, m_formatting);
    setPage(Method, m_method);
    setPage(Train, m_train);
    setPage(Evaluate, m_evaluate);
    setPage(Export, m_export);
    setAcceptDrops(true);
    resize(980, 760);
    // The document's runs follow the controller before any page hears of a run (connected first).
    connect(m_controller, &TrainingController::started, m_document, &ProjectDocument::refreshRuns);
    connect(m_controller, &TrainingController::finished, m_document, &ProjectDocument::refreshRuns);
    connect(m_controller, &TrainingController::checkpointWritten, m_document, &ProjectDocument::refreshRuns);
    // Another project opened (here or in the main window): start over on it.
    connect(m_document, &ProjectDocument::opened, this, &FineTuneWizard::showProject);
}

FineTuneWizard::~FineTuneWizard() {
    // A run the wizard started alone dies with it; a shared controller's run goes on in the main window.
    if (m_ownsController) m_controller->cancel();
}

bool FineTuneWizard::openProject(const QString& file) {
    if (!m_document->open(file)) {  // reports through opened → showProject
        m_lastError = m_document->lastError();
        return false;
    }
    return true;
}

void FineTuneWizard::newProject(const QString& file) {
    if (!m_document->create(file)) m_lastError = m_document->lastError();  // reports through opened
}

void FineTuneWizard::showProject() {
    m_model.reset();
    m_dataset.reset();
    restart();
}

bool FineTuneWizard::saveProject() {
    if (!m_document->isOpen()) return true;  // nothing to save into yet
    if (!m_document->save()) {
        m_lastError = m_document->lastError();
        return false;
    }
    return true;
}

QString FineTuneWizard::projectFile() const { return m_document->file(); }
ft::Project& FineTuneWizard::project() { return m_document->project(); }
const ft::Project& FineTuneWizard::project() const { return m_document->project(); }
QString FineTuneWizard::resolvedPath(const std::string& path) const { return m_document->resolvedPath(path); }
std::string FineTuneWizard::projectPath(const QString& path) const { return m_document->projectPath(path); }

QString FineTuneWizard::runOutput() const {
    const auto run = m_document->selectedRun();
    if (!run || (!run->finished() && run->latestCheckpoint.empty())) return {};
    return QString::fromStdString(run->dir.string());
}

void FineTuneWizard::setModel(LoadedModelPtr model) {
    if (model == m_model) return;
    m_model = std::move(model);
    emit modelChanged();
}

void FineTuneWizard::setDataset(DatasetPtr dataset) {
    if (dataset == m_dataset) return;
    m_dataset = std::move(dataset);
    emit datasetChanged();
}

void FineTuneWizard::reject() {
    if (m_ownsController) m_controller->cancel();  // a shared run goes on in the main window
    QWizard::reject();
}

namespace {

// The path a drop on the wizard's current page opens: a model folder on the Model page, a dataset on the Dataset page.
QString droppedForPage(const QMimeData* data, int page) {
    const PathKind wanted = page == FineTuneWizard::Model     ? PathKind::ModelFolder
                            : page == FineTuneWizard::Dataset ? PathKind::Dataset
                                                              : PathKind::Unsupported;
    if (wanted == PathKind::Unsupported) return {};
    for (const DroppedPath& p : droppedPaths(data))
        if (p.kind == wanted) return p.path;
    return {};
}

} // namespace

void FineTuneWizard::dragEnterEvent(QDragEnterEvent* event) {
    if (!droppedForPage(event->mimeData(), currentId()).isEmpty()) event->acceptProposedAction();
}

void FineTuneWizard::dropEvent(QDropEvent* event) {
    const QString path = droppedForPage(event->mimeData(), currentId());
    if (path.isEmpty()) return;
    event->acceptProposedAction();
    if (currentId() == Model) m_modelPage->openFolder(path);
    else m_datasetPage->openFile(path);
}
