// One record's format and why it is refused (core/data/record_format.h), on a table of records of every format and
// every refusal; loadDataset reports exactly these reasons.

#include "core/data/dataset.h"
#include "core/data/record_format.h"
#include "core/io/atomic_file.h"

#include <nlohmann/json.hpp>

#include <QFile>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QtTest>

namespace {

constexpr int kNone = -1;  // no format detected / the record is accepted

nlohmann::json parsed(const QByteArray& text) { return nlohmann::json::parse(text.toStdString()); }

} // namespace

class TestRecordFormat : public QObject {
    Q_OBJECT
private slots:
    void recordFormat_data() {
        QTest::addColumn<QByteArray>("record");
        QTest::addColumn<int>("format");
        using F = ft::DatasetFormat;
        QTest::newRow("messages") << QByteArray(R"({"messages":[{"role":"user","content":"q"}]})") << int(F::Messages);
        QTest::newRow("empty messages") << QByteArray(R"({"messages":[]})") << int(F::Messages);  // refused later
        QTest::newRow("messages not a list") << QByteArray(R"({"messages":"hi"})") << int(F::Messages);
        QTest::newRow("null messages") << QByteArray(R"({"messages":null,"text":"t"})") << int(F::Text);
        QTest::newRow("sharegpt") << QByteArray(R"({"conversations":[{"from":"human","value":"q"}]})") << int(F::ShareGpt);
        QTest::newRow("alpaca") << QByteArray(R"({"instruction":"i","input":"","output":"o"})") << int(F::Alpaca);
        QTest::newRow("alpaca without output") << QByteArray(R"({"instruction":"i"})") << kNone;
        QTest::newRow("alpaca null output") << QByteArray(R"({"instruction":"i","output":null})") << kNone;
        QTest::newRow("alpaca mistyped") << QByteArray(R"({"instruction":5,"output":[1]})") << int(F::Alpaca);
        QTest::newRow("prompt/response") << QByteArray(R"({"prompt":"p","response":"r"})") << int(F::PromptResponse);
        QTest::newRow("prompt/completion") << QByteArray(R"({"prompt":"p","completion":"c"})") << int(F::PromptResponse);
        QTest::newRow("prompt alone") << QByteArray(R"({"prompt":"p"})") << kNone;
        QTest::newRow("text") << QByteArray(R"({"text":"t"})") << int(F::Text);
        QTest::newRow("empty text") << QByteArray(R"({"text":""})") << int(F::Text);
        QTest::newRow("messages before text") << QByteArray(R"({"text":"t","messages":[]})") << int(F::Messages);
        QTest::newRow("pair before text") << QByteArray(R"({"text":"t","prompt":"p","response":"r"})") << int(F::PromptResponse);
        QTest::newRow("extra fields only") << QByteArray(R"({"question":"q","answer":"a"})") << kNone;
        QTest::newRow("empty object") << QByteArray("{}") << kNone;
        QTest::newRow("preference") << QByteArray(R"({"prompt":"p","chosen":"c","rejected":"r"})") << int(F::Preference);
        QTest::newRow("implicit prompt") << QByteArray(R"({"chosen":[],"rejected":[]})") << int(F::Preference);
        QTest::newRow("unpaired") << QByteArray(R"({"prompt":"p","completion":"c","label":true})") << int(F::Unpaired);
        QTest::newRow("chosen alone") << QByteArray(R"({"prompt":"p","chosen":"c"})") << kNone;
        QTest::newRow("list") << QByteArray("[1, 2]") << kNone;
        QTest::newRow("string") << QByteArray(R"("text")") << kNone;
    }
    void recordFormat() {
        QFETCH(QByteArray, record);
        QFETCH(int, format);
        const auto detected = ft::recordFormat(parsed(record));
        QCOMPARE(detected ? int(*detected) : kNone, format);
    }

