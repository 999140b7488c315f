// Preference tuning end to end on the built-in demo (its data/preference.jsonl: each question's own answer chosen,
// another question's rejected): DPO with LoRA (reference = adapter off) learns to prefer the chosen answers; full
// fine-tuning takes its reference before the first step, keeps it with the run and reads it back on resume; KTO and
// ORPO train; TRL's metrics reach the callbacks and metrics.jsonl.

#include "core/common/error.h"
#include "core/demo/demo.h"
#include "core/io/atomic_file.h"
#include "core/io/json_file.h"
#include "core/train/metrics_log.h"
#include "core/model/model_folder.h"
#include "core/train/training_data.h"
#include "core/train/training_run.h"

#include <QTemporaryDir>
#include <QtTest>

#include <algorithm>
#include <cmath>
#include <mutex>

namespace fs = std::filesystem;

namespace {

struct Outcome {
    std::vector<ft::StepMetrics> steps;
    std::vector<ft::EvalMetrics> evals;
    ft::RunSummary summary;
    std::optional<ft::Error> error;
    ft::RunState final = ft::RunState::Idle;
};

// Runs to the end (or until `stopAfterCheckpoint` has been written, then cancels).
Outcome train(const ft::Project& project, ft::RunOptions options, int stopAfterCheckpoint = 0) {
    Outcome o;
    std::mutex mu;
    ft::TrainingRun run(project, options);
    run.start({.onPrepared = [&](const ft::RunSummary& s) { o.summary = s; },
               .onStep = [&](const ft::StepMetrics& m) { std::lock_guard l(mu); o.steps.push_back(m); },
               .onEval = [&](const ft::EvalMetrics& e) { std::lock_guard l(mu); o.evals.push_back(e); },
               .onCheckpoint = [&](int step, const fs::path&) { if (step == stopAfterCheckpoint) run.cancel(); },
               .onFinished = [&](ft::RunState s, const std::optional<ft::Error>& e) { o.final = s; o.error = e; }});
    run.wait();
    return o;
}

double mean(const std::vector<ft::StepMetrics>& steps, size_t from, const std::string& key) {
    double sum = 0;
    for (size_t i = from; i < steps.size(); ++i) sum += steps[i].preference.at(key);
    return sum / double(steps.size() - from);
}

} // namespace

class TestPreferenceTrain : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    fs::path demo() const { return fs::path(m_dir.path().toStdString()) / "demo"; }
    fs::path dir(const char* name) const { return fs::path(m_dir.path().toStdString()) / name; }
    int pairs() const {  // rows of the demo's data/preference.jsonl
        const std::string text = ft::readFile(demo() / "data/preference.jsonl");
        return int(std::count(text.begin(), text.end(), '\n'));
    }

    ft::Project preferenceProject(const std::string& loss, const std::string& method = "lora") const {
        ft::Project p = ft::loadProject(demo() / "project.json");
        p.kind = ft::FinetuneKind::Preference;
        p.dataset = "data/preference.jsonl";
        p.method = method;
        p.preference.loss = loss;
        p.training.learningRate = method == "full" ? 1e-3 : 3e-3;
        p.training.warmupSteps = 0;
        p.training.validationFraction = 0.2;
        p.training.evalEvery = 0;
        p.training.checkpointEvery = 0;
        return p;
    }

