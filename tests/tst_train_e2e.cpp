// The walking skeleton end to end on the built-in demo: make it, encode it, train LoRA a few steps (the loss falls),
// export the adapter in PEFT's layout, and load it back into a fresh model (it still carries what was learned).

// LibTorch before Qt: Qt's `slots` keyword macro breaks LibTorch headers parsed after it.
#include <torch/torch.h>

#include "core/train/example_encoder.h"
#include "core/demo/demo.h"
#include "core/inference/language_model.h"
#include "core/io/atomic_file.h"
#include "core/model/causal_lm_loss.h"
#include "core/model/decoder.h"
#include "core/model/model_folder.h"
#include "core/peft/lora.h"
#include "core/peft/peft_adapter_folder.h"
#include "core/text/tokenizer.h"
#include "core/train/batches.h"
#include "core/train/training_run.h"

#include <QTemporaryDir>
#include <QtTest>
#include <nlohmann/json.hpp>

#include <atomic>
#include <cmath>
#include <mutex>
#include <thread>

namespace {

double meanLoss(ft::CausalLM& lm, const std::vector<ft::TokenizedExample>& examples, int padId) {
    torch::NoGradGuard g;
    lm->eval();
    double sum = 0;
    int64_t n = 0;
    for (const auto& e : examples) {
        const auto b = ft::makeBatch({&e}, padId, torch::kCPU);
        sum += ft::causalLmLossSum(lm->forward(b.ids), b.labels).item<double>();
        n += b.targetTokens;
    }
    return sum / double(n);
}

} // namespace

class TestTrainE2E : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    std::filesystem::path demo() const { return m_dir.path().toStdString() + "/demo"; }

