#include "MainWindow.h"

#include "ErrorText.h"
#include "LossPlot.h"
#include "TrainingController.h"

#include "core/demo/demo.h"
#include "core/train/project.h"

#include <QApplication>
#include <QCloseEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QGridLayout>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPointer>
#include <QProgressBar>
#include <QSettings>
#include <QStatusBar>
#include <QThread>
#include <QTime>
#include <QToolBar>
#include <QVBoxLayout>

namespace {

QString formatDuration(double seconds) {
    const int s = int(seconds + 0.5);
    return QStringLiteral("%1:%2").arg(s / 60).arg(s % 60, 2, 10, QLatin1Char('0'));
}

} // namespace

MainWindow::MainWindow(QWidget* parent) : QMainWindow(parent), m_controller(new TrainingController(this)) {
    setWindowTitle(tr("Finetune Studio"));
    buildCentral();
    buildMenus();

    connect(m_controller, &TrainingController::prepared, this,
            [this](qint64 trainable, qint64 total, int totalSteps, int trainN, int valN, const QString& device) {
                m_progress->setRange(0, totalSteps);
                m_progress->setValue(0);
                log(tr("Prepared: %1 training and %2 validation examples; %3 of %4 parameters trainable (%5%); %6 steps on %7.")
                        .arg(trainN)
                        .arg(valN)
                        .arg(trainable)
                        .arg(total)
                        .arg(100.0 * double(trainable) / double(std::max<qint64>(1, total)), 0, 'f', 2)
                        .arg(totalSteps)
                        .arg(device));
            });
    connect(m_controller, &TrainingController::stepReported, this, &MainWindow::onStep);
    connect(m_controller, &TrainingController::evalReported, this, [this](int step, double loss, double ppl) {
        m_plot->addEvalLoss(step, loss);
        log(tr("Validation at step %1: loss %2, perplexity %3").arg(step).arg(loss, 0, 'f', 4).arg(ppl, 0, 'f', 2));
    });
    connect(m_controller, &TrainingController::finished, this, [this](bool ok, const QString& message, const QString& out) {
        if (ok)
            log(tr("Training finished. The adapter is in %1").arg(out + QStringLiteral("/adapter")));
        else
            log(message);
        statusBar()->showMessage(ok ? tr("Training finished") : tr("Training stopped"));
        m_paused = false;
        updateActions();
        emit trainingFinished(ok);
    });
    connect(m_controller, &TrainingController::exportFinished, this, [this](bool ok, const QString& message, const QString& dir) {
        if (ok) {
            log(tr("Adapter exported to %1").arg(dir));
            statusBar()->showMessage(tr("Adapter exported"));
        } else {
            log(message);
            showWarning(tr("Export failed"), message);
        }
        emit adapterExported(ok, dir);
    });

    QSettings settings;
    restoreGeometry(settings.value(QStringLiteral("window/geometry")).toByteArray());
    restoreState(settings.value(QStringLiteral("window/state")).toByteArray());
    if (!settings.contains(QStringLiteral("window/geometry"))) resize(960, 680);
    updateActions();
}

MainWindow::~MainWindow() = default;

void MainWindow::buildCentral() {
    auto* central = new QWidget(this);
    auto* layout = new QVBoxLayout(central);
    m_projectLabel = new QLabel(tr("No project open"), central);
    m_projectLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_projectLabel);

    m_plot = new LossPlot(central);
    layout->addWidget(m_plot, 3);

    m_progress = new QProgressBar(central);
    m_progress->setFormat(tr("%v / %m steps"));
    m_progress->setValue(0);
    layout->addWidget(m_progress);

    auto* stats = new QGridLayout();
    m_stepLabel = new QLabel(central);
    m_lossLabel = new QLabel(central);
    m_speedLabel = new QLabel(central);
    m_etaLabel = new QLabel(central);
    m_memoryLabel = new QLabel(central);
    int col = 0;
    for (QLabel* l : {m_stepLabel, m_lossLabel, m_speedLabel, m_etaLabel, m_memoryLabel}) stats->addWidget(l, 0, col++);
    layout->addLayout(stats);

    m_log = new QPlainTextEdit(central);
    m_log->setReadOnly(true);
    m_log->setMaximumBlockCount(5000);
    layout->addWidget(m_log, 1);
    setCentralWidget(central);
}

