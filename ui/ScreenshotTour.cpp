#include "ScreenshotTour.h"

#include "ErrorText.h"
#include "LossPlot.h"
#include "MainWindow.h"
#include "dataset/DatasetEditor.h"
#include "inspectors/ChatTemplatePreview.h"
#include "inspectors/TokenInspector.h"
#include "quant/QuantizationInspector.h"
#include "wizard/DatasetPage.h"
#include "wizard/ExportPage.h"
#include "wizard/FineTuneWizard.h"
#include "wizard/FormattingPage.h"
#include "wizard/MethodChoices.h"
#include "wizard/MethodPage.h"
#include "wizard/ModelPage.h"
#include "wizard/TrainPage.h"
#include "wizard/WizardTour.h"

#include "core/project/project.h"

#include <QDir>
#include <QImage>
#include <QRegularExpression>
#include <QTimer>

#include <cstdio>
#include <memory>

namespace {

constexpr int kPollMs = 50;
constexpr int kSettleMs = 400;  // queued replots and layouts land before a grab
const QString kTensor = QStringLiteral("model.layers.0.mlp.down_proj.weight");

QString instructionOf(const ft::Example& e) {
    for (const ft::ChatMessage& m : e.messages)
        if (m.role == "user") return QString::fromStdString(m.content);
    return {};
}

} // namespace

ScreenshotTour::ScreenshotTour(MainWindow* window, const QString& outDir, const QString& language, QObject* parent)
    : QObject(parent), m_window(window), m_outDir(outDir), m_language(language) {}

void ScreenshotTour::start(const QString& demoDir) {
    m_clock.start();
    if (!QDir().mkpath(m_outDir)) return fail(QStringLiteral("cannot create %1").arg(m_outDir));
    QTimer::singleShot(kTimeoutMs, this, [this] {
        fail(QStringLiteral("timed out after %1 s").arg(kTimeoutMs / 1000));
    });
    m_window->resize(kWindowSize);
    connect(m_window, &MainWindow::projectOpened, this, [this](const QString& file) {
        m_projectFile = file;
        try {
            const ft::Project p = ft::loadProject(file.toStdString());
            m_modelDir = QString::fromStdString(p.resolve(p.model).string());
            m_datasetFile = QString::fromStdString(p.resolve(p.dataset).string());
            ft::DatasetOptions options;
            if (!p.datasetFormat.empty()) options.format = ft::datasetFormatFromName(p.datasetFormat);
            options.columns = p.datasetColumns;
            m_examples = ft::loadDataset(m_datasetFile.toStdString(), ft::DatasetKind::Instruct, options).examples;
        } catch (const ft::Error& e) {
            return fail(errorText(e));
        }
        if (m_examples.empty()) return fail(QStringLiteral("the demo dataset has no examples"));
        // A Korean example for the Korean pictures: the first whose question has a Hangul syllable.
        m_exampleIndex = 0;
        if (m_language == QStringLiteral("ko"))
            for (size_t i = 0; i < m_examples.size(); ++i)
                if (instructionOf(m_examples[i]).contains(QRegularExpression(QStringLiteral("[\\x{AC00}-\\x{D7A3}]")))) {
                    m_exampleIndex = int(i);
                    break;
                }
        mainTraining();
    }, Qt::SingleShotConnection);
    m_window->openDemo(demoDir);
}

void ScreenshotTour::waitFor(const QString& what, std::function<bool()> ready, std::function<void()> then) {
    auto* timer = new QTimer(this);
    timer->setInterval(kPollMs);
    connect(timer, &QTimer::timeout, this, [this, timer, what, ready = std::move(ready), then = std::move(then)] {
        if (m_failed || m_finished) {
            timer->deleteLater();
            return;
        }
        if (!ready()) {
            if (m_clock.elapsed() > kTimeoutMs) {
                timer->deleteLater();
                fail(QStringLiteral("timed out waiting for %1").arg(what));
            }
            return;
        }
        timer->stop();
        timer->deleteLater();
        std::fprintf(stderr, "screenshots: %s (%.1f s)\n", qPrintable(what), m_clock.elapsed() / 1000.0);
        then();
    });
    timer->start();
}

