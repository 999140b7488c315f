// The PEFT methods other than LoRA against peft 0.21 (tests/data/make_prompt_fixtures.py): prompt tuning (random and
// text init), P-tuning (MLP and LSTM encoders) and prefix tuning (with and without projection). A folder peft saved
// loads into our decoder and gives peft's logits and loss; our encoders with peft's weights give what peft saved; our
// export writes peft's config fields and tensors and loads back; trainable counts are peft's. The bottleneck adapter
// (not in peft) starts as the identity. Each method trains the demo with a falling loss.

// LibTorch before Qt: Qt's `slots` keyword macro breaks LibTorch headers parsed after it.
#include <torch/torch.h>

#include "core/common/error.h"
#include "core/demo/demo.h"
#include "core/io/json_file.h"
#include "core/io/safetensors.h"
#include "core/model/causal_lm_loss.h"
#include "core/model/decoder.h"
#include "core/model/model_folder.h"
#include "core/peft/bottleneck_adapter.h"
#include "core/peft/methods.h"
#include "core/peft/prompt_learning.h"
#include "core/model/generator.h"
#include "core/project/project.h"
#include "core/train/project_method.h"
#include "core/train/training_run.h"

#include <QTemporaryDir>
#include <QtTest>
#include <nlohmann/json.hpp>

#include <mutex>
#include <set>

namespace {

const std::string kData = FT_TEST_DATA_DIR;

struct Fixture {
    std::filesystem::path dir;
    nlohmann::json meta;      // reference.json
    std::string method;       // prompt_tuning | p_tuning | prefix_tuning
    std::filesystem::path base;
    torch::Tensor ids, labels, logits;
};

Fixture fixture(const std::string& name) {
    Fixture f;
    f.dir = kData + "/prompt/" + name;
    f.meta = ft::readJsonFile(f.dir / "reference.json");
    f.method = name.starts_with("prompt_tuning") ? "prompt_tuning" : name.starts_with("p_tuning") ? "p_tuning" : "prefix_tuning";
    f.base = kData + "/" + f.meta["base"].get<std::string>();
    const auto ref = ft::SafetensorsFile::open(f.dir / "reference.safetensors");
    f.ids = ref.tensor("input_ids").clone();
    f.labels = ref.tensor("labels").clone();
    f.logits = ref.tensor("logits").clone();
    return f;
}

// The project settings that make our method the fixture's peft config.
ft::Project projectFor(const Fixture& f) {
    ft::Project p;
    p.method = f.method;
    const auto& c = f.meta["config"];
    auto& pl = p.promptLearning;
    pl.numVirtualTokens = c["num_virtual_tokens"];
    if (c.value("prompt_tuning_init", "RANDOM") == "TEXT") {
        pl.init = "text";
        pl.initText = c["prompt_tuning_init_text"];
    }
    pl.encoderType = c.value("encoder_reparameterization_type", "MLP");
    pl.encoderHiddenSize = c.value("encoder_hidden_size", 0);
    pl.prefixProjection = c.value("prefix_projection", false);
    return p;
}

// The decoder fixtures carry no tokenizer, which only TEXT init needs: open the folder when it has one.
ft::ModelFolder folderOf(const std::filesystem::path& dir) {
    if (std::filesystem::exists(dir / "tokenizer.json") || std::filesystem::exists(dir / "tokenizer.model"))
        return ft::openModelFolder(dir);
    ft::ModelFolder f;
    f.dir = dir;
    f.config = ft::loadModelConfig(dir / "config.json");
    return f;
}

// peft's loss: the mean over the labels that count after the shift.
double meanLoss(const torch::Tensor& logits, const torch::Tensor& labels) {
    const auto count = (labels.slice(1, 1) != ft::kIgnoreIndex).sum().item<double>();
    return ft::causalLmLossSum(logits, labels).item<double>() / count;
}

double maxDiff(const torch::Tensor& a, const torch::Tensor& b) { return (a - b).abs().max().item<double>(); }

// Copies the training-mode encoder peft saved (encoder.safetensors) into ours; the names must be peft's.
void loadEncoder(ft::CausalLM& lm, const std::filesystem::path& file) {
    const auto st = ft::SafetensorsFile::open(file);
    torch::NoGradGuard g;
    size_t n = 0;
    for (auto& p : lm->prompt->named_parameters()) {
        if (!st.find(p.key())) throw std::runtime_error("peft has no encoder tensor " + p.key());
        p.value().copy_(st.tensor(p.key()));
        ++n;
    }
    if (n != st.entries().size()) throw std::runtime_error("peft's encoder has tensors we lack");
}

void caseRows() {
    QTest::addColumn<QString>("name");
    for (const char* n : {"prompt_tuning_random", "prompt_tuning_text", "p_tuning_mlp", "p_tuning_lstm", "prefix_tuning",
                          "prefix_tuning_projection"})
        QTest::newRow(n) << QString(n);
}

} // namespace

