// Byte-level BPE from tokenizer.json: every golden line of tests/data/bpe (written by the reference Hugging
// Face `tokenizers`, see make_bpe_fixtures.py) must come out identical: ids, pieces, byte offsets and decoded
// text. Then the refusals: each broken or unsupported field must fail with its code, naming the field.

#include "core/common/error.h"
#include "core/train/example_encoder.h"
#include "core/io/atomic_file.h"
#include "core/model/model_folder.h"
#include "core/text/bpe_tokenizer.h"

#include <QFile>
#include <QTemporaryDir>
#include <QtTest>
#include <nlohmann/json.hpp>

#include <atomic>
#include <map>
#include <memory>
#include <thread>

namespace {

const QString kDataDir = QStringLiteral(FT_TEST_DATA_DIR "/bpe/");
const QStringList kFixtures = {QStringLiteral("llama3-style"), QStringLiteral("qwen2-style"),
                               QStringLiteral("gpt2-flags")};

std::string fixturePath(const QString& fixture, const char* file) {
    return (kDataDir + fixture + QLatin1Char('/') + QLatin1String(file)).toStdString();
}

nlohmann::json readJson(const std::string& path) {
    QFile f(QString::fromStdString(path));
    if (!f.open(QIODevice::ReadOnly)) return {};
    return nlohmann::json::parse(f.readAll().toStdString());
}

// Readable one-line forms, so that a failing QCOMPARE shows both sides.
QString idsText(const std::vector<int>& ids) {
    QStringList out;
    for (int id : ids)
        out << QString::number(id);
    return out.join(QLatin1Char(' '));
}
QString piecesText(const std::vector<std::string>& pieces) {
    QStringList out;
    for (const auto& p : pieces)
        out << QString::fromStdString(p);
    return out.join(QStringLiteral(" | "));
}
QString offsetsText(const std::vector<std::pair<size_t, size_t>>& offsets) {
    QStringList out;
    for (const auto& [b, e] : offsets)
        out << QStringLiteral("%1-%2").arg(b).arg(e);
    return out.join(QLatin1Char(' '));
}

} // namespace

class TestBpeTokenizer : public QObject {
    Q_OBJECT
  private:
    std::map<QString, std::unique_ptr<ft::Tokenizer>> m_tokenizers;

    ft::Tokenizer& tokenizer(const QString& fixture) {
        auto& tok = m_tokenizers[fixture];
        if (!tok) tok = ft::loadTokenizerJson(fixturePath(fixture, "tokenizer.json"));
        return *tok;
    }

  private slots:
    void modelFolderWithTokenizerJson() {
        // A Qwen-style folder has tokenizer.json and no tokenizer.model: the folder's tokenizer, its chat template and
        // the assistant-only labels all go through the BPE tokenizer.
        QTemporaryDir dir;
        const std::filesystem::path d = dir.path().toStdString();
        std::filesystem::copy_file(FT_TEST_DATA_DIR "/decoders/qwen2/config.json", d / "config.json");
        std::filesystem::copy_file(FT_TEST_DATA_DIR "/bpe/qwen2-style/tokenizer.json", d / "tokenizer.json");
        ft::writeFileAtomic(d / "tokenizer_config.json", R"({"eos_token": "<|im_end|>", "pad_token": "<|endoftext|>",
            "add_bos_token": false,
            "chat_template": "{% for m in messages %}{{ '<|im_start|>' + m['role'] + '\\n' + m['content'] + '<|im_end|>\\n' }}{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}"})");
        const auto folder = ft::openModelFolder(d);
        QCOMPARE(folder.tokenizerFile.filename().string(), std::string("tokenizer.json"));
        const ft::ExampleEncoder enc(folder);
        const std::string text = "<|im_start|>user\nHello 세계<|im_end|>\n";
        const auto direct = ft::loadTokenizerJson(d / "tokenizer.json")->encode(text);
        QCOMPARE(enc.tokenizer().encode(text).ids, direct.ids);

