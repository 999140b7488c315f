#pragma once
// `ftstudio --screenshots DIR`: opens the built-in demo and saves a PNG of the main window on every tool tab and of
// the wizard on each of its pages, filled in on the demo (a short training, a tensor inspected and the layers
// scanned, the dataset's quality report, an example tokenized and rendered). Every step waits on the UI thread's event
// loop (signals and polling timers), never by sleeping. finished(0) when every file is written; otherwise finished(1)
// after the reason is printed on stderr.

#include "core/data/dataset.h"

#include <QElapsedTimer>
#include <QObject>
#include <QPointer>
#include <QSize>
#include <QString>

#include <functional>
#include <vector>

class FineTuneWizard;
class MainWindow;
class QWidget;

class ScreenshotTour : public QObject {
    Q_OBJECT
public:
    static constexpr QSize kWindowSize{1280, 860};
    static constexpr QSize kWizardSize{1100, 820};
    static constexpr int kTimeoutMs = 240000;  // the whole tour
    static constexpr int kTrainingSteps = 30;  // the main window's run and the wizard's Train page

    // `language` picks the demo example shown ("ko": a Korean one).
    ScreenshotTour(MainWindow* window, const QString& outDir, const QString& language, QObject* parent = nullptr);

    // Writes the demo into `demoDir` (if not there yet), opens it and starts.
    void start(const QString& demoDir);
    QStringList written() const { return m_written; }

signals:
    void finished(int exitCode);

private:
    // Calls `then` once `ready` holds (checked every 50 ms); fails naming `what` when the tour's time is up.
    void waitFor(const QString& what, std::function<bool()> ready, std::function<void()> then);
    // Lets layouts and queued replots land, grabs `widget` into <nn>-<name>.png, then calls `then`.
    void shoot(QWidget* widget, const QString& name, std::function<void()> then);
    void fail(const QString& message);
    void done();

    void mainTraining();
    void mainQuantization();
    void mainDataset();
    void mainTokens();
    void mainChatTemplate();
    void wizardPages();
    void wizardTour();
    void wizardNext(int page, const QString& name, std::function<bool()> ready, std::function<void()> then);

    QPointer<MainWindow> m_window;
    QPointer<FineTuneWizard> m_wizard;
    QString m_outDir;
    QString m_language;
    QString m_projectFile;
    QString m_modelDir;
    QString m_datasetFile;
    std::vector<ft::Example> m_examples;
    int m_exampleIndex = 0;
    int m_shot = 0;
    bool m_failed = false;
    bool m_finished = false;
    QElapsedTimer m_clock;
    QStringList m_written;
};
