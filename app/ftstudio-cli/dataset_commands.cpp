// ftstudio-cli dataset inspect: what a dataset file holds, what is wrong with it (file:line), and how long its
// examples are in a model's tokens. Streamed: a JSONL file is read a chunk at a time, on every core.

#include "cli_args.h"
#include "commands.h"

#include "core/data/dataset.h"
#include "core/data/dataset_stream.h"
#include "core/train/encoder_pool.h"
#include "core/train/example_encoder.h"
#include "core/train/token_cache.h"
#include "core/model/model_folder.h"
#include "core/text/tokenizer.h"

#include <algorithm>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <memory>
#include <numeric>
#include <optional>

namespace ftcli {

namespace {

nlohmann::ordered_json lengthStats(std::vector<int> lengths, int maxLength) {
    std::sort(lengths.begin(), lengths.end());
    auto percentile = [&](double p) { return lengths[std::min(lengths.size() - 1, size_t(p * double(lengths.size() - 1) + 0.5))]; };
    const long long total = std::accumulate(lengths.begin(), lengths.end(), 0LL);
    return {{"examples", lengths.size()},
            {"total", total},
            {"min", lengths.front()},
            {"mean", double(total) / double(lengths.size())},
            {"p50", percentile(0.5)},
            {"p95", percentile(0.95)},
            {"max", lengths.back()},
            {"max_length", maxLength},
            {"over_max_length", std::count_if(lengths.begin(), lengths.end(), [&](int n) { return n > maxLength; })}};
}

} // namespace

int dataset(const Args& argsIn) {
    Args args = argsIn;
    if (args.empty() || args[0] != "inspect")
        throw UsageError("usage: ftstudio-cli dataset inspect FILE [--format F] [--model DIR] [--max-length N]");
    args.erase(args.begin());
    ft::DatasetOptions options;
    if (auto f = takeOption(args, "--format")) {
        options.format = ft::datasetFormatFromName(*f);
        if (!options.format)
            throw UsageError("unknown --format '" + *f +
                             "' (messages, sharegpt, alpaca, prompt_response, text, plain_text, preference, unpaired)");
    }
    const auto model = takeOption(args, "--model");
    const int maxLength = toInt(takeOption(args, "--max-length").value_or("2048"), "--max-length");
    if (args.size() != 1) throw UsageError("dataset inspect expects one FILE");

    // Streamed a chunk at a time (a JSONL file of a million rows is never in memory whole), each chunk's rows read
    // and encoded on every core.
    ft::DatasetStream stream(args[0], std::nullopt, options);
    std::optional<ft::ModelFolder> folder;
    std::unique_ptr<ft::EncoderPool> pool;  // opened with the first rows, after the file's own errors
    std::vector<ft::RowError> errors;
    size_t rowsOk = 0;
    std::optional<bool> conversational;
    auto identical = nlohmann::ordered_json::array();
    int desirable = 0, undesirable = 0, promptCut = 0;
    std::vector<int> lengths, labeled;
    // A pair whose two answers are the same teaches nothing (its DPO gradient is zero): kept, but named by line.
    const auto sameMessages = [](const std::vector<ft::ChatMessage>& a, const std::vector<ft::ChatMessage>& b) {
        return std::equal(a.begin(), a.end(), b.begin(), b.end(),
                          [](const auto& x, const auto& y) { return x.role == y.role && x.content == y.content; });
    };
    while (std::optional<ft::DatasetChunk> chunk = stream.next()) {
        errors.insert(errors.end(), chunk->errors.begin(), chunk->errors.end());
        rowsOk += chunk->examples.size();
        const ft::DatasetKind kind = stream.kind();
        if (kind == ft::DatasetKind::Preference)
            for (const auto& ex : chunk->examples) {
                const ft::PreferenceAnswers& p = *ex.preference;
                if (!conversational) conversational = p.conversational;
                if (p.desirable) {
                    ++(*p.desirable ? desirable : undesirable);
                } else if (p.conversational ? sameMessages(p.chosenMessages, p.rejectedMessages) : p.chosen == p.rejected) {
                    identical.push_back(ex.line);
                }
            }
        if (!model) continue;
        if (!pool) {
            folder = ft::openModelFolder(*model);
            pool = std::make_unique<ft::EncoderPool>(*folder);
        }
        // Per row: its sequences' lengths and trained tokens (preference rows: two sequences).
        struct Counted {
            std::vector<std::pair<int, int>> sequences;  // (tokens, trained tokens; -1: not counted)
            bool promptCut = false;
        };
        std::vector<Counted> counted(chunk->examples.size());
        pool->forEach(counted.size(), [&](const ft::ExampleEncoder& encoder, size_t i) {
            const ft::Example& ex = chunk->examples[i];
            Counted& c = counted[i];
            if (kind == ft::DatasetKind::Preference) {
                // Each answer's sequence as DPO/KTO tokenize it (prompt + answer); the answer tokens are trained.
                const ft::TokenizedPreference t = encoder.encodePreference(ex, ft::PreferenceTokenization::Trl);
                c.promptCut = t.promptCut;
                for (const auto& [ids, prompt] : {std::pair{&t.chosen, t.chosenPrompt}, std::pair{&t.rejected, t.rejectedPrompt}})
                    if (!ids->empty()) c.sequences.emplace_back(int(ids->size()), int(ids->size()) - prompt);
            } else if (kind == ft::DatasetKind::RawText) {
                c.sequences.emplace_back(int(encoder.tokenizer().encode(ex.text).ids.size()), -1);
            } else {
                const auto t = encoder.encodeChat(ex, 0);
                c.sequences.emplace_back(int(t.ids.size()), int(std::count_if(t.labels.begin(), t.labels.end(),
                                                                              [](int l) { return l != ft::kIgnoreIndex; })));
            }
        });
        for (const Counted& c : counted) {
            promptCut += c.promptCut ? 1 : 0;
            for (const auto& [n, trained] : c.sequences) {
                lengths.push_back(n);
                if (trained >= 0) labeled.push_back(trained);
            }
        }
    }
    stream.finish();

    const ft::DatasetKind kind = stream.kind();
    nlohmann::ordered_json j;
    j["format"] = ft::datasetFormatName(stream.format().value_or(ft::DatasetFormat::Messages));
    j["kind"] = kind == ft::DatasetKind::RawText ? "base" : kind == ft::DatasetKind::Preference ? "preference" : "instruct";
    j["rows_ok"] = rowsOk;
    j["rows_bad"] = errors.size();
    j["bad"] = nlohmann::ordered_json::array();
    for (const auto& e : errors) j["bad"].push_back({{"file", e.file}, {"line", e.line}, {"reason", e.reason}});
    if (kind == ft::DatasetKind::Preference) {
        j["conversational"] = conversational.value_or(false);
        if (stream.format() == ft::DatasetFormat::Unpaired) {
            j["desirable"] = desirable;
            j["undesirable"] = undesirable;
        } else {
            j["identical_pairs"] = identical;
        }
    }
    if (model) {
        j["tokens"] = lengthStats(lengths, maxLength);
        if (!labeled.empty()) j["tokens"]["trained_tokens"] = std::accumulate(labeled.begin(), labeled.end(), 0LL);
        if (kind == ft::DatasetKind::Preference) j["tokens"]["prompt_cut_rows"] = promptCut;
    }
    std::printf("%s\n", j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace).c_str());
    return 0;
}

int tokenCache(const Args& argsIn) {
    Args args = argsIn;
    const bool clear = std::erase(args, std::string("--clear")) > 0;
    if (!args.empty()) throw UsageError("usage: ftstudio-cli token-cache [--clear]");
    nlohmann::ordered_json j{{"folder", ft::tokenCacheDir().string()}};
    if (clear) j["freed_bytes"] = ft::clearTokenCache();
    j["bytes"] = ft::tokenCacheBytes();
    j["limit_bytes"] = ft::tokenCacheLimitBytes();
    std::printf("%s\n", j.dump(2).c_str());
    return 0;
}

} // namespace ftcli
