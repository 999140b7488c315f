// libFuzzer target: the dataset loaders. The first byte b picks the file type (b % 5: .jsonl, .json, .csv, .txt,
// .tsv), the kind asked for ((b / 5) % 4: detected, instruct, raw text, preference: what a preference project asks
// for) and the format ((b / 20) % 9: detected, or each DatasetFormat forced, as a project's dataset_format does), so
// bytes 0-4 load as before. The rest is written to a per-process scratch file that loadDataset reads (it has no
// in-memory entry point: JSONL and .txt are streamed from the file). A .jsonl file is also read by DatasetStream (what
// training's preparation streams) in chunks of 1 to 128 bytes on one or two threads: it must give the same rows and bad rows,
// or refuse the file with the same words.
#include "core/common/error.h"
#include "core/data/dataset.h"
#include "core/data/dataset_stream.h"
#include "fuzz/scratch.h"

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <optional>
#include <string>
#include <unistd.h>

namespace {

void add(std::string& out, const std::vector<ft::ChatMessage>& messages) {
    for (const auto& m : messages) out += m.role + '\x1f' + m.content + '\x1e';
    out += '\x1d';
}

// Everything loadDataset gives, as one string to compare.
std::string describe(const std::vector<ft::Example>& examples, const std::vector<ft::RowError>& errors) {
    std::string out;
    for (const auto& e : examples) {
        out += std::to_string(e.line) + ':' + e.text + '\x1d';
        add(out, e.messages);
        if (const auto& p = e.preference) {
            out += std::string(p->conversational ? "c" : "p") + (p->desirable ? (*p->desirable ? "+" : "-") : "=");
            out += p->chosen + '\x1d' + p->rejected + '\x1d';
            add(out, p->chosenMessages);
            add(out, p->rejectedMessages);
        }
        out += '\n';
    }
    for (const auto& e : errors) out += e.file + ':' + std::to_string(e.line) + ':' + e.reason + '\n';
    return out;
}

std::string loaded(const std::filesystem::path& file, std::optional<ft::DatasetKind> kind, const ft::DatasetOptions& options) {
    try {
        const ft::Dataset ds = ft::loadDataset(file, kind, options);
        return std::to_string(int(ds.kind)) + describe(ds.examples, ds.errors);
    } catch (const ft::Error& e) {
        return std::string("refused: ") + e.what();
    }
}

std::string streamed(const std::filesystem::path& file, std::optional<ft::DatasetKind> kind, const ft::DatasetOptions& options,
                     int threads, size_t chunkBytes) {
    try {
        ft::DatasetStream stream(file, kind, options, threads, chunkBytes);
        std::vector<ft::Example> examples;
        std::vector<ft::RowError> errors;
        while (auto chunk = stream.next()) {
            for (auto& e : chunk->examples) examples.push_back(std::move(e));
            for (auto& e : chunk->errors) errors.push_back(std::move(e));
        }
        stream.finish();
        return std::to_string(int(stream.kind())) + describe(examples, errors);
    } catch (const ft::Error& e) {
        return std::string("refused: ") + e.what();
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size == 0) return 0;
    static const char* kExtensions[] = {".jsonl", ".json", ".csv", ".txt", ".tsv"};
    static const std::optional<ft::DatasetKind> kKinds[] = {std::nullopt, ft::DatasetKind::Instruct,
                                                            ft::DatasetKind::RawText, ft::DatasetKind::Preference};
    const char* ext = kExtensions[data[0] % 5];
    const std::optional<ft::DatasetKind> kind = kKinds[(data[0] / 5) % 4];
    ft::DatasetOptions options;
    if (const int f = (data[0] / 20) % 9; f > 0) options.format = ft::DatasetFormat(f - 1);
    static const std::filesystem::path dir = fuzzScratchDir();
    const std::filesystem::path file = dir / ("ft-fuzz-dataset-" + std::to_string(getpid()) + ext);
    if (std::FILE* f = std::fopen(file.c_str(), "wb")) {
        std::fwrite(data + 1, 1, size - 1, f);
        std::fclose(f);
    } else {
        return 0;
    }
    try {
        const ft::Dataset ds = ft::loadDataset(file, kind, options);
        if (kind && ds.kind != *kind) __builtin_trap();  // a kind asked for is loaded or refused, never swapped
        if (ds.kind == ft::DatasetKind::Preference) {  // what preference training and its preview do with the rows
            (void)ft::unpairPreferences(ds.examples);
            for (const auto& row : ds.examples) (void)ft::chosenConversation(row);
        }
    } catch (const ft::Error&) {
    }
    if (data[0] % 5 == 0 && size > 1) {
        const size_t chunkBytes = 1 + (data[size - 1] >> 1) % 128;
        const int threads = 1 + (data[size - 1] & 1);
        if (loaded(file, kind, options) != streamed(file, kind, options, threads, chunkBytes)) __builtin_trap();
    }
    std::error_code ec;
    std::filesystem::remove(file, ec);
    return 0;
}
