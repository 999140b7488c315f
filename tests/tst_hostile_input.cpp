// Hostile input: every file the fuzzers (fuzz/) ever crashed on is replayed through the same parser, and inputs
// built to exhaust time or memory must stop at the documented limits with a clear ft::Error.
#include "core/common/error.h"
#include "core/data/dataset.h"
#include "core/io/safetensors.h"
#include "core/io/gguf_file.h"
#include "core/io/safetensors_header.h"
#include "core/model/model_config.h"
#include "core/peft/method_spec.h"
#include "core/text/bpe_tokenizer.h"
#include "core/text/chat_template.h"
#include "core/project/project.h"
#include "core/train/checkpoint_info.h"
#include "core/train/metrics_log.h"
#include "core/train/run_folder.h"

#include <QTemporaryDir>
#include <QtTest>
#include <nlohmann/json.hpp>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <regex>

namespace fs = std::filesystem;

namespace {

std::string readBytes(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), {}};
}

// The same input handling as fuzz/<target>.cpp; throws whatever the parser throws.
void feed(const std::string& target, const std::string& input, const fs::path& tmp) {
    const auto nul = input.find('\0');
    if (target == "fuzz_safetensors_header") {
        const auto* bytes = reinterpret_cast<const unsigned char*>(input.data());
        const uint64_t n = ft::readHeaderLength(bytes, input.size(), "fuzz.safetensors");
        ft::parseSafetensorsHeader(std::string_view(input).substr(8, n), input.size(), "fuzz.safetensors");
    } else if (target == "fuzz_gguf") {
        const auto file = ft::GgufFile::parse({reinterpret_cast<const uint8_t*>(input.data()), input.size()}, "fuzz.gguf");
        for (const auto& t : file.tensors())
            if (t.numel <= (1u << 20) && ft::ggmlTypeTraits(uint32_t(t.type))->dequantize) (void)file.dequantize(t);
    } else if (target == "fuzz_model_config") {
        ft::modelConfigToJson(ft::parseModelConfig(input, "config.json"));
    } else if (target == "fuzz_tokenizer_json") {
        const auto tok = ft::parseTokenizerJson(std::string_view(input).substr(0, nul), "tokenizer.json");
        const std::string text = nul == std::string::npos ? "Hello, world! 123 héllo  \n\t<|x|>" : input.substr(nul + 1);
        tok->decode(tok->encode(text).ids);
    } else if (target == "fuzz_jinja") {
        nlohmann::ordered_json messages = nlohmann::ordered_json::array({{{"role", "user"}, {"content", "Hi"}}});
        if (nul != std::string::npos) {
            auto parsed = nlohmann::ordered_json::parse(input.substr(nul + 1), nullptr, false);
            messages = parsed.is_array() ? parsed
                                         : nlohmann::ordered_json::array({{{"role", "user"}, {"content", input.substr(nul + 1)}}});
        }
        ft::ChatTemplate::compile(std::string_view(input).substr(0, nul), "fuzz.jinja").render(messages);
    } else if (target == "fuzz_dataset") {  // first byte b: extension b % 5, kind (b / 5) % 4, format (b / 20) % 9
        if (input.empty()) return;
        const char* exts[] = {".jsonl", ".json", ".csv", ".txt", ".tsv"};
        const std::optional<ft::DatasetKind> kinds[] = {std::nullopt, ft::DatasetKind::Instruct, ft::DatasetKind::RawText,
                                                        ft::DatasetKind::Preference};
        const auto b = static_cast<unsigned char>(input[0]);
        const fs::path file = tmp / (std::string("data") + exts[b % 5]);
        std::ofstream(file, std::ios::binary) << input.substr(1);
        ft::DatasetOptions options;
        if ((b / 20) % 9 > 0) options.format = ft::DatasetFormat((b / 20) % 9 - 1);
        const ft::Dataset ds = ft::loadDataset(file, kinds[(b / 5) % 4], options);
        ft::unpairPreferences(ds.examples);
    } else if (target == "fuzz_project") {  // and what saving it writes loads back
        const ft::Project p = ft::parseProject(input, "/home/u/proj/project.json");
        ft::parseProject(ft::projectToJson(p), "/home/u/proj/project.json");
    } else if (target == "fuzz_run_folder") {
        // NUL-separated run.json, checkpoints/step-000002/trainer_state.json and project.json, metrics.jsonl
        const fs::path run = tmp / "runs" / "20260101-000000", checkpoint = ft::checkpointDir(run, 2);
        fs::create_directories(checkpoint);
        const fs::path files[] = {ft::runStateFile(run), checkpoint / "trainer_state.json",
                                  ft::checkpointProjectFile(checkpoint), ft::runMetricsFile(run)};
        size_t begin = 0;
        for (const fs::path& file : files) {
            if (begin > input.size()) break;
            const size_t end = std::min(input.find('\0', begin), input.size());
            std::ofstream(file, std::ios::binary) << input.substr(begin, end - begin);
            begin = end + 1;
        }
        const auto refusedAtMost = [](auto&& read) {  // each reader on its own, as the app calls them
            try {
                read();
            } catch (const ft::Error&) {
            }
        };
        refusedAtMost([&] { ft::runsToJson(ft::listRuns(run.parent_path())); });
        refusedAtMost([&] { ft::runProgress(run); });
        refusedAtMost([&] { ft::checkpointExport(run); });
        refusedAtMost([&] { ft::truncateMetricsLog(ft::runMetricsFile(run), 1); });
    } else {
        QFAIL(qPrintable(QString::fromStdString("no parser for the folder " + target)));
    }
}

