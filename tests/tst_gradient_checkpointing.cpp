// Gradient checkpointing changes memory, not results: the same loss and the same gradient for every trainable
// tensor (first layer included, over a frozen embedding) with LoRA dropout on, dense and 4-bit bases alike, and
// under bf16 autocast (the recomputation runs under the same casts as the first pass).

// LibTorch before Qt: Qt's `slots` keyword macro breaks LibTorch headers parsed after it.
#include <torch/torch.h>

#include "core/demo/demo.h"
#include "core/model/autocast_scope.h"
#include "core/model/causal_lm_loss.h"
#include "core/model/decoder.h"
#include "core/peft/lora.h"
#include "core/project/project.h"
#include "core/train/training_run.h"

#include <QTemporaryDir>
#include <QtTest>

namespace {

const std::string kData = FT_TEST_DATA_DIR;

struct Result {
    double loss = 0;
    std::vector<std::pair<std::string, torch::Tensor>> grads;
};

Result lossAndGrads(bool checkpointing, bool fourBit, bool autocast = false) {
    ft::QloraConfig q;
    q.computeDtype = "float32";
    auto lm = fourBit ? ft::loadCausalLM4Bit(kData + "/decoders/llama2", q) : ft::loadCausalLM(kData + "/decoders/llama2");
    torch::manual_seed(3);
    ft::LoraConfig lora;
    lora.r = 4;
    lora.alpha = 8;
    lora.dropout = 0.2;
    lora.targetModules = {"all-linear"};
    ft::applyLora(lm, lora);
    {
        torch::NoGradGuard g;
        for (auto& [name, t] : ft::loraTensors(lm)) t.normal_(0, 0.1);  // non-zero B, so every A gets a gradient
    }
    lm->gradientCheckpointing = checkpointing;
    lm->train();
    torch::manual_seed(11);  // the dropout masks
    const auto ids = torch::randint(3, 256, {2, 16}, torch::kInt64);
    torch::Tensor loss;
    {
        const ft::AutocastScope scope(c10::DeviceType::CPU, autocast ? std::optional(at::kBFloat16) : std::nullopt);
        loss = ft::causalLmLossSum(lm->forward(ids), ids) / double(2 * 15);
    }
    loss.backward();
    Result r;
    r.loss = loss.item<double>();
    for (auto& [name, t] : ft::loraTensors(lm)) r.grads.emplace_back(name, t.grad().defined() ? t.grad().clone() : torch::Tensor());
    return r;
}

} // namespace

class TestGradientCheckpointing : public QObject {
    Q_OBJECT
private slots:
    void sameGradients_data() {
        QTest::addColumn<bool>("fourBit");
        QTest::addColumn<bool>("autocast");
        QTest::newRow("dense") << false << false;
        QTest::newRow("nf4") << true << false;
        QTest::newRow("dense-bf16-autocast") << false << true;
    }
    void sameGradients() {
        QFETCH(bool, fourBit);
        QFETCH(bool, autocast);
        const Result plain = lossAndGrads(false, fourBit, autocast), recomputed = lossAndGrads(true, fourBit, autocast);
        QCOMPARE(recomputed.loss, plain.loss);
        QCOMPARE(recomputed.grads.size(), plain.grads.size());
        double worst = 0;
        for (size_t i = 0; i < plain.grads.size(); ++i) {
            const auto& [name, g] = plain.grads[i];
            QVERIFY2(g.defined() && recomputed.grads[i].second.defined(), name.c_str());
            QVERIFY2(g.abs().max().item<double>() > 0, name.c_str());
            worst = std::max(worst, (g - recomputed.grads[i].second).abs().max().item<double>());
        }
        qInfo("%zu LoRA gradients, max |difference| with checkpointing: %.3g", plain.grads.size(), worst);
        QVERIFY(worst < 1e-6);
    }

    // Autocast really changes the arithmetic (bf16 matmuls), by about bf16's precision, not more.
    void autocastComputesInBf16() {
        const Result fp32 = lossAndGrads(false, false, false), bf16 = lossAndGrads(false, false, true);
        const double diff = std::abs(fp32.loss - bf16.loss);
        qInfo("loss fp32 %.6f, bf16 autocast %.6f", fp32.loss, bf16.loss);
        QVERIFY(diff > 0);
        QVERIFY(diff < 0.02 * std::abs(fp32.loss));
        QVERIFY(!at::autocast::is_autocast_enabled(c10::DeviceType::CPU));  // the scope restored the state
    }

