#pragma once
// Page 5: the fine-tuning method and its settings (one panel each), the training options, and — updated as values
// change — the trainable-parameter count and the memory the run will need against what the device has free.

#include "wizard/WizardPage.h"

#include <QString>

class MethodPanel;
class QComboBox;
class QLabel;
class QStackedWidget;
class TrainingSettingsBox;

class MethodPage : public WizardPage {
    Q_OBJECT
public:
    explicit MethodPage(QWidget* parent = nullptr);

    void initializePage() override;

    void setMethod(const QString& method);  // a project-file name of the method table (core/peft/method_spec.h)
    QString method() const;
    MethodPanel* panel(const QString& method) const;
    TrainingSettingsBox* trainingSettings() const { return m_training; }
    qint64 trainableParameters() const { return m_trainable; }
    qint64 estimatedBytes() const { return m_estimated; }
    bool fitsDevice() const { return m_fits; }

signals:
    void estimateChanged();

protected:
    bool store() override;

private:
    void estimate();
    void queryAvailable();

    QComboBox* m_method;
    QStackedWidget* m_stack;
    TrainingSettingsBox* m_training;
    QLabel* m_estimate;
    QLabel* m_warning;
    qint64 m_trainable = 0;
    qint64 m_estimated = 0;
    qint64 m_available = -1;  // bytes free on the device; -1 unknown
    QString m_resolvedDevice = QStringLiteral("cpu");
    bool m_fits = true;
    int m_availableRequest = 0;
};
