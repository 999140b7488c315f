// The headless face end to end, as a user types it: make-demo, train, info, generate with the trained adapter.

#include <QFileInfo>
#include <QJsonArray>
#include <QtEndian>
#include <QJsonDocument>
#include <QJsonObject>
#include <QDir>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

namespace {

struct Result {
    int code;
    QByteArray out, err;
};

Result run(const QStringList& args) {
    QProcess p;
    p.start(QStringLiteral(FT_CLI_PATH), args);
    if (!p.waitForFinished(300000)) return {-1, {}, "timed out"};
    return {p.exitCode(), p.readAllStandardOutput(), p.readAllStandardError()};
}

} // namespace

class TestCli : public QObject {
    Q_OBJECT
private slots:
    void demoTrainInfoGenerate() {
        QTemporaryDir dir;
        const QString demo = dir.filePath(QStringLiteral("demo"));
        auto r = run({QStringLiteral("make-demo"), demo});
        QVERIFY2(r.code == 0, r.err.constData());

        const QString out = dir.filePath(QStringLiteral("run"));
        r = run({QStringLiteral("train"), demo + QStringLiteral("/project.json"), QStringLiteral("--out"), out});
        QVERIFY2(r.code == 0, r.err.constData());
        QVERIFY(r.out.contains("step  270/270"));
        QVERIFY(QFile::exists(out + QStringLiteral("/adapter/adapter_config.json")));
        QVERIFY(QFile::exists(out + QStringLiteral("/adapter/adapter_model.safetensors")));
        QFile metrics(out + QStringLiteral("/metrics.jsonl"));
        QVERIFY(metrics.open(QIODevice::ReadOnly));
        QVERIFY(metrics.readAll().count('\n') >= 270);

        r = run({QStringLiteral("info"), demo + QStringLiteral("/model")});
        QCOMPARE(r.code, 0);
        const auto info = QJsonDocument::fromJson(r.out).object();
        QCOMPARE(info.value(QStringLiteral("architecture")).toString(), QStringLiteral("LlamaForCausalLM"));
        const qint64 params = info.value(QStringLiteral("parameters")).toInteger();
        const auto fp = info.value(QStringLiteral("footprint_bytes")).toObject();
        QCOMPARE(fp.value(QStringLiteral("fp32")).toInteger(), 4 * params);
        QVERIFY(fp.value(QStringLiteral("nf4")).toInteger() < fp.value(QStringLiteral("int8")).toInteger());

        // dataset inspect: the demo data is clean; token statistics through the demo model.
        r = run({QStringLiteral("dataset"), QStringLiteral("inspect"), demo + QStringLiteral("/data/train.jsonl"),
                 QStringLiteral("--model"), demo + QStringLiteral("/model")});
        QVERIFY2(r.code == 0, r.err.constData());
        const auto inspect = QJsonDocument::fromJson(r.out).object();
        QCOMPARE(inspect.value(QStringLiteral("format")).toString(), QStringLiteral("alpaca"));
        QCOMPARE(inspect.value(QStringLiteral("rows_ok")).toInt(), 40);
        QCOMPARE(inspect.value(QStringLiteral("rows_bad")).toInt(), 0);
        const auto tokens = inspect.value(QStringLiteral("tokens")).toObject();
        QVERIFY(tokens.value(QStringLiteral("min")).toInt() > 5);
        QVERIFY(tokens.value(QStringLiteral("trained_tokens")).toInt() < tokens.value(QStringLiteral("total")).toInt());

        // The tuned model answers with one of the demo's answers word for word (the question may have landed in the
        // validation split, so which one is not fixed); the base model (random weights) does not.
        QFile data(demo + QStringLiteral("/data/train.jsonl"));
        QVERIFY(data.open(QIODevice::ReadOnly));
        QSet<QByteArray> answers;
        for (const QByteArray& line : data.readAll().split('\n'))
            if (!line.isEmpty()) answers.insert(QJsonDocument::fromJson(line).object().value(QStringLiteral("output")).toString().toUtf8());
        const QStringList ask{QStringLiteral("generate"), QStringLiteral("--model"), demo + QStringLiteral("/model"),
                              QStringLiteral("--prompt"), QStringLiteral("What is the capital of Japan?"), QStringLiteral("--chat"),
                              QStringLiteral("--max-new-tokens"), QStringLiteral("24")};
        r = run(ask + QStringList{QStringLiteral("--adapter"), out + QStringLiteral("/adapter")});
        QVERIFY2(r.code == 0, r.err.constData());
        QVERIFY2(answers.contains(r.out.trimmed()), r.out.constData());
        r = run(ask);
        QCOMPARE(r.code, 0);
        QVERIFY(!answers.contains(r.out.trimmed()));

        // eval: base vs the run on the held-out rows, the summary on stdout, the rows and the report on request.
        const QString jsonl = dir.filePath(QStringLiteral("eval.jsonl")), html = dir.filePath(QStringLiteral("eval.html"));
        r = run({QStringLiteral("eval"), demo + QStringLiteral("/project.json"), QStringLiteral("--run"), out,
                 QStringLiteral("--max-new-tokens"), QStringLiteral("24"), QStringLiteral("--jsonl"), jsonl,
                 QStringLiteral("--html"), html});
        QVERIFY2(r.code == 0, r.err.constData());
        const auto summary = QJsonDocument::fromJson(r.out).object();
        QCOMPARE(summary.value(QStringLiteral("examples")).toInt(), 4);  // 10 % of the demo's 40 rows
        const auto base = summary.value(QStringLiteral("base")).toObject(), tuned = summary.value(QStringLiteral("tuned")).toObject();
        for (const char* key : {"loss", "perplexity", "exact_match", "token_f1", "rouge_l"})
            QVERIFY2(base.contains(QLatin1String(key)) && tuned.contains(QLatin1String(key)), key);
        QVERIFY(tuned.value(QStringLiteral("loss")).toDouble() < base.value(QStringLiteral("loss")).toDouble());
        QVERIFY(tuned.value(QStringLiteral("token_f1")).toDouble() > base.value(QStringLiteral("token_f1")).toDouble());
        QFile rows(jsonl);
        QVERIFY(rows.open(QIODevice::ReadOnly));
        QCOMPARE(rows.readAll().count('\n'), 1 + 4);
        QVERIFY(QFileInfo(html).size() > 2000);
        r = run({QStringLiteral("eval"), demo + QStringLiteral("/project.json"), QStringLiteral("--run"), demo + QStringLiteral("/data")});
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains("not a run folder"), r.err.constData());
    }

    // dataset inspect on preference data: the format and kind, bad rows by line, pairs whose answers are the same,
    // and KTO's label counts.
    void inspectPreferenceData() {
        QTemporaryDir dir;
        const QString pairs = dir.filePath(QStringLiteral("pairs.jsonl"));
        QFile f(pairs);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(R"({"prompt":"2+2=","chosen":" 4","rejected":" 5"})" "\n"
                R"({"prompt":"hi","chosen":" hello","rejected":" hello"})" "\n"
                R"({"prompt":"q","chosen":"","rejected":" b"})" "\n");
        f.close();
        auto r = run({QStringLiteral("dataset"), QStringLiteral("inspect"), pairs});
        QVERIFY2(r.code == 0, r.err.constData());
        auto j = QJsonDocument::fromJson(r.out).object();
        QCOMPARE(j.value(QStringLiteral("format")).toString(), QStringLiteral("preference"));
        QCOMPARE(j.value(QStringLiteral("kind")).toString(), QStringLiteral("preference"));
        QCOMPARE(j.value(QStringLiteral("rows_ok")).toInt(), 2);
        QCOMPARE(j.value(QStringLiteral("conversational")).toBool(), false);
        QCOMPARE(j.value(QStringLiteral("identical_pairs")).toArray(), QJsonArray{2});
        const auto bad = j.value(QStringLiteral("bad")).toArray();
        QCOMPARE(bad.size(), 1);
        QCOMPARE(bad[0].toObject().value(QStringLiteral("line")).toInt(), 3);
        QCOMPARE(bad[0].toObject().value(QStringLiteral("reason")).toString(), QStringLiteral("the answer in \"chosen\" is empty"));

        const QString kto = dir.filePath(QStringLiteral("kto.csv"));
        QFile k(kto);
        QVERIFY(k.open(QIODevice::WriteOnly));
        k.write("prompt,completion,label\nq,good,true\nq,bad,0\nq,worse,FALSE\n");
        k.close();
        r = run({QStringLiteral("dataset"), QStringLiteral("inspect"), kto});
        QVERIFY2(r.code == 0, r.err.constData());
        j = QJsonDocument::fromJson(r.out).object();
        QCOMPARE(j.value(QStringLiteral("format")).toString(), QStringLiteral("unpaired"));
        QCOMPARE(j.value(QStringLiteral("desirable")).toInt(), 1);
        QCOMPARE(j.value(QStringLiteral("undesirable")).toInt(), 2);

        // With --model: both sequences of each of the demo's pairs, tokenized as DPO does.
        const QString demo = dir.filePath(QStringLiteral("demo"));
        r = run({QStringLiteral("make-demo"), demo});
        QVERIFY2(r.code == 0, r.err.constData());
        r = run({QStringLiteral("dataset"), QStringLiteral("inspect"), demo + QStringLiteral("/data/preference.jsonl"),
                 QStringLiteral("--model"), demo + QStringLiteral("/model")});
        QVERIFY2(r.code == 0, r.err.constData());
        const auto tokens = QJsonDocument::fromJson(r.out).object().value(QStringLiteral("tokens")).toObject();
        QFile demoPairs(demo + QStringLiteral("/data/preference.jsonl"));
        QVERIFY(demoPairs.open(QIODevice::ReadOnly));
        const int demoRows = int(demoPairs.readAll().count('\n'));
        QVERIFY(demoRows > 10);
        QCOMPARE(tokens.value(QStringLiteral("examples")).toInt(), 2 * demoRows);
        QVERIFY(tokens.value(QStringLiteral("trained_tokens")).toInt() > 2 * demoRows);
        QVERIFY(tokens.value(QStringLiteral("trained_tokens")).toInt() < tokens.value(QStringLiteral("total")).toInt());
        QCOMPARE(tokens.value(QStringLiteral("prompt_cut_rows")).toInt(), 0);
    }

    void chatTemplateMatchesGoldenAndRaises() {
        QFile golden(QStringLiteral(FT_SHARED_DIR "/fixtures/chat_templates/golden.jsonl"));
        if (!golden.open(QIODevice::ReadOnly)) QSKIP("../shared/fixtures absent beside the repository");
        QTemporaryDir dir;
        int rendered = 0, raised = 0;
        for (const QByteArray& line : golden.readAll().split('\n')) {
            if (line.isEmpty()) continue;
            const auto c = QJsonDocument::fromJson(line).object();
            const bool expectsError = !c.value(QStringLiteral("expected_error")).isNull();
            if ((expectsError ? raised : rendered) >= 3) continue;  // a few of each through the CLI; the engine test has all
            QFile m(dir.filePath(QStringLiteral("m.json")));
            QVERIFY(m.open(QIODevice::WriteOnly | QIODevice::Truncate));
            m.write(QJsonDocument(c.value(QStringLiteral("messages")).toArray()).toJson());
            m.close();
            QStringList args{QStringLiteral("chat-template"), QStringLiteral("--template"),
                             QStringLiteral(FT_SHARED_DIR "/fixtures/chat_templates/") + c.value(QStringLiteral("template")).toString(),
                             QStringLiteral("--messages"), m.fileName()};
            if (c.value(QStringLiteral("add_generation_prompt")).toBool()) args << QStringLiteral("--add-generation-prompt");
            if (c.value(QStringLiteral("bos_token")).isString()) args << QStringLiteral("--bos-token") << c.value(QStringLiteral("bos_token")).toString();
            if (c.value(QStringLiteral("eos_token")).isString()) args << QStringLiteral("--eos-token") << c.value(QStringLiteral("eos_token")).toString();
            if (c.value(QStringLiteral("tools")).isArray()) continue;
            const auto r = run(args);
            if (expectsError) {
                QCOMPARE(r.code, 2);
                QVERIFY(r.err.contains(c.value(QStringLiteral("expected_error")).toString().toUtf8()));
                ++raised;
            } else {
                QVERIFY2(r.code == 0, r.err.constData());
                QCOMPARE(r.out, c.value(QStringLiteral("expected")).toString().toUtf8());
                ++rendered;
            }
        }
        QVERIFY(rendered == 3 && raised == 3);
    }

    void tokenizeIsSentencePieceEncode() {
        const QString model = QStringLiteral(FT_SHARED_DIR "/fixtures/tokenizers/llama2/tokenizer.model");
        if (!QFile::exists(model)) QSKIP("../shared/fixtures absent beside the repository");
        const auto r = run({QStringLiteral("tokenize"), QStringLiteral("--tokenizer"), model, QStringLiteral("--text"),
                            QStringLiteral("Hello world")});
        QCOMPARE(r.code, 0);
        const auto j = QJsonDocument::fromJson(r.out).object();
        QCOMPARE(j.value(QStringLiteral("ids")).toArray(), QJsonArray({15043, 3186}));
        QCOMPARE(j.value(QStringLiteral("pieces")).toArray(), QJsonArray({QStringLiteral("▁Hello"), QStringLiteral("▁world")}));
    }

    void quantizeReportsCodesAndWrites() {
        // x = [0.2, 1.5, -0.7, 3.9, -2.3, 0.0] as a one-tensor safetensors file, written by hand.
        QTemporaryDir dir;
        const QByteArray header = R"({"x":{"dtype":"F32","shape":[6],"data_offsets":[0,24]}})";
        QByteArray bytes(8, '\0');
        qToLittleEndian<quint64>(quint64(header.size()), bytes.data());
        bytes += header;
        for (float v : {0.2f, 1.5f, -0.7f, 3.9f, -2.3f, 0.0f}) bytes += QByteArray(reinterpret_cast<const char*>(&v), 4);
        QFile f(dir.filePath(QStringLiteral("x.safetensors")));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(bytes);
        f.close();
        const QString out = dir.filePath(QStringLiteral("q.safetensors"));
        const auto r = run({QStringLiteral("quantize"), QStringLiteral("--tensor-file"), f.fileName(), QStringLiteral("--method"),
                            QStringLiteral("int8-sym"), QStringLiteral("--out"), out});
        QVERIFY2(r.code == 0, r.err.constData());
        const auto t = QJsonDocument::fromJson(r.out).object().value(QStringLiteral("tensors")).toArray().at(0).toObject();
        QCOMPARE(t.value(QStringLiteral("q")).toArray(), QJsonArray({7, 49, -23, 127, -75, 0}));
        QVERIFY(std::abs(t.value(QStringLiteral("scale")).toArray().at(0).toDouble() - 0.030708661) < 1e-8);
        QVERIFY(QFileInfo(out).size() > 0);
        const auto bad = run({QStringLiteral("quantize"), QStringLiteral("--tensor-file"), f.fileName(), QStringLiteral("--method"),
                              QStringLiteral("nf4"), QStringLiteral("--blocksize"), QStringLiteral("48")});
        QCOMPARE(bad.code, 1);
        QVERIFY(bad.err.contains("blocksize"));
    }

    void ggufInfoListsTypes() {
        const auto r = run({QStringLiteral("gguf-info"), QStringLiteral(FT_TEST_DATA_DIR "/gguf/reference.gguf")});
        QVERIFY2(r.code == 0, r.err.constData());
        const auto j = QJsonDocument::fromJson(r.out).object();
        QCOMPARE(j.value(QStringLiteral("architecture")).toString(), QStringLiteral("llama"));
        QCOMPARE(j.value(QStringLiteral("version")).toInt(), 3);
        QCOMPARE(j.value(QStringLiteral("tensor_count")).toInt(), 19);
        const auto types = j.value(QStringLiteral("types")).toObject();
        QCOMPARE(types.size(), 13);
        QCOMPARE(types.value(QStringLiteral("Q8_0")).toInt(), 3);
        QCOMPARE(types.value(QStringLiteral("Q4_K")).toInt(), 1);
        const auto bad = run({QStringLiteral("gguf-info"), QStringLiteral(FT_TEST_DATA_DIR "/gguf/reference.safetensors")});
        QCOMPARE(bad.code, 1);
        QVERIFY(bad.err.contains("magic"));
    }

    // models: HOME, HF_HOME and OLLAMA_MODELS pointed at a fake machine; the JSON keys in the documented order.
    void modelsListsTheMachinesModels() {
        QTemporaryDir dir;
        const QDir root(dir.path());
        const QString decoders = QStringLiteral(FT_TEST_DATA_DIR "/decoders/llama2/");
        const QString snapshot = dir.filePath(QStringLiteral("hf/hub/models--Org--Llama2/snapshots/c1"));
        QVERIFY(root.mkpath(snapshot));
        for (const char* f : {"config.json", "model.safetensors"})
            QVERIFY(QFile::copy(decoders + QLatin1String(f), snapshot + QLatin1Char('/') + QLatin1String(f)));
        QFile tok(snapshot + QStringLiteral("/tokenizer.json"));
        QVERIFY(tok.open(QIODevice::WriteOnly));
        tok.write("{}");
        tok.close();
        QVERIFY(root.mkpath(QStringLiteral("hf/hub/datasets--Org--Data/snapshots/c1")));
        const QString ollama = dir.filePath(QStringLiteral("ollama"));
        QVERIFY(root.mkpath(QStringLiteral("ollama/blobs")));
        QVERIFY(root.mkpath(QStringLiteral("ollama/manifests/registry.ollama.ai/library/fixture")));
        QVERIFY(QFile::copy(QStringLiteral(FT_TEST_DATA_DIR "/gguf/reference.gguf"), ollama + QStringLiteral("/blobs/sha256-ab12")));
        QFile manifest(ollama + QStringLiteral("/manifests/registry.ollama.ai/library/fixture/latest"));
        QVERIFY(manifest.open(QIODevice::WriteOnly));
        manifest.write(R"({"layers":[{"mediaType":"application/vnd.ollama.image.model","digest":"sha256:ab12"}]})");
        manifest.close();
        const QString bert = dir.filePath(QStringLiteral("mine/bert"));
        QVERIFY(root.mkpath(QStringLiteral("mine/bert")));
        QVERIFY(QFile::copy(QStringLiteral(FT_TEST_DATA_DIR "/bos/bert/tokenizer.json"), bert + QStringLiteral("/tokenizer.json")));
        QFile config(bert + QStringLiteral("/config.json"));
        QVERIFY(config.open(QIODevice::WriteOnly));
        config.write(R"({"model_type":"bert"})");
        config.close();

        QProcess p;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("HOME"), dir.filePath(QStringLiteral("home")));
        env.insert(QStringLiteral("HF_HOME"), dir.filePath(QStringLiteral("hf")));
        env.remove(QStringLiteral("HF_HUB_CACHE"));
        env.insert(QStringLiteral("OLLAMA_MODELS"), ollama);
        p.setProcessEnvironment(env);
        p.start(QStringLiteral(FT_CLI_PATH), {QStringLiteral("models"), QStringLiteral("--folder"), dir.filePath(QStringLiteral("mine"))});
        QVERIFY(p.waitForFinished(60000));
        QVERIFY2(p.exitCode() == 0, p.readAllStandardError().constData());
        const QJsonArray list = QJsonDocument::fromJson(p.readAllStandardOutput()).array();
        QCOMPARE(list.size(), 3);

        const QJsonObject hf = list.at(0).toObject();
        QCOMPARE(hf.keys().size(), 11);
        QCOMPARE(hf.value(QStringLiteral("name")).toString(), QStringLiteral("Org/Llama2"));
        QCOMPARE(hf.value(QStringLiteral("path")).toString(), snapshot);
        QCOMPARE(hf.value(QStringLiteral("source")).toString(), QStringLiteral("hf-cache"));
        QCOMPARE(hf.value(QStringLiteral("format")).toString(), QStringLiteral("safetensors"));
        QCOMPARE(hf.value(QStringLiteral("architecture")).toString(), QStringLiteral("llama"));
        QCOMPARE(hf.value(QStringLiteral("parameters")).toInteger(), 34976);  // config and weights of decoders/llama2
        QCOMPARE(hf.value(QStringLiteral("quantization")).toString(), QStringLiteral("f32"));
        QCOMPARE(hf.value(QStringLiteral("chat_template")).toBool(), false);
        QCOMPARE(hf.value(QStringLiteral("trainable")).toBool(), true);
        QVERIFY(hf.value(QStringLiteral("why_not")).isNull());
        QCOMPARE(hf.value(QStringLiteral("size_bytes")).toInteger(),
                 QFileInfo(snapshot + QStringLiteral("/config.json")).size() +
                     QFileInfo(snapshot + QStringLiteral("/model.safetensors")).size() + 2);

        const QJsonObject ol = list.at(1).toObject();
        QCOMPARE(ol.value(QStringLiteral("name")).toString(), QStringLiteral("fixture:latest"));
        QCOMPARE(ol.value(QStringLiteral("source")).toString(), QStringLiteral("ollama"));
        QCOMPARE(ol.value(QStringLiteral("format")).toString(), QStringLiteral("gguf"));
        QCOMPARE(ol.value(QStringLiteral("path")).toString(), ollama + QStringLiteral("/blobs/sha256-ab12"));
        QCOMPARE(ol.value(QStringLiteral("architecture")).toString(), QStringLiteral("llama"));
        QCOMPARE(ol.value(QStringLiteral("size_bytes")).toInteger(), QFileInfo(QStringLiteral(FT_TEST_DATA_DIR "/gguf/reference.gguf")).size());

        const QJsonObject b = list.at(2).toObject();
        QCOMPARE(b.value(QStringLiteral("source")).toString(), QStringLiteral("folder"));
        QCOMPARE(b.value(QStringLiteral("trainable")).toBool(), false);
        QCOMPARE(b.value(QStringLiteral("why_not")).toString(), QStringLiteral("architecture 'bert' is not a decoder this app trains"));

        // The keys in the order the issue lists them.
        p.start(QStringLiteral(FT_CLI_PATH), {QStringLiteral("models"), QStringLiteral("--folder"), dir.filePath(QStringLiteral("mine"))});
        QVERIFY(p.waitForFinished(60000));
        const QByteArray raw = p.readAllStandardOutput();
        qsizetype at = 0;
        for (const char* key : {"\"name\"", "\"path\"", "\"source\"", "\"format\"", "\"architecture\"", "\"parameters\"",
                                "\"quantization\"", "\"chat_template\"", "\"trainable\"", "\"why_not\"", "\"size_bytes\""}) {
            const qsizetype next = raw.indexOf(key, at);
            QVERIFY2(next > at || (at == 0 && next > 0), key);
            at = next;
        }
        QCOMPARE(run({QStringLiteral("models"), QStringLiteral("--frob")}).code, 2);
    }

    void badInputSaysWhere() {
        auto r = run({QStringLiteral("train"), QStringLiteral("/nonexistent/project.json")});
        QCOMPARE(r.code, 1);
        QVERIFY(r.err.contains("/nonexistent/project.json"));
        r = run({QStringLiteral("train")});
        QCOMPARE(r.code, 2);
        r = run({QStringLiteral("frobnicate")});
        QCOMPARE(r.code, 2);
    }
};

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"
