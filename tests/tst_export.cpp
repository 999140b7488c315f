// Exports of a trained adapter against the reference libraries (tests/data/make_export_fixtures.py):
//   merged model   = peft's merge_and_unload() weights; our loader (and transformers, when the refvenv is there) give
//                    peft's logits of base + adapter (Llama; Qwen2 with and without trained biases);
//                    QLoRA = peft + bitsandbytes' dequantize(W) + delta;
//   GGUF adapter   = the file llama.cpp's convert_lora_to_gguf.py writes, byte for byte, and what gguf's GGUFReader
//                    reads back from ours.
// Plus sharding, refusals, and that a failed export leaves the old target or nothing.

// LibTorch before Qt: Qt's `slots` keyword macro breaks LibTorch headers parsed after it.
#include <torch/torch.h>

#include "core/common/error.h"
#include "core/export/gguf_adapter.h"
#include "core/export/merged_model.h"
#include "core/io/atomic_file.h"
#include "core/io/json_file.h"
#include "core/io/safetensors.h"
#include "core/model/decoder.h"
#include "core/text/chat_template.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <cstring>
#include <functional>
#include <set>

namespace fs = std::filesystem;

namespace {

const fs::path kData = FT_TEST_DATA_DIR;
const fs::path kLlama2 = kData / "decoders/llama2";
const fs::path kLlama2Sharded = kData / "decoders/llama_sharded";
const fs::path kQwen2 = kData / "decoders/qwen2";
const fs::path kLlama2Lora = kData / "peft/llama2-lora";
const fs::path kExport = kData / "export";

// --- a minimal GGUF reader, enough to compare two files field by field ---
struct GgufKv {
    std::string key;
    uint32_t type = 0;
    std::string raw;  // the encoded value after the type id
};
struct GgufTensor {
    std::string name;
    std::vector<uint64_t> ne;  // innermost first, as stored
    uint32_t type = 0;
    uint64_t offset = 0;
    std::string data;
};
struct GgufFile {
    uint32_t version = 0;
    std::vector<GgufKv> kv;
    std::vector<GgufTensor> tensors;
    const GgufKv* find(const std::string& key) const {
        for (const auto& k : kv)
            if (k.key == key) return &k;
        return nullptr;
    }
};

class Cursor {
public:
    explicit Cursor(const std::string& bytes) : m_b(bytes) {}
    template <typename T>
    T get() {
        need(sizeof(T));
        T v;
        std::memcpy(&v, m_b.data() + m_pos, sizeof(T));
        m_pos += sizeof(T);
        return v;
    }
    std::string bytes(uint64_t n) {
        need(n);
        std::string s = m_b.substr(m_pos, n);
        m_pos += n;
        return s;
    }
    std::string str() { return bytes(get<uint64_t>()); }
    size_t pos() const { return m_pos; }

private:
    void need(uint64_t n) {
        if (m_pos + n > m_b.size()) throw std::runtime_error("gguf: truncated");
    }
    const std::string& m_b;
    size_t m_pos = 0;
};

// Reads one value of `type`, returning its encoding.
std::string readValue(Cursor& c, uint32_t type) {
    static const int sizes[] = {1, 1, 2, 2, 4, 4, 4, 1, 0, 0, 8, 8, 8};
    std::string out;
    if (type == 8) {
        const auto s = c.str();
        out = std::string(8, '\0');
        const uint64_t n = s.size();
        std::memcpy(out.data(), &n, 8);
        return out + s;
    }
    if (type == 9) {
        const uint32_t sub = c.get<uint32_t>();
        const uint64_t n = c.get<uint64_t>();
        out.append(reinterpret_cast<const char*>(&sub), 4).append(reinterpret_cast<const char*>(&n), 8);
        for (uint64_t i = 0; i < n; ++i) out += readValue(c, sub);
        return out;
    }
    if (type > 12) throw std::runtime_error("gguf: unknown value type");
    return c.bytes(sizes[type]);
}

GgufFile readGguf(const fs::path& path) {
    const std::string b = ft::readFile(path);
    Cursor c(b);
    if (c.get<uint32_t>() != 0x46554747u) throw std::runtime_error("not GGUF");
    GgufFile f;
    f.version = c.get<uint32_t>();
    const uint64_t nTensors = c.get<uint64_t>(), nKv = c.get<uint64_t>();
    for (uint64_t i = 0; i < nKv; ++i) {
        GgufKv kv;
        kv.key = c.str();
        kv.type = c.get<uint32_t>();
        kv.raw = readValue(c, kv.type);
        f.kv.push_back(kv);
    }
    for (uint64_t i = 0; i < nTensors; ++i) {
        GgufTensor t;
        t.name = c.str();
        const uint32_t dims = c.get<uint32_t>();
        for (uint32_t d = 0; d < dims; ++d) t.ne.push_back(c.get<uint64_t>());
        t.type = c.get<uint32_t>();
        t.offset = c.get<uint64_t>();
        f.tensors.push_back(t);
    }
    const uint64_t dataStart = (c.pos() + 31) / 32 * 32;  // no general.alignment key: 32
    for (auto& t : f.tensors) {
        uint64_t n = t.type == 0 ? 4 : 2;
        for (auto d : t.ne) n *= d;
        if (dataStart + t.offset + n > b.size()) throw std::runtime_error("gguf: tensor past the end");
        t.data = b.substr(dataStart + t.offset, n);
    }
    return f;
}

std::string kvString(const GgufKv& kv) { return kv.raw.substr(8); }
float kvFloat(const GgufKv& kv) {
    float v;
    std::memcpy(&v, kv.raw.data(), 4);
    return v;
}

// --- helpers ---
fs::path tmpPath(const QTemporaryDir& dir, const char* name) { return fs::path(dir.path().toStdString()) / name; }

double maxDiff(const torch::Tensor& a, const torch::Tensor& b) {
    return (a.to(torch::kFloat64) - b.to(torch::kFloat64)).abs().max().item<double>();
}

torch::Tensor logitsOf(const fs::path& modelDir, const torch::Tensor& ids) {
    auto lm = ft::loadCausalLM(modelDir);
    lm->eval();
    torch::NoGradGuard g;
    return lm->forward(ids);
}

// All tensors of a model folder (single file or shards) by name, cloned.
std::map<std::string, torch::Tensor> readAll(const fs::path& dir) {
    std::map<std::string, torch::Tensor> out;
    for (const auto& p : fs::directory_iterator(dir))
        if (p.path().extension() == ".safetensors") {
            const auto st = ft::SafetensorsFile::open(p.path());
            for (const auto& e : st.entries()) out[e.name] = st.tensor(e.name).clone();
        }
    return out;
}

// The reference Python with gguf/transformers, or empty (the caller skips).
QString refPython() {
    QString p = qEnvironmentVariable("FT_REF_PYTHON");
    if (p.isEmpty()) p = QDir::homePath() + QStringLiteral("/.cache/finetune-studio/refvenv/bin/python");
    return QFileInfo::exists(p) ? p : QString();
}

QJsonObject runFixtureScript(const QStringList& args) {
    QProcess p;
    p.start(refPython(), QStringList{QString::fromStdString((kData / "make_export_fixtures.py").string())} + args);
    if (!p.waitForFinished(300000)) return {};
    const QByteArray out = p.readAllStandardOutput();
    if (p.exitCode() != 0) qWarning("%s", p.readAllStandardError().constData());
    return QJsonDocument::fromJson(out).object();
}

// The llama2 fixture's config and weights in `to`, without tokenizer files: a test writes the ones it needs.
fs::path llama2WeightsOnly(const fs::path& to) {
    fs::create_directories(to);
    for (const char* f : {"config.json", "generation_config.json", "model.safetensors"}) fs::copy(kLlama2 / f, to / f);
    return to;
}

// A copy of `adapter` whose tensors pass through `rename` (name → new name).
fs::path copyAdapterRenamed(const fs::path& adapter, const fs::path& to,
                            const std::function<std::string(const std::string&)>& rename) {
    fs::create_directories(to);
    fs::copy_file(adapter / "adapter_config.json", to / "adapter_config.json");
    const auto st = ft::SafetensorsFile::open(adapter / "adapter_model.safetensors");
    ft::NamedTensors t;
    for (const auto& e : st.entries()) t.emplace_back(rename(e.name), st.tensor(e.name));
    ft::writeSafetensors(to / "adapter_model.safetensors", t, {{"format", "pt"}});
    return to;
}

bool hasTempLeftovers(const fs::path& dir) {
    for (const auto& p : fs::directory_iterator(dir))
        if (p.path().filename().string().find(".tmp-") != std::string::npos ||
            p.path().filename().string().find(".old-") != std::string::npos)
            return true;
    return false;
}

ft::QloraConfig nf4(const char* computeDtype) {
    ft::QloraConfig q;
    q.quantType = "nf4";
    q.blocksize = 64;
    q.doubleQuant = true;
    q.computeDtype = computeDtype;
    return q;
}

} // namespace

