#include "wizard/EvaluatePage.h"

#include "EvalView.h"
#include "ProjectDocument.h"
#include "wizard/FineTuneWizard.h"

#include <QPushButton>
#include <QVBoxLayout>

EvaluatePage::EvaluatePage(QWidget* parent) : WizardPage(parent), m_view(new EvalView(this)) {
    setTitle(tr("Evaluate"));
    setSubTitle(tr("Compare the base model and the tuned one on the rows training held out: loss per example, "
                   "their answers side by side, and how close each answer is to the reference. The examples whose "
                   "loss stays high after training are where bad data hides: Enter on a row opens it in the "
                   "dataset editor."));
    m_view->setMaxNewTokens(64);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_view);
    connect(m_view, &EvalView::openDatasetRow, this, &EvaluatePage::openDatasetRow);
    connect(m_view->evaluateButton(), &QPushButton::clicked, this, &EvaluatePage::completeChanged);
    connect(m_view, &EvalView::evaluated, this, &EvaluatePage::completeChanged);
}

void EvaluatePage::initializePage() {
    m_view->setProject(studio()->project(), studio()->document()->runs());
    // The run the wizard just trained (or the selected one), alone.
    if (const auto run = studio()->document()->selectedRun(); run && !run->latestCheckpoint.empty())
        m_view->selectRun(QString::fromStdString(run->dir.string()));
}

bool EvaluatePage::isComplete() const { return !m_view->isRunning(); }