    // The file's own names, mapped to ours as a project's column map does.
    void recordFormatWithColumns() {
        const ft::ColumnMap columns{{"instruction", "question"}, {"output", "answer"}};
        const nlohmann::json record = parsed(R"({"question":"q","answer":"a"})");
        QCOMPARE(ft::recordFormat(record, columns), std::optional(ft::DatasetFormat::Alpaca));
        QVERIFY(!ft::whyRowIsRefused(record, ft::DatasetFormat::Alpaca, columns));
        const auto refusal = ft::whyRowIsRefused(parsed(R"({"question":"q"})"), ft::DatasetFormat::Alpaca, columns);
        QVERIFY(refusal);
        QCOMPARE(ft::describeRefusal(*refusal), std::string("missing field \"answer\""));
    }

    void whyRowIsRefused_data() {
        QTest::addColumn<QByteArray>("record");
        QTest::addColumn<QString>("format");
        QTest::addColumn<int>("reason");
        QTest::addColumn<QString>("field");
        QTest::addColumn<QString>("message");  // what loadDataset reports
        using R = ft::Refusal;
        auto ok = [](const char* name, const char* record, const char* format) {
            QTest::newRow(name) << QByteArray(record) << format << kNone << QString() << QString();
        };
        auto no = [](const char* name, const char* record, const char* format, R reason, const char* field, const char* message) {
            QTest::newRow(name) << QByteArray(record) << format << int(reason) << field << message;
        };
        // messages
        ok("messages", R"({"messages":[{"role":"system","content":"s"},{"role":"user","content":"u"},{"role":"assistant","content":"a"}],"id":7})",
           "messages");
        ok("multi-turn with tool", R"({"messages":[{"role":"user","content":"u"},{"role":"assistant","content":"a"},{"role":"tool","content":"t"},{"role":"assistant","content":"b"}]})",
           "messages");
        ok("null content before the answer", R"({"messages":[{"role":"user","content":null},{"role":"assistant","content":"a"}]})", "messages");
        ok("blank answer (the editor is stricter)", R"({"messages":[{"role":"user","content":"u"},{"role":"assistant","content":" "}]})", "messages");
        ok("extra keys in a message", R"({"messages":[{"role":"user","content":"u","name":"x"},{"role":"assistant","content":"a","weight":1}]})", "messages");
        no("empty messages", R"({"messages":[]})", "messages", R::NotAList, "messages", R"("messages" is not a non-empty list)");
        no("messages a string", R"({"messages":"hi"})", "messages", R::NotAList, "messages", R"("messages" is not a non-empty list)");
        no("messages an object", R"({"messages":{"role":"user"}})", "messages", R::NotAList, "messages", R"("messages" is not a non-empty list)");
        no("no messages", R"({"prompt":"p","response":"r"})", "messages", R::MissingField, "messages", R"(missing field "messages")");
        no("message not an object", R"({"messages":["hi"]})", "messages", R::MessageLacksField, "role",
           R"(a message lacks "role" or "content")");
        no("message without content", R"({"messages":[{"role":"user"}]})", "messages", R::MessageLacksField, "role",
           R"(a message lacks "role" or "content")");
        no("role not text", R"({"messages":[{"role":1,"content":"u"},{"role":"assistant","content":"a"}]})", "messages",
           R::NotString, "role", R"(field "role" is not a string)");
        no("content not text", R"({"messages":[{"role":"user","content":5},{"role":"assistant","content":"a"}]})", "messages",
           R::NotString, "content", R"(field "content" is not a string)");
        no("unknown role", R"({"messages":[{"role":"robot","content":"u"},{"role":"assistant","content":"a"}]})", "messages",
           R::UnknownRole, "role", R"(unknown role "robot" (use system, user, assistant or tool))");
        no("no assistant turn", R"({"messages":[{"role":"user","content":"u"}]})", "messages", R::LastNotAssistant, "",
           "the last message is not from the assistant; there is nothing to learn");
        no("user turn last", R"({"messages":[{"role":"user","content":"u"},{"role":"assistant","content":"a"},{"role":"user","content":"u"}]})",
           "messages", R::LastNotAssistant, "", "the last message is not from the assistant; there is nothing to learn");
        no("empty answer", R"({"messages":[{"role":"user","content":"u"},{"role":"assistant","content":""}]})", "messages",
           R::EmptyAnswer, "", "the assistant's answer is empty");
        no("null answer", R"({"messages":[{"role":"user","content":"u"},{"role":"assistant","content":null}]})", "messages",
           R::EmptyAnswer, "", "the assistant's answer is empty");
        // ShareGPT
        ok("sharegpt", R"({"conversations":[{"from":"system","value":"s"},{"from":"human","value":"q"},{"from":"gpt","value":"a"}]})", "sharegpt");
        ok("sharegpt other names", R"({"conversations":[{"from":"user","value":"q"},{"from":"function","value":"f"},{"from":"chatgpt","value":"a"}]})", "sharegpt");
        no("unknown speaker", R"({"conversations":[{"from":"alien","value":"q"},{"from":"gpt","value":"a"}]})", "sharegpt",
           R::UnknownSpeaker, "from", R"(unknown speaker "alien" in conversations (use human, gpt, system or tool))");
        no("openai keys in sharegpt", R"({"conversations":[{"role":"user","content":"q"}]})", "sharegpt", R::MessageLacksField, "from",
           R"(a message lacks "from" or "value")");
        no("empty conversations", R"({"conversations":[]})", "sharegpt", R::NotAList, "conversations",
           R"("conversations" is not a non-empty list)");
        no("sharegpt no answer", R"({"conversations":[{"from":"human","value":"q"}]})", "sharegpt", R::LastNotAssistant, "",
           "the last message is not from the assistant; there is nothing to learn");
        // Alpaca
        ok("alpaca", R"({"instruction":"i","input":"","output":"o"})", "alpaca");
        ok("alpaca with system and null input", R"({"system":"s","instruction":"i","input":null,"output":"o","extra":[1]})", "alpaca");
        ok("alpaca empty instruction", R"({"instruction":"","output":"o"})", "alpaca");  // the editor flags it
        no("alpaca missing output", R"({"instruction":"i"})", "alpaca", R::MissingField, "output", R"(missing field "output")");
        no("alpaca missing instruction", R"({"output":"o"})", "alpaca", R::MissingField, "instruction", R"(missing field "instruction")");
        no("alpaca instruction not text", R"({"instruction":5,"output":"o"})", "alpaca", R::NotString, "instruction",
           R"(field "instruction" is not a string)");
        no("alpaca input not text", R"({"instruction":"i","input":["x"],"output":"o"})", "alpaca", R::NotString, "input",
           R"(field "input" is not a string)");
        no("alpaca system not text", R"({"instruction":"i","system":true,"output":"o"})", "alpaca", R::NotString, "system",
           R"(field "system" is not a string)");
        no("alpaca empty output", R"({"instruction":"i","output":""})", "alpaca", R::EmptyAnswer, "", "the assistant's answer is empty");
        no("alpaca null output", R"({"instruction":"i","output":null})", "alpaca", R::NotString, "output",
           R"(field "output" is not a string)");
        // prompt/response
        ok("prompt/response", R"({"prompt":"p","response":"r"})", "prompt_response");
        ok("prompt/completion", R"({"prompt":"p","completion":"c"})", "prompt_response");
        no("neither response nor completion", R"({"prompt":"p"})", "prompt_response", R::MissingField, "completion",
           R"(missing field "completion")");
        no("prompt not text", R"({"prompt":{},"response":"r"})", "prompt_response", R::NotString, "prompt",
           R"(field "prompt" is not a string)");
        no("response empty", R"({"prompt":"p","response":""})", "prompt_response", R::EmptyAnswer, "", "the assistant's answer is empty");
        // text
        ok("text", R"({"text":"t","source":"web"})", "text");
        no("text empty", R"({"text":""})", "text", R::EmptyText, "text", "the text is empty");
        no("text not text", R"({"text":5})", "text", R::NotString, "text", R"(field "text" is not a string)");
        no("no text", R"({"prompt":"p"})", "text", R::MissingField, "text", R"(missing field "text")");
        // preference pairs (TRL's standard and conversational formats) and unpaired rows (KTO)
        ok("pair of strings", R"({"prompt":"p","chosen":"c","rejected":"r"})", "preference");
        ok("pair of messages", R"({"prompt":[{"role":"user","content":"q"}],"chosen":[{"role":"assistant","content":"a"}],"rejected":[{"role":"assistant","content":"b"}]})",
           "preference");
        ok("implicit prompt", R"({"chosen":[{"role":"user","content":"q"},{"role":"assistant","content":"a"}],"rejected":[{"role":"user","content":"q"},{"role":"assistant","content":"b"}]})",
           "preference");
        ok("identical answers (inspect names them)", R"({"prompt":"p","chosen":"same","rejected":"same"})", "preference");
        no("no shared turn", R"({"chosen":[{"role":"user","content":"q"},{"role":"assistant","content":"a"}],"rejected":[{"role":"user","content":"Q"},{"role":"assistant","content":"b"}]})",
           "preference", R::NoSharedPrompt, "chosen",
           R"("chosen" and "rejected" share no first turn to take as the prompt; add a "prompt" field)");
        no("nothing after the shared turns", R"({"chosen":[{"role":"user","content":"q"},{"role":"assistant","content":"a"}],"rejected":[{"role":"user","content":"q"},{"role":"assistant","content":"a"}]})",
           "preference", R::EmptyAnswer, "chosen", R"(the answer in "chosen" is empty)");
        no("plain pair without prompt", R"({"chosen":"c","rejected":"r"})", "preference", R::PlainNeedsPrompt, "prompt",
           R"(missing field "prompt" (the shared prompt is found by itself only in message lists))");
        no("string and list", R"({"prompt":"p","chosen":"c","rejected":[{"role":"assistant","content":"r"}]})", "preference",
           R::MixedShapes, "rejected",
           R"("rejected" is a string where the other fields are message lists, or a list where they are strings; use one shape in a row)");
        no("list prompt with strings", R"({"prompt":[{"role":"user","content":"q"}],"chosen":"c","rejected":"r"})", "preference",
           R::MixedShapes, "prompt",
           R"("prompt" is a string where the other fields are message lists, or a list where they are strings; use one shape in a row)");
        no("empty rejected", R"({"prompt":"p","chosen":"c","rejected":""})", "preference", R::EmptyAnswer, "rejected",
           R"(the answer in "rejected" is empty)");
        no("chosen not text", R"({"prompt":"p","chosen":5,"rejected":"r"})", "preference", R::NotString, "chosen",
           R"(field "chosen" is not a string)");
        no("unknown role in chosen", R"({"prompt":[{"role":"user","content":"q"}],"chosen":[{"role":"bot","content":"a"}],"rejected":[{"role":"assistant","content":"b"}]})",
           "preference", R::UnknownRole, "role", R"(unknown role "bot" (use system, user, assistant or tool))");
        no("no rejected", R"({"prompt":"p","chosen":"c"})", "preference", R::MissingField, "rejected", R"(missing field "rejected")");
        ok("unpaired", R"({"prompt":"p","completion":"c","label":false})", "unpaired");
        ok("unpaired csv label", R"({"prompt":"p","completion":"c","label":"TRUE"})", "unpaired");
        ok("unpaired messages", R"({"prompt":[{"role":"user","content":"q"}],"completion":[{"role":"assistant","content":"a"}],"label":1})", "unpaired");
        no("label not a bool", R"({"prompt":"p","completion":"c","label":"yes please"})", "unpaired", R::NotBool, "label",
           R"(field "label" is not true or false)");
        no("label 2", R"({"prompt":"p","completion":"c","label":2})", "unpaired", R::NotBool, "label", R"(field "label" is not true or false)");
        no("no label", R"({"prompt":"p","completion":"c"})", "unpaired", R::MissingField, "label", R"(missing field "label")");
        no("empty completion", R"({"prompt":"p","completion":"","label":true})", "unpaired", R::EmptyAnswer, "completion",
           R"(the answer in "completion" is empty)");
        // not a record
        no("a list", "[1, 2]", "text", R::NotObject, "", "the record is not a JSON object");
        no("a number", "5", "messages", R::NotObject, "", "the record is not a JSON object");
    }
    void whyRowIsRefused() {
        QFETCH(QByteArray, record);
        QFETCH(QString, format);
        QFETCH(int, reason);
        QFETCH(QString, field);
        QFETCH(QString, message);
        const auto f = ft::datasetFormatFromName(format.toStdString());
        QVERIFY(f);
        const auto refusal = ft::whyRowIsRefused(parsed(record), *f);
        QCOMPARE(refusal ? int(refusal->reason) : kNone, reason);
        if (!refusal) return;
        QCOMPARE(QString::fromStdString(refusal->field), field);
        QCOMPARE(QString::fromStdString(ft::describeRefusal(*refusal)), message);
    }