class TestExport : public QObject {
    Q_OBJECT
private slots:
    void mergedWeightsEqualPeft() {
        QTemporaryDir dir;
        const auto out = tmpPath(dir, "merged");
        ft::writeMergedModel(kLlama2, kLlama2Lora, out);
        QVERIFY(fs::exists(out / "model.safetensors"));
        QVERIFY(!fs::exists(out / "model.safetensors.index.json"));
        QCOMPARE(ft::readFile(out / "config.json"), ft::readFile(kLlama2 / "config.json"));
        QCOMPARE(ft::readFile(out / "generation_config.json"), ft::readFile(kLlama2 / "generation_config.json"));

        const auto ours = ft::SafetensorsFile::open(out / "model.safetensors");
        const auto base = ft::SafetensorsFile::open(kLlama2 / "model.safetensors");
        const auto peft = ft::SafetensorsFile::open(kExport / "merged.safetensors");
        QCOMPARE(ours.entries().size(), base.entries().size());
        QCOMPARE(peft.entries().size(), size_t(14));
        double worst = 0;
        for (const auto& e : base.entries()) {
            const auto* o = ours.find(e.name);
            QVERIFY2(o && o->dtype == e.dtype && o->shape == e.shape, e.name.c_str());
            if (peft.find(e.name)) {
                worst = std::max(worst, maxDiff(ours.tensor(e.name), peft.tensor(e.name)));
                QVERIFY2(!torch::equal(ours.tensor(e.name), base.tensor(e.name)), e.name.c_str());  // it did change
            } else {
                QVERIFY2(torch::equal(ours.tensor(e.name), base.tensor(e.name)), e.name.c_str());  // copied as is
            }
        }
        qInfo("merged weights vs peft merge_and_unload: max |diff| %.3g (tolerance 1e-6)", worst);
        QVERIFY(worst <= 1e-6);
    }

