// A GGUF file as the model to fine-tune, against transformers 5.23 opening the same file
// (`from_pretrained(folder, gguf_file=...)`): tiny files of every importable architecture and both tokenizer kinds
// (tests/data/make_gguf_import_fixtures.py). The real model is tst_real_model's.

// LibTorch before Qt: Qt's `slots` keyword macro breaks LibTorch headers parsed after it.
#include <torch/torch.h>

#include "core/common/error.h"
#include "core/io/atomic_file.h"
#include "core/io/gguf_file.h"
#include "core/io/json_file.h"
#include "core/io/safetensors.h"
#include "core/model/decoder.h"
#include "core/model/generator.h"
#include "core/model/gguf_import.h"
#include "core/model/model_folder.h"
#include "core/text/chat_template.h"
#include "core/text/tokenizer.h"

#include <QtTest>

#include <nlohmann/json.hpp>

#include "tokenizer_reference.h"

#include <cstdlib>

namespace fs = std::filesystem;

namespace {

const fs::path kData = FT_TEST_DATA_DIR "/gguf_import";

} // namespace

using tokref::checkCorpus;
using tokref::ints;
using tokref::text;

class TestGgufImport : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_tmp;

private slots:
    void tinyFiles_data() {
        QTest::addColumn<QString>("name");
        for (const char* n : {"llama", "mistral", "qwen2", "qwen3", "gemma", "gemma2", "gemma3", "smollm-bytelevel"})
            QTest::newRow(n) << QString::fromLatin1(n);
    }

    // Every weight, the config, the tokenizer's ids on a corpus, the template and the logits equal transformers'.
    void tinyFiles() {
        QFETCH(QString, name);
        const fs::path src = kData / name.toStdString();
        const fs::path out = fs::path(m_tmp.path().toStdString()) / name.toStdString();
        const ft::GgufImport r = ft::importGguf(src / "model.gguf", out);
        const auto expected = ft::readJsonFile(src / "expected.json");
        const auto ref = ft::SafetensorsFile::open(src / "expected.safetensors");
        const auto got = ft::SafetensorsFile::open(out / "model.safetensors");
        const bool sourceReference = expected.contains("reference"); // gemma (1): transformers cannot open it
        const bool tied = expected["config"]["tie_word_embeddings"];
        int compared = 0;
        for (const auto& e : ref.entries()) {
            if (e.name == "logits" || (tied && e.name == "lm_head.weight")) continue;
            QVERIFY2(got.find(e.name), qPrintable(QString::fromStdString("missing " + e.name)));
            const auto a = got.tensor(e.name), b = ref.tensor(e.name);
            QCOMPARE(a.sizes().vec(), b.sizes().vec());
            // llama.cpp stored Gemma's norms as 1 + w in float32; w comes back within float32 rounding of 1 + w.
            const bool roundedNorm = sourceReference && e.name.ends_with("norm.weight");
            if (roundedNorm) QVERIFY((a - b).abs().max().item<double>() <= 2.5e-7);
            else QVERIFY2(torch::equal(a, b), qPrintable(QString::fromStdString(e.name)));
            ++compared;
        }
        QVERIFY(compared >= 10);
        QCOMPARE(int(got.entries().size()), compared);

        const ft::ModelFolder folder = ft::openModelFolder(out);
        const auto& cfg = expected["config"];
        QCOMPARE(QString::fromStdString(folder.config.modelType), QString::fromStdString(cfg["model_type"]));
        QCOMPARE(folder.config.vocabSize, cfg["vocab_size"].get<int>());
        if (!cfg["head_dim"].is_null()) QCOMPARE(folder.config.headDim, cfg["head_dim"].get<int>());
        if (!sourceReference) {
            QCOMPARE(folder.config.numKvHeads, cfg["num_key_value_heads"].get<int>());
            QCOMPARE(folder.config.hiddenSize, cfg["hidden_size"].get<int>());
            QCOMPARE(QString::fromStdString(folder.bosToken.value_or("")), QString::fromStdString(expected["bos_token"].get<std::string>()));
            checkCorpus(folder, expected["corpus"]);
            const auto chat = ft::ChatTemplate::compile(folder.chatTemplate);
            const nlohmann::ordered_json conversation = nlohmann::ordered_json::parse(
                R"([{"role":"user","content":"What is 2+2?"},{"role":"assistant","content":"4"},{"role":"user","content":"안녕?"}])");
            ft::ChatTemplateOptions options;
            options.addGenerationPrompt = true;
            QCOMPARE(QString::fromStdString(chat.render(conversation, options)),
                     QString::fromStdString(expected["chat"].get<std::string>()));
        }
        QCOMPARE(r.modelType, folder.config.modelType);

        // The logits of the imported model, through our decoder, are transformers' on the GGUF file.
        auto lm = ft::loadCausalLM(out, torch::kFloat32);
        lm->eval();
        torch::NoGradGuard noGrad;
        const auto ids = torch::tensor(expected["logit_ids"].get<std::vector<int64_t>>()).unsqueeze(0);
        const auto logits = lm->forward(ids)[0];
        const double diff = (logits - ref.tensor("logits")).abs().max().item<double>();
        qInfo("%s: %d tensors equal, max |logit diff| %.3g", qPrintable(name), compared, diff);
        QVERIFY2(diff < 1e-4, qPrintable(QString::number(diff)));
    }

    // A .gguf path opens directly: the folder is imported once into the cache and reused.
    void ggufPathOpensAsAFolder() {
        qputenv("FT_GGUF_CACHE", (m_tmp.path() + "/cache").toUtf8());
        const fs::path file = kData / "qwen2" / "model.gguf";
        QVERIFY(ft::isGgufPath(file));
        QVERIFY(!ft::ggufImported(file));
        const ft::ModelFolder folder = ft::openModelFolder(file);
        QVERIFY(ft::ggufImported(file));
        QCOMPARE(ft::ggufImportFolder(file), folder.dir);
        QVERIFY(folder.dir.string().starts_with((m_tmp.path() + "/cache").toStdString()));
        QCOMPARE(QString::fromStdString(folder.ggufStoredAs), QStringLiteral("BF16"));
        QCOMPARE(folder.ggufFile, fs::absolute(file));
        const auto written = fs::last_write_time(folder.dir / "model.safetensors");
        QCOMPARE(ft::modelFolderFor(file), folder.dir);  // reused, not imported again
        QCOMPARE(fs::last_write_time(folder.dir / "model.safetensors"), written);
        QCOMPARE(int(ft::modelWeightFiles(file).size()), 1);
        qunsetenv("FT_GGUF_CACHE");
    }

    // What cannot be imported says so, naming the file and the key.
    void refusals() {
        // An architecture outside the table.
        const fs::path src = kData / "llama" / "model.gguf";
        std::string bytes = ft::readFile(src);
        const std::string from = "llama", key = "general.architecture";
        const size_t at = bytes.find(key);
        QVERIFY(at != std::string::npos);
        const size_t value = bytes.find(from, at + key.size());
        bytes.replace(value, 5, "bloom");
        const fs::path bad = fs::path(m_tmp.path().toStdString()) / "bloom.gguf";
        ft::writeFileAtomic(bad, bytes);
        try {
            ft::importGguf(bad, fs::path(m_tmp.path().toStdString()) / "bloom");
            QFAIL("imported a bloom file");
        } catch (const ft::Error& e) {
            QCOMPARE(e.code(), ft::ErrorCode::Unsupported);
            QVERIFY(e.where().find("general.architecture") != std::string::npos);
            QVERIFY(std::string(e.detail()).find("llama, mistral, qwen2") != std::string::npos);
        }
        QVERIFY(!fs::exists(fs::path(m_tmp.path().toStdString()) / "bloom"));
    }

};

QTEST_GUILESS_MAIN(TestGgufImport)
#include "tst_gguf_import.moc"
