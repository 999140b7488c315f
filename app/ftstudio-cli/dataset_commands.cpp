// ftstudio-cli dataset inspect: what a dataset file holds, what is wrong with it (file:line), and how long its
// examples are in a model's tokens.

#include "cli_args.h"
#include "commands.h"

#include "core/data/dataset.h"
#include "core/train/example_encoder.h"
#include "core/model/model_folder.h"
#include "core/text/tokenizer.h"

#include <algorithm>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <numeric>

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

    const ft::Dataset ds = ft::loadDataset(args[0], std::nullopt, options);
    nlohmann::ordered_json j;
    j["format"] = ft::datasetFormatName(ds.format);
    j["kind"] = ds.kind == ft::DatasetKind::RawText ? "base" : ds.kind == ft::DatasetKind::Preference ? "preference" : "instruct";
    j["rows_ok"] = ds.examples.size();
    j["rows_bad"] = ds.errors.size();
    j["bad"] = nlohmann::ordered_json::array();
    for (const auto& e : ds.errors) j["bad"].push_back({{"file", e.file}, {"line", e.line}, {"reason", e.reason}});
    if (ds.kind == ft::DatasetKind::Preference) {
        // A pair whose two answers are the same teaches nothing (its DPO gradient is zero): kept, but named by line.
        const auto sameMessages = [](const std::vector<ft::ChatMessage>& a, const std::vector<ft::ChatMessage>& b) {
            return std::equal(a.begin(), a.end(), b.begin(), b.end(),
                              [](const auto& x, const auto& y) { return x.role == y.role && x.content == y.content; });
        };
        auto identical = nlohmann::ordered_json::array();
        int desirable = 0, undesirable = 0;
        for (const auto& ex : ds.examples) {
            const ft::PreferenceAnswers& p = *ex.preference;
            if (p.desirable) {
                ++(*p.desirable ? desirable : undesirable);
            } else if (p.conversational ? sameMessages(p.chosenMessages, p.rejectedMessages) : p.chosen == p.rejected) {
                identical.push_back(ex.line);
            }
        }
        j["conversational"] = ds.examples.front().preference->conversational;
        if (ds.format == ft::DatasetFormat::Unpaired) {
            j["desirable"] = desirable;
            j["undesirable"] = undesirable;
        } else {
            j["identical_pairs"] = identical;
        }
    }
    if (model) {
        const ft::ModelFolder folder = ft::openModelFolder(*model);
        const ft::ExampleEncoder encoder(folder);
        std::vector<int> lengths, labeled;
        int promptCut = 0;
        for (const auto& ex : ds.examples) {
            if (ds.kind == ft::DatasetKind::Preference) {
                // Each answer's sequence as DPO/KTO tokenize it (prompt + answer); the answer tokens are trained.
                const ft::TokenizedPreference t = encoder.encodePreference(ex, ft::PreferenceTokenization::Trl);
                promptCut += t.promptCut ? 1 : 0;
                for (const auto& [ids, prompt] : {std::pair{&t.chosen, t.chosenPrompt}, std::pair{&t.rejected, t.rejectedPrompt}})
                    if (!ids->empty()) {
                        lengths.push_back(int(ids->size()));
                        labeled.push_back(int(ids->size()) - prompt);
                    }
            } else if (ds.kind == ft::DatasetKind::RawText) {
                lengths.push_back(int(encoder.tokenizer().encode(ex.text).ids.size()));
            } else {
                const auto t = encoder.encodeChat(ex, 0);
                lengths.push_back(int(t.ids.size()));
                labeled.push_back(int(std::count_if(t.labels.begin(), t.labels.end(), [](int l) { return l != ft::kIgnoreIndex; })));
            }
        }
        j["tokens"] = lengthStats(lengths, maxLength);
        if (!labeled.empty()) j["tokens"]["trained_tokens"] = std::accumulate(labeled.begin(), labeled.end(), 0LL);
        if (ds.kind == ft::DatasetKind::Preference) j["tokens"]["prompt_cut_rows"] = promptCut;
    }
    std::printf("%s\n", j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace).c_str());
    return 0;
}

} // namespace ftcli