// Resets VmHWM to the current RSS (Linux 4.0+), so a growth is measured from here, not from earlier tests' peaks.
void resetPeakRss() {
    std::ofstream("/proc/self/clear_refs") << "5";
}

size_t peakRssBytes() {  // VmHWM: the most resident memory this process has had
    std::ifstream in("/proc/self/status");
    for (std::string line; std::getline(in, line);)
        if (line.rfind("VmHWM:", 0) == 0) return std::stoull(line.substr(6)) * 1024;
    return 0;
}

ft::Error renderError(const std::string& source) {
    try {
        ft::ChatTemplate::compile(source, "hostile.jinja").render(nlohmann::ordered_json::array());
    } catch (const ft::Error& e) {
        return e;
    }
    return ft::Error(ft::ErrorCode::Internal, "", "rendered without error");
}

std::string safetensorsFile(uint64_t headerLength, const std::string& header, size_t dataBytes) {
    std::string bytes(8, '\0');
    for (int i = 0; i < 8; ++i) bytes[size_t(i)] = char((headerLength >> (8 * i)) & 0xFF);
    return bytes + header + std::string(dataBytes, '\0');
}

std::string headerError(const std::string& file) {
    const auto* bytes = reinterpret_cast<const unsigned char*>(file.data());
    try {
        const uint64_t n = ft::readHeaderLength(bytes, file.size(), "t.safetensors");
        ft::parseSafetensorsHeader(std::string_view(file).substr(8, n), file.size(), "t.safetensors");
    } catch (const ft::Error& e) {
        return e.detail();
    }
    return "accepted";
}

} // namespace

class TestHostileInput : public QObject {
    Q_OBJECT

private slots:
    // The fuzz build cannot link the method table (its rows point at LibTorch code), so fuzz/method_names.cpp repeats
    // its names and flags: the two must not drift apart, or the project fuzzer tests another table.
    void fuzzMethodTableIsTheEngines() {
        std::ifstream in(std::string(FT_SOURCE_DIR) + "/fuzz/method_names.cpp");
        QVERIFY(in);
        const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        const std::regex row(R"re(MethodSpec\{Method::\w+,\s*"(\w+)",\s*"(\w*)",\s*T::(\w+),\s*(true|false),\s*(true|false),\s*(true|false)\})re");
        std::vector<std::string> fuzz, engine;
        for (auto it = std::sregex_iterator(text.begin(), text.end(), row); it != std::sregex_iterator(); ++it)
            fuzz.push_back((*it)[1].str() + "|" + (*it)[2].str() + "|" + (*it)[4].str() + (*it)[5].str() + (*it)[6].str());
        for (const ft::MethodSpec& m : ft::methodSpecs())
            engine.push_back(std::string(m.name) + "|" + std::string(m.peftType) + "|" + (m.needsFourBitBase ? "true" : "false") +
                             (m.mergeable ? "true" : "false") + (m.exportsAdapter ? "true" : "false"));
        QCOMPARE(fuzz.size(), engine.size());
        for (size_t i = 0; i < fuzz.size(); ++i) QCOMPARE(fuzz[i], engine[i]);
    }

    void replayFuzzRegressions_data();
    void replayFuzzRegressions();
    void fuzzFindings_data();
    void fuzzFindings();
    void projectNumbersRefused_data();
    void projectNumbersRefused();
    void templateLimits_data();
    void templateLimits();
    void safetensorsHeaderRefused_data();
    void safetensorsHeaderRefused();
    void safetensorsHugeHeaderFile();
    void datasetLongLine_data();
    void datasetLongLine();
    void datasetBinaryGarbage();
    void datasetWholeFileLimit();
    void projectOutputStaysInside_data();
    void projectOutputStaysInside();
};

