// libFuzzer target: the dataset loaders. The first byte b picks the file type (b % 5: .jsonl, .json, .csv, .txt,
// .tsv), the kind asked for ((b / 5) % 4: detected, instruct, raw text, preference: what a preference project asks
// for) and the format ((b / 20) % 9: detected, or each DatasetFormat forced, as a project's dataset_format does), so
// bytes 0-4 load as before. The rest is written to a per-process scratch file that loadDataset reads (it has no
// in-memory entry point: JSONL and .txt are streamed from the file).
#include "core/common/error.h"
#include "core/data/dataset.h"
#include "fuzz/scratch.h"

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <optional>
#include <string>
#include <unistd.h>

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
    std::error_code ec;
    std::filesystem::remove(file, ec);
    return 0;
}
