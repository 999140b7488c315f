#include "core/peft/method_spec.h"

#include "core/common/error.h"
#include "core/peft/bottleneck_adapter.h"
#include "core/peft/methods.h"
#include "core/peft/trainable_parameters.h"

#include <array>

namespace ft {

namespace {

using T = MethodTrains;

// clang-format off
// One row per method, in the order of Method. The prompt rows share their stages (prompt_method.cpp), which read
// settings.method for what differs.
constexpr std::array kMethods{
//  id                    name             peftType                trains                 4-bit  merge  adapter
    MethodSpec{Method::Full,         "full",          "",                     T::AllWeights,         false, false, false,
               attachFullFineTune,  nullptr,             nullptr,               fullTrainableParameters},
    MethodSpec{Method::Lora,         "lora",          "LORA",                 T::LowRankPairs,       false, true,  true,
               attachLoraMethod,    exportLoraMethod,    loadLoraAdapter,       loraTrainableParameters},
    MethodSpec{Method::Qlora,        "qlora",         "LORA",                 T::LowRankPairs,       true,  true,  true,
               attachLoraMethod,    exportLoraMethod,    loadLoraAdapter,       loraTrainableParameters},
    MethodSpec{Method::Adapter,      "adapter",       kBottleneckAdapterType, T::BottleneckAdapters, false, false, true,
               attachAdapterMethod, exportAdapterMethod, loadBottleneckAdapter, adapterTrainableParameters},
    MethodSpec{Method::PromptTuning, "prompt_tuning", "PROMPT_TUNING",        T::VirtualTokens,      false, false, true,
               attachPromptMethod,  exportPromptMethod,  loadPromptAdapter,     promptTuningTrainableParameters},
    MethodSpec{Method::PTuning,      "p_tuning",      "P_TUNING",             T::VirtualTokens,      false, false, true,
               attachPromptMethod,  exportPromptMethod,  loadPromptAdapter,     pTuningTrainableParameters},
    MethodSpec{Method::PrefixTuning, "prefix_tuning", "PREFIX_TUNING",        T::LayerPrefixes,      false, false, true,
               attachPromptMethod,  exportPromptMethod,  loadPromptAdapter,     prefixTuningTrainableParameters},
};
// clang-format on

constexpr bool inEnumOrder() {
    for (size_t i = 0; i < kMethods.size(); ++i)
        if (size_t(kMethods[i].id) != i) return false;
    return true;
}
static_assert(inEnumOrder(), "methodSpec(Method) indexes the table by id");

} // namespace

std::span<const MethodSpec> methodSpecs() { return kMethods; }

const MethodSpec& methodSpec(Method id) { return kMethods[size_t(id)]; }

const MethodSpec& methodSpec(std::string_view name) {
    if (const MethodSpec* spec = findMethod(name)) return *spec;
    throw Error(ErrorCode::InvalidValue, "method", "'" + std::string(name) + "' is not a method we train");
}

const MethodSpec* findMethod(std::string_view name) {
    for (const auto& m : kMethods)
        if (m.name == name) return &m;
    return nullptr;
}

const MethodSpec* findMethodByPeftType(std::string_view peftType) {
    if (peftType.empty()) return nullptr;
    for (const auto& m : kMethods)
        if (m.peftType == peftType) return &m;
    return nullptr;
}

std::string methodNameList() {
    std::string list;
    for (size_t i = 0; i < kMethods.size(); ++i)
        list += (i == 0 ? "" : i + 1 == kMethods.size() ? " or " : ", ") + std::string(kMethods[i].name);
    return list;
}

bool packsRows(const MethodSpec& spec) { return spec.trains != MethodTrains::VirtualTokens; }

} // namespace ft
