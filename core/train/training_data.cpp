#include "core/train/training_data.h"

#include "core/common/error.h"
#include "core/data/dataset.h"
#include "core/io/atomic_file.h"
#include "core/io/content_hash.h"
#include "core/model/model_folder.h"
#include "core/train/encoder_pool.h"
#include "core/train/project_method.h"
#include "core/train/streamed_encoding.h"
#include "core/text/tokenizer.h"
#include "core/train/token_cache.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>
#include <thread>
#include <utility>

namespace ft {

namespace {

namespace fs = std::filesystem;

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

TrainingData preparePreferenceData(const Project& project, const Dataset& data, const EncoderPool& pool,
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
    out.rowErrors = data.errors;
    std::vector<TokenizedPreference> all(rows.size());
    pool.forEach(rows.size(), [&](const ExampleEncoder& encoder, size_t i) { all[i] = encoder.encodePreference(rows[i], how); });
    std::vector<TokenizedPreference> encoded;
    for (TokenizedPreference& row : all) {
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
    out.padId = padIdOf(pool.encoder().tokenizer());
    return out;
}

// Threads for `rows` rows held in memory: each thread loads its own tokenizer, which a handful of rows do not repay.
int threadsFor(size_t rows, const PrepareOptions& options) {
    if (options.threads > 0) return options.threads;
    const int cores = int(std::max(1u, std::thread::hardware_concurrency()));
    return std::clamp(int(rows / 256), 1, cores);
}

// Training and validation rows over the encoded examples, in dataset order: the seeded split, then packing.
TrainingData splitAndPack(const Project& project, std::shared_ptr<const ExampleTable> table, bool allHeldOut) {
    const auto& cfg = project.training;
    TrainingData out;
    for (size_t i = 0; i < table->size(); ++i) out.truncatedExamples += table->truncated(i) ? 1 : 0;
    std::vector<uint32_t> encoded(table->size());
    std::iota(encoded.begin(), encoded.end(), uint32_t(0));
    out.validation = ExampleRows(table, splitValidation(encoded, cfg, allHeldOut));
    out.trainExamples = int(encoded.size());
    if (allHeldOut) return out;
    if (packsRows(project)) {
        std::vector<size_t> lengths;
        lengths.reserve(encoded.size());
        for (const uint32_t i : encoded) lengths.push_back(table->length(i));
        std::vector<std::vector<size_t>> rows = packRows(lengths, cfg.maxSeqLength);
        for (auto& row : rows)
            for (size_t& member : row) member = encoded[member];  // positions in `encoded` → examples
        out.train = ExampleRows::packed(table, rows);
    } else {
        out.train = ExampleRows(table, std::move(encoded));
    }
    if (out.train.empty()) throw Error(ErrorCode::InvalidValue, project.dataset, "no training examples left after the split");
    return out;
}

// Everything that changes the tokens a dataset becomes, hashed: with the content's hash, the token cache's key.
uint64_t encodingKey(uint64_t contentHash, const Project& project, const ModelFolder& folder, const DatasetOptions& options) {
    const auto& cfg = project.training;
    const DatasetKind kind = datasetKindOf(project.kind);
    ContentHash h;
    h.field("finetune-studio token cache 1");  // raise when the encoding itself changes
    h.field(contentHash);
    h.field(uint64_t(kind));
    h.field(options.format ? std::string(datasetFormatName(*options.format)) : std::string());
    h.field(uint64_t(options.columns.size()));
    for (const auto& [ours, theirs] : options.columns) {
        h.field(ours);
        h.field(theirs);
    }
    h.field(uint64_t(options.maxLineBytes));
    if (kind == DatasetKind::RawText) {
        h.field(uint64_t(int64_t(cfg.blockSize)));
    } else {
        h.field(uint64_t(int64_t(cfg.maxSeqLength)));
        h.field(uint64_t(cfg.trainOnPrompt));
        h.field(folder.chatTemplate);
    }
    h.field(readFile(folder.tokenizerFile));
    for (const auto* token : {&folder.bosToken, &folder.eosToken, &folder.padToken, &folder.unkToken})
        h.field(token->has_value() ? "1" + **token : std::string("0"));
    h.field(uint64_t(folder.addBosToken) * 2 + uint64_t(folder.addEosToken));
    for (const auto& t : folder.specialTokens) {
        h.field(t.content);
        h.field(uint64_t(int64_t(t.id)));
    }
    return h.digest();
}

// The project's JSONL dataset through the token cache: mapped when there is one for this content and these
// settings, else streamed into a new one.
TrainingData preparedThroughCache(const Project& project, const ModelFolder& folder, const PrepareOptions& options) {
    const auto& cfg = project.training;
    const fs::path file = project.resolve(project.dataset);
    const DatasetOptions datasetOptions = datasetOptionsOf(project);
    const auto fromCache = [&](TokenCacheContents cached, bool reused) {
        TrainingData out = splitAndPack(project, cached.table, false);
        out.skippedRows = int(cached.errors.size());
        out.rowErrors = std::move(cached.errors);
        out.padId = cached.padId;
        out.tokenCache = cached.path;
        out.tokenCacheReused = reused;
        return out;
    };
    const std::optional<FileIdentity> before = fileIdentity(file);
    if (before)
        if (const auto content = knownContentHash(*before))
            if (auto cached = openTokenCache(encodingKey(*content, project, folder, datasetOptions), file.string()))
                return fromCache(std::move(*cached), true);

    std::unique_ptr<EncoderPool> pool;
    try {
        pool = std::make_unique<EncoderPool>(folder, options.threads);
    } catch (const Error&) {
        (void)loadProjectDataset(project);  // the dataset's own errors come first, as when it was loaded whole
        throw;
    }
    const ModelTokenizer& tok = pool->encoder().tokenizer();
    std::unique_ptr<TokenCacheWriter> writer;
    try {
        writer = std::make_unique<TokenCacheWriter>(tok.base().vocabSize());
    } catch (const Error&) {  // no writable cache folder: encode in memory, as without a cache
        PrepareOptions inMemory = options;
        inMemory.tokenCache = false;
        return prepareTrainingData(project, folder, loadProjectDataset(project), inMemory);
    }
    EncodeSettings settings;
    settings.kind = datasetKindOf(project.kind);
    settings.maxLength = cfg.maxSeqLength;
    settings.trainOnPrompt = cfg.trainOnPrompt;
    settings.blockSize = cfg.blockSize;
    if (options.streamChunkBytes > 0) settings.chunkBytes = options.streamChunkBytes;
    const StreamedEncoding streamed = encodeJsonlStreamed(file, datasetOptions, settings, *pool, writer->builder());
    const uint64_t key = encodingKey(streamed.contentHash, project, folder, datasetOptions);
    const fs::path written = writer->commit(key, streamed.errors, padIdOf(tok));
    // The hash is the file's only if it did not change while it was read.
    if (before && fileIdentity(file) == before) rememberContentHash(*before, streamed.contentHash);
    trimTokenCache(tokenCacheLimitBytes(), written);
    auto cached = openTokenCache(key, file.string());
    if (!cached) throw Error(ErrorCode::FileUnreadable, written.string(), "the token cache just written does not read back");
    return fromCache(std::move(*cached), false);
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

DatasetOptions datasetOptionsOf(const Project& project) {
    DatasetOptions o;
    o.format = datasetFormatFromName(project.datasetFormat);
    o.columns = project.datasetColumns;
    return o;
}

Dataset loadProjectDataset(const Project& project) {
    return loadDataset(project.resolve(project.dataset), datasetKindOf(project.kind), datasetOptionsOf(project));
}

std::optional<TokenCacheContents> findTokenCache(const Project& project, const ModelFolder& folder) {
    const fs::path file = project.resolve(project.dataset);
    const std::optional<FileIdentity> id = fileIdentity(file);
    const std::optional<uint64_t> content = id ? knownContentHash(*id) : std::nullopt;
    if (!content) return std::nullopt;
    ModelFolder templated = folder;
    if (!project.chatTemplate.empty()) templated.chatTemplate = project.chatTemplate;
    return openTokenCache(encodingKey(*content, project, templated, datasetOptionsOf(project)), file.string());
}

TrainingData prepareTrainingData(const Project& project, const ModelFolder& folder, PrepareOptions options) {
    const DatasetKind kind = datasetKindOf(project.kind);
    if (options.tokenCache && !options.allHeldOut && kind != DatasetKind::Preference &&
        streamsAsJsonl(project.resolve(project.dataset), datasetOptionsOf(project))) {
        ModelFolder templated = folder;
        if (!project.chatTemplate.empty()) templated.chatTemplate = project.chatTemplate;
        return preparedThroughCache(project, templated, options);
    }
    return prepareTrainingData(project, folder, loadProjectDataset(project), options);
}

TrainingData prepareTrainingData(const Project& project, const ModelFolder& folder, const Dataset& data,
                                 PrepareOptions options) {
    const auto& cfg = project.training;
    const DatasetKind kind = datasetKindOf(project.kind);
    // The project may train with another template than the folder's (chosen in the wizard's formatting page).
    ModelFolder templated = folder;
    if (!project.chatTemplate.empty()) templated.chatTemplate = project.chatTemplate;
    const EncoderPool pool(templated, threadsFor(data.examples.size(), options));
    if (kind == DatasetKind::Preference) return preparePreferenceData(project, data, pool, options.allHeldOut);

    // Encoded in order on every thread, then put in the compact table the cached path reads too.
    ExampleTableBuilder table(pool.encoder().tokenizer().base().vocabSize());
    if (kind == DatasetKind::RawText) {
        if (cfg.blockSize < 2) throw Error(ErrorCode::InvalidValue, "block_size", "must be at least 2");
        std::vector<std::vector<int>> documents(data.examples.size());
        pool.forEach(documents.size(), [&](const ExampleEncoder& encoder, size_t i) {
            documents[i] = encoder.encodeDocument(data.examples[i].text);
        });
        std::vector<int> stream;
        for (const auto& d : documents) stream.insert(stream.end(), d.begin(), d.end());
        documents = {};
        // As encodeRawText: blocks of block_size, the remainder shorter than a block dropped.
        int blocks = 0;
        for (size_t start = 0; start + size_t(cfg.blockSize) <= stream.size(); start += size_t(cfg.blockSize)) {
            TokenizedExample b;
            b.ids.assign(stream.begin() + long(start), stream.begin() + long(start) + cfg.blockSize);
            b.labels = b.ids;
            b.line = ++blocks;
            table.add(b);
        }
        if (blocks == 0) throw tooFewTokensForABlock(stream.size(), cfg.blockSize);
    } else {
        std::vector<TokenizedExample> encoded(data.examples.size());
        pool.forEach(encoded.size(), [&](const ExampleEncoder& encoder, size_t i) {
            encoded[i] = encoder.encodeChat(data.examples[i], cfg.maxSeqLength, cfg.trainOnPrompt);
        });
        for (const auto& e : encoded) table.add(e);
    }
    TrainingData out = splitAndPack(project, table.finish(), options.allHeldOut);
    out.skippedRows = int(data.errors.size());
    out.rowErrors = data.errors;
    out.padId = padIdOf(pool.encoder().tokenizer());
    return out;
}

} // namespace ft
