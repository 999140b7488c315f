#pragma once
// The fine-tuning wizard: goal, model, dataset, formatting, method, training, export and try. Its state is the
// project file (core/train/project.h): each page writes its fields there when the user goes on, and a reopened
// project shows the same choices. The model and dataset, once opened (on worker threads), are shared by the pages.

#include "inspectors/LoadedModel.h"

#include "core/data/dataset.h"
#include "core/train/project.h"

#include <QString>
#include <QWizard>

#include <memory>

class DatasetPage;
class ExportPage;
class FormattingPage;
class GoalPage;
class MethodPage;
class ModelPage;
class TrainPage;
class TrainingController;

using DatasetPtr = std::shared_ptr<const ft::Dataset>;

class FineTuneWizard : public QWizard {
    Q_OBJECT
public:
    enum PageId { Goal, Model, Dataset, Formatting, Method, Train, Export };

    explicit FineTuneWizard(QWidget* parent = nullptr);
    ~FineTuneWizard() override;

    // Reads the project; false (with the reason in lastError()) when it cannot be read.
    bool openProject(const QString& file);
    // Starts a new project that will be saved at `file`.
    void newProject(const QString& file);
    bool saveProject();  // atomic write; false (with lastError()) when it fails
    QString projectFile() const { return m_projectFile; }
    QString lastError() const { return m_lastError; }

    ft::Project& project() { return m_project; }
    const ft::Project& project() const { return m_project; }
    // Paths in the project are relative to its folder.
    QString resolvedPath(const std::string& path) const;
    std::string projectPath(const QString& path) const;  // relative where it lies under the project's folder

    LoadedModelPtr model() const { return m_model; }
    void setModel(LoadedModelPtr model);
    DatasetPtr dataset() const { return m_dataset; }
    void setDataset(DatasetPtr dataset);
    // The finished run's output folder (its adapter is in <dir>/adapter); empty before training.
    QString runOutput() const { return m_runOutput; }
    void setRunOutput(const QString& dir) { m_runOutput = dir; }

    TrainingController* controller() const { return m_controller; }
    GoalPage* goalPage() const { return m_goal; }
    ModelPage* modelPage() const { return m_modelPage; }
    DatasetPage* datasetPage() const { return m_datasetPage; }
    FormattingPage* formattingPage() const { return m_formatting; }
    MethodPage* methodPage() const { return m_method; }
    TrainPage* trainPage() const { return m_train; }
    ExportPage* exportPage() const { return m_export; }

signals:
    void projectSaved(const QString& file);
    void modelChanged();
    void datasetChanged();

protected:
    void reject() override;  // cancels a running training first
    // A model folder dropped on the Model page, or a dataset on the Dataset page, is opened there.
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;

private:
    ft::Project m_project;
    QString m_projectFile;
    QString m_lastError;
    QString m_runOutput;
    LoadedModelPtr m_model;
    DatasetPtr m_dataset;
    TrainingController* m_controller;
    GoalPage* m_goal;
    ModelPage* m_modelPage;
    DatasetPage* m_datasetPage;
    FormattingPage* m_formatting;
    MethodPage* m_method;
    TrainPage* m_train;
    ExportPage* m_export;
};