void TestHostileInput::replayFuzzRegressions_data() {
    QTest::addColumn<QString>("target");
    QTest::addColumn<QString>("file");
    const fs::path root = fs::path(FT_TEST_DATA_DIR) / "fuzz-regressions";
    for (const auto& dir : fs::directory_iterator(root)) {
        if (!dir.is_directory()) continue;
        for (const auto& f : fs::directory_iterator(dir.path())) {
            const std::string name = dir.path().filename().string() + "/" + f.path().filename().string();
            QTest::newRow(name.c_str()) << QString::fromStdString(dir.path().filename().string())
                                        << QString::fromStdString(f.path().string());
        }
    }
}

void TestHostileInput::replayFuzzRegressions() {
    QFETCH(QString, target);
    QFETCH(QString, file);
    QTemporaryDir tmp;
    try {
        feed(target.toStdString(), readBytes(file.toStdString()), tmp.path().toStdString());
    } catch (const ft::Error&) {  // a clear refusal is fine; anything else is the bug coming back
    } catch (const std::exception& e) {
        QFAIL(qPrintable(QStringLiteral("not an ft::Error: ") + QString::fromUtf8(e.what())));
    }
}

// Found by the fuzzers (packaging/fuzz.sh --campaign) or written beside such a finding, minimised; replayed as
// replayFuzzRegressions does. The out-of-range numbers were undefined behaviour (UBSan reports them).
void TestHostileInput::fuzzFindings_data() {
    QTest::addColumn<QString>("target");
    QTest::addColumn<QByteArray>("input");
    const auto row = [](const char* name, const char* target, const std::string& input) {
        QTest::newRow(name) << target << QByteArray(input.data(), qsizetype(input.size()));
    };
    const std::string project = R"("format":"finetune-studio-project","version":1)";
    row("project: version a string", "fuzz_project", R"({"format":"finetune-studio-project","version":"preference"})");
    row("project: format a number", "fuzz_project", R"({"format":1})");
    row("project: version 1e30", "fuzz_project", R"({"format":"finetune-studio-project","version":1e30})");
    row("project: epochs 1e30", "fuzz_project", "{" + project + R"(,"training":{"epochs":1e30}})");
    row("project: seed -1e30", "fuzz_project", "{" + project + R"(,"training":{"seed":-1e30}})");
    const std::string state = R"({"step":2,"total_steps":2})", nul(1, '\0');
    row("run: steps_done 1e30", "fuzz_run_folder",
        R"({"format":"finetune-studio-run","version":1,"state":"failed","steps_done":1e30})" + nul + state);
    row("run: trainer_state a list", "fuzz_run_folder", nul + "[]");
    row("run: step a string", "fuzz_run_folder", nul + R"({"step":"2","total_steps":2})");
    row("run: step 1e30", "fuzz_run_folder", nul + R"({"step":1e30,"total_steps":2})");
    row("run: checkpoint's project version a string", "fuzz_run_folder",
        nul + state + nul + R"({"format":"finetune-studio-project","version":"1"})");
}

void TestHostileInput::fuzzFindings() {
    QFETCH(QString, target);
    QFETCH(QByteArray, input);
    QTemporaryDir tmp;
    try {
        feed(target.toStdString(), input.toStdString(), tmp.path().toStdString());
    } catch (const ft::Error&) {
    } catch (const std::exception& e) {
        QFAIL(qPrintable(QStringLiteral("not an ft::Error: ") + QString::fromUtf8(e.what())));
    }
}

// Numbers a project's integers cannot hold are refused by name, not wrapped (or, from a float, undefined).
void TestHostileInput::projectNumbersRefused_data() {
    QTest::addColumn<QString>("json");
    QTest::addColumn<QString>("where");
    QTest::newRow("version \"1\"") << R"("version":"1")" << "version";
    QTest::newRow("version 1e30") << R"("version":1e30)" << "version";
    QTest::newRow("epochs 1e30") << R"("version":1,"training":{"epochs":1e30})" << "epochs";
    QTest::newRow("batch_size 2^32") << R"("version":1,"training":{"batch_size":4294967296})" << "batch_size";
    QTest::newRow("lora r -1e10") << R"("version":1,"lora":{"r":-1e10})" << "lora.r";
}

void TestHostileInput::projectNumbersRefused() {
    QFETCH(QString, json);
    QFETCH(QString, where);
    try {
        ft::parseProject(R"({"format":"finetune-studio-project",)" + json.toStdString() + "}", "/home/u/proj/project.json");
        QFAIL("accepted");
    } catch (const ft::Error& e) {
        QVERIFY2(QString::fromStdString(e.where()).contains(where), e.where().c_str());
    }
}

