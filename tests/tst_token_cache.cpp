// Training preparation at scale: the parallel encoder, the streamed JSONL pass and the token cache give exactly what
// the sequential path gives (loadDataset, one ExampleEncoder, the seeded split, packing): the same tokens, labels,
// segments, lines, truncation counts and bad rows, the same error first. The cache is reused, re-made when the data
// or a setting changes, and never read when damaged.

#include "core/common/error.h"
#include "core/data/dataset.h"
#include "core/demo/demo.h"
#include "core/io/atomic_file.h"
#include "core/io/content_hash.h"
#include "core/io/gguf_file.h"
#include "core/model/model_folder.h"
#include "core/project/project.h"
#include "core/text/gguf_vocab.h"
#include "core/text/tokenizer.h"
#include "core/train/encoder_pool.h"
#include "core/train/example_encoder.h"
#include "core/train/project_method.h"
#include "core/train/token_cache.h"
#include "core/train/training_data.h"

#include <QTemporaryDir>
#include <QtTest>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstring>
#include <random>

namespace fs = std::filesystem;

namespace {

// The preparation as it was before it was parallel and streamed, written out here as the reference.
struct Reference {
    std::vector<ft::TokenizedExample> train, validation;
    int trainExamples = 0, skippedRows = 0, truncatedExamples = 0, padId = 0;
    std::vector<ft::RowError> errors;
};

Reference sequentialReference(const ft::Project& p, const ft::ModelFolder& folder) {
    const auto& cfg = p.training;
    const ft::Dataset data = ft::loadProjectDataset(p);
    ft::ModelFolder templated = folder;
    if (!p.chatTemplate.empty()) templated.chatTemplate = p.chatTemplate;
    const ft::ExampleEncoder encoder(templated);
    Reference r;
    r.skippedRows = int(data.errors.size());
    r.errors = data.errors;
    std::vector<ft::TokenizedExample> encoded;
    if (p.kind == ft::FinetuneKind::Base) {
        encoded = encoder.encodeRawText(data.examples, cfg.blockSize);
    } else {
        for (const auto& ex : data.examples) {
            encoded.push_back(encoder.encodeChat(ex, cfg.maxSeqLength, cfg.trainOnPrompt));
            r.truncatedExamples += encoded.back().truncated ? 1 : 0;
        }
    }
    std::mt19937_64 rng(cfg.seed);
    std::shuffle(encoded.begin(), encoded.end(), rng);
    int nVal = int(std::floor(double(encoded.size()) * cfg.validationFraction));
    if (cfg.validationFraction > 0 && nVal == 0 && encoded.size() >= 2) nVal = 1;
    r.validation.assign(encoded.end() - nVal, encoded.end());
    encoded.resize(encoded.size() - size_t(nVal));
    r.trainExamples = int(encoded.size());
    const auto& tok = encoder.tokenizer();
    r.padId = tok.padId() >= 0 ? tok.padId() : tok.eosId() >= 0 ? tok.eosId() : 0;
    r.train = ft::packsRows(p) ? ft::packExamples(encoded, cfg.maxSeqLength) : encoded;
    return r;
}

QString describe(const ft::TokenizedExample& e) {
    return QStringLiteral("line %1, %2 tokens").arg(e.line).arg(e.ids.size());
}

// Every row the same, field by field.
void compareRows(const ft::ExampleRows& got, const std::vector<ft::TokenizedExample>& want, const char* what) {
    QVERIFY2(got.size() == want.size(), qPrintable(QStringLiteral("%1: %2 rows, expected %3").arg(what).arg(got.size()).arg(want.size())));
    for (size_t i = 0; i < want.size(); ++i) {
        const ft::TokenizedExample g = got[i];
        const auto& w = want[i];
        const QString where = QStringLiteral("%1 row %2 (%3)").arg(what).arg(i).arg(describe(w));
        QVERIFY2(g.ids == w.ids, qPrintable(where + ": ids differ"));
        QVERIFY2(g.labels == w.labels, qPrintable(where + ": labels differ"));
        QVERIFY2(g.segments == w.segments, qPrintable(where + ": segments differ"));
        QVERIFY2(g.line == w.line, qPrintable(where + QStringLiteral(": line %1").arg(g.line)));
        QVERIFY2(g.truncated == w.truncated, qPrintable(where + ": truncated differs"));
        QCOMPARE(got.line(i), w.line);
        QCOMPARE(got.length(i), w.ids.size());
    }
}

void compareWith(const ft::TrainingData& got, const Reference& want) {
    compareRows(got.train, want.train, "train");
    if (QTest::currentTestFailed()) return;
    compareRows(got.validation, want.validation, "validation");
    if (QTest::currentTestFailed()) return;
    QCOMPARE(got.trainExamples, want.trainExamples);
    QCOMPARE(got.skippedRows, want.skippedRows);
    QCOMPARE(got.truncatedExamples, want.truncatedExamples);
    QCOMPARE(got.padId, want.padId);
    QCOMPARE(got.rowErrors.size(), want.errors.size());
    for (size_t i = 0; i < want.errors.size(); ++i) {
        QCOMPARE(got.rowErrors[i].file, want.errors[i].file);
        QCOMPARE(got.rowErrors[i].line, want.errors[i].line);
        QCOMPARE(got.rowErrors[i].reason, want.errors[i].reason);
    }
}

// Varied chat rows: one to three turns, an optional system turn, English, Korean, emoji and code, lengths from a
// few words to past max_seq_length, with bad rows of every kind among them (and blank lines).
std::string chatRows(int rows, uint64_t seed) {
    std::mt19937_64 rng(seed);
    const std::vector<std::string> words{"model", "data", "the", "학습", "데이터를", "토큰", "🙂", "gradient", "of",
                                         "x = f(y);", "  spaced", "\ttab", "naïve", "東京", "loss", "\n", "<|im_end|>"};
    const auto text = [&](int most) {
        std::string s;
        const int n = 1 + int(rng() % uint64_t(most));
        for (int i = 0; i < n; ++i) s += (i ? " " : "") + words[rng() % words.size()];
        return s;
    };
    std::string out;
    for (int r = 0; r < rows; ++r) {
        nlohmann::ordered_json messages = nlohmann::ordered_json::array();
        if (rng() % 4 == 0) messages.push_back({{"role", "system"}, {"content", text(8)}});
        const int turns = 1 + int(rng() % 3);
        for (int t = 0; t < turns; ++t) {
            messages.push_back({{"role", "user"}, {"content", text(rng() % 10 == 0 ? 120 : 20)}});
            messages.push_back({{"role", "assistant"}, {"content", text(rng() % 10 == 0 ? 200 : 30)}});
        }
        std::string line = nlohmann::ordered_json{{"messages", messages}}.dump();
        switch (r % 97) {
        case 13: line = line.substr(0, line.size() / 2); break;                           // cut off
        case 29: line = R"({"messages": [{"role": "user", "content": "q"}]})"; break;     // no answer
        case 41: line = R"({"messages": [{"role": "user", "content": "q"}, {"role": "assistant", "content": ""}]})"; break;
        case 53: line = R"({"messages": [{"role": "user", "content": 42}, {"role": "assistant", "content": "a"}]})"; break;
        case 67: line = "[1, 2]"; break;                                                  // not an object
        case 71: line = "{\"messages\": \"\xff\"}"; break;                                // not UTF-8
        case 83: out += "\n   \n"; break;                                                 // blank lines
        default: break;
        }
        out += line + "\n";
    }
    return out;
}

std::string textRows(int rows, uint64_t seed) {
    std::mt19937_64 rng(seed);
    std::string out;
    for (int r = 0; r < rows; ++r) {
        std::string doc;
        const int n = 1 + int(rng() % 60);
        for (int i = 0; i < n; ++i) doc += std::string(i ? " " : "") + (rng() % 3 ? "tokens" : "문서") + std::to_string(rng() % 1000);
        out += r % 50 == 7 ? "{\"text\": 3}\n" : nlohmann::json{{"text", doc}}.dump() + "\n";
    }
    return out;
}

// A byte-level BPE folder (Qwen2-style tokenizer.json) with a ChatML template.
void makeBpeFolder(const fs::path& dir) {
    fs::create_directories(dir);
    fs::copy_file(fs::path(FT_TEST_DATA_DIR) / "decoders/qwen2/config.json", dir / "config.json",
                  fs::copy_options::overwrite_existing);
    fs::copy_file(fs::path(FT_TEST_DATA_DIR) / "bpe/qwen2-style/tokenizer.json", dir / "tokenizer.json",
                  fs::copy_options::overwrite_existing);
    const char* chatml =
        "{% for message in messages %}{{ '<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n' }}"
        "{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";
    const nlohmann::ordered_json tc{{"eos_token", "<|im_end|>"}, {"pad_token", "<|endoftext|>"}, {"add_bos_token", false},
                                    {"chat_template", chatml}};
    ft::writeFileAtomic(dir / "tokenizer_config.json", tc.dump(2));
}

fs::path smolLm2Gguf() {
    const char* home = std::getenv("HOME");
    return fs::path(home ? home : "") / ".cache/finetune-studio/models/SmolLM2-135M-Instruct.Q4_1.gguf";
}

} // namespace

