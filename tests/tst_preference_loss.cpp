// Preference tuning's arithmetic against TRL 1.16.0 (tests/data/make_preference_fixtures.py): per-token
// log-probabilities without the logits, the reference as the same model with its adapter off, and the DPO (sigmoid,
// IPO, hinge, robust), KTO and ORPO losses, their metrics and every LoRA gradient on TRL's own batches, fp32.

// LibTorch before Qt: Qt's `slots` keyword macro breaks LibTorch headers parsed after it.
#include <torch/torch.h>

#include "core/common/error.h"
#include "core/io/json_file.h"
#include "core/io/safetensors.h"
#include "core/model/causal_lm_loss.h"
#include "core/model/decoder.h"
#include "core/peft/lora.h"
#include "core/train/preference_batch.h"
#include "core/train/preference_loss.h"
#include "core/train/training_data.h"

#include <QtTest>
#include <nlohmann/json.hpp>

namespace {

const std::string kData = FT_TEST_DATA_DIR;
const std::string kCases = kData + "/preference";

// The case's policy: the tiny llama2 with the LoRA adapter TRL's trainer attached (r 4, alpha 8, all-linear, random A
// and B), read from the case's "lora.*" tensors.
ft::CausalLM policy(const ft::SafetensorsFile& st) {
    auto lm = ft::loadCausalLM(kData + "/decoders/llama2");
    ft::LoraConfig lora;
    lora.r = 4;
    lora.alpha = 8;
    lora.dropout = 0.0;
    lora.targetModules = {"all-linear"};
    ft::applyLora(lm, lora);
    std::vector<std::pair<std::string, torch::Tensor>> tensors;
    for (const auto& e : st.entries())
        if (e.name.starts_with("lora.")) tensors.emplace_back(e.name.substr(5), st.tensor(e.name).clone());
    if (tensors.size() != 28) throw std::runtime_error(st.path().string() + ": expected 28 LoRA tensors");
    ft::loadLoraTensors(lm, tensors);
    lm->train();
    return lm;
}

// Labels as TRL makes them: the ids where the completion mask is 1, ignored elsewhere.
torch::Tensor completionLabels(const torch::Tensor& ids, const torch::Tensor& completionMask) {
    return ids.masked_fill(completionMask == 0, ft::kIgnoreIndex);
}

// Summed completion log-probs of the policy (with its graph) and of the reference (adapter off, no graph).
std::pair<torch::Tensor, torch::Tensor> policyAndReference(ft::CausalLM& lm, const torch::Tensor& ids, const torch::Tensor& labels) {
    const torch::Tensor pol = lm->tokenLogProbs(ids, labels).sum(1);
    torch::Tensor ref;
    {
        torch::NoGradGuard noGrad;
        const ft::AdaptersOff off;
        ref = lm->tokenLogProbs(ids, labels).sum(1);
    }
    return {pol, ref};
}

double relative(const torch::Tensor& a, const torch::Tensor& b) {
    return (a - b).abs().max().item<double>() / std::max(1e-12, b.abs().max().item<double>());
}

// Loss, TRL's metrics and each LoRA tensor's gradient, against the case's reference.
void compareWithTrl(ft::CausalLM& lm, const std::string& name, const ft::PreferenceLoss& ours, const ft::SafetensorsFile& st) {
    const auto cases = ft::readJsonFile(kCases + "/cases.json");
    const auto& ref = cases["cases"][name];
    const double loss = ours.loss.item<double>(), refLoss = ref["loss"].get<double>();
    qInfo("%s: loss %.8f vs TRL %.8f", name.c_str(), loss, refLoss);
    QVERIFY2(std::abs(loss - refLoss) <= 1e-5 * std::max(1.0, std::abs(refLoss)), qPrintable(QString::number(loss - refLoss)));
    int metrics = 0;
    for (const auto& [key, value] : ref["metrics"].items()) {
        const auto it = ours.metrics.find(key);
        if (it == ours.metrics.end()) continue;  // entropy, logits/*, mean_token_accuracy: not ours to log (yet)
        ++metrics;
        const double v = value.get<double>();
        QVERIFY2(std::abs(it->second - v) <= 1e-5 * std::max(1.0, std::abs(v)),
                 qPrintable(QStringLiteral("%1: %2 vs TRL %3").arg(QString::fromStdString(key)).arg(it->second).arg(v)));
    }
    QVERIFY2(metrics >= 5, qPrintable(QString::number(metrics)));
    double worst = 0;
    int grads = 0;
    for (const auto& [key, t] : ft::loraTensors(lm)) {
        const torch::Tensor want = st.tensor("grad." + key);
        QVERIFY2(t.grad().defined(), key.c_str());
        const double e = (t.grad() - want).abs().max().item<double>() / std::max(1e-8, want.abs().max().item<double>());
        if (e > 1e-5) qWarning("%s: gradient error %.3g relative (max |grad| %.3g)", key.c_str(), e, want.abs().max().item<double>());
        worst = std::max(worst, e);
        ++grads;
    }
    qInfo("%s: %d metrics and %d LoRA gradients equal TRL's, worst gradient error %.2g relative", name.c_str(), metrics,
          grads, worst);
    QCOMPARE(grads, 28);
    QVERIFY2(worst < 1e-5, qPrintable(QString::number(worst)));
}

// The DPO cases of make_preference_fixtures.py: loss type, β, label smoothing.
void addDpoCases() {
    QTest::addColumn<QString>("loss");
    QTest::addColumn<double>("beta");
    QTest::addColumn<double>("labelSmoothing");
    QTest::newRow("dpo-sigmoid") << "dpo" << 0.1 << 0.0;
    QTest::newRow("dpo-ipo") << "ipo" << 0.5 << 0.0;
    QTest::newRow("dpo-hinge") << "hinge" << 0.1 << 0.0;
    QTest::newRow("dpo-robust") << "robust" << 0.1 << 0.1;
}

} // namespace