    void mergedFolderGivesAdapterLogits() {
        QTemporaryDir dir;
        const auto out = tmpPath(dir, "merged");
        ft::writeMergedModel(kLlama2, kLlama2Lora, out);
        const auto ref = ft::SafetensorsFile::open(kLlama2Lora / "reference.safetensors");
        const double d = maxDiff(logitsOf(out, ref.tensor("input_ids").clone()), ref.tensor("logits"));
        qInfo("llama2 merged, our loader vs peft base+adapter logits: max |diff| %.3g (tolerance 1e-4)", d);
        QVERIFY(d < 1e-4);

        // Qwen2: q/k/v biases and a tied head copied through, 4:1 grouped-query attention.
        const auto outQwen = tmpPath(dir, "merged-qwen2");
        ft::writeMergedModel(kQwen2, kExport / "qwen2-lora", outQwen);
        const auto refQ = ft::SafetensorsFile::open(kExport / "qwen2-lora/reference.safetensors");
        const double dq = maxDiff(logitsOf(outQwen, refQ.tensor("input_ids").clone()), refQ.tensor("logits"));
        qInfo("qwen2 merged, our loader vs peft base+adapter logits: max |diff| %.3g (tolerance 1e-4)", dq);
        QVERIFY(dq < 1e-4);

        // bias "all": the trained q/k/v biases replace the base's (peft's ".base_layer.bias" and ".bias" names).
        const auto outBias = tmpPath(dir, "merged-qwen2-bias");
        ft::writeMergedModel(kQwen2, kExport / "qwen2-lora-bias", outBias);
        const auto refB = ft::SafetensorsFile::open(kExport / "qwen2-lora-bias/reference.safetensors");
        const double db = maxDiff(logitsOf(outBias, refB.tensor("input_ids").clone()), refB.tensor("logits"));
        qInfo("qwen2 bias \"all\" merged, our loader vs peft logits: max |diff| %.3g (tolerance 1e-4)", db);
        QVERIFY(db < 1e-4);
        try {  // llama.cpp adapters carry no biases; convert_lora_to_gguf.py refuses them as well
            ft::writeGgufAdapter(kQwen2, kExport / "qwen2-lora-bias", tmpPath(dir, "bias.gguf"));
            QFAIL("a GGUF adapter dropped trained biases");
        } catch (const ft::Error& e) {
            QCOMPARE(e.code(), ft::ErrorCode::Unsupported);
        }
        QVERIFY(!fs::exists(tmpPath(dir, "bias.gguf")));
    }

