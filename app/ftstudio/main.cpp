// ftstudio: the desktop app. With no arguments it opens the built-in demo.

#include "LossPlot.h"
#include "MainWindow.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QIcon>
#include <QLocale>
#include <QSettings>
#include <QStandardPaths>
#include <QTimer>
#include <QTranslator>

int main(int argc, char** argv) {
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("FinetuneStudio"));
    QApplication::setApplicationName(QStringLiteral("Finetune Studio"));
    QApplication::setApplicationVersion(QStringLiteral("0.1.0"));
    QApplication::setWindowIcon(QIcon(QStringLiteral(":/icons/ftstudio.svg")));

    QCommandLineParser cli;
    cli.setApplicationDescription(QStringLiteral("Fine-tune language models on your own machine."));
    cli.addHelpOption();
    cli.addVersionOption();
    cli.addPositionalArgument(QStringLiteral("project"), QStringLiteral("Project file to open (default: the built-in demo)."));
    const QCommandLineOption lang(QStringLiteral("lang"), QStringLiteral("UI language: en or ko."), QStringLiteral("code"));
    const QCommandLineOption demoDir(QStringLiteral("demo-dir"), QStringLiteral("Where the built-in demo lives."), QStringLiteral("dir"));
    const QCommandLineOption train(QStringLiteral("train"), QStringLiteral("Start training as soon as the project is open."));
    const QCommandLineOption maxSteps(QStringLiteral("max-steps"), QStringLiteral("Cap the training steps."), QStringLiteral("n"));
    const QCommandLineOption screenshot(QStringLiteral("screenshot"),
                                        QStringLiteral("After training, save the window as PNG and quit."), QStringLiteral("file"));
    cli.addOptions({lang, demoDir, train, maxSteps, screenshot});
    cli.process(app);

    QSettings settings;
    const QString language = cli.isSet(lang) ? cli.value(lang)
                                              : settings.value(QStringLiteral("ui/language"), QLocale::system().name().left(2)).toString();
    QTranslator translator;
    if (translator.load(QStringLiteral(":/i18n/ftstudio_%1.qm").arg(language))) QApplication::installTranslator(&translator);

    MainWindow window;
    window.show();

    const int steps = cli.isSet(maxSteps) ? cli.value(maxSteps).toInt() : -1;
    if (cli.isSet(train))
        QObject::connect(&window, &MainWindow::projectOpened, &window, [&window, steps] { window.startTraining(steps); },
                         Qt::SingleShotConnection);
    if (cli.isSet(screenshot)) {
        const QString file = cli.value(screenshot);
        QObject::connect(&window, &MainWindow::trainingFinished, &window, [&window, file](bool) {
            // Let the queued replot land before grabbing.
            QTimer::singleShot(300, &window, [&window, file] {
                window.grab().save(file);
                window.close();
            });
        });
    }

    if (!cli.positionalArguments().isEmpty()) {
        window.openProject(cli.positionalArguments().constFirst());
    } else {
        const QString dir = cli.isSet(demoDir)
                                ? cli.value(demoDir)
                                : QStandardPaths::writableLocation(QStandardPaths::AppLocalDataLocation) + QStringLiteral("/demo");
        window.openDemo(dir);
    }
    return app.exec();
}
