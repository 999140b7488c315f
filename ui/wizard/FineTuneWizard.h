#pragma once
// The fine-tuning wizard: goal, model, dataset, formatting, method, training, export and try. It edits the shared
// ProjectDocument (the main window's, or its own when it stands alone): each page writes its fields there and saves
// when the user goes on, and a reopened project shows the same choices and its runs. Training goes through the
// shared TrainingController, so the main window's Training tab follows a run started here. The model and dataset,
// once opened (on worker threads), are shared by the pages.

#include "inspectors/LoadedModel.h"

#include "core/data/dataset.h"
#include "core/project/project.h"

#include <QString>
#include <QWizard>

#include <memory>

class DatasetPage;
class EvaluatePage;
class ExportPage;
class FormattingPage;
class GoalPage;
class MethodPage;
class ModelPage;
class TrainPage;
class ProjectDocument;
class TrainingController;

using DatasetPtr = std::shared_ptr<const ft::Dataset>;

class FineTuneWizard : public QWizard {
    Q_OBJECT
public:
    enum PageId { Goal, Model, Dataset, Formatting, Method, Train, Evaluate, Export };

    // Without a document or controller the wizard makes its own.
    explicit FineTuneWizard(QWidget* parent = nullptr, ProjectDocument* document = nullptr,
                            TrainingController* controller = nullptr);
    ~FineTuneWizard() override;

    // Reads the project; false (with the reason in lastError()) when it cannot be read.
    bool openProject(const QString& file);
    // Starts a new project that will be saved at `file`.
    void newProject(const QString& file);
    // Shows the document's project from the first page (after the document opened another one).
    void showProject();
    bool saveProject();  // atomic write; false (with lastError()) when it fails
    QString projectFile() const;
    QString lastError() const { return m_lastError; }

    ProjectDocument* document() const { return m_document; }
    ft::Project& project();
    const ft::Project& project() const;
    // Paths in the project are relative to its folder.
    QString resolvedPath(const std::string& path) const;
    std::string projectPath(const QString& path) const;  // relative where it lies under the project's folder

    LoadedModelPtr model() const { return m_model; }
    void setModel(LoadedModelPtr model);
    DatasetPtr dataset() const { return m_dataset; }
    void setDataset(DatasetPtr dataset);
    // The run the Export page exports and the chat tries: the document's selected run (newest by default) when it
    // can be exported — finished, or stopped with a checkpoint; empty before training.
    QString runOutput() const;

    TrainingController* controller() const { return m_controller; }
    GoalPage* goalPage() const { return m_goal; }
    ModelPage* modelPage() const { return m_modelPage; }
    DatasetPage* datasetPage() const { return m_datasetPage; }
    FormattingPage* formattingPage() const { return m_formatting; }
    MethodPage* methodPage() const { return m_method; }
    TrainPage* trainPage() const { return m_train; }
    EvaluatePage* evaluatePage() const { return m_evaluate; }
    ExportPage* exportPage() const { return m_export; }

signals:
    void modelChanged();
    void datasetChanged();

protected:
    void reject() override;  // cancels a running training first
    // A model folder dropped on the Model page, or a dataset on the Dataset page, is opened there.
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;

private:
    ProjectDocument* m_document;
    QString m_lastError;
    LoadedModelPtr m_model;
    DatasetPtr m_dataset;
    TrainingController* m_controller;
    bool m_ownsController;  // a shared controller (the main window's) may be gone before the wizard
    GoalPage* m_goal;
    ModelPage* m_modelPage;
    DatasetPage* m_datasetPage;
    FormattingPage* m_formatting;
    MethodPage* m_method;
    TrainPage* m_train;
    EvaluatePage* m_evaluate;
    ExportPage* m_export;
};
