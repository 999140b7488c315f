// Model discovery over fake but real stores built in a temporary folder: a Hugging Face hub cache (snapshot links
// into blobs/, refs/main), Ollama (manifests naming GGUF blobs), LM Studio (publisher/model/*.gguf) and added folders,
// with tiny safetensors models and GGUF files written here; and the junk a real machine holds (a BERT, .bin-only
// weights, GPTQ, a broken link, a malformed manifest, a truncated GGUF, an mmproj projector, an IQ2_XS tensor), each
// listed with its reason, never a crash. Every field is checked.

#include "core/model/gguf_import.h"
#include "core/model/model_discovery.h"
#include "core/io/ggml_dequantize.h"

#include <QTemporaryDir>
#include <QtTest>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <sys/stat.h>

namespace fs = std::filesystem;

namespace {

void writeText(const fs::path& p, const std::string& text) {
    fs::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << text;
}

// A safetensors file of zeroed bf16 tensors: name -> shape.
void writeSafetensors(const fs::path& p, const std::map<std::string, std::vector<int64_t>>& tensors) {
    std::string header = "{";
    uint64_t offset = 0;
    for (const auto& [name, shape] : tensors) {
        uint64_t n = 1;
        std::string dims;
        for (int64_t d : shape) n *= uint64_t(d), dims += (dims.empty() ? "" : ",") + std::to_string(d);
        if (header.size() > 1) header += ',';
        header += "\"" + name + "\":{\"dtype\":\"BF16\",\"shape\":[" + dims + "],\"data_offsets\":[" +
                  std::to_string(offset) + "," + std::to_string(offset + 2 * n) + "]}";
        offset += 2 * n;
    }
    header += "}";
    std::string bytes(8, '\0');
    const uint64_t len = header.size();
    std::memcpy(bytes.data(), &len, 8);
    writeText(p, bytes + header + std::string(offset, '\0'));
}

// A Llama-shaped folder: 4×8 embedding and an 8-wide norm in bf16, 40 parameters.
void writeTinyModel(const fs::path& dir, const std::string& config = R"({"model_type":"llama"})",
                    bool tokenizer = true) {
    writeText(dir / "config.json", config);
    writeSafetensors(dir / "model.safetensors", {{"model.embed_tokens.weight", {4, 8}}, {"model.norm.weight", {8}}});
    if (tokenizer) {
        writeText(dir / "tokenizer.json", "{}");
        writeText(dir / "tokenizer_config.json", R"({"chat_template":"{{ messages }}"})");
    }
}

struct GgufTensor {
    std::string name;
    std::vector<uint64_t> ne;  // ggml order
    ft::GgmlType type;
};

// A minimal GGUF v3: string metadata, optional general.file_type, zeroed tensor data of the right size.
void writeGguf(const fs::path& p, const std::map<std::string, std::string>& strings, std::vector<GgufTensor> tensors,
               int fileType = -1) {
    std::string b;
    const auto u32 = [&](uint32_t v) { b.append(reinterpret_cast<const char*>(&v), 4); };
    const auto u64 = [&](uint64_t v) { b.append(reinterpret_cast<const char*>(&v), 8); };
    const auto str = [&](const std::string& s) { u64(s.size()), b += s; };
    b += "GGUF";
    u32(3);
    u64(tensors.size());
    u64(strings.size() + (fileType >= 0 ? 1 : 0));
    for (const auto& [key, value] : strings) str(key), u32(8), str(value);
    if (fileType >= 0) str("general.file_type"), u32(4), u32(uint32_t(fileType));
    uint64_t offset = 0;
    std::vector<uint64_t> sizes;
    for (const GgufTensor& t : tensors) {
        const ft::GgmlTypeTraits* traits = ft::ggmlTypeTraits(uint32_t(t.type));
        uint64_t n = 1;
        for (uint64_t d : t.ne) n *= d;
        sizes.push_back(n / traits->blockSize * traits->typeSize);
        str(t.name), u32(uint32_t(t.ne.size()));
        for (uint64_t d : t.ne) u64(d);
        u32(uint32_t(t.type)), u64(offset);
        offset += (sizes.back() + 31) / 32 * 32;
    }
    b.resize((b.size() + 31) / 32 * 32, '\0');
    b.append(offset, '\0');
    writeText(p, b);
}

const std::vector<GgufTensor> kQ4Llama = {{"token_embd.weight", {32, 2}, ft::GgmlType::Q4_1},
                                          {"output_norm.weight", {32}, ft::GgmlType::F32}};

uint64_t sizeOf(const fs::path& p) { return uint64_t(fs::file_size(p)); }

const ft::DiscoveredModel* find(const std::vector<ft::DiscoveredModel>& list, const std::string& name) {
    for (const auto& m : list)
        if (m.name == name) return &m;
    return nullptr;
}

} // namespace

