// Gradient checkpointing changes memory, not results: the same loss and the same gradient for every trainable
// tensor (first layer included, over a frozen embedding) with LoRA dropout on, dense and 4-bit bases alike.

// LibTorch before Qt: Qt's `slots` keyword macro breaks LibTorch headers parsed after it.
#include <torch/torch.h>

#include "core/model/decoder.h"
#include "core/peft/lora.h"
#include "core/train/batches.h"

#include <QtTest>

namespace {

const std::string kData = FT_TEST_DATA_DIR;

struct Result {
    double loss = 0;
    std::vector<std::pair<std::string, torch::Tensor>> grads;
};

Result lossAndGrads(bool checkpointing, bool fourBit) {
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
    const auto loss = ft::causalLmLossSum(lm->forward(ids), ids) / double(2 * 15);
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
        QTest::newRow("dense") << false;
        QTest::newRow("nf4") << true;
    }
    void sameGradients() {
        QFETCH(bool, fourBit);
        const Result plain = lossAndGrads(false, fourBit), recomputed = lossAndGrads(true, fourBit);
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
};

QTEST_GUILESS_MAIN(TestGradientCheckpointing)
#include "tst_gradient_checkpointing.moc"
