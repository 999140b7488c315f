#pragma once
// Internal: the project's dataset made into tokenized training and validation examples (the text pipeline's last
// step before the trainer), with what was skipped or cut counted for the user.

#include "core/train/example_encoder.h"
#include "core/model/model_folder.h"
#include "core/project/project.h"

#include <vector>

namespace ft {

struct TrainingData {
    std::vector<TokenizedExample> train;       // rows: packed examples where the run packs (packsRows)
    int trainExamples = 0;                     // examples in `train` (more than its rows when packed)
    std::vector<TokenizedExample> validation;
    int skippedRows = 0;                       // bad dataset rows (reported, not trained on)
    int truncatedExamples = 0;
    int padId = 0;
    // Preference tuning (then `train` and `validation` stay empty): rows in the sampler's index space.
    std::vector<TokenizedPreference> preferenceTrain, preferenceValidation;
    int promptCutRows = 0;      // rows whose prompt tokenized alone is not a prefix of prompt + answer (TRL warns too)
    int longPromptRows = 0;     // rows left out: the prompt alone fills max_seq_length, no answer token would remain

    size_t trainRows() const { return preferenceTrain.empty() ? train.size() : preferenceTrain.size(); }
};

// KTO's mismatched pairs (TokenizedPreference::mismatched), as TRL makes them: within each batch of `rows` in order,
// row i's prompt with row i - 1's completion (the batch's first row with its last).
void pairMismatchedCompletions(std::vector<TokenizedPreference>& rows, int batchSize);

// The project's dataset file read with its format and column settings (bad rows in Dataset::errors).
Dataset loadProjectDataset(const Project& project);

struct PrepareOptions {
    // Every row becomes validation, none trains (evaluation on a file the user names); nothing is packed.
    bool allHeldOut = false;
};

// Loads, encodes and splits (seeded: the same project always validates on the same examples).
TrainingData prepareTrainingData(const Project& project, const ModelFolder& folder);
// The same for rows already read (evaluation reads the texts of the rows it reports).
TrainingData prepareTrainingData(const Project& project, const ModelFolder& folder, const Dataset& data,
                                 PrepareOptions options = {});

} // namespace ft