    // Under autocast the frozen projections held in bf16 (storeFrozenProjectionsIn, as training does) give the
    // loss and every LoRA gradient bit for bit: autocast multiplies by the same rounded weights either way. On an
    // untied head too (the fused loss reads it), with checkpointing's recomputation.
    void frozenProjectionsInBf16ChangeNothing_data() {
        QTest::addColumn<QString>("model");
        QTest::addColumn<bool>("checkpointing");
        QTest::newRow("llama2-untied-head") << "llama2" << false;
        QTest::newRow("llama2-checkpointing") << "llama2" << true;
        QTest::newRow("llama3-tied-head") << "llama3" << false;
        QTest::newRow("qwen3-qk-norm") << "qwen3" << false;
    }
    void frozenProjectionsInBf16ChangeNothing() {
        QFETCH(QString, model);
        QFETCH(bool, checkpointing);
        const auto run = [&](bool stored) {
            auto lm = ft::loadCausalLM(kData + "/decoders/" + model.toStdString());
            torch::manual_seed(3);
            ft::LoraConfig lora;
            lora.r = 4;
            lora.targetModules = {"all-linear"};
            ft::applyLora(lm, lora);
            {
                torch::NoGradGuard g;
                for (auto& [name, t] : ft::loraTensors(lm)) t.normal_(0, 0.1);
            }
            int64_t freed = 0;
            if (stored) freed = ft::storeFrozenProjectionsIn(lm, torch::kBFloat16);
            lm->gradientCheckpointing = checkpointing;
            lm->train();
            const auto ids = torch::arange(32, torch::kInt64).view({2, 16}) * 7 % (lm->config.vocabSize - 3) + 3;
            torch::Tensor loss;
            {
                const ft::AutocastScope scope(c10::DeviceType::CPU, at::kBFloat16);
                loss = lm->lossSum(ids, ids);
            }
            loss.backward();
            Result r;
            r.loss = loss.item<double>();
            for (auto& [name, t] : ft::loraTensors(lm)) r.grads.emplace_back(name, t.grad().clone());
            return std::pair{r, freed};
        };
        const auto [plain, none] = run(false);
        const auto [stored, freed] = run(true);
        QCOMPARE(none, int64_t(0));
        QVERIFY(freed > 0);
        qInfo("%s: %lld bytes of fp32 projection weights became bf16; loss %.9g vs %.9g", qPrintable(model),
              (long long)freed, stored.loss, plain.loss);
        QCOMPARE(stored.loss, plain.loss);
        QCOMPARE(stored.grads.size(), plain.grads.size());
        for (size_t i = 0; i < plain.grads.size(); ++i)
            QVERIFY2(torch::equal(stored.grads[i].second, plain.grads[i].second), plain.grads[i].first.c_str());
    }

    // The project's training.mixed_precision "bf16" with checkpointing trains the demo; it is refused over bf16 weights.
    void mixedPrecisionTrainsTheDemo() {
        QTemporaryDir tmp;
        const std::filesystem::path root = tmp.path().toStdString();
        ft::makeDemo(root / "demo");
        ft::Project project = ft::loadProject(root / "demo/project.json");
        project.training.mixedPrecision = "bf16";
        project.training.gradientCheckpointing = true;
        ft::TrainingRun run(project, {root / "run", 12});
        std::vector<double> losses;
        std::optional<ft::Error> error;
        run.start({.onStep = [&](const ft::StepMetrics& m) { losses.push_back(m.loss); },
                   .onFinished = [&](ft::RunState, const std::optional<ft::Error>& e) { error = e; }});
        run.wait();
        QVERIFY2(!error, error ? error->what() : "");
        QCOMPARE(int(losses.size()), 12);
        QVERIFY(losses.back() < losses.front());
        const ft::Project back = ft::loadProject(root / "run/checkpoints/step-000012/project.json");
        QCOMPARE(back.training.mixedPrecision, std::string("bf16"));

        project.training.dtype = "bfloat16";
        ft::saveProject(project, root / "bad.json");
        QVERIFY_THROWS_EXCEPTION(ft::Error, ft::loadProject(root / "bad.json"));
    }
};

QTEST_GUILESS_MAIN(TestGradientCheckpointing)
#include "tst_gradient_checkpointing.moc"
