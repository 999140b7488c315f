// ftstudio-cli pull against tests/fake_hub.py (the Hub's API, /resolve with ETags, LFS bodies behind a 302 to another
// host, Range, dropped connections, 401, 404): the cache it fills, what it asks for, and what it says when it fails.
// sameTreeAsHuggingfaceHub checks that huggingface_hub's own snapshot_download, against the same server, makes the
// same cache, so the fake server and our client both speak the real protocol, and that each uses the other's cache.

#include "fake_hub_process.h"

#include "core/hub/hub_api.h"

#include <QCryptographicHash>
#include <QDirIterator>
#include <QFileInfo>
#include <QtTest>
#include <unistd.h>

namespace {

const QString kRepo = QStringLiteral("tiny-org/tiny-llama");
const QString kRepoFolder = QStringLiteral("models--tiny-org--tiny-llama");
const QString kShard2 = QStringLiteral("model-00002-of-00003.safetensors");
const QStringList kTrainingFiles{
    "config.json", "generation_config.json", "tokenizer.json", "tokenizer_config.json", "chat_template.jinja",
    "model.safetensors.index.json", "model-00001-of-00003.safetensors", "model-00002-of-00003.safetensors",
    "model-00003-of-00003.safetensors"};

struct Result {
    int code = -1;
    QString out, err;
    QString lastLine() const { return out.trimmed().split(QLatin1Char('\n')).last(); }
};

Result pull(const FakeHubProcess& hub, const QStringList& args, const QProcessEnvironment& env) {
    QProcess p;
    p.setProcessEnvironment(env);
    p.start(QStringLiteral(FT_CLI_PATH), QStringList{QStringLiteral("pull")} + args);
    Result r;
    if (!p.waitForFinished(120000)) return r;
    r.code = p.exitCode();
    r.out = QString::fromUtf8(p.readAllStandardOutput());
    r.err = QString::fromUtf8(p.readAllStandardError());
    return r;
}

QByteArray readFile(const QString& path) {
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

QByteArray sha256(const QByteArray& data) { return QCryptographicHash::hash(data, QCryptographicHash::Sha256).toHex(); }
QByteArray gitBlobSha1(const QByteArray& data) {
    return QCryptographicHash::hash("blob " + QByteArray::number(data.size()) + '\0' + data, QCryptographicHash::Sha1)
        .toHex();
}
QByteArray fixture(const QString& name) {
    return readFile(QStringLiteral(FT_TEST_DATA_DIR "/decoders/llama_sharded/") + name);
}

// The relative target a snapshot link holds, as readlink(2) gives it.
QString linkText(const QString& path) {
    char buf[4096];
    const ssize_t n = ::readlink(QFile::encodeName(path).constData(), buf, sizeof buf);
    return n < 0 ? QString() : QString::fromLocal8Bit(buf, n);
}

// A cache folder as "path -> what it is": a symlink's target, a file's sha256; "trees/" (huggingface_hub 2.x's
// listing cache) left out.
QMap<QString, QString> cacheTree(const QString& repoFolder) {
    QMap<QString, QString> tree;
    QDirIterator it(repoFolder, QDir::AllEntries | QDir::NoDotAndDotDot | QDir::System | QDir::Hidden,
                    QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = it.next();
        const QString rel = QDir(repoFolder).relativeFilePath(path);
        if (rel.startsWith(QLatin1String("trees"))) continue;
        const QFileInfo info(path);
        if (info.isSymLink()) tree[rel] = QStringLiteral("-> ") + linkText(path);
        else if (info.isFile()) tree[rel] = QString::fromLatin1(sha256(readFile(path)));
        else tree[rel] = QStringLiteral("dir");
    }
    return tree;
}

QList<QJsonObject> cdnGets(const FakeHubProcess& hub) {
    QList<QJsonObject> list;
    for (const auto& r : hub.requests())
        if (r[QStringLiteral("server")] == QStringLiteral("cdn") &&
            r[QStringLiteral("method")] == QStringLiteral("GET"))
            list << r;
    return list;
}

} // namespace

class TestHub : public QObject {
    Q_OBJECT
private slots:
    void repoSpecs_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("repo");
        QTest::addColumn<QString>("revision");
        QTest::newRow("org/name") << "Qwen/Qwen2.5-0.5B" << "Qwen/Qwen2.5-0.5B" << "main";
        QTest::newRow("with revision") << "org/name@v1.0" << "org/name" << "v1.0";
        QTest::newRow("pr ref") << "org/name@refs/pr/1" << "org/name" << "refs/pr/1";
        QTest::newRow("no org") << "gpt2" << "gpt2" << "main";
        QTest::newRow("double dash") << "org/na--me" << "" << "";
        QTest::newRow("two slashes") << "a/b/c" << "" << "";
        QTest::newRow("empty revision") << "org/name@" << "" << "";
        QTest::newRow("space") << "org/my model" << "" << "";
        QTest::newRow("path escape") << "org/name@../../x" << "" << "";
        QTest::newRow("dot revision") << "org/name@refs/./x" << "" << "";
        QTest::newRow("empty component") << "org/name@refs//x" << "" << "";
        QTest::newRow("trailing slash") << "org/name@v1/" << "" << "";
        QTest::newRow("dots inside a name") << "org/name@v1..2" << "org/name" << "v1..2";
    }
    void repoSpecs() {
        QFETCH(QString, text);
        QFETCH(QString, repo);
        QFETCH(QString, revision);
        const auto spec = ft::hub::parseRepoSpec(text.toStdString());
        QCOMPARE(spec.has_value(), !repo.isEmpty());
        if (!spec) return;
        QCOMPARE(QString::fromStdString(spec->repo), repo);
        QCOMPARE(QString::fromStdString(spec->revision), revision);
    }

