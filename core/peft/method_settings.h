#pragma once
// What a method needs to be attached and exported: its own settings and the few facts about the run that it
// checks, not the whole project (core/train/project_method.h makes them from a Project).

#include "core/peft/lora_config.h"
#include "core/peft/method_config.h"
#include "core/peft/method_spec.h"
#include "core/quant/qlora_config.h"

#include <string>

namespace ft {

struct MethodSettings {
    Method method = Method::Lora;
    LoraConfig lora;                      // lora, qlora
    QloraConfig qlora;                    // qlora: how the frozen base is stored
    BottleneckAdapterConfig adapter;      // adapter
    PromptLearningConfig promptLearning;  // prompt_tuning, p_tuning, prefix_tuning
    // Several examples share a row (instruct packing): refused by the methods that put tokens in front of a row.
    bool packedRows = false;
    std::string source;  // where the settings come from (the project file), for error messages
};

} // namespace ft