void ScreenshotTour::shoot(QWidget* widget, const QString& name, std::function<void()> then) {
    QPointer<QWidget> target(widget);
    QTimer::singleShot(kSettleMs, this, [this, target, name, then = std::move(then)] {
        if (m_failed || m_finished) return;
        if (!target) return fail(QStringLiteral("the window for %1 is gone").arg(name));
        const QString file = QDir(m_outDir).filePath(name + QStringLiteral(".png"));
        // Opaque and maximally compressed: window pictures stay small.
        const QImage image = target->grab().toImage().convertToFormat(QImage::Format_RGB32);
        if (image.isNull() || !image.save(file, "PNG", 0)) return fail(QStringLiteral("cannot write %1").arg(file));
        m_written << file;
        std::fprintf(stderr, "screenshots: wrote %s\n", qPrintable(file));
        then();
    });
}

void ScreenshotTour::fail(const QString& message) {
    if (m_failed || m_finished) return;
    m_failed = true;
    std::fprintf(stderr, "screenshots: failed: %s\n", qPrintable(message));
    // Queued: a failure in start() comes before the event loop runs, which would not see an exit() yet.
    QMetaObject::invokeMethod(this, [this] { emit finished(1); }, Qt::QueuedConnection);
}

void ScreenshotTour::done() {
    if (m_failed || m_finished) return;
    m_finished = true;
    std::fprintf(stderr, "screenshots: %lld pictures in %s (%.1f s)\n", qlonglong(m_written.size()),
                 qPrintable(m_outDir), m_clock.elapsed() / 1000.0);
    QMetaObject::invokeMethod(this, [this] { emit finished(0); }, Qt::QueuedConnection);
}

// ---- the main window, one tool tab at a time

void ScreenshotTour::mainTraining() {
    connect(m_window, &MainWindow::trainingFinished, this, [this](bool ok) {
        if (!ok) return fail(QStringLiteral("the demo training failed"));
        m_window->lossPlot()->flush();
        shoot(m_window, QStringLiteral("01-main-training"), [this] { mainQuantization(); });
    }, Qt::SingleShotConnection);
    m_window->startTraining(kTrainingSteps);
}

void ScreenshotTour::mainQuantization() {
    QuantizationInspector* quant = m_window->quantizationInspector();
    auto inspected = std::make_shared<int>(0);
    auto scanned = std::make_shared<bool>(false);
    connect(quant, &QuantizationInspector::sourceOpened, this, [this](bool ok, const QString& message) {
        if (!ok) fail(message);
    });
    connect(quant, &QuantizationInspector::inspected, this, [this, inspected](bool ok, const QString& message) {
        if (!ok) return fail(message);
        ++*inspected;
    });
    connect(quant, &QuantizationInspector::scanned, this, [this, scanned](bool ok, const QString& message) {
        if (!ok) return fail(message);
        *scanned = true;
    });
    // Also loads the model into the Tokens and Chat Template tabs.
    m_window->openModel(m_modelDir);
    m_window->showTool(quant);
    waitFor(QStringLiteral("the first tensor"), [quant, inspected] { return *inspected > 0 && !quant->isBusy(); },
            [this, quant, inspected, scanned] {
                auto scan = [this, quant, scanned] {
                    quant->scanModel();
                    waitFor(QStringLiteral("the layer scan"), [quant, scanned] { return *scanned && !quant->isBusy(); },
                            [this, quant] {
                                shoot(m_window, QStringLiteral("02-main-quantization"), [this] { mainDataset(); });
                            });
                };
                if (!quant->tensorNames().contains(kTensor) || quant->currentTensor() == kTensor) return scan();
                *inspected = 0;
                quant->selectTensor(kTensor);
                waitFor(QStringLiteral("tensor %1").arg(kTensor),
                        [quant, inspected] { return *inspected > 0 && !quant->isBusy(); }, scan);
            });
}

void ScreenshotTour::mainDataset() {
    DatasetEditor* editor = m_window->datasetEditor();
    auto report = std::make_shared<bool>(false);
    connect(editor, &DatasetEditor::fileOpened, this, [this](bool ok, const QString& error) {
        if (!ok) fail(error);
    }, Qt::SingleShotConnection);
    connect(editor, &DatasetEditor::reportReady, this, [report] { *report = true; });
    m_window->openDataset(m_datasetFile);  // the quality report follows the load
    waitFor(QStringLiteral("the dataset's quality report"), [editor, report] { return *report && !editor->isLoading(); },
            [this, editor] {
                m_window->showTool(editor);
                shoot(m_window, QStringLiteral("03-main-dataset"), [this] { mainTokens(); });
            });
}

