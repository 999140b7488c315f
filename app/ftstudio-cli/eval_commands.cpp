// ftstudio-cli eval: base vs tuned on held-out rows (core/eval/evaluation.h), summary on stdout, reports on request.

#include "cli_args.h"
#include "commands.h"

#include "core/eval/eval_report.h"
#include "core/eval/evaluation.h"
#include "core/project/project.h"

#include <cstdio>

namespace ftcli {

namespace {

constexpr const char* kUsage =
    "usage: ftstudio-cli eval PROJECT.json [--run DIR]... [--data FILE] [--max-new-tokens N] [--batch-size N]\n"
    "                         [--max-examples N] [--sample [--seed S] [--temperature T] [--top-p P]]\n"
    "                         [--device auto|cpu|cuda] [--html OUT.html] [--jsonl OUT.jsonl]\n"
    "  --run: a run folder, one of its checkpoints, an exported adapter or a merged model (repeat to compare\n"
    "  several); default: the project's newest run. --data: every row of FILE instead of the held-out split.\n";

} // namespace

int evaluate(const Args& argsIn) {
    Args args = argsIn;
    ft::EvalOptions options;
    std::optional<std::string> html, jsonl;
    try {
        while (auto run = takeOption(args, "--run")) options.tuned.push_back(*run);
        if (auto data = takeOption(args, "--data")) options.data = *data;
        if (auto n = takeOption(args, "--max-new-tokens")) options.maxNewTokens = toInt(*n, "--max-new-tokens");
        if (auto n = takeOption(args, "--batch-size")) options.batchSize = toInt(*n, "--batch-size");
        if (auto n = takeOption(args, "--max-examples")) options.maxExamples = toInt(*n, "--max-examples");
        options.sample = takeFlag(args, "--sample");
        if (auto s = takeOption(args, "--seed")) options.seed = uint64_t(toInt(*s, "--seed"));
        if (auto t = takeOption(args, "--temperature")) options.temperature = toDouble(*t, "--temperature");
        if (auto p = takeOption(args, "--top-p")) options.topP = toDouble(*p, "--top-p");
        if (auto d = takeOption(args, "--device")) options.device = *d;
        html = takeOption(args, "--html");
        jsonl = takeOption(args, "--jsonl");
        if (args.size() != 1) throw UsageError("expects exactly one PROJECT.json");
        if (options.maxNewTokens < 1) throw UsageError("--max-new-tokens must be at least 1");
        if (options.batchSize < 1) throw UsageError("--batch-size must be at least 1");
    } catch (const UsageError& e) {
        std::fprintf(stderr, "eval: %s\n%s", e.what(), kUsage);
        return 2;
    }
    const ft::Project project = ft::loadProject(args[0]);
    options.progress = [](const ft::EvalProgress& p) {
        const char* model = p.side == 0 ? "base" : "tuned";
        if (p.total > 0) std::fprintf(stderr, "\r%s %d/%d: %s %d/%d rows   ", model, p.side + 1, p.sides, p.stage.c_str(), p.done, p.total);
        else std::fprintf(stderr, "\r%s %d/%d: %s                    ", model, p.side + 1, p.sides, p.stage.c_str());
        return true;
    };
    const ft::EvalReport report = ft::evaluateProject(project, options);
    std::fprintf(stderr, "\r%zu examples, %d models, %.1f s%30s\n", report.rows.size(), int(report.sides.size()), report.seconds, "");
    for (const auto& e : report.rowErrors) std::fprintf(stderr, "skipped %s\n", e.c_str());
    if (jsonl) {
        ft::writeEvalJsonl(*jsonl, report);
        std::fprintf(stderr, "rows written to %s\n", jsonl->c_str());
    }
    if (html) {
        ft::writeEvalHtml(*html, report);
        std::fprintf(stderr, "report written to %s\n", html->c_str());
    }
    std::printf("%s\n", ft::evalSummaryJson(report, 2).c_str());
    return 0;
}

} // namespace ftcli
