#pragma once
// Page 7: did it help? The held-out rows through the base model and the run just trained (EvalView): losses,
// answers side by side, metrics and plots. Optional: Next goes on to Export whether or not it ran; an evaluation
// still running keeps the page (it would be cancelled).

#include "wizard/WizardPage.h"

class EvalView;

class EvaluatePage : public WizardPage {
    Q_OBJECT
public:
    explicit EvaluatePage(QWidget* parent = nullptr);

    void initializePage() override;
    bool isComplete() const override;
    EvalView* view() const { return m_view; }

signals:
    // A row of the results leads back to the dataset (the main window opens its editor there).
    void openDatasetRow(const QString& file, int line);

private:
    EvalView* m_view;
};