    void transformersLoadsMergedFolder() {
        if (refPython().isEmpty()) QSKIP("no reference Python (FT_REF_PYTHON or ~/.cache/finetune-studio/refvenv)");
        QTemporaryDir dir;
        const auto out = tmpPath(dir, "merged"), outQwen = tmpPath(dir, "merged-qwen2");
        ft::writeMergedModel(kLlama2, kLlama2Lora, out);
        const auto outBias = tmpPath(dir, "merged-qwen2-bias");
        ft::writeMergedModel(kQwen2, kExport / "qwen2-lora", outQwen);
        ft::writeMergedModel(kQwen2, kExport / "qwen2-lora-bias", outBias);
        for (const auto& [folder, adapter] : {std::pair{out, kLlama2Lora}, std::pair{outQwen, kExport / "qwen2-lora"},
                                              std::pair{outBias, kExport / "qwen2-lora-bias"}}) {
            const auto j = runFixtureScript({QStringLiteral("--check-merged"), QString::fromStdString(folder.string()),
                                             QStringLiteral("--adapter-ref"), QString::fromStdString(adapter.string())});
            QVERIFY2(j.contains(QStringLiteral("max_abs_diff")), "transformers could not load the merged folder");
            const double t = j.value(QStringLiteral("max_abs_diff")).toDouble();
            qInfo("%s: transformers on our merged folder vs peft logits: max |diff| %.3g (tolerance 1e-4)",
                  folder.filename().c_str(), t);
            QVERIFY(t < 1e-4);
        }
    }

    void qloraMergeEqualsPeftBitsandbytes() {
        QTemporaryDir dir;
        const auto ref = ft::SafetensorsFile::open(kExport / "qlora_merged.safetensors");
        for (const char* dtype : {"float32", "bfloat16"}) {
            ft::MergeOptions opt;
            opt.qlora = nf4(dtype);
            const auto out = tmpPath(dir, dtype);
            ft::writeMergedModel(kLlama2, kLlama2Lora, out, opt);
            const auto ours = ft::SafetensorsFile::open(out / "model.safetensors");
            const auto base = ft::SafetensorsFile::open(kLlama2 / "model.safetensors");
            const std::string prefix = std::string(dtype) == "float32" ? "fp32/" : "bf16/";
            double worst = 0;
            int compared = 0;
            for (const auto& e : ref.entries()) {
                if (!e.name.starts_with(prefix)) continue;
                const std::string name = e.name.substr(prefix.size());
                worst = std::max(worst, maxDiff(ours.tensor(name), ref.tensor(e.name)));
                ++compared;
            }
            QCOMPARE(compared, prefix == "fp32/" ? 14 : 2);
            qInfo("QLoRA merge (nf4, double quant, compute %s) vs peft+bitsandbytes: max |diff| %.3g over %d weights "
                  "(tolerance 1e-6)", dtype, worst, compared);
            QVERIFY(worst <= 1e-6);
            // Outside the decoder layers nothing was quantized: embeddings, norms and the head are the base's.
            for (const char* name : {"lm_head.weight", "model.embed_tokens.weight", "model.norm.weight"})
                QVERIFY2(torch::equal(ours.tensor(name), base.tensor(name)), name);
        }
    }

    // A project that trained with its own chat template exports a merged folder that carries it, in both places a
    // loader looks (tokenizer_config.json and chat_template.jinja); the base's other tokenizer settings stay, and an
    // older chat_template.json that would disagree is left out. Without one, the base's files as they were.
    void mergedFolderCarriesTheTrainingTemplate() {
        QTemporaryDir dir;
        const auto base = llama2WeightsOnly(tmpPath(dir, "base"));
        ft::writeFileAtomic(base / "tokenizer_config.json", R"({"bos_token": "<s>", "chat_template": "{{ 'old' }}"})");
        ft::writeFileAtomic(base / "chat_template.json", R"({"chat_template": "{{ 'older' }}"})");
        const std::string tpl = "{% for m in messages %}<{{ m.role }}>{{ m.content }}{% endfor %}";
        ft::MergeOptions opt;
        opt.chatTemplate = tpl;
        const auto out = tmpPath(dir, "merged");
        ft::writeMergedModel(base, kLlama2Lora, out, opt);
        const auto config = ft::readJsonFile(out / "tokenizer_config.json");
        QCOMPARE(config.value("chat_template", std::string()), tpl);
        QCOMPARE(config.value("bos_token", std::string()), std::string("<s>"));
        QCOMPARE(ft::readFile(out / "chat_template.jinja"), tpl);
        QVERIFY(!fs::exists(out / "chat_template.json"));

        const auto plain = tmpPath(dir, "plain");
        ft::writeMergedModel(base, kLlama2Lora, plain);
        QCOMPARE(ft::readFile(plain / "tokenizer_config.json"), ft::readFile(base / "tokenizer_config.json"));
        QVERIFY(fs::exists(plain / "chat_template.json"));
        QVERIFY(!fs::exists(plain / "chat_template.jinja"));
    }

