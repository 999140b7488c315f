// Preference rows in tokens, against TRL 1.16.0's own dataset preparation (tests/data/preference/tokenization.json,
// made by tests/data/make_preference_tokenization_fixtures.py): DPOTrainer's and KTOTrainer's _prepare_dataset and
// the experimental ORPOTrainer's tokenize_row, on four tokenizer kinds with a chat template each. The rows go through
// our dataset reader first, as a user's file does.

#include "core/common/error.h"
#include "core/data/dataset.h"
#include "core/model/model_folder.h"
#include "core/train/example_encoder.h"

#include <QTemporaryDir>
#include <QtTest>
#include <fstream>
#include <nlohmann/json.hpp>

namespace fs = std::filesystem;

namespace {

const fs::path kData = FT_TEST_DATA_DIR;

nlohmann::json readJson(const fs::path& p) {
    std::ifstream in(p);
    return nlohmann::json::parse(in);
}

// The case's tokenizer (tests/data/bos/<name>) with the chat template the case was made with, beside a Llama config.
fs::path makeFolder(const fs::path& root, const nlohmann::json& c, int index) {
    const fs::path dir = root / ("case-" + std::to_string(index));
    fs::create_directories(dir);
    const fs::path src = kData / "bos" / c["tokenizer"].get<std::string>();
    for (const auto& e : fs::directory_iterator(src))
        if (e.path().filename() != "expected.json") fs::copy_file(e.path(), dir / e.path().filename());
    nlohmann::json config = readJson(dir / "tokenizer_config.json");
    config["chat_template"] = c["chat_template"];
    std::ofstream(dir / "tokenizer_config.json") << config.dump();
    fs::copy_file(kData / "decoders/llama3/config.json", dir / "config.json");
    return dir;
}

fs::path writeRows(const fs::path& dir, const nlohmann::json& rows) {
    const fs::path file = dir / "rows.jsonl";
    std::ofstream out(file);
    for (const auto& r : rows) out << r.dump() << "\n";
    return file;
}

QString idsText(const std::vector<int>& ids) {
    QStringList out;
    for (int id : ids) out << QString::number(id);
    return out.join(QLatin1Char(' '));
}

std::vector<int> idsOf(const nlohmann::json& j) { return j.get<std::vector<int>>(); }

// One row against TRL's: the whole sequences and where each answer starts.
void compareRow(const ft::TokenizedPreference& ours, const nlohmann::json& want, const QString& where) {
    QVERIFY2(ours.chosen == idsOf(want["chosen"]),
             qPrintable(where + ": chosen\n ours " + idsText(ours.chosen) + "\n  TRL " + idsText(idsOf(want["chosen"]))));
    QCOMPARE(ours.chosenPrompt, want["chosen_prompt"].get<int>());
    if (want.contains("rejected")) {
        QVERIFY2(ours.rejected == idsOf(want["rejected"]), qPrintable(where + ": rejected\n ours " + idsText(ours.rejected) +
                                                                       "\n  TRL " + idsText(idsOf(want["rejected"]))));
        QCOMPARE(ours.rejectedPrompt, want["rejected_prompt"].get<int>());
    } else {
        QVERIFY(ours.rejected.empty());
        QVERIFY(ours.desirable.has_value());
        QCOMPARE(*ours.desirable, want["label"].get<bool>());
    }
}

} // namespace

class TestPreferenceData : public QObject {
    Q_OBJECT
    QTemporaryDir m_tmp;

  private slots:
    void matchesTrl_data() {
        QTest::addColumn<int>("index");
        const auto cases = readJson(kData / "preference/tokenization.json");
        QCOMPARE(cases["versions"]["trl"].get<std::string>(), std::string("1.16.0"));
        QVERIFY(cases["cases"].size() >= 20);
        for (size_t i = 0; i < cases["cases"].size(); ++i) {
            const auto& c = cases["cases"][i];
            const std::string tag = c["tokenizer"].get<std::string>() + ": " + c["group"].get<std::string>();
            QTest::newRow(tag.c_str()) << int(i);
        }
    }

