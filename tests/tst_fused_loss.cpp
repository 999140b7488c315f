// The fused output-layer cross-entropy (causalLmLossSumFromHidden, CausalLM::lossSum) against the unfused loss
// it replaces in training: the same sum and the same gradients for h, the output weight and every trainable
// parameter, over several chunks, ignored labels, a final softcap, a trained head and bf16 autocast.

#include "core/model/autocast_scope.h"
#include "core/model/causal_lm_loss.h"
#include "core/model/decoder.h"
#include "core/model/softmax_rows.h"
#include "core/peft/lora.h"

#include <QtTest>

#include <torch/torch.h>

namespace {

const std::string kDecoders = FT_TEST_DATA_DIR "/decoders/";

struct Result {
    torch::Tensor loss, gradHidden, gradWeight;
};

Result run(bool fused, const torch::Tensor& h0, const torch::Tensor& w0, const torch::Tensor& labels, double softcap,
           bool trainWeight, std::optional<at::ScalarType> autocast = std::nullopt) {
    const torch::Tensor h = h0.clone().requires_grad_(true), w = w0.clone().requires_grad_(trainWeight);
    torch::Tensor loss;
    {
        const ft::AutocastScope scope(torch::kCPU, autocast);
        if (fused) {
            loss = ft::causalLmLossSumFromHidden(h, w, labels, softcap);
        } else {
            torch::Tensor z = torch::nn::functional::linear(h, w);
            if (softcap > 0) z = torch::tanh(z / softcap) * softcap;
            loss = ft::causalLmLossSum(z.to(torch::kFloat32), labels);
        }
    }
    (loss * 0.37).backward();  // a grad_output other than 1, as the mean over target tokens gives
    return {loss.detach(), h.grad(), trainWeight ? w.grad() : torch::Tensor()};
}

// Largest difference relative to the largest magnitude: sums over tens of thousands of vocabulary entries, added in
// another order, differ by float32's rounding of that magnitude, not of each element.
double relativeError(const torch::Tensor& a, const torch::Tensor& b) {
    const torch::Tensor x = a.to(torch::kFloat64), y = b.to(torch::kFloat64);
    return ((x - y).abs().max() / y.abs().max().clamp_min(1e-30)).item<double>();
}

void compare(const Result& a, const Result& b, double tolerance) {
    qInfo("relative error: loss %.2g, grad h %.2g, grad W %.2g", relativeError(a.loss, b.loss),
          relativeError(a.gradHidden, b.gradHidden), a.gradWeight.defined() ? relativeError(a.gradWeight, b.gradWeight) : 0.0);
    QVERIFY2(relativeError(a.loss, b.loss) < tolerance,
             qPrintable(QStringLiteral("loss %1 vs %2").arg(a.loss.item<double>(), 0, 'g', 10).arg(b.loss.item<double>(), 0, 'g', 10)));
    QCOMPARE(a.gradHidden.scalar_type(), b.gradHidden.scalar_type());
    QVERIFY2(relativeError(a.gradHidden, b.gradHidden) < tolerance,
             qPrintable(QStringLiteral("grad h: relative error %1").arg(relativeError(a.gradHidden, b.gradHidden))));
    QCOMPARE(a.gradWeight.defined(), b.gradWeight.defined());
    if (a.gradWeight.defined())
        QVERIFY2(relativeError(a.gradWeight, b.gradWeight) < tolerance,
                 qPrintable(QStringLiteral("grad W: relative error %1").arg(relativeError(a.gradWeight, b.gradWeight))));
}

} // namespace

class TestFusedLoss : public QObject {
    Q_OBJECT
private slots:
    void sameLossAndGradients_data() {
        QTest::addColumn<double>("softcap");
        QTest::addColumn<bool>("trainWeight");
        QTest::newRow("frozen head") << 0.0 << false;
        QTest::newRow("trained head") << 0.0 << true;
        QTest::newRow("softcap 30") << 30.0 << true;
    }

    void sameLossAndGradients() {
        QFETCH(double, softcap);
        QFETCH(bool, trainWeight);
        torch::manual_seed(5);
        const int64_t B = 3, T = 200, C = 48, V = 40000;  // 597 targets: chunks of lossChunkRows(V) = 419 rows
        QVERIFY(B * (T - 1) > ft::lossChunkRows(V));
        const torch::Tensor h = torch::randn({B, T, C}), w = torch::randn({V, C}) * 0.3;
        torch::Tensor labels = torch::randint(V, {B, T}, torch::kInt64);
        labels.slice(1, 0, 40).fill_(ft::kIgnoreIndex);  // a masked prompt
        labels[1].slice(0, 150).fill_(ft::kIgnoreIndex);  // padding
        compare(run(true, h, w, labels, softcap, trainWeight), run(false, h, w, labels, softcap, trainWeight), 1e-5);
    }

    void bf16AutocastAsTheUnfusedPath() {
        torch::manual_seed(6);
        const int64_t B = 2, T = 300, C = 64, V = 3000;
        const torch::Tensor h = torch::randn({B, T, C}), w = torch::randn({V, C}) * 0.2;
        const torch::Tensor labels = torch::randint(V, {B, T}, torch::kInt64);
        // Both round the product to bf16; the gradients are rounded once more by the fused path (before the scale).
        compare(run(true, h, w, labels, 0.0, false, at::kBFloat16), run(false, h, w, labels, 0.0, false, at::kBFloat16), 1e-2);
    }

    void allLabelsIgnored() {
        const torch::Tensor h = torch::randn({2, 5, 8}), w = torch::randn({11, 8});
        const torch::Tensor labels = torch::full({2, 5}, ft::kIgnoreIndex, torch::kInt64);
        const Result r = run(true, h, w, labels, 0.0, true);
        QCOMPARE(r.loss.item<double>(), 0.0);
        QCOMPARE(r.gradHidden.abs().sum().item<double>(), 0.0);
    }

