// QLoRA against transformers + peft + bitsandbytes on the CPU (tests/data/make_qlora_fixtures.py): the tiny Llama
// loaded in NF4 with double quantization holds bitsandbytes' codes, and with the same LoRA weights and batch gives
// bitsandbytes' logits, loss and LoRA gradients. Only the adapters get gradients; the base stays 4-bit.

// LibTorch before Qt: Qt's `slots` keyword macro breaks LibTorch headers parsed after it.
#include <torch/torch.h>

#include "core/common/error.h"
#include "core/io/safetensors.h"
#include "core/model/causal_lm_loss.h"
#include "core/model/decoder.h"
#include "core/peft/lora.h"
#include "core/quant/quantizers.h"

#include <QtTest>

namespace {

const std::string kData = FT_TEST_DATA_DIR;

ft::QloraConfig nf4(const std::string& computeDtype) {
    ft::QloraConfig c;
    c.quantType = "nf4";
    c.blocksize = 64;
    c.doubleQuant = true;
    c.computeDtype = computeDtype;
    return c;
}

ft::ProjectionImpl* projection(ft::CausalLM& lm, const std::string& path) {
    for (const auto& item : lm->named_modules("", false))
        if (item.key() == path) return item.value()->as<ft::ProjectionImpl>();
    return nullptr;
}

// max |a - b| / max |b|: one number for tensors whose scale varies between layers.
double relativeError(const torch::Tensor& a, const torch::Tensor& b) {
    const double scale = b.abs().max().item<double>();
    return (a.to(torch::kFloat32) - b.to(torch::kFloat32)).abs().max().item<double>() / std::max(scale, 1e-12);
}

} // namespace

class TestQlora : public QObject {
    Q_OBJECT
private slots:
    void baseHoldsBitsandbytesCodes() {
        const auto ref = ft::SafetensorsFile::open(kData + "/qlora/fp32.safetensors");
        auto lm = ft::loadCausalLM4Bit(kData + "/decoders/llama2", nf4("float32"));
        for (const std::string module : {"model.layers.0.self_attn.q_proj", "model.layers.1.mlp.down_proj"}) {
            auto* proj = projection(lm, module);
            QVERIFY(proj && proj->isFourBit());
            QCOMPARE(proj->weight.numel(), int64_t(0));  // no full-precision copy kept
            const std::string key = "q/" + module + "/";
            QVERIFY(torch::equal(proj->fourBit->packed.reshape(-1), ref.tensor(key + "packed").reshape(-1)));
            QVERIFY(torch::equal(proj->fourBit->absmaxQ, ref.tensor(key + "absmax_q")));
            QVERIFY(torch::equal(proj->fourBit->nestedAbsmax, ref.tensor(key + "nested_absmax")));
            QCOMPARE(proj->fourBit->offset, ref.tensor(key + "offset").item<float>());
        }
        QVERIFY(!projection(lm, "lm_head")->isFourBit());  // as transformers: the head stays dense
        // Counted as the checkpoint's parameters though stored in 4 bits.
        auto dense = ft::loadCausalLM(kData + "/decoders/llama2");
        QCOMPARE(ft::parameterCount(lm), ft::parameterCount(dense));
    }

    void matchesPeftAndBitsandbytes_data() {
        QTest::addColumn<QString>("computeDtype");
        QTest::addColumn<double>("logitTol");
        QTest::addColumn<double>("lossTol");
        QTest::addColumn<double>("gradTol");
        // fp32: the same arithmetic up to summation order. bf16: the reference's matmuls round to bf16 (8 bits of
        // mantissa) at different points than ours; a few bf16 ulps of the largest value.
        QTest::newRow("fp32") << "float32" << 1e-4 << 1e-5 << 1e-4;
        QTest::newRow("bf16") << "bfloat16" << 0.05 << 0.01 << 0.05;
    }

