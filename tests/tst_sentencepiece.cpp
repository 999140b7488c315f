// SentencePiece through the core's Tokenizer: every golden line of ../shared/fixtures/tokenizers (produced by the
// reference SentencePiece library) must come out identical: ids, pieces and decoded text.

#include "core/text/tokenizer.h"

#include <QFile>
#include <QtTest>
#include <nlohmann/json.hpp>

#include <map>
#include <memory>

class TestSentencePiece : public QObject {
    Q_OBJECT
private:
    std::map<std::string, std::unique_ptr<ft::Tokenizer>> m_tokenizers;

private slots:
    void golden_data() {
        QTest::addColumn<QString>("model");
        QTest::addColumn<QByteArray>("line");
        const QString root = QStringLiteral(FT_SHARED_DIR "/fixtures/tokenizers");
        int rows = 0;
        for (const QString model : {"llama2", "mistral-v3", "kobert"}) {
            QFile f(root + QLatin1Char('/') + model + QStringLiteral("/golden.jsonl"));
            if (!f.open(QIODevice::ReadOnly)) continue;
            int n = 0;
            while (!f.atEnd()) {
                const QByteArray line = f.readLine().trimmed();
                if (line.isEmpty()) continue;
                const auto j = nlohmann::json::parse(line.toStdString());
                QTest::newRow(qPrintable(model + QLatin1Char('/') + QString::fromStdString(j["case"].get<std::string>()) +
                                         QLatin1Char('#') + QString::number(n++)))
                    << model << line;
                ++rows;
            }
        }
        if (rows == 0) QTest::newRow("absent") << QString() << QByteArray();
    }

    void golden() {
        QFETCH(QString, model);
        QFETCH(QByteArray, line);
        if (model.isEmpty()) QSKIP("../shared/fixtures/tokenizers not found beside the repository; golden tests skipped");
        auto& tok = m_tokenizers[model.toStdString()];
        if (!tok) tok = ft::loadSentencePiece(std::string(FT_SHARED_DIR "/fixtures/tokenizers/") + model.toStdString() + "/tokenizer.model");
        const auto j = nlohmann::json::parse(line.toStdString());
        const std::string text = j["text"];
        const ft::Encoding e = tok->encode(text);
        QCOMPARE(e.ids, j["ids"].get<std::vector<int>>());
        QCOMPARE(e.pieces, j["pieces"].get<std::vector<std::string>>());
        QCOMPARE(tok->decode(e.ids), j["decoded"].get<std::string>());
        QCOMPARE(e.offsets.size(), e.ids.size());
    }

    void offsetsCoverTheText() {
        const QString path = QStringLiteral(FT_SHARED_DIR "/fixtures/tokenizers/llama2/tokenizer.model");
        if (!QFile::exists(path)) QSKIP("../shared fixtures absent");
        const auto tok = ft::loadSentencePiece(path.toStdString());
        const std::string text = "안녕하세요. Fine-tune 123!";
        const auto e = tok->encode(text);
        QCOMPARE(e.offsets.front().first, size_t(0));
        QCOMPARE(e.offsets.back().second, text.size());
        for (size_t i = 1; i < e.offsets.size(); ++i) QVERIFY(e.offsets[i].first >= e.offsets[i - 1].first);
    }
};

QTEST_APPLESS_MAIN(TestSentencePiece)
#include "tst_sentencepiece.moc"
