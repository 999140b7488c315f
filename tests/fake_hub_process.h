#pragma once
// tests/fake_hub.py in a child process, for the tests of Hub downloads: its ports, its request log, and a clean
// environment (no HF_TOKEN, HF_HOME or cache of the machine's user leaks into a test).

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QProcessEnvironment>
#include <QStandardPaths>
#include <QTemporaryDir>

class FakeHubProcess {
public:
    // Extra arguments: "--drop-once FILE", "--corrupt FILE", "--slow BPS", "--token T".
    explicit FakeHubProcess(const QStringList& extra = {}) {
        m_log = m_dir.filePath(QStringLiteral("requests.jsonl"));
        const QString python = QStandardPaths::findExecutable(QStringLiteral("python3"));
        m_process.start(python, QStringList{QStringLiteral(FT_SOURCE_DIR "/tests/fake_hub.py"), QStringLiteral("--log"),
                                            m_log, QStringLiteral("--lifetime"), QStringLiteral("300")} + extra);
        if (!m_process.waitForStarted(10000)) return;
        while (!m_process.canReadLine() && m_process.waitForReadyRead(20000)) {}
        const QList<QByteArray> ports = m_process.readLine().trimmed().split(' ');
        if (ports.size() == 2) m_endpoint = QStringLiteral("http://127.0.0.1:") + QString::fromLatin1(ports[0]);
        else qWarning("fake_hub.py did not start: %s", m_process.readAllStandardError().constData());
    }
    ~FakeHubProcess() {
        m_process.kill();
        m_process.waitForFinished(5000);
    }

    bool ok() const { return !m_endpoint.isEmpty(); }
    QString endpoint() const { return m_endpoint; }
    QString home() const { return m_dir.filePath(QStringLiteral("hf-home")); }  // HF_HOME: holds no token

    // The process environment a download should see: this hub, an empty HF_HOME, no token, online.
    QProcessEnvironment environment() const {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        for (const char* name : {"HF_TOKEN", "HUGGING_FACE_HUB_TOKEN", "HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE",
                                 "HF_HUB_CACHE", "HUGGINGFACE_HUB_CACHE", "HF_TOKEN_PATH", "XDG_CACHE_HOME"})
            env.remove(QString::fromLatin1(name));
        env.insert(QStringLiteral("HF_ENDPOINT"), m_endpoint);
        env.insert(QStringLiteral("HF_HOME"), home());
        env.insert(QStringLiteral("HF_HUB_DISABLE_TELEMETRY"), QStringLiteral("1"));
        return env;
    }

    // Every request so far, oldest first: server ("hub" or "cdn"), method, path, status, range, authorization, sent.
    QList<QJsonObject> requests() const {
        QList<QJsonObject> list;
        QFile f(m_log);
        if (!f.open(QIODevice::ReadOnly)) return list;
        for (const QByteArray& line : f.readAll().split('\n'))
            if (!line.isEmpty()) list << QJsonDocument::fromJson(line).object();
        return list;
    }
    void clearLog() { QFile::remove(m_log); }

private:
    QTemporaryDir m_dir;
    QString m_log;
    QProcess m_process;
    QString m_endpoint;
};