    // What the folder carries is what transformers prompts with: its tokenizer reads our template (chat_template.jinja
    // over the base's tokenizer_config.json and chat_template.json) and renders what our engine renders.
    void transformersPromptsWithTheCarriedTemplate() {
        if (refPython().isEmpty()) QSKIP("no reference Python (FT_REF_PYTHON or ~/.cache/finetune-studio/refvenv)");
        QTemporaryDir dir;
        const auto base = llama2WeightsOnly(tmpPath(dir, "base"));
        // The smallest tokenizer transformers loads; the template is what is under test.
        ft::writeFileAtomic(base / "tokenizer.json",
                            R"({"version": "1.0", "truncation": null, "padding": null, "added_tokens": [{"id": 0, )"
                            R"("content": "<unk>", "single_word": false, "lstrip": false, "rstrip": false, "normalized": )"
                            R"(false, "special": true}], "normalizer": null, "pre_tokenizer": {"type": "Whitespace"}, )"
                            R"("post_processor": null, "decoder": null, "model": {"type": "WordLevel", "vocab": )"
                            R"({"<unk>": 0}, "unk_token": "<unk>"}})");
        ft::writeFileAtomic(base / "tokenizer_config.json",
                            R"({"tokenizer_class": "PreTrainedTokenizerFast", "unk_token": "<unk>", )"
                            R"("bos_token": "<unk>", "chat_template": "{{ 'the base template' }}"})");
        ft::writeFileAtomic(base / "chat_template.json", R"({"chat_template": "{{ 'an older spelling' }}"})");
        const std::string tpl =
            "{{ bos_token }}{% for m in messages %}{{ '<|im_start|>' + m['role'] + '\\n' + m['content'] | trim + "
            "'<|im_end|>\\n' }}{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";
        ft::MergeOptions opt;
        opt.chatTemplate = tpl;
        const auto out = tmpPath(dir, "merged");
        ft::writeMergedModel(base, kLlama2Lora, out, opt);

        const auto j = runFixtureScript({QStringLiteral("--check-template"), QString::fromStdString(out.string())});
        QVERIFY2(j.contains(QStringLiteral("rendered")), "transformers could not load the merged folder's tokenizer");
        QCOMPARE(j.value(QStringLiteral("chat_template")).toString().toStdString(), tpl);
        const auto messages = nlohmann::ordered_json::parse(
            QJsonDocument(j.value(QStringLiteral("messages")).toArray()).toJson().toStdString());
        ft::ChatTemplateOptions o;
        o.addGenerationPrompt = true;
        o.bosToken = "<unk>";
        const std::string ours = ft::ChatTemplate::compile(tpl).render(messages, o);
        QCOMPARE(j.value(QStringLiteral("rendered")).toString().toStdString(), ours);
        QVERIFY(ours.find("<|im_start|>user\n\xec\x9d\xbc") != std::string::npos);  // the Korean turn, rendered
    }

    void shardedBaseKeepsItsLayout() {
        QTemporaryDir dir;
        const auto single = tmpPath(dir, "single"), sharded = tmpPath(dir, "sharded");
        ft::writeMergedModel(kLlama2, kLlama2Lora, single);
        ft::writeMergedModel(kLlama2Sharded, kLlama2Lora, sharded);
        const auto index = ft::readJsonFile(sharded / "model.safetensors.index.json");
        const auto baseIndex = ft::readJsonFile(kLlama2Sharded / "model.safetensors.index.json");
        QVERIFY(index["weight_map"] == baseIndex["weight_map"]);
        QVERIFY(index["metadata"] == baseIndex["metadata"]);  // total_size and total_parameters as transformers wrote them
        QVERIFY(!fs::exists(sharded / "model.safetensors"));
        const auto a = readAll(single), b = readAll(sharded);
        QCOMPARE(a.size(), b.size());
        for (const auto& [name, t] : a) QVERIFY2(torch::equal(t, b.at(name)), name.c_str());
    }

    void largeSingleFileIsSharded() {
        QTemporaryDir dir;
        const auto out = tmpPath(dir, "resharded");
        ft::MergeOptions opt;
        opt.maxShardBytes = 40000;  // the 256×32 fp32 embedding and head (32 KiB) fit; the rest spills
        ft::writeMergedModel(kLlama2, kLlama2Lora, out, opt);
        const auto index = ft::readJsonFile(out / "model.safetensors.index.json");
        std::set<std::string> files;
        for (const auto& [name, file] : index["weight_map"].items()) files.insert(file.get<std::string>());
        QVERIFY(files.size() > 1);
        for (const auto& f : files) {
            QVERIFY2(f.ends_with("-of-" + QString::number(files.size()).rightJustified(5, '0').toStdString() + ".safetensors"), f.c_str());
            QVERIFY2(fs::file_size(out / f) < 40000 + 4096, f.c_str());  // payload under the limit, plus its header
        }
        QCOMPARE(index["metadata"]["total_size"].get<uint64_t>(), uint64_t(139904));
        const auto ref = ft::SafetensorsFile::open(kLlama2Lora / "reference.safetensors");
        const double d = maxDiff(logitsOf(out, ref.tensor("input_ids").clone()), ref.tensor("logits"));
        QVERIFY2(d < 1e-4, qPrintable(QString::number(d)));
    }

