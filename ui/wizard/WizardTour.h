#pragma once
// A short guided tour of the fine-tuning wizard: a bubble with a few sentences per page, pointing at the control
// that matters there (framed), with Back / Next / End tour. The tour follows the wizard: its Next moves the wizard on
// when the tip is the page's last, and waits (saying so) while the page is not complete yet — a model still loading,
// a training not run. When the user moves the wizard, the bubble moves to that page's first tip. Shown on the first
// start over the demo and again from Help ▸ Guided Tour; it never blocks the wizard.

#include <QObject>
#include <QPointer>
#include <QString>

#include <vector>

class FineTuneWizard;
class QLabel;
class QPushButton;
class QWidget;
class QFrame;

class WizardTour : public QObject {
    Q_OBJECT
public:
    struct Step {
        int page;        // FineTuneWizard::PageId
        QString target;  // objectName of the control to point at; empty: the page itself
        QString title;
        QString text;
    };

    explicit WizardTour(FineTuneWizard* wizard);
    ~WizardTour() override;

    static std::vector<Step> steps();

    void start();  // from the first tip of the wizard's current page
    void next();
    void back();
    void end();

    int stepIndex() const { return m_index; }
    bool isWaiting() const { return m_waiting; }  // Next pressed on an incomplete page
    QWidget* bubble() const;
    QWidget* target() const { return m_target; }  // the framed control, null when none
    QString title() const;
    QString text() const;

signals:
    void stepShown(int index);
    void ended();

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    void show(int index);
    void place();
    void followPage(int pageId);
    void advanceWhenComplete();
    int firstStepOf(int pageId) const;

    QPointer<FineTuneWizard> m_wizard;
    std::vector<Step> m_steps;
    int m_index = -1;
    bool m_waiting = false;
    // The wizard's children (drawn over its pages); deleted with the tour, or with the wizard when it goes first.
    QPointer<QFrame> m_bubble;
    QPointer<QFrame> m_frame;  // the highlight drawn around the target
    QPointer<QWidget> m_target;
    QLabel* m_title;
    QLabel* m_text;
    QLabel* m_counter;
    QPushButton* m_back;
    QPushButton* m_next;
    QPushButton* m_end;
};
