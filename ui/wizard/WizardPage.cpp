#include "wizard/WizardPage.h"

#include "wizard/FineTuneWizard.h"

FineTuneWizard* WizardPage::studio() const { return qobject_cast<FineTuneWizard*>(wizard()); }

bool WizardPage::validatePage() {
    if (!store()) return false;
    return studio()->saveProject();
}