void ScreenshotTour::mainTokens() {
    auto* tokens = m_window->findChild<TokenInspector*>(QStringLiteral("tokenInspector"));
    if (!tokens) return fail(QStringLiteral("no Tokens tab"));
    connect(tokens, &TokenInspector::modelLoaded, this, [this](bool ok, const QString& error) {
        if (!ok) fail(error);
    });
    connect(tokens, &TokenInspector::encodeFailed, this, &ScreenshotTour::fail);
    waitFor(QStringLiteral("the model in the Tokens tab"), [tokens] { return tokens->model() != nullptr; }, [this, tokens] {
        auto encoded = std::make_shared<bool>(false);
        connect(tokens, &TokenInspector::encodedChanged, this, [encoded] { *encoded = true; });
        int maxLength = 128;
        try {
            maxLength = ft::loadProject(m_projectFile.toStdString()).training.maxSeqLength;
        } catch (const ft::Error& e) {
            return fail(errorText(e));
        }
        tokens->showChatExample(m_examples[size_t(m_exampleIndex)], maxLength);
        m_window->showTool(tokens);
        waitFor(QStringLiteral("the tokenized example"), [tokens, encoded] { return *encoded && tokens->trainedCount() > 0; },
                [this] { shoot(m_window, QStringLiteral("04-main-tokens"), [this] { mainChatTemplate(); }); });
    });
}

void ScreenshotTour::mainChatTemplate() {
    auto* chat = m_window->findChild<ChatTemplatePreview*>(QStringLiteral("chatTemplatePreview"));
    if (!chat) return fail(QStringLiteral("no Chat Template tab"));
    connect(chat, &ChatTemplatePreview::renderFailed, this, [this](int line, const QString& message) {
        fail(QStringLiteral("the chat template failed at line %1: %2").arg(line).arg(message));
    });
    chat->setExamples(m_examples);
    chat->setCurrentExample(m_exampleIndex);
    chat->renderNow();
    m_window->showTool(chat);
    const QString question = instructionOf(m_examples[size_t(m_exampleIndex)]);
    waitFor(QStringLiteral("the rendered example"), [chat, question] { return chat->renderedText().contains(question); },
            [this] { shoot(m_window, QStringLiteral("05-main-chat-template"), [this] { wizardPages(); }); });
}

// ---- the wizard, page by page

void ScreenshotTour::wizardNext(int page, const QString& name, std::function<bool()> ready, std::function<void()> then) {
    if (!m_wizard) return fail(QStringLiteral("the wizard closed"));
    if (m_wizard->currentId() != page - 1 && page > 0) return fail(QStringLiteral("the wizard is not on page %1").arg(page));
    if (page > 0) m_wizard->next();
    if (m_wizard->currentId() != page)
        return fail(QStringLiteral("the wizard did not go on to page %1 (%2)").arg(page + 1).arg(name));
    waitFor(QStringLiteral("wizard page %1 (%2)").arg(page + 1).arg(name), std::move(ready),
            [this, page, name, then = std::move(then)] {
                shoot(m_wizard, QStringLiteral("%1-wizard-%2-%3").arg(10 + page).arg(page + 1).arg(name), then);
            });
}

// The guided tour as a first start shows it, on its Model page tip.
void ScreenshotTour::wizardTour() {
    m_window->startWizardTour();
    QPointer<WizardTour> tour = m_window->wizardTour();
    QPointer<FineTuneWizard> w = m_window->wizard();
    if (!tour || !w) return fail(QStringLiteral("the guided tour did not start"));
    tour->next();
    waitFor(QStringLiteral("the guided tour on the Model page"),
            [w, tour] {
                return w && tour && w->currentId() == FineTuneWizard::Model && w->modelPage()->isComplete() &&
                       tour->bubble()->isVisible();
            },
            [this, w] { shoot(w, QStringLiteral("17-wizard-tour"), [this] { done(); }); });
}

