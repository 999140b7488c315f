#pragma once
// How much memory a training run will need, estimated from config.json before anything is loaded, so the app can
// say "this will not fit: lower the batch size, shorten the sequences or use QLoRA" instead of running out mid-run.
// No LibTorch in this header.
//
// The activation model counts what autograd keeps alive for our decoder (core/model/decoder.cpp), per layer and
// token; it is checked against the bytes the real decoder holds after a forward pass (tests/tst_memory_estimate.cpp)
// and against a measured peak RSS (benchmarks/bench_train.cpp).

#include "core/model/model_config.h"
#include "core/peft/lora_config.h"
#include "core/peft/method_config.h"
#include "core/quant/qlora_config.h"

#include <cstdint>
#include <string>

namespace ft {

struct MemoryEstimateRequest {
    std::string method = "lora";   // a row of the method table (core/peft/method_spec.h)
    std::string dtype = "float32"; // weights and compute: float32 | bfloat16 | float16 (qlora: qlora.computeDtype)
    int batchSize = 1;
    int seqLength = 512;           // tokens per row (the longest row of a padded batch)
    bool gradientCheckpointing = false;
    bool packedRows = false;       // several examples per row (core/train/project_method.h's packsRows): a mask per row
    std::string mixedPrecision = "no";  // training.mixed_precision: "bf16" runs the forward under bf16 autocast
    std::string device = "cpu";    // cpu | cuda[:N]: which runtime overhead is added
    // -1: counted from the method's settings below (LoRA from r and target modules, etc.); else the caller's count.
    int64_t trainableParameters = -1;
    LoraConfig lora;                        // lora, qlora
    QloraConfig qlora;                      // qlora: the 4-bit base and the compute dtype
    BottleneckAdapterConfig adapter;        // adapter
    PromptLearningConfig promptLearning;    // prompt_tuning, p_tuning, prefix_tuning
};

// Bytes. total = weights + gradients + optimizer + activations + overhead.
struct MemoryEstimate {
    int64_t weights = 0;      // baseWeights + adapterWeights
    int64_t baseWeights = 0;  // the model as loaded for this method (4-bit blocks and their scales for qlora)
    int64_t adapterWeights = 0;  // the method's trainable modules (fp32), 0 for full
    int64_t gradients = 0;    // one per trainable parameter, in its dtype
    int64_t optimizer = 0;    // AdamW's two moments per trainable parameter, in its dtype (fp32 adapters: 8 bytes)
    int64_t activations = 0;  // layerActivations + logitActivations + workspace
    int64_t layerActivations = 0;  // what the decoder layers save for backward, at its peak (start of backward)
    int64_t logitActivations = 0;  // the output layer and the loss: d loss / d h kept for backward, one chunk of logits
    int64_t workspace = 0;    // transients beside them: a dequantized 4-bit weight, AdamW's denominator
    int64_t overhead = 0;     // the runtime itself (LibTorch's code and buffers; CUDA context and workspaces)
    int64_t total = 0;
    int64_t trainableParameters = 0;
};

MemoryEstimate estimateTrainingMemory(const ModelConfig& config, const MemoryEstimateRequest& request);

// Trainable parameters of `request.method` on this model, as core/peft attaches them (request.trainableParameters
// is ignored here).
int64_t methodTrainableParameters(const ModelConfig& config, const MemoryEstimateRequest& request);

// True when the estimate fits in `availableBytes`; an unknown amount (< 0) is not refused.
bool fits(const MemoryEstimate& estimate, int64_t availableBytes);

// Memory a run could still take on `device`: "cpu" — MemAvailable (/proc/meminfo), lowered to the cgroup's
// remaining limit where one is set; "cuda" or "cuda:N" — the device's free memory plus what LibTorch's caching
// allocator holds unused. -1 when unknown (no such device, no /proc).
int64_t availableMemoryBytes(const std::string& device);

// The CUDA devices this process can train on (0 without CUDA). Starts CUDA's runtime: ask off the UI thread.
int cudaDeviceCount();

} // namespace ft