    void ggufEqualsConverterOutput() {
        struct Case {
            fs::path base, adapter;
            ft::GgmlType type;
            const char* reference;
        };
        const Case cases[] = {
            {kLlama2, kLlama2Lora, ft::GgmlType::F32, "llama2-lora.f32.gguf"},
            {kLlama2, kLlama2Lora, ft::GgmlType::F16, "llama2-lora.f16.gguf"},
            {kQwen2, kExport / "qwen2-lora", ft::GgmlType::F16, "qwen2-lora.f16.gguf"},
        };
        QTemporaryDir dir;
        for (const auto& c : cases) {
            const auto out = tmpPath(dir, c.reference);
            ft::writeGgufAdapter(c.base, c.adapter, out, {c.type});
            const GgufFile ours = readGguf(out), ref = readGguf(kExport / c.reference);
            QCOMPARE(ours.version, 3u);
            QCOMPARE(ours.kv.size(), ref.kv.size());
            for (size_t i = 0; i < ref.kv.size(); ++i) {
                QCOMPARE(ours.kv[i].key, ref.kv[i].key);
                QCOMPARE(ours.kv[i].type, ref.kv[i].type);
                QVERIFY2(ours.kv[i].raw == ref.kv[i].raw, ref.kv[i].key.c_str());
            }
            QCOMPARE(kvString(*ours.find("general.type")), std::string("adapter"));
            QCOMPARE(kvString(*ours.find("adapter.type")), std::string("lora"));
            QCOMPARE(ours.tensors.size(), ref.tensors.size());
            for (size_t i = 0; i < ref.tensors.size(); ++i) {
                const auto &o = ours.tensors[i], &r = ref.tensors[i];
                QCOMPARE(o.name, r.name);
                QVERIFY2(o.ne == r.ne && o.type == r.type && o.offset == r.offset, r.name.c_str());
                QVERIFY2(o.data == r.data, r.name.c_str());
            }
            QVERIFY2(ft::readFile(out) == ft::readFile(kExport / c.reference), c.reference);  // byte for byte
            qInfo("%s: %zu KV, %zu tensors, identical to convert_lora_to_gguf.py's file (%zu bytes)", c.reference,
                  ours.kv.size(), ours.tensors.size(), size_t(fs::file_size(out)));
        }
    }

    void ggufLayoutIsLlamaCpps() {
        // Independent of the reference file: lora_a is ne [in, r] with A's bytes, lora_b ne [r, out] with B's rows,
        // q's and k's rows permuted per head as LlamaModel.permute does (heads 4 for q, 2 for k).
        QTemporaryDir dir;
        const auto out = tmpPath(dir, "a.gguf");
        ft::writeGgufAdapter(kLlama2, kLlama2Lora, out);
        const GgufFile f = readGguf(out);
        const auto st = ft::SafetensorsFile::open(kLlama2Lora / "adapter_model.safetensors");
        auto tensor = [&](const std::string& name) -> const GgufTensor& {
            for (const auto& t : f.tensors)
                if (t.name == name) return t;
            throw std::runtime_error("missing " + name);
        };
        auto asTensor = [](const GgufTensor& t) {
            return torch::from_blob(const_cast<char*>(t.data.data()), {int64_t(t.ne[1]), int64_t(t.ne[0])}, torch::kFloat32).clone();
        };
        const std::string p = "base_model.model.model.layers.1.";
        const auto a = tensor("blk.1.attn_q.weight.lora_a");
        QCOMPARE(a.ne, (std::vector<uint64_t>{32, 4}));
        QVERIFY(torch::equal(asTensor(a), st.tensor(p + "self_attn.q_proj.lora_A.weight")));
        const auto vb = tensor("blk.1.attn_v.weight.lora_b");
        QCOMPARE(vb.ne, (std::vector<uint64_t>{4, 16}));
        QVERIFY(torch::equal(asTensor(vb), st.tensor(p + "self_attn.v_proj.lora_B.weight")));  // v: not permuted
        for (const auto& [proj, heads] : {std::pair{"q", 4}, std::pair{"k", 2}}) {
            const torch::Tensor b = st.tensor(p + "self_attn." + proj + "_proj.lora_B.weight");
            const int64_t d = b.size(0) / heads;
            const torch::Tensor ggml = asTensor(tensor("blk.1.attn_" + std::string(proj) + ".weight.lora_b"));
            // row h·d + 2i + j of the GGUF tensor is row h·d + j·d/2 + i of B (i < d/2, j ∈ {0, 1})
            for (int64_t h = 0; h < heads; ++h)
                for (int64_t i = 0; i < d / 2; ++i)
                    for (int64_t j = 0; j < 2; ++j)
                        QVERIFY(torch::equal(ggml[h * d + 2 * i + j], b[h * d + j * d / 2 + i]));
        }
        QCOMPARE(kvFloat(*f.find("adapter.lora.alpha")), 8.0f);

        // rsLoRA: llama.cpp scales by alpha / r, so alpha·√r carries alpha / √r.
        const auto rs = tmpPath(dir, "rslora");
        fs::create_directories(rs);
        fs::copy_file(kLlama2Lora / "adapter_model.safetensors", rs / "adapter_model.safetensors");
        auto cfg = ft::readJsonFile(kLlama2Lora / "adapter_config.json");
        cfg["use_rslora"] = true;
        ft::writeFileAtomic(rs / "adapter_config.json", cfg.dump());
        ft::writeGgufAdapter(kLlama2, rs, tmpPath(dir, "rs.gguf"));
        QCOMPARE(kvFloat(*readGguf(tmpPath(dir, "rs.gguf")).find("adapter.lora.alpha")), 16.0f);  // 8 · √4
    }

