#pragma once
// Page 2: the model. The models already on this machine (Hugging Face cache, Ollama, LM Studio, folders the user
// added) are listed, searchable, with whether each can be trained here and why not; the list is scanned on a worker.
// A model can also be picked by path or Browse. Opening it (config, tokenizer, every weight header) runs on a worker;
// the page then shows the architecture, parameter count, stored dtype, whether it has a chat template, and what the
// weights take in fp32, bf16, int8 and nf4.

#include "wizard/WizardPage.h"

#include "inspectors/LoadedModel.h"

class ModelListModel;
class QFormLayout;
class QLabel;
class QLineEdit;
class QSortFilterProxyModel;
class QTableView;

class ModelPage : public WizardPage {
    Q_OBJECT
public:
    explicit ModelPage(QWidget* parent = nullptr);

    void initializePage() override;
    bool isComplete() const override;

    void openFolder(const QString& dir);  // on a worker; reports through loaded
    LoadedModelPtr model() const { return m_model; }
    bool isLoading() const { return m_loading > 0; }

    // The list of models on this machine: scanned on a worker, reported through scanned.
    void rescan();
    bool isScanning() const { return m_scanning > 0; }
    void addModelFolder(const QString& dir);  // remembered in AppSettings, then rescanned
    ModelListModel* modelList() const { return m_list; }
    QTableView* modelTable() const { return m_table; }

signals:
    void loaded(bool ok);
    void scanned(int count);

protected:
    bool store() override;

private:
    void show(const LoadedModelPtr& model);
    void openRow(const QModelIndex& proxyIndex);  // only a model that can be trained; else the reason is shown
    void showCount();
    QString selectedTrainablePath() const;

    QLineEdit* m_search;
    QLabel* m_found;
    ModelListModel* m_list;
    QSortFilterProxyModel* m_filter;
    QTableView* m_table;
    QLineEdit* m_path;
    QLabel* m_status;
    QFormLayout* m_facts;
    QLabel* m_architecture;
    QLabel* m_parameters;
    QLabel* m_dtype;
    QLabel* m_template;
    QLabel* m_footprint;
    LoadedModelPtr m_model;
    QString m_requested;  // the path last given to openFolder
    bool m_nextWhenLoaded = false;
    int m_loading = 0;
    int m_request = 0;
    int m_scanning = 0;
    int m_scanRequest = 0;
};
