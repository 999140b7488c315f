// ftstudio: the desktop app. With no arguments it opens the built-in demo.

#include "AppSettings.h"
#include "LossPlot.h"
#include "MainWindow.h"
#include "ScreenshotTour.h"

#include "core/common/openmp_wait.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QIcon>
#include <QLibraryInfo>
#include <QLocale>
#include <QSettings>
#include <QStandardPaths>
#include <QTimer>
#include <QTranslator>

int main(int argc, char** argv) {
    ft::restartWithPassiveOpenMpWait(argv);
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("FinetuneStudio"));
    QApplication::setApplicationName(QStringLiteral("Finetune Studio"));
    QApplication::setApplicationVersion(QStringLiteral("0.1.0"));
    QApplication::setWindowIcon(QIcon(QStringLiteral(":/icons/ftstudio.svg")));
    QGuiApplication::setDesktopFileName(QStringLiteral("io.github.finetunestudio.FinetuneStudio"));  // the .desktop entry

    QCommandLineParser cli;
    cli.setApplicationDescription(QStringLiteral("Fine-tune language models on your own machine."));
    cli.addHelpOption();
    cli.addVersionOption();
    cli.addPositionalArgument(QStringLiteral("project"), QStringLiteral("Project, model folder or dataset to open (default: the built-in demo)."));
    const QCommandLineOption lang(QStringLiteral("lang"), QStringLiteral("UI language: en or ko."), QStringLiteral("code"));
    const QCommandLineOption demoDir(QStringLiteral("demo-dir"), QStringLiteral("Where the built-in demo lives."), QStringLiteral("dir"));
    const QCommandLineOption train(QStringLiteral("train"), QStringLiteral("Start training as soon as the project is open."));
    const QCommandLineOption maxSteps(QStringLiteral("max-steps"), QStringLiteral("Cap the training steps."), QStringLiteral("n"));
    const QCommandLineOption screenshot(QStringLiteral("screenshot"),
                                        QStringLiteral("After training, save the window as PNG and quit."), QStringLiteral("file"));
    const QCommandLineOption screenshots(QStringLiteral("screenshots"),
                                         QStringLiteral("Save every tool tab and wizard page on the demo as PNG into dir, then quit."),
                                         QStringLiteral("dir"));
    cli.addOptions({lang, demoDir, train, maxSteps, screenshot, screenshots});
    cli.process(app);

    QString language = cli.isSet(lang) ? cli.value(lang) : AppSettings::language();
    if (language.isEmpty()) language = QLocale::system().name().left(2);
    QTranslator translator, qtTranslator;
    if (translator.load(QStringLiteral(":/i18n/ftstudio_%1.qm").arg(language))) QApplication::installTranslator(&translator);
    // Qt's own strings (the wizard's Back/Next, standard dialogs) from Debian's qt6-translations-l10n.
    if (qtTranslator.load(QStringLiteral("qtbase_%1").arg(language), QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
        QApplication::installTranslator(&qtTranslator);

    MainWindow window;
    window.show();
    const QString demo = cli.isSet(demoDir) ? cli.value(demoDir)
                                            : QStandardPaths::writableLocation(QStandardPaths::AppLocalDataLocation) + QStringLiteral("/demo");
    if (cli.isSet(screenshots)) {
        auto* tour = new ScreenshotTour(&window, cli.value(screenshots), language, &window);
        QObject::connect(tour, &ScreenshotTour::finished, &app, [](int code) { QCoreApplication::exit(code); });
        tour->start(demo);
        return app.exec();
    }

    const int steps = cli.isSet(maxSteps) ? cli.value(maxSteps).toInt() : -1;
    if (cli.isSet(train))
        QObject::connect(&window, &MainWindow::projectOpened, &window, [&window, steps] { window.startTraining(steps); },
                         Qt::SingleShotConnection);
    if (cli.isSet(screenshot)) {
        const QString file = cli.value(screenshot);
        QObject::connect(&window, &MainWindow::trainingFinished, &window, [&window, file](bool) {
            // Draw the last batched points, then let the queued replot land before grabbing.
            window.lossPlot()->flush();
            QTimer::singleShot(300, &window, [&window, file] {
                window.grab().save(file);
                window.close();
            });
        });
    }

    // The first start opens the wizard over the demo with its guided tour (Help ▸ Guided Tour shows it again),
    // unless started for a scripted run.
    QSettings settings;
    if (!settings.value(QStringLiteral("ui/tourShown")).toBool() && !cli.isSet(train) && !cli.isSet(screenshot)) {
        settings.setValue(QStringLiteral("ui/tourShown"), true);
        QObject::connect(&window, &MainWindow::projectOpened, &window, [&window] { window.startWizardTour(); },
                         Qt::SingleShotConnection);
    }

    if (!cli.positionalArguments().isEmpty()) {
        window.openPath(cli.positionalArguments().constFirst());
    } else {
        window.openDemo(demo);
    }
    return app.exec();
}