    void ggufReaderReadsOurFile() {
        if (refPython().isEmpty()) QSKIP("no reference Python (FT_REF_PYTHON or ~/.cache/finetune-studio/refvenv): GGUFReader not run");
        QTemporaryDir dir;
        for (const auto type : {ft::GgmlType::F32, ft::GgmlType::F16}) {
            const auto out = tmpPath(dir, type == ft::GgmlType::F32 ? "f32.gguf" : "f16.gguf");
            ft::writeGgufAdapter(kLlama2, kLlama2Lora, out, {type});
            const auto j = runFixtureScript({QStringLiteral("--check"), QString::fromStdString(out.string())});
            QVERIFY2(!j.isEmpty(), "GGUFReader could not read our file");
            QCOMPARE(j.value(QStringLiteral("version")).toInt(), 3);
            QCOMPARE(j.value(QStringLiteral("alignment")).toInt(), 32);
            const auto kv = j.value(QStringLiteral("kv")).toObject();
            auto value = [&](const char* key) { return kv.value(QLatin1String(key)).toObject().value(QStringLiteral("value")); };
            QCOMPARE(value("general.architecture").toString(), QStringLiteral("llama"));
            QCOMPARE(value("general.type").toString(), QStringLiteral("adapter"));
            QCOMPARE(value("adapter.type").toString(), QStringLiteral("lora"));
            QCOMPARE(value("adapter.lora.alpha").toDouble(), 8.0);
            QCOMPARE(kv.value(QStringLiteral("adapter.lora.alpha")).toObject().value(QStringLiteral("type")).toString(), QStringLiteral("FLOAT32"));
            const GgufFile ours = readGguf(out);
            const auto tensors = j.value(QStringLiteral("tensors")).toArray();
            QCOMPARE(size_t(tensors.size()), ours.tensors.size());
            double worst = 0;
            for (int i = 0; i < tensors.size(); ++i) {
                const auto t = tensors[i].toObject();
                const auto& o = ours.tensors[size_t(i)];
                QCOMPARE(t.value(QStringLiteral("name")).toString().toStdString(), o.name);
                QCOMPARE(t.value(QStringLiteral("type")).toString(), QString(type == ft::GgmlType::F32 ? "F32" : "F16"));
                const auto shape = t.value(QStringLiteral("shape")).toArray();  // GGUFReader gives ne[] order
                QCOMPARE(size_t(shape.size()), o.ne.size());
                for (int d = 0; d < shape.size(); ++d) QCOMPARE(uint64_t(shape[d].toInteger()), o.ne[size_t(d)]);
                const auto data = t.value(QStringLiteral("data")).toArray();
                const torch::Tensor mine = torch::from_blob(const_cast<char*>(o.data.data()), {int64_t(data.size())},
                                                            type == ft::GgmlType::F32 ? torch::kFloat32 : torch::kFloat16).to(torch::kFloat64);
                std::vector<double> theirs;
                for (const auto& v : data) theirs.push_back(v.toDouble());
                worst = std::max(worst, maxDiff(mine, torch::tensor(theirs, torch::kFloat64)));
            }
            qInfo("GGUFReader on our %s file: names, types, shapes equal; max |data diff| %.3g", type == ft::GgmlType::F32 ? "F32" : "F16", worst);
            QCOMPARE(worst, 0.0);
        }
    }

