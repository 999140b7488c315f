#pragma once
// Answer-quality metrics of evaluation, computed as the reference implementations compute them:
//  - exact match and token F1 after SQuAD v1.1's normalize_answer (lower-case, ASCII punctuation removed, the
//    articles a/an/the removed, whitespace collapsed), tokens split on whitespace;
//  - ROUGE-L F-measure as rouge-score 0.1.2's RougeScorer(["rougeL"]) (LCS of tokens; precision over the prediction,
//    recall over the reference), with its default tokenizer (lower-case, runs of [a-z0-9]) or, since that one drops
//    every non-ASCII letter and scores Korean 0, with runs of Unicode letters and numbers (Python's \w without _).
// Lower-casing is Unicode's full mapping (ICU), what Python's str.lower() does. No LibTorch.

#include <string>
#include <string_view>
#include <vector>

namespace ft {

std::string squadNormalize(std::string_view text);
double exactMatch(std::string_view prediction, std::string_view reference);
double tokenF1(std::string_view prediction, std::string_view reference);

enum class RougeTokenizer { Default, Unicode };
std::vector<std::string> rougeTokens(std::string_view text, RougeTokenizer tokenizer);
double rougeL(std::string_view prediction, std::string_view reference, RougeTokenizer tokenizer = RougeTokenizer::Default);

} // namespace ft