    // What a preference row reads as: the prompt where instruct rows keep theirs, the answers beside it; message
    // lists without a prompt give their shared first turns as the prompt (TRL's extract_prompt).
    void preferenceRowsRead() {
        auto read = ft::readRecord(parsed(R"({"chosen":[{"role":"system","content":"s"},{"role":"user","content":"q"},{"role":"assistant","content":"a"},{"role":"user","content":"more"},{"role":"assistant","content":"b"}],"rejected":[{"role":"system","content":"s"},{"role":"user","content":"q"},{"role":"assistant","content":"x"}]})"),
                                   ft::DatasetFormat::Preference);
        QVERIFY(!read.refusal);
        QVERIFY(read.example.preference && read.example.preference->conversational);
        QCOMPARE(read.example.messages.size(), size_t(2));
        QCOMPARE(read.example.messages[1].content, std::string("q"));
        QCOMPARE(read.example.preference->chosenMessages.size(), size_t(3));  // a, more, b
        QCOMPARE(read.example.preference->rejectedMessages.size(), size_t(1));
        QCOMPARE(read.example.preference->rejectedMessages[0].content, std::string("x"));
        QVERIFY(!read.example.preference->desirable);

        read = ft::readRecord(parsed(R"({"question":"p","good":"c","bad":"r"})"), ft::DatasetFormat::Preference,
                              {{"prompt", "question"}, {"chosen", "good"}, {"rejected", "bad"}});
        QVERIFY(!read.refusal);
        QCOMPARE(read.example.text, std::string("p"));
        QCOMPARE(read.example.preference->chosen, std::string("c"));
        QCOMPARE(read.example.preference->rejected, std::string("r"));
        QVERIFY(read.example.messages.empty());

        read = ft::readRecord(parsed(R"({"prompt":"p","completion":"c","label":"0"})"), ft::DatasetFormat::Unpaired);
        QVERIFY(!read.refusal);
        QCOMPARE(read.example.preference->desirable, std::optional(false));
        QCOMPARE(read.example.preference->chosen, std::string("c"));
    }