private slots:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        ft::makeDemo(demo());
    }

    // The first step's policy is the reference (LoRA's B starts at zero): every reward is 0 and the loss is log 2.
    // Then the chosen answers pull ahead: accuracy and margins rise, on the training rows and the held-out ones.
    void dpoWithLoraPrefersChosen() {
        ft::Project p = preferenceProject("dpo");
        p.training.evalEvery = 10;
        const fs::path out = dir("dpo");
        const Outcome o = train(p, {out, 40});
        QVERIFY2(!o.error, o.error ? o.error->what() : "");
        QCOMPARE(o.final, ft::RunState::Finished);
        QCOMPARE(int(o.steps.size()), 40);
        QVERIFY(!o.summary.referencePrecomputed);
        QCOMPARE(o.summary.validationExamples, pairs() / 5);  // validation_fraction 0.2
        const auto& first = o.steps.front();
        for (const char* key : {"rewards/chosen", "rewards/rejected", "rewards/accuracies", "rewards/margins",
                                "logps/chosen", "logps/rejected"})
            QVERIFY2(first.preference.count(key), key);
        QVERIFY2(std::abs(first.loss - std::log(2.0)) < 1e-6, qPrintable(QString::number(first.loss)));
        QCOMPARE(first.preference.at("rewards/margins"), 0.0);
        const double accuracy = mean(o.steps, 30, "rewards/accuracies"), margin = mean(o.steps, 30, "rewards/margins");
        qInfo("steps 31-40: accuracy %.3f, margin %.3f, loss %.4f (step 1: %.4f)", accuracy, margin, o.steps.back().loss,
              first.loss);
        QVERIFY(accuracy > 0.9);
        QVERIFY(margin > 1.0);
        QCOMPARE(int(o.evals.size()), 4);  // steps 10, 20, 30 and the end
        for (const auto& e : o.evals)
            qInfo("eval @ %d: loss %.4f accuracy %.3f margin %.3f", e.step, e.loss, e.preference.at("rewards/accuracies"),
                  e.preference.at("rewards/margins"));
        QVERIFY(o.evals.back().preference.at("rewards/margins") > o.evals.front().preference.at("rewards/margins"));

        // metrics.jsonl carries them by TRL's names, evaluations with TRL's "eval_" prefix.
        const auto records = ft::readMetricsLog(out / "metrics.jsonl");
        QCOMPARE(int(records.size()), 44);
        QVERIFY(records.front().preference.count("rewards/margins"));
        QVERIFY(records.back().eval && records.back().preference.count("rewards/accuracies"));
        const std::string lines = ft::readFile(out / "metrics.jsonl");
        QVERIFY(lines.find("\"eval_rewards/margins\"") != std::string::npos);
        QVERIFY(lines.find("eval_perplexity") == std::string::npos);
        QVERIFY(fs::exists(out / "adapter/adapter_model.safetensors"));
    }

    // Full fine-tuning has no adapter to switch off: the reference log-probs are taken once, before the first step,
    // and stored with the run. Resumed after a checkpoint, the run reads them back and continues exactly as the
    // uninterrupted one.
    void fullFinetuneKeepsItsReference() {
        ft::Project p = preferenceProject("dpo", "full");
        p.training.checkpointEvery = 3;
        const Outcome whole = train(p, {dir("full-whole"), 6});
        QVERIFY2(!whole.error, whole.error ? whole.error->what() : "");
        QVERIFY(whole.summary.referencePrecomputed);
        const auto reference = ft::readJsonFile(dir("full-whole") / "reference_logps.json");
        QCOMPARE(int(reference["train"].size()), whole.summary.trainRows);
        QCOMPARE(int(reference["validation"].size()), whole.summary.validationExamples);
        QCOMPARE(reference["train"][0].size(), size_t(3));
        // Step 1: the policy is the model the reference was taken from (other batches, so not bit for bit).
        QVERIFY2(std::abs(whole.steps.front().loss - std::log(2.0)) < 1e-5, qPrintable(QString::number(whole.steps.front().loss)));

        const Outcome cut = train(p, {dir("full-cut"), 6}, 3);
        QCOMPARE(cut.final, ft::RunState::Cancelled);
        ft::RunOptions again{dir("full-cut"), 6};
        again.resume = true;
        const Outcome resumed = train(p, again);
        QVERIFY2(!resumed.error, resumed.error ? resumed.error->what() : "");
        QCOMPARE(resumed.summary.resumedFromStep, 3);
        QCOMPARE(int(resumed.steps.size()), 3);
        for (int i = 0; i < 3; ++i) {
            QCOMPARE(resumed.steps[size_t(i)].loss, whole.steps[size_t(i + 3)].loss);
            QCOMPARE(resumed.steps[size_t(i)].preference, whole.steps[size_t(i + 3)].preference);
        }

        // Without its reference file a resumed full fine-tune cannot be right, and says so.
        ft::Project longer = p;
        const Outcome cut2 = train(longer, {dir("full-lost"), 6}, 3);
        QCOMPARE(cut2.final, ft::RunState::Cancelled);
        fs::remove(dir("full-lost") / "reference_logps.json");
        ft::RunOptions resume2{dir("full-lost"), 6};
        resume2.resume = true;
        const Outcome lost = train(p, resume2);
        QCOMPARE(lost.final, ft::RunState::Failed);
        QVERIFY(lost.error);
        QVERIFY2(std::string(lost.error->what()).find("reference_logps.json") != std::string::npos, lost.error->what());
    }

    void ktoAndOrpoTrain_data() {
        QTest::addColumn<QString>("loss");
        QTest::newRow("kto") << "kto";
        QTest::newRow("orpo") << "orpo";
        QTest::newRow("ipo") << "ipo";
    }
    void ktoAndOrpoTrain() {
        QFETCH(QString, loss);
        const ft::Project p = preferenceProject(loss.toStdString());
        const int steps = loss == "kto" ? 40 : 12;  // KTO's unpaired signal takes longer to show
        const Outcome o = train(p, {dir(qPrintable("run-" + loss)), steps});
        QVERIFY2(!o.error, o.error ? o.error->what() : "");
        QCOMPARE(int(o.steps.size()), steps);
        if (loss == "kto") {
            QVERIFY(o.steps.front().preference.count("kl"));
            QCOMPARE(o.summary.trainRows, 2 * pairs() - 2 * pairs() / 5);  // each pair as two labelled answers, then split
        }
        if (loss == "orpo") QVERIFY(o.steps.front().preference.count("log_odds_ratio"));
        qInfo("%s: loss %.4f -> %.4f", qPrintable(loss), o.steps.front().loss, o.steps.back().loss);
        if (loss == "kto") {
            // KTO's loss moves with its KL estimate and each batch's mix of labels; its reward margin is what must
            // grow: desirable answers ahead of undesirable ones in the later steps.
            double margin = 0;
            int n = 0;
            for (size_t i = 20; i < o.steps.size(); ++i)
                if (const auto it = o.steps[i].preference.find("rewards/margins"); it != o.steps[i].preference.end())
                    margin += it->second, ++n;
            qInfo("kto: mean margin over steps 21-40: %.4f (%d steps with both labels)", n ? margin / n : 0.0, n);
            QVERIFY(n > 0 && margin / n > 0.3);
        } else {
            QVERIFY(o.steps.back().loss < o.steps.front().loss);
        }
    }

    // As TRL: a row whose prompt alone fills max_seq_length is left out (nothing of its answers would remain); with
    // max_prompt_length the prompt keeps its last tokens instead, and every row stays, cut.
    void longPromptsAreLeftOutOrCut() {
        ft::Project p = preferenceProject("dpo");
        p.file = demo() / "project.json";
        p.training.maxSeqLength = 12;  // shorter than every prompt the demo's template renders
        const ft::ModelFolder folder = ft::openModelFolder(demo() / "model");
        try {
            (void)ft::prepareTrainingData(p, folder);
            QFAIL("rows whose prompt fills max_seq_length were trained on");
        } catch (const ft::Error& e) {
            QVERIFY2(std::string(e.what()).find("max_seq_length") != std::string::npos, e.what());
        }
        p.preference.maxPromptLength = 8;
        const ft::TrainingData data = ft::prepareTrainingData(p, folder);
        QCOMPARE(int(data.preferenceTrain.size() + data.preferenceValidation.size()), pairs());
        QCOMPARE(data.longPromptRows, 0);
        QCOMPARE(data.truncatedExamples, pairs());
        for (const auto& row : data.preferenceTrain) {
            QCOMPARE(row.chosenPrompt, 8);
            QVERIFY(int(row.chosen.size()) <= 12 && int(row.rejected.size()) <= 12);
        }
    }

    // Unpaired rows train only with KTO; any other loss says which row and what to do.
    void unpairedRowsNeedKto() {
        ft::writeFileAtomic(demo() / "data/unpaired.jsonl",
                            "{\"prompt\": \"a\", \"completion\": \"b\", \"label\": true}\n"
                            "{\"prompt\": \"c\", \"completion\": \"d\", \"label\": false}\n");
        ft::Project p = preferenceProject("dpo");
        p.dataset = "data/unpaired.jsonl";
        const Outcome o = train(p, {dir("unpaired"), 2});
        QCOMPARE(o.final, ft::RunState::Failed);
        QVERIFY(o.error);
        const std::string msg = o.error->what();
        QVERIFY2(msg.find("unpaired.jsonl:1") != std::string::npos && msg.find("kto") != std::string::npos, msg.c_str());
    }
};

QTEST_GUILESS_MAIN(TestPreferenceTrain)
#include "tst_preference_train.moc"
