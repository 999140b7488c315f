// The method table's lookups for the fuzz build. core/peft/method_spec.cpp also holds each method's attach, export
// and load functions, which need LibTorch; the project and run-folder readers only ask whether a name is a row and
// what the row allows. Same names, order and flags as kMethods in method_spec.cpp, with no functions.
#include "core/common/error.h"
#include "core/peft/method_spec.h"
#include "core/train/project_method.h"

#include <array>

namespace ft {

namespace {

using T = MethodTrains;

// clang-format off
constexpr std::array kMethods{
//  id                                name             peftType          trains                 4-bit  merge  adapter
    MethodSpec{Method::Full,         "full",          "",               T::AllWeights,         false, false, false},
    MethodSpec{Method::Lora,         "lora",          "LORA",           T::LowRankPairs,       false, true,  true},
    MethodSpec{Method::Qlora,        "qlora",         "LORA",           T::LowRankPairs,       true,  true,  true},
    MethodSpec{Method::Adapter,      "adapter",       "FINETUNE_STUDIO_BOTTLENECK", T::BottleneckAdapters, false, false, true},
    MethodSpec{Method::PromptTuning, "prompt_tuning", "PROMPT_TUNING",  T::VirtualTokens,      false, false, true},
    MethodSpec{Method::PTuning,      "p_tuning",      "P_TUNING",       T::VirtualTokens,      false, false, true},
    MethodSpec{Method::PrefixTuning, "prefix_tuning", "PREFIX_TUNING",  T::LayerPrefixes,      false, false, true},
};
// clang-format on

} // namespace

const MethodSpec* findMethod(std::string_view name) {
    for (const auto& m : kMethods)
        if (m.name == name) return &m;
    return nullptr;
}

std::string methodNameList() {
    std::string list;
    for (size_t i = 0; i < kMethods.size(); ++i)
        list += (i == 0 ? "" : i + 1 == kMethods.size() ? " or " : ", ") + std::string(kMethods[i].name);
    return list;
}

// As core/train/project_method.cpp (which includes the torch-using core/peft/methods.h).
const MethodSpec& projectMethod(const Project& project) {
    if (const MethodSpec* spec = findMethod(project.method)) return *spec;
    throw Error(ErrorCode::InvalidValue, project.file.string() + ": method", "'" + project.method + "' is not a method we train");
}

} // namespace ft
