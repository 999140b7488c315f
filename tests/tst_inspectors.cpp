// The inspectors on the built-in demo: the template preview renders an example exactly as the encoder does and
// names a broken template's line; the token inspector's trained/masked counts are the encoder's labels, and after
// a short training its loss heat map is LanguageModel::tokenLosses with the exported adapter.

#include "inspectors/ChatTemplatePreview.h"
#include "inspectors/CodeEditor.h"
#include "inspectors/LoadedModel.h"
#include "inspectors/TokenChipView.h"
#include "inspectors/TokenInspector.h"

#include "core/data/dataset.h"
#include "core/demo/demo.h"
#include "core/inference/language_model.h"
#include "core/model/model_folder.h"
#include "core/text/tokenizer.h"
#include "core/train/token_cache.h"
#include "core/train/training_data.h"
#include "core/train/training_run.h"

#include <QComboBox>
#include <QFileInfo>
#include <QLabel>
#include <QPushButton>
#include <QScrollArea>
#include <QScrollBar>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>

class TestInspectors : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        ft::makeDemo(m_dir.path().toStdString());
        m_model = loadModel(m_dir.filePath(QStringLiteral("model")));
        QVERIFY2(m_model->ok(), qPrintable(m_model->error));
        m_data = ft::loadDataset(m_dir.filePath(QStringLiteral("data/train.jsonl")).toStdString(), ft::DatasetKind::Instruct);
        QVERIFY(m_data.examples.size() > 2);
        QVERIFY(m_model->linearModules.contains(QStringLiteral("q_proj")));
    }

    void previewRendersTheModelTemplate() {
        ChatTemplatePreview preview;
        preview.setModel(m_model);
        preview.setExamples(m_data.examples);
        preview.setCurrentExample(1);
        preview.renderNow();
        QCOMPARE(preview.errorLine(), -1);
        QCOMPARE(preview.renderedText(), QString::fromStdString(m_model->encoder->render(m_data.examples[1].messages, false)));
        QVERIFY(preview.renderedText().contains(QStringLiteral("<|im_start|>assistant\n")));
        QVERIFY(!preview.differsFromModel());
        QVERIFY(preview.trainingTemplate().isEmpty());
    }

    void presetDiffersFromModel() {
        ChatTemplatePreview preview;
        preview.setModel(m_model);
        preview.setExamples(m_data.examples);
        preview.selectPreset(QStringLiteral("Llama 3 Instruct"));
        QCOMPARE(preview.errorLine(), -1);
        QVERIFY(preview.renderedText().contains(QStringLiteral("<|start_header_id|>user<|end_header_id|>")));
        QVERIFY(preview.differsFromModel());
        QVERIFY(!preview.trainingTemplate().isEmpty());
    }

    void brokenTemplateNamesItsLine() {
        ChatTemplatePreview preview;
        preview.setModel(m_model);
        preview.setExamples(m_data.examples);
        preview.renderNow();
        QSignalSpy failed(&preview, &ChatTemplatePreview::renderFailed);
        // Line 3 closes a block that was never opened.
        preview.setCustomTemplate(QStringLiteral("{% for m in messages %}\n{{ m['content'] }}\n{% endif %}\n"));
        QTRY_COMPARE_WITH_TIMEOUT(failed.count(), 1, 5000);  // after the edit pause
        QCOMPARE(failed.at(0).at(0).toInt(), 3);
        QCOMPARE(preview.errorLine(), 3);
        QVERIFY(!preview.errorMessage().isEmpty());

        // Fixing it renders again.
        QSignalSpy rendered(&preview, &ChatTemplatePreview::rendered);
        preview.setCustomTemplate(QStringLiteral("{% for m in messages %}\n{{ m['content'] }}\n{% endfor %}\n"));
        QTRY_COMPARE_WITH_TIMEOUT(rendered.count(), 1, 5000);
        QCOMPARE(preview.errorLine(), -1);
        QVERIFY(preview.differsFromModel());
    }

    // A preset whose special tokens the model's tokenizer does not have (Gemma's on this ChatML model) is chosen: a
    // warning names them, with the pieces each falls into. None for the model's own template or a ChatML preset.
    void foreignSpecialTokensWarn() {
        ChatTemplatePreview preview;
        preview.setModel(m_model);
        preview.setExamples(m_data.examples);
        preview.show();
        QVERIFY(preview.foreignTokens().isEmpty());
        QVERIFY(preview.tokenWarning()->isHidden());

        auto* source = preview.findChild<QComboBox*>(QStringLiteral("templateSource"));
        QVERIFY(source);
        source->setFocus();
        QTest::keyClicks(source, QStringLiteral("Gemma"));  // the combo's keyboard search picks "Gemma 2"
        QCOMPARE(source->currentText(), QStringLiteral("Gemma 2"));
        QVERIFY(preview.templateSource().contains(QStringLiteral("<start_of_turn>")));
        const QList<ChatTemplatePreview::ForeignToken> foreign = preview.foreignTokens();
        QCOMPARE(foreign.size(), 2);
        QCOMPARE(foreign[0].text, QStringLiteral("<start_of_turn>"));
        QCOMPARE(foreign[1].text, QStringLiteral("<end_of_turn>"));
        const QString warning = preview.tokenWarning()->text();
        QVERIFY(preview.tokenWarning()->isVisible());
        for (const auto& t : foreign) {
            const int pieces = int(m_model->encoder->tokenizer().encode(t.text.toStdString()).ids.size());
            QVERIFY(pieces > 1);
            QCOMPARE(t.pieces, pieces);
            QVERIFY2(warning.contains(t.text) && warning.contains(QString::number(pieces)), qPrintable(warning));
        }
        QVERIFY(warning.contains(QStringLiteral("plain text")));

        preview.selectPreset(QStringLiteral("ChatML (OpenHermes 2.5)"));  // the model's own markers
        QVERIFY(preview.foreignTokens().isEmpty());
        QVERIFY(preview.tokenWarning()->isHidden());
        preview.selectModelTemplate();
        QVERIFY(preview.foreignTokens().isEmpty());
        QVERIFY(preview.tokenWarning()->isHidden());

        // A custom template spelling Llama 3's markers warns as well.
        preview.setCustomTemplate(QStringLiteral("{% for m in messages %}<|start_header_id|>{{ m['role'] }}<|end_header_id|>"
                                                 "{{ m['content'] }}<|eot_id|>{% endfor %}<|im_end|>"));
        QTRY_COMPARE_WITH_TIMEOUT(preview.foreignTokens().size(), 3, 5000);
        QVERIFY(preview.tokenWarning()->isVisible());
    }

    // The custom template editor wraps long lines and numbers them in a gutter that widens with the line count.
    void templateEditorWrapsAndNumbersLines() {
        ChatTemplatePreview preview;
        preview.resize(900, 600);
        preview.show();
        auto* editor = qobject_cast<CodeEditor*>(preview.editor());
        QVERIFY(editor);
        QCOMPARE(editor->lineWrapMode(), QPlainTextEdit::WidgetWidth);
        QVERIFY(editor->wordWrapMode() != QTextOption::NoWrap);
        editor->setFocus();
        editor->selectAll();
        QTest::keyClicks(editor, QStringLiteral("hello world"));
        QTest::keyClick(editor, Qt::Key_Return);
        const int narrow = editor->lineNumberAreaWidth();
        QVERIFY(narrow > 0);
        QCOMPARE(editor->viewport()->x(), editor->lineNumberArea()->x() + narrow);  // the text starts after it
        QCOMPARE(editor->lineNumberArea()->width(), narrow);
        for (int i = 0; i < 120; ++i) {
            QTest::keyClick(editor, Qt::Key_X);
            QTest::keyClick(editor, Qt::Key_Return);
        }
        QVERIFY(editor->blockCount() > 100);
        const int wide = editor->lineNumberAreaWidth();
        QVERIFY2(wide > narrow, qPrintable(QStringLiteral("%1 → %2").arg(narrow).arg(wide)));
        QCOMPARE(editor->viewport()->x(), editor->lineNumberArea()->x() + wide);
        QCOMPARE(editor->lineNumberArea()->width(), wide);
        QTRY_COMPARE_WITH_TIMEOUT(preview.templateSource(), editor->toPlainText(), 5000);  // typed: a custom template
    }

    // After a run encoded the project's dataset into the token cache, the inspector steps through the cached
    // examples, each exactly as training encoded it, without encoding again.
    void cachedExamplesAreShownAsTrained() {
        qputenv("FT_TOKEN_CACHE", m_dir.filePath(QStringLiteral("token-cache")).toUtf8());
        const ft::Project project = ft::loadProject(m_dir.filePath(QStringLiteral("project.json")).toStdString());
        const ft::ModelFolder folder = ft::openModelFolder(m_dir.filePath(QStringLiteral("model")).toStdString());
        QVERIFY(!ft::findTokenCache(project, folder));  // nothing encoded yet
        (void)ft::prepareTrainingData(project, folder);
        const std::optional<ft::TokenCacheContents> cached = ft::findTokenCache(project, folder);
        QVERIFY(cached.has_value());
        QCOMPARE(cached->table->size(), m_data.examples.size());

        TokenInspector inspector;
        inspector.setModel(m_model);
        QSignalSpy encoded(&inspector, &TokenInspector::encodedChanged);
        inspector.setCachedExamples(cached->table, false, project.training.maxSeqLength);
        QCOMPARE(inspector.exampleCount(), int(m_data.examples.size()));
        QTRY_COMPARE_WITH_TIMEOUT(encoded.count(), 1, 30000);
        inspector.selectExample(2);
        QTRY_COMPARE_WITH_TIMEOUT(encoded.count(), 2, 30000);
        const ft::TokenizedExample expected =
            m_model->encoder->encodeChat(m_data.examples[2], project.training.maxSeqLength, project.training.trainOnPrompt);
        QCOMPARE(inspector.encoded().ids, expected.ids);
        QCOMPARE(inspector.encoded().labels, expected.labels);
        QCOMPARE(inspector.encoded().line, expected.line);
    }

    void tokenCountsAreTheEncodersLabels() {
        TokenInspector inspector;
        QSignalSpy loaded(&inspector, &TokenInspector::modelLoaded);
        inspector.openModel(m_dir.filePath(QStringLiteral("model")));  // on a worker
        QTRY_COMPARE_WITH_TIMEOUT(loaded.count(), 1, 60000);
        QVERIFY(loaded.at(0).at(0).toBool());

        const ft::Example& example = m_data.examples[2];
        const ft::TokenizedExample expected = m_model->encoder->encodeChat(example, 128);
        const int trained = int(std::count_if(expected.labels.begin(), expected.labels.end(), [](int l) { return l != ft::kIgnoreIndex; }));
        QSignalSpy encoded(&inspector, &TokenInspector::encodedChanged);
        inspector.showChatExample(example, 128);
        QTRY_COMPARE_WITH_TIMEOUT(encoded.count(), 1, 30000);
        QCOMPARE(inspector.encoded().ids, expected.ids);
        QCOMPARE(inspector.tokenCount(), int(expected.ids.size()));
        QCOMPARE(inspector.trainedCount(), trained);
        QCOMPARE(inspector.maskedCount(), int(expected.ids.size()) - trained);
        QVERIFY(trained > 0 && inspector.maskedCount() > 0);

        // The chips carry the same split, in order.
        const auto& chips = inspector.chipView()->chips();
        QCOMPARE(int(chips.size()), int(expected.ids.size()));
        for (size_t i = 0; i < chips.size(); ++i) {
            QCOMPARE(chips[i].id, expected.ids[i]);
            QCOMPARE(chips[i].trained, expected.labels[i] != ft::kIgnoreIndex);
        }
        inspector.setTokenLosses(std::vector<float>(chips.size(), 1.5f));
        QCOMPARE(inspector.chipView()->chips().front().loss, 1.5f);
    }

    // Issue 16: at the wizard's size the last chips (the trained <|im_end|>) were cut off below the scroll area.
    // The chips wrap to the viewport's width and the view is as tall as the wrapped rows, however the width
    // changes (a vertical scroll bar appearing narrows it), so the last chip can always be scrolled to.
    void chipsWrapAndScrollToTheLast() {
        TokenInspector inspector;
        TokenChipView* view = inspector.chipView();
        auto* area = qobject_cast<QScrollArea*>(view->parentWidget() ? view->parentWidget()->parentWidget() : nullptr);
        QVERIFY(area);
        std::vector<TokenChip> chips;
        const QStringList pieces{QStringLiteral("<|im_start|>"), QStringLiteral("user"), QStringLiteral("↵"),
                                 QStringLiteral("What"), QStringLiteral("·is"), QStringLiteral("·the"),
                                 QStringLiteral("·capital"), QStringLiteral("·of"), QStringLiteral("·France"),
                                 QStringLiteral("?"), QStringLiteral("<|im_end|>"), QStringLiteral("↵")};
        for (int i = 0; i < 96; ++i)
            chips.push_back({pieces[i % pieces.size()], 100 + i * 997 % 32000, i >= 24, true, 0, -1.0f});
        chips.back().piece = QStringLiteral("<|im_end|>");
        inspector.resize(900, 300);
        inspector.setVisible(true);  // TokenInspector::show(Result) hides QWidget::show()
        QVERIFY(QTest::qWaitForWindowExposed(&inspector));
        // The chips arrive while the view is shown (the encoder runs on a worker): no resize follows.
        view->setChips(chips, QStringLiteral("Example %1"));
        for (const int width : {900, 700, 520, 430}) {  // then narrowed step by step, as a user drags the window
            inspector.resize(width, 300);
            QCoreApplication::processEvents();
            QTest::qWait(20);
            QVERIFY2(area->verticalScrollBar()->maximum() > 0, "the chips should need scrolling at this size");
            QVERIFY2(view->width() <= area->viewport()->width(), "the chips must wrap, not run off to the right");
            for (int i = 0; i < int(chips.size()); ++i) {
                const QRect r = view->chipRect(i);
                QVERIFY2(!r.isEmpty(), qPrintable(QString::number(i)));
                QVERIFY2(view->rect().contains(r), qPrintable(QStringLiteral("chip %1 at %2,%3 %4×%5 is outside the view %6×%7")
                                                                  .arg(i).arg(r.x()).arg(r.y()).arg(r.width()).arg(r.height())
                                                                  .arg(view->width()).arg(view->height())));
            }
            const QRect last = view->chipRect(int(chips.size()) - 1);
            area->ensureVisible(last.center().x(), last.center().y(), last.width() / 2 + 1, last.height() / 2 + 1);
            const QRect shown(view->mapTo(area->viewport(), last.topLeft()), last.size());
            QVERIFY2(area->viewport()->rect().contains(shown), qPrintable(QString::number(width)));
        }
    }

    // Issue 16: ids were grey on the red (high-loss) chips. Piece and id text reach a WCAG contrast of 4.5 on every
    // colour of the heat map, on trained and masked chips and on padding.
    void chipTextIsReadableOnEveryColour() {
        TokenChipView view;
        std::vector<TokenChip> chips;
        for (int i = 0; i <= 100; ++i) chips.push_back({QStringLiteral("tok"), 1000 + i, true, true, 0, float(i) / 100.0f});
        chips.push_back({QStringLiteral("<s>"), 1, false, true, 0, -1.0f});   // masked
        chips.push_back({QStringLiteral("hi"), 2, true, true, 0, -1.0f});     // trained, no loss
        chips.push_back({QStringLiteral("<pad>"), 0, false, false, 0, -1.0f});  // padding
        view.setChips(chips, QStringLiteral("Example %1"));
        for (size_t i = 0; i < chips.size(); ++i) {
            const TokenChip& c = view.chips()[i];
            const QColor bg = view.background(c);
            if (i <= 100) QCOMPARE(bg, TokenChipView::heatColour(double(i) / 100.0));
            QVERIFY2(TokenChipView::contrastRatio(view.pieceColour(c), bg) >= 4.5, qPrintable(bg.name()));
            QVERIFY2(TokenChipView::contrastRatio(view.idColour(c), bg) >= 4.5, qPrintable(bg.name()));
        }
        QVERIFY(TokenChipView::contrastRatio(Qt::black, Qt::white) > 20.9);

        // What is painted: the darkest pixel of the id on the reddest chip (the core of its glyphs) is readable.
        QFont big = view.font();
        big.setPointSize(28);
        view.setFont(big);
        view.setChips({{QStringLiteral("x"), 888, true, true, 0, 1.0f}}, QStringLiteral("Example %1"));
        view.resize(300, view.heightForWidth(300));
        const QImage image = view.grab().toImage();
        const QRect chip = view.chipRect(0);
        const QColor red = view.background(view.chips()[0]);
        QCOMPARE(red, TokenChipView::heatColour(1.0));
        const int idTop = chip.top() + chip.height() / 2;  // the id is the lower of the two lines
        double best = 1.0;
        for (int y = idTop; y < chip.bottom() - 2; ++y)
            for (int x = chip.left() + 3; x < chip.right() - 3; ++x)
                best = std::max(best, TokenChipView::contrastRatio(image.pixelColor(x * image.width() / view.width(),
                                                                                    y * image.height() / view.height()),
                                                                   red));
        QVERIFY2(best >= 4.5, qPrintable(QString::number(best)));
    }

    void rawTextIsCutIntoBlocks() {
        TokenInspector inspector;
        inspector.setModel(m_model);
        std::vector<ft::Example> docs;
        for (const auto& e : m_data.examples) docs.push_back({{}, e.messages.back().content, e.line});
        QSignalSpy encoded(&inspector, &TokenInspector::encodedChanged);
        inspector.showRawText(docs, 32, 3);
        QTRY_COMPARE_WITH_TIMEOUT(encoded.count(), 1, 30000);
        QCOMPARE(inspector.blockCount(), int(m_model->encoder->encodeRawText(docs, 32).size()));
        QCOMPARE(inspector.trainedCount(), 32);
        QCOMPARE(int(inspector.chipView()->chips().size()), 3 * 32);
        QCOMPARE(inspector.chipView()->chips().back().segment, 3);
    }

    void lossHeatMapAfterTraining() {
        // A few demo steps with core's run, as the main window's controller does, leave an adapter folder.
        ft::Project project = ft::loadProject(m_dir.filePath(QStringLiteral("project.json")).toStdString());
        const std::filesystem::path out = m_dir.filePath(QStringLiteral("run")).toStdString();
        ft::TrainingRun run(project, {out, 3});
        std::optional<ft::Error> error;
        ft::RunState final = ft::RunState::Idle;
        run.start({.onFinished = [&](ft::RunState s, const std::optional<ft::Error>& e) { final = s; error = e; }});
        run.wait();
        QVERIFY2(!error, error ? error->what() : "");
        QCOMPARE(final, ft::RunState::Finished);
        const QString adapter = QString::fromStdString((out / "adapter").string());
        QVERIFY(QFileInfo::exists(adapter + QStringLiteral("/adapter_config.json")));

        TokenInspector inspector;
        inspector.setModel(m_model);
        QPushButton* button = inspector.findChild<QPushButton*>(QStringLiteral("showLossButton"));
        QVERIFY(button && button->isEnabled());
        inspector.setAdapterDir(adapter);
        QSignalSpy encoded(&inspector, &TokenInspector::encodedChanged);
        QSignalSpy shown(&inspector, &TokenInspector::lossesShown);
        QSignalSpy failed(&inspector, &TokenInspector::lossesFailed);
        inspector.showChatExample(m_data.examples[1], 128);
        QTRY_COMPARE_WITH_TIMEOUT(encoded.count(), 1, 30000);
        button->click();  // = showTrainedLosses(adapter), on a worker
        QTRY_COMPARE_WITH_TIMEOUT(shown.count() + failed.count(), 1, 60000);
        QVERIFY2(failed.isEmpty(), failed.isEmpty() ? "" : qPrintable(failed.at(0).at(0).toString()));

        // The core function on the same tokens with the same adapter.
        const ft::TokenizedExample& e = inspector.encoded();
        auto lm = ft::LanguageModel::load(m_model->dir.toStdString());
        lm->applyAdapter(adapter.toStdString());
        const std::vector<float> expected = lm->tokenLosses(e.ids, e.labels);

        // A loss on exactly the trained tokens (labels != -100; the first token has no prefix to predict it from).
        const std::vector<float>& losses = inspector.tokenLosses();
        QCOMPARE(losses.size(), e.ids.size());
        double sum = 0;
        int counted = 0;
        for (size_t t = 0; t < losses.size(); ++t) {
            QCOMPARE(!std::isnan(losses[t]), t > 0 && e.labels[t] != ft::kIgnoreIndex);
            if (std::isnan(losses[t])) continue;
            QCOMPARE(losses[t], expected[t]);
            sum += expected[t];
            ++counted;
        }
        QCOMPARE(counted, inspector.trainedCount());  // the demo masks the first token (the prompt's <s>)
        QVERIFY(counted > 0);
        QVERIFY(std::abs(inspector.meanTrainedLoss() - sum / counted) < 1e-6);
        QCOMPARE(shown.at(0).at(0).toDouble(), inspector.meanTrainedLoss());

        // The chips carry them (the view's "none" is negative), and the next example gets its losses too.
        const auto& chips = inspector.chipView()->chips();
        for (size_t t = 0; t < chips.size(); ++t) QCOMPARE(chips[t].loss >= 0.0f, !std::isnan(losses[t]));
        inspector.showChatExample(m_data.examples[2], 128);
        QTRY_COMPARE_WITH_TIMEOUT(shown.count(), 2, 60000);
        QCOMPARE(inspector.tokenLosses().size(), inspector.encoded().ids.size());

        // A new adapter (a new run) drops them.
        inspector.setAdapterDir(QString());
        QVERIFY(inspector.tokenLosses().empty());
        QVERIFY(std::isnan(inspector.meanTrainedLoss()));
    }

private:
    QTemporaryDir m_dir;
    LoadedModelPtr m_model;
    ft::Dataset m_data;
};

QTEST_MAIN(TestInspectors)
#include "tst_inspectors.moc"