    // The row softmax the fused loss runs on the CPU (its own vectorised exp) against ATen's in float64: rows of
    // lengths around the vector widths and SmolLM2's vocabulary, values spread over 200 so that many entries sit
    // below exp's clamp at -87, and a row of one entry.
    void rowSoftmaxAsAtenInFloat64() {
        torch::manual_seed(9);
        for (const int64_t n : {int64_t(1), int64_t(15), int64_t(16), int64_t(17), int64_t(333), int64_t(49152)}) {
            const torch::Tensor x = torch::rand({5, n}) * 200.0 - 150.0;
            torch::Tensor p = x.clone();
            const torch::Tensor lse = ft::softmaxRowsInPlace(p);
            const torch::Tensor x64 = x.to(torch::kFloat64);
            const double lseError = (lse.to(torch::kFloat64) - x64.logsumexp(1)).abs().max().item<double>();
            const double pError = (p.to(torch::kFloat64) - torch::softmax(x64, 1)).abs().max().item<double>();
            qInfo("n %lld: log-sum-exp error %.2g, probability error %.2g", (long long)n, lseError, pError);
            QVERIFY2(lseError < 2e-5, qPrintable(QStringLiteral("n %1: log-sum-exp off by %2").arg(n).arg(lseError)));
            QVERIFY2(pError < 1e-6, qPrintable(QStringLiteral("n %1: a probability off by %2").arg(n).arg(pError)));
        }
    }

    // A diverging run: a hidden state with inf or NaN must give a NaN loss and NaN gradients (the trainer stops
    // on them), not numbers made up by a fast exp; the other rows keep their values.
    void nonFiniteRowsReachTheLoss_data() {
        QTest::addColumn<double>("bad");
        QTest::newRow("NaN") << std::numeric_limits<double>::quiet_NaN();
        QTest::newRow("inf") << std::numeric_limits<double>::infinity();
    }
    void nonFiniteRowsReachTheLoss() {
        QFETCH(double, bad);
        torch::manual_seed(8);
        const torch::Tensor w = torch::randn({300, 16});
        torch::Tensor h = torch::randn({2, 7, 16});
        const torch::Tensor labels = torch::randint(300, {2, 7}, torch::kInt64);
        const Result clean = run(true, h, w, labels, 0.0, false);
        h[1][3][5] = bad;
        const Result r = run(true, h, w, labels, 0.0, false), unfused = run(false, h, w, labels, 0.0, false);
        QVERIFY(std::isnan(r.loss.item<double>()));
        QVERIFY(std::isnan(unfused.loss.item<double>()));
        QVERIFY(r.gradHidden[1][3].isnan().any().item<bool>());
        QVERIFY(torch::allclose(r.gradHidden[0], clean.gradHidden[0]));  // rows are independent
    }

    void noGradientWhenNoneIsWanted() {
        torch::NoGradGuard noGrad;
        const torch::Tensor h = torch::randn({2, 9, 8}), w = torch::randn({11, 8});
        const torch::Tensor labels = torch::randint(11, {2, 9}, torch::kInt64);
        const torch::Tensor fused = ft::causalLmLossSumFromHidden(h, w, labels);
        QVERIFY(!fused.requires_grad());
        QVERIFY(torch::allclose(fused, ft::causalLmLossSum(torch::nn::functional::linear(h, w), labels), 1e-5));
    }

    // The model's loss, as training takes it, against the logits path: LoRA parameters get the same gradients.
    void modelLossSumMatchesLogits_data() {
        QTest::addColumn<QString>("model");
        QTest::newRow("llama2") << "llama2";     // untied output layer
        QTest::newRow("qwen3") << "qwen3";       // tied to the embedding
        QTest::newRow("gemma2") << "gemma2";     // final softcap
    }

    void modelLossSumMatchesLogits() {
        QFETCH(QString, model);
        ft::CausalLM lm = ft::loadCausalLM(kDecoders + model.toStdString());
        ft::LoraConfig lora;
        lora.r = 4;
        lora.alpha = 8;
        lora.targetModules = {"all-linear"};
        torch::manual_seed(1);
        ft::applyLora(lm, lora);
        for (auto& p : lm->named_parameters())  // B starts at zero: give it values so A's gradient is not zero
            if (p.key().find("lora_B") != std::string::npos) p.value().data().normal_(0.0, 0.05);
        torch::manual_seed(2);
        const auto ids = torch::randint(lm->config.vocabSize, {2, 24}, torch::kInt64);
        const auto grads = [&](bool fused) {
            lm->zero_grad();
            const torch::Tensor loss = fused ? lm->lossSum(ids, ids) : ft::causalLmLossSum(lm->forward(ids), ids);
            (loss / 46.0).backward();
            std::vector<torch::Tensor> g{loss.detach()};
            for (auto& p : lm->parameters())
                if (p.requires_grad()) g.push_back(p.grad().clone());
            return g;
        };
        const auto fused = grads(true), unfused = grads(false);
        QCOMPARE(fused.size(), unfused.size());
        QVERIFY(fused.size() > 10);
        for (size_t i = 0; i < fused.size(); ++i)
            QVERIFY2(relativeError(fused[i], unfused[i]) < 1e-5,
                     qPrintable(QStringLiteral("tensor %1: relative error %2").arg(i).arg(relativeError(fused[i], unfused[i]))));
    }
};

QTEST_APPLESS_MAIN(TestFusedLoss)
#include "tst_fused_loss.moc"