    void notUtf8() {
        const nlohmann::json record = {{"prompt", "p"}, {"response", std::string("\xff\xfe")}};
        const auto refusal = ft::whyRowIsRefused(record, ft::DatasetFormat::PromptResponse);
        QVERIFY(refusal);
        QCOMPARE(refusal->reason, ft::Refusal::NotUtf8);
        QCOMPARE(ft::describeRefusal(*refusal), std::string("field \"response\" is not valid UTF-8"));
        QVERIFY(!ft::validUtf8("\xed\xa0\x80"));  // a surrogate
        QVERIFY(!ft::validUtf8("\xc0\xaf"));      // overlong
        QVERIFY(ft::validUtf8("한국어 ✓"));
    }

    // What readRecord returns besides a refusal: the example, and on a refusal the turns read before it.
    void readRecordKeepsWhatWasRead() {
        const auto alpaca = ft::readRecord(parsed(R"({"system":"s","instruction":"i","input":"x","output":"o"})"),
                                           ft::DatasetFormat::Alpaca);
        QVERIFY(!alpaca.refusal);
        QCOMPARE(alpaca.example.messages.size(), size_t(3));
        QCOMPARE(alpaca.example.messages[1].content, std::string("i\n\nx"));
        const auto sharegpt = ft::readRecord(parsed(R"({"conversations":[{"from":"human","value":"q"},{"from":"alien","value":"a"}]})"),
                                             ft::DatasetFormat::ShareGpt);
        QVERIFY(sharegpt.refusal);
        QCOMPARE(sharegpt.example.messages.size(), size_t(1));
        QCOMPARE(sharegpt.example.messages[0].role, std::string("user"));
    }

