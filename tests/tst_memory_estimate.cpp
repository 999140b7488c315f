// The training-memory estimate (core/train/memory_estimate.h) against the real thing: the weights against the bytes
// of the loaded models (tests/data/decoders, the demo; fp32, bf16, NF4) and ft::modelFootprint; the trainable counts
// against what core/peft attaches; the activations against the bytes the decoder holds after a forward pass (glibc's
// allocator count before and after); AdamW's state against LibTorch's; and how the figures scale.

// LibTorch before Qt: Qt's `slots` keyword macro breaks LibTorch headers parsed after it.
#include <functional>
#include <torch/torch.h>

#include "core/demo/demo.h"
#include "core/device/cuda_support.h"
#include "core/model/causal_lm_loss.h"
#include "core/model/decoder.h"
#include "core/model/model_footprint.h"
#include "core/peft/bottleneck_adapter.h"
#include "core/peft/lora.h"
#include "core/peft/prompt_learning.h"
#include "core/quant/quantizers.h"
#include "core/model/autocast_scope.h"
#include "core/train/memory_estimate.h"

#include <QTemporaryDir>
#include <QtTest>

#include <fstream>
#include <malloc.h>
#ifdef __SANITIZE_ADDRESS__
// From the ASan runtime (sanitizer/allocator_interface.h, which GCC does not ship).
extern "C" size_t __sanitizer_get_current_allocated_bytes();
#endif

namespace {

const std::string kDecoders = std::string(FT_TEST_DATA_DIR) + "/decoders/";

torch::Dtype dtypeNamed(const std::string& name) { return ft::computeDtypeNamed(name, "test"); }

// Bytes the model holds: parameters (a 4-bit projection's placeholder is empty) and the 4-bit codes with their
// statistics as core/quant counts them. The RoPE tables are left out (a few hundred bytes, recomputed).
int64_t modelBytes(ft::CausalLM& lm) {
    int64_t n = 0;
    for (const auto& p : lm->parameters()) n += p.numel() * int64_t(p.element_size());
    for (const auto& item : lm->named_modules("", false))
        if (auto* proj = item.value()->as<ft::ProjectionImpl>(); proj && proj->isFourBit()) n += ft::storageBytes(*proj->fourBit);
    return n;
}

// Builds `r.method` on the model of `dir` as the trainer does (core/peft/methods.cpp's attachMethod).
ft::CausalLM buildForTraining(const std::filesystem::path& dir, const ft::MemoryEstimateRequest& r) {
    ft::CausalLM lm = r.method == "qlora" ? ft::loadCausalLM4Bit(dir, r.qlora) : ft::loadCausalLM(dir, dtypeNamed(r.dtype));
    if (r.method == "lora" || r.method == "qlora") {
        ft::applyLora(lm, r.lora);
    } else if (r.method != "full") {
        for (auto& p : lm->parameters()) p.set_requires_grad(false);
        if (r.method == "adapter") ft::attachBottleneckAdapters(lm, r.adapter);
        else ft::attachPromptLearning(lm, r.method, r.promptLearning, {});
    }
    if (r.mixedPrecision == "bf16") ft::storeFrozenProjectionsIn(lm, torch::kBFloat16);  // as TrainingRun
    lm->train();
    return lm;
}

// Bytes malloc has handed out and not taken back (every arena plus mmapped chunks): LibTorch's CPU tensors.
// Bytes the process's allocator holds for live allocations: glibc's, or AddressSanitizer's when it replaces malloc
// (glibc's statistics then stay at zero).
int64_t heapInUse() {
#ifdef __SANITIZE_ADDRESS__
    return int64_t(__sanitizer_get_current_allocated_bytes());
#else
    const struct mallinfo2 mi = mallinfo2();
    return int64_t(mi.uordblks + mi.hblkhd);
#endif
}

// Heap bytes a forward keeps for backward, measured and estimated.
struct Kept {
    int64_t measured = 0, estimated = 0;
};

// Checks an activation estimate at 8 and 32 batch rows (see activationsMatchTheDecoder).
void checkKept(const char* what, const std::function<Kept(int batch)>& keptAt) {
    const Kept small = keptAt(8), large = keptAt(32);
    const double perRowMeasured = double(large.measured - small.measured) / 24.0,
                 perRowEstimated = double(large.estimated - small.estimated) / 24.0;
    const double rowError = 100.0 * (perRowEstimated - perRowMeasured) / perRowMeasured,
                 wholeError = 100.0 * double(large.estimated - large.measured) / double(large.measured);
    qInfo("%s: %s keeps %.1f KiB per batch row, estimated %.1f KiB (%+.1f %%); at 32 rows %.1f KiB, estimated "
          "%.1f KiB (%+.1f %%)", QTest::currentDataTag(), what, perRowMeasured / 1024.0, perRowEstimated / 1024.0,
          rowError, large.measured / 1024.0, large.estimated / 1024.0, wholeError);
    QVERIFY2(std::abs(rowError) < 6.0, "the bytes per batch row are more than 6 % off");
    QVERIFY2(std::abs(wholeError) < 8.0, "the whole is more than 8 % off");
}

ft::MemoryEstimateRequest request(const std::string& method, const std::string& dtype) {
    ft::MemoryEstimateRequest r;
    r.method = method;
    r.dtype = dtype;
    r.lora.r = 8;
    r.lora.targetModules = {"all-linear"};
    r.qlora.computeDtype = dtype;
    r.qlora.doubleQuant = false;
    r.adapter.bottleneck = 16;
    r.promptLearning.numVirtualTokens = 8;
    return r;
}

} // namespace