    void trainingFilesOnly() {
        // A repo with both shard sets and extras: the index and its shards, never consolidated.* or *.bin.
        const std::vector<std::string> files{"README.md", "config.json", "consolidated.safetensors",
                                             "model-00001-of-00002.safetensors", "model-00002-of-00002.safetensors",
                                             "model.safetensors.index.json", "onnx/model.onnx", "pytorch_model.bin",
                                             "tokenizer.model", "tokenizer_config.json", "original/params.json"};
        const std::vector<std::string> want{"config.json", "tokenizer.model", "tokenizer_config.json",
                                            "model.safetensors.index.json", "model-00001-of-00002.safetensors",
                                            "model-00002-of-00002.safetensors"};
        QVERIFY(ft::hub::trainingFiles(files) == want);
        QVERIFY(!ft::hub::hasSafetensors({"config.json", "pytorch_model.bin"}));
    }

    void pullFillsCacheLayout() {
        FakeHubProcess hub;
        QVERIFY(hub.ok());
        QTemporaryDir cache;
        const Result r = pull(hub, {kRepo, QStringLiteral("--cache"), cache.path()}, hub.environment());
        QVERIFY2(r.code == 0, qPrintable(r.err));

        const QString root = cache.filePath(kRepoFolder);
        const QString commit = QString::fromLatin1(readFile(root + QStringLiteral("/refs/main")));
        QVERIFY(ft::hub::isCommitHash(commit.toStdString()));  // the bare hash, no newline
        const QString snapshot = root + QStringLiteral("/snapshots/") + commit;
        QCOMPARE(r.lastLine(), snapshot);
        QVERIFY(QFileInfo(r.lastLine()).isAbsolute());

        // Exactly the training files, each a relative link to its blob, the blob named by its ETag.
        QStringList inSnapshot = QDir(snapshot).entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::System);
        QStringList want = kTrainingFiles;
        inSnapshot.sort();
        want.sort();
        QCOMPARE(inSnapshot, want);
        QStringList blobs;
        for (const QString& file : kTrainingFiles) {
            const QString link = snapshot + QLatin1Char('/') + file;
            QVERIFY2(QFileInfo(link).isSymLink(), qPrintable(file));
            const QByteArray content = readFile(link);
            const bool lfs = file.endsWith(QLatin1String(".safetensors"));
            const QByteArray etag = lfs ? sha256(content) : gitBlobSha1(content);
            QCOMPARE(linkText(link), QStringLiteral("../../blobs/") + QString::fromLatin1(etag));
            if (file != QLatin1String("tokenizer_config.json") && file != QLatin1String("chat_template.jinja") &&
                file != QLatin1String("tokenizer.json"))
                QCOMPARE(content, fixture(file));
            blobs << QString::fromLatin1(etag);
        }
        QStringList onDisk = QDir(root + QStringLiteral("/blobs")).entryList(QDir::Files);
        onDisk.sort();
        blobs.sort();
        QCOMPARE(onDisk, blobs);  // no .incomplete left, nothing else fetched

