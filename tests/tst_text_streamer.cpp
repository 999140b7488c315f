// Streaming generated tokens as text: characters whose UTF-8 bytes span several tokens (Korean, CJK, emoji under
// byte-level BPE or SentencePiece byte fallback) must not cut the stream short. Fed one token at a time, the printed
// pieces hold no U+FFFD of a half character and concatenate to exactly the full decode.

#include "core/demo/demo.h"
#include "core/model/model_folder.h"
#include "core/text/bpe_tokenizer.h"
#include "core/text/text_streamer.h"
#include "core/text/tokenizer.h"

#include <QTemporaryDir>
#include <QtTest>

namespace {

const std::string kReplacement = "\xEF\xBF\xBD";
const std::string kText = "안녕하세요, 세계! 오늘은 😀👍🏽 漢字 and ok.\n둘째 줄 🎉";

} // namespace

class TestTextStreamer : public QObject {
    Q_OBJECT
  private:
    std::unique_ptr<ft::Tokenizer> m_sentencePiece;
    QTemporaryDir m_demo;

    const ft::Tokenizer& tokenizer(const QString& name) {
        static std::map<QString, std::unique_ptr<ft::Tokenizer>> bpe;
        if (name == QLatin1String("demo-sentencepiece")) {
            if (!m_sentencePiece) {
                // The demo model: a SentencePiece BPE with byte fallback, trained on Korean/English text.
                ft::makeDemo(m_demo.path().toStdString());
                m_sentencePiece = ft::loadSentencePiece(ft::openModelFolder(m_demo.path().toStdString() + "/model").tokenizerFile);
            }
            return *m_sentencePiece;
        }
        auto& t = bpe[name];
        if (!t) t = ft::loadTokenizerJson(std::string(FT_TEST_DATA_DIR "/bpe/") + name.toStdString() + "/tokenizer.json");
        return *t;
    }

  private slots:
    void streamsWholeCharacters_data() {
        QTest::addColumn<QString>("tokenizer");
        for (const char* t : {"llama3-style", "qwen2-style", "gpt2-flags", "demo-sentencepiece"})
            QTest::newRow(t) << QString::fromLatin1(t);
    }

    void streamsWholeCharacters() {
        QFETCH(QString, tokenizer);
        const ft::Tokenizer& tok = this->tokenizer(tokenizer);
        const std::vector<int> ids = tok.encode(kText).ids;
        const std::string full = tok.decode(ids);

        // The case matters only where some character's bytes are split over tokens.
        bool split = false;
        for (size_t n = 1; n < ids.size() && !split; ++n)
            split = tok.decode({ids.begin(), ids.begin() + long(n)}).find(kReplacement) != std::string::npos;
        QVERIFY2(split, "no prefix of the ids ends inside a character");

        ft::TextStreamer streamer([&](const std::vector<int>& t) { return tok.decode(t); });
        std::string printed;
        for (int id : ids) {
            streamer.put(id);
            const std::string piece = streamer.take();
            QVERIFY2(piece.find(kReplacement) == std::string::npos, piece.c_str());
            printed += piece;
        }
        printed += streamer.end();
        QCOMPARE(QString::fromStdString(printed), QString::fromStdString(full));
        QCOMPARE(streamer.text(), full);
    }

    void endShowsAnIncompleteTail() {
        // An answer that ends inside a character: end() hands out the tail as the tokenizer decodes it.
        const ft::Tokenizer& tok = tokenizer(QStringLiteral("llama3-style"));
        const std::vector<int> ids = tok.encode("ok 😀").ids;
        ft::TextStreamer streamer([&](const std::vector<int>& t) { return tok.decode(t); });
        std::string printed;
        for (size_t i = 0; i + 1 < ids.size(); ++i) {
            streamer.put(ids[i]);
            printed += streamer.take();
        }
        printed += streamer.end();
        QCOMPARE(printed, tok.decode({ids.begin(), ids.end() - 1}));
        QVERIFY(printed.size() >= kReplacement.size());
        QCOMPARE(printed.substr(printed.size() - kReplacement.size()), kReplacement);
    }

    void cutAtStopString() {
        const ft::Tokenizer& tok = tokenizer(QStringLiteral("qwen2-style"));
        const std::string text = "답: 네 😀|더";   // a one-character stop string arrives within one token
        ft::TextStreamer streamer([&](const std::vector<int>& t) { return tok.decode(t); });
        std::string printed;
        for (int id : tok.encode(text).ids) {
            streamer.put(id);
            if (const auto at = streamer.text().find('|'); at != std::string::npos) {
                streamer.cutAt(at);
                printed += streamer.end();
                break;
            }
            printed += streamer.take();
        }
        QCOMPARE(printed, std::string("답: 네 😀"));
    }
};

QTEST_GUILESS_MAIN(TestTextStreamer)
#include "tst_text_streamer.moc"