class TestTokenCache : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    fs::path path(const std::string& name) const { return fs::path(m_dir.path().toStdString()) / name; }

    ft::Project project(const std::string& dataset, ft::FinetuneKind kind, const std::string& model) const {
        ft::Project p = ft::loadProject(path("demo/project.json"));
        p.kind = kind;
        p.dataset = dataset;
        p.model = model;
        p.training.maxSeqLength = 96;
        p.training.blockSize = 64;
        p.training.validationFraction = 0.1;
        return p;
    }

    ft::PrepareOptions inMemory(int threads) const {
        ft::PrepareOptions o;
        o.tokenCache = false;
        o.threads = threads;
        return o;
    }

    ft::PrepareOptions cached(int threads = 3) const {
        ft::PrepareOptions o;
        o.threads = threads;
        o.streamChunkBytes = 16 << 10;  // many chunks: rows, errors and raw-text blocks cross chunk boundaries
        return o;
    }

    // The reference, then the in-memory path on one and on four threads, then the streamed path writing the
    // cache, then reading it back: all equal.
    void everyPathAgrees(const ft::Project& p, const ft::ModelFolder& folder) {
        const Reference want = sequentialReference(p, folder);
        QVERIFY(!want.train.empty() && !want.validation.empty());
        for (const int threads : {1, 4}) {
            compareWith(ft::prepareTrainingData(p, folder, inMemory(threads)), want);
            if (QTest::currentTestFailed()) return;
        }
        const ft::TrainingData written = ft::prepareTrainingData(p, folder, cached());
        QVERIFY(!written.tokenCache.empty());
        QVERIFY(!written.tokenCacheReused);
        compareWith(written, want);
        if (QTest::currentTestFailed()) return;
        const ft::TrainingData reused = ft::prepareTrainingData(p, folder, cached(1));
        QVERIFY(reused.tokenCacheReused);
        QVERIFY(reused.tokenCache == written.tokenCache);
        compareWith(reused, want);
    }

