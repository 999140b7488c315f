// The headless face end to end, as a user types it: make-demo, train, info, generate with the trained adapter.

#include <QJsonDocument>
#include <QJsonObject>
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
