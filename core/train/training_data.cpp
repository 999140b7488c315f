#include "core/train/training_data.h"

#include "core/common/error.h"
#include "core/data/dataset.h"
#include "core/model/model_folder.h"
#include "core/train/project_method.h"

#include <algorithm>
#include <cmath>
#include <random>
#include <utility>

namespace ft {

namespace {

// The seeded split every kind shares: shuffled once by the seed, the last validation_fraction held out (at least one
// row when there are two or more and a fraction is asked for). Returns the held-out rows; `rows` keeps the rest.
template <typename Row>
std::vector<Row> splitValidation(std::vector<Row>& rows, const TrainingConfig& cfg, bool allHeldOut) {
    if (allHeldOut) return std::exchange(rows, {});
    std::mt19937_64 rng(cfg.seed);
    std::shuffle(rows.begin(), rows.end(), rng);
    int nVal = int(std::floor(double(rows.size()) * cfg.validationFraction));
    if (cfg.validationFraction > 0 && nVal == 0 && rows.size() >= 2) nVal = 1;
    std::vector<Row> held(rows.end() - nVal, rows.end());
    rows.resize(rows.size() - size_t(nVal));
    return held;
}

// Batches pad with the tokenizer's pad token, else EOS (as transformers' collators fall back), else 0.
int padIdOf(const ModelTokenizer& tok) { return tok.padId() >= 0 ? tok.padId() : tok.eosId() >= 0 ? tok.eosId() : 0; }

// A row's answers keep their start within maxLength; a prompt longer than maxPrompt (> 0) keeps its end.
void cutToLength(TokenizedPreference& row, int maxPrompt, int maxLength, bool& truncated) {
    const auto cut = [&](std::vector<int>& ids, int& prompt) {
        if (ids.empty()) return;
        if (maxPrompt > 0 && prompt > maxPrompt) {
            ids.erase(ids.begin(), ids.begin() + (prompt - maxPrompt));
            prompt = maxPrompt;
            truncated = true;
        }
        if (maxLength > 0 && int(ids.size()) > maxLength) {
            ids.resize(size_t(maxLength));
            truncated = true;
        }
    };
    cut(row.chosen, row.chosenPrompt);
    cut(row.rejected, row.rejectedPrompt);
}

TrainingData preparePreferenceData(const Project& project, const Dataset& data, const ExampleEncoder& encoder,
                                   bool allHeldOut) {
    const auto& cfg = project.training;
    const auto& pref = project.preference;
    const bool kto = pref.loss == "kto";
    if (kto && cfg.batchSize < 2)
        throw Error(ErrorCode::InvalidValue, "training.batch_size",
                    "KTO needs batches of 2 or more: its KL estimate pairs each prompt with another row's answer");
    std::vector<Example> rows = kto ? unpairPreferences(data.examples) : data.examples;
    if (!kto)
        for (const auto& ex : rows)
            if (ex.preference && ex.preference->desirable)
                throw Error(ErrorCode::InvalidValue, project.dataset + ":" + std::to_string(ex.line),
                            "an unpaired row (prompt, completion, label), which only KTO trains on; set preference.loss "
                            "to \"kto\", or give pairs (prompt, chosen, rejected) for " + pref.loss);
    const auto how = preferenceTokenizationFor(pref.loss);

    TrainingData out;
    out.skippedRows = int(data.errors.size());
    std::vector<TokenizedPreference> encoded;
    for (const auto& ex : rows) {
        TokenizedPreference row = encoder.encodePreference(ex, how);
        // As TRL: a prompt that alone fills max_length leaves no answer token; the row is left out (and counted).
        if (cfg.maxSeqLength > 0 && std::max(row.chosenPrompt, row.rejectedPrompt) >= cfg.maxSeqLength &&
            (pref.maxPromptLength <= 0 || pref.maxPromptLength >= cfg.maxSeqLength)) {
            ++out.longPromptRows;
            continue;
        }
        bool truncated = false;
        cutToLength(row, pref.maxPromptLength, cfg.maxSeqLength, truncated);
        out.truncatedExamples += truncated ? 1 : 0;
        out.promptCutRows += row.promptCut ? 1 : 0;
        encoded.push_back(std::move(row));
    }
    out.preferenceValidation = splitValidation(encoded, cfg, allHeldOut);
    if (encoded.empty() && !allHeldOut)
        throw Error(ErrorCode::InvalidValue, project.dataset,
                    out.longPromptRows > 0 ? "no rows left: every prompt fills training.max_seq_length; raise it"
                                           : "no training rows left after the split");
    if (kto) {
        pairMismatchedCompletions(encoded, cfg.batchSize);
        pairMismatchedCompletions(out.preferenceValidation, cfg.batchSize);
    }
    out.trainExamples = int(encoded.size());
    out.preferenceTrain = std::move(encoded);
    out.padId = padIdOf(encoder.tokenizer());
    return out;
}

} // namespace

void pairMismatchedCompletions(std::vector<TokenizedPreference>& rows, int batchSize) {
    for (size_t begin = 0; begin < rows.size(); begin += size_t(batchSize)) {
        const size_t end = std::min(rows.size(), begin + size_t(batchSize));
        for (size_t i = begin; i < end; ++i) {
            const auto& other = rows[i == begin ? end - 1 : i - 1];
            auto& row = rows[i];
            row.mismatched.assign(row.chosen.begin(), row.chosen.begin() + row.chosenPrompt);
            row.mismatched.insert(row.mismatched.end(), other.chosen.begin() + other.chosenPrompt, other.chosen.end());
            row.mismatchedPrompt = row.chosenPrompt;
        }
    }
}

Dataset loadProjectDataset(const Project& project) {
    DatasetOptions datasetOptions;
    datasetOptions.format = datasetFormatFromName(project.datasetFormat);
    datasetOptions.columns = project.datasetColumns;
    return loadDataset(project.resolve(project.dataset), datasetKindOf(project.kind), datasetOptions);
}

TrainingData prepareTrainingData(const Project& project, const ModelFolder& folder) {
    return prepareTrainingData(project, folder, loadProjectDataset(project));
}

TrainingData prepareTrainingData(const Project& project, const ModelFolder& folder, const Dataset& data,
                                 PrepareOptions options) {
    const auto& cfg = project.training;
    const DatasetKind kind = datasetKindOf(project.kind);
    // The project may train with another template than the folder's (chosen in the wizard's formatting page).
    ModelFolder templated = folder;
    if (!project.chatTemplate.empty()) templated.chatTemplate = project.chatTemplate;
    ExampleEncoder encoder(templated);
    if (kind == DatasetKind::Preference) return preparePreferenceData(project, data, encoder, options.allHeldOut);

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
    out.validation = splitValidation(encoded, cfg, options.allHeldOut);
    out.trainExamples = int(encoded.size());
    out.padId = padIdOf(encoder.tokenizer());
    if (options.allHeldOut) return out;
    if (packsRows(project)) encoded = packExamples(encoded, cfg.maxSeqLength);
    if (encoded.empty()) throw Error(ErrorCode::InvalidValue, project.dataset, "no training examples left after the split");
    out.train = std::move(encoded);
    return out;
}

} // namespace ft
