#include "core/train/memory_estimate.h"

#include "core/common/error.h"
#include "core/device/cuda_support.h"
#include "core/model/causal_lm_loss.h"
#include "core/peft/trainable_parameters.h"

#include <torch/torch.h>

#include <ATen/DeviceAccelerator.h>

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>

namespace ft {

namespace {

constexpr int64_t kMiB = int64_t(1) << 20;
// Resident size of a process with LibTorch (and the rest of ftcore) loaded and its 2-thread CPU pool started,
// before any model: measured 340–350 MiB with the torch 2.11.0 wheel (benchmarks/bench_train.cpp prints it).
constexpr int64_t kCpuRuntimeBytes = 345 * kMiB;
// On a GPU: cuBLAS workspaces and the caching allocator's rounding and fragmentation. The CUDA context itself is
// already gone from what availableMemoryBytes("cuda") reports once this process has touched the GPU.
constexpr int64_t kCudaRuntimeBytes = 512 * kMiB;

int64_t dtypeBytes(const std::string& dtype, const char* where) {
    if (dtype == "float32") return 4;
    if (dtype == "bfloat16" || dtype == "float16") return 2;
    throw Error(ErrorCode::InvalidValue, where, "'" + dtype + "'; use float32, bfloat16 or float16");
}

// The 4-bit blocks of one weight as core/quant stores them (storageBytes): packed nibbles, then an fp32 absmax per
// block, or with double quantization a uint8 code per block, an fp32 absmax per 256 of them and the fp32 offset.
int64_t fourBitBytes(int64_t n, const QloraConfig& q) {
    const int64_t blocks = (n + q.blocksize - 1) / q.blocksize;
    const int64_t stats = q.doubleQuant ? blocks + 4 * ((blocks + 255) / 256) + 4 : 4 * blocks;
    return (n + 1) / 2 + stats;
}

// The request's method settings, as core/peft takes them.
MethodSettings settingsOf(const MethodSpec& spec, const MemoryEstimateRequest& r) {
    MethodSettings s;
    s.method = spec.id;
    s.lora = r.lora;
    s.qlora = r.qlora;
    s.adapter = r.adapter;
    s.promptLearning = r.promptLearning;
    return s;
}

} // namespace

int64_t methodTrainableParameters(const ModelConfig& c, const MemoryEstimateRequest& r) {
    const MethodSpec* spec = findMethod(r.method);
    if (!spec) throw Error(ErrorCode::InvalidValue, "method", "'" + r.method + "' is not a method we train");
    return spec->trainableParameters(c, settingsOf(*spec, r));
}

MemoryEstimate estimateTrainingMemory(const ModelConfig& c, const MemoryEstimateRequest& r) {
    if (!c.arch) throw Error(ErrorCode::InvalidValue, "config.json: model_type", "'" + c.modelType + "' is not one we run");
    if (r.batchSize < 1 || r.seqLength < 1)
        throw Error(ErrorCode::InvalidValue, "training", "batch size and sequence length must be positive");
    const MethodSpec* spec = findMethod(r.method);
    if (!spec) throw Error(ErrorCode::InvalidValue, "method", "'" + r.method + "' is not a method we train");
    const bool full = spec->trains == MethodTrains::AllWeights, lora = spec->trains == MethodTrains::LowRankPairs,
               qlora = spec->needsFourBitBase, adapter = spec->trains == MethodTrains::BottleneckAdapters;
    const int64_t s = qlora ? dtypeBytes(r.qlora.computeDtype, "qlora.compute_dtype") : dtypeBytes(r.dtype, "training.dtype");
    const bool cuda = r.device.starts_with("cuda");
    // bf16 autocast over 4-byte weights (torch.autocast; over 2-byte ones it changes nothing): linears, matmuls and
    // attention run in bf16, so what they save is bf16 (`a` bytes), while norms, the residual stream and the final
    // hidden states stay fp32, and every trained linear keeps the bf16 copy of its weight it multiplied by for backward.
    const bool autocast = r.mixedPrecision == "bf16" && s == 4;
    const int64_t a = autocast ? 2 : s;
    const int64_t C = c.hiddenSize, I = c.intermediateSize, H = c.numHeads, D = c.headDim, V = c.vocabSize,
                  L = c.numLayers, HD = H * D, HkvD = int64_t(c.numKvHeads) * D;
    const int64_t B = r.batchSize, T = r.seqLength;
    const std::vector<LayerLinear> linears = layerLinears(c);
    // Gemma's (1 + w) norm weights stay fp32 whatever the dtype (finalizeWeights).
    const bool plusOneNorm = c.spec().norm == NormKind::RmsPlusOne;
    const int64_t normBytes = plusOneNorm ? 4 : s;
    const int64_t normsPerLayer = c.spec().sandwichNorms ? 4 : 2;

    // Under autocast the frozen projections (every one but a full fine-tune's) are stored in bf16 for training
    // (storeFrozenProjectionsIn): no per-use casts, no copies kept for backward. The embedding stays fp32.
    const int64_t frozenProjectionBytes = autocast && !full ? 2 : s;

    MemoryEstimate e;
    // --- weights: every tensor decoder.cpp registers, in the dtype it holds after loading.
    int64_t largestProjection = 0;
    for (const auto& p : linears) {
        largestProjection = std::max(largestProjection, p.in * p.out);
        e.baseWeights += L * ((qlora ? fourBitBytes(p.in * p.out, r.qlora) : p.in * p.out * frozenProjectionBytes) +
                              (p.bias ? p.out * s : 0));
    }
    e.baseWeights += L * (normsPerLayer * C + (c.spec().qkNorm ? 2 * D : 0)) * normBytes;
    e.baseWeights += V * C * s + (c.tieWordEmbeddings ? 0 : V * C * frozenProjectionBytes) + C * normBytes;

    // --- trainable parameters, their gradients and AdamW's exp_avg / exp_avg_sq (zeros_like the parameter).
    e.trainableParameters = r.trainableParameters >= 0 ? r.trainableParameters : methodTrainableParameters(c, r);
    const int64_t trainableBytes =
        full ? (r.trainableParameters >= 0 ? e.trainableParameters * s : e.baseWeights) : 4 * e.trainableParameters;
    e.adapterWeights = full ? 0 : trainableBytes;  // adapters and prompt encoders are fp32 (core/peft)
    e.weights = e.baseWeights + e.adapterWeights;
    e.gradients = trainableBytes;
    e.optimizer = 2 * trainableBytes;

    // --- activations: bytes autograd keeps per token of one layer (see decoder.cpp). Frozen linears keep nothing
    // (their input gradient needs only W); a LoRA pair keeps its input cast to fp32 — one shared tensor when the
    // compute dtype is fp32 already, one copy per projection otherwise — and x·Aᵀ (r values); CPU dropout keeps its
    // noise tensor and a fresh input per projection. RMSNorm keeps its fp32 input; scaled_dot_product_attention
    // (flash kernel on CPU and GPU) keeps q, k, v (after RoPE and the GQA repeat), its output and the log-sum-exp.
    std::set<std::string> loraOn;
    if (lora)
        for (const auto& p : linears)
            if (isLoraTarget(layerPath(0, p.name), p.name, r.lora)) loraOn.insert(p.name);
    const bool dropout = lora && r.lora.dropout > 0.0;
    // Saved inputs of the projections reading one tensor of width w. `alreadySaved`: its storage is kept anyway.
    const auto linearInputs = [&](std::initializer_list<const char*> names, int64_t w, bool alreadySaved) -> int64_t {
        if (full) return alreadySaved ? 0 : s * w;
        int64_t k = 0;
        for (const char* n : names) k += loraOn.count(n);
        if (k == 0) return 0;
        if (dropout) return k * ((cuda ? 1 : s) * w + 4 * w);
        if (autocast) return k * 2 * w;  // each pair's A casts its input to bf16 itself (autocast caches only leaves)
        if (s == 4) return alreadySaved ? 0 : 4 * w;
        return k * 4 * w;
    };
    const int64_t fullNormExtra = full ? (plusOneNorm ? 4 : s) * C : 0;  // the normalized x kept for w's gradient
    const bool eager = c.attnSoftcap > 0;                                 // Gemma 2: scores materialized
    const int64_t prefixTokens = spec->trains == MethodTrains::LayerPrefixes ? r.promptLearning.numVirtualTokens : 0;
    const int64_t rowTokens = T + (spec->trains == MethodTrains::VirtualTokens ? r.promptLearning.numVirtualTokens : 0);
    const int64_t keys = rowTokens + prefixTokens;  // keys each query may attend to

    // Eager attention: q, k, v, and the copy of q that matmul makes to fold (B, H) (q is still laid out as
    // (B, T, H, D) after RoPE) and keeps for backward; the tanh'd scores and the softmax. Fused: q, k, v, the output
    // and the log-sum-exp.
    int64_t attention = eager ? 4 * a * HD + H * keys * (a == 4 ? 8 : 2 * a + 4) : 4 * a * HD + 4 * H;
    if (c.spec().qkNorm) attention += (4 + (full ? normBytes : 0)) * (HD + HkvD);
    int64_t perToken = normsPerLayer * (4 * C + fullNormExtra)
                       + linearInputs({"q_proj", "k_proj", "v_proj"}, C, false)
                       + attention
                       + linearInputs({"o_proj"}, HD, !eager)   // the attention output is o_proj's input
                       + linearInputs({"gate_proj", "up_proj"}, C, false)
                       + 3 * a * I                              // gate, act(gate), up
                       + linearInputs({"down_proj"}, I, false)  // act(gate) · up
                       + (autocast ? 2 : 4) * int64_t(r.lora.r) * int64_t(loraOn.size());
    if (adapter) {  // two hooks: fp32 input, bottleneck activation (+ its input unless relu/tanh keep the result)
        const int64_t b = r.adapter.bottleneck;
        const bool keepsResult = r.adapter.activation == "relu" || r.adapter.activation == "tanh";
        const int64_t f = autocast ? 2 : 4;  // the hook's fp32 input is cast to bf16 for its first linear
        perToken += 2 * (f * C + (keepsResult ? 1 : 2) * f * b);
    }
    // Layer 0 of a method whose embeddings need no gradient: its input norm keeps nothing, nor (adapters) does the
    // attention block before the first hook.
    int64_t layer0Saves = 0;
    if (lora || adapter || spec->trains == MethodTrains::LayerPrefixes) layer0Saves += 4 * C;
    if (adapter) layer0Saves += attention + linearInputs({"o_proj"}, HD, !eager);

    const int64_t rowsTokens = B * rowTokens;
    // Beside the per-token bytes, per layer: prefix tuning's keys and values (after the GQA repeat), and the
    // (T, S) mask where attention needs one — the boolean mask masked_fill keeps (eager), or the float mask the
    // fused kernel turns it into (prefix tuning, a sliding window shorter than the keys, packed rows). Packed rows
    // need one per row (the examples differ), the others one for the batch.
    int64_t perLayerFixed = 0, largestLayerFixed = 0;
    for (int l = 0; l < L; ++l) {
        const int64_t window = c.slidingLayers.size() > size_t(l) && c.slidingLayers[size_t(l)] ? c.slidingWindow : 0;
        const bool masked = prefixTokens > 0 || (window > 0 && window < rowTokens) || r.packedRows;
        const int64_t masks = r.packedRows ? B : 1;
        const int64_t fixed = B * 2 * s * HD * prefixTokens +
                              masks * (eager ? rowTokens * keys : masked ? a * rowTokens * keys : 0);
        perLayerFixed += fixed;
        largestLayerFixed = std::max(largestLayerFixed, fixed);
    }
    // Packed rows restart their positions per example: RoPE's cos and sin are (B, 1, T, D) fp32, not one (T, D) pair,
    // kept once for every layer's rotation.
    const int64_t packedRope = r.packedRows ? 2 * 4 * B * rowTokens * D : 0;
    if (r.gradientCheckpointing) {
        // Only each layer's input stays; one layer is re-run at a time in backward.
        e.layerActivations = L * rowsTokens * s * C + rowsTokens * perToken + largestLayerFixed + packedRope;
    } else {
        e.layerActivations = L * rowsTokens * perToken + perLayerFixed - rowsTokens * layer0Saves + packedRope;
    }
    // --- the output layer and the loss. Training asks CausalLM::lossSum, which never holds the (B, T, V) logits
    // (causalLmLossSumFromHidden): the gradient with respect to the final hidden states (B, T, C), and for a trained
    // head its (V, C) gradient, are kept from forward to backward; while a chunk of rows is worked on, its fp32 logits,
    // their copy in the compute dtype and the cap's slope are alive. An output layer with a LoRA pair goes the logits
    // way: the fp32 (B, T, V) logits, causalLmLossSum's shifted copy and the log-softmax it keeps (three fp32 B·T·V,
    // the shift dropping one token per row), and the head's input for its pair.
    const bool logitsPath = lora && !c.tieWordEmbeddings && isLoraTarget("lm_head", "lm_head", r.lora);
    e.layerActivations += B * T * (4 * C + fullNormExtra + (logitsPath ? 4 * C : 0));  // the final norm; the pair's input
    if (logitsPath) {
        e.logitActivations = 4 * V * B * T + 8 * V * B * (T - 1);
        if (c.finalSoftcap > 0) e.logitActivations += a * V * B * T;  // tanh keeps its result
    } else {  // under autocast the head's weight is cast to bf16 for the loss as well, unless stored in bf16
        const int64_t rows = std::min(B * (T - 1), lossChunkRows(V));
        const bool headCast = autocast && (full || c.tieWordEmbeddings);
        e.logitActivations = B * T * C * s + (full ? V * C * s : 0) + (headCast ? V * C * 2 : 0) +
                             rows * V * (4 + (a == 4 ? 0 : a) + (c.finalSoftcap > 0 ? 4 : 0));
    }
    if (autocast && full)  // the bf16 copies of the trained projection weights, kept by their linears for backward
        for (const auto& p : linears) e.layerActivations += L * p.in * p.out * 2;

    // --- transients: QLoRA dequantizes one projection at a time (fp32 codes, then the compute dtype); AdamW's
    // sqrt(v) and its quotient for the largest tensor of a full fine-tune.
    if (qlora) e.workspace += largestProjection * (4 + (s == 4 ? 0 : s));
    if (full) e.workspace += 2 * V * C * s;

    e.activations = e.layerActivations + e.logitActivations + e.workspace;
    e.overhead = cuda ? kCudaRuntimeBytes : kCpuRuntimeBytes;
    e.total = e.weights + e.gradients + e.optimizer + e.activations + e.overhead;
    return e;
}

bool fits(const MemoryEstimate& estimate, int64_t availableBytes) {
    return availableBytes < 0 || estimate.total <= availableBytes;
}

namespace {

// A "Key:   123 kB" line of /proc/meminfo, in bytes; -1 when absent.
int64_t meminfoBytes(const char* key) {
    std::ifstream in("/proc/meminfo");
    std::string line;
    const std::string prefix = std::string(key) + ":";
    while (std::getline(in, line)) {
        if (!line.starts_with(prefix)) continue;
        std::istringstream fields(line.substr(prefix.size()));
        int64_t kb = -1;
        fields >> kb;
        return kb >= 0 ? kb * 1024 : -1;
    }
    return -1;
}

// What the cgroup (v2) this process runs in still allows; -1 when it sets no limit.
int64_t cgroupRemainingBytes() {
    std::ifstream cg("/proc/self/cgroup");
    std::string line, path;
    while (std::getline(cg, line))
        if (line.starts_with("0::")) path = line.substr(3);
    if (path.empty()) return -1;
    const std::string dir = "/sys/fs/cgroup" + path;
    std::ifstream maxFile(dir + "/memory.max"), currentFile(dir + "/memory.current");
    std::string max;
    int64_t current = -1;
    if (!(maxFile >> max) || max == "max" || !(currentFile >> current)) return -1;
    return std::max<int64_t>(0, std::stoll(max) - current);
}

} // namespace

int cudaDeviceCount() { return cudaAvailable() ? int(torch::cuda::device_count()) : 0; }

int64_t availableMemoryBytes(const std::string& device) {
    if (device == "cpu") {
        const int64_t host = meminfoBytes("MemAvailable");
        const int64_t cgroup = cgroupRemainingBytes();
        return cgroup >= 0 && (host < 0 || cgroup < host) ? cgroup : host;
    }
    if (device == "cuda" || device.starts_with("cuda:")) {
        if (!cudaAvailable()) return -1;
        int index = 0;
        if (device.size() > 5) {
            try {
                index = std::stoi(device.substr(5));
            } catch (const std::exception&) {
                return -1;
            }
        }
        if (index < 0 || index >= int(torch::cuda::device_count())) return -1;
        try {
            const auto [free, total] = at::accelerator::getMemoryInfo(c10::DeviceIndex(index));
            // Blocks the caching allocator has reserved but not handed out are free to this process too.
            const auto stats = at::accelerator::getDeviceStats(c10::DeviceIndex(index));
            const auto agg = size_t(c10::CachingAllocator::StatType::AGGREGATE);
            const int64_t cached = stats.reserved_bytes[agg].current - stats.allocated_bytes[agg].current;
            return int64_t(free) + std::max<int64_t>(0, cached);
        } catch (const c10::Error&) {
            return -1;
        }
    }
    return -1;
}

} // namespace ft