        // README.md, pytorch_model.bin and onnx/ stay on the Hub: never asked for. The token went nowhere.
        for (const auto& req : hub.requests()) {
            const QString path = req[QStringLiteral("path")].toString();
            QVERIFY2(!path.contains(QLatin1String("README")) && !path.contains(QLatin1String(".bin")) &&
                         !path.contains(QLatin1String("onnx")), qPrintable(path));
            QVERIFY(req[QStringLiteral("authorization")].isNull());
        }
        QCOMPARE(cdnGets(hub).size(), 3);  // the three LFS shards, through the 302
    }

    void secondPullDownloadsNothing() {
        FakeHubProcess hub;
        QVERIFY(hub.ok());
        QTemporaryDir cache;
        const QStringList args{kRepo, QStringLiteral("--cache"), cache.path()};
        QCOMPARE(pull(hub, args, hub.environment()).code, 0);
        hub.clearLog();
        const Result r = pull(hub, args, hub.environment());
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QVERIFY(r.err.contains(QLatin1String("0 downloaded")));
        const auto requests = hub.requests();
        QCOMPARE(requests.size(), 1);  // only the API call that resolves main to its commit
        QVERIFY(requests[0][QStringLiteral("path")].toString().startsWith(QLatin1String("/api/models/")));
    }

    void resumeAfterDroppedConnection() {
        FakeHubProcess hub({QStringLiteral("--drop-once"), kShard2});
        QVERIFY(hub.ok());
        QTemporaryDir cache;
        const QStringList args{kRepo, QStringLiteral("--cache"), cache.path()};
        Result r = pull(hub, args, hub.environment());
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains(QLatin1String("interrupted")) && r.err.contains(QLatin1String("again to resume")),
                 qPrintable(r.err));
        const QByteArray whole = fixture(kShard2);
        const QString blob =
            cache.filePath(kRepoFolder + QStringLiteral("/blobs/")) + QString::fromLatin1(sha256(whole));
        const qint64 half = whole.size() / 2;
        QCOMPARE(QFileInfo(blob + QStringLiteral(".incomplete")).size(), half);  // what came before the cut is kept
        QVERIFY(!QFile::exists(blob));
        QVERIFY(!QFileInfo::exists(cache.filePath(kRepoFolder) + QStringLiteral("/refs/main")));

        hub.clearLog();
        r = pull(hub, args, hub.environment());
        QVERIFY2(r.code == 0, qPrintable(r.err));
        const auto gets = cdnGets(hub);
        QCOMPARE(gets.size(), 2);  // the rest of the cut shard, then the shard after it
        QCOMPARE(gets[0][QStringLiteral("range")].toString(), QStringLiteral("bytes=%1-").arg(half));
        QCOMPARE(gets[0][QStringLiteral("status")].toInt(), 206);
        QCOMPARE(gets[0][QStringLiteral("sent")].toInteger(), whole.size() - half);  // nothing sent twice
        QCOMPARE(readFile(blob), whole);
        QVERIFY(!QFile::exists(blob + QStringLiteral(".incomplete")));
        qInfo("resume: %lld of %lld bytes came before the cut; the second pull asked for the remaining %lld",
              half, qint64(whole.size()), whole.size() - half);
    }

    void wholePartNeedsNoRequest() {
        // A run stopped between the last byte and the rename: the part is checked and renamed, nothing fetched.
        FakeHubProcess hub;
        QVERIFY(hub.ok());
        QTemporaryDir cache;
        const QByteArray whole = fixture(kShard2);
        const QString blob =
            cache.filePath(kRepoFolder + QStringLiteral("/blobs/")) + QString::fromLatin1(sha256(whole));
        QVERIFY(QDir().mkpath(QFileInfo(blob).path()));
        QFile part(blob + QStringLiteral(".incomplete"));
        QVERIFY(part.open(QIODevice::WriteOnly));
        part.write(whole);
        part.close();
        const Result r = pull(hub, {kRepo, QStringLiteral("--cache"), cache.path()}, hub.environment());
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QCOMPARE(readFile(blob), whole);
        QCOMPARE(cdnGets(hub).size(), 2);  // shards 1 and 3 only
        for (const auto& get : cdnGets(hub)) QVERIFY(!get[QStringLiteral("path")].toString().contains(kShard2));
    }

    void corruptBodyRefused() {
        const QString shard1 = QStringLiteral("model-00001-of-00003.safetensors");
        FakeHubProcess hub({QStringLiteral("--corrupt"), shard1});
        QVERIFY(hub.ok());
        QTemporaryDir cache;
        const Result r = pull(hub, {kRepo, QStringLiteral("--cache"), cache.path()}, hub.environment());
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains(shard1 + QStringLiteral(" arrived corrupted")) &&
                     r.err.contains(QLatin1String("sha256")),
                 qPrintable(r.err));
        const QString blobs = cache.filePath(kRepoFolder + QStringLiteral("/blobs/"));
        const QString sha = QString::fromLatin1(sha256(fixture(shard1)));
        QVERIFY(!QFile::exists(blobs + sha));
        QVERIFY(!QFile::exists(blobs + sha + QStringLiteral(".incomplete")));
        QDirIterator it(cache.filePath(kRepoFolder + QStringLiteral("/snapshots")), QDir::AllEntries | QDir::System,
                        QDirIterator::Subdirectories);
        while (it.hasNext()) QVERIFY2(!it.next().endsWith(shard1), "a corrupted file was linked into the snapshot");
    }

    void gatedAndUnknownRepos() {
        FakeHubProcess hub;
        QVERIFY(hub.ok());
        QTemporaryDir cache;
        Result r = pull(hub, {QStringLiteral("tiny-org/gated"), QStringLiteral("--cache"), cache.path()},
                        hub.environment());
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains(QLatin1String("tiny-org/gated is gated or private and no token was sent")) &&
                     r.err.contains(QLatin1String("HF_TOKEN")) &&
                     r.err.contains(QLatin1String("huggingface-cli login")),
                 qPrintable(r.err));

        r = pull(hub, {QStringLiteral("tiny-org/no-such-model"), QStringLiteral("--cache"), cache.path()},
                 hub.environment());
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains(QLatin1String("No repo tiny-org/no-such-model on ")) &&
                     r.err.contains(QLatin1String("Check the spelling")), qPrintable(r.err));

        r = pull(hub, {kRepo + QStringLiteral("@no-such-branch"), QStringLiteral("--cache"), cache.path()},
                 hub.environment());
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains(QLatin1String("has no revision 'no-such-branch'")), qPrintable(r.err));

        QProcessEnvironment env = hub.environment();
        env.insert(QStringLiteral("HF_ENDPOINT"), QStringLiteral("http://127.0.0.1:1"));
        r = pull(hub, {kRepo, QStringLiteral("--cache"), cache.path()}, env);
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains(QLatin1String("Could not reach http://127.0.0.1:1")) &&
                     r.err.contains(QLatin1String("HF_HUB_OFFLINE=1")), qPrintable(r.err));
    }

    void tokenFromEnvironmentAndFile() {
        FakeHubProcess hub;
        QVERIFY(hub.ok());
        QTemporaryDir cache;
        const QStringList args{QStringLiteral("tiny-org/gated"), QStringLiteral("--cache"), cache.path()};
        QProcessEnvironment env = hub.environment();
        env.insert(QStringLiteral("HF_TOKEN"), QStringLiteral("hf_fake_token"));
        Result r = pull(hub, args, env);
        QVERIFY2(r.code == 0, qPrintable(r.err));
        int toHub = 0;
        for (const auto& req : hub.requests()) {
            if (req[QStringLiteral("server")] == QStringLiteral("hub")) {
                QCOMPARE(req[QStringLiteral("authorization")].toString(), QStringLiteral("Bearer hf_fake_token"));
                ++toHub;
            } else {
                QVERIFY(req[QStringLiteral("authorization")].isNull());  // never to the storage behind the 302
            }
        }
        QVERIFY(toHub > 1);

        // HF_TOKEN unset: the token file under HF_HOME (as `huggingface-cli login` writes it), in a fresh cache.
        QDir().mkpath(hub.home());
        QFile token(hub.home() + QStringLiteral("/token"));
        QVERIFY(token.open(QIODevice::WriteOnly));
        token.write("hf_fake_token\n");
        token.close();
        QTemporaryDir cache2;
        r = pull(hub, {QStringLiteral("tiny-org/gated"), QStringLiteral("--cache"), cache2.path()}, hub.environment());
        QVERIFY2(r.code == 0, qPrintable(r.err));
    }

    void offlineUsesTheCache() {
        FakeHubProcess hub;
        QVERIFY(hub.ok());
        QTemporaryDir cache;
        QProcessEnvironment env = hub.environment();
        env.insert(QStringLiteral("HF_HUB_CACHE"), cache.path());  // the cache by environment this time
        const Result online = pull(hub, {kRepo}, env);
        QVERIFY2(online.code == 0, qPrintable(online.err));

        hub.clearLog();
        env.insert(QStringLiteral("HF_HUB_OFFLINE"), QStringLiteral("1"));
        Result r = pull(hub, {kRepo}, env);
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QCOMPARE(r.lastLine(), online.lastLine());
        QVERIFY(hub.requests().isEmpty());

        r = pull(hub, {kRepo + QStringLiteral("@v1.0")}, env);  // never pulled: no refs/v1.0
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains(QLatin1String("HF_HUB_OFFLINE is set")) &&
                     r.err.contains(QLatin1String("does not hold tiny-org/tiny-llama@v1.0")), qPrintable(r.err));
        QVERIFY(hub.requests().isEmpty());
    }

    void sameTreeAsHuggingfaceHub() {
        const QString python = QStringLiteral(FT_HUB_PYTHON);
        QProcess probe;
        probe.start(python, {QStringLiteral("-c"),
                             QStringLiteral("import huggingface_hub; print(huggingface_hub.__version__)")});
        if (!probe.waitForFinished(60000) || probe.exitCode() != 0)
            QSKIP(qPrintable(QStringLiteral("huggingface_hub is not importable from ") + python +
                             QStringLiteral(" (packaging/setup.sh installs it)")));
        qInfo("huggingface_hub %s", probe.readAllStandardOutput().trimmed().constData());

        FakeHubProcess hub;
        QVERIFY(hub.ok());
        QTemporaryDir ours, theirs;
        const Result r = pull(hub, {kRepo, QStringLiteral("--cache"), ours.path()}, hub.environment());
        QVERIFY2(r.code == 0, qPrintable(r.err));

        QProcess py;
        py.setProcessEnvironment(hub.environment());
        const QString script = QStringLiteral(
            "import sys, huggingface_hub as h\n"
            "print(h.snapshot_download(sys.argv[1], revision='main', cache_dir=sys.argv[2],\n"
            "                          allow_patterns=sys.argv[3:]))");
        py.start(python, QStringList{QStringLiteral("-c"), script, kRepo, theirs.path()} + kTrainingFiles);
        QVERIFY(py.waitForFinished(120000));
        QVERIFY2(py.exitCode() == 0, py.readAllStandardError().constData());
        const QString theirSnapshot = QString::fromUtf8(py.readAllStandardOutput()).trimmed();
        QCOMPARE(QDir(theirs.path()).relativeFilePath(theirSnapshot), QDir(ours.path()).relativeFilePath(r.lastLine()));

        // Same blob names and contents, same relative link targets, same refs.
        const auto a = cacheTree(ours.filePath(kRepoFolder)), b = cacheTree(theirs.filePath(kRepoFolder));
        QCOMPARE(a.keys(), b.keys());
        for (auto it = a.begin(); it != a.end(); ++it) QCOMPARE(it.value(), b.value(it.key()));
        QVERIFY(a.size() >= 2 * kTrainingFiles.size() + 1);

        // Each finds what the other fetched: huggingface_hub offline in our cache, our pull in theirs (no download).
        QProcess offline;
        QProcessEnvironment env = hub.environment();
        env.insert(QStringLiteral("HF_HUB_OFFLINE"), QStringLiteral("1"));
        offline.setProcessEnvironment(env);
        offline.start(python, QStringList{QStringLiteral("-c"), script, kRepo, ours.path()} + kTrainingFiles);
        QVERIFY(offline.waitForFinished(120000));
        QVERIFY2(offline.exitCode() == 0, offline.readAllStandardError().constData());
        QCOMPARE(QString::fromUtf8(offline.readAllStandardOutput()).trimmed(), r.lastLine());

        hub.clearLog();
        const Result again = pull(hub, {kRepo, QStringLiteral("--cache"), theirs.path()}, hub.environment());
        QVERIFY2(again.code == 0, qPrintable(again.err));
        QCOMPARE(again.lastLine(), theirSnapshot);
        QCOMPARE(hub.requests().size(), 1);  // the API call only
    }
};

QTEST_GUILESS_MAIN(TestHub)
#include "tst_hub.moc"