    // The dataset editor includes this API: standard headers, json's forward declarations and dataset.h, no
    // LibTorch (build speed), no Qt (core).
    void headersArePlain() {
        const QRegularExpression include(QStringLiteral("^\\s*#\\s*include\\s*[<\"]([^>\"]+)[>\"]"), QRegularExpression::MultilineOption);
        for (const char* header : {"core/data/record_format.h", "core/data/dataset.h"}) {
            QFile f(QStringLiteral(FT_SOURCE_DIR "/") + QLatin1String(header));
            QVERIFY2(f.open(QIODevice::ReadOnly), header);
            for (auto it = include.globalMatch(QString::fromUtf8(f.readAll())); it.hasNext();) {
                const QString name = it.next().captured(1);
                const bool plain = !name.contains(u'/') || name == u"nlohmann/json_fwd.hpp" || name == u"core/data/dataset.h";
                QVERIFY2(plain, qPrintable(QLatin1String(header) + QStringLiteral(" includes ") + name));
            }
        }
    }

    // loadDataset's reasons are describeRefusal's, line for line, in the file's format.
    void loadDatasetReportsTheSameReasons() {
        const QList<QByteArray> lines{
            R"({"instruction":"i","output":"o"})",
            R"({"instruction":"i"})",
            R"({"instruction":5,"output":"o"})",
            R"({"instruction":"i","output":""})",
            R"({"messages":[{"role":"user","content":"u"},{"role":"assistant","content":"a"}]})",
            R"({"instruction":"i","input":"","output":"o","id":3})",
            R"({"instruction":"i","input":7,"output":"o"})",
        };
        QTemporaryDir dir;
        const std::filesystem::path path = dir.filePath(QStringLiteral("mixed.jsonl")).toStdString();
        ft::writeFileAtomic(path, (lines.join('\n') + '\n').toStdString());
        const ft::Dataset ds = ft::loadDataset(path, std::nullopt);
        QCOMPARE(ds.format, ft::DatasetFormat::Alpaca);
        std::map<int, std::string> reported;
        for (const auto& e : ds.errors) reported[e.line] = e.reason;
        QCOMPARE(int(ds.examples.size() + reported.size()), int(lines.size()));
        for (int i = 0; i < lines.size(); ++i) {
            const auto refusal = ft::whyRowIsRefused(parsed(lines[i]), ds.format);
            QCOMPARE(reported.count(i + 1) == 1, refusal.has_value());
            if (refusal) QCOMPARE(reported[i + 1], ft::describeRefusal(*refusal));
        }
    }
};

QTEST_MAIN(TestRecordFormat)
#include "tst_record_format.moc"
