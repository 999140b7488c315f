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
};

// Loads, encodes and splits (seeded: the same project always validates on the same examples).
TrainingData prepareTrainingData(const Project& project, const ModelFolder& folder);

} // namespace ft