class TestPreferenceLoss : public QObject {
    Q_OBJECT
private slots:
    // The fused per-token log-probs equal log_softmax(h Wᵀ) picked at the labels, and so do their gradients for any
    // incoming per-token gradient: a frozen head (gradient to h only) and a trained one (to h and W), capped or not.
    void tokenLogProbsMatchLogSoftmax_data() {
        QTest::addColumn<bool>("trainHead");
        QTest::addColumn<double>("softcap");
        QTest::newRow("frozen-head") << false << 0.0;
        QTest::newRow("trained-head") << true << 0.0;
        QTest::newRow("frozen-head-softcap") << false << 3.0;
        QTest::newRow("trained-head-softcap") << true << 3.0;
    }
    void tokenLogProbsMatchLogSoftmax() {
        QFETCH(bool, trainHead);
        QFETCH(double, softcap);
        torch::manual_seed(5);
        const int64_t B = 3, T = 9, C = 16, V = 50;
        const torch::Tensor h0 = torch::randn({B, T, C}, torch::kFloat64), w0 = torch::randn({V, C}, torch::kFloat64) * 0.5;
        torch::Tensor labels = torch::randint(V, {B, T}, torch::kInt64);
        labels.index_put_({0, torch::indexing::Slice(0, 4)}, ft::kIgnoreIndex);  // a prompt
        labels.index_put_({2, torch::indexing::Slice(6, T)}, ft::kIgnoreIndex);  // padding
        const torch::Tensor upstream = torch::randn({B, T}, torch::kFloat64);

        // Reference in float64 through explicit logits.
        const torch::Tensor hr = h0.clone().requires_grad_(true), wr = w0.clone().requires_grad_(trainHead);
        torch::Tensor z = torch::matmul(hr, wr.t());
        if (softcap > 0) z = torch::tanh(z / softcap) * softcap;
        const torch::Tensor next = torch::cat({labels.slice(1, 1), torch::full({B, 1}, ft::kIgnoreIndex, torch::kInt64)}, 1);
        const torch::Tensor valid = next != ft::kIgnoreIndex;
        const torch::Tensor want = z.log_softmax(-1).gather(2, next.clamp_min(0).unsqueeze(2)).squeeze(2) * valid;
        (want * upstream).sum().backward();

        const torch::Tensor h = h0.to(torch::kFloat32).requires_grad_(true), w = w0.to(torch::kFloat32).requires_grad_(trainHead);
        const torch::Tensor got = ft::tokenLogProbsFromHidden(h, w, labels, softcap);
        QCOMPARE(got.sizes(), labels.sizes());
        (got * upstream.to(torch::kFloat32)).sum().backward();
        const double e = relative(got.to(torch::kFloat64), want.detach()), eh = relative(h.grad().to(torch::kFloat64), hr.grad());
        const double ew = trainHead ? relative(w.grad().to(torch::kFloat64), wr.grad()) : 0.0;
        qInfo("log-probs %.2g, d/dh %.2g, d/dW %.2g (relative, against float64)", e, eh, ew);
        QVERIFY(e < 1e-6 && eh < 1e-5 && ew < 1e-5);
        QVERIFY(!trainHead || w.grad().abs().sum().item<double>() > 0);
        QCOMPARE(got.masked_select(~valid).abs().sum().item<double>(), 0.0);  // ignored and last positions are 0
        // Without a graph: the same values.
        torch::NoGradGuard noGrad;
        QVERIFY(torch::equal(ft::tokenLogProbsFromHidden(h, w, labels, softcap), got.detach()));
    }

