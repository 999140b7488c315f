// The tensor-name rule: every family's table translates between transformers' and llama.cpp's names both ways and
// agrees with isBlockProjectionWeight, and on the checkpoints we test
// against it gives what each of the four rules it replaced gave (model footprint and quantization report, QLoRA
// merge, the UI's LoRA targets).

#include "core/io/safetensors.h"
#include "core/model/architecture.h"
#include "core/model/model_folder.h"
#include "core/model/tensor_names.h"

#include <QDir>
#include <QtTest>

namespace {

std::string withBlock(std::string_view pattern, int block) {
    std::string name(pattern);
    if (const size_t at = name.find("{bid}"); at != std::string::npos) name.replace(at, 5, std::to_string(block));
    return name;
}

// The rules before there was one, as they were written.
bool footprintRule(const ft::TensorEntry& e) {  // modelFootprint, quantizeTensors
    return e.shape.size() == 2 && e.name.find(".layers.") != std::string::npos && e.name.ends_with("_proj.weight");
}
bool mergeRule(const ft::TensorEntry& e) {  // merged_model's quantizedUnderQlora
    return e.name.starts_with("model.layers.") && e.name.ends_with("_proj.weight") && e.shape.size() == 2;
}
bool loraTargetRule(const ft::TensorEntry& e) {  // the UI's LoadedModel::linearModules
    return e.shape.size() == 2 && e.name.find(".layers.") != std::string::npos && e.name.ends_with(".weight");
}

} // namespace

class TestTensorNames : public QObject {
    Q_OBJECT
private slots:
    void everyFamilyTableAgreesWithTheRule() {
        for (const char* type : {"llama", "mistral", "qwen2", "qwen3", "gemma", "gemma2", "gemma3_text"}) {
            const ft::ArchSpec* arch = ft::findArch(type);
            QVERIFY2(arch && !arch->tensorNames.empty(), type);
            for (const auto& row : arch->tensorNames)
                for (int block : {0, 7, 31}) {
                    const std::string name = withBlock(row.name, block);
                    QVERIFY2(ft::isBlockProjectionWeight(name + ".weight", 2) == row.projection, name.c_str());
                    QVERIFY2(!ft::isBlockProjectionWeight(name + ".bias", 1), name.c_str());
                    QVERIFY2(!ft::isBlockProjectionWeight(name + ".weight", 1), name.c_str());
                    if (name.starts_with("model.layers.")) {
                        const std::string weight = name + ".weight";  // the parse's views point into it
                        const auto parsed = ft::parseBlockTensorName(weight);
                        QVERIFY2(parsed && parsed->block == block && parsed->param == "weight", name.c_str());
                    }
                }
        }
    }

    void everyFamilyTableTranslatesBothWays() {
        for (const char* type : {"llama", "mistral", "qwen2", "qwen3", "gemma", "gemma2", "gemma3_text"}) {
            const auto names = ft::findArch(type)->tensorNames;
            for (const auto& row : names)
                for (int block : {0, 7, 31})
                    for (const char* param : {".weight", ".bias"}) {
                        const std::string hf = withBlock(row.name, block) + param, gguf = withBlock(row.gguf, block) + param;
                        QCOMPARE(ft::ggufTensorName(names, hf), std::optional<std::string>(gguf));
                        QCOMPARE(ft::hfTensorName(names, gguf), std::optional<std::string>(hf));
                    }
        }
    }