class TestModelDiscovery : public QObject {
    Q_OBJECT
    QTemporaryDir m_tmp;
    fs::path m_root;
    std::vector<ft::DiscoveredModel> m_found;

private slots:
    void initTestCase() {
        QVERIFY(m_tmp.isValid());
        m_root = fs::path(m_tmp.path().toStdString());
        const fs::path hub = m_root / "hub";

        // Org/Tiny: refs/main names c2, whose files link into blobs/ as the hub writes them; c1 is an older commit.
        const fs::path tiny = hub / "models--Org--Tiny";
        writeTinyModel(tiny / "blobs-src");
        fs::create_directories(tiny / "blobs");
        fs::create_directories(tiny / "snapshots/c2");
        for (const auto& e : fs::directory_iterator(tiny / "blobs-src")) {
            const fs::path blob = tiny / "blobs" / ("b-" + e.path().filename().string());
            fs::rename(e.path(), blob);
            fs::create_symlink(fs::path("../../blobs") / blob.filename(), tiny / "snapshots/c2" / e.path().filename());
        }
        fs::remove(tiny / "blobs-src");
        writeText(tiny / "snapshots/c1/config.json", "{}");
        writeText(tiny / "refs/main", "c2");

        writeTinyModel(hub / "models--google-bert--bert-base/snapshots/a", R"({"model_type":"bert"})");
        writeText(hub / "models--google-bert--bert-base/refs/main", "a");
        // Only pytorch_model.bin: no safetensors.
        writeText(hub / "models--Old--Pickled/snapshots/a/config.json", R"({"model_type":"llama"})");
        writeText(hub / "models--Old--Pickled/snapshots/a/pytorch_model.bin", "PK");
        writeText(hub / "models--Old--Pickled/snapshots/a/tokenizer.json", "{}");
        writeTinyModel(hub / "models--TheBloke--Tiny-GPTQ/snapshots/a",
                       R"({"model_type":"llama","quantization_config":{"quant_method":"gptq","bits":4}})");
        // An interrupted download: the weights link points at a blob that never arrived.
        writeTinyModel(hub / "models--Org--Interrupted/snapshots/a");
        fs::remove(hub / "models--Org--Interrupted/snapshots/a/model.safetensors");
        fs::create_symlink("../../blobs/never-arrived", hub / "models--Org--Interrupted/snapshots/a/model.safetensors");
        // No tokenizer, but a chat_template.jinja; an unparsable config.
        writeTinyModel(hub / "models--Org--NoTok/snapshots/a", R"({"model_type":"qwen2"})", false);
        writeText(hub / "models--Org--NoTok/snapshots/a/chat_template.jinja", "{{ x }}");
        writeTinyModel(hub / "models--Org--BadConfig/snapshots/a", R"({"model_type": )");
        // Sharded, but the second shard the index names never arrived; and a repo with no snapshot at all.
        const fs::path sharded = hub / "models--Org--Sharded/snapshots/a";
        writeTinyModel(sharded);
        fs::rename(sharded / "model.safetensors", sharded / "model-00001-of-00002.safetensors");
        writeText(sharded / "model.safetensors.index.json",
                  R"({"weight_map":{"model.embed_tokens.weight":"model-00001-of-00002.safetensors",
                                    "model.norm.weight":"model-00002-of-00002.safetensors"}})");
        fs::create_directories(hub / "models--Org--Empty/refs");
        writeTinyModel(hub / "datasets--Org--Data/snapshots/a");  // not a model: skipped
        writeTinyModel(hub / "spaces--Org--Space/snapshots/a");

        // Ollama
        const fs::path ollama = m_root / "ollama";
        writeGguf(ollama / "blobs/sha256-aa11",
                  {{"general.architecture", "llama"}, {"general.name", "Llama 3.2"}, {"tokenizer.chat_template", "{{x}}"}},
                  kQ4Llama, 3);
        writeText(ollama / "manifests/registry.ollama.ai/library/llama3.2/latest",
                  R"({"layers":[{"mediaType":"application/vnd.ollama.image.template","digest":"sha256:bb22"},
                                {"mediaType":"application/vnd.ollama.image.model","digest":"sha256:aa11"}]})");
        writeText(ollama / "blobs/sha256-bb22", "{{ .Prompt }}");  // Ollama's Go template: not a chat template
        writeGguf(ollama / "blobs/sha256-cc33", {{"general.architecture", "llama"}},
                  {{"blk.0.attn_q.weight", {256, 2}, ft::GgmlType::IQ2_XS}}, 20);
        writeText(ollama / "manifests/registry.ollama.ai/someone/tiny/iq2",
                  R"({"layers":[{"mediaType":"application/vnd.ollama.image.model","digest":"sha256:cc33"}]})");
        writeText(ollama / "manifests/registry.ollama.ai/library/broken/latest", R"({"layers":[)");
        writeText(ollama / "manifests/hf.co/org/gone/q8",
                  R"({"layers":[{"mediaType":"application/vnd.ollama.image.model","digest":"sha256:dd44"}]})");

        // LM Studio, both places
        const fs::path lms = m_root / "home/.lmstudio/models";
        writeGguf(lms / "pub/Qwen-GGUF/qwen-q8_0.gguf", {{"general.architecture", "qwen2"}},
                  {{"token_embd.weight", {32, 4}, ft::GgmlType::Q8_0}, {"output_norm.weight", {32}, ft::GgmlType::F32}});
        writeGguf(lms / "pub/Qwen-GGUF/mmproj-qwen-f16.gguf", {{"general.architecture", "clip"}},
                  {{"v.patch_embd.weight", {4, 4}, ft::GgmlType::F16}}, 1);
        fs::create_symlink(m_root / "nowhere.gguf", lms / "pub/Qwen-GGUF/linked.gguf");
        const fs::path lmsCache = m_root / "home/.cache/lm-studio/models";
        writeGguf(lmsCache / "pub/Trunc/whole.gguf", {{"general.architecture", "llama"}}, kQ4Llama, 3);
        const std::string whole = [&] {
            std::ifstream in(lmsCache / "pub/Trunc/whole.gguf", std::ios::binary);
            return std::string(std::istreambuf_iterator<char>(in), {});
        }();
        writeText(lmsCache / "pub/Trunc/truncated.gguf", whole.substr(0, 40));

        // Added folders: one holding models, one that is a model itself.
        writeTinyModel(m_root / "mine/tiny2");
        writeGguf(m_root / "mine/phi.gguf", {{"general.architecture", "phi3"}},
                  {{"token_embd.weight", {8, 2}, ft::GgmlType::F16}}, 1);
        writeText(m_root / "mine/notes.txt", "not a model");
        fs::create_directories(m_root / "mine/folder.gguf");  // a folder with a GGUF's name
        QCOMPARE(mkfifo((m_root / "mine/pipe.gguf").c_str(), 0600), 0);  // would block a reader
        writeTinyModel(m_root / "single");

        ft::DiscoverySources sources;
        sources.hfCache = hub;
        sources.ollama = ollama;
        sources.lmStudio = {lms, lmsCache, m_root / "home/missing"};
        sources.folders = {m_root / "mine", m_root / "single", m_root / "not-there"};
        m_found = ft::discoverModels(sources);
    }

    void sortedBySourceThenName() {
        std::vector<std::string> got;
        for (const auto& m : m_found) got.push_back(m.source + " " + m.name);
        const std::vector<std::string> expected = {
            "hf-cache Old/Pickled", "hf-cache Org/BadConfig", "hf-cache Org/Empty", "hf-cache Org/Interrupted",
            "hf-cache Org/NoTok", "hf-cache Org/Sharded", "hf-cache Org/Tiny", "hf-cache TheBloke/Tiny-GPTQ", "hf-cache google-bert/bert-base",
            "ollama broken:latest", "ollama hf.co/org/gone:q8", "ollama llama3.2:latest", "ollama someone/tiny:iq2",
            "lmstudio pub/linked", "lmstudio pub/mmproj-qwen-f16", "lmstudio pub/qwen-q8_0",
            "lmstudio pub/truncated", "lmstudio pub/whole",
            "folder folder", "folder phi", "folder pipe", "folder single", "folder tiny2"};
        QCOMPARE(got, expected);
    }

    void hubModelEveryField() {
        const auto* m = find(m_found, "Org/Tiny");
        QVERIFY(m);
        const fs::path snapshot = m_root / "hub/models--Org--Tiny/snapshots/c2";
        QCOMPARE(m->path, snapshot.string());  // refs/main's commit, not the other one
        QCOMPARE(m->source, std::string("hf-cache"));
        QCOMPARE(m->format, std::string("safetensors"));
        QCOMPARE(m->architecture, std::string("llama"));
        QCOMPARE(m->parameters, int64_t(4 * 8 + 8));
        QCOMPARE(m->quantization, std::string("bf16"));
        QVERIFY(m->hasChatTemplate);
        QVERIFY2(m->trainable, m->whyNot.c_str());
        QCOMPARE(m->why, ft::NotTrainable::No);
        QVERIFY(m->whyNot.empty());
        QVERIFY(m->note.empty());
        // The blobs' sizes, through the links.
        QCOMPARE(m->sizeBytes, sizeOf(snapshot / "config.json") + sizeOf(snapshot / "model.safetensors") +
                                   sizeOf(snapshot / "tokenizer.json") + sizeOf(snapshot / "tokenizer_config.json"));
    }

    void hubJunkSaysWhy_data() {
        QTest::addColumn<QString>("name");
        QTest::addColumn<int>("why");
        QTest::addColumn<QString>("whyNot");
        using W = ft::NotTrainable;
        QTest::newRow("bert") << "google-bert/bert-base" << int(W::Architecture)
                              << "architecture 'bert' is not a decoder this app trains";
        QTest::newRow("bin") << "Old/Pickled" << int(W::PickleWeights) << "weights are .bin (pickle), not safetensors";
        QTest::newRow("gptq") << "TheBloke/Tiny-GPTQ" << int(W::Quantized)
                              << "quantized with gptq, which cannot be trained here";
        QTest::newRow("interrupted") << "Org/Interrupted" << int(W::MissingFile)
                                     << "incomplete download or broken link: model.safetensors is missing";
        QTest::newRow("no tokenizer") << "Org/NoTok" << int(W::NoTokenizer)
                                      << "no tokenizer files (tokenizer.json or tokenizer.model)";
        QTest::newRow("bad config") << "Org/BadConfig" << int(W::Unreadable) << "cannot be read: config.json: ";
        QTest::newRow("missing shard") << "Org/Sharded" << int(W::MissingFile)
                                       << "incomplete download or broken link: model-00002-of-00002.safetensors is missing";
        QTest::newRow("no snapshot") << "Org/Empty" << int(W::MissingFile)
                                     << "incomplete download or broken link: snapshots/ is missing";
    }
    void hubJunkSaysWhy() {
        QFETCH(QString, name);
        QFETCH(int, why);
        QFETCH(QString, whyNot);
        const auto* m = find(m_found, name.toStdString());
        QVERIFY(m);
        QVERIFY(!m->trainable);
        QCOMPARE(int(m->why), why);
        QVERIFY2(m->whyNot.starts_with(whyNot.toStdString()), m->whyNot.c_str());
        QCOMPARE(m->whyNot, ft::describeNotTrainable(m->why, m->whyDetail));
    }

    void hubFieldsOfUntrainable() {
        const auto* gptq = find(m_found, "TheBloke/Tiny-GPTQ");
        QCOMPARE(gptq->quantization, std::string("gptq"));
        QCOMPARE(gptq->parameters, int64_t(40));
        const auto* noTok = find(m_found, "Org/NoTok");
        QVERIFY(noTok->hasChatTemplate);  // chat_template.jinja
        QCOMPARE(noTok->architecture, std::string("qwen2"));
        QVERIFY(find(m_found, "Org/BadConfig")->whyNot.find("config.json") != std::string::npos);
    }

    void ollamaModel() {
        const auto* m = find(m_found, "llama3.2:latest");
        QVERIFY(m);
        const fs::path blob = m_root / "ollama/blobs/sha256-aa11";
        QCOMPARE(m->path, blob.string());
        QCOMPARE(m->source, std::string("ollama"));
        QCOMPARE(m->format, std::string("gguf"));
        QCOMPARE(m->architecture, std::string("llama"));
        QCOMPARE(m->parameters, int64_t(96));
        QCOMPARE(m->quantization, std::string("Q4_1"));  // general.file_type 3
        QVERIFY(m->hasChatTemplate);                     // the GGUF's own tokenizer.chat_template
        QVERIFY2(m->trainable, m->whyNot.c_str());
        QCOMPARE(m->note,
                 std::string("stored as Q4_1: weights are dequantized for training; quality is that of the quantized file"));
        QCOMPARE(m->sizeBytes, sizeOf(blob));
    }

    void ollamaJunk() {
        const auto* iq2 = find(m_found, "someone/tiny:iq2");
        QVERIFY(!iq2->trainable);
        QCOMPARE(iq2->whyNot, std::string("tensor type IQ2_XS cannot be dequantized here"));
        QCOMPARE(iq2->quantization, std::string("IQ2_XS"));
        QVERIFY(!iq2->hasChatTemplate);
        const auto* broken = find(m_found, "broken:latest");
        QCOMPARE(broken->why, ft::NotTrainable::Unreadable);
        QVERIFY2(broken->whyNot.find("latest") != std::string::npos, broken->whyNot.c_str());
        const auto* gone = find(m_found, "hf.co/org/gone:q8");
        QCOMPARE(gone->why, ft::NotTrainable::MissingFile);
        QCOMPARE(gone->whyNot, std::string("incomplete download or broken link: sha256-dd44 is missing"));
    }

    void lmStudio() {
        const auto* q8 = find(m_found, "pub/qwen-q8_0");
        QVERIFY(q8);
        QCOMPARE(q8->architecture, std::string("qwen2"));
        QCOMPARE(q8->quantization, std::string("Q8_0"));  // no general.file_type: the type most elements have
        QCOMPARE(q8->parameters, int64_t(32 * 4 + 32));
        QVERIFY(q8->trainable);
        QVERIFY(!q8->note.empty());
        const auto* mmproj = find(m_found, "pub/mmproj-qwen-f16");
        QCOMPARE(mmproj->why, ft::NotTrainable::Projector);
        QCOMPARE(mmproj->architecture, std::string("clip"));
        QCOMPARE(mmproj->quantization, std::string("F16"));
        const auto* linked = find(m_found, "pub/linked");
        QCOMPARE(linked->why, ft::NotTrainable::MissingFile);
        QCOMPARE(linked->sizeBytes, uint64_t(0));
        const auto* truncated = find(m_found, "pub/truncated");
        QCOMPARE(truncated->why, ft::NotTrainable::Unreadable);
        QVERIFY2(truncated->whyNot.find("truncated.gguf") != std::string::npos, truncated->whyNot.c_str());
        QVERIFY(find(m_found, "pub/whole")->trainable);
    }

    void addedFolders() {
        const auto* tiny2 = find(m_found, "tiny2");
        QCOMPARE(tiny2->path, (m_root / "mine/tiny2").string());
        QVERIFY(tiny2->trainable);
        QCOMPARE(find(m_found, "single")->path, (m_root / "single").string());
        const auto* phi = find(m_found, "phi");
        QCOMPARE(phi->whyNot, std::string("architecture 'phi3' is not a decoder this app trains"));
        QCOMPARE(phi->quantization, std::string("F16"));
        QVERIFY(phi->note.empty());
        QCOMPARE(find(m_found, "folder")->whyNot, std::string("cannot be read: folder.gguf: not a regular file"));
        QCOMPARE(find(m_found, "pipe")->whyNot, std::string("cannot be read: pipe.gguf: not a regular file"));
    }

    void importableArchitecturesAndFileTypes() {
        for (const char* a : {"llama", "mistral", "qwen2", "qwen3", "gemma", "gemma2", "gemma3"})
            QVERIFY(ft::ggufArchitectureImportable(a));
        for (const char* a : {"clip", "phi3", "bert", "", "gemma3_text"}) QVERIFY(!ft::ggufArchitectureImportable(a));
        QCOMPARE(ft::ggufFileTypeName(15), std::string("Q4_K_M"));
        QCOMPARE(ft::ggufFileTypeName(1), std::string("F16"));
        QCOMPARE(ft::ggufFileTypeName(4), std::string());  // retired id
    }

    void sourcesFromTheEnvironment() {
        const QByteArray keys[] = {"HOME", "HF_HUB_CACHE", "HF_HOME", "OLLAMA_MODELS"};
        std::map<QByteArray, QByteArray> saved;
        for (const auto& k : keys) saved[k] = qgetenv(k.constData());
        qputenv("HOME", "/h");
        qunsetenv("HF_HUB_CACHE");
        qunsetenv("HF_HOME");
        qunsetenv("OLLAMA_MODELS");
        auto s = ft::defaultDiscoverySources({"/extra"});
        QCOMPARE(s.hfCache, fs::path("/h/.cache/huggingface/hub"));
        QCOMPARE(s.ollama, fs::path("/h/.ollama/models"));
        QCOMPARE(s.lmStudio, (std::vector<fs::path>{"/h/.lmstudio/models", "/h/.cache/lm-studio/models"}));
        QCOMPARE(s.folders, std::vector<fs::path>{"/extra"});
        qputenv("HF_HOME", "/hf");
        qputenv("OLLAMA_MODELS", "/om");
        s = ft::defaultDiscoverySources();
        QCOMPARE(s.hfCache, fs::path("/hf/hub"));
        QCOMPARE(s.ollama, fs::path("/om"));
        qputenv("HF_HUB_CACHE", "/cache");
        QCOMPARE(ft::defaultDiscoverySources().hfCache, fs::path("/cache"));
        for (const auto& [k, v] : saved) v.isNull() ? qunsetenv(k.constData()) : qputenv(k.constData(), v);
    }

    void emptyAndMissingSourcesFindNothing() {
        ft::DiscoverySources none;
        none.hfCache = m_root / "no-such";
        none.ollama = m_root / "mine/notes.txt";  // a file where a folder should be
        QVERIFY(ft::discoverModels(none).empty());
    }
};

QTEST_GUILESS_MAIN(TestModelDiscovery)
#include "tst_model_discovery.moc"