        ft::Example ex;
        ex.messages = {{"user", "Hi"}, {"assistant", "Hello there"}};
        const auto t = enc.encodeChat(ex, 0);
        const std::string rendered = enc.render(ex.messages, false);
        const auto offsets = enc.tokenizer().encode(rendered).offsets;
        std::string labeled;
        for (size_t i = 0; i < t.ids.size(); ++i)
            if (t.labels[i] != ft::kIgnoreIndex) labeled += rendered.substr(offsets[i].first, offsets[i].second - offsets[i].first);
        QCOMPARE(labeled, std::string("Hello there<|im_end|>\n"));
    }

    void golden_data() {
        QTest::addColumn<QString>("fixture");
        QTest::addColumn<QByteArray>("line");
        for (const QString& fixture : kFixtures) {
            QFile f(QString::fromStdString(fixturePath(fixture, "golden.jsonl")));
            QVERIFY2(f.open(QIODevice::ReadOnly), qPrintable(f.fileName()));
            int n = 0;
            while (!f.atEnd()) {
                const QByteArray line = f.readLine().trimmed();
                if (line.isEmpty()) continue;
                const auto j = nlohmann::json::parse(line.toStdString());
                QTest::newRow(qPrintable(fixture + QLatin1Char('/') +
                                         QString::fromStdString(j["case"].get<std::string>())))
                    << fixture << line;
                ++n;
            }
            QVERIFY2(n >= 150, qPrintable(fixture + QStringLiteral(": too few golden lines")));
        }
    }

    void golden() {
        QFETCH(QString, fixture);
        QFETCH(QByteArray, line);
        const auto j = nlohmann::json::parse(line.toStdString());
        const std::string text = j["text"];
        const ft::Tokenizer& tok = tokenizer(fixture);
        const ft::Encoding e = tok.encode(text);
        QCOMPARE(idsText(e.ids), idsText(j["ids"].get<std::vector<int>>()));
        QCOMPARE(piecesText(e.pieces), piecesText(j["pieces"].get<std::vector<std::string>>()));
        std::vector<std::pair<size_t, size_t>> offsets;
        for (const auto& o : j["offsets"])
            offsets.emplace_back(o[0].get<size_t>(), o[1].get<size_t>());
        QCOMPARE(offsetsText(e.offsets), offsetsText(offsets));
        QCOMPARE(QByteArray::fromStdString(tok.decode(e.ids)),
                 QByteArray::fromStdString(j["decoded"].get<std::string>()));
    }

    void vocabulary_data() {
        QTest::addColumn<QString>("fixture");
        for (const QString& fixture : kFixtures)
            QTest::newRow(qPrintable(fixture)) << fixture;
    }

    void vocabulary() {
        QFETCH(QString, fixture);
        const ft::Tokenizer& tok = tokenizer(fixture);
        const auto meta = readJson(fixturePath(fixture, "meta.json"));
        QCOMPARE(tok.vocabSize(), meta["vocab_size"].get<int>());
        QCOMPARE(tok.bosId(), meta["bos_id"].get<int>());
        QCOMPARE(tok.eosId(), meta["eos_id"].get<int>());
        QCOMPARE(tok.unkId(), -1);
        for (int id = 0; id < tok.vocabSize(); ++id)
            QCOMPARE(tok.pieceToId(tok.idToPiece(id)), id);
        QCOMPARE(tok.pieceToId("no such piece"), -1);
        QCOMPARE(tok.idToPiece(tok.vocabSize()), std::string());
    }

    void specialTokensAreOnePiece() {
        const ft::Tokenizer& tok = tokenizer(QStringLiteral("llama3-style"));
        const std::string text = "<|start_header_id|>user<|end_header_id|>";
        const auto e = tok.encode(text);
        QCOMPARE(e.ids.front(), tok.pieceToId("<|start_header_id|>"));
        QCOMPARE(e.offsets.front(), std::make_pair(size_t(0), size_t(19)));
        QCOMPARE(e.ids.back(), tok.pieceToId("<|end_header_id|>"));
        QCOMPARE(e.offsets.back().second, text.size());
    }

    void invalidInput() {
        const ft::Tokenizer& tok = tokenizer(QStringLiteral("qwen2-style"));
        try {
            tok.encode("ok \xC3\x28 bad");
            QFAIL("invalid UTF-8 was encoded");
        } catch (const ft::Error& e) {
            QCOMPARE(e.code(), ft::ErrorCode::InvalidValue);
        }
        try {
            tok.decode({1, 999999});
            QFAIL("an unknown id was decoded");
        } catch (const ft::Error& e) {
            QCOMPARE(e.code(), ft::ErrorCode::InvalidValue);
        }
        // Bytes that do not form UTF-8 decode to U+FFFD, once per maximal invalid subpart.
        const int lead = tok.pieceToId("\xC3\xA3"); // stand-in of byte 0xE3, a 3-byte lead
        QVERIFY(lead >= 0);
        QCOMPARE(tok.decode({lead, tok.pieceToId("a")}), std::string("\xEF\xBF\xBD"
                                                                     "a"));
    }

    void concurrentEncodes() {
        const ft::Tokenizer& tok = tokenizer(QStringLiteral("llama3-style"));
        QFile f(QString::fromStdString(fixturePath(QStringLiteral("llama3-style"), "golden.jsonl")));
        QVERIFY(f.open(QIODevice::ReadOnly));
        std::vector<std::string> texts;
        while (!f.atEnd())
            texts.push_back(nlohmann::json::parse(f.readLine().toStdString())["text"]);
        std::vector<std::vector<int>> expected;
        for (const auto& t : texts)
            expected.push_back(tok.encode(t).ids);
        std::atomic<int> mismatches = 0;
        std::vector<std::thread> threads;
        for (int k = 0; k < 4; ++k)
            threads.emplace_back([&, k] {
                for (size_t i = 0; i < texts.size(); ++i) {
                    const size_t n = (i * 7 + k) % texts.size();
                    if (tok.encode(texts[n]).ids != expected[n]) ++mismatches;
                }
            });
        for (auto& t : threads)
            t.join();
        QCOMPARE(mismatches.load(), 0);
    }

    void refusals_data() {
        QTest::addColumn<QString>("pointer"); // the field changed in the llama3-style file
        QTest::addColumn<QString>("value");   // its new JSON value; "remove" deletes it
        QTest::addColumn<int>("code");
        QTest::addColumn<QString>("field"); // where() must read "tokenizer.json: <field>"
        const auto row = [](const char* name, const char* pointer, const char* value, ft::ErrorCode code,
                            const char* field) {
            QTest::newRow(name) << QString::fromUtf8(pointer) << QString::fromUtf8(value) << int(code)
                                << QString::fromUtf8(field);
        };
        using C = ft::ErrorCode;
        row("model-type", "/model/type", R"("WordPiece")", C::Unsupported, "model.type");
        row("model-missing", "/model", "remove", C::MissingField, "model");
        row("model-unknown-field", "/model/extra", "1", C::Unsupported, "model.extra");
        row("byte-fallback", "/model/byte_fallback", "true", C::Unsupported, "model.byte_fallback");
        row("dropout", "/model/dropout", "0.1", C::Unsupported, "model.dropout");
        row("subword-prefix", "/model/continuing_subword_prefix", R"("##")", C::Unsupported,
            "model.continuing_subword_prefix");
        row("vocab-not-object", "/model/vocab", "[]", C::ParseError, "model.vocab");
        row("vocab-bad-id", "/model/vocab/!", "-3", C::ParseError, "model.vocab[\"!\"]");
        row("merge-unknown-piece", "/model/merges/0", R"("Ġ zzzz")", C::InvalidValue, "model.merges[0]");
        row("merge-three-parts", "/model/merges/1", R"("a b c")", C::ParseError, "model.merges[1]");
        row("merge-not-pair", "/model/merges/2", "[1, 2]", C::ParseError, "model.merges[2]");
        row("unk-not-in-vocab", "/model/unk_token", R"("<unk>")", C::InvalidValue, "model.unk_token");
        row("split-regex", "/pre_tokenizer/pretokenizers/0/pattern", R"({"Regex": "\\p{L}+"})",
            C::Unsupported, "pre_tokenizer.pretokenizers[0].pattern");
        row("split-string", "/pre_tokenizer/pretokenizers/0/pattern", R"({"String": " "})", C::Unsupported,
            "pre_tokenizer.pretokenizers[0].pattern");
        row("split-behavior", "/pre_tokenizer/pretokenizers/0/behavior", R"("Removed")", C::Unsupported,
            "pre_tokenizer.pretokenizers[0].behavior");
        row("split-invert", "/pre_tokenizer/pretokenizers/0/invert", "true", C::Unsupported,
            "pre_tokenizer.pretokenizers[0].invert");
        row("bytelevel-prefix", "/pre_tokenizer/pretokenizers/1/add_prefix_space", "true", C::Unsupported,
            "pre_tokenizer.pretokenizers[1].add_prefix_space");
        row("pretokenizer-type", "/pre_tokenizer/pretokenizers/1/type", R"("Metaspace")", C::Unsupported,
            "pre_tokenizer.pretokenizers[1].type");
        row("normalizer-type", "/normalizer", R"({"type": "NFKC"})", C::Unsupported, "normalizer.type");
        row("normalizer-sequence", "/normalizer",
            R"({"type": "Sequence", "normalizers": [{"type": "NFC"}, {"type": "Lowercase"}]})",
            C::Unsupported, "normalizer.normalizers[1].type");
        row("single-word", "/added_tokens/0/single_word", "true", C::Unsupported,
            "added_tokens[0].single_word");
        row("added-id", "/added_tokens/1/id", "5000", C::InvalidValue, "added_tokens[1].id");
        row("added-missing-flag", "/added_tokens/2/normalized", "remove", C::MissingField,
            "added_tokens[2].normalized");
        row("added-empty", "/added_tokens/3/content", R"("")", C::InvalidValue, "added_tokens[3].content");
        row("post-trim-offsets", "/post_processor/processors/0/trim_offsets", "true", C::Unsupported,
            "post_processor.processors[0].trim_offsets");
        row("post-type", "/post_processor", R"({"type": "Tiktoken"})", C::Unsupported, "post_processor.type");
        row("post-roberta-trim", "/post_processor",
            R"({"type": "RobertaProcessing", "sep": ["</s>", 1], "cls": ["<s>", 0], "trim_offsets": true})",
            C::Unsupported, "post_processor.trim_offsets");
        row("decoder-type", "/decoder/type", R"("WordPiece")", C::Unsupported, "decoder.type");
        row("truncation", "/truncation", R"({"max_length": 8})", C::Unsupported, "truncation");
        row("padding", "/padding", R"({"pad_id": 0})", C::Unsupported, "padding");
        row("version", "/version", R"("2.0")", C::Unsupported, "version");
        row("top-level-field", "/extra", "{}", C::Unsupported, "extra");
    }

    void refusals() {
        QFETCH(QString, pointer);
        QFETCH(QString, value);
        QFETCH(int, code);
        QFETCH(QString, field);
        auto j = readJson(fixturePath(QStringLiteral("llama3-style"), "tokenizer.json"));
        const nlohmann::json::json_pointer at(pointer.toStdString());
        if (value == QLatin1String("remove"))
            j[at.parent_pointer()].erase(at.back());
        else
            j[at] = nlohmann::json::parse(value.toStdString());
        try {
            ft::parseTokenizerJson(j.dump(), "tokenizer.json");
            QFAIL("the change was accepted");
        } catch (const ft::Error& e) {
            QCOMPARE(QString::fromStdString(e.where()), QStringLiteral("tokenizer.json: ") + field);
            QCOMPARE(int(e.code()), code);
        }
    }

    void malformedFiles() {
        try {
            ft::parseTokenizerJson(R"({"model": {"type": "BPE", )", "tokenizer.json");
            QFAIL("truncated JSON was accepted");
        } catch (const ft::Error& e) {
            QCOMPARE(e.code(), ft::ErrorCode::ParseError);
            QCOMPARE(QString::fromStdString(e.where()), QStringLiteral("tokenizer.json"));
        }
        try {
            ft::parseTokenizerJson("[1, 2]", "tokenizer.json");
            QFAIL("a JSON array was accepted");
        } catch (const ft::Error& e) {
            QCOMPARE(e.code(), ft::ErrorCode::ParseError);
        }
        try {
            ft::loadTokenizerJson(fixturePath(QStringLiteral("llama3-style"), "missing.json"));
            QFAIL("a missing file was loaded");
        } catch (const ft::Error& e) {
            QCOMPARE(e.code(), ft::ErrorCode::FileNotFound);
        }
    }
};

QTEST_APPLESS_MAIN(TestBpeTokenizer)
#include "tst_bpe_tokenizer.moc"
