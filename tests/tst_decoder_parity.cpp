// Fidelity of the decoder against transformers: for every architecture row, a tiny random-weight model folder made
// by transformers (tests/data/make_decoder_fixtures.py) with its reference logits, loss and greedy tokens.

// LibTorch before Qt: Qt's `slots` keyword macro breaks LibTorch headers parsed after it.
#include <torch/torch.h>

#include "core/train/example_encoder.h"
#include "core/io/safetensors.h"
#include "core/model/autocast_scope.h"
#include "core/model/causal_lm_loss.h"
#include "core/model/decoder.h"
#include "core/model/generator.h"
#include "core/model/model_footprint.h"
#include "core/train/batches.h"

#include <QtTest>

#include <fstream>
#include <iterator>
#include <optional>
#include <string>

namespace {
const std::string kDir = FT_TEST_DATA_DIR "/decoders/";

// Which bf16 reference this CPU's kernels reproduce (tests/data/make_autocast_reference.py): bf16 products are rounded
// where the kernel rounds them, on both sides, so a reference belongs to a kind of CPU. Empty: none is kept for it.
std::optional<std::string> autocastReferenceKind() {
    std::ifstream in("/proc/cpuinfo");
    const std::string flags((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (flags.find("avx512_bf16") != std::string::npos) return std::string();
    if (flags.find("avx512f") == std::string::npos) return std::string("_avx2");
    return std::nullopt;
}
}

class TestDecoderParity : public QObject {
    Q_OBJECT
private slots:
    void parity_data() {
        QTest::addColumn<QString>("name");
        for (const char* n : {"llama2", "llama3", "llama_headdim", "mistral", "qwen2", "qwen3", "gemma", "gemma2", "gemma3",
                              "llama_sharded"})
            QTest::newRow(n) << QString::fromLatin1(n);
    }

    void parity() {
        QFETCH(QString, name);
        const std::string dir = kDir + name.toStdString();
        const auto ref = ft::SafetensorsFile::open(dir + "/reference.safetensors");
        const auto ids = ref.tensor("input_ids").clone();

        // fp32: logits to 1e-4, the loss, and the same greedy tokens.
        auto lm = ft::loadCausalLM(dir, torch::kFloat32);
        lm->eval();
        torch::NoGradGuard noGrad;
        const auto logits = lm->forward(ids);
        const double maxDiff = (logits - ref.tensor("logits_fp32")).abs().max().item<double>();
        qInfo("%s fp32 max |logit diff| %.3g", qPrintable(name), maxDiff);
        QVERIFY2(maxDiff < 1e-4, qPrintable(QString::number(maxDiff)));

        const auto loss = ft::causalLmLossSum(logits, ids) / double(ids.size(0) * (ids.size(1) - 1));
        QVERIFY(std::abs(loss.item<double>() - ref.tensor("loss_fp32").item<double>()) < 1e-5);

        const auto prompt = ref.tensor("prompt_ids").flatten();
        const auto greedy = ref.tensor("greedy_ids").flatten();
        ft::GenerationOptions opts;
        opts.maxNewTokens = int(greedy.numel());
        const auto out = ft::generate(lm, std::vector<int>(prompt.data_ptr<int64_t>(), prompt.data_ptr<int64_t>() + prompt.numel()), opts);
        QCOMPARE(std::vector<int64_t>(out.begin(), out.end()),
                 std::vector<int64_t>(greedy.data_ptr<int64_t>(), greedy.data_ptr<int64_t>() + greedy.numel()));

        // The KV-cache path gives the logits of the full forward.
        ft::KvCache cache;
        auto first = lm->forward(ids.slice(1, 0, 7), &cache);
        auto rest = lm->forward(ids.slice(1, 7), &cache);
        QVERIFY((torch::cat({first, rest}, 1) - logits).abs().max().item<double>() < 1e-4);

        // bf16: the same rounding points as transformers; only summation order may differ.
        auto lm16 = ft::loadCausalLM(dir, torch::kBFloat16);
        lm16->eval();
        const auto ref16 = ref.tensor("logits_bf16");
        const double diff16 = (lm16->forward(ids) - ref16).abs().max().item<double>();
        const double scale = ref16.abs().max().item<double>();
        qInfo("%s bf16 max |logit diff| %.3g (logits up to %.2f)", qPrintable(name), diff16, scale);
        QVERIFY2(diff16 < 0.03 * scale, qPrintable(QString::number(diff16)));

        // `info` counts what the checkpoint holds; it must agree with the model built from config.json.
        int64_t params = 0;
        for (const auto& p : lm->parameters()) params += p.numel();
        QCOMPARE(ft::modelFootprint(dir).parameters, params);
        QCOMPARE(lm->config.parameterCount(), params);
    }

    // Training's mixed precision: fp32 weights under bf16 autocast against transformers under torch.autocast
    // (tests/data/make_autocast_reference.py), for the logits and for the loss training takes (CausalLM::lossSum).
    void autocastBf16_data() {
        QTest::addColumn<QString>("name");
        for (const char* n : {"llama2", "llama3", "llama_headdim", "mistral", "qwen2", "qwen3", "gemma", "gemma3"})
            QTest::newRow(n) << QString::fromLatin1(n);
    }

    void autocastBf16() {
        QFETCH(QString, name);
        const std::string dir = kDir + name.toStdString();
        const auto ids = ft::SafetensorsFile::open(dir + "/reference.safetensors").tensor("input_ids").clone();
        const auto kind = autocastReferenceKind();
        if (!kind) QSKIP("AVX-512 without BF16: no bf16 reference is kept for this kind of CPU");
        const auto ref = ft::SafetensorsFile::open(dir + "/autocast_bf16" + *kind + ".safetensors");
        auto lm = ft::loadCausalLM(dir, torch::kFloat32);
        lm->eval();
        torch::NoGradGuard noGrad;
        const ft::AutocastScope autocast(torch::kCPU, at::kBFloat16);
        const auto refLogits = ref.tensor("logits");
        const double diff = (lm->forward(ids) - refLogits).abs().max().item<double>();
        const double scale = refLogits.abs().max().item<double>();
        const double loss = (lm->lossSum(ids, ids) / double(ids.size(0) * (ids.size(1) - 1))).item<double>();
        const double refLoss = ref.tensor("loss").item<double>();
        qInfo("%s autocast max |logit diff| %.3g (logits up to %.2f), loss %.6f vs %.6f", qPrintable(name), diff, scale,
              loss, refLoss);
        QVERIFY2(diff < 0.002 * scale, qPrintable(QString::number(diff)));  // same rounding points: equal here
        QVERIFY2(std::abs(loss - refLoss) < 2e-5 * refLoss, qPrintable(QString::number(loss - refLoss)));
    }

    void float16RunsTheSamePath() {
        // No fp16 reference is stored: fp16 must land as close to the fp32 reference as bf16 does to its own.
        const std::string dir = kDir + "llama3";
        const auto ref = ft::SafetensorsFile::open(dir + "/reference.safetensors");
        auto lm = ft::loadCausalLM(dir, torch::kFloat16);
        torch::NoGradGuard g;
        const auto ref32 = ref.tensor("logits_fp32");
        const double diff = (lm->forward(ref.tensor("input_ids").clone()) - ref32).abs().max().item<double>();
        qInfo("llama3 fp16 vs fp32 reference: max |diff| %.3g", diff);
        QVERIFY(diff < 0.03 * ref32.abs().max().item<double>());
    }

    void packedRowsMatchSeparateSequences_data() {
        QTest::addColumn<QString>("name");
        for (const char* n : {"llama2", "mistral", "gemma2", "gemma3", "qwen3"}) QTest::newRow(n) << QString::fromLatin1(n);
    }

    void packedRowsMatchSeparateSequences() {
        // Packing must not change what any example computes: positions restart and attention stays inside it.
        QFETCH(QString, name);
        auto lm = ft::loadCausalLM(kDir + name.toStdString());
        lm->eval();
        torch::NoGradGuard g;
        ft::TokenizedExample a, b;
        a.ids = {3, 14, 15, 92, 65, 35, 8, 9, 79};
        b.ids = {26, 5, 35, 89, 79, 32, 38, 46};
        a.labels = a.ids;
        b.labels = b.ids;
        const auto packed = ft::packExamples({a, b}, 64);
        QCOMPARE(int(packed.size()), 1);
        const auto batch = ft::makeBatch({&packed[0]}, 0, torch::kCPU);
        const auto logits = lm->forward(batch.ids, nullptr, batch.positions, batch.segments);
        const auto alone = [&](const ft::TokenizedExample& e) {
            return lm->forward(torch::tensor(std::vector<int64_t>(e.ids.begin(), e.ids.end())).unsqueeze(0));
        };
        const double da = (logits.slice(1, 0, 9) - alone(a)).abs().max().item<double>();
        const double db = (logits.slice(1, 9, 17) - alone(b)).abs().max().item<double>();
        QVERIFY2(da < 1e-4 && db < 1e-4, qPrintable(QStringLiteral("%1 %2").arg(da).arg(db)));
        // The first token of b is not trained on a's last token.
        QCOMPARE(batch.labels[0][9].item<int64_t>(), int64_t(ft::kIgnoreIndex));
        QCOMPARE(batch.targetTokens, int64_t(8 + 7));
    }

    void batchedGeneration_data() { parity_data(); }

    // Left-padded prompts in one batch give each row the logits and tokens it gets alone (sliding windows, soft caps
    // and grouped keys included), and rows that stop early leave the batch without disturbing the others.
    void batchedGeneration() {
        QFETCH(QString, name);
        const std::string dir = kDir + name.toStdString();
        const auto ref = ft::SafetensorsFile::open(dir + "/reference.safetensors");
        const auto ids = ref.tensor("input_ids");
        auto lm = ft::loadCausalLM(dir, torch::kFloat32);
        lm->eval();
        torch::NoGradGuard noGrad;
        std::vector<std::vector<int>> prompts;
        for (const auto& [row, begin, length] : std::vector<std::tuple<int, int, int>>{{0, 0, 3}, {0, 2, 14}, {1, 0, 1}, {1, 5, 9}}) {
            const auto p = ids[row].slice(0, begin, begin + length).contiguous();
            prompts.emplace_back(p.data_ptr<int64_t>(), p.data_ptr<int64_t>() + p.numel());
        }
        // Teacher-forced: the same continuation through the padded batch and alone, step by step.
        const int64_t B = int64_t(prompts.size()), S = 14;
        auto padded = torch::zeros({B, S}, torch::kInt64);
        auto valid = torch::zeros({B, S}, torch::kBool);
        for (int64_t b = 0; b < B; ++b) {
            const int64_t n = int64_t(prompts[size_t(b)].size());
            padded[b].slice(0, S - n) = torch::tensor(std::vector<int64_t>(prompts[size_t(b)].begin(), prompts[size_t(b)].end()));
            valid[b].slice(0, S - n) = true;
        }
        ft::KvCache batchCache;
        batchCache.valid = valid;
        std::vector<ft::KvCache> caches(static_cast<size_t>(B));
        auto batchLogits = lm->lastLogits(padded, &batchCache);
        double worst = 0;
        for (int step = 0; step < 6; ++step) {
            std::vector<int64_t> next;
            for (int64_t b = 0; b < B; ++b) {
                const auto& p = prompts[size_t(b)];
                const auto in = step == 0 ? torch::tensor(std::vector<int64_t>(p.begin(), p.end())).unsqueeze(0)
                                          : torch::tensor({int64_t(7 + 3 * step + b)}).unsqueeze(0);
                const auto single = lm->lastLogits(in, &caches[size_t(b)]);
                worst = std::max(worst, (batchLogits[b] - single[0]).abs().max().item<double>());
                next.push_back(7 + 3 * (step + 1) + b);
            }
            batchLogits = lm->lastLogits(torch::tensor(next).unsqueeze(1), &batchCache);
        }
        qInfo("%s batched vs alone max |logit diff| %.3g", qPrintable(name), worst);
        QVERIFY2(worst < 1e-4, qPrintable(QString::number(worst)));

        ft::GenerationOptions greedy;
        greedy.maxNewTokens = 8;
        const auto batched = ft::generateBatch(lm, prompts, greedy, /*padId=*/0);
        std::vector<std::vector<int>> singles;
        for (const auto& p : prompts) singles.push_back(ft::generate(lm, p, greedy));
        QCOMPARE(batched, singles);

        // Two rows at a time: a finished row's place goes to the next prompt, whose answer is still its own.
        QCOMPARE(ft::generateBatch(lm, prompts, greedy, 0, {}, /*maxRows=*/2), singles);
        ft::GenerationOptions unequal = greedy;  // rows end at different steps, so rows join a batch mid-way
        unequal.eosTokenIds = {singles[0][1], singles[2][3]};
        std::vector<std::vector<int>> unequalSingles;
        for (const auto& p : prompts) unequalSingles.push_back(ft::generate(lm, p, unequal));
        QCOMPARE(ft::generateBatch(lm, prompts, unequal, 0, {}, 2), unequalSingles);
        QCOMPARE(ft::generateBatch(lm, prompts, unequal, 0, {}, 1), unequalSingles);

        // Row 1 stops at its third token (or where that token first comes); the others go on as alone.
        ft::GenerationOptions stop = greedy;
        stop.eosTokenIds = {singles[1][2]};
        const auto stopped = ft::generateBatch(lm, prompts, stop, 0);
        for (size_t i = 0; i < prompts.size(); ++i) QCOMPARE(stopped[i], ft::generate(lm, prompts[i], stop));
        QCOMPARE(stopped[1].size(), size_t(std::find(singles[1].begin(), singles[1].end(), singles[1][2]) - singles[1].begin() + 1));

        ft::GenerationOptions sampled = greedy;  // each row draws from its own generator seeded as alone
        sampled.doSample = true;
        sampled.temperature = 1.3;
        sampled.seed = 5;
        const auto drawn = ft::generateBatch(lm, prompts, sampled, 0);
        for (size_t i = 0; i < prompts.size(); ++i) QCOMPARE(drawn[i], ft::generate(lm, prompts[i], sampled));
    }

    void sampling() {
        auto lm = ft::loadCausalLM(kDir + "llama2");
        const std::vector<int> prompt{5, 17, 42};
        ft::GenerationOptions greedy;
        greedy.maxNewTokens = 10;
        const auto g = ft::generate(lm, prompt, greedy);

        ft::GenerationOptions topK1 = greedy;  // sampling restricted to the best token is greedy decoding
        topK1.doSample = true;
        topK1.topK = 1;
        topK1.seed = 7;
        QCOMPARE(ft::generate(lm, prompt, topK1), g);

        ft::GenerationOptions s = greedy;
        s.doSample = true;
        s.temperature = 1.5;
        s.topP = 0.95;
        s.seed = 11;
        const auto a = ft::generate(lm, prompt, s), b = ft::generate(lm, prompt, s);
        QCOMPARE(a, b);  // seeded
        s.seed = 12;
        QVERIFY(ft::generate(lm, prompt, s) != a);

        ft::GenerationOptions stopAt = greedy;  // eos ends the run (and is returned); the callback can stop it too
        stopAt.eosTokenIds = {g[2]};
        QCOMPARE(int(ft::generate(lm, prompt, stopAt).size()), int(std::find(g.begin(), g.end(), g[2]) - g.begin()) + 1);
        int calls = 0;
        QCOMPARE(int(ft::generate(lm, prompt, greedy, [&](int) { return ++calls < 4; }).size()), 4);
    }

    void pickTokenPenaltiesAndTopP() {
        auto gen = at::make_generator<at::CPUGeneratorImpl>(1);
        ft::GenerationOptions o;
        o.repetitionPenalty = 2.0;
        // transformers: positive scores are divided, negative ones multiplied.
        auto logits = torch::tensor({3.0f, 2.0f, -1.0f, 1.9f});
        QCOMPARE(ft::pickToken(logits, {0}, o, gen), int64_t(1));  // 3 / 2 = 1.5 < 2
        o.doSample = true;
        o.topP = 0.5;  // only the most likely token survives
        for (int i = 0; i < 20; ++i) QCOMPARE(ft::pickToken(torch::tensor({0.0f, 5.0f, 0.0f}), {}, o, gen), int64_t(1));
    }
};

QTEST_APPLESS_MAIN(TestDecoderParity)
#include "tst_decoder_parity.moc"