private slots:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        qputenv("FT_TOKEN_CACHE", (m_dir.path() + "/token-cache").toUtf8());
        ft::makeDemo(path("demo"));
        makeBpeFolder(path("bpe-model"));
        ft::writeFileAtomic(path("demo/data/chat.jsonl"), chatRows(3000, 7));
        ft::writeFileAtomic(path("demo/data/text.jsonl"), textRows(1500, 9));
    }

    // SHA-256's published values (the first 16 digits `sha256sum` prints), and the same digest however the bytes are
    // split, with the digest taken midway not ending the stream.
    void contentHashIsSha256() {
        ft::ContentHash empty;
        QCOMPARE(empty.hex(), std::string("e3b0c44298fc1c14"));
        ft::ContentHash abc;
        abc.update("abc");
        QCOMPARE(abc.hex(), std::string("ba7816bf8f01cfea"));
        std::string bytes;
        for (int i = 0; i < 1000; ++i) bytes += char(i * 7);
        ft::ContentHash whole;
        whole.update(bytes);
        ft::ContentHash pieces;
        for (size_t at = 0, step = 1; at < bytes.size(); at += step, step = step % 37 + 1) {
            pieces.update(std::string_view(bytes).substr(at, step));
            if (at < 100) (void)pieces.digest();
        }
        QCOMPARE(pieces.digest(), whole.digest());
    }

    void instructSentencePiece() { everyPathAgrees(project("data/chat.jsonl", ft::FinetuneKind::Instruct, "model"), ft::openModelFolder(path("demo/model"))); }

    void instructBpeTrainOnPromptUnpacked() {
        ft::Project p = project("data/chat.jsonl", ft::FinetuneKind::Instruct, "../bpe-model");
        p.training.trainOnPrompt = true;
        p.training.packing = false;
        everyPathAgrees(p, ft::openModelFolder(path("bpe-model")));
    }

    void rawTextBlocks() { everyPathAgrees(project("data/text.jsonl", ft::FinetuneKind::Base, "model"), ft::openModelFolder(path("demo/model"))); }

    // Preference rows are encoded on every thread too (in memory, not cached): the same rows as one thread.
    void preferenceParallelEqualsOneThread_data() {
        QTest::addColumn<QString>("loss");
        for (const char* loss : {"dpo", "orpo", "kto"}) QTest::newRow(loss) << loss;
    }
    void preferenceParallelEqualsOneThread() {
        QFETCH(QString, loss);
        ft::Project p = project("data/preference.jsonl", ft::FinetuneKind::Preference, "model");
        p.preference.loss = loss.toStdString();
        p.training.batchSize = 2;
        const ft::ModelFolder folder = ft::openModelFolder(path("demo/model"));
        const ft::TrainingData one = ft::prepareTrainingData(p, folder, inMemory(1));
        const ft::TrainingData four = ft::prepareTrainingData(p, folder, inMemory(4));
        QVERIFY(!one.preferenceTrain.empty());
        for (const auto& [a, b] : {std::pair{&one.preferenceTrain, &four.preferenceTrain},
                                   std::pair{&one.preferenceValidation, &four.preferenceValidation}}) {
            QCOMPARE(a->size(), b->size());
            for (size_t i = 0; i < a->size(); ++i) {
                QVERIFY((*a)[i].chosen == (*b)[i].chosen && (*a)[i].rejected == (*b)[i].rejected);
                QVERIFY((*a)[i].mismatched == (*b)[i].mismatched && (*a)[i].line == (*b)[i].line);
                QCOMPARE((*a)[i].chosenPrompt, (*b)[i].chosenPrompt);
                QCOMPARE((*a)[i].rejectedPrompt, (*b)[i].rejectedPrompt);
                QVERIFY((*a)[i].desirable == (*b)[i].desirable);
            }
        }
        QCOMPARE(one.truncatedExamples, four.truncatedExamples);
        QCOMPARE(one.promptCutRows, four.promptCutRows);
    }

    // The real model's byte-level tokenizer and template (SmolLM2 from its GGUF file's metadata), when present.
    void realTokenizerSmolLm2() {
        const fs::path gguf = smolLm2Gguf();
        if (!fs::exists(gguf))
            QSKIP(qPrintable("the SmolLM2 GGUF file is not at " + QString::fromStdString(gguf.string()) +
                             " (packaging/setup.sh fetches it)"));
        const fs::path dir = path("smollm2");
        fs::create_directories(dir);
        const ft::GgufTokenizerFiles files = ft::tokenizerFromGguf(ft::GgufFile::open(gguf));
        QVERIFY(!files.tokenizerJson.empty());
        ft::writeFileAtomic(dir / "tokenizer.json", files.tokenizerJson);
        ft::writeFileAtomic(dir / "tokenizer_config.json", files.tokenizerConfig.dump());
        fs::copy_file(fs::path(FT_TEST_DATA_DIR) / "decoders/llama3/config.json", dir / "config.json",
                      fs::copy_options::overwrite_existing);
        const ft::ModelFolder folder = ft::openModelFolder(dir);
        QVERIFY(!folder.chatTemplate.empty());
        ft::Project p = project("data/chat.jsonl", ft::FinetuneKind::Instruct, "../smollm2");
        p.training.maxSeqLength = 256;
        everyPathAgrees(p, folder);
    }

    // The cache is keyed by content and settings: an edited file, or another max_seq_length, is encoded anew.
    void changesMakeANewCache() {
        ft::writeFileAtomic(path("demo/data/small.jsonl"), chatRows(300, 3));
        ft::Project p = project("data/small.jsonl", ft::FinetuneKind::Instruct, "model");
        const ft::ModelFolder folder = ft::openModelFolder(path("demo/model"));
        const ft::TrainingData first = ft::prepareTrainingData(p, folder, cached());
        QVERIFY(ft::prepareTrainingData(p, folder, cached()).tokenCacheReused);
        p.training.maxSeqLength = 48;
        const ft::TrainingData shorter = ft::prepareTrainingData(p, folder, cached());
        QVERIFY(!shorter.tokenCacheReused);
        QVERIFY(shorter.tokenCache != first.tokenCache);
        compareWith(shorter, sequentialReference(p, folder));
        p.training.maxSeqLength = 96;
        ft::writeFileAtomic(path("demo/data/small.jsonl"), chatRows(310, 3));  // new content (and mtime, inode)
        const ft::TrainingData edited = ft::prepareTrainingData(p, folder, cached());
        QVERIFY(!edited.tokenCacheReused);
        compareWith(edited, sequentialReference(p, folder));
    }

    // A cache cut short, or with a damaged header, is not read; a writer's leftover of a dead process is removed.
    void damagedCachesAreNotRead_data() {
        QTest::addColumn<int>("damage");
        QTest::newRow("cut short") << 0;
        QTest::newRow("header byte") << 1;
        QTest::newRow("offsets") << 2;
    }
    void damagedCachesAreNotRead() {
        QFETCH(int, damage);
        ft::writeFileAtomic(path("demo/data/damaged.jsonl"), chatRows(200, 100 + uint64_t(damage)));
        const ft::Project p = project("data/damaged.jsonl", ft::FinetuneKind::Instruct, "model");
        const ft::ModelFolder folder = ft::openModelFolder(path("demo/model"));
        const fs::path file = ft::prepareTrainingData(p, folder, cached()).tokenCache;
        std::string bytes = ft::readFile(file);
        if (damage == 0) bytes.resize(bytes.size() - 5);
        if (damage == 1) bytes[20] ^= 1;
        if (damage == 2) {  // the top byte of the 6th example's start: the offsets no longer rise
            uint32_t idBytes = 0;
            uint64_t tokens = 0;
            std::memcpy(&idBytes, bytes.data() + 12, 4);
            std::memcpy(&tokens, bytes.data() + 32, 8);
            const uint64_t starts = (128 + tokens * idBytes + 7) / 8 * 8;
            bytes[size_t(starts + 8 * 5 + 7)] ^= 0x40;
        }
        ft::writeFileAtomic(file, bytes);
        const ft::TrainingData again = ft::prepareTrainingData(p, folder, cached());
        QVERIFY(!again.tokenCacheReused);
        compareWith(again, sequentialReference(p, folder));
        QVERIFY(ft::readFile(file) != bytes);  // written anew
    }

    void leftoversAndClearing() {
        const fs::path dir = ft::tokenCacheDir();
        const fs::path stale = dir / ".partial-999999999-0.tokens";  // no such process
        ft::writeFileAtomic(stale, "half a cache");
        ft::writeFileAtomic(path("demo/data/tiny.jsonl"), chatRows(50, 5));
        const ft::ModelFolder folder = ft::openModelFolder(path("demo/model"));
        (void)ft::prepareTrainingData(project("data/tiny.jsonl", ft::FinetuneKind::Instruct, "model"), folder, cached());
        QVERIFY(!fs::exists(stale));
        QVERIFY(ft::tokenCacheBytes() > 0);
        QVERIFY(ft::clearTokenCache() > 0);
        for (const auto& e : fs::directory_iterator(dir)) QVERIFY2(e.path().extension() != ".tokens", e.path().c_str());
    }

    // The errors come in the order the sequential path raises them: the dataset's (a file of another kind) before the
    // encoder's (a row the template refuses), whichever row comes first in the file.
    void errorsMatchTheSequentialPath_data() {
        QTest::addColumn<QString>("rows");
        QTest::addColumn<int>("kind");
        const std::string good = R"({"messages": [{"role": "user", "content": "q"}, {"role": "assistant", "content": "a"}]})";
        const std::string refused = R"({"messages": [{"role": "user", "content": "RAISE"}, {"role": "assistant", "content": "a"}]})";
        std::string many;
        for (int i = 0; i < 2000; ++i) many += (i == 1500 ? refused : good) + "\n";
        QTest::newRow("template raises late") << QString::fromStdString(many) << int(ft::FinetuneKind::Instruct);
        QTest::newRow("raises on the first row")
            << QString::fromStdString(refused + "\n" + "{\"x\": 1}\n") << int(ft::FinetuneKind::Instruct);
        QTest::newRow("text rows for instruct") << QString::fromStdString(R"({"text": "t"})" "\n") << int(ft::FinetuneKind::Instruct);
        QTest::newRow("chat rows for base") << QString::fromStdString(good + "\n") << int(ft::FinetuneKind::Base);
        QTest::newRow("no records") << QString("\n\n") << int(ft::FinetuneKind::Instruct);
        QTest::newRow("too little text") << QString(R"({"text": "a b"})" "\n") << int(ft::FinetuneKind::Base);
    }
    void errorsMatchTheSequentialPath() {
        QFETCH(QString, rows);
        QFETCH(int, kind);
        ft::writeFileAtomic(path("demo/data/errors.jsonl"), rows.toStdString());
        ft::Project p = project("data/errors.jsonl", ft::FinetuneKind(kind), "model");
        p.chatTemplate = "{% for m in messages %}{% if m['content'] == 'RAISE' %}{{ raise_exception('refused') }}{% endif %}"
                         "{{ m['role'] + ': ' + m['content'] + '\\n' }}{% endfor %}{% if add_generation_prompt %}assistant: {% endif %}";
        const ft::ModelFolder folder = ft::openModelFolder(path("demo/model"));
        const auto messageOf = [&](auto&& prepare) -> std::string {
            try {
                prepare();
            } catch (const ft::Error& e) {
                return e.what();
            }
            return "(no error)";
        };
        const std::string want = messageOf([&] { (void)sequentialReference(p, folder); });
        QVERIFY(want != "(no error)");
        QCOMPARE(messageOf([&] { (void)ft::prepareTrainingData(p, folder, inMemory(4)); }), want);
        QCOMPARE(messageOf([&] { (void)ft::prepareTrainingData(p, folder, cached()); }), want);
    }
};

QTEST_GUILESS_MAIN(TestTokenCache)
#include "tst_token_cache.moc"
