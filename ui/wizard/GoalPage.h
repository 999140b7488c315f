#pragma once
// Page 1: what kind of fine-tune. Base FT continues pre-training on raw text; Instruct FT teaches a chat model to
// answer in a given way. Missing knowledge is usually a retrieval problem first, and the page says so.

#include "wizard/WizardPage.h"

class QRadioButton;

class GoalPage : public WizardPage {
    Q_OBJECT
public:
    explicit GoalPage(QWidget* parent = nullptr);

    void initializePage() override;
    bool isInstruct() const;
    void setInstruct(bool instruct);

protected:
    bool store() override;

private:
    QRadioButton* m_instruct;
    QRadioButton* m_base;
};