void TestHostileInput::templateLimits_data() {
    QTest::addColumn<QString>("source");
    QTest::addColumn<QString>("detail");
    QTest::newRow("range(10**9)")
        << "{% for i in range(10**9) %}{% for j in range(10**9) %}x{% endfor %}{% endfor %}" << "range() of more than";
    QTest::newRow("nested loops, 10**10 steps")
        << "{% for i in range(10**5) %}{% for j in range(10**5) %}{% endfor %}{% endfor %}" << "loop iterations";
    QTest::newRow("macro calls itself") << "{% macro f(n) %}{{ f(n + 1) }}{% endmacro %}{{ f(0) }}" << "nested deeper";
    QTest::newRow("string times 10**9") << "{{ 'x' * 10**9 }}" << "output limit";
    QTest::newRow("doubling concatenation")
        << "{% set ns = namespace(s='xx') %}{% for i in range(64) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}{{ ns.s }}"
        << "output limit";
    QTest::newRow("output of many small pieces")
        << "{% for i in range(1000) %}{% for j in range(1000) %}{{ 'y' * 100 }}{% endfor %}{% endfor %}" << "output limit";
    QTest::newRow("list times 10**9") << "{{ ([1] * 10**9) | length }}" << "";
}

void TestHostileInput::templateLimits() {
    QFETCH(QString, source);
    QFETCH(QString, detail);
    QElapsedTimer timer;
    timer.start();
    const ft::Error e = renderError(source.toStdString());
    QCOMPARE(ft::errorCodeName(e.code()), ft::errorCodeName(ft::ErrorCode::LimitExceeded));
    QVERIFY2(QString::fromStdString(e.detail()).contains(detail), e.detail().c_str());
    QVERIFY2(timer.elapsed() < 30'000, "the limit took too long to reach");
}

void TestHostileInput::safetensorsHeaderRefused_data() {
    QTest::addColumn<QByteArray>("file");
    QTest::addColumn<QString>("detail");
    const auto row = [](const char* name, const std::string& file, const char* detail) {
        QTest::newRow(name) << QByteArray(file.data(), qsizetype(file.size())) << detail;
    };
    const std::string ok = R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}})";
    row("well-formed", safetensorsFile(ok.size(), ok, 8), "accepted");
    row("header length of a terabyte", safetensorsFile(uint64_t(1) << 40, ok, 8), "exceeds 100 MB");
    row("header length past the file", safetensorsFile(ok.size() + 100, ok, 8), "runs past the end");
    row("shorter than the prefix", std::string(5, '\0'), "shorter than the 8-byte");
    const std::string tera = R"({"a":{"dtype":"F32","shape":[1000000,1000000,1000000],"data_offsets":[0,8]}})";
    row("shape of terabytes", safetensorsFile(tera.size(), tera, 8), "shape is larger than the file");
    const std::string negative = R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[-8,0]}})";
    row("negative offsets", safetensorsFile(negative.size(), negative, 8), "not natural numbers");
    const std::string overflow = R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[18446744073709551615,7]}})";
    row("offset 2^64-1", safetensorsFile(overflow.size(), overflow, 8), "fall outside the data section");
    const std::string past = R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,99999999999]}})";
    row("offsets past the end", safetensorsFile(past.size(), past, 8), "fall outside the data section");
    const std::string big = R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,1e400]}})";
    row("offset 1e400", safetensorsFile(big.size(), big, 8), "header JSON");
}

void TestHostileInput::safetensorsHeaderRefused() {
    QFETCH(QByteArray, file);
    QFETCH(QString, detail);
    const std::string got = headerError(file.toStdString());
    QVERIFY2(QString::fromStdString(got).contains(detail), got.c_str());
}

// The loader itself: a header claiming a terabyte is refused from the 8-byte prefix, before anything is allocated.
void TestHostileInput::safetensorsHugeHeaderFile() {
    QTemporaryDir tmp;
    const fs::path file = tmp.path().toStdString() + "/huge.safetensors";
    std::ofstream(file, std::ios::binary) << safetensorsFile(uint64_t(1) << 40, "{}", 0);
    resetPeakRss();
    const size_t before = peakRssBytes();
    try {
        ft::SafetensorsFile::open(file);
        QFAIL("opened");
    } catch (const ft::Error& e) {
        QVERIFY2(e.detail().find("exceeds 100 MB") != std::string::npos, e.detail().c_str());
    }
    QVERIFY(peakRssBytes() - before < (16u << 20));
}

