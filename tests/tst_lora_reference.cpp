// LoRA and the trainer's schedules against their references: an adapter saved by peft (tests/data/make_peft_fixtures.py)
// loads into our decoder and gives peft's logits; our export writes the same tensors under the same names; the
// learning-rate multipliers are transformers' own.

// LibTorch before Qt: Qt's `slots` keyword macro breaks LibTorch headers parsed after it.
#include <torch/torch.h>

#include "core/common/error.h"
#include "core/peft/peft_adapter_folder.h"
#include "core/io/json_file.h"
#include "core/io/safetensors.h"
#include "core/model/decoder.h"
#include "core/peft/lora.h"
#include "core/train/lr_schedule.h"

#include <QTemporaryDir>
#include <QtTest>

namespace {
const std::string kData = FT_TEST_DATA_DIR;
}

class TestLoraReference : public QObject {
    Q_OBJECT
private slots:
    void peftAdapterGivesPeftLogits() {
        const std::string adapterDir = kData + "/peft/llama2-lora";
        const auto adapter = ft::readPeftAdapter(adapterDir);
        QCOMPARE(adapter.config.r, 4);
        auto lm = ft::loadCausalLM(kData + "/decoders/llama2");
        const int64_t trainable = ft::applyLora(lm, adapter.config);
        int64_t stored = 0;
        for (const auto& [name, t] : adapter.tensors) stored += t.numel();
        QCOMPARE(trainable, stored);  // every LoRA pair peft saved, and no other trainable parameter
        ft::loadLoraTensors(lm, adapter.tensors);
        lm->eval();
        torch::NoGradGuard g;
        const auto ref = ft::SafetensorsFile::open(adapterDir + "/reference.safetensors");
        const auto logits = lm->forward(ref.tensor("input_ids").clone());
        const double diff = (logits - ref.tensor("logits")).abs().max().item<double>();
        qInfo("max |logit diff| vs peft: %.3g", diff);
        QVERIFY(diff < 1e-4);

        // Our export of the same adapter: peft's tensor names, identical values, a config peft reads.
        QTemporaryDir dir;
        ft::writePeftAdapter(lm, adapter.config, kData + "/decoders/llama2", dir.filePath("a").toStdString());
        const auto ours = ft::SafetensorsFile::open(dir.filePath("a/adapter_model.safetensors").toStdString());
        const auto theirs = ft::SafetensorsFile::open(adapterDir + "/adapter_model.safetensors");
        QCOMPARE(ours.entries().size(), theirs.entries().size());
        for (const auto& e : theirs.entries()) {
            QVERIFY2(ours.find(e.name), e.name.c_str());
            QVERIFY(torch::equal(ours.tensor(e.name), theirs.tensor(e.name)));
        }
        const auto cfg = ft::readJsonFile(dir.filePath("a/adapter_config.json").toStdString());
        QCOMPARE(cfg["peft_type"].get<std::string>(), std::string("LORA"));
        QCOMPARE(cfg["r"].get<int>(), 4);
        QCOMPARE(cfg["lora_alpha"].get<double>(), 8.0);
    }

    void scheduleMatchesTransformers() {
        const auto j = ft::readJsonFile(kData + "/peft/lr_schedules.json");
        int checked = 0;
        for (const auto& s : j["schedules"]) {
            const auto values = s["multipliers"].get<std::vector<double>>();
            for (size_t step = 0; step < values.size(); ++step) {
                const double ours = ft::lrMultiplier(s["scheduler"], int(step), s["total"], s["warmup"]);
                QVERIFY2(std::abs(ours - values[step]) < 1e-12,
                         qPrintable(QStringLiteral("%1 step %2: %3 vs %4").arg(QString::fromStdString(s["scheduler"])).arg(step).arg(ours).arg(values[step])));
                ++checked;
            }
        }
        QCOMPARE(checked, 100 + 37 + 50 + 20);
    }

    void unsupportedAdapterFieldsAreRefused() {
        QTemporaryDir dir;
        const std::filesystem::path d = dir.path().toStdString();
        std::filesystem::copy(kData + "/peft/llama2-lora", d / "a");
        auto cfg = ft::readJsonFile(d / "a/adapter_config.json");
        cfg["use_dora"] = true;
        std::FILE* f = std::fopen((d / "a/adapter_config.json").c_str(), "w");
        const std::string text = cfg.dump();
        std::fwrite(text.data(), 1, text.size(), f);
        std::fclose(f);
        try {
            ft::readPeftAdapter(d / "a");
            QFAIL("a DoRA adapter was read as plain LoRA");
        } catch (const ft::Error& e) {
            QVERIFY2(std::string(e.what()).find("use_dora") != std::string::npos, e.what());
        }
    }
};

QTEST_APPLESS_MAIN(TestLoraReference)
#include "tst_lora_reference.moc"
