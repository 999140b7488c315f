#pragma once
// Page 1: what kind of fine-tune. Base FT continues pre-training on raw text; Instruct FT teaches a chat model to
// answer in a given way; preference tuning aligns it from pairs of better and worse answers (DPO, ORPO, KTO as TRL
// computes them). Missing knowledge is usually a retrieval problem first, and the page says so.

#include "wizard/WizardPage.h"

#include "core/project/project.h"

class QComboBox;
class QDoubleSpinBox;
class QGroupBox;
class QLabel;
class QRadioButton;

class GoalPage : public WizardPage {
    Q_OBJECT
public:
    explicit GoalPage(QWidget* parent = nullptr);

    void initializePage() override;
    bool isInstruct() const;
    void setInstruct(bool instruct);
    ft::FinetuneKind kind() const;
    void setKind(ft::FinetuneKind kind);
    QComboBox* lossBox() const { return m_loss; }

protected:
    bool store() override;

private:
    void showPreferenceSettings();

    QRadioButton* m_instruct;
    QRadioButton* m_base;
    QRadioButton* m_preference;
    QGroupBox* m_preferenceBox;
    QComboBox* m_loss;
    QDoubleSpinBox* m_beta;
    QDoubleSpinBox* m_labelSmoothing;
    QDoubleSpinBox* m_desirable;
    QDoubleSpinBox* m_undesirable;
    QLabel* m_lossHelp;
};
