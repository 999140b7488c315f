#pragma once
// LoRA settings, named as PEFT's LoraConfig names them (they go verbatim into adapter_config.json).

#include <string>
#include <vector>

namespace ft {

struct LoraConfig {
    int r = 8;
    double alpha = 16.0;
    double dropout = 0.0;
    std::vector<std::string> targetModules{"q_proj", "v_proj"};  // or {"all-linear"}
    std::string bias = "none";                                   // none | all | lora_only
    bool useRslora = false;                                      // scaling alpha/√r instead of alpha/r

    double scaling() const;
};

// The projection names of a Llama-family decoder, in layer order (what "all-linear" means; lm_head excluded).
const std::vector<std::string>& llamaLinearModules();

} // namespace ft
