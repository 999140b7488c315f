// libFuzzer target: the dataset loaders. The first byte picks the file type (.jsonl, .json, .csv, .txt, .tsv), the
// rest is written to a temp file that loadDataset reads.
#include "core/common/error.h"
#include "core/data/dataset.h"

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <string>
#include <unistd.h>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size == 0) return 0;
    static const char* kExtensions[] = {".jsonl", ".json", ".csv", ".txt", ".tsv"};
    const char* ext = kExtensions[data[0] % 5];
    static const std::filesystem::path dir = std::filesystem::temp_directory_path();
    const std::filesystem::path file = dir / ("ft-fuzz-dataset-" + std::to_string(getpid()) + ext);
    if (std::FILE* f = std::fopen(file.c_str(), "wb")) {
        std::fwrite(data + 1, 1, size - 1, f);
        std::fclose(f);
    } else {
        return 0;
    }
    try {
        (void)ft::loadDataset(file, std::nullopt);
    } catch (const ft::Error&) {
    }
    std::error_code ec;
    std::filesystem::remove(file, ec);
    return 0;
}