    void adapterForAnotherModelIsRefused() {
        QTemporaryDir dir;
        // A module the base does not have (layer 5 of a 2-layer model).
        const auto bad = copyAdapterRenamed(kLlama2Lora, tmpPath(dir, "bad"), [](const std::string& n) {
            return n.find("layers.1.self_attn.q_proj") != std::string::npos ? std::string("base_model.model.model.layers.5.self_attn.q_proj") + n.substr(n.find(".lora_")) : n;
        });
        for (int format = 0; format < 2; ++format) {
            const auto out = tmpPath(dir, format ? "out.gguf" : "out");
            try {
                if (format) ft::writeGgufAdapter(kLlama2, bad, out);
                else ft::writeMergedModel(kLlama2, bad, out);
                QFAIL("an adapter targeting a missing module was exported");
            } catch (const ft::Error& e) {
                QCOMPARE(e.code(), ft::ErrorCode::InvalidValue);
                QVERIFY2(std::string(e.what()).find("model.layers.5.self_attn.q_proj") != std::string::npos, e.what());
            }
            QVERIFY(!fs::exists(out));
        }
        // Shapes that disagree: the Qwen2 adapter (k_proj 8 rows) over the Llama base (k_proj 16 rows).
        try {
            ft::writeMergedModel(kLlama2, kExport / "qwen2-lora", tmpPath(dir, "out2"));
            QFAIL("an adapter with other shapes was merged");
        } catch (const ft::Error& e) {
            QVERIFY2(std::string(e.what()).find("k_proj") != std::string::npos, e.what());
        }
        QVERIFY(!fs::exists(tmpPath(dir, "out2")));
        QVERIFY(!hasTempLeftovers(dir.path().toStdString()));
    }

    void failedExportLeavesOldOrNothing() {
        QTemporaryDir dir;
        // The output's parent is a file: nothing can be created there.
        ft::writeFileAtomic(tmpPath(dir, "file"), "x");
        try {
            ft::writeMergedModel(kLlama2, kLlama2Lora, tmpPath(dir, "file") / "merged");
            QFAIL("wrote under a file");
        } catch (const ft::Error& e) {
            QCOMPARE(e.code(), ft::ErrorCode::FileUnwritable);
        }
        QCOMPARE(ft::readFile(tmpPath(dir, "file")), std::string("x"));

        // A previous export is there; the new one fails half-way (cancelled after 10 of 21 tensors).
        const auto out = tmpPath(dir, "merged");
        ft::writeMergedModel(kLlama2Sharded, kLlama2Lora, out);
        const std::string before = ft::readFile(out / "model-00002-of-00003.safetensors");
        ft::MergeOptions opt;
        int calls = 0;
        opt.progress = [&](int64_t done, int64_t total) {
            ++calls;
            return done < 10 && total == 21;
        };
        try {
            ft::writeMergedModel(kLlama2, kLlama2Lora, out, opt);
            QFAIL("the cancelled merge went through");
        } catch (const ft::Error& e) {
            QCOMPARE(e.code(), ft::ErrorCode::Cancelled);
        }
        QCOMPARE(calls, 10);
        QVERIFY(fs::exists(out / "model.safetensors.index.json"));  // the old, sharded export, untouched
        QVERIFY(!fs::exists(out / "model.safetensors"));
        QCOMPARE(ft::readFile(out / "model-00002-of-00003.safetensors"), before);
        QVERIFY(!hasTempLeftovers(dir.path().toStdString()));

        // Never over a source, never over an unrelated folder.
        for (const auto& target : {kLlama2, kLlama2Lora, kLlama2 / "sub", fs::path(dir.path().toStdString())}) {
            try {
                ft::writeMergedModel(kLlama2, kLlama2Lora, target);
                QFAIL(target.c_str());
            } catch (const ft::Error& e) {
                QCOMPARE(e.code(), ft::ErrorCode::InvalidValue);
            }
        }
        QVERIFY(fs::exists(kLlama2 / "model.safetensors"));
    }

    void peftCopyIsTheAdapter() {
        QTemporaryDir dir;
        const auto out = tmpPath(dir, "adapter");
        ft::copyPeftAdapter(kLlama2Lora, out);
        for (const char* f : {"adapter_config.json", "adapter_model.safetensors"})
            QCOMPARE(ft::readFile(out / f), ft::readFile(kLlama2Lora / f));
        ft::copyPeftAdapter(kExport / "qwen2-lora", out);  // replaces an adapter folder
        QCOMPARE(ft::readFile(out / "adapter_model.safetensors"), ft::readFile(kExport / "qwen2-lora/adapter_model.safetensors"));
        QVERIFY(!hasTempLeftovers(dir.path().toStdString()));
    }
};

QTEST_APPLESS_MAIN(TestExport)
#include "tst_export.moc"