void TestHostileInput::datasetLongLine_data() {
    QTest::addColumn<QString>("ext");
    QTest::newRow("jsonl") << ".jsonl";
    QTest::newRow("txt") << ".txt";
}

// A 100 MB line between two good records: reported with its line number, streamed past, never held whole.
void TestHostileInput::datasetLongLine() {
    QFETCH(QString, ext);
    QTemporaryDir tmp;
    const fs::path file = tmp.path().toStdString() + "/long" + ext.toStdString();
    const bool jsonl = ext == ".jsonl";
    {
        std::ofstream out(file, std::ios::binary);
        out << (jsonl ? R"({"text": "first"})" : "first") << "\n\n";
        const std::string chunk(1 << 20, 'a');
        out << (jsonl ? R"({"text": ")" : "");
        for (int i = 0; i < 100; ++i) out << chunk;
        out << (jsonl ? "\"}" : "") << "\n\n" << (jsonl ? R"({"text": "last"})" : "last") << "\n";
    }
    resetPeakRss();
    const size_t before = peakRssBytes();
    const ft::Dataset ds = ft::loadDataset(file, std::nullopt);
    const size_t growth = peakRssBytes() - before;
    QCOMPARE(int(ds.examples.size()), 2);
    QCOMPARE(ds.examples[1].text, std::string("last"));
    QCOMPARE(int(ds.errors.size()), 1);
    QCOMPARE(ds.errors[0].line, 3);
    QVERIFY2(ds.errors[0].reason.find("longer than the limit") != std::string::npos, ds.errors[0].reason.c_str());
    QVERIFY2(growth < (64u << 20), qPrintable(QString("peak RSS grew by %1 MB").arg(growth >> 20)));
}

// Random bytes as JSONL: every bad line is reported by number, and the file is refused as a whole.
void TestHostileInput::datasetBinaryGarbage() {
    QTemporaryDir tmp;
    const fs::path file = tmp.path().toStdString() + "/garbage.jsonl";
    std::mt19937 rng(7);
    std::string bytes(1 << 16, '\0');
    for (char& c : bytes) c = char(rng() & 0xFF);
    std::ofstream(file, std::ios::binary) << bytes;
    try {
        ft::loadDataset(file, std::nullopt);
        QFAIL("loaded");
    } catch (const ft::Error& e) {
        QCOMPARE(ft::errorCodeName(e.code()), ft::errorCodeName(ft::ErrorCode::InvalidValue));
        QVERIFY2(e.detail().find("first problem at line 1") != std::string::npos, e.detail().c_str());
    }
}

void TestHostileInput::datasetWholeFileLimit() {
    QTemporaryDir tmp;
    const fs::path file = tmp.path().toStdString() + "/big.json";
    std::ofstream(file) << R"([{"text": ")" << std::string(4096, 'z') << R"("}])";
    ft::DatasetOptions options;
    options.maxWholeFileBytes = 1024;
    try {
        ft::loadDataset(file, std::nullopt, options);
        QFAIL("loaded");
    } catch (const ft::Error& e) {
        QCOMPARE(ft::errorCodeName(e.code()), ft::errorCodeName(ft::ErrorCode::LimitExceeded));
    }
    QCOMPARE(int(ft::loadDataset(file, std::nullopt).examples.size()), 1);
}

void TestHostileInput::projectOutputStaysInside_data() {
    QTest::addColumn<QString>("output");
    QTest::addColumn<bool>("accepted");
    QTest::newRow("inside") << "runs/first" << true;
    QTest::newRow("inside via ..") << "runs/../out" << true;
    QTest::newRow("absolute, chosen by the user") << "/tmp/ft-out" << true;
    QTest::newRow("parent") << "../../etc" << false;
    QTest::newRow("parent, hidden") << "runs/../../../etc" << false;
    QTest::newRow("just ..") << ".." << false;
    QTest::newRow("empty") << "" << false;
}

void TestHostileInput::projectOutputStaysInside() {
    QFETCH(QString, output);
    QFETCH(bool, accepted);
    nlohmann::json j = {{"format", "finetune-studio-project"}, {"version", ft::kProjectFormatVersion},
                        {"model", "model"}, {"dataset", "data.jsonl"}, {"output", output.toStdString()}};
    try {
        const ft::Project p = ft::parseProject(j.dump(), "/home/u/proj/project.json");
        QVERIFY2(accepted, "accepted");
    } catch (const ft::Error& e) {
        QVERIFY2(!accepted, e.detail().c_str());
        QVERIFY2(e.where().find("output") != std::string::npos, e.where().c_str());
    }
}

QTEST_GUILESS_MAIN(TestHostileInput)
#include "tst_hostile_input.moc"