void MainWindow::buildMenus() {
    QMenu* file = menuBar()->addMenu(tr("&File"));
    file->addAction(tr("&Open Project…"), QKeySequence::Open, this, [this] {
        const QString f = QFileDialog::getOpenFileName(this, tr("Open Project"), QString(), tr("Finetune Studio project (*.json)"));
        if (!f.isEmpty()) openProject(f);
    });
    QMenu* fileExport = file->addMenu(tr("&Export"));
    file->addSeparator();
    file->addAction(tr("&Quit"), QKeySequence::Quit, this, &QWidget::close);

    QMenu* train = menuBar()->addMenu(tr("&Train"));
    m_trainAction = train->addAction(tr("&Start Training"), this, [this] { startTraining(); });
    m_pauseAction = train->addAction(tr("&Pause"), this, [this] {
        if (m_paused) {
            m_controller->resume();
            m_paused = false;
            log(tr("Resumed"));
        } else {
            m_controller->pause();
            m_paused = true;
            log(tr("Paused"));
        }
        updateActions();
    });
    m_cancelAction = train->addAction(tr("&Cancel"), m_controller, &TrainingController::cancel);

    QMenu* exportMenu = menuBar()->addMenu(tr("E&xport"));
    m_exportAdapterAction = exportMenu->addAction(tr("&LoRA Adapter (PEFT)…"), this, [this] {
        const QString dir = QFileDialog::getExistingDirectory(this, tr("Export LoRA adapter into"));
        if (!dir.isEmpty()) exportAdapterTo(dir + QStringLiteral("/adapter"));
    });
    fileExport->addAction(m_exportAdapterAction);

    QMenu* view = menuBar()->addMenu(tr("&View"));
    view->addAction(tr("Reset &Zoom"), this, [this] { m_plot->resetView(); });

    QMenu* help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&About Finetune Studio"), this, [this] {
        QMessageBox::about(this, tr("About Finetune Studio"),
                           tr("Finetune Studio %1\nFine-tune language models on your own machine.")
                               .arg(QApplication::applicationVersion()));
    });

    QToolBar* bar = addToolBar(tr("Training"));
    bar->setObjectName(QStringLiteral("trainingToolBar"));
    bar->addAction(m_trainAction);
    bar->addAction(m_pauseAction);
    bar->addAction(m_cancelAction);
    bar->addAction(m_exportAdapterAction);
}

void MainWindow::updateActions() {
    const bool running = m_controller->isRunning();
    m_trainAction->setEnabled(!running && !m_projectFile.isEmpty());
    m_pauseAction->setEnabled(running);
    m_pauseAction->setText(m_paused ? tr("&Resume") : tr("&Pause"));
    m_cancelAction->setEnabled(running);
    m_exportAdapterAction->setEnabled(m_controller->canExport());
}

void MainWindow::showWarning(const QString& title, const QString& text) {
    // Window-modal and opened, not exec()'d: no nested event loop, so queued training signals keep flowing.
    auto* box = new QMessageBox(QMessageBox::Warning, title, text, QMessageBox::Ok, this);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->open();
}

void MainWindow::log(const QString& line) {
    m_log->appendPlainText(QTime::currentTime().toString(QStringLiteral("HH:mm:ss  ")) + line);
}

void MainWindow::openProject(const QString& file) {
    try {
        const ft::Project p = ft::loadProject(file.toStdString());
        m_projectFile = file;
        m_projectLabel->setText(tr("Project: %1 — model %2, data %3")
                                    .arg(QString::fromStdString(p.name), QString::fromStdString(p.model),
                                         QString::fromStdString(p.dataset)));
        log(tr("Opened %1").arg(file));
        updateActions();
        emit projectOpened(file);
    } catch (const ft::Error& e) {
        log(errorText(e));
        showWarning(tr("Cannot open project"), errorText(e));
    }
}

void MainWindow::openDemo(const QString& dir) {
    const QString project = dir + QStringLiteral("/project.json");
    if (QFileInfo::exists(project)) {
        openProject(project);
        return;
    }
    log(tr("Preparing the built-in demo in %1 …").arg(dir));
    QPointer<MainWindow> self(this);
    QThread* worker = QThread::create([dir, project, self] {
        QString error;
        try {
            ft::makeDemo(dir.toStdString());
        } catch (const ft::Error& e) {
            error = errorText(e);
        }
        QMetaObject::invokeMethod(
            self.data(),
            [self, error, project] {
                if (!self) return;
                if (error.isEmpty())
                    self->openProject(project);
                else
                    self->log(error);
            },
            Qt::QueuedConnection);
    });
    connect(worker, &QThread::finished, worker, &QObject::deleteLater);
    worker->start();
}

void MainWindow::startTraining(int maxSteps) {
    if (m_projectFile.isEmpty() || m_controller->isRunning()) return;
    m_plot->clear();
    m_progress->setValue(0);
    log(tr("Training started"));
    statusBar()->showMessage(tr("Training…"));
    m_controller->start(m_projectFile, maxSteps);
    updateActions();
}

void MainWindow::exportAdapterTo(const QString& dir) {
    log(tr("Exporting the adapter to %1 …").arg(dir));
    m_controller->exportAdapter(dir);
}

void MainWindow::onStep(int step, int totalSteps, double epoch, double loss, double lr, double tokensPerSecond,
                        double etaSeconds, qint64 memoryBytes) {
    m_plot->addTrainLoss(step, loss);
    m_progress->setMaximum(totalSteps);
    m_progress->setValue(step);
    m_stepLabel->setText(tr("Step %1 / %2 (epoch %3)").arg(step).arg(totalSteps).arg(epoch, 0, 'f', 2));
    m_lossLabel->setText(tr("Loss %1").arg(loss, 0, 'f', 4));
    m_speedLabel->setText(tr("%1 tokens/s").arg(tokensPerSecond, 0, 'f', 0));
    m_etaLabel->setText(tr("ETA %1").arg(formatDuration(etaSeconds)));
    m_memoryLabel->setText(tr("Memory %1 MiB").arg(double(memoryBytes) / (1 << 20), 0, 'f', 0));
    Q_UNUSED(lr);
    updateActions();
}

void MainWindow::closeEvent(QCloseEvent* event) {
    QSettings settings;
    settings.setValue(QStringLiteral("window/geometry"), saveGeometry());
    settings.setValue(QStringLiteral("window/state"), saveState());
    m_controller->cancel();
    event->accept();
}
