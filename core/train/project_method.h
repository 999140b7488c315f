#pragma once
// A project's method, as core/peft takes it: its row of the method table and its settings. The Project-taking entry
// points the trainer calls. No LibTorch in this header.

#include "core/peft/method_settings.h"
#include "core/data/dataset.h"
#include "core/project/project.h"

#include <cstdint>
#include <filesystem>
#include <string>

namespace ft {

class CausalLM;
struct ModelFolder;

// Throws ErrorCode::InvalidValue ("<file>: method") when project.method is not a row of the method table.
const MethodSpec& projectMethod(const Project& project);
MethodSettings methodSettings(const Project& project);
// Whether the run packs its training rows: an instruct project asking for packing, with a method that packs.
bool packsRows(const Project& project);
// Rows one forward pass keeps for backward per batch: preference pairs go through as chosen and rejected rows
// together (2 × batch_size; KTO's mismatched rows run without gradients), every other kind batch_size.
int rowsPerBatch(const Project& project);
// The dataset kind a fine-tuning kind reads: raw text (Base), conversations (Instruct), preference rows.
DatasetKind datasetKindOf(FinetuneKind kind);

// core/peft/methods.h's attachMethod and exportMethod with the project's settings.
int64_t attachMethod(CausalLM& lm, const Project& project, const ModelFolder& folder);
void exportMethod(CausalLM& lm, const Project& project, const std::string& baseModel, const std::filesystem::path& dir);

} // namespace ft
