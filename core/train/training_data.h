#pragma once
// Internal: the project's dataset made into tokenized training and validation examples (the text pipeline's last
// step before the trainer), with what was skipped or cut counted for the user. Instruct and raw-text JSONL datasets
// are streamed and encoded on every core into the token cache (train/token_cache), which later runs map instead of
// encoding again; the examples stay in that compact table and are built per batch (ExampleRows).

#include "core/train/example_encoder.h"
#include "core/train/example_table.h"
#include "core/model/model_folder.h"
#include "core/project/project.h"

#include <filesystem>
#include <optional>
#include <vector>

namespace ft {

struct TrainingData {
    ExampleRows train;                         // rows: packed examples where the run packs (packsRows)
    int trainExamples = 0;                     // examples in `train` (more than its rows when packed)
    ExampleRows validation;
    int skippedRows = 0;                       // bad dataset rows (reported, not trained on)
    int truncatedExamples = 0;
    int padId = 0;
    // Preference tuning (then `train` and `validation` stay empty): rows in the sampler's index space.
    std::vector<TokenizedPreference> preferenceTrain, preferenceValidation;
    int promptCutRows = 0;      // rows whose prompt tokenized alone is not a prefix of prompt + answer (TRL warns too)
    int longPromptRows = 0;     // rows left out: the prompt alone fills max_seq_length, no answer token would remain

    std::vector<RowError> rowErrors;  // the bad rows (skippedRows of them), by line
    std::filesystem::path tokenCache;  // the cache file the examples are read from; empty when built in memory
    bool tokenCacheReused = false;     // it was there already (nothing was encoded)

    size_t trainRows() const { return preferenceTrain.empty() ? train.size() : preferenceTrain.size(); }
};

// KTO's mismatched pairs (TokenizedPreference::mismatched), as TRL makes them: within each batch of `rows` in order,
// row i's prompt with row i - 1's completion (the batch's first row with its last).
void pairMismatchedCompletions(std::vector<TokenizedPreference>& rows, int batchSize);

// The project's dataset settings: its format and column mapping.
DatasetOptions datasetOptionsOf(const Project& project);
// The project's dataset file read with its format and column settings (bad rows in Dataset::errors).
Dataset loadProjectDataset(const Project& project);

struct PrepareOptions {
    // Every row becomes validation, none trains (evaluation on a file the user names); nothing is packed.
    bool allHeldOut = false;
    // Instruct and raw text from JSONL: read the token cache, or stream the file into it. Off: read the whole
    // dataset and encode it in memory (the sequential reference the tests compare with).
    bool tokenCache = true;
    int threads = 0;  // encoding threads; 0: every core
    size_t streamChunkBytes = 0;  // text read per streamed chunk; 0: the default (8 MB)
};

// Loads, encodes and splits (seeded: the same project always validates on the same examples).
TrainingData prepareTrainingData(const Project& project, const ModelFolder& folder, PrepareOptions options = {});
// The token cache the project's dataset was last encoded into with these settings, mapped, without reading the
// dataset (its content hash is known for the file as it is now); nullopt when there is none (train once, or the
// file or a setting changed). What the token inspector steps through.
struct TokenCacheContents;
std::optional<TokenCacheContents> findTokenCache(const Project& project, const ModelFolder& folder);

// The same for rows already read (evaluation reads the texts of the rows it reports).
TrainingData prepareTrainingData(const Project& project, const ModelFolder& folder, const Dataset& data,
                                 PrepareOptions options = {});

} // namespace ft
