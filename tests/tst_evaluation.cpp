// Evaluation on the built-in demo: the held-out rows are training's validation rows, token for token (the tuned
// model's loss is the run's last eval_loss); answers generated in batches are the answers generated one at a time;
// every kind and method evaluates (instruct with LoRA, full fine-tuning, raw text, DPO with TRL's rewards equal to
// the run's own eval metrics); the JSONL reads back; the HTML opens in a real browser (chromium-headless-shell).

#include "core/common/error.h"
#include "core/data/ignore_index.h"
#include "core/demo/demo.h"
#include "core/eval/eval_report.h"
#include "core/eval/evaluation.h"
#include "core/inference/language_model.h"
#include "core/io/atomic_file.h"
#include "core/model/model_folder.h"
#include "core/train/checkpoint_info.h"
#include "core/train/example_encoder.h"
#include "core/train/metrics_log.h"
#include "core/train/run_folder.h"
#include "core/train/training_data.h"
#include "core/train/training_run.h"
#include "core/text/tokenizer.h"

#include <QImage>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>
#include <nlohmann/json.hpp>

#include <cmath>
#include <fstream>
#include <map>
#include <set>

namespace fs = std::filesystem;

namespace {

fs::path trainToEnd(const ft::Project& project) {
    ft::TrainingRun run(project);
    std::optional<ft::Error> error;
    run.start({.onFinished = [&](ft::RunState, const std::optional<ft::Error>& e) { error = e; }});
    run.wait();
    if (error) qFatal("training failed: %s", error->what());
    return run.outDir();
}

// The last evaluation metrics.jsonl holds: {"eval_loss": ..., "eval_rewards/margins": ...}.
std::map<std::string, double> lastEval(const fs::path& runDir) {
    std::map<std::string, double> out;
    std::ifstream in(ft::runMetricsFile(runDir));
    std::string line;
    while (std::getline(in, line)) {
        const auto j = nlohmann::json::parse(line);
        if (!j.contains("eval_loss")) continue;
        out.clear();
        for (const auto& [k, v] : j.items())
            if (v.is_number()) out[k] = v.get<double>();
    }
    return out;
}

bool near(double a, double b, double rel = 1e-5) { return std::abs(a - b) <= rel * std::max(1.0, std::abs(b)); }

} // namespace

class TestEvaluation : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    fs::path m_demo, m_loraRun;

    fs::path path(const char* name) const { return fs::path(m_dir.path().toStdString()) / name; }
    ft::Project demoProject() const {
        ft::Project p = ft::loadProject(m_demo / "project.json");
        p.training.maxSteps = 24;
        p.training.checkpointEvery = 0;
        return p;
    }