void ScreenshotTour::wizardPages() {
    m_window->openWizard();  // on the open demo project
    m_wizard = m_window->wizard();
    if (!m_wizard) return fail(QStringLiteral("the wizard did not open"));
    m_wizard->resize(kWizardSize);
    QPointer<FineTuneWizard> w = m_wizard;
    const QString question = instructionOf(m_examples[size_t(m_exampleIndex)]);

    // 7 Export: the PEFT adapter written. (The side-by-side chat is left unasked: the demo's random base model
    // answers with stray bytes.)
    auto exportPage = [this, w] {
        auto state = std::make_shared<int>(0);  // 1 exporting, 2 exported
        wizardNext(FineTuneWizard::Export, QStringLiteral("export"),
                   [this, w, state] {
                       ExportPage* page = w->exportPage();
                       if (*state == 0) {
                           *state = 1;
                           connect(page, &ExportPage::exported, this, [this, state](bool ok, const QString& message) {
                               if (!ok) return fail(QStringLiteral("the adapter export failed: %1").arg(message));
                               *state = 2;
                           }, Qt::SingleShotConnection);
                           page->setFormat(ExportPage::Peft);
                           page->exportNow();
                       }
                       return *state == 2 && page->isComplete();
                   },
                   [this] { wizardTour(); });
    };

    // 6 Train: a short run; the page shows its loss curve and the result.
    auto trainPage = [this, w, exportPage] {
        auto trained = std::make_shared<int>(0);  // 1 ok, 2 failed
        connect(w->trainPage(), &TrainPage::trainingFinished, this, [trained](bool ok) { *trained = ok ? 1 : 2; },
                Qt::SingleShotConnection);
        wizardNext(FineTuneWizard::Train, QStringLiteral("train"),
                   [this, w, trained] {
                       if (*trained == 2) fail(QStringLiteral("the wizard's training failed"));
                       if (*trained == 0 && !w->trainPage()->isTraining() && !w->trainPage()->finishedOk())
                           w->trainPage()->startTraining(kTrainingSteps);
                       if (*trained != 1) return false;
                       w->trainPage()->lossPlot()->flush();
                       return true;
                   },
                   exportPage);
    };

    // 5 Method: LoRA, with its parameter and memory estimate.
    auto methodPage = [this, w, trainPage] {
        const QString lora = methodChoice(ft::Method::Lora).name();
        w->methodPage()->setMethod(lora);
        wizardNext(FineTuneWizard::Method, QStringLiteral("method"),
                   [w, lora] { return w->methodPage()->method() == lora && w->methodPage()->trainableParameters() > 0; },
                   trainPage);
    };

    // 4 Formatting: the model's template rendered and tokenized, on example 1 as the page opens, then on the tour's.
    auto formattingPage = [this, w, question, methodPage] {
        const QString first = instructionOf(m_examples.front());
        const int index = m_exampleIndex;
        auto stage = std::make_shared<int>(0);
        auto encoded = std::make_shared<bool>(false);
        wizardNext(FineTuneWizard::Formatting, QStringLiteral("formatting"),
                   [w, first, question, index, stage, encoded] {
                       ChatTemplatePreview* preview = w->formattingPage()->templatePreview();
                       TokenInspector* tokens = w->formattingPage()->tokenInspector();
                       if (*stage == 0) {
                           if (!preview->renderedText().contains(first) || tokens->trainedCount() == 0) return false;
                           if (index == 0) return true;
                           *stage = 1;
                           QObject::connect(tokens, &TokenInspector::encodedChanged, w, [encoded] { *encoded = true; });
                           preview->setCurrentExample(index);  // renders, then tokenizes
                           return false;
                       }
                       return *encoded && preview->renderedText().contains(question) && tokens->trainedCount() > 0;
                   },
                   methodPage);
    };

    auto datasetPage = [this, w, formattingPage] {
        wizardNext(FineTuneWizard::Dataset, QStringLiteral("dataset"), [w] { return w->datasetPage()->isComplete(); },
                   formattingPage);
    };
    auto modelPage = [this, w, datasetPage] {
        wizardNext(FineTuneWizard::Model, QStringLiteral("model"),
                   [w] { return w->modelPage()->isComplete() && !w->modelPage()->isScanning(); }, datasetPage);
    };
    // 1 Goal: instruct fine-tuning, as the demo project says.
    wizardNext(FineTuneWizard::Goal, QStringLiteral("goal"), [w] { return w && w->isVisible(); }, modelPage);
}
