#pragma once
// A JSONL dataset tokenized as it is read (DatasetStream): each chunk's rows encoded across an EncoderPool's threads,
// the encoded examples appended in file order to an ExampleTableBuilder (the token cache being written). Only one
// chunk of rows is in memory at a time, never the whole Dataset. The result is what loadDataset followed by the
// encoder gives (tests/tst_token_cache compares them): the same examples, the same bad rows with the same lines and
// reasons, and the same error raised first.

#include "core/data/dataset.h"
#include "core/data/dataset_stream.h"
#include "core/train/encoder_pool.h"
#include "core/train/example_table.h"

#include <cstdint>
#include <filesystem>
#include <vector>

namespace ft {

// How rows become examples: what prepareTrainingData passes to the encoder.
struct EncodeSettings {
    DatasetKind kind = DatasetKind::Instruct;  // Instruct or RawText (preference rows are not streamed)
    int maxLength = 0;                         // instruct: cut at this many tokens (0: never)
    bool trainOnPrompt = false;
    int blockSize = 0;                         // raw text: the documents concatenated and cut into blocks of this
    size_t chunkBytes = size_t(8) << 20;       // text per chunk: thousands of rows for the threads, tens of MB in memory
};

struct StreamedEncoding {
    std::vector<RowError> errors;  // rows left out, by line, as loadDataset reports them
    size_t rows = 0;               // rows read and encoded
    uint64_t contentHash = 0;      // ContentHash of the file's bytes
    uint64_t bytes = 0;
};

// Raw-text blocks are numbered 1, 2, ... in `line`, as encodeRawText numbers them. Throws what loadDataset would
// (a file of another kind, no usable rows), then what the encoder would (a row the template cannot render, text too
// short for one block), in that order, each only once the whole file was read.
StreamedEncoding encodeJsonlStreamed(const std::filesystem::path& file, const DatasetOptions& options,
                                     const EncodeSettings& settings, const EncoderPool& pool, ExampleTableBuilder& out);

} // namespace ft