private slots:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        m_demo = path("demo");
        ft::makeDemo(m_demo);
        m_loraRun = trainToEnd(demoProject());
    }

    // The rows are the run's validation rows; the tuned loss is the run's last eval_loss; the base loss is each
    // row's loss through the model alone (LanguageModel::tokenLosses), token-weighted.
    void heldOutRowsAreTrainingsValidation() {
        const ft::Project p = demoProject();
        ft::EvalOptions o;
        o.tuned = {m_loraRun};
        o.maxNewTokens = 12;
        const ft::EvalReport r = ft::evaluateProject(p, o);
        const ft::ModelFolder folder = ft::openModelFolder(p.resolve(p.model));
        const ft::TrainingData td = ft::prepareTrainingData(p, folder);
        QCOMPARE(r.rows.size(), td.validation.size());
        QVERIFY(r.rows.size() >= 3);
        std::set<int> lines, expected;
        for (const auto& row : r.rows) lines.insert(row.line);
        for (const auto& v : td.validation) expected.insert(v.line);
        QCOMPARE(lines, expected);
        QCOMPARE(r.sides.size(), size_t(2));

        const auto eval = lastEval(m_loraRun);
        qInfo("tuned loss %.6f, run's eval_loss %.6f; base %.6f", r.sides[1].scores.loss, eval.at("eval_loss"), r.sides[0].scores.loss);
        QVERIFY(near(r.sides[1].scores.loss, eval.at("eval_loss")));
        QVERIFY(r.sides[1].scores.loss < r.sides[0].scores.loss - 0.5);  // it learned something

        const auto base = ft::LanguageModel::load(p.resolve(p.model));
        double nll = 0;
        int64_t tokens = 0;
        for (const auto& v : td.validation)
            for (float l : base->tokenLosses(v.ids, v.labels))
                if (!std::isnan(l)) {
                    nll += l;
                    ++tokens;
                }
        QCOMPARE(r.sides[0].scores.tokens, tokens);
        QVERIFY(near(r.sides[0].scores.loss, nll / double(tokens)));
        QVERIFY(near(r.sides[0].scores.perplexity, std::exp(nll / double(tokens))));
    }

    // Batched answers and losses are the one-at-a-time ones: batch 1 and batch 3 agree, and the tuned side's
    // answers are what the chat's generate() gives each prompt alone.
    void batchingChangesNothing() {
        const ft::Project p = demoProject();
        ft::EvalOptions o;
        o.tuned = {m_loraRun};
        o.maxNewTokens = 16;
        o.batchSize = 1;
        const ft::EvalReport one = ft::evaluateProject(p, o);
        o.batchSize = 3;
        const ft::EvalReport three = ft::evaluateProject(p, o);
        int differing = 0;
        for (size_t i = 0; i < one.rows.size(); ++i)
            for (size_t s = 0; s < 2; ++s) {
                QCOMPARE(three.rows[i].answers[s].text, one.rows[i].answers[s].text);
                QVERIFY(near(three.rows[i].answers[s].loss, one.rows[i].answers[s].loss));
                differing += one.rows[i].answers[s].text != one.rows[i].answers[1 - s].text ? 1 : 0;
            }
        QVERIFY(differing > 0);  // base and tuned do answer differently

        const ft::ModelFolder folder = ft::openModelFolder(p.resolve(p.model));
        const ft::ExampleEncoder encoder(folder);
        const auto tuned = ft::LanguageModel::load(p.resolve(p.model));
        tuned->applyAdapter(ft::runAdapterDir(m_loraRun));
        const ft::Dataset data = ft::loadProjectDataset(p);
        for (const auto& row : one.rows) {
            const auto ex = std::find_if(data.examples.begin(), data.examples.end(), [&](const ft::Example& e) { return e.line == row.line; });
            QVERIFY(ex != data.examples.end());
            const std::vector<ft::ChatMessage> asked(ex->messages.begin(), ex->messages.end() - 1);
            ft::GenerationOptions g = folder.generation;
            g.maxNewTokens = 16;
            g.doSample = false;
            if (encoder.tokenizer().eosId() >= 0) g.eosTokenIds.push_back(encoder.tokenizer().eosId());
            auto ids = tuned->generate(encoder.tokenizer().encode(encoder.render(asked, true)).ids, g);
            while (!ids.empty() && std::find(g.eosTokenIds.begin(), g.eosTokenIds.end(), ids.back()) != g.eosTokenIds.end()) ids.pop_back();
            QCOMPARE(row.answers[1].newTokens, int(ids.size()));
            QCOMPARE(row.reference, ex->messages.back().content);
        }
    }

    // A file the user names: every row, its bad rows reported with their lines; --max-examples caps it.
    void namedFileWithBadRows() {
        const fs::path file = path("extra.jsonl");
        ft::writeFileAtomic(file,
                            "{\"messages\":[{\"role\":\"user\",\"content\":\"What is the capital of France?\"},{\"role\":\"assistant\",\"content\":\"Paris.\"}]}\n"
                            "{\"messages\": [broken\n"
                            "{\"messages\":[{\"role\":\"user\",\"content\":\"2 + 2?\"},{\"role\":\"assistant\",\"content\":\"4\"}]}\n");
        ft::EvalOptions o;
        o.tuned = {m_loraRun};
        o.data = file;
        o.maxNewTokens = 4;
        const ft::EvalReport r = ft::evaluateProject(demoProject(), o);
        QCOMPARE(r.rows.size(), size_t(2));
        QVERIFY(!r.heldOut);
        QCOMPARE(r.skippedRows, 1);
        QVERIFY2(QString::fromStdString(r.rowErrors.at(0)).contains("extra.jsonl:2"), r.rowErrors.at(0).c_str());
        QCOMPARE(r.rows[1].line, 3);
        QCOMPARE(r.rows[0].reference, std::string("Paris."));
        o.maxExamples = 1;
        QCOMPARE(ft::evaluateProject(demoProject(), o).rows.size(), size_t(1));
    }

    // What --run accepts: a run (its newest checkpoint), a checkpoint, an adapter folder, a model folder; anything
    // else is refused saying what would do. Without --run: the newest run.
    void tunedSources() {
        const ft::Project p = demoProject();
        const auto run = ft::resolveTunedSource(p, m_loraRun);
        QCOMPARE(run.name, m_loraRun.filename().string());
        QVERIFY(!run.adapter.empty());
        const auto step = ft::latestCheckpoint(m_loraRun);
        QVERIFY(step);
        const auto checkpoint = ft::resolveTunedSource(p, *step);
        QCOMPARE(checkpoint.name, m_loraRun.filename().string() + "/" + step->filename().string());
        const auto adapter = ft::resolveTunedSource(p, ft::runAdapterDir(m_loraRun));
        QCOMPARE(adapter.adapter, ft::runAdapterDir(m_loraRun));
        QVERIFY(ft::resolveTunedSource(p, p.resolve(p.model)).mergedModel);
        QCOMPARE(ft::newestEvaluableRun(p), m_loraRun);
        try {
            ft::resolveTunedSource(p, m_demo / "data");
            QFAIL("a data folder was taken for a model");
        } catch (const ft::Error& e) {
            QVERIFY2(QString::fromUtf8(e.what()).contains("not a run folder"), e.what());
        }
        ft::Project fresh = p;
        fresh.output = "nowhere";
        try {
            ft::newestEvaluableRun(fresh);
            QFAIL("no run, yet one was found");
        } catch (const ft::Error& e) {
            QVERIFY2(QString::fromUtf8(e.what()).contains("train first"), e.what());
        }
    }

    // Full fine-tuning (its trained weights over the base) and raw text (blocks: first half asked, the rest the
    // reference) give the runs' own eval_loss too.
    void fullFineTuneAndRawText() {
        ft::Project full = demoProject();
        full.method = "full";
        full.training.learningRate = 1e-3;
        full.training.maxSteps = 6;
        full.output = "output-full";
        const fs::path fullRun = trainToEnd(full);
        ft::EvalOptions o;
        o.maxNewTokens = 4;
        const ft::EvalReport r = ft::evaluateProject(full, o);  // the newest run of this output folder
        QCOMPARE(r.sides[1].source, fullRun.string());
        QVERIFY(near(r.sides[1].scores.loss, lastEval(fullRun).at("eval_loss")));
        QVERIFY(r.sides[1].scores.loss < r.sides[0].scores.loss);

        std::string text;
        for (int i = 0; i < 40; ++i)
            text += "Document " + std::to_string(i) + ": the quick brown fox jumps over the lazy dog, and the river runs to the sea.\n\n";
        ft::writeFileAtomic(m_demo / "data" / "corpus.txt", text);
        ft::Project raw = demoProject();
        raw.kind = ft::FinetuneKind::Base;
        raw.dataset = "data/corpus.txt";
        raw.training.blockSize = 32;
        raw.training.maxSteps = 10;
        raw.output = "output-raw";
        const fs::path rawRun = trainToEnd(raw);
        const ft::EvalReport b = ft::evaluateProject(raw, o);
        QVERIFY(near(b.sides[1].scores.loss, lastEval(rawRun).at("eval_loss")));
        QVERIFY(!b.rows.empty());
        QVERIFY(!b.rows[0].prompt.empty() && !b.rows[0].reference.empty());
    }

    // Every other method's run evaluates as it validated: its adapter (QLoRA over its 4-bit base, bottleneck
    // adapters, prefix tuning, prompt tuning, P-tuning) gives the run's own eval_loss.
    void everyMethodGivesItsRunsEvalLoss_data() {
        QTest::addColumn<QString>("method");
        for (const char* m : {"qlora", "adapter", "prefix_tuning", "prompt_tuning", "p_tuning"}) QTest::newRow(m) << QString::fromLatin1(m);
    }
    void everyMethodGivesItsRunsEvalLoss() {
        QFETCH(QString, method);
        ft::Project p = demoProject();
        p.method = method.toStdString();
        p.training.maxSteps = 10;
        p.output = "output-" + p.method;
        const fs::path run = trainToEnd(p);
        ft::EvalOptions o;
        o.maxNewTokens = 4;
        const ft::EvalReport r = ft::evaluateProject(p, o);
        qInfo("%s: tuned loss %.6f, run's eval_loss %.6f", qPrintable(method), r.sides[1].scores.loss, lastEval(run).at("eval_loss"));
        QVERIFY(near(r.sides[1].scores.loss, lastEval(run).at("eval_loss")));
        QVERIFY(r.sides[1].scores.loss < r.sides[0].scores.loss);
    }

    // DPO: the base is the reference, so its rewards are 0; the tuned side's rewards/accuracies and margins are
    // the run's own last eval metrics (TRL's, with the adapters switched off as reference).
    void preferenceRewardsAreTrls() {
        ft::Project p = demoProject();
        p.kind = ft::FinetuneKind::Preference;
        p.dataset = "data/preference.jsonl";
        p.preference.loss = "dpo";
        p.training.learningRate = 3e-3;
        p.training.validationFraction = 0.2;
        p.training.batchSize = 8;  // the 8 held-out rows in one evaluation batch: TRL's means are per batch
        p.training.maxSteps = 24;
        p.output = "output-dpo";
        const fs::path run = trainToEnd(p);
        ft::EvalOptions o;
        o.maxNewTokens = 4;
        const ft::EvalReport r = ft::evaluateProject(p, o);
        const auto eval = lastEval(run);
        const auto& base = r.sides[0].scores;
        const auto& tuned = r.sides[1].scores;
        QVERIFY(base.rewardAccuracy && tuned.rewardAccuracy && tuned.rewardMargin && tuned.logpAccuracy);
        QCOMPARE(*base.rewardAccuracy, 0.0);
        qInfo("tuned rewards/accuracies %.4f margins %.5f; run's %.4f %.5f", *tuned.rewardAccuracy, *tuned.rewardMargin,
              eval.at("eval_rewards/accuracies"), eval.at("eval_rewards/margins"));
        QVERIFY(near(*tuned.rewardAccuracy, eval.at("eval_rewards/accuracies")));
        QVERIFY(near(*tuned.rewardMargin, eval.at("eval_rewards/margins"), 1e-4));
        QVERIFY(*tuned.rewardMargin > 0);
        for (const auto& row : r.rows) QVERIFY(!row.reference.empty());
    }

    // The JSONL holds everything the report shows and reads back equal; a foreign file is refused naming its line.
    void jsonlRoundTrip() {
        ft::EvalOptions o;
        o.tuned = {m_loraRun, ft::runAdapterDir(m_loraRun)};  // two tuned columns (here the same adapter twice)
        o.maxNewTokens = 8;
        const ft::EvalReport r = ft::evaluateProject(demoProject(), o);
        QCOMPARE(r.sides.size(), size_t(3));
        const fs::path file = path("eval.jsonl");
        ft::writeEvalJsonl(file, r);
        const ft::EvalReport back = ft::readEvalJsonl(file);
        QCOMPARE(back.rows.size(), r.rows.size());
        QCOMPARE(back.sides.size(), r.sides.size());
        for (size_t s = 0; s < r.sides.size(); ++s) {
            QCOMPARE(back.sides[s].name, r.sides[s].name);
            QCOMPARE(back.sides[s].scores.loss, r.sides[s].scores.loss);
            QCOMPARE(back.sides[s].scores.tokenF1, r.sides[s].scores.tokenF1);
        }
        for (size_t i = 0; i < r.rows.size(); ++i) {
            QCOMPARE(back.rows[i].line, r.rows[i].line);
            QCOMPARE(back.rows[i].prompt, r.rows[i].prompt);
            QCOMPARE(back.rows[i].reference, r.rows[i].reference);
            for (size_t s = 0; s < r.sides.size(); ++s) {
                QCOMPARE(back.rows[i].answers[s].text, r.rows[i].answers[s].text);
                QCOMPARE(back.rows[i].answers[s].loss, r.rows[i].answers[s].loss);
            }
            QCOMPARE(r.rows[i].answers[2].text, r.rows[i].answers[1].text);  // the same adapter, twice
        }
        const auto summary = nlohmann::json::parse(ft::evalSummaryJson(r));
        QCOMPARE(summary["examples"].get<size_t>(), r.rows.size());
        for (const char* key : {"loss", "perplexity", "exact_match", "token_f1", "rouge_l"}) {
            QVERIFY2(summary["base"].contains(key) && summary["tuned"].contains(key), key);
        }
        QCOMPARE(summary["compare"].size(), size_t(1));

        ft::writeFileAtomic(path("foreign.jsonl"), "{\"hello\": 1}\n");
        try {
            ft::readEvalJsonl(path("foreign.jsonl"));
            QFAIL("a foreign file was read");
        } catch (const ft::Error& e) {
            QVERIFY2(QString::fromUtf8(e.what()).contains("foreign.jsonl:1"), e.what());
        }
    }

    // The report is one file a browser shows without the network: its table has a row per example, the plots are
    // inline, its script sorts by a column when the header is clicked, and the screenshot is not blank.
    void htmlReportInABrowser() {
        const QString browser = QStandardPaths::findExecutable("chromium-headless-shell");
        if (browser.isEmpty()) QSKIP("chromium-headless-shell is not installed (packaging/setup.sh installs it)");
        ft::EvalOptions o;
        o.tuned = {m_loraRun};
        o.maxNewTokens = 12;
        const ft::EvalReport r = ft::evaluateProject(demoProject(), o);
        const fs::path html = path("report.html");
        ft::writeEvalHtml(html, r);
        const std::string page = ft::readFile(html);
        QVERIFY(page.find("http://") == std::string::npos && page.find("https://") == std::string::npos);  // no network

        // The report's own script, driven as a user would: a click on the "Δ loss" header sorts the rows.
        std::string driven = page;
        driven.insert(driven.rfind("</body>"), R"(<script>
const th=[...document.querySelectorAll('#rows th')].find(h=>h.textContent==='Δ loss');th.click();
document.body.dataset.sorted=[...document.querySelectorAll('#rows tbody tr')].map(r=>r.cells[0].textContent).join(',');
</script>)");
        ft::writeFileAtomic(path("driven.html"), driven);
        // A profile of its own and no /dev/shm: CI containers have a read-only home or a tiny /dev/shm.
        const QStringList common{"--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                                 "--user-data-dir=" + QString::fromStdString(path("chromium-profile").string())};
        QProcess dump;
        dump.start(browser, common + QStringList{"--dump-dom", QString::fromStdString("file://" + path("driven.html").string())});
        QVERIFY(dump.waitForFinished(60000));
        QVERIFY2(dump.exitCode() == 0, dump.readAllStandardError().constData());
        const QString dom = QString::fromUtf8(dump.readAllStandardOutput());
        QCOMPARE(dom.count("<tr class="), int(r.rows.size()));
        QVERIFY(dom.count("<circle") == int(r.rows.size()));
        std::vector<std::pair<double, int>> byDelta;
        for (const auto& row : r.rows) byDelta.emplace_back(row.answers[1].loss - row.answers[0].loss, row.line);
        std::sort(byDelta.begin(), byDelta.end());
        QStringList expected;
        for (const auto& [d, line] : byDelta) expected << QString::number(line);
        QVERIFY2(dom.contains("data-sorted=\"" + expected.join(',') + "\""), qPrintable(expected.join(',')));

        const QString png = QString::fromStdString(path("report.png").string());
        QProcess shot;
        shot.start(browser, common + QStringList{"--hide-scrollbars", "--window-size=1200,1400", "--screenshot=" + png,
                                                 QString::fromStdString("file://" + html.string())});
        QVERIFY(shot.waitForFinished(60000));
        const QImage image(png);
        QCOMPARE(image.size(), QSize(1200, 1400));
        int inked = 0;
        for (int y = 0; y < image.height(); y += 4)
            for (int x = 0; x < image.width(); x += 4) inked += qGray(image.pixel(x, y)) < 200 ? 1 : 0;
        qInfo("screenshot %s: %d of %d sampled pixels inked", qPrintable(png), inked, (1200 / 4) * (1400 / 4));
        QVERIFY(inked > 500);
    }

    // Progress reaches the caller; returning false stops the evaluation as cancelled.
    void progressAndCancel() {
        ft::EvalOptions o;
        o.tuned = {m_loraRun};
        o.maxNewTokens = 4;
        std::vector<std::string> stages;
        o.progress = [&](const ft::EvalProgress& p) {
            stages.push_back(std::to_string(p.side) + p.stage);
            return !(p.side == 1 && p.stage == "generating");
        };
        try {
            ft::evaluateProject(demoProject(), o);
            QFAIL("not cancelled");
        } catch (const ft::Error& e) {
            QCOMPARE(e.code(), ft::ErrorCode::Cancelled);
        }
        QCOMPARE(stages.front(), std::string("0loading"));
        QVERIFY(std::find(stages.begin(), stages.end(), "0generating") != stages.end());
        QCOMPARE(stages.back(), std::string("1generating"));
    }
};

QTEST_GUILESS_MAIN(TestEvaluation)
#include "tst_evaluation.moc"