class TestPeftMethods : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;

private slots:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        ft::makeDemo(m_dir.path().toStdString() + "/demo");
    }

    // peft's saved folder (the encoder's output, peft's inference mode) in our engine: peft's logits and loss.
    void peftFolderGivesPeftLogits_data() { caseRows(); }
    void peftFolderGivesPeftLogits() {
        QFETCH(QString, name);
        const Fixture f = fixture(name.toStdString());
        auto lm = ft::loadCausalLM(f.base);
        ft::loadMethodAdapter(lm, f.dir);
        lm->eval();
        torch::NoGradGuard g;
        const auto logits = lm->forward(f.ids);
        QCOMPARE(logits.sizes(), f.logits.sizes());  // the real tokens only
        const double diff = maxDiff(logits, f.logits);
        const double loss = meanLoss(logits, f.labels);
        qInfo("%s: max |logit diff| %.3g, loss %.6f vs peft %.6f", qPrintable(name), diff, loss, f.meta["loss"].get<double>());
        QVERIFY(diff < 1e-4);
        QVERIFY(std::abs(loss - f.meta["loss"].get<double>()) < 1e-4);
    }

    // Our trainable encoder with peft's weights: peft's trainable count, what peft saved, peft's training-mode logits;
    // then our export: peft's config fields and tensors, and it loads back to the same logits.
    void encoderAndExportMatchPeft_data() { caseRows(); }
    void encoderAndExportMatchPeft() {
        QFETCH(QString, name);
        const Fixture f = fixture(name.toStdString());
        const ft::Project project = projectFor(f);
        auto lm = ft::loadCausalLM(f.base);
        const auto folder = folderOf(f.base);
        const int64_t trainable = ft::attachMethod(lm, project, folder);
        qInfo("%s: trainable %lld (peft %lld)", qPrintable(name), (long long)trainable, (long long)f.meta["trainable_params"].get<int64_t>());
        QCOMPARE(trainable, f.meta["trainable_params"].get<int64_t>());
        int64_t all = 0;
        for (const auto& p : lm->parameters()) all += p.numel();
        QCOMPARE(all, f.meta["all_params"].get<int64_t>());  // base + encoder, as peft counts them

        const auto peftSaved = ft::SafetensorsFile::open(f.dir / "adapter_model.safetensors");
        auto* prompt = dynamic_cast<ft::PromptLearningImpl*>(lm->prompt.get());
        QVERIFY(prompt);
        if (project.promptLearning.init == "text") {  // TEXT init copies the rows of peft's ids: exactly its embeddings
            torch::NoGradGuard g;
            QVERIFY(torch::equal(prompt->embeddingToSave(), peftSaved.tensor("prompt_embeddings")));
        }
        QVERIFY_THROWS_NO_EXCEPTION(loadEncoder(lm, f.dir / "encoder.safetensors"));
        lm->eval();
        {
            torch::NoGradGuard g;
            const double savedDiff = maxDiff(prompt->embeddingToSave(), peftSaved.tensor("prompt_embeddings"));
            const double logitDiff = maxDiff(lm->forward(f.ids), f.logits);
            qInfo("%s: encoder output vs peft's saved %.3g, training-mode logits %.3g", qPrintable(name), savedDiff, logitDiff);
            QVERIFY(savedDiff < 1e-5);
            QVERIFY(logitDiff < 1e-4);
        }

        const auto peftConfig = ft::readJsonFile(f.dir / "adapter_config.json");
        const std::filesystem::path out = m_dir.path().toStdString() + "/export-" + name.toStdString();
        ft::exportMethod(lm, project, peftConfig["base_model_name_or_path"], out);
        const auto ours = ft::readJsonFile(out / "adapter_config.json");
        QCOMPARE(QString::fromStdString(ours.dump(1)), QString::fromStdString(peftConfig.dump(1)));  // every field, same values
        const auto oursSaved = ft::SafetensorsFile::open(out / "adapter_model.safetensors");
        QCOMPARE(oursSaved.entries().size(), peftSaved.entries().size());
        for (const auto& e : peftSaved.entries()) {
            const auto* o = oursSaved.find(e.name);
            QVERIFY2(o, e.name.c_str());
            QCOMPARE(o->shape, e.shape);
            QCOMPARE(int(o->dtype), int(e.dtype));
            QVERIFY(maxDiff(oursSaved.tensor(e.name), peftSaved.tensor(e.name)) < 1e-5);
        }
        auto back = ft::loadCausalLM(f.base);
        ft::loadMethodAdapter(back, out);
        back->eval();
        torch::NoGradGuard g;
        QVERIFY(maxDiff(back->forward(f.ids), f.logits) < 1e-4);
    }

    // peft's TEXT init: the tokenizer's ids with BOS, cut or repeated to num_virtual_tokens.
    void textInitPicksPeftIds() {
        const Fixture f = fixture("prompt_tuning_text");
        const auto folder = folderOf(f.base);
        const ft::ModelTokenizer tok(folder);
        for (const auto& c : f.meta["init_cases"]) {
            const auto ids = ft::promptInitTokenIds(tok, folder.addBosToken, folder.addEosToken, c["text"], c["num_virtual_tokens"]);
            QCOMPARE(ids, c["ids"].get<std::vector<int64_t>>());
        }
    }

    // Generation: a prompt or prefix goes in front of the first forward only; continuing through the cache gives
    // the logits of the whole sequence at once.
    void cachedContinuationMatchesFullForward_data() { caseRows(); }
    void cachedContinuationMatchesFullForward() {
        QFETCH(QString, name);
        const Fixture f = fixture(name.toStdString());
        auto lm = ft::loadCausalLM(f.base);
        ft::loadMethodAdapter(lm, f.dir);
        lm->eval();
        torch::NoGradGuard g;
        const auto ids = f.ids.slice(0, 0, 1);
        const auto full = lm->forward(ids);
        ft::KvCache cache;
        const auto first = lm->forward(ids.slice(1, 0, 4), &cache);
        const auto rest = lm->forward(ids.slice(1, 4), &cache);
        QVERIFY(maxDiff(torch::cat({first, rest}, 1), full) < 1e-5);
    }

    // Batched generation: the virtual tokens (embeddings or cached prefix) come before each row's left padding, and
    // positions skip the padding, so every row generates what it generates alone.
    void batchedGenerationMatchesAlone_data() { caseRows(); }
    void batchedGenerationMatchesAlone() {
        QFETCH(QString, name);
        const Fixture f = fixture(name.toStdString());
        auto lm = ft::loadCausalLM(f.base);
        ft::loadMethodAdapter(lm, f.dir);
        std::vector<std::vector<int>> prompts;
        for (int64_t length : {2, 7, 4}) {
            const auto p = f.ids[0].slice(0, 0, length).contiguous();
            prompts.emplace_back(p.data_ptr<int64_t>(), p.data_ptr<int64_t>() + p.numel());
        }
        ft::GenerationOptions greedy;
        greedy.maxNewTokens = 6;
        const auto batched = ft::generateBatch(lm, prompts, greedy, /*padId=*/0);
        for (size_t i = 0; i < prompts.size(); ++i) QCOMPARE(batched[i], ft::generate(lm, prompts[i], greedy));
        QCOMPARE(ft::generateBatch(lm, prompts, greedy, 0, {}, /*maxRows=*/2), batched);  // the third joins later
    }

    // Prefix tuning keeps packed examples apart (each sees the prefix, positions start at Nv); the prompt methods
    // that prepend tokens to a row refuse packed rows, and a project asking for packing (the default) trains them
    // unpacked.
    void packing() {
        const Fixture f = fixture("prefix_tuning");
        auto lm = ft::loadCausalLM(f.base);
        ft::loadMethodAdapter(lm, f.dir);
        lm->eval();
        torch::NoGradGuard g;
        const auto a = f.ids.slice(0, 0, 1), b = f.ids.slice(0, 1, 2).slice(1, 0, 4);
        const auto packed = torch::cat({a, b}, 1);  // (1, 10)
        const auto positions = torch::cat({torch::arange(6), torch::arange(4)}).unsqueeze(0);
        const auto segments = torch::cat({torch::full({6}, 1), torch::full({4}, 2)}).to(torch::kInt64).unsqueeze(0);
        const auto together = lm->forward(packed, nullptr, positions, segments);
        const auto apart = torch::cat({lm->forward(a), lm->forward(b)}, 1);
        QVERIFY(maxDiff(together, apart) < 1e-5);

        auto pt = ft::loadCausalLM(f.base);
        ft::loadMethodAdapter(pt, kData + "/prompt/prompt_tuning_random");
        QVERIFY_THROWS_EXCEPTION(ft::Error, pt->forward(packed, nullptr, positions, segments));
        ft::Project project = projectFor(fixture("p_tuning_mlp"));
        project.kind = ft::FinetuneKind::Instruct;
        QVERIFY(project.training.packing);
        QVERIFY(!ft::packsRows(project));
        QVERIFY(!ft::methodSettings(project).packedRows);
        auto lm2 = ft::loadCausalLM(f.base);
        ft::attachMethod(lm2, project, folderOf(f.base));
        for (const char* method : {"lora", "qlora", "prefix_tuning", "adapter", "full"}) {
            project.method = method;
            QVERIFY2(ft::packsRows(project), method);
        }
        project.kind = ft::FinetuneKind::Base;  // raw text is cut into blocks, never packed
        QVERIFY(!ft::packsRows(project));
        ft::MethodSettings settings = ft::methodSettings(projectFor(fixture("p_tuning_mlp")));
        settings.packedRows = true;
        auto lm3 = ft::loadCausalLM(f.base);
        try {
            ft::attachMethod(lm3, settings, folderOf(f.base));
            QFAIL("P-tuning over packed rows was accepted");
        } catch (const ft::Error& e) {
            QVERIFY2(e.where().find("training.packing") != std::string::npos, e.what());
        }
    }

    // The bottleneck adapter starts as the identity, counts L·2·(2·C·b + b + C), and its export loads back.
    void bottleneckAdapter() {
        const std::string base = kData + "/decoders/llama2";
        auto lm = ft::loadCausalLM(base);
        lm->eval();
        const Fixture f = fixture("prompt_tuning_random");
        torch::Tensor plain;
        {
            torch::NoGradGuard g;
            plain = lm->forward(f.ids);
        }
        ft::Project project;
        project.method = "adapter";
        project.adapter.bottleneck = 8;
        project.adapter.activation = "gelu";
        const int64_t trainable = ft::attachMethod(lm, project, folderOf(base));
        const int64_t C = lm->config.hiddenSize, L = lm->config.numLayers, b = 8;
        QCOMPARE(trainable, L * 2 * (2 * C * b + b + C));
        lm->eval();
        torch::NoGradGuard g;
        QVERIFY(torch::equal(lm->forward(f.ids), plain));

        for (auto& [name, t] : ft::bottleneckAdapterTensors(lm)) t.normal_(0.0, 0.3);  // a trained adapter
        const auto adapted = lm->forward(f.ids);
        QVERIFY(maxDiff(adapted, plain) > 1e-2);
        const std::filesystem::path out = m_dir.path().toStdString() + "/export-adapter";
        ft::exportMethod(lm, project, base, out);
        QCOMPARE(ft::readJsonFile(out / "adapter_config.json")["peft_type"].get<std::string>(), std::string(ft::kBottleneckAdapterType));
        auto back = ft::loadCausalLM(base);
        ft::loadMethodAdapter(back, out);
        back->eval();
        QVERIFY(torch::equal(back->forward(f.ids), adapted));
    }

    void fullAndLoraCounts() {
        const std::string base = kData + "/decoders/llama2";
        auto lm = ft::loadCausalLM(base);
        ft::Project project;
        project.method = "full";
        QCOMPARE(ft::attachMethod(lm, project, folderOf(base)), lm->config.parameterCount());
        QVERIFY_THROWS_EXCEPTION(ft::Error, ft::exportMethod(lm, project, base, m_dir.path().toStdString() + "/full"));
        auto lora = ft::loadCausalLM(base);
        project.method = "lora";
        project.lora.targetModules = {"q_proj", "v_proj"};
        project.lora.r = 4;
        const int64_t C = lora->config.hiddenSize, kv = lora->config.numKvHeads * lora->config.headDim;
        QCOMPARE(ft::attachMethod(lora, project, folderOf(base)), lora->config.numLayers * (4 * (C + C) + 4 * (C + kv)));
    }

    void projectSections() {
        const std::string text = R"({"format": "finetune-studio-project", "version": 1, "model": "m", "dataset": "d.jsonl",
            "method": "p_tuning", "prompt_learning": {"num_virtual_tokens": 12, "encoder_type": "LSTM", "encoder_hidden_size": 64},
            "adapter": {"bottleneck": 16, "activation": "silu"}})";
        const auto p = ft::parseProject(text, "p.json");
        QCOMPARE(p.method, std::string("p_tuning"));
        QCOMPARE(p.promptLearning.numVirtualTokens, 12);
        QCOMPARE(p.promptLearning.encoderType, std::string("LSTM"));
        QCOMPARE(p.adapter.bottleneck, 16);
        const auto again = ft::parseProject(ft::projectToJson(p), "p.json");
        QCOMPARE(ft::projectToJson(again), ft::projectToJson(p));
        const std::pair<std::string, std::string> bad[] = {
            {R"("method": "ia3")", "method"},
            {R"("method": "prompt_tuning", "prompt_learning": {"init": "vocab"})", "prompt_learning.init"},
            {R"("method": "prompt_tuning", "prompt_learning": {"init": "text"})", "prompt_learning.init_text"},
            {R"("method": "p_tuning", "prompt_learning": {"encoder_type": "GRU"})", "prompt_learning.encoder_type"},
            {R"("method": "adapter", "adapter": {"activation": "swish"})", "adapter.activation"},
            {R"("method": "adapter", "adapter": {"bottleneck": 0})", "adapter.bottleneck"}};
        for (const auto& [fields, field] : bad) {
            try {
                ft::parseProject(R"({"format": "finetune-studio-project", "version": 1, "model": "m", "dataset": "d", )" + fields + "}", "p.json");
                QFAIL(fields.c_str());
            } catch (const ft::Error& e) {
                QVERIFY2(e.where().ends_with(": " + field), e.what());
            }
        }
    }

    // Each method trains the demo through TrainingRun: the loss falls and the exported folder loads back.
    void trainsDemo_data() {
        QTest::addColumn<QString>("method");
        QTest::addColumn<QString>("variant");
        QTest::addColumn<double>("lr");
        QTest::newRow("prompt_tuning") << "prompt_tuning" << "" << 0.1;
        QTest::newRow("prompt_tuning text") << "prompt_tuning" << "text" << 0.1;
        QTest::newRow("p_tuning MLP") << "p_tuning" << "MLP" << 0.01;
        QTest::newRow("p_tuning LSTM") << "p_tuning" << "LSTM" << 0.01;
        QTest::newRow("prefix_tuning") << "prefix_tuning" << "" << 0.03;
        QTest::newRow("prefix_tuning projection") << "prefix_tuning" << "projection" << 0.01;
        QTest::newRow("adapter") << "adapter" << "" << 0.01;
    }
    void trainsDemo() {
        QFETCH(QString, method);
        QFETCH(QString, variant);
        QFETCH(double, lr);
        const std::filesystem::path demo = m_dir.path().toStdString() + "/demo";
        ft::Project project = ft::loadProject(demo / "project.json");
        project.method = method.toStdString();
        project.promptLearning.numVirtualTokens = 8;
        if (variant == "text") {
            project.promptLearning.init = "text";
            project.promptLearning.initText = "Answer in Korean or English:";
        }
        if (variant == "LSTM") project.promptLearning.encoderType = "LSTM";
        if (variant == "projection") project.promptLearning.prefixProjection = true;
        project.adapter.bottleneck = 16;
        project.training.learningRate = lr;
        project.training.warmupSteps = 0;
        project.training.scheduler = "constant";
        project.training.validationFraction = 0.0;
        project.training.batchSize = 4;
        project.training.gradientAccumulation = 1;
        const auto out = demo / ("run-" + QString(method + variant).replace(' ', '_').toStdString());
        ft::TrainingRun run(project, {out, 30});
        std::mutex mu;
        std::vector<double> losses;
        int64_t trainable = 0;
        std::optional<ft::Error> error;
        int trainExamples = 0;
        run.start({.onPrepared = [&](const ft::RunSummary& s) { trainable = s.trainableParameters; trainExamples = s.trainExamples; },
                   .onStep = [&](const ft::StepMetrics& m) { std::lock_guard l(mu); losses.push_back(m.loss); },
                   .onFinished = [&](ft::RunState, const std::optional<ft::Error>& e) { error = e; }});
        run.wait();
        QVERIFY2(!error, error ? error->what() : "");
        QCOMPARE(int(losses.size()), 30);
        // The first epoch against the third: the same examples in another order, so batch difficulty cancels out.
        const size_t epoch = size_t((trainExamples + 3) / 4);
        QVERIFY(3 * epoch <= losses.size());
        auto mean = [&](size_t from) { double s = 0; for (size_t i = from; i < from + epoch; ++i) s += losses[i]; return s / double(epoch); };
        const double first = mean(0), third = mean(2 * epoch);
        qInfo("%s %s: trainable %lld, mean loss epoch 1 %.3f -> epoch 3 %.3f", qPrintable(method), qPrintable(variant),
              (long long)trainable, first, third);
        QVERIFY2(third < first - 0.3, qPrintable(QString("loss %1 -> %2").arg(first).arg(third)));

        auto lm = ft::loadCausalLM(demo / "model");
        QVERIFY_THROWS_NO_EXCEPTION(ft::loadMethodAdapter(lm, out / "adapter"));
    }
};

QTEST_APPLESS_MAIN(TestPeftMethods)
#include "tst_peft_methods.moc"
