#include "core/model/decoder.h"

#include "core/common/error.h"
#include "core/model/causal_lm_loss.h"
#include "core/model/layer_checkpoint.h"
#include "core/model/gguf_import.h"
#include "core/model/model_folder.h"
#include "core/io/safetensors.h"
#include "core/quant/four_bit_device.h"
#include "core/quant/four_bit_linear.h"
#include "core/quant/quantizers.h"

#include <ATen/autocast_mode.h>
#include <torch/torch.h>

#include <cmath>
#include <map>
#include <numbers>

namespace F = torch::nn::functional;

namespace ft {

thread_local bool AdaptersOff::s_off = false;

ProjectionImpl::ProjectionImpl(int64_t in, int64_t out, bool withBias) : inFeatures(in), outFeatures(out) {
    weight = register_parameter("weight", torch::empty({out, in}));
    if (withBias) bias = register_parameter("bias", torch::zeros({out}));
}

torch::Tensor ProjectionImpl::forward(const torch::Tensor& x) {
    torch::Tensor y;
    if (isFourBit()) {
        y = fourBitLinear(x, *fourBit);
        if (bias.defined()) y = y + bias.to(y.scalar_type());
    } else {
        // A frozen weight stored in bf16 for autocast (storeFrozenProjectionsIn) meets fp32 input outside it only in
        // inference after training; cast it up there, as the fp32 model would have computed.
        const bool stored = weight.scalar_type() != x.scalar_type() && !at::autocast::is_autocast_enabled(x.device().type());
        y = torch::linear(x, stored ? weight.to(x.scalar_type()) : weight, bias);  // as nn.Linear: F::linear adds the bias after (two roundings in bf16)
    }
    if (hasLora() && !AdaptersOff::active()) {
        // peft: the input cast to the adapter's dtype (fp32 over a 4-bit base), the update cast back.
        torch::Tensor h = loraDropout > 0.0 ? F::dropout(x, F::DropoutFuncOptions().p(loraDropout).training(is_training())) : x;
        const torch::Tensor update = F::linear(F::linear(h.to(loraA.dtype()), loraA), loraB);
        // Into the base output in place, scaled in the same pass: no (B, T, out) temporaries. Neither product's
        // backward reads its output, so autograd allows it.
        if (update.scalar_type() == y.scalar_type()) y.add_(update, loraScaling);
        else y.add_((update * loraScaling).to(y.scalar_type()));
    }
    return y;
}

void ProjectionImpl::enableLora(int64_t r, double scaling, double dropout) {
    // PEFT's default init: A ~ kaiming_uniform(a=√5) (nn.Linear's default), B = 0, so training starts at W.
    // Adapters are fp32 whatever the base's dtype, as peft keeps them (autocast_adapter_dtype): AdamW updates on
    // bf16 weights would round away.
    torch::Tensor a = torch::empty({r, inFeatures});
    torch::nn::init::kaiming_uniform_(a, std::sqrt(5.0));
    loraA = register_parameter("lora_A", a.to(weight.device()));
    loraB = register_parameter("lora_B", torch::zeros({outFeatures, r}, weight.device()));
    loraScaling = scaling;
    loraDropout = dropout;
}

void ProjectionImpl::setFourBitBase(const torch::Tensor& w, const QloraConfig& config) {
    if (w.dim() != 2 || w.size(0) != outFeatures || w.size(1) != inFeatures)
        throw Error(ErrorCode::InvalidValue, "setFourBitBase", "weight shape " + c10::str(w.sizes()) + " is not (out, in)");
    const FourBitType type = fourBitTypeNamed(config.quantType, "qlora.quant_type");
    fourBit = std::make_shared<Quantized4Bit>(quantize4Bit(w, type, config.blocksize, config.doubleQuant));
    // Buffers, so that to(device) moves the codes (set_data keeps these handles pointing at the moved data).
    register_buffer("weight_packed", fourBit->packed);
    if (fourBit->doubleQuant()) {
        register_buffer("weight_absmax_q", fourBit->absmaxQ);
        register_buffer("weight_nested_absmax", fourBit->nestedAbsmax);
    } else {
        register_buffer("weight_absmax", fourBit->absmax);
    }
    weight.set_data(torch::empty({0}, weight.options()));
    weight.set_requires_grad(false);
}

torch::Tensor ProjectionImpl::denseWeight() const {
    return isFourBit() ? dequantize4BitOn(*fourBit, fourBit->dtype) : weight;
}

TokenEmbeddingImpl::TokenEmbeddingImpl(int64_t vocab, int64_t dim) {
    weight = register_parameter("weight", torch::empty({vocab, dim}));
}

torch::Tensor TokenEmbeddingImpl::forward(const torch::Tensor& ids) {
    return F::embedding(ids, weight);
}

NormImpl::NormImpl(int64_t dim, double eps_, NormKind kind_) : eps(eps_), kind(kind_) {
    weight = register_parameter("weight", torch::ones({dim}));
}

torch::Tensor NormImpl::forward(const torch::Tensor& x) {
    torch::Tensor h = x.to(torch::kFloat32);
    h = h * torch::rsqrt(h.pow(2).mean(-1, /*keepdim=*/true) + eps);
    // Llama: cast back to the input dtype, then scale (in that dtype). Gemma: scale by (1 + w) in fp32, then cast.
    if (kind == NormKind::Rms) return weight * h.to(x.scalar_type());
    return (h * weight).to(x.scalar_type());
}

torch::Tensor ropeInverseFrequencies(const RopeSpec& rope, int64_t headDim) {
    auto idx = torch::arange(0, headDim, 2, torch::kInt64).to(torch::kFloat32);
    torch::Tensor inv = 1.0 / torch::pow(rope.theta, idx / double(headDim));  // (D/2)
    if (rope.type == "linear") return inv / rope.factor;
    if (rope.type == "llama3") {
        // transformers' _compute_llama3_parameters: long wavelengths slowed by `factor`, short ones kept,
        // the band between interpolated smoothly.
        const double lowWavelen = rope.originalMaxPositions / rope.lowFreqFactor;
        const double highWavelen = rope.originalMaxPositions / rope.highFreqFactor;
        auto wavelen = 2.0 * std::numbers::pi / inv;
        auto scaled = torch::where(wavelen > lowWavelen, inv / rope.factor, inv);
        auto smooth = (rope.originalMaxPositions / wavelen - rope.lowFreqFactor) / (rope.highFreqFactor - rope.lowFreqFactor);
        auto smoothed = (1 - smooth) * scaled / rope.factor + smooth * scaled;
        auto medium = (wavelen >= highWavelen).logical_and(wavelen <= lowWavelen);
        return torch::where(medium, smoothed, scaled);
    }
    return inv;
}

namespace {

torch::Tensor rotateHalf(const torch::Tensor& x) {
    const int64_t half = x.size(-1) / 2;
    return torch::cat({-x.slice(-1, half), x.slice(-1, 0, half)}, -1);
}

RopeTables ropeTables(const torch::Tensor& invFreq, int64_t start, int64_t T, const torch::Tensor& positions) {
    if (positions.defined()) {
        auto freqs = positions.to(torch::kFloat32).unsqueeze(-1) * invFreq;  // (B, T, D/2)
        auto emb = torch::cat({freqs, freqs}, -1).unsqueeze(1);               // (B, 1, T, D)
        return {emb.cos(), emb.sin()};
    }
    auto pos = torch::arange(start, start + T, invFreq.options());
    auto freqs = torch::outer(pos, invFreq);      // (T, D/2)
    auto emb = torch::cat({freqs, freqs}, -1);    // (T, D), Llama's rotate-half layout
    return {emb.cos(), emb.sin()};
}

// `cached` (B, Hkv, S, D) followed by `fresh` (B, Hkv, T, D) along the sequence, written into `store`'s spare room
// (doubling it when full): the result is a view of `store`.
torch::Tensor appendToCache(torch::Tensor& cached, torch::Tensor& store, const torch::Tensor& fresh) {
    if (!cached.defined()) return cached = fresh;
    const int64_t S = cached.size(2), T = fresh.size(2);
    const bool inStore = store.defined() && store.data_ptr() == cached.data_ptr() && store.size(0) == cached.size(0) &&
                         store.size(2) >= S + T && store.strides() == cached.strides() && store.scalar_type() == fresh.scalar_type();
    if (!inStore) {
        auto sizes = cached.sizes().vec();
        sizes[2] = std::max<int64_t>(2 * (S + T), 64);
        store = torch::empty(sizes, cached.options());
        store.narrow(2, 0, S).copy_(cached);
    }
    store.narrow(2, S, T).copy_(fresh);
    return cached = store.narrow(2, 0, S + T);
}

} // namespace

AttentionImpl::AttentionImpl(const ModelConfig& c, int layer)
    : numHeads(c.numHeads), numKvHeads(c.numKvHeads), headDim(c.headDim),
      window(c.slidingLayers[size_t(layer)] ? c.slidingWindow : 0), scale(c.attentionScale()), softcap(c.attnSoftcap) {
    q_proj = register_module("q_proj", Projection(c.hiddenSize, numHeads * headDim, c.qkvBias()));
    k_proj = register_module("k_proj", Projection(c.hiddenSize, numKvHeads * headDim, c.qkvBias()));
    v_proj = register_module("v_proj", Projection(c.hiddenSize, numKvHeads * headDim, c.qkvBias()));
    o_proj = register_module("o_proj", Projection(numHeads * headDim, c.hiddenSize, c.attentionBias));
    if (c.spec().qkNorm) {
        q_norm = register_module("q_norm", Norm(headDim, c.rmsNormEps, c.spec().norm));
        k_norm = register_module("k_norm", Norm(headDim, c.rmsNormEps, c.spec().norm));
    }
}

torch::Tensor AttentionImpl::forward(const torch::Tensor& x, const RopeTables& rope, KvCache* cache, int layer,
                                     const torch::Tensor& segments) {
    const int64_t B = x.size(0), T = x.size(1);
    const int64_t past = cache ? cache->length : 0;
    auto q = q_proj(x).view({B, T, numHeads, headDim});
    auto k = k_proj(x).view({B, T, numKvHeads, headDim});
    auto v = v_proj(x).view({B, T, numKvHeads, headDim}).transpose(1, 2);  // (B, Hkv, T, D)
    if (q_norm) {  // per-head norms come before RoPE
        q = q_norm(q);
        k = k_norm(k);
    }
    q = q.transpose(1, 2);  // (B, H, T, D)
    k = k.transpose(1, 2);
    // In the dtype of the layer's input, as transformers' rotary embedding returns them (cos.to(x.dtype)): under
    // autocast that is fp32, so q and k are rotated in fp32 before attention casts them down.
    const auto cos = rope.cos.to(x.scalar_type()), sin = rope.sin.to(x.scalar_type());
    q = q * cos + rotateHalf(q) * sin;
    k = k * cos + rotateHalf(k) * sin;
    if (cache) {
        for (auto* list : {&cache->keys, &cache->values, &cache->keyStore, &cache->valueStore})  // a prefix fills keys only
            if (list->size() <= size_t(layer)) list->resize(size_t(layer) + 1);
        k = appendToCache(cache->keys[size_t(layer)], cache->keyStore[size_t(layer)], k);
        v = appendToCache(cache->values[size_t(layer)], cache->valueStore[size_t(layer)], v);
    }
    // Generation (a cache, no soft cap) lets the attention kernel share each kv head among its query heads instead
    // of copying the whole cache H/Hkv times every token; training keeps the copies transformers makes.
    const bool sharedKv = cache && softcap <= 0 && numKvHeads != numHeads;
    if (numKvHeads != numHeads && !sharedKv) {  // grouped-query attention: each kv head serves H/Hkv query heads
        const int64_t rep = numHeads / numKvHeads;
        k = k.repeat_interleave(rep, 1);
        v = v.repeat_interleave(rep, 1);
    }
    const int64_t S = k.size(2);
    // Query i (absolute position past + i) sees key j when j <= past + i and, in a window, past + i - j < window.
    const bool padded = cache && cache->valid.defined();
    const bool plainCausal = past == 0 && (window == 0 || window >= T) && !segments.defined() && !padded;
    torch::Tensor allowed;
    if (!plainCausal || softcap > 0) {
        auto qpos = torch::arange(past, past + T, torch::TensorOptions().dtype(torch::kInt64).device(x.device())).unsqueeze(1);
        auto kpos = torch::arange(S, torch::TensorOptions().dtype(torch::kInt64).device(x.device())).unsqueeze(0);
        allowed = kpos <= qpos;  // (T, S); within a packed example index distance is position distance
        if (window > 0) allowed = allowed.logical_and(qpos - kpos < window);
        if (segments.defined()) {  // (B, 1, T, S): only keys of the query's own example
            auto same = segments.unsqueeze(2) == segments.unsqueeze(1);  // (B, T, T)
            if (past > 0)  // keys cached before a packed row (prefix tuning's) belong to every example
                same = torch::cat({torch::ones({B, T, past}, same.options()), same}, 2);
            allowed = allowed.logical_and(same).unsqueeze(1);
        } else if (padded) {  // (B, 1, T, S): no padding key; a padding query sees itself (a row of -inf is NaN)
            const auto& valid = cache->valid;  // (B, S)
            auto rowAllowed = (kpos <= qpos).logical_and(valid.unsqueeze(1).logical_or(kpos == qpos));  // (B, T, S)
            if (window > 0) {  // the window counts positions, which skip the padding between virtual and real tokens
                const auto keyPos = valid.to(torch::kInt64).cumsum(1);  // (B, S)
                const auto queryPos = keyPos.slice(1, past, past + T);
                rowAllowed = rowAllowed.logical_and((queryPos.unsqueeze(2) - keyPos.unsqueeze(1)) < window);
            }
            allowed = rowAllowed.unsqueeze(1);
        }
    }
    torch::Tensor y;
    if (softcap > 0) {
        // Gemma 2 caps the scores before the mask, so the fused kernel cannot be used: eager attention, softmax in fp32.
        auto scores = torch::matmul(q, k.transpose(-2, -1)) * scale;
        scores = torch::tanh(scores / softcap) * softcap;
        scores = scores.masked_fill(allowed.logical_not(), -std::numeric_limits<double>::infinity());
        y = torch::matmul(torch::softmax(scores, -1, torch::kFloat32).to(q.scalar_type()), v);
    } else if (plainCausal) {
        y = at::scaled_dot_product_attention(q, k, v, {}, 0.0, /*is_causal=*/true, scale, sharedKv);
    } else {
        y = at::scaled_dot_product_attention(q, k, v, allowed, 0.0, /*is_causal=*/false, scale, sharedKv);
    }
    return o_proj(y.transpose(1, 2).reshape({B, T, numHeads * headDim}));
}

MlpImpl::MlpImpl(const ModelConfig& c) : act(c.spec().act) {
    gate_proj = register_module("gate_proj", Projection(c.hiddenSize, c.intermediateSize, c.mlpBias));
    up_proj = register_module("up_proj", Projection(c.hiddenSize, c.intermediateSize, c.mlpBias));
    down_proj = register_module("down_proj", Projection(c.intermediateSize, c.hiddenSize, c.mlpBias));
}

torch::Tensor MlpImpl::forward(const torch::Tensor& x) {
    auto g = gate_proj(x);
    g = act == Activation::Silu ? F::silu(g) : F::gelu(g, F::GELUFuncOptions().approximate("tanh"));
    return down_proj(g * up_proj(x));
}

DecoderLayerImpl::DecoderLayerImpl(const ModelConfig& c, int layer_) : layer(layer_), sliding(c.slidingLayers[size_t(layer_)]) {
    const auto kind = c.spec().norm;
    input_layernorm = register_module("input_layernorm", Norm(c.hiddenSize, c.rmsNormEps, kind));
    self_attn = register_module("self_attn", Attention(c, layer));
    post_attention_layernorm = register_module("post_attention_layernorm", Norm(c.hiddenSize, c.rmsNormEps, kind));
    if (c.spec().sandwichNorms) {
        pre_feedforward_layernorm = register_module("pre_feedforward_layernorm", Norm(c.hiddenSize, c.rmsNormEps, kind));
        post_feedforward_layernorm = register_module("post_feedforward_layernorm", Norm(c.hiddenSize, c.rmsNormEps, kind));
    }
    mlp = register_module("mlp", Mlp(c));
}

torch::Tensor DecoderLayerImpl::forward(const torch::Tensor& x, const RopeTables& rope, KvCache* cache, const torch::Tensor& segments) {
    // Bottleneck adapters (Houlsby et al. 2019) sit on each sub-block's output, before the residual add and norm.
    auto adapted = [](const std::shared_ptr<BlockHookImpl>& adapter, torch::Tensor y) {
        return adapter && !AdaptersOff::active() ? adapter->forward(y) : y;
    };
    if (pre_feedforward_layernorm) {  // Gemma 2/3: every block is wrapped in a norm on both sides
        auto h = x + post_attention_layernorm(adapted(attnAdapter, self_attn(input_layernorm(x), rope, cache, layer, segments)));
        return h + post_feedforward_layernorm(adapted(mlpAdapter, mlp(pre_feedforward_layernorm(h))));
    }
    auto h = x + adapted(attnAdapter, self_attn(input_layernorm(x), rope, cache, layer, segments));
    return h + adapted(mlpAdapter, mlp(post_attention_layernorm(h)));
}

DecoderModelImpl::DecoderModelImpl(const ModelConfig& c) {
    embed_tokens = register_module("embed_tokens", TokenEmbedding(c.vocabSize, c.hiddenSize));
    layers = register_module("layers", torch::nn::ModuleList());
    for (int i = 0; i < c.numLayers; ++i) layers->push_back(DecoderLayer(c, i));
    norm = register_module("norm", Norm(c.hiddenSize, c.rmsNormEps, c.spec().norm));
}

CausalLMImpl::CausalLMImpl(const ModelConfig& c) : config(c) {
    model = register_module("model", DecoderModel(c));
    if (!c.tieWordEmbeddings) lm_head = register_module("lm_head", Projection(c.hiddenSize, c.vocabSize, false));
    invFreqGlobal = register_buffer("inv_freq_global", ropeInverseFrequencies(c.rope, c.headDim));
    invFreqLocal = register_buffer("inv_freq_local", ropeInverseFrequencies(c.ropeLocal, c.headDim));
}

torch::Tensor CausalLMImpl::forward(const torch::Tensor& ids, KvCache* cache, const torch::Tensor& positions,
                                    const torch::Tensor& segments) {
    return head(hiddenStates(ids, cache, positions, segments));  // (B, T, V)
}

torch::Tensor CausalLMImpl::lastLogits(const torch::Tensor& ids, KvCache* cache) {
    return head(hiddenStates(ids, cache).select(1, -1));  // (B, V)
}

torch::Tensor CausalLMImpl::head(const torch::Tensor& h) {
    torch::Tensor logits = lm_head ? lm_head(h) : F::linear(h, model->embed_tokens->weight);
    if (config.finalSoftcap > 0) logits = torch::tanh(logits / config.finalSoftcap) * config.finalSoftcap;
    return logits.to(torch::kFloat32);
}

torch::Tensor CausalLMImpl::lossSum(const torch::Tensor& ids, const torch::Tensor& labels, const torch::Tensor& positions,
                                    const torch::Tensor& segments) {
    if (lm_head && lm_head->hasLora()) return causalLmLossSum(forward(ids, nullptr, positions, segments), labels);
    return causalLmLossSumFromHidden(hiddenStates(ids, nullptr, positions, segments),
                                     lm_head ? lm_head->weight : model->embed_tokens->weight, labels, config.finalSoftcap);
}

torch::Tensor CausalLMImpl::tokenLogProbs(const torch::Tensor& ids, const torch::Tensor& labels,
                                          const torch::Tensor& positions, const torch::Tensor& segments) {
    if (lm_head && lm_head->hasLora() && !AdaptersOff::active())
        return ft::tokenLogProbs(forward(ids, nullptr, positions, segments), labels);
    return tokenLogProbsFromHidden(hiddenStates(ids, nullptr, positions, segments),
                                   lm_head ? lm_head->weight : model->embed_tokens->weight, labels, config.finalSoftcap);
}

torch::Tensor CausalLMImpl::hiddenStates(const torch::Tensor& ids, KvCache* cache, const torch::Tensor& positions,
                                         const torch::Tensor& segments) {
    torch::Tensor h = model->embed_tokens(ids);  // (B, T, C)
    if (config.spec().embedScale)  // Gemma: the normalizer is rounded to the compute dtype first
        h = h * torch::tensor(std::sqrt(double(config.hiddenSize)), h.options());
    int64_t numVirtual = 0;       // virtual tokens in front of h, dropped from the logits
    KvCache prefixOnly;           // prefix tuning without a caller's cache
    torch::Tensor pos = positions;
    const int64_t pastBefore = cache ? cache->length : 0;
    if (prompt && !AdaptersOff::active() && (!cache || cache->length == 0)) {
        if (auto v = prompt->virtualEmbeddings(ids.size(0), h.scalar_type()); v.defined()) {
            if (segments.defined() || positions.defined())
                throw Error(ErrorCode::Unsupported, "training.packing",
                            "prompt tuning and P-tuning put their tokens in front of a whole row, not of each packed "
                            "example; set packing to false");
            numVirtual = v.size(1);
            h = torch::cat({v, h}, 1);  // (B, Nv + T, C): real inputs at positions 0..Nv+T-1
        } else {
            if (!cache) cache = &prefixOnly;
            prompt->fillPrefix(ids.size(0), h.scalar_type(), *cache);  // cache->length = Nv
            if (pos.defined()) pos = pos + cache->length;  // peft offsets position_ids past the prefix too
        }
    }
    const int64_t past = cache ? cache->length : 0, T = h.size(1);
    if (cache && cache->valid.defined()) {
        if (segments.defined() || positions.defined())
            throw Error(ErrorCode::Unsupported, "positions", "left padding and packed rows do not mix");
        // Virtual tokens (in h or already in the cache) come before the prompts' mask; new tokens after it.
        const int64_t front = (past - pastBefore) + numVirtual;
        auto& valid = cache->valid;
        if (front > 0) valid = torch::cat({torch::ones({valid.size(0), front}, valid.options()), valid}, 1);
        if (valid.size(1) < past + T)
            valid = torch::cat({valid, torch::ones({valid.size(0), past + T - valid.size(1)}, valid.options())}, 1);
        pos = (valid.to(torch::kInt64).cumsum(1) - 1).clamp_min(0).slice(1, past, past + T);  // (B, T)
    }
    const RopeTables global = ropeTables(invFreqGlobal, past, T, pos);
    const bool anySliding = std::find(config.slidingLayers.begin(), config.slidingLayers.end(), true) != config.slidingLayers.end();
    const RopeTables local = anySliding ? ropeTables(invFreqLocal, past, T, pos) : global;

    const bool recompute = gradientCheckpointing && is_training() && !cache && torch::GradMode::is_enabled();
    for (auto& item : *model->layers) {
        auto* layer = item->as<DecoderLayerImpl>();
        const RopeTables& rope = layer->sliding ? local : global;
        h = recompute ? checkpointedLayerForward(*layer, h, rope, segments) : layer->forward(h, rope, cache, segments);
    }
    if (cache) cache->length += T;
    if (numVirtual > 0) h = h.slice(1, numVirtual);
    return model->norm(h);
}


void loadWeights(CausalLM& lm, const std::filesystem::path& modelDir, const QloraConfig* fourBit, torch::Dtype dtype) {
    std::map<std::string, torch::Tensor> params;
    for (auto& p : lm->named_parameters()) params.emplace(p.key(), p.value());
    // What bitsandbytes quantizes under transformers: every linear layer of the decoder layers (not lm_head).
    std::map<std::string, ProjectionImpl*> quantized;
    if (fourBit)
        for (const auto& item : lm->named_modules("", false))
            if (auto* proj = item.value()->as<ProjectionImpl>(); proj && item.key().starts_with("model.layers."))
                quantized.emplace(item.key() + ".weight", proj);
    std::map<std::string, bool> seen;
    torch::NoGradGuard noGrad;
    for (const auto& file : modelWeightFiles(modelDir)) {
        const auto st = SafetensorsFile::open(file);
        for (const auto& e : st.entries()) {
            auto it = params.find(e.name);
            if (it == params.end()) {
                // Buffers transformers may save that we recompute (RoPE), or a tied head stored anyway.
                if (e.name.find("rotary_emb") != std::string::npos || e.name == "lm_head.weight") continue;
                throw Error(ErrorCode::Unsupported, file.string() + ": tensor '" + e.name + "'",
                            "the model has no such parameter");
            }
            const auto q = quantized.find(e.name);
            const std::vector<int64_t> expected =
                q != quantized.end() ? std::vector<int64_t>{q->second->outFeatures, q->second->inFeatures} : it->second.sizes().vec();
            if (expected != e.shape)
                throw Error(ErrorCode::InvalidValue, file.string() + ": tensor '" + e.name + "'",
                            "shape " + c10::str(e.shape) + " but config.json implies " + c10::str(expected));
            torch::Tensor stored = st.tensor(e.name);
            if (q != quantized.end()) {
                // Layer by layer: once `stored` goes, its full-precision pages leave memory (SafetensorsFile::tensor).
                q->second->setFourBitBase(stored.to(dtype), *fourBit);
            } else if (stored.scalar_type() == it->second.scalar_type()) {
                it->second.set_data(stored);
            } else {
                it->second.copy_(stored);
            }
            seen[e.name] = true;
        }
    }
    for (const auto& [name, t] : params)
        if (!seen.count(name) && name.find("lora_") == std::string::npos)
            throw Error(ErrorCode::MissingField, (modelDir / "model.safetensors").string(), "missing tensor '" + name + "'");
}

void finalizeWeights(CausalLM& lm, torch::Dtype dtype) {
    torch::NoGradGuard noGrad;
    for (const auto& item : lm->named_modules("", false)) {
        if (auto* norm = item.value()->as<NormImpl>(); norm && norm->kind == NormKind::RmsPlusOne) {
            // transformers computes 1 + w.float() from the weight as stored in the compute dtype.
            norm->weight.set_data(1.0 + norm->weight.to(dtype).to(torch::kFloat32));
            continue;
        }
        for (auto& p : item.value()->parameters(/*recurse=*/false)) p.set_data(p.to(dtype));
    }
}

CausalLM loadCausalLM(const std::filesystem::path& path, torch::Dtype dtype) {
    const std::filesystem::path modelDir = modelFolderFor(path);
    CausalLM lm(loadModelConfig(modelDir / "config.json"));
    loadWeights(lm, modelDir);
    finalizeWeights(lm, dtype);
    return lm;
}

CausalLM loadCausalLM4Bit(const std::filesystem::path& path, const QloraConfig& config) {
    const std::filesystem::path modelDir = modelFolderFor(path);
    const torch::Dtype dtype = computeDtypeNamed(config.computeDtype, "qlora.compute_dtype");
    checkBlocksize(config.blocksize, "qlora.blocksize");
    CausalLM lm(loadModelConfig(modelDir / "config.json"));
    loadWeights(lm, modelDir, &config, dtype);
    finalizeWeights(lm, dtype);
    return lm;
}

int64_t storeFrozenProjectionsIn(CausalLM& lm, torch::Dtype dtype) {
    torch::NoGradGuard noGrad;
    int64_t freed = 0;
    for (const auto& item : lm->named_modules("", false)) {
        auto* proj = item.value()->as<ProjectionImpl>();
        if (!proj || proj->isFourBit() || proj->weight.requires_grad() || proj->weight.scalar_type() != torch::kFloat32)
            continue;
        freed += proj->weight.nbytes() - proj->weight.numel() * int64_t(c10::elementSize(dtype));
        proj->weight.set_data(proj->weight.to(dtype));
    }
    return freed;
}

int64_t parameterCount(CausalLM& lm) {
    int64_t n = 0;
    for (const auto& p : lm->parameters()) n += p.numel();
    for (const auto& item : lm->named_modules("", false))
        if (auto* proj = item.value()->as<ProjectionImpl>(); proj && proj->isFourBit()) n += proj->inFeatures * proj->outFeatures;
    return n;
}

torch::Dtype computeDtypeNamed(const std::string& name, const std::string& where) {
    if (name == "float32") return torch::kFloat32;
    if (name == "bfloat16") return torch::kBFloat16;
    if (name == "float16") return torch::kFloat16;
    throw Error(ErrorCode::InvalidValue, where, "'" + name + "'; use float32, bfloat16 or float16");
}

void initRandomWeights(CausalLM& lm, uint64_t seed) {
    torch::NoGradGuard noGrad;
    auto gen = at::make_generator<at::CPUGeneratorImpl>(seed);
    for (auto& p : lm->named_parameters()) {
        const std::string& name = p.key();
        if (name.find("norm") != std::string::npos)
            p.value().fill_(lm->config.spec().norm == NormKind::RmsPlusOne ? 0.0 : 1.0);
        else if (name.ends_with(".bias"))
            p.value().zero_();
        else  // N(0, 1/fan_in): keeps activations at unit scale through the stack (LeCun), see decoder.h
            p.value().normal_(0.0, 1.0 / std::sqrt(double(p.value().size(-1))), gen);
    }
}

} // namespace ft
