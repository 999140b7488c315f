#pragma once
// A dataset read a chunk at a time, so a file of a million rows never sits in memory whole. JSONL is streamed: each
// chunk's lines parsed and read on several threads, bad rows reported exactly as loadDataset reports them (the same
// lines, the same words, the same error raised for a file of another kind). Other files (.json, .csv, .tsv, .txt)
// are read whole by loadDataset and come as one chunk.

#include "core/data/dataset.h"
#include "core/data/row_reader.h"

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <vector>

namespace ft {

class JsonlReader;

struct DatasetChunk {
    std::vector<Example> examples;  // usable rows, in file order
    std::vector<RowError> errors;   // rows left out, in file order
};

class DatasetStream {
public:
    // threads 0: every core. chunkBytes: text per chunk.
    DatasetStream(const std::filesystem::path& file, std::optional<DatasetKind> kind, const DatasetOptions& options,
                  int threads = 0, size_t chunkBytes = size_t(8) << 20);
    ~DatasetStream();

    // The next chunk; nullopt after the last. Throws Error as loadDataset does for a file of another kind.
    std::optional<DatasetChunk> next();
    // After the last chunk: loadDataset's refusal of a file without one usable row.
    void finish() const;

    std::optional<DatasetFormat> format() const;
    DatasetKind kind() const;
    bool streamed() const { return m_reader != nullptr; }
    // Streamed files: the hash and count of the bytes read so far (the whole file's after the last chunk).
    uint64_t contentHash() const;
    uint64_t bytes() const;

private:
    std::filesystem::path m_file;
    std::string m_where;
    DatasetOptions m_options;
    int m_threads;
    size_t m_chunkBytes;
    std::unique_ptr<JsonlReader> m_reader;
    std::unique_ptr<RowReader> m_rows;
    std::optional<Dataset> m_whole;  // a file read whole, until handed over
    bool m_wholeGiven = false;
    size_t m_usable = 0;
    std::optional<RowError> m_firstError;
};

// Whether DatasetStream streams this file (loadDataset reads it as JSONL).
bool streamsAsJsonl(const std::filesystem::path& file, const DatasetOptions& options);

} // namespace ft