    // The reference with the adapter switched off is the base model: equal to a separately loaded base, exactly.
    void adaptersOffIsTheBase() {
        auto lm = policy(ft::SafetensorsFile::open(kCases + "/dpo-sigmoid.safetensors"));
        auto base = ft::loadCausalLM(kData + "/decoders/llama2");
        const torch::Tensor ids = torch::arange(24, torch::kInt64).view({2, 12}) * 11 % 253 + 3;
        torch::NoGradGuard noGrad;
        torch::Tensor off;
        {
            const ft::AdaptersOff scope;
            QVERIFY(ft::AdaptersOff::active());
            off = lm->tokenLogProbs(ids, ids);
        }
        QVERIFY(!ft::AdaptersOff::active());
        QVERIFY(torch::equal(off, base->tokenLogProbs(ids, ids)));
        QVERIFY(!torch::equal(lm->tokenLogProbs(ids, ids), off));  // the adapter does change them
    }

    void dpoMatchesTrl_data() { addDpoCases(); }
    void dpoMatchesTrl() {
        QFETCH(QString, loss);
        QFETCH(double, beta);
        QFETCH(double, labelSmoothing);
        const std::string name = QTest::currentDataTag();
        const auto st = ft::SafetensorsFile::open(kCases + "/" + name + ".safetensors");
        auto lm = policy(st);
        const torch::Tensor ids = st.tensor("input_ids").clone(), mask = st.tensor("completion_mask").clone();
        const int64_t B = ids.size(0) / 2;  // chosen rows, then rejected
        const auto [pol, ref] = policyAndReference(lm, ids, completionLabels(ids, mask));
        const torch::Tensor tokens = mask.sum(1);
        ft::PreferenceConfig config;
        config.loss = loss.toStdString();
        config.beta = beta;
        config.labelSmoothing = labelSmoothing;
        ft::checkPreferenceConfig(config, "preference");
        const ft::PreferenceLoss out = ft::pairedPreferenceLoss(config, pol.slice(0, 0, B), pol.slice(0, B), ref.slice(0, 0, B),
                                                                ref.slice(0, B), tokens.slice(0, 0, B), tokens.slice(0, B));
        out.loss.backward();
        compareWithTrl(lm, name, out, st);
    }

    void ktoMatchesTrl() {
        const auto st = ft::SafetensorsFile::open(kCases + "/kto.safetensors");
        auto lm = policy(st);
        const torch::Tensor ids = st.tensor("input_ids").clone(), mask = st.tensor("completion_mask").clone();
        const torch::Tensor klIds = st.tensor("KL_input_ids").clone(), klMask = st.tensor("KL_completion_mask").clone();
        const auto [pol, ref] = policyAndReference(lm, ids, completionLabels(ids, mask));
        torch::Tensor kl, refKl;
        {
            torch::NoGradGuard noGrad;  // the KL estimate carries no gradient
            std::tie(kl, refKl) = policyAndReference(lm, klIds, completionLabels(klIds, klMask));
        }
        ft::PreferenceConfig config;
        config.loss = "kto";
        config.undesirableWeight = 1.5;
        const ft::PreferenceLoss out = ft::ktoLoss(config, pol, ref, st.tensor("label").to(torch::kBool), kl, refKl);
        out.loss.backward();
        QVERIFY(out.metrics.count("kl"));
        compareWithTrl(lm, "kto", out, st);
    }