class TestMemoryEstimate : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        ft::makeDemo(m_dir.path().toStdString() + "/demo");
    }

    void partsAddUp_data() {
        QTest::addColumn<QString>("method");
        QTest::addColumn<QString>("dtype");
        QTest::addColumn<bool>("checkpointing");
        for (const char* m : {"full", "lora", "qlora", "adapter", "prompt_tuning", "p_tuning", "prefix_tuning"})
            for (const char* d : {"float32", "bfloat16"})
                for (bool gc : {false, true})
                    QTest::addRow("%s-%s%s", m, d, gc ? "-checkpointing" : "") << QString(m) << QString(d) << gc;
    }

    void partsAddUp() {
        QFETCH(QString, method);
        QFETCH(QString, dtype);
        QFETCH(bool, checkpointing);
        const auto config = ft::loadModelConfig(kDecoders + "gemma2/config.json");
        auto r = request(method.toStdString(), dtype.toStdString());
        r.batchSize = 3;
        r.seqLength = 40;
        r.gradientCheckpointing = checkpointing;
        const ft::MemoryEstimate e = ft::estimateTrainingMemory(config, r);
        QCOMPARE(e.total, e.weights + e.gradients + e.optimizer + e.activations + e.overhead);
        QCOMPARE(e.weights, e.baseWeights + e.adapterWeights);
        QCOMPARE(e.activations, e.layerActivations + e.logitActivations + e.workspace);
        for (int64_t part : {e.baseWeights, e.gradients, e.optimizer, e.layerActivations, e.logitActivations, e.overhead})
            QVERIFY(part > 0);
        QVERIFY(e.overhead >= 300ll << 20);  // LibTorch alone is ~340 MiB resident
    }

    // The weights are exactly what the loaded model holds, and what modelFootprint reads from the files.
    void weightsAreTheLoadedBytes_data() {
        QTest::addColumn<QString>("model");
        QTest::addColumn<QString>("method");
        QTest::addColumn<QString>("dtype");
        QTest::addColumn<bool>("doubleQuant");
        for (const char* model : {"llama2", "qwen3", "gemma2", "demo"}) {
            QTest::addRow("%s-fp32", model) << model << "lora" << "float32" << false;
            QTest::addRow("%s-bf16", model) << model << "lora" << "bfloat16" << false;
            QTest::addRow("%s-nf4", model) << model << "qlora" << "bfloat16" << false;
            QTest::addRow("%s-nf4-dq", model) << model << "qlora" << "bfloat16" << true;
            // fp32 weights under bf16 autocast: the frozen projections held in bf16 for training.
            QTest::addRow("%s-lora-autocast", model) << model << "lora" << "float32" << false;
            QTest::addRow("%s-adapter-autocast", model) << model << "adapter" << "float32" << false;
        }
    }

    void weightsAreTheLoadedBytes() {
        QFETCH(QString, model);
        QFETCH(QString, method);
        QFETCH(QString, dtype);
        QFETCH(bool, doubleQuant);
        const std::filesystem::path dir =
            model == "demo" ? m_dir.path().toStdString() + "/demo/model" : kDecoders + model.toStdString();
        auto r = request(method.toStdString(), dtype.toStdString());
        r.qlora.doubleQuant = doubleQuant;
        const auto config = ft::loadModelConfig(dir / "config.json");
        if (QString(QTest::currentDataTag()).endsWith("-autocast")) {
            r.mixedPrecision = "bf16";
            const ft::MemoryEstimate e = ft::estimateTrainingMemory(config, r);
            ft::CausalLM lm = buildForTraining(dir, r);
            QCOMPARE(e.baseWeights + e.adapterWeights, modelBytes(lm));
            const int64_t fp32 = ft::estimateTrainingMemory(config, request(method.toStdString(), "float32")).baseWeights;
            QVERIFY(e.baseWeights < fp32);
            return;
        }
        const ft::MemoryEstimate e = ft::estimateTrainingMemory(config, r);
        ft::CausalLM lm = r.method == "qlora" ? ft::loadCausalLM4Bit(dir, r.qlora) : ft::loadCausalLM(dir, dtypeNamed(r.dtype));
        QCOMPARE(e.baseWeights, modelBytes(lm));

        const ft::ModelFootprint f = ft::modelFootprint(dir);
        const bool plusOneNorms = config.spec().norm == ft::NormKind::RmsPlusOne;  // Gemma keeps its norms in fp32
        if (method == "lora" && !plusOneNorms) QCOMPARE(e.baseWeights, dtype == "float32" ? f.fp32 : f.bf16);
        if (method == "qlora" && !doubleQuant && !plusOneNorms) QCOMPARE(e.baseWeights, f.nf4);
        // modelFootprint counts double quantization as bitsandbytes stores it: a 256-entry code table per tensor.
        // (and pools the nested absmax of all tensors, where we keep them per tensor with the offset).
        if (method == "qlora" && doubleQuant && !plusOneNorms) {
            const int64_t tensors = 7 * int64_t(config.numLayers);
            QVERIFY(std::abs(f.nf4DoubleQuant - e.baseWeights - tensors * 1024) <= 4 * tensors);
        }
    }

    // Trainable counts equal what core/peft attaches; AdamW keeps two moments per trainable parameter.
    void trainableAndOptimizer_data() {
        QTest::addColumn<QString>("method");
        QTest::addColumn<QStringList>("targets");
        QTest::addColumn<QString>("variant");
        QTest::newRow("lora-all-linear") << "lora" << QStringList{"all-linear"} << "";
        QTest::newRow("lora-q-v") << "lora" << QStringList{"q_proj", "v_proj"} << "";
        QTest::newRow("lora-one-module") << "lora" << QStringList{"model.layers.1.mlp.down_proj"} << "";
        QTest::newRow("qlora") << "qlora" << QStringList{"all-linear"} << "";
        QTest::newRow("adapter") << "adapter" << QStringList{} << "";
        QTest::newRow("prompt_tuning") << "prompt_tuning" << QStringList{} << "";
        QTest::newRow("p_tuning-mlp") << "p_tuning" << QStringList{} << "MLP";
        QTest::newRow("p_tuning-lstm") << "p_tuning" << QStringList{} << "LSTM";
        QTest::newRow("prefix_tuning") << "prefix_tuning" << QStringList{} << "";
        QTest::newRow("prefix_tuning-projection") << "prefix_tuning" << QStringList{} << "projection";
        QTest::newRow("full") << "full" << QStringList{} << "";
    }

    void trainableAndOptimizer() {
        QFETCH(QString, method);
        QFETCH(QStringList, targets);
        QFETCH(QString, variant);
        auto r = request(method.toStdString(), "float32");
        if (!targets.isEmpty()) {
            r.lora.targetModules.clear();
            for (const auto& t : targets) r.lora.targetModules.push_back(t.toStdString());
        }
        if (method == "p_tuning") r.promptLearning.encoderType = variant.toStdString();
        r.promptLearning.prefixProjection = variant == "projection";
        r.promptLearning.encoderHiddenSize = variant == "projection" ? 24 : 0;
        const std::filesystem::path dir = kDecoders + "llama2";  // grouped-query attention: prefix tuning's KV width
        ft::CausalLM lm = buildForTraining(dir, r);
        const int64_t real = ft::trainableParameterCount(lm);
        const ft::MemoryEstimate e = ft::estimateTrainingMemory(lm->config, r);
        QCOMPARE(e.trainableParameters, real);
        QCOMPARE(e.optimizer, 8 * real);  // fp32 trainables: exp_avg and exp_avg_sq, 4 bytes each
        QCOMPARE(e.gradients, 4 * real);
        if (method != "full") QCOMPARE(e.adapterWeights, 4 * real);
        r.trainableParameters = 1000;  // the caller's count wins
        QCOMPARE(ft::estimateTrainingMemory(lm->config, r).optimizer, int64_t(8000));
    }

    // LibTorch's AdamW keeps its moments in the parameter's dtype: a bf16 full fine-tune needs 2 + 2 bytes, not 8.
    void optimizerStateFollowsParameterDtype() {
        const auto config = ft::loadModelConfig(kDecoders + "llama2/config.json");
        const ft::MemoryEstimate e = ft::estimateTrainingMemory(config, request("full", "bfloat16"));
        QCOMPARE(e.optimizer, 4 * e.trainableParameters);

        torch::Tensor p = torch::randn({4, 4}).to(torch::kBFloat16).set_requires_grad(true);
        torch::optim::AdamW adam({p}, torch::optim::AdamWOptions(1e-3));
        p.sum().backward();
        adam.step();
        int64_t stateBytes = 0;
        for (const auto& [key, state] : adam.state()) {
            const auto& s = static_cast<const torch::optim::AdamWParamState&>(*state);
            stateBytes += s.exp_avg().nbytes() + s.exp_avg_sq().nbytes();
        }
        QCOMPARE(stateBytes, 4 * p.numel());
    }

    // The activation model against what autograd really keeps: heap bytes in use after forward + loss (before
    // backward) minus before, against the layers' estimate plus the log-softmax the loss keeps. Two checks per row:
    // the bytes per batch row (what differs between 8 and 32 rows: everything the model scales with) within 6 %, and
    // the whole at 32 rows within 8 %. Autograd's own bookkeeping (a node and tensor headers per op, 0.1-0.7 MiB on
    // these models, whatever the batch) is not modelled: it is a tiny share of a real model's activations, but at 8
    // rows of these toy models it is 8 % (more under AddressSanitizer, whose allocations carry headers as well).
    void activationsMatchTheDecoder_data() {
        QTest::addColumn<QString>("model");
        QTest::addColumn<QString>("method");
        QTest::addColumn<QString>("dtype");
        QTest::addColumn<double>("dropout");
        QTest::newRow("llama2-lora-fp32") << "llama2" << "lora" << "float32" << 0.0;
        QTest::newRow("llama2-lora-bf16") << "llama2" << "lora" << "bfloat16" << 0.0;
        QTest::newRow("llama2-lora-dropout") << "llama2" << "lora" << "float32" << 0.1;
        QTest::newRow("llama2-qlora-bf16") << "llama2" << "qlora" << "bfloat16" << 0.0;
        QTest::newRow("llama2-full-fp32") << "llama2" << "full" << "float32" << 0.0;
        QTest::newRow("llama2-full-bf16") << "llama2" << "full" << "bfloat16" << 0.0;
        QTest::newRow("llama2-adapter") << "llama2" << "adapter" << "float32" << 0.0;
        QTest::newRow("llama2-prompt_tuning") << "llama2" << "prompt_tuning" << "float32" << 0.0;
        QTest::newRow("llama2-prefix_tuning") << "llama2" << "prefix_tuning" << "float32" << 0.0;
        QTest::newRow("qwen3-lora-fp32") << "qwen3" << "lora" << "float32" << 0.0;
        QTest::newRow("gemma2-lora-fp32") << "gemma2" << "lora" << "float32" << 0.0;
        QTest::newRow("gemma3-lora-bf16") << "gemma3" << "lora" << "bfloat16" << 0.0;
    }

    void activationsMatchTheDecoder() {
        QFETCH(QString, model);
        QFETCH(QString, method);
        QFETCH(QString, dtype);
        QFETCH(double, dropout);
        checkKept("decoder", [&](int batch) {
            auto r = request(method.toStdString(), dtype.toStdString());
            r.lora.dropout = dropout;
            r.batchSize = batch;
            r.seqLength = 64;
            ft::CausalLM lm = buildForTraining(kDecoders + model.toStdString(), r);
            const ft::MemoryEstimate e = ft::estimateTrainingMemory(lm->config, r);
            torch::manual_seed(3);
            const auto ids = torch::randint(lm->config.vocabSize, {r.batchSize, r.seqLength}, torch::kInt64);
            const auto step = [&] { return ft::causalLmLossSum(lm->forward(ids), ids); };
            step().backward();  // warm-up: gradients and LibTorch's lazily made buffers exist before the count
            const int64_t before = heapInUse();
            torch::Tensor loss = step();
            const int64_t measured = heapInUse() - before;
            const int64_t expected =
                e.layerActivations + 4 * int64_t(lm->config.vocabSize) * r.batchSize * (r.seqLength - 1);
            loss.backward();
            return Kept{measured, expected};
        });
    }

    void activationsMatchTrainingLoss_data() {
        activationsMatchTheDecoder_data();
        for (const char* m : {"llama2", "qwen3", "gemma2", "gemma3"})
            QTest::newRow(qPrintable(QStringLiteral("%1-lora-autocast").arg(m))) << m << "lora" << "float32" << 0.0;
        QTest::newRow("llama2-full-autocast") << "llama2" << "full" << "float32" << 0.0;
        QTest::newRow("llama2-adapter-autocast") << "llama2" << "adapter" << "float32" << 0.0;
        // Packed rows (four examples a row): a (T, T) mask per row (gemma2's eager attention keeps the boolean one),
        // and RoPE tables per row.
        QTest::newRow("llama2-lora-packed") << "llama2" << "lora" << "float32" << 0.0;
        QTest::newRow("gemma2-lora-packed") << "gemma2" << "lora" << "float32" << 0.0;
        QTest::newRow("llama2-lora-autocast-packed") << "llama2" << "lora" << "float32" << 0.0;
    }

    void activationsMatchTrainingLoss() {
        QFETCH(QString, model);
        QFETCH(QString, method);
        QFETCH(QString, dtype);
        QFETCH(double, dropout);
        const bool autocast = QString(QTest::currentDataTag()).contains("-autocast");
        const bool packed = QString(QTest::currentDataTag()).endsWith("-packed");
        checkKept("training", [&](int batch) {
            auto r = request(method.toStdString(), dtype.toStdString());
            r.lora.dropout = dropout;
            r.batchSize = batch;
            r.seqLength = 64;
            r.mixedPrecision = autocast ? "bf16" : "no";
            r.packedRows = packed;
            ft::CausalLM lm = buildForTraining(kDecoders + model.toStdString(), r);
            const ft::MemoryEstimate e = ft::estimateTrainingMemory(lm->config, r);
            torch::manual_seed(3);
            const auto ids = torch::randint(lm->config.vocabSize, {r.batchSize, r.seqLength}, torch::kInt64);
            torch::Tensor positions, segments;
            if (packed) {  // examples of 10, 20, 14 and 20 tokens in every row
                std::vector<int64_t> pos, seg;
                int64_t id = 1;
                for (const int64_t n : {10, 20, 14, 20}) {
                    for (int64_t i = 0; i < n; ++i) pos.push_back(i), seg.push_back(id);
                    ++id;
                }
                positions = torch::tensor(pos).unsqueeze(0).expand({r.batchSize, r.seqLength}).contiguous();
                segments = torch::tensor(seg).unsqueeze(0).expand({r.batchSize, r.seqLength}).contiguous();
            }
            const auto forward = [&] {
                const ft::AutocastScope scope(torch::kCPU, autocast ? std::optional(at::kBFloat16) : std::nullopt);
                return lm->lossSum(ids, ids, positions, segments);
            };
            forward().backward();  // warm-up, as above
            const int64_t before = heapInUse();
            torch::Tensor loss = forward();
            const int64_t measured = heapInUse() - before;
            // Beside the layers: d loss / d h in the hidden states' dtype, and the head's gradient when it trains.
            const int64_t s = dtype == "float32" ? 4 : 2, C = lm->config.hiddenSize, V = lm->config.vocabSize;
            const int64_t expected =
                e.layerActivations + r.batchSize * r.seqLength * C * s + (method == "full" ? V * C * s : 0);
            loss.backward();
            return Kept{measured, expected};
        });
    }

    void activationsScale() {
        const auto config = ft::loadModelConfig(kDecoders + "llama2/config.json");
        auto r = request("lora", "bfloat16");
        r.batchSize = 2;
        r.seqLength = 256;
        const auto at = [&](int batch, int seq, bool checkpointing) {
            auto q = r;
            q.batchSize = batch;
            q.seqLength = seq;
            q.gradientCheckpointing = checkpointing;
            return ft::estimateTrainingMemory(config, q);
        };
        const auto base = at(2, 256, false);
        // Batch: exactly linear (every activation is per row).
        const auto twice = at(4, 256, false);
        QCOMPARE(twice.layerActivations + twice.logitActivations, 2 * (base.layerActivations + base.logitActivations));
        QCOMPARE(twice.weights, base.weights);
        QCOMPARE(twice.optimizer, base.optimizer);
        // Sequence: linear up to the shift the loss drops per row (flash attention keeps no T x T scores).
        const double ratio = double(at(2, 512, false).activations) / double(base.activations);
        QVERIFY2(ratio > 1.98 && ratio <= 2.01, qPrintable(QString::number(ratio)));
        // Checkpointing keeps each layer's input and one layer's worth, far less than every layer's.
        const auto gc = at(2, 256, true);
        QVERIFY(gc.layerActivations < base.layerActivations);
        QCOMPARE(gc.logitActivations, base.logitActivations);
        QVERIFY(gc.total < base.total);
        // Gemma 2's soft-capped attention materializes the scores: quadratic in the sequence length.
        const auto gemma2 = ft::loadModelConfig(kDecoders + "gemma2/config.json");
        const double g1 = double(ft::estimateTrainingMemory(gemma2, r).layerActivations);
        auto longer = r;
        longer.seqLength = 512;
        QVERIFY(double(ft::estimateTrainingMemory(gemma2, longer).layerActivations) > 2.2 * g1);
    }

    void fitsAndAvailableMemory() {
        const auto config = ft::loadModelConfig(kDecoders + "llama2/config.json");
        const ft::MemoryEstimate e = ft::estimateTrainingMemory(config, request("lora", "float32"));
        QVERIFY(ft::fits(e, e.total));
        QVERIFY(!ft::fits(e, e.total - 1));
        QVERIFY(ft::fits(e, -1));  // unknown: not refused

        const int64_t host = ft::availableMemoryBytes("cpu");
        QVERIFY(host > 0);
        std::ifstream meminfo("/proc/meminfo");
        std::string key;
        int64_t totalKb = 0;
        meminfo >> key >> totalKb;  // "MemTotal: N kB" is the first line
        QCOMPARE(key, std::string("MemTotal:"));
        QVERIFY(host <= totalKb * 1024);
        QCOMPARE(ft::availableMemoryBytes("tpu"), int64_t(-1));
        QCOMPARE(ft::availableMemoryBytes("cuda:99"), int64_t(-1));
        if (!ft::cudaAvailable()) {
            QCOMPARE(ft::availableMemoryBytes("cuda"), int64_t(-1));
            QSKIP("no CUDA device: the cuda branch returns -1 (checked); its free memory is not");
        }
        QVERIFY(ft::availableMemoryBytes("cuda") > 0);
    }

private:
    QTemporaryDir m_dir;
};

QTEST_APPLESS_MAIN(TestMemoryEstimate)
#include "tst_memory_estimate.moc"