    void matchesTrl() {
        QFETCH(int, index);
        const auto c = readJson(kData / "preference/tokenization.json")["cases"][size_t(index)];
        const fs::path dir = makeFolder(m_tmp.path().toStdString(), c, index);
        const ft::Dataset data = ft::loadDataset(writeRows(dir, c["rows"]), ft::DatasetKind::Preference);
        QVERIFY2(data.errors.empty(), data.errors.empty() ? "" : data.errors.front().reason.c_str());
        QCOMPARE(data.examples.size(), c["rows"].size());
        const ft::ModelFolder folder = ft::openModelFolder(dir);
        const ft::ExampleEncoder encoder(folder);
        int rows = 0;
        if (c.contains("dpo")) {
            for (size_t i = 0; i < data.examples.size(); ++i, ++rows)
                compareRow(encoder.encodePreference(data.examples[i], ft::PreferenceTokenization::Trl), c["dpo"][i],
                           QStringLiteral("DPO row %1").arg(i));
            for (size_t i = 0; i < data.examples.size(); ++i, ++rows)
                compareRow(encoder.encodePreference(data.examples[i], ft::PreferenceTokenization::OrpoLegacy), c["orpo"][i],
                           QStringLiteral("ORPO row %1").arg(i));
        }
        // KTO on unpaired rows, and on pairs, which it unpairs first (chosen answers, then rejected ones).
        const std::vector<ft::Example> unpaired = ft::unpairPreferences(data.examples);
        QCOMPARE(unpaired.size(), c["kto"].size());
        for (size_t i = 0; i < unpaired.size(); ++i, ++rows)
            compareRow(encoder.encodePreference(unpaired[i], ft::PreferenceTokenization::Trl), c["kto"][i],
                       QStringLiteral("KTO row %1").arg(i));
        qInfo("%d rows equal TRL's", rows);
    }

    // The prompt alone is not always a prefix of prompt + answer: "Say it: " ends in a space token that, followed by
    // "the end", merges into " the". TRL starts the answer where the two diverge; so do we (matchesTrl checks the
    // tokens), and the row says so.
    void promptWhoseEndMergesIsCut() {
        const auto cases = readJson(kData / "preference/tokenization.json");
        int cut = 0;
        for (size_t i = 0; i < cases["cases"].size(); ++i) {
            const auto& c = cases["cases"][i];
            if (c["group"] != "plain pairs") continue;
            const fs::path dir = makeFolder(m_tmp.path().toStdString(), c, 1000 + int(i));
            const ft::ModelFolder folder = ft::openModelFolder(dir);
            const ft::ExampleEncoder encoder(folder);
            const ft::Dataset data = ft::loadDataset(writeRows(dir, c["rows"]), ft::DatasetKind::Preference);
            for (const auto& ex : data.examples) {
                const auto row = encoder.encodePreference(ex, ft::PreferenceTokenization::Trl);
                const auto prompt = encoder.tokenizer().encodeWithSpecialTokens(ex.text);
                QCOMPARE(row.promptCut, size_t(row.chosenPrompt) < prompt.size());
                if (ex.text == "Say it: ") {
                    QVERIFY2(row.promptCut, c["tokenizer"].get<std::string>().c_str());
                    ++cut;
                }
            }
        }
        QCOMPARE(cut, 4);  // one per tokenizer
    }

    void instructRowsAreRefused() {
        ft::Example e;
        e.line = 7;
        e.messages = {{"user", "hi"}, {"assistant", "hello"}};
        const auto cases = readJson(kData / "preference/tokenization.json");
        const fs::path dir = makeFolder(m_tmp.path().toStdString(), cases["cases"][0], 1001);
        const ft::ModelFolder folder = ft::openModelFolder(dir);
        const ft::ExampleEncoder encoder(folder);
        try {
            (void)encoder.encodePreference(e, ft::PreferenceTokenization::Trl);
            QFAIL("an instruct row was taken for a preference row");
        } catch (const ft::Error& err) {
            QVERIFY2(QString::fromStdString(err.what()).contains("line 7"), err.what());
        }
    }
};

QTEST_GUILESS_MAIN(TestPreferenceData)
#include "tst_preference_data.moc"