    // Data-parallel KTO: each rank's KL mean is averaged over the ranks before the clamp (TRL's gather_for_metrics), so
    // two ranks' halves of a batch give the batch's loss and KL; each half alone would not.
    void ktoKlIsAveragedOverRanks() {
        ft::PreferenceConfig config;
        config.loss = "kto";
        const torch::Tensor logps = torch::tensor({-4.0f, -6.0f, -5.0f, -7.5f}), ref = torch::tensor({-4.5f, -5.0f, -5.5f, -7.0f});
        const torch::Tensor desirable = torch::tensor({true, true, false, false});
        // The halves' KL means are 1.5 and -0.5: the second clamps to 0 alone, the batch's is 0.5.
        const torch::Tensor kl = torch::tensor({-3.0f, -2.0f, -4.0f, -4.0f}), refKl = torch::tensor({-5.0f, -3.0f, -3.5f, -3.5f});
        const ft::PreferenceLoss whole = ft::ktoLoss(config, logps, ref, desirable, kl, refKl);
        QCOMPARE(whole.metrics.at("kl"), 0.5);
        const double meanA = 1.5, meanB = -0.5;
        const ft::MeanOverRanks gathered = [&](double) { return (meanA + meanB) / 2; };
        double halves = 0, alone = 0;
        for (int r = 0; r < 2; ++r) {
            const auto half = [&](const torch::Tensor& t) { return t.slice(0, 2 * r, 2 * r + 2); };
            double mine = NAN;
            const auto out = ft::ktoLoss(config, half(logps), half(ref), half(desirable), half(kl), half(refKl),
                                         [&](double m) { return gathered(mine = m); });
            QCOMPARE(mine, r == 0 ? meanA : meanB);  // what this rank contributes to the all-reduce
            QCOMPARE(out.metrics.at("kl"), 0.5);
            halves += ft::ktoLoss(config, half(logps), half(ref), half(desirable), half(kl), half(refKl), gathered)
                          .loss.item<double>() / 2;
            alone += ft::ktoLoss(config, half(logps), half(ref), half(desirable), half(kl), half(refKl)).loss.item<double>() / 2;
        }
        qInfo("KTO batch of 4: loss %.7f; two ranks' halves, KL averaged %.7f, each KL alone %.7f", whole.loss.item<double>(),
              halves, alone);
        QVERIFY2(std::abs(halves - whole.loss.item<double>()) < 1e-7, qPrintable(QString::number(halves)));
        QVERIFY(std::abs(alone - whole.loss.item<double>()) > 1e-3);
    }

    // ORPO: the chosen rows' mean NLL over prompt and completion (TRL's choice), and per-token mean log-probs of the
    // completions; no reference.
    void orpoMatchesTrl() {
        const auto st = ft::SafetensorsFile::open(kCases + "/orpo.safetensors");
        auto lm = policy(st);
        const torch::Tensor ids = st.tensor("concatenated_input_ids").clone();
        const torch::Tensor attention = st.tensor("concatenated_attention_mask").clone();
        const torch::Tensor labels = st.tensor("concatenated_labels").clone();
        const int64_t B = ids.size(0) / 2;
        const torch::Tensor h = lm->hiddenStates(ids);
        const torch::Tensor perToken = ft::tokenLogProbsFromHidden(h, lm->lm_head->weight, labels);
        const torch::Tensor tokens = (labels.slice(1, 1) != ft::kIgnoreIndex).sum(1).to(torch::kFloat32);
        const torch::Tensor mean = perToken.sum(1) / tokens;
        const torch::Tensor everything = ids.masked_fill(attention == 0, ft::kIgnoreIndex).slice(0, 0, B);
        const torch::Tensor nll = ft::causalLmLossSumFromHidden(h.slice(0, 0, B), lm->lm_head->weight, everything) /
                                  (everything.slice(1, 1) != ft::kIgnoreIndex).sum().to(torch::kFloat32);
        ft::PreferenceConfig config;
        config.loss = "orpo";
        const ft::PreferenceLoss out = ft::orpoLoss(config, nll, mean.slice(0, 0, B), mean.slice(0, B));
        out.loss.backward();
        compareWithTrl(lm, "orpo", out, st);
    }

