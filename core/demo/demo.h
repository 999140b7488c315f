#pragma once
// The built-in demo: a tiny Llama-architecture model folder (seeded random weights, a SentencePiece model trained on
// the demo text, a ChatML chat template) and Korean/English instruction pairs, made here with nothing downloaded.

#include <filesystem>

namespace ft {

// Writes DIR/model/, DIR/data/train.jsonl (instructions), DIR/data/preference.jsonl (pairs of a better and a worse
// answer to the same questions) and DIR/project.json. Deterministic: the same bytes every time.
void makeDemo(const std::filesystem::path& dir);

} // namespace ft
