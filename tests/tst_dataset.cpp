// Dataset loading: every format, every kind of bad row reported with file:line and reason, the rest kept.

#include "core/common/error.h"
#include "core/data/csv.h"
#include "core/data/dataset.h"
#include "core/io/atomic_file.h"
#include "core/io/json_error.h"
#include "core/io/json_file.h"

#include <QTemporaryDir>
#include <QtTest>

class TestDataset : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    std::filesystem::path write(const char* name, const std::string& content) {
        const std::filesystem::path p = m_dir.path().toStdString() + "/" + name;
        ft::writeFileAtomic(p, content);
        return p;
    }

private slots:
    void badRowsAreReportedAndSkipped() {
        const std::string good = R"({"instruction": "Say hi", "output": "hi"})";
        const std::string text = good + "\n"                                           // 1 ok
                                 + "{not json\n"                                       // 2
                                 + R"({"instruction": "x"})" + "\n"                    // 3 missing output
                                 + R"({"instruction": 5, "output": "y"})" + "\n"       // 4 mistyped
                                 + R"({"instruction": "x", "output": ""})" + "\n"      // 5 empty answer
                                 + "{\"instruction\": \"\xff\xfe\", \"output\": \"y\"}\n"  // 6 invalid UTF-8
                                 + "\n"                                                // 7 blank: ignored
                                 + good + "\n";                                        // 8 ok
        const auto p = write("a.jsonl", text);
        const auto ds = ft::loadDataset(p, ft::DatasetKind::Instruct);
        QCOMPARE(ds.format, ft::DatasetFormat::Alpaca);
        QCOMPARE(int(ds.examples.size()), 2);
        QCOMPARE(ds.examples[1].line, 8);
        QCOMPARE(int(ds.errors.size()), 5);
        const std::vector<std::pair<int, std::string>> expected{
            {2, "not valid JSON"}, {3, "missing field \"output\""}, {4, "not a string"}, {5, "answer is empty"}, {6, "UTF-8"}};
        for (size_t i = 0; i < expected.size(); ++i) {
            QCOMPARE(ds.errors[i].line, expected[i].first);
            QCOMPARE(ds.errors[i].file, p.string());
            QVERIFY2(ds.errors[i].reason.find(expected[i].second) != std::string::npos, ds.errors[i].reason.c_str());
        }
    }

    // A broken JSONL line is reported in plain words with the file's line and the column, never in the parser's
    // jargon ("[json.exception.parse_error.101] … last read: …").
    void jsonErrorsInPlainWords() {
        const std::string good = R"({"instruction": "Say hi", "output": "hi"})";
        const auto p = write("plain.jsonl", good + "\n\n" + R"({"a":x})" + "\n" + R"({"instruction": "q", "output": "a",})" +
                                                "\n" + R"({"n": 1e999})" + "\n" + good + "\n");
        const auto ds = ft::loadDataset(p, ft::DatasetKind::Instruct);
        QCOMPARE(int(ds.errors.size()), 3);
        const std::vector<std::pair<int, std::string>> expected{
            {3, "not valid JSON at line 3, column 6: expected a value (a string, number, true/false/null, object or array) "
                "but found 'x'"},
            {4, "not valid JSON at line 4, column 36: expected a key in double quotes but found '}'"},
            {5, "not valid JSON: the number 1e999 is too large to be stored"}};
        for (size_t i = 0; i < expected.size(); ++i) {
            QCOMPARE(ds.errors[i].line, expected[i].first);
            QCOMPARE(ds.errors[i].reason, expected[i].second);
        }
        for (const auto& e : ds.errors) {
            QVERIFY2(e.reason.find("json.exception") == std::string::npos, e.reason.c_str());
            QVERIFY2(e.reason.find("last read") == std::string::npos, e.reason.c_str());
        }

        // Whole files (a .json list, config.json, project.json) say the same.
        const auto list = write("list.json", "[\n  {\"instruction\": \"q\",\n   \"output\": tru}\n]\n");
        try {
            ft::loadDataset(list, ft::DatasetKind::Instruct);
            QFAIL("expected a parse error");
        } catch (const ft::Error& e) {
            QCOMPARE(e.code(), ft::ErrorCode::ParseError);
            QCOMPARE(e.detail(), std::string("not valid JSON at line 3, column 17: expected a value (a string, number, "
                                             "true/false/null, object or array) but found 'tru'"));
        }
        try {
            ft::readJsonFile(write("config.json", "{\"a\": 1\n\"b\": 2}"));
            QFAIL("expected a parse error");
        } catch (const ft::Error& e) {
            QCOMPARE(e.detail(), std::string("not valid JSON at line 2, column 3: expected ',' or '}' but found a string"));
        }
        try {
            const nlohmann::json j = nlohmann::json::parse(std::string("{\"a\": \"b"));
            QFAIL("expected a parse error");
        } catch (const nlohmann::json::exception& e) {
            QCOMPARE(ft::describeJsonError(e), std::string("not valid JSON at line 1, column 9: a string is missing its closing quote"));
        }
    }

    void messagesAndShareGpt() {
        const auto p = write("m.jsonl",
                             R"({"messages": [{"role": "system", "content": "s"}, {"role": "user", "content": "u"}, {"role": "assistant", "content": "a"}]})"
                             "\n"
                             R"({"messages": [{"role": "wizard", "content": "u"}, {"role": "assistant", "content": "a"}]})"
                             "\n"
                             R"({"messages": [{"role": "user", "content": "u"}]})"
                             "\n");
        const auto ds = ft::loadDataset(p, ft::DatasetKind::Instruct);
        QCOMPARE(int(ds.examples.size()), 1);
        QCOMPARE(ds.examples[0].messages.size(), size_t(3));
        QCOMPARE(int(ds.errors.size()), 2);
        QVERIFY(ds.errors[0].reason.find("unknown role \"wizard\"") != std::string::npos);
        QVERIFY(ds.errors[1].reason.find("not from the assistant") != std::string::npos);

        const auto s = write("s.json", R"([{"conversations": [{"from": "human", "value": "q"}, {"from": "gpt", "value": "a"}]}])");
        const auto sg = ft::loadDataset(s, ft::DatasetKind::Instruct);
        QCOMPARE(sg.format, ft::DatasetFormat::ShareGpt);
        QCOMPARE(sg.examples[0].messages[0].role, std::string("user"));
        QCOMPARE(sg.examples[0].messages[1].role, std::string("assistant"));
    }

    void csvWithQuotesAndNewlines() {
        const auto p = write("d.csv",
                             "prompt,response\r\n"
                             "\"Hello, \"\"world\"\"\",\"line one\nline two\"\r\n"
                             "plain,answer\n"
                             "only-one-field\n"
                             "\"안녕하세요\",\"반갑습니다\"\n");
        const auto ds = ft::loadDataset(p, ft::DatasetKind::Instruct);
        QCOMPARE(ds.format, ft::DatasetFormat::PromptResponse);
        QCOMPARE(int(ds.examples.size()), 3);
        QCOMPARE(ds.examples[0].messages[0].content, std::string("Hello, \"world\""));
        QCOMPARE(ds.examples[0].messages[1].content, std::string("line one\nline two"));
        QCOMPARE(ds.examples[1].line, 4);  // the record after a two-line one starts on line 4
        QCOMPARE(ds.examples[2].messages[1].content, std::string("반갑습니다"));
        QCOMPARE(int(ds.errors.size()), 1);
        QCOMPARE(ds.errors[0].line, 5);

        std::vector<ft::CsvError> errors;
        ft::parseCsv("a,b\n\"open,x\n", ',', errors);
        QCOMPARE(int(errors.size()), 1);
        QCOMPARE(errors[0].line, 2);
    }

    void tsvWithColumnMappingAndFormatOverride() {
        const auto p = write("d.tsv", "question\tanswer\nWhat?\tThat.\n");
        ft::DatasetOptions o;
        o.format = ft::DatasetFormat::PromptResponse;
        o.columns = {{"prompt", "question"}, {"response", "answer"}};
        const auto ds = ft::loadDataset(p, ft::DatasetKind::Instruct, o);
        QCOMPARE(int(ds.examples.size()), 1);
        QCOMPARE(ds.examples[0].messages[1].content, std::string("That."));
        try {
            ft::loadDataset(p, ft::DatasetKind::Instruct);  // without the mapping nothing is recognised
            QFAIL("accepted unknown columns");
        } catch (const ft::Error& e) {
            QVERIFY2(std::string(e.what()).find("line 2") != std::string::npos, e.what());
        }
    }

    void plainTextAndKindMismatch() {
        const auto p = write("t.txt", "first doc\nstill first\n\nsecond doc\n");
        const auto ds = ft::loadDataset(p, ft::DatasetKind::RawText);
        QCOMPARE(int(ds.examples.size()), 2);
        QCOMPARE(ds.examples[0].text, std::string("first doc\nstill first"));
        QCOMPARE(ds.examples[1].line, 4);
        QVERIFY_THROWS_EXCEPTION(ft::Error, ft::loadDataset(p, ft::DatasetKind::Instruct));
        const auto j = write("r.jsonl", R"({"text": "raw"})" "\n");
        QVERIFY_THROWS_EXCEPTION(ft::Error, ft::loadDataset(j, ft::DatasetKind::Instruct));
        QCOMPARE(ft::loadDataset(j, ft::DatasetKind::RawText).examples[0].text, std::string("raw"));
    }

    // Preference files: pairs (JSONL, messages or strings) and unpaired rows (CSV, labels as the cells spell them),
    // bad rows with their lines, and a kind mismatch that says which kind of fine-tuning the file is for.
    void preferencePairsAndUnpairedRows() {
        const std::string pair = R"({"prompt":[{"role":"user","content":"2+2?"}],"chosen":[{"role":"assistant","content":"4"}],"rejected":[{"role":"assistant","content":"5"}]})";
        const std::string noRejected = R"({"prompt":[{"role":"user","content":"q"}],"chosen":[{"role":"assistant","content":"a"}]})";
        const std::string mixed = R"({"prompt":[{"role":"user","content":"q"}],"chosen":"a","rejected":"b"})";
        const auto p = write("pairs.jsonl", pair + "\n" + noRejected + "\n" + mixed + "\n" + pair + "\n");
        const auto ds = ft::loadDataset(p, std::nullopt);
        QCOMPARE(ds.kind, ft::DatasetKind::Preference);
        QCOMPARE(ds.format, ft::DatasetFormat::Preference);
        QCOMPARE(int(ds.examples.size()), 2);
        QCOMPARE(ds.examples[1].line, 4);
        QCOMPARE(ds.examples[0].preference->chosenMessages[0].content, std::string("4"));
        QCOMPARE(int(ds.errors.size()), 2);
        QCOMPARE(ds.errors[0].line, 2);
        QVERIFY2(ds.errors[0].reason.find("missing field \"rejected\"") != std::string::npos, ds.errors[0].reason.c_str());
        QCOMPARE(ds.errors[1].line, 3);
        QVERIFY2(ds.errors[1].reason.find("one shape") != std::string::npos, ds.errors[1].reason.c_str());
        try {
            ft::loadDataset(p, ft::DatasetKind::Instruct);
            QFAIL("a preference file was taken for instruct FT");
        } catch (const ft::Error& e) {
            QVERIFY2(std::string(e.what()).find("choose Preference tuning") != std::string::npos, e.what());
        }

        const auto c = write("kto.csv", "prompt,completion,label\nq,good,true\nq,bad,False\nq,meh,maybe\n");
        const auto kto = ft::loadDataset(c, ft::DatasetKind::Preference);
        QCOMPARE(kto.format, ft::DatasetFormat::Unpaired);
        QCOMPARE(int(kto.examples.size()), 2);
        QCOMPARE(kto.examples[0].preference->desirable, std::optional(true));
        QCOMPARE(kto.examples[1].preference->desirable, std::optional(false));
        QCOMPARE(int(kto.errors.size()), 1);
        QCOMPARE(kto.errors[0].line, 4);
        QVERIFY2(kto.errors[0].reason.find("\"label\" is not true or false") != std::string::npos, kto.errors[0].reason.c_str());
    }

    void binaryGarbageIsReportedNotLoaded() {
        std::string junk;
        for (int i = 0; i < 3000; ++i) junk += char((i * 131 + 7) % 256);
        const auto p = write("g.jsonl", junk);
        try {
            ft::loadDataset(p, ft::DatasetKind::Instruct);
            QFAIL("binary garbage was accepted");
        } catch (const ft::Error& e) {
            QVERIFY2(std::string(e.what()).find("no usable records") != std::string::npos, e.what());
        }
    }
};

QTEST_APPLESS_MAIN(TestDataset)
#include "tst_dataset.moc"
