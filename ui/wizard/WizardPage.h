#pragma once
// A page of the fine-tuning wizard: reads its fields from the project when shown and writes them back (and saves
// the project file) when the user goes on, so closing the app at any page loses nothing.

#include <QWizardPage>

class FineTuneWizard;

class WizardPage : public QWizardPage {
    Q_OBJECT
public:
    using QWizardPage::QWizardPage;

    bool validatePage() override;  // store(), then save the project

protected:
    FineTuneWizard* studio() const;
    // Writes the page's fields into studio()->project(); false keeps the user on the page.
    virtual bool store() { return true; }
};
