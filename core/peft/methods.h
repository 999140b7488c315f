#pragma once
// Internal (includes LibTorch): one entry point per stage for every fine-tuning method, dispatched through the
// method table (method_spec.h): attach before training, export after it, load an exported folder back for inference.

#include "core/model/decoder.h"
#include "core/peft/method_settings.h"

#include <cstdint>
#include <filesystem>
#include <string>

namespace ft {

struct ModelFolder;

// Freezes the base and attaches settings.method; returns the number of trainable parameters.
//   full: every weight trainable · lora, qlora: applyLora(settings.lora) · adapter: bottleneck adapters ·
//   prompt_tuning, p_tuning, prefix_tuning: peft's prompt encoders (TEXT init tokenizes with `folder`'s tokenizer).
// Packed rows are refused for prompt tuning and P-tuning (their tokens go in front of a whole row).
int64_t attachMethod(CausalLM& lm, const MethodSettings& settings, const ModelFolder& folder);

// Writes the trained method to `dir` (atomically): PEFT's folder for lora/qlora and the prompt methods (peft's
// adapter_config.json fields, "prompt_embeddings" = the encoder's output as peft saves it), our own for adapter.
// A full fine-tune is not an adapter: refused with ErrorCode::Unsupported (it is exported as a merged model).
void exportMethod(CausalLM& lm, const MethodSettings& settings, const std::string& baseModel, const std::filesystem::path& dir);

// Attaches what an exported folder holds: PEFT LORA, PROMPT_TUNING, P_TUNING, PREFIX_TUNING, or our bottleneck
// adapter. Checks the folder's sizes against the model.
void loadMethodAdapter(CausalLM& lm, const std::filesystem::path& dir);

// The rows' stages, as method_spec.cpp's table points at them.
int64_t attachFullFineTune(CausalLM& lm, const MethodSettings& settings, const ModelFolder& folder);
int64_t attachLoraMethod(CausalLM& lm, const MethodSettings& settings, const ModelFolder& folder);
void exportLoraMethod(CausalLM& lm, const MethodSettings& settings, const std::string& baseModel, const std::filesystem::path& dir);
void loadLoraAdapter(CausalLM& lm, const std::filesystem::path& dir);
int64_t attachAdapterMethod(CausalLM& lm, const MethodSettings& settings, const ModelFolder& folder);
void exportAdapterMethod(CausalLM& lm, const MethodSettings& settings, const std::string& baseModel, const std::filesystem::path& dir);
// core/peft/prompt_method.cpp: prompt tuning, P-tuning and prefix tuning.
int64_t attachPromptMethod(CausalLM& lm, const MethodSettings& settings, const ModelFolder& folder);
void exportPromptMethod(CausalLM& lm, const MethodSettings& settings, const std::string& baseModel, const std::filesystem::path& dir);
void loadPromptAdapter(CausalLM& lm, const std::filesystem::path& dir);

} // namespace ft
