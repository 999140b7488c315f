// Whether BOS / EOS go around a text, against transformers' AutoTokenizer(text)["input_ids"] for each
// post-processor kind of a tokenizer.json and for SentencePiece folders' tokenizer_config.json
// (tests/data/bos/, made by tests/data/make_bos_fixtures.py).

#include "core/data/dataset.h"
#include "core/train/example_encoder.h"
#include "core/model/model_folder.h"
#include "core/text/tokenizer.h"

#include <QDir>
#include <algorithm>
#include <QTemporaryDir>
#include <QtTest>
#include <fstream>
#include <nlohmann/json.hpp>

namespace fs = std::filesystem;

namespace {

const fs::path kBosDir = FT_TEST_DATA_DIR "/bos";

QString idsText(const std::vector<int>& ids) {
    QStringList out;
    for (int id : ids) out << QString::number(id);
    return out.join(QLatin1Char(' '));
}

nlohmann::json readJson(const fs::path& p) {
    std::ifstream in(p);
    return nlohmann::json::parse(in);
}

// A model folder: the case's tokenizer files and tokenizer_config.json beside a small Llama config.json.
fs::path makeFolder(const QTemporaryDir& tmp, const std::string& name, const std::string& as = {}) {
    const fs::path dir = fs::path(tmp.path().toStdString()) / (as.empty() ? name : as);
    fs::create_directories(dir);
    for (const auto& e : fs::directory_iterator(kBosDir / name))
        if (e.path().filename() != "expected.json") fs::copy_file(e.path(), dir / e.path().filename());
    fs::copy_file(FT_TEST_DATA_DIR "/decoders/llama3/config.json", dir / "config.json");
    return dir;
}

} // namespace

class TestBos : public QObject {
    Q_OBJECT
    QTemporaryDir m_tmp;

  private slots:
    void matchesTransformers_data() {
        QTest::addColumn<QString>("name");
        int cases = 0;
        for (const auto& e : fs::directory_iterator(kBosDir))
            if (e.is_directory()) {
                QTest::newRow(e.path().filename().string().c_str()) << QString::fromStdString(e.path().filename().string());
                ++cases;
            }
        QVERIFY(cases >= 15);
    }

    void matchesTransformers() {
        QFETCH(QString, name);
        const auto expected = readJson(kBosDir / name.toStdString() / "expected.json");
        const ft::ModelFolder folder = ft::openModelFolder(makeFolder(m_tmp, name.toStdString()));
        const ft::ModelTokenizer tok(folder);
        for (size_t i = 0; i < expected["texts"].size(); ++i) {
            const std::string text = expected["texts"][i];
            const auto want = expected["ids"][i].get<std::vector<int>>();
            const auto plain = expected["ids_without_special_tokens"][i].get<std::vector<int>>();
            // What transformers put around its own encode of the text.
            QVERIFY(want.size() >= plain.size());
            size_t at = 0;
            while (at + plain.size() <= want.size() && !std::equal(plain.begin(), plain.end(), want.begin() + long(at))) ++at;
            QVERIFY2(at + plain.size() <= want.size(), "the plain ids are not inside the ids with special tokens");
            std::vector<int> around(want.begin(), want.begin() + long(at));
            const std::vector<int> ours = tok.encode(text).ids;
            around.insert(around.end(), ours.begin(), ours.end());
            around.insert(around.end(), want.begin() + long(at + plain.size()), want.end());
            QCOMPARE(idsText(tok.encodeWithSpecialTokens(text)), idsText(around));
            // A leading space included: transformers' Metaspace prepends no "▁" before one (Tokenizer::encodeSegment).
            QCOMPARE(idsText(ours), idsText(plain));
            // The flags the other callers read (the chat window, the prompt-tuning init) say the same.
            const size_t added = want.size() - plain.size();
            QCOMPARE(int(folder.addBosToken) + int(folder.addEosToken), int(added));
            if (folder.addBosToken) QCOMPARE(tok.bosId(), want.front());
            if (folder.addEosToken) QCOMPARE(tok.eosId(), want.back());
        }
    }

    void rawTextBlocksFollowTheTokenizer() {
        // Base FT: each document is tokenizer(text) then one EOS; no BOS for a SmolLM2-style folder, Llama 3's
        // <|begin_of_text|> for its template, and no second EOS where the tokenizer puts one.
        for (const char* name : {"smollm2-bytelevel", "llama3", "bos-eos-template"}) {
            const auto expected = readJson(kBosDir / name / "expected.json");
            const ft::ModelFolder folder = ft::openModelFolder(makeFolder(m_tmp, name, std::string("raw-") + name));
            const ft::ExampleEncoder encoder(folder);
            ft::Example ex;
            ex.text = expected["texts"][0];
            auto want = expected["ids"][0].get<std::vector<int>>();
            if (!folder.addEosToken) want.push_back(encoder.tokenizer().eosId());
            const auto blocks = encoder.encodeRawText({ex}, int(want.size()));
            QCOMPARE(blocks.size(), size_t(1));
            QCOMPARE(idsText(blocks[0].ids), idsText(want));
        }
    }
};

QTEST_GUILESS_MAIN(TestBos)
#include "tst_bos.moc"
