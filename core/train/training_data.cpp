#include "core/train/training_data.h"

#include "core/common/error.h"
#include "core/data/dataset.h"
#include "core/train/project_method.h"

#include <algorithm>
#include <cmath>
#include <random>

namespace ft {

TrainingData prepareTrainingData(const Project& project, const ModelFolder& folder) {
    const auto& cfg = project.training;
    const DatasetKind kind = project.kind == FinetuneKind::Base ? DatasetKind::RawText : DatasetKind::Instruct;
    DatasetOptions datasetOptions;
    datasetOptions.format = datasetFormatFromName(project.datasetFormat);
    datasetOptions.columns = project.datasetColumns;
    const Dataset data = loadDataset(project.resolve(project.dataset), kind, datasetOptions);
    // The project may train with another template than the folder's (chosen in the wizard's formatting page).
    ModelFolder templated = folder;
    if (!project.chatTemplate.empty()) templated.chatTemplate = project.chatTemplate;
    ExampleEncoder encoder(templated);

    TrainingData out;
    out.skippedRows = int(data.errors.size());
    std::vector<TokenizedExample> encoded;
    if (kind == DatasetKind::RawText) {
        encoded = encoder.encodeRawText(data.examples, cfg.blockSize);
    } else {
        for (const auto& ex : data.examples) {
            encoded.push_back(encoder.encodeChat(ex, cfg.maxSeqLength, cfg.trainOnPrompt));
            out.truncatedExamples += encoded.back().truncated ? 1 : 0;
        }
    }
    std::mt19937_64 rng(cfg.seed);
    std::shuffle(encoded.begin(), encoded.end(), rng);
    int nVal = int(std::floor(double(encoded.size()) * cfg.validationFraction));
    if (cfg.validationFraction > 0 && nVal == 0 && encoded.size() >= 2) nVal = 1;
    out.validation.assign(encoded.end() - nVal, encoded.end());
    encoded.resize(encoded.size() - size_t(nVal));
    out.trainExamples = int(encoded.size());
    if (packsRows(project)) encoded = packExamples(encoded, cfg.maxSeqLength);
    if (encoded.empty()) throw Error(ErrorCode::InvalidValue, project.dataset, "no training examples left after the split");
    out.train = std::move(encoded);
    const auto& tok = encoder.tokenizer();
    out.padId = tok.padId() >= 0 ? tok.padId() : tok.eosId() >= 0 ? tok.eosId() : 0;
    return out;
}

} // namespace ft