    void translatesAsGgufPyDoes() {
        // gguf-py's TensorNameMap: llama.cpp's ffn_norm is the norm before the MLP, which Llama calls
        // post_attention_layernorm and Gemma 2/3 pre_feedforward_layernorm (their post_attention_layernorm is
        // llama.cpp's post_attention_norm).
        const auto llama = ft::findArch("llama")->tensorNames, gemma2 = ft::findArch("gemma2")->tensorNames;
        QCOMPARE(*ft::hfTensorName(llama, "blk.3.ffn_norm.weight"), std::string("model.layers.3.post_attention_layernorm.weight"));
        QCOMPARE(*ft::hfTensorName(gemma2, "blk.3.ffn_norm.weight"), std::string("model.layers.3.pre_feedforward_layernorm.weight"));
        QCOMPARE(*ft::hfTensorName(gemma2, "blk.3.post_attention_norm.weight"),
                 std::string("model.layers.3.post_attention_layernorm.weight"));
        QCOMPARE(*ft::hfTensorName(gemma2, "blk.3.post_ffw_norm.weight"), std::string("model.layers.3.post_feedforward_layernorm.weight"));
        QCOMPARE(*ft::ggufTensorName(llama, "model.layers.12.self_attn.o_proj.weight"), std::string("blk.12.attn_output.weight"));
        QCOMPARE(*ft::ggufTensorName(llama, "lm_head.weight"), std::string("output.weight"));
        QCOMPARE(*ft::hfTensorName(llama, "token_embd.weight"), std::string("model.embed_tokens.weight"));
        // Names a table does not hold.
        QVERIFY(!ft::hfTensorName(llama, "rope_freqs.weight"));        // Llama 3.1's long-context factors
        QVERIFY(!ft::hfTensorName(llama, "blk.3.post_ffw_norm.weight"));  // a Gemma 2 name in a Llama file
        QVERIFY(!ft::hfTensorName(llama, "blk.x.attn_q.weight"));
        QVERIFY(!ft::hfTensorName(llama, "blk..attn_q.weight"));
        QVERIFY(!ft::hfTensorName(llama, "blk.3.attn_q"));
        QVERIFY(!ft::ggufTensorName(llama, "model.layers.0.self_attn.qkv_proj.weight"));
        QVERIFY(!ft::ggufTensorName(llama, "model.layers.0.mlp.gate_proj.lora_A.weight"));
    }

    void parsesBlockTensorNames() {
        const auto q = ft::parseBlockTensorName("model.layers.12.self_attn.q_proj.weight");
        QVERIFY(q);
        QCOMPARE(q->block, 12);
        QCOMPARE(q->module, std::string_view("self_attn.q_proj"));
        QCOMPARE(q->leaf, std::string_view("q_proj"));
        QCOMPARE(q->param, std::string_view("weight"));
        QVERIFY(!ft::parseBlockTensorName("model.embed_tokens.weight"));
        QVERIFY(!ft::parseBlockTensorName("lm_head.weight"));
        QVERIFY(!ft::parseBlockTensorName("model.layers.weight"));
        QVERIFY(!ft::parseBlockTensorName("layers.0.attention.wq.weight"));  // Meta's own names: no ".layers."
    }

    void namesTheOldRulesDisagreedOn() {
        // A multimodal model's language model: footprint and quantization counted it, the merge rule did not. We
        // merge only bases the decoder loaded, whose blocks are all "model.layers.N": kept as footprint counted it.
        QVERIFY(ft::isBlockProjectionWeight("model.language_model.layers.0.self_attn.q_proj.weight", 2));
        // Fused projections (Phi-3): every old rule counted them.
        QVERIFY(ft::isBlockProjectionWeight("model.layers.0.self_attn.qkv_proj.weight", 2));
        // A mixture-of-experts router: only the LoRA-target rule listed it (as "gate"). No family we run has one.
        QVERIFY(!ft::isBlockProjectionWeight("model.layers.0.mlp.gate.weight", 2));
        // No block index: the footprint rule matched any ".layers."; no checkpoint names a tensor so.
        QVERIFY(!ft::isBlockProjectionWeight("model.layers.q_proj.weight", 2));
    }

    void sameAnswerAsTheOldRulesOnTestCheckpoints() {
        const QDir decoders(QStringLiteral(FT_TEST_DATA_DIR "/decoders"));
        int folders = 0, tensors = 0;
        for (const QString& sub : decoders.entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
            const std::filesystem::path dir = decoders.filePath(sub).toStdString();
            if (!std::filesystem::exists(dir / "config.json")) continue;
            ++folders;
            for (const auto& file : ft::modelWeightFiles(dir)) {
                const ft::SafetensorsFile st = ft::SafetensorsFile::open(file);
                for (const auto& e : st.entries()) {
                    ++tensors;
                    const bool rule = ft::isBlockProjectionWeight(e.name, e.shape.size());
                    QVERIFY2(rule == footprintRule(e) && rule == mergeRule(e) && rule == loraTargetRule(e), e.name.c_str());
                }
            }
        }
        QVERIFY(folders >= 8);
        QVERIFY(tensors > 100);
    }
};

QTEST_APPLESS_MAIN(TestTensorNames)
#include "tst_tensor_names.moc"
