#pragma once
// Page 2: the Hugging Face model folder. Opening it (config, tokenizer, every weight header) runs on a worker; the
// page then shows the architecture, parameter count, stored dtype, whether it has a chat template, and what the
// weights take in fp32, bf16, int8 and nf4.

#include "wizard/WizardPage.h"

#include "inspectors/LoadedModel.h"

class QFormLayout;
class QLabel;
class QLineEdit;

class ModelPage : public WizardPage {
    Q_OBJECT
public:
    explicit ModelPage(QWidget* parent = nullptr);

    void initializePage() override;
    bool isComplete() const override;

    void openFolder(const QString& dir);  // on a worker; reports through loaded
    LoadedModelPtr model() const { return m_model; }
    bool isLoading() const { return m_loading > 0; }

signals:
    void loaded(bool ok);

protected:
    bool store() override;

private:
    void show(const LoadedModelPtr& model);

    QLineEdit* m_path;
    QLabel* m_status;
    QFormLayout* m_facts;
    QLabel* m_architecture;
    QLabel* m_parameters;
    QLabel* m_dtype;
    QLabel* m_template;
    QLabel* m_footprint;
    LoadedModelPtr m_model;
    int m_loading = 0;
    int m_request = 0;
};
