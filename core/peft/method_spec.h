#pragma once
// The fine-tuning methods, as rows of one table (as ArchSpec is for architectures): the name a project file uses,
// how PEFT names it, what it trains and what that allows, and the functions that attach, export, load and size it.
// Adding a method is a row in method_spec.cpp, its module in core/peft and its panel in ui/wizard/MethodChoices.cpp.
// No LibTorch in this header: the UI and the CLI read the rows.

#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <string_view>

namespace ft {

class CausalLM;
struct MethodSettings;
struct ModelConfig;
struct ModelFolder;

enum class Method { Full, Lora, Qlora, Adapter, PromptTuning, PTuning, PrefixTuning };

// What a method trains: how it is exported and what autograd keeps for it (core/train/memory_estimate.cpp).
enum class MethodTrains {
    AllWeights,          // every weight; no adapter, the model itself is the result
    LowRankPairs,        // LoRA's A and B beside frozen projections
    BottleneckAdapters,  // a small MLP after attention and after the MLP of every layer
    VirtualTokens,       // embeddings in front of each row (prompt tuning, P-tuning)
    LayerPrefixes,       // keys and values in front of every layer's attention (prefix tuning)
};

struct MethodSpec;
// Whether several examples may share a row (instruct packing, positions and attention kept per example): not for
// the methods that put their virtual tokens in front of a whole row.
bool packsRows(const MethodSpec& spec);

struct MethodSpec {
    Method id;
    std::string_view name;      // the project file's "method"
    // adapter_config.json's "peft_type": PEFT's name; our own for bottleneck adapters, which PEFT lacks; empty for
    // a full fine-tune. Loading picks the first row with the folder's type.
    std::string_view peftType;
    MethodTrains trains;
    bool needsFourBitBase;  // the frozen base is loaded as 4-bit blocks (QLoRA)
    bool mergeable;         // folds into the base weights: merged-model and GGUF-adapter exports
    bool exportsAdapter;    // ends as an adapter folder (a full fine-tune is exported as a merged model)

    // Freezes the base and attaches the method; returns the number of trainable parameters.
    int64_t (*attach)(CausalLM& lm, const MethodSettings& settings, const ModelFolder& folder);
    // Writes the trained method's adapter folder atomically; nullptr when !exportsAdapter.
    void (*exportAdapter)(CausalLM& lm, const MethodSettings& settings, const std::string& baseModel,
                          const std::filesystem::path& dir);
    // Attaches what an adapter folder of this peftType holds, checking its sizes against the model.
    void (*loadAdapter)(CausalLM& lm, const std::filesystem::path& dir);
    // The parameters attach makes trainable, from config.json's sizes alone (the memory estimate).
    int64_t (*trainableParameters)(const ModelConfig& config, const MethodSettings& settings);
};

// Every row, in the order the project file documents them and the Method page lists them.
std::span<const MethodSpec> methodSpecs();

const MethodSpec& methodSpec(Method id);
// Throws ErrorCode::InvalidValue ("'x' is not a method we train") when `name` is not a row.
const MethodSpec& methodSpec(std::string_view name);
const MethodSpec* findMethod(std::string_view name);  // nullptr when not a row
const MethodSpec* findMethodByPeftType(std::string_view peftType);

// "full, lora, … or prefix_tuning": what an error message suggests instead of an unknown name.
std::string methodNameList();

} // namespace ft
