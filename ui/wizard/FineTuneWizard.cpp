#include "wizard/FineTuneWizard.h"

#include "DroppedPaths.h"
#include "ErrorText.h"
#include "TrainingController.h"
#include "wizard/DatasetPage.h"
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

FineTuneWizard::FineTuneWizard(QWidget* parent)
    : QWizard(parent), m_controller(new TrainingController(this)), m_goal(new GoalPage(this)),
      m_modelPage(new ModelPage(this)), m_datasetPage(new DatasetPage(this)), m_formatting(new FormattingPage(this)),
      m_method(new MethodPage(this)), m_train(new TrainPage(this)), m_export(new ExportPage(this)) {
    setWindowTitle(tr("Fine-tuning Wizard"));
    setWizardStyle(QWizard::ClassicStyle);
    setOption(QWizard::NoBackButtonOnStartPage);
    setPage(Goal, m_goal);
    setPage(Model, m_modelPage);
    setPage(Dataset, m_datasetPage);
    setPage(Formatting, m_formatting);
    setPage(Method, m_method);
    setPage(Train, m_train);
    setPage(Export, m_export);
    setAcceptDrops(true);
    resize(980, 760);
}

FineTuneWizard::~FineTuneWizard() { m_controller->cancel(); }

bool FineTuneWizard::openProject(const QString& file) {
    try {
        m_project = ft::loadProject(file.toStdString());
    } catch (const ft::Error& e) {
        m_lastError = errorText(e);
        return false;
    }
    m_projectFile = file;
    m_model.reset();
    m_dataset.reset();
    m_runOutput.clear();
    restart();
    return true;
}

void FineTuneWizard::newProject(const QString& file) {
    m_project = ft::Project{};
    m_project.file = file.toStdString();
    m_project.name = QFileInfo(file).completeBaseName().toStdString();
    m_projectFile = file;
    m_model.reset();
    m_dataset.reset();
    m_runOutput.clear();
    restart();
}

bool FineTuneWizard::saveProject() {
    if (m_projectFile.isEmpty()) return true;  // nothing to save into yet
    try {
        ft::saveProject(m_project, m_projectFile.toStdString());
    } catch (const ft::Error& e) {
        m_lastError = errorText(e);
        return false;
    }
    emit projectSaved(m_projectFile);
    return true;
}

QString FineTuneWizard::resolvedPath(const std::string& path) const {
    if (path.empty()) return {};
    return QString::fromStdString(m_project.resolve(path).string());
}

std::string FineTuneWizard::projectPath(const QString& path) const {
    if (path.isEmpty() || m_projectFile.isEmpty()) return path.toStdString();
    const QDir base = QFileInfo(m_projectFile).absoluteDir();
    const QString rel = base.relativeFilePath(QFileInfo(path).absoluteFilePath());
    return (rel.startsWith(QStringLiteral("..")) ? QFileInfo(path).absoluteFilePath() : rel).toStdString();
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
    m_controller->cancel();
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
