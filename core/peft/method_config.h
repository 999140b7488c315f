#pragma once
// Settings of the PEFT methods other than LoRA, as the project file names them. The prompt-learning fields map onto
// peft's PromptTuningConfig / PromptEncoderConfig / PrefixTuningConfig (written verbatim into adapter_config.json).

#include <string>

namespace ft {

struct PromptLearningConfig {
    int numVirtualTokens = 20;
    std::string init = "random";      // prompt tuning: random | text (peft's prompt_tuning_init RANDOM | TEXT)
    std::string initText;             // prompt tuning with init "text": tokenized, repeated or cut to the token count
    std::string encoderType = "MLP";  // P-tuning: MLP | LSTM (peft's encoder_reparameterization_type)
    int encoderHiddenSize = 0;        // P-tuning and prefix projection; 0: token_dim, peft's default
    bool prefixProjection = false;    // prefix tuning: train through an MLP (peft's prefix_projection)
    // peft's defaults for the P-tuning encoder, not in the project file.
    int encoderNumLayers = 2;         // LSTM layers
    double encoderDropout = 0.0;
};

// Houlsby-style bottleneck adapter (Houlsby et al. 2019, arXiv:1902.00751) after attention and after the MLP.
struct BottleneckAdapterConfig {
    int bottleneck = 64;               // width of the down-projection
    std::string activation = "relu";   // relu | gelu | silu | tanh
};

} // namespace ft