    void matchesPeftAndBitsandbytes() {
        QFETCH(QString, computeDtype);
        QFETCH(double, logitTol);
        QFETCH(double, lossTol);
        QFETCH(double, gradTol);
        const std::string dtype = computeDtype.toStdString();
        const auto ref = ft::SafetensorsFile::open(kData + "/qlora/" + (dtype == "float32" ? "fp32" : "bf16") + ".safetensors");

        auto lm = ft::loadCausalLM4Bit(kData + "/decoders/llama2", nf4(dtype));
        ft::LoraConfig lora;
        lora.r = 4;
        lora.alpha = 8;
        lora.targetModules = {"all-linear"};
        ft::applyLora(lm, lora);
        std::vector<std::pair<std::string, torch::Tensor>> weights;
        for (const auto& e : ref.entries())
            if (e.name.starts_with("lora/")) weights.emplace_back(e.name.substr(5), ref.tensor(e.name));
        QCOMPARE(int(weights.size()), 2 * 7 * 2);
        ft::loadLoraTensors(lm, weights);
        lm->train();

        const auto ids = ref.tensor("input_ids").clone();
        const auto labels = ref.tensor("labels").clone();
        const auto logits = lm->forward(ids);
        const int64_t targets = labels.slice(1, 1).ne(-100).sum().item<int64_t>();
        const auto loss = ft::causalLmLossSum(logits, labels) / double(targets);
        loss.backward();

        const double logitErr = relativeError(logits.detach(), ref.tensor("logits"));
        const double lossErr = std::abs(loss.item<double>() - ref.tensor("loss").item<double>());
        double gradErr = 0;
        for (const auto& [name, param] : ft::loraTensors(lm)) {
            QVERIFY2(param.grad().defined(), name.c_str());
            gradErr = std::max(gradErr, relativeError(param.grad(), ref.tensor("grad/" + name)));
        }
        qInfo("%s: loss %.6f vs %.6f; relative max diff: logits %.3g, loss %.3g, LoRA grads %.3g", dtype.c_str(),
              loss.item<double>(), ref.tensor("loss").item<double>(), logitErr, lossErr, gradErr);
        QVERIFY(logitErr < logitTol);
        QVERIFY(lossErr < lossTol);
        QVERIFY(gradErr < gradTol);

        // Only the adapters learn: nothing else has a gradient, and the 4-bit codes are buffers.
        for (const auto& p : lm->named_parameters()) {
            const bool isLora = p.key().find("lora_") != std::string::npos;
            QCOMPARE(p.value().requires_grad(), isLora);
            if (!isLora) QVERIFY2(!p.value().grad().defined(), p.key().c_str());
        }
    }

    void inputGradientFlowsThroughTheFrozenBase() {
        // d(x Wᵀ)/dx = g W with W dequantized: the same as a dense layer holding the dequantized weight.
        auto lm = ft::loadCausalLM4Bit(kData + "/decoders/llama2", nf4("float32"));
        auto* proj = projection(lm, "model.layers.0.mlp.up_proj");
        const auto w = ft::dequantize4Bit(*proj->fourBit);
        auto x = torch::randn({3, 5, proj->inFeatures}, torch::kFloat32).requires_grad_(true);
        auto x2 = x.detach().clone().requires_grad_(true);
        const auto g = torch::randn({3, 5, proj->outFeatures});
        (proj->forward(x) * g).sum().backward();
        (torch::nn::functional::linear(x2, w) * g).sum().backward();
        QVERIFY(torch::allclose(x.grad(), x2.grad(), 1e-5, 1e-6));
    }

    void badSettingsAreRefused() {
        auto cfg = nf4("float32");
        cfg.quantType = "int3";
        QVERIFY_THROWS_EXCEPTION(ft::Error, ft::loadCausalLM4Bit(kData + "/decoders/llama2", cfg));
        cfg = nf4("float32");
        cfg.blocksize = 48;
        QVERIFY_THROWS_EXCEPTION(ft::Error, ft::loadCausalLM4Bit(kData + "/decoders/llama2", cfg));
        cfg = nf4("double");
        QVERIFY_THROWS_EXCEPTION(ft::Error, ft::loadCausalLM4Bit(kData + "/decoders/llama2", cfg));
    }
};

QTEST_GUILESS_MAIN(TestQlora)
#include "tst_qlora.moc"