    // What the trainer runs: rows (tests/data/preference/rows.json, TRL's prompt and answer ids, EOS appended to the
    // answers as TRL appends it to plain text) made into a batch by makePreferenceBatch (KTO's mismatched pairs by
    // pairMismatchedCompletions), and its loss by preferenceBatchLoss, with the reference as the adapter switched off.
    // The batch must be TRL's own, token for token, and the loss, metrics and gradients TRL's.
    void trainerPathMatchesTrl_data() {
        addDpoCases();
        QTest::newRow("kto") << "kto" << 0.1 << 0.0;
        QTest::newRow("orpo") << "orpo" << 0.1 << 0.0;
    }
    void trainerPathMatchesTrl() {
        QFETCH(QString, loss);
        QFETCH(double, beta);
        QFETCH(double, labelSmoothing);
        const std::string name = QTest::currentDataTag();
        const auto st = ft::SafetensorsFile::open(kCases + "/" + name + ".safetensors");
        auto lm = policy(st);
        const auto rows = ft::readJsonFile(kCases + "/rows.json");
        const int eos = rows["eos"].get<int>(), pad = rows["pad"].get<int>();
        const auto ids = [](const nlohmann::json& j) { return j.get<std::vector<int>>(); };
        std::vector<ft::TokenizedPreference> prefs;
        if (loss == "kto") {
            for (const auto& r : rows["unpaired"]) {
                ft::TokenizedPreference p;
                p.chosen = ids(r[0]);
                p.chosenPrompt = int(p.chosen.size());
                for (int id : ids(r[1])) p.chosen.push_back(id);
                p.chosen.push_back(eos);
                p.desirable = r[2].get<bool>();
                prefs.push_back(p);
            }
            ft::pairMismatchedCompletions(prefs, int(prefs.size()));
        } else {
            for (const auto& r : rows["pairs"]) {
                ft::TokenizedPreference p;
                p.chosen = p.rejected = ids(r[0]);
                p.chosenPrompt = p.rejectedPrompt = int(p.chosen.size());
                for (int id : ids(r[1])) p.chosen.push_back(id);
                for (int id : ids(r[2])) p.rejected.push_back(id);
                p.chosen.push_back(eos);
                p.rejected.push_back(eos);
                prefs.push_back(p);
            }
        }
        std::vector<const ft::TokenizedPreference*> items;
        for (const auto& p : prefs) items.push_back(&p);
        const ft::PreferenceBatch batch = ft::makePreferenceBatch(items, pad, torch::kCPU);
        const std::string idsKey = loss == "orpo" ? "concatenated_input_ids" : "input_ids";
        QVERIFY2(torch::equal(batch.ids, st.tensor(idsKey)), "the batch's ids differ from TRL's");
        if (loss == "orpo") {
            QVERIFY(torch::equal(batch.labels, st.tensor("concatenated_labels")));
        } else {
            const torch::Tensor mask = st.tensor("completion_mask");
            QVERIFY(torch::equal(batch.labels, completionLabels(st.tensor("input_ids"), mask)));
        }
        if (loss == "kto") QVERIFY2(torch::equal(batch.klIds, st.tensor("KL_input_ids")), "mismatched pairs differ from TRL's");

        ft::PreferenceConfig config;
        config.loss = loss.toStdString();
        config.beta = beta;
        config.labelSmoothing = labelSmoothing;
        if (loss == "kto") config.undesirableWeight = 1.5;
        const ft::PreferenceLoss out = ft::preferenceBatchLoss(lm, config, batch);
        out.loss.backward();
        compareWithTrl(lm, name, out, st);
    }

    void configErrorsSayWhatToDo() {
        ft::PreferenceConfig c;
        c.loss = "simpo";
        QVERIFY_THROWS_EXCEPTION(ft::Error, ft::checkPreferenceConfig(c, "project.json: preference"));
        c.loss = "dpo";
        c.labelSmoothing = 0.1;
        try {
            ft::checkPreferenceConfig(c, "project.json: preference");
            QFAIL("label smoothing on the sigmoid loss was accepted");
        } catch (const ft::Error& e) {
            const QString msg = QString::fromStdString(e.what());
            QVERIFY2(msg.contains("label_smoothing") && msg.contains("robust"), qPrintable(msg));
        }
        c.loss = "robust";
        c.labelSmoothing = 0.5;
        QVERIFY_THROWS_EXCEPTION(ft::Error, ft::checkPreferenceConfig(c, "preference"));
        c.labelSmoothing = 0.1;
        c.beta = 0;
        QVERIFY_THROWS_EXCEPTION(ft::Error, ft::checkPreferenceConfig(c, "preference"));
    }
};

QTEST_APPLESS_MAIN(TestPreferenceLoss)
#include "tst_preference_loss.moc"