private slots:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        ft::makeDemo(demo());
    }

    void demoIsDeterministic() {
        const std::filesystem::path again = m_dir.path().toStdString() + "/demo2";
        ft::makeDemo(again);
        for (const char* f : {"model/model.safetensors", "model/tokenizer.model", "model/config.json",
                              "model/tokenizer_config.json", "data/train.jsonl", "project.json"})
            QVERIFY2(ft::readFile(demo() / f) == ft::readFile(again / f), f);
        const auto folder = ft::openModelFolder(demo() / "model");
        QVERIFY(!folder.chatTemplate.empty());
        QCOMPARE(folder.config.numKvHeads, 2);
    }

    void assistantTokensAreTheOnlyLabels() {
        const auto folder = ft::openModelFolder(demo() / "model");
        ft::ExampleEncoder enc(folder);
        ft::Example ex;
        ex.messages = {{"user", "프랑스의 수도는 어디인가요?"}, {"assistant", "프랑스의 수도는 파리입니다."}};
        const std::string rendered = enc.render(ex.messages, false);
        QCOMPARE(rendered, std::string("<s><|im_start|>user\n프랑스의 수도는 어디인가요?<|im_end|>\n<|im_start|>assistant\n"
                                       "프랑스의 수도는 파리입니다.<|im_end|>\n"));
        const auto t = enc.encodeChat(ex, 0);
        const auto offsets = enc.tokenizer().encode(rendered).offsets;
        std::string labeled;
        for (size_t i = 0; i < t.ids.size(); ++i)
            if (t.labels[i] != ft::kIgnoreIndex) {
                QCOMPARE(t.labels[i], t.ids[i]);
                labeled += rendered.substr(offsets[i].first, offsets[i].second - offsets[i].first);
            }
        QCOMPARE(labeled, std::string("프랑스의 수도는 파리입니다.<|im_end|>\n"));
        QCOMPARE(t.ids.front(), enc.tokenizer().bosId());  // <s> in the template becomes the BOS id
        const auto all = enc.encodeChat(ex, 0, /*trainOnPrompt=*/true);
        QCOMPARE(all.labels, all.ids);
        const auto cut = enc.encodeChat(ex, 8);
        QVERIFY(cut.truncated);
        QCOMPARE(int(cut.ids.size()), 8);
    }

    void loraTrainingLowersLossAndExportLoadsBack() {
        ft::Project project = ft::loadProject(demo() / "project.json");
        const std::filesystem::path out = m_dir.path().toStdString() + "/run";
        ft::TrainingRun run(project, {out, 40});
        std::mutex mu;
        std::vector<double> losses;
        std::vector<ft::EvalMetrics> evals;
        std::optional<ft::Error> error;
        ft::RunState final = ft::RunState::Idle;
        run.start({.onStep = [&](const ft::StepMetrics& m) { std::lock_guard l(mu); losses.push_back(m.loss); },
                   .onEval = [&](const ft::EvalMetrics& e) { std::lock_guard l(mu); evals.push_back(e); },
                   .onFinished = [&](ft::RunState s, const std::optional<ft::Error>& e) { final = s; error = e; }});
        run.wait();
        QVERIFY2(!error, error ? error->what() : "");
        QCOMPARE(final, ft::RunState::Finished);
        QCOMPARE(int(losses.size()), 40);
        const double first = (losses[0] + losses[1] + losses[2]) / 3, last = (losses[37] + losses[38] + losses[39]) / 3;
        qInfo("loss: first steps %.3f, last steps %.3f", first, last);
        QVERIFY2(last < first - 1.0, "the loss did not clearly fall");
        QVERIFY(!evals.empty());

        // The adapter in PEFT's layout.
        const auto adapterDir = out / "adapter";
        const auto cfg = nlohmann::json::parse(ft::readFile(adapterDir / "adapter_config.json"));
        QCOMPARE(cfg["peft_type"].get<std::string>(), std::string("LORA"));
        QCOMPARE(cfg["task_type"].get<std::string>(), std::string("CAUSAL_LM"));
        QCOMPARE(cfg["r"].get<int>(), project.lora.r);
        QCOMPARE(cfg["target_modules"].size(), size_t(7));
        const auto adapter = ft::readPeftAdapter(adapterDir);
        QCOMPARE(int(adapter.tensors.size()), 2 * 7 * 4);  // A and B, 7 projections, 4 layers
        QVERIFY(adapter.tensors.front().first.starts_with("base_model.model.model.layers.0."));

        // Load it into a fresh base model: the loss on the data is what training reached, far below the base's.
        const auto folder = ft::openModelFolder(demo() / "model");
        ft::ExampleEncoder enc(folder);
        std::vector<ft::TokenizedExample> data;
        for (const auto& ex : ft::loadDataset(demo() / "data/train.jsonl", ft::DatasetKind::Instruct).examples)
            data.push_back(enc.encodeChat(ex, 128));
        auto base = ft::loadCausalLM(demo() / "model");
        const double baseLoss = meanLoss(base, data, enc.tokenizer().padId());
        auto tuned = ft::loadCausalLM(demo() / "model");
        ft::applyLora(tuned, adapter.config);
        ft::loadLoraTensors(tuned, adapter.tensors);
        const double tunedLoss = meanLoss(tuned, data, enc.tokenizer().padId());
        qInfo("mean loss on the demo data: base %.3f, with the exported adapter %.3f", baseLoss, tunedLoss);
        QVERIFY(tunedLoss < baseLoss - 1.0);

        // The inspector's heat map: LanguageModel::tokenLosses with the adapter folder gives, per trained token, the
        // loss training takes; summed, it is causalLmLossSum on the same tokens (NaN at 0 and on masked labels).
        auto inference = ft::LanguageModel::load(demo() / "model");
        inference->applyAdapter(adapterDir);
        torch::NoGradGuard g;
        tuned->eval();
        for (size_t i = 0; i < 3; ++i) {
            const auto& e = data[i];
            const std::vector<float> perToken = inference->tokenLosses(e.ids, e.labels);
            QCOMPARE(perToken.size(), e.ids.size());
            QVERIFY(std::isnan(perToken[0]));
            double sum = 0;
            int64_t counted = 0;
            for (size_t t = 0; t < perToken.size(); ++t) {
                QCOMPARE(std::isnan(perToken[t]), t == 0 || e.labels[t] == ft::kIgnoreIndex);
                if (std::isnan(perToken[t])) continue;
                QVERIFY(perToken[t] >= 0.0f);
                sum += perToken[t];
                ++counted;
            }
            const auto b = ft::makeBatch({&e}, enc.tokenizer().padId(), torch::kCPU);
            const double expected = ft::causalLmLossSum(tuned->forward(b.ids), b.labels).item<double>();
            QCOMPARE(counted, b.targetTokens);
            QVERIFY2(std::abs(sum - expected) < 1e-3 * std::max(1.0, expected),
                     qPrintable(QStringLiteral("sum %1, causalLmLossSum %2").arg(sum).arg(expected)));
        }
    }

    // Best fit decreasing: 300, 250, 200 and 260 tokens make two rows of 512 (in order they would make three), each
    // row holding its examples in input order with segments 1, 2, and every token kept once.
    void packingFillsRowsBestFit() {
        std::vector<ft::TokenizedExample> examples;
        for (const int n : {300, 250, 200, 260}) {
            auto& e = examples.emplace_back();
            for (int i = 0; i < n; ++i) e.ids.push_back(int(examples.size()) * 1000 + i);
            e.labels = e.ids;
            e.line = int(examples.size());
        }
        const auto rows = ft::packExamples(examples, 512);
        QCOMPARE(rows.size(), size_t(2));
        const auto expect = [&](const ft::TokenizedExample& row, size_t first, size_t second) {
            std::vector<int> ids = examples[first].ids, segments(examples[first].ids.size(), 1);
            ids.insert(ids.end(), examples[second].ids.begin(), examples[second].ids.end());
            segments.insert(segments.end(), examples[second].ids.size(), 2);
            QCOMPARE(row.ids, ids);
            QCOMPARE(row.labels, ids);
            QCOMPARE(row.segments, segments);
            QCOMPARE(row.line, examples[first].line);
        };
        expect(rows[0], 0, 2);
        expect(rows[1], 1, 3);
        // One example longer than the row stands alone; an empty input packs to nothing.
        examples.emplace_back().ids.assign(600, 7);
        QCOMPARE(ft::packExamples(examples, 512).size(), size_t(3));
        QVERIFY(ft::packExamples({}, 512).empty());
    }

    void packedTrainingRuns() {
        ft::Project project = ft::loadProject(demo() / "project.json");
        project.training.packing = true;
        project.training.batchSize = 1;
        ft::TrainingRun run(project, {std::filesystem::path(m_dir.path().toStdString()) / "run-packed", 10});
        std::vector<double> losses;
        int rows = 0, examples = 0;
        std::optional<ft::Error> error;
        run.start({.onPrepared = [&](const ft::RunSummary& s) { rows = s.trainRows, examples = s.trainExamples; },
                   .onStep = [&](const ft::StepMetrics& m) { losses.push_back(m.loss); },
                   .onFinished = [&](ft::RunState, const std::optional<ft::Error>& e) { error = e; }});
        run.wait();
        QVERIFY2(!error, error ? error->what() : "");
        QVERIFY2(rows > 0 && rows < examples, "short examples should pack into fewer rows of 128 tokens");
        QCOMPARE(int(losses.size()), 10);
        QVERIFY(losses.back() < losses.front());
    }

    void pauseResumeCancel() {
        ft::Project project = ft::loadProject(demo() / "project.json");
        ft::TrainingRun run(project, {std::filesystem::path(m_dir.path().toStdString()) / "run2", 100000});
        std::atomic<int> steps{0};
        ft::RunState final = ft::RunState::Idle;
        run.start({.onStep = [&](const ft::StepMetrics& m) { steps = m.step; },
                   .onFinished = [&](ft::RunState s, const std::optional<ft::Error>&) { final = s; }});
        QTRY_VERIFY_WITH_TIMEOUT(steps >= 2, 60000);
        run.pause();
        QTRY_COMPARE_WITH_TIMEOUT(run.state(), ft::RunState::Paused, 10000);
        const int frozen = steps;
        QTest::qWait(400);
        QCOMPARE(int(steps), frozen);
        run.resume();
        QTRY_VERIFY_WITH_TIMEOUT(steps > frozen, 10000);
        run.cancel();
        run.wait();
        QCOMPARE(final, ft::RunState::Cancelled);
    }

    void projectRoundTrip() {
        ft::Project p = ft::loadProject(demo() / "project.json");
        p.datasetFormat = "prompt_response";
        p.datasetColumns = {{"prompt", "question"}, {"response", "answer"}};
        p.training.packing = true;
        p.lora.targetModules = {"q_proj", "v_proj"};
        const std::filesystem::path f = m_dir.path().toStdString() + "/roundtrip.json";
        ft::saveProject(p, f);
        const ft::Project back = ft::loadProject(f);
        QCOMPARE(ft::projectToJson(back), ft::projectToJson(p));
        QCOMPARE(back.datasetColumns.at("response"), std::string("answer"));
        QVERIFY(back.training.packing);
    }

    void badProjectSaysWhere() {
        const std::filesystem::path p = m_dir.path().toStdString() + "/bad.json";
        ft::writeFileAtomic(p, R"({"format": "finetune-studio-project", "version": 1, "model": "m", "dataset": "d",
                                   "training": {"batch_size": 0}})");
        try {
            ft::loadProject(p);
            QFAIL("accepted batch_size 0");
        } catch (const ft::Error& e) {
            QVERIFY2(std::string(e.what()).find("training.batch_size") != std::string::npos, e.what());
            QVERIFY(std::string(e.what()).find(p.string()) != std::string::npos);
        }
        ft::writeFileAtomic(p, R"({"format": "finetune-studio-project", "version": 1, "model": "m", "dataset": "d",
                                   "dataset_format": "csv-ish"})");
        try {
            ft::loadProject(p);
            QFAIL("accepted an unknown dataset_format");
        } catch (const ft::Error& e) {
            QVERIFY2(std::string(e.what()).find("dataset_format") != std::string::npos, e.what());
        }
    }
};

QTEST_GUILESS_MAIN(TestTrainE2E)
#include "tst_train_e2e.moc"
