#pragma once
// An evaluation's results on disk and on the screen of a terminal: the summary as JSON (what the CLI prints), one
// JSON line per row with a header line (read back by readEvalJsonl, by pandas or jq), and one self-contained HTML
// file (plots as inline SVG, a sortable and filterable table, no network).

#include "core/eval/evaluation.h"

#include <filesystem>
#include <string>

namespace ft {

// {"examples":N,"base":{...},"tuned":{...}} with loss, perplexity, exact_match, token_f1, rouge_l, rouge_l_unicode
// (and for preference rows rewards/accuracies, rewards/margins, logps/accuracies); a second tuned model and more
// go in "compare": [{"name":..., ...}]. One line, or indented when `indent` >= 0.
std::string evalSummaryJson(const EvalReport& report, int indent = -1);

// Line 1: {"format":"finetune-studio-eval","version":1, project, data, sides, settings}; then one line per row:
// {"line","prompt","reference","answers":[{side's answer, loss, tokens, metrics}, ...]} in side order.
void writeEvalJsonl(const std::filesystem::path& file, const EvalReport& report);
// Throws ft::Error naming the file and line when it is not one of ours.
EvalReport readEvalJsonl(const std::filesystem::path& file);

void writeEvalHtml(const std::filesystem::path& file, const EvalReport& report);

} // namespace ft
