#!/usr/bin/env python3
"""Generate tiny random-weight decoder fixtures + HF reference outputs.

For every architecture below this script builds a tiny model from a config
(no Hub access needed), re-initialises its weights deterministically so that
every code path (biases, norms, softcaps, RoPE variants, sliding windows)
visibly changes the logits, saves it with ``save_pretrained`` and records
reference outputs computed by ``transformers`` on the CPU:

    tests/data/decoders/<name>/config.json
    tests/data/decoders/<name>/generation_config.json
    tests/data/decoders/<name>/model.safetensors  (or sharded + index)
    tests/data/decoders/<name>/reference.safetensors
    tests/data/decoders/<name>/reference.json

reference.safetensors holds:
    input_ids    int64   (2, 12)
    logits_fp32  float32 (2, 12, vocab)  fp32 weights, eager attention, use_cache=False
    logits_bf16  float32 (2, 12, vocab)  same folder loaded with dtype=bfloat16, computed in bf16
    loss_fp32    float32 ()              model's own loss with labels=input_ids
    prompt_ids   int64   (1, 5)
    greedy_ids   int64   (1, 8)          8 new tokens, greedy, fp32 (EOS disabled)

Run with the reference venv (see tests/data/decoders/README.md):

    /root/.cache/finetune-studio/refvenv/bin/python tests/data/make_decoder_fixtures.py

Output is deterministic: re-running produces byte-identical files for the same
torch/transformers versions.
"""

import argparse
import copy
import json
import math
import os
import shutil
import sys

import torch

torch.set_num_threads(1)
torch.use_deterministic_algorithms(True)

import safetensors.torch  # noqa: E402
import transformers  # noqa: E402
from transformers import (  # noqa: E402
    AutoModelForCausalLM,
    Gemma2Config,
    Gemma2ForCausalLM,
    Gemma3ForCausalLM,
    Gemma3TextConfig,
    GemmaConfig,
    GemmaForCausalLM,
    GenerationConfig,
    LlamaConfig,
    LlamaForCausalLM,
    MistralConfig,
    MistralForCausalLM,
    Qwen2Config,
    Qwen2ForCausalLM,
    Qwen3Config,
    Qwen3ForCausalLM,
)

transformers.logging.set_verbosity_error()
transformers.utils.logging.disable_progress_bar()

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_OUT = os.path.join(HERE, "decoders")

SEQ_LEN = 12
BATCH = 2
PROMPT_LEN = 5
NEW_TOKENS = 8
MIN_GREEDY_GAP = 0.05  # logits; fp32 greedy must not hinge on near-ties

# The final RMSNorm's effective weight is centred on FINAL_NORM_GAIN instead of 1 so the
# next-token distributions are peaked rather than near-uniform (logit std ~2.5). Putting the
# gain there (not on lm_head) keeps tied and untied models alike and does not change the
# balance between the embeddings and the layer outputs in the residual stream.
FINAL_NORM_GAIN = 2.5
# Gemma-family models multiply the (tied) embeddings by sqrt(hidden_size); with std
# 1/sqrt(fan_in) embeddings the token's own embedding then dominates the residual stream and
# the model just copies its input token. For those models the embedding matrix gets std
# GEMMA_EMBED_GAIN/sqrt(hidden) and the final norm GEMMA_FINAL_NORM_GAIN instead.
GEMMA_EMBED_GAIN = 0.5
GEMMA_FINAL_NORM_GAIN = 4.0

# Gemma-family norms are RMSNorm(x) * (1 + w): neutral value of w is 0.
GEMMA_NORM_MODEL_TYPES = {"gemma", "gemma2", "gemma3_text"}


def llama3_rope_branches(head_dim, theta, rp):
    """Classify every RoPE frequency into llama3 high / mid / low branch."""
    inv = 1.0 / (theta ** (torch.arange(0, head_dim, 2, dtype=torch.int64).float() / head_dim))
    wl = 2 * math.pi / inv
    omp = rp["original_max_position_embeddings"]
    low_wl = omp / rp["low_freq_factor"]
    high_wl = omp / rp["high_freq_factor"]
    out = []
    for w in wl.tolist():
        if w < high_wl:
            out.append("high")
        elif w > low_wl:
            out.append("low")
        else:
            out.append("mid")
    return out


LLAMA3_ROPE = {
    "rope_type": "llama3",
    "factor": 8.0,
    "low_freq_factor": 1.0,
    "high_freq_factor": 4.0,
    # head_dim 16, theta 5e5 -> wavelengths 6.28, 32.4, 167, ...
    # high_freq_wavelen = 48/4 = 12, low_freq_wavelen = 48/1 = 48
    # -> freq 0: high (unchanged), freq 1: mid (smoothed), freq 2..7: low (/8)
    "original_max_position_embeddings": 48,
}


def specs():
    """(name, config class, model class, config kwargs, notes, seed)."""
    common = dict(max_position_embeddings=64, attn_implementation="eager")
    return [
        dict(
            name="llama2",
            checks=[("rope_theta 1e4 -> 2e4", dict(rope_parameters={"rope_type": "default", "rope_theta": 20000.0}))],
            cfg_cls=LlamaConfig,
            model_cls=LlamaForCausalLM,
            seed=1001,
            kwargs=dict(
                vocab_size=256, hidden_size=32, intermediate_size=64, num_hidden_layers=2,
                num_attention_heads=4, num_key_value_heads=2, rope_theta=10000.0,
                rms_norm_eps=1e-5, tie_word_embeddings=False, bos_token_id=1, eos_token_id=2,
                **common,
            ),
            notes="Llama-2 style: rope_theta 1e4 default RoPE, GQA 4q/2kv heads, head_dim 8, "
                  "untied lm_head, rms_norm_eps 1e-5, SiLU MLP, no biases.",
        ),
        dict(
            name="llama3",
            checks=[
                ("llama3 scaling -> none", dict(rope_parameters={"rope_type": "default", "rope_theta": 500000.0})),
                # same high/low branches, different mid-branch smoothing => proves the mid branch matters
                ("mid-branch smoothing (high_freq_factor 4 -> 3)", dict(rope_parameters=dict(LLAMA3_ROPE, rope_theta=500000.0, high_freq_factor=3.0))),
            ],
            cfg_cls=LlamaConfig,
            model_cls=LlamaForCausalLM,
            seed=1002,
            kwargs=dict(
                vocab_size=200, hidden_size=64, intermediate_size=96, num_hidden_layers=2,
                num_attention_heads=4, num_key_value_heads=2, rope_theta=500000.0,
                rope_scaling=dict(LLAMA3_ROPE), rms_norm_eps=1e-5, tie_word_embeddings=True,
                bos_token_id=1, eos_token_id=[2, 3, 4],
                **common,
            ),
            notes="Llama-3.1 style: rope_theta 5e5 with llama3 rope scaling (factor 8, low 1, high 4, "
                  "original_max_position_embeddings 48, head_dim 16 => RoPE freq 0 in the high-frequency "
                  "(unchanged) branch, freq 1 in the smoothed mid branch, freqs 2..7 in the low branch (/8)); "
                  "GQA 4q/2kv; eos_token_id is a list [2, 3, 4]; tied embeddings (no lm_head.weight "
                  "in the checkpoint).",
        ),
        dict(
            name="llama_headdim",
            checks=[("attention_bias -> false (biases ignored)", dict(attention_bias=False))],
            cfg_cls=LlamaConfig,
            model_cls=LlamaForCausalLM,
            seed=1003,
            kwargs=dict(
                vocab_size=160, hidden_size=48, intermediate_size=80, num_hidden_layers=2,
                num_attention_heads=4, num_key_value_heads=2, head_dim=16, rope_theta=10000.0,
                attention_bias=True, mlp_bias=False, rms_norm_eps=1e-6, tie_word_embeddings=False,
                bos_token_id=1, eos_token_id=2,
                **common,
            ),
            notes="Llama with explicit head_dim 16 and hidden 48: q_proj is 48->64, k/v_proj 48->32, "
                  "o_proj 64->48 (num_heads*head_dim != hidden_size); attention_bias true (q/k/v/o biases), "
                  "mlp_bias false.",
        ),
        dict(
            name="mistral",
            checks=[("sliding_window 5 -> none", dict(sliding_window=None))],
            cfg_cls=MistralConfig,
            model_cls=MistralForCausalLM,
            seed=1004,
            kwargs=dict(
                vocab_size=192, hidden_size=32, intermediate_size=64, num_hidden_layers=2,
                num_attention_heads=4, num_key_value_heads=2, rope_theta=10000.0,
                sliding_window=5, rms_norm_eps=1e-5, tie_word_embeddings=False,
                bos_token_id=1, eos_token_id=2,
                **common,
            ),
            notes="Mistral: sliding_window 5 on every layer with sequences of 12 (query i attends keys j "
                  "with i-5 < j <= i, i.e. at most 5 keys including itself); GQA 4q/2kv; untied.",
        ),
        dict(
            name="qwen2",
            cfg_cls=Qwen2Config,
            model_cls=Qwen2ForCausalLM,
            seed=1005,
            kwargs=dict(
                vocab_size=224, hidden_size=32, intermediate_size=64, num_hidden_layers=2,
                num_attention_heads=4, num_key_value_heads=1, rope_theta=1000000.0,
                rms_norm_eps=1e-6, tie_word_embeddings=True, use_sliding_window=False,
                bos_token_id=1, eos_token_id=2,
                **common,
            ),
            notes="Qwen2: q/k/v_proj have biases, o_proj none; MQA (num_key_value_heads 1); "
                  "rope_theta 1e6; tied embeddings.",
        ),
        dict(
            name="qwen3",
            cfg_cls=Qwen3Config,
            model_cls=Qwen3ForCausalLM,
            seed=1006,
            kwargs=dict(
                vocab_size=256, hidden_size=32, intermediate_size=64, num_hidden_layers=2,
                num_attention_heads=4, num_key_value_heads=2, head_dim=16, rope_theta=1000000.0,
                rms_norm_eps=1e-6, tie_word_embeddings=False, attention_bias=False,
                use_sliding_window=False, bos_token_id=1, eos_token_id=2,
                **common,
            ),
            notes="Qwen3: per-head q_norm/k_norm RMSNorm (weight size head_dim) applied before RoPE; "
                  "explicit head_dim 16 with hidden 32 (q_proj 32->64); no biases; GQA 4q/2kv; untied.",
        ),
        dict(
            name="gemma",
            checks=[("exact erf gelu instead of gelu_pytorch_tanh", use_exact_gelu)],
            cfg_cls=GemmaConfig,
            model_cls=GemmaForCausalLM,
            seed=1007,
            kwargs=dict(
                vocab_size=256, hidden_size=32, intermediate_size=64, num_hidden_layers=2,
                num_attention_heads=4, num_key_value_heads=1, head_dim=16, rope_theta=10000.0,
                rms_norm_eps=1e-6, hidden_act="gelu_pytorch_tanh", tie_word_embeddings=True,
                bos_token_id=2, eos_token_id=1, pad_token_id=0,
                **common,
            ),
            # transformers silently rewrites hidden_act "gelu" -> "gelu_pytorch_tanh" at config
            # construction, so config.json is patched afterwards to carry the legacy value like the
            # official Gemma releases do.
            patch_config={"hidden_act": "gelu"},
            notes="Gemma: embeddings multiplied by sqrt(hidden_size) (rounded to the compute dtype), "
                  "RMSNorm computed in fp32 as x*(1+w); config.json says hidden_act \"gelu\" (legacy value, "
                  "patched in after save) but transformers uses gelu_pytorch_tanh; explicit head_dim 16 with "
                  "hidden 32 (q_proj 32->64); MQA (1 kv head); tied embeddings.",
        ),
        dict(
            name="gemma2",
            checks=[
                ("attn_logit_softcapping 3 -> none", dict(attn_logit_softcapping=None)),
                ("final_logit_softcapping 6 -> none", dict(final_logit_softcapping=None)),
                ("sliding_window 4 -> 64", dict(sliding_window=64)),
                ("query_pre_attn_scalar 24 -> head_dim 16", dict(query_pre_attn_scalar=16)),
            ],
            cfg_cls=Gemma2Config,
            model_cls=Gemma2ForCausalLM,
            seed=1008,
            kwargs=dict(
                vocab_size=256, hidden_size=32, intermediate_size=64, num_hidden_layers=3,
                num_attention_heads=4, num_key_value_heads=2, head_dim=16, rope_theta=10000.0,
                rms_norm_eps=1e-6, hidden_activation="gelu_pytorch_tanh",
                query_pre_attn_scalar=24, attn_logit_softcapping=3.0, final_logit_softcapping=6.0,
                sliding_window=4, tie_word_embeddings=True, bos_token_id=2, eos_token_id=1,
                pad_token_id=0,
                **common,
            ),
            notes="Gemma2: layer_types [sliding, full, sliding] with sliding_window 4 (< seq 12); "
                  "attention scale query_pre_attn_scalar**-0.5 = 24**-0.5 (head_dim 16); "
                  "attn_logit_softcapping 3.0 (tanh cap on scores before mask/softmax); "
                  "final_logit_softcapping 6.0; post_attention_layernorm applied to attention output, "
                  "pre_/post_feedforward_layernorm around the MLP; (1+w) RMSNorm; sqrt(hidden) embed scale; "
                  "tied embeddings; eager attention.",
        ),
        dict(
            name="gemma3",
            checks=[
                ("sliding_window 6 -> 64", dict(sliding_window=64)),
                ("global linear rope scaling -> none", dict(rope_parameters={
                    "full_attention": {"rope_type": "default", "rope_theta": 1000000.0},
                    "sliding_attention": {"rope_type": "default", "rope_theta": 10000.0}})),
                ("local rope_theta 1e4 -> 1e6", dict(rope_parameters={
                    "full_attention": {"rope_type": "linear", "factor": 8.0, "rope_theta": 1000000.0},
                    "sliding_attention": {"rope_type": "default", "rope_theta": 1000000.0}})),
                ("query_pre_attn_scalar 32 -> head_dim 16", dict(query_pre_attn_scalar=16)),
            ],
            cfg_cls=Gemma3TextConfig,
            model_cls=Gemma3ForCausalLM,
            seed=1009,
            kwargs=dict(
                vocab_size=256, hidden_size=32, intermediate_size=64, num_hidden_layers=4,
                num_attention_heads=4, num_key_value_heads=2, head_dim=16,
                rope_theta=1000000.0, rope_local_base_freq=10000.0,
                rope_scaling={"rope_type": "linear", "factor": 8.0},
                sliding_window_pattern=3, sliding_window=6, query_pre_attn_scalar=32,
                rms_norm_eps=1e-6, hidden_activation="gelu_pytorch_tanh",
                tie_word_embeddings=True, bos_token_id=2, eos_token_id=[1, 106], pad_token_id=0,
                **common,
            ),
            notes="Gemma3 text-only (Gemma3ForCausalLM, model_type gemma3_text): sliding_window_pattern 3 "
                  "=> layer_types [sliding, sliding, full, sliding]; sliding_window 6 (< seq 12); local "
                  "(sliding) layers use rope_theta 1e4 default RoPE, global (full) layers use rope_theta 1e6 "
                  "with linear rope scaling factor 8 (positions/8); q_norm/k_norm (1+w) RMSNorm per head; "
                  "query_pre_attn_scalar 32 (head_dim 16); no softcapping; pre/post feedforward norms; "
                  "sqrt(hidden) embed scale; tied embeddings; eos_token_id list [1, 106].",
        ),
    ]


def use_exact_gelu(model):
    for layer in model.model.layers:
        layer.mlp.act_fn = torch.nn.GELU(approximate="none")


def reinit_(model, seed):
    """Deterministic re-initialisation so that outputs are far from uniform."""
    gen = torch.Generator().manual_seed(seed)
    gemma_norm = model.config.model_type in GEMMA_NORM_MODEL_TYPES
    final_gain = GEMMA_FINAL_NORM_GAIN if gemma_norm else FINAL_NORM_GAIN
    with torch.no_grad():
        for name, p in sorted(model.named_parameters(), key=lambda kv: kv[0]):
            if p.dim() >= 2:
                fan_in = p.shape[1]
                gain = GEMMA_EMBED_GAIN if (gemma_norm and name == "model.embed_tokens.weight") else 1.0
                p.copy_(gain * torch.randn(p.shape, generator=gen) / math.sqrt(fan_in))
            elif name.endswith(".bias"):
                p.copy_(0.1 * torch.randn(p.shape, generator=gen))
            elif "norm" in name:
                r = 0.1 * torch.randn(p.shape, generator=gen)
                if name == "model.norm.weight":
                    eff = final_gain * (1.0 + r)  # effective multiplier
                else:
                    eff = 1.0 + r
                p.copy_(eff - 1.0 if gemma_norm else eff)
            else:
                raise RuntimeError(f"unhandled parameter {name} {tuple(p.shape)}")


def greedy_no_cache(model, prompt, n):
    """Plain greedy loop without KV cache; also returns the smallest top1-top2 logit gap."""
    ids = prompt.clone()
    min_gap = float("inf")
    with torch.no_grad():
        for _ in range(n):
            logits = model(input_ids=ids, use_cache=False).logits[:, -1, :]
            top2 = logits.topk(2, dim=-1).values
            min_gap = min(min_gap, (top2[:, 0] - top2[:, 1]).min().item())
            nxt = logits.argmax(-1, keepdim=True)
            ids = torch.cat([ids, nxt], dim=1)
    return ids[:, prompt.shape[1]:], min_gap


def pick_prompt(model, vocab, seed):
    """Deterministically pick a prompt whose greedy continuation is robust (clear argmax
    margins at every step) and not a single repeated token."""
    best = None
    for attempt in range(64):
        gen = torch.Generator().manual_seed(seed * 100 + attempt)
        prompt = torch.randint(0, vocab, (1, PROMPT_LEN), generator=gen, dtype=torch.int64)
        toks, gap = greedy_no_cache(model, prompt, NEW_TOKENS)
        score = (len(set(toks[0].tolist())) >= 3, gap)
        if best is None or score > best[0]:
            best = (score, prompt, toks, gap)
        if score[0] and gap >= MIN_GREEDY_GAP:
            break
    return best[1], best[2], best[3]


def compute_reference(folder, vocab, seed):
    gen = torch.Generator().manual_seed(seed + 7)
    input_ids = torch.randint(0, vocab, (BATCH, SEQ_LEN), generator=gen, dtype=torch.int64)

    model = AutoModelForCausalLM.from_pretrained(folder, dtype=torch.float32, attn_implementation="eager")
    model.eval()
    prompt_ids, ref_greedy, greedy_gap = pick_prompt(model, vocab, seed)
    with torch.no_grad():
        out = model(input_ids=input_ids, labels=input_ids, use_cache=False)
    logits_fp32 = out.logits.float().contiguous()
    loss_fp32 = out.loss.float().reshape(())

    # Greedy with EOS disabled: no EOS token, so generation can never stop early and
    # no logits processor touches the scores (min_new_tokens additionally pins the length).
    gcfg = GenerationConfig(
        max_new_tokens=NEW_TOKENS, min_new_tokens=NEW_TOKENS, do_sample=False,
        eos_token_id=None, pad_token_id=0, bos_token_id=None,
    )
    saved_gen = model.generation_config
    model.generation_config = copy.deepcopy(gcfg)
    with torch.no_grad():
        gen_out = model.generate(prompt_ids, generation_config=gcfg, attention_mask=torch.ones_like(prompt_ids))
    model.generation_config = saved_gen
    greedy_ids = gen_out[:, PROMPT_LEN:].contiguous()
    assert greedy_ids.shape == (1, NEW_TOKENS), greedy_ids.shape
    assert torch.equal(ref_greedy, greedy_ids), (ref_greedy, greedy_ids)
    del model

    model_bf16 = AutoModelForCausalLM.from_pretrained(folder, dtype=torch.bfloat16, attn_implementation="eager")
    model_bf16.eval()
    assert next(model_bf16.parameters()).dtype == torch.bfloat16
    with torch.no_grad():
        logits_bf16 = model_bf16(input_ids=input_ids, use_cache=False).logits
    assert logits_bf16.dtype == torch.bfloat16, logits_bf16.dtype
    logits_bf16 = logits_bf16.float().contiguous()
    del model_bf16

    return greedy_gap, {
        "input_ids": input_ids,
        "logits_fp32": logits_fp32,
        "logits_bf16": logits_bf16,
        "loss_fp32": loss_fp32,
        "prompt_ids": prompt_ids,
        "greedy_ids": greedy_ids,
    }


def write_reference(folder, ref, meta):
    safetensors.torch.save_file(ref, os.path.join(folder, "reference.safetensors"))
    with open(os.path.join(folder, "reference.json"), "w") as f:
        json.dump(meta, f, indent=2, sort_keys=True)
        f.write("\n")


def patch_config(folder, patch):
    path = os.path.join(folder, "config.json")
    with open(path) as f:
        cfg = json.load(f)
    cfg.update(patch)
    with open(path, "w") as f:
        json.dump(cfg, f, indent=2)
        f.write("\n")


def folder_size(folder):
    return sum(os.path.getsize(os.path.join(folder, n)) for n in os.listdir(folder))


def verify(folder, ref):
    """Reload the saved folder and check the fp32 logits reproduce bit-exactly."""
    model = AutoModelForCausalLM.from_pretrained(folder, dtype=torch.float32, attn_implementation="eager")
    model.eval()
    with torch.no_grad():
        logits = model(input_ids=ref["input_ids"], use_cache=False).logits
    assert torch.equal(logits, ref["logits_fp32"]), f"{folder}: reload mismatch"
    stored = safetensors.torch.load_file(os.path.join(folder, "reference.safetensors"))
    for k, v in ref.items():
        assert torch.equal(stored[k], v), (folder, k)


def sensitivity(folder, ref, checks):
    """Reload with a feature switched off / changed and make sure the logits move: proves the
    fixture actually exercises that feature."""
    out = {}
    for label, overrides in checks:
        if callable(overrides):  # a function that edits the loaded model
            m = AutoModelForCausalLM.from_pretrained(folder, dtype=torch.float32, attn_implementation="eager")
            overrides(m)
        else:  # config overrides
            m = AutoModelForCausalLM.from_pretrained(
                folder, dtype=torch.float32, attn_implementation="eager", **copy.deepcopy(overrides))
        m.eval()
        with torch.no_grad():
            lg = m(input_ids=ref["input_ids"], use_cache=False).logits
        d = (lg - ref["logits_fp32"]).abs().max().item()
        # 1e-3 = 10x the fp32 logits tolerance of the C++ tests
        assert d > 1e-3, f"{folder}: '{label}' does not change the logits (max diff {d})"
        out[label] = round(d, 4)
        del m
    return out


def logits_summary(ref):
    lg = ref["logits_fp32"]
    p = lg.softmax(-1)
    return dict(
        logit_std=round(lg.std().item(), 3),
        mean_top1_prob=round(p.max(-1).values.mean().item(), 3),
        max_abs_bf16_diff=round((ref["logits_bf16"] - lg).abs().max().item(), 4),
        loss=round(ref["loss_fp32"].item(), 4),
        greedy=ref["greedy_ids"][0].tolist(),
    )


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default=DEFAULT_OUT)
    ap.add_argument("--only", nargs="*", help="subset of fixture names (llama_sharded needs llama2)")
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)

    versions = dict(transformers_version=transformers.__version__, torch_version=torch.__version__)
    print(f"transformers {versions['transformers_version']}  torch {versions['torch_version']}")

    total = 0
    for spec in specs():
        name = spec["name"]
        if args.only and name not in args.only:
            continue
        folder = os.path.join(args.out, name)
        if os.path.isdir(folder):
            shutil.rmtree(folder)

        torch.manual_seed(spec["seed"])
        config = spec["cfg_cls"](**spec["kwargs"])
        model = spec["model_cls"](config)
        reinit_(model, spec["seed"])
        model.eval()
        if name == "llama3":
            br = llama3_rope_branches(config.head_dim, 500000.0, LLAMA3_ROPE)
            assert {"high", "mid", "low"} <= set(br), br
        model.save_pretrained(folder, safe_serialization=True)
        if spec.get("patch_config"):
            patch_config(folder, spec["patch_config"])

        # Same weights straight from memory must agree bit-exactly with the reloaded folder.
        probe = torch.randint(0, config.vocab_size, (1, SEQ_LEN), generator=torch.Generator().manual_seed(5))
        with torch.no_grad():
            mem_logits = model(input_ids=probe, use_cache=False).logits
        del model

        greedy_gap, ref = compute_reference(folder, config.vocab_size, spec["seed"])
        reloaded = AutoModelForCausalLM.from_pretrained(folder, dtype=torch.float32, attn_implementation="eager")
        with torch.no_grad():
            assert torch.equal(reloaded(input_ids=probe, use_cache=False).logits, mem_logits), name
        del reloaded

        sens = sensitivity(folder, ref, spec.get("checks", []))
        meta = dict(architecture=spec["model_cls"].__name__, model_type=config.model_type,
                    notes=spec["notes"], seed=spec["seed"],
                    greedy_min_top2_gap=round(greedy_gap, 4),
                    sensitivity_max_abs_logit_change=sens, **versions)
        write_reference(folder, ref, meta)
        verify(folder, ref)
        size = folder_size(folder)
        total += size
        print(f"{name:14s} {size/1024:7.1f} KiB  {logits_summary(ref)} gap={greedy_gap:.3f} sens={sens}")

        if name == "llama2":
            # Same model, sharded. Reference is identical to llama2's.
            sfolder = os.path.join(args.out, "llama_sharded")
            if os.path.isdir(sfolder):
                shutil.rmtree(sfolder)
            m = AutoModelForCausalLM.from_pretrained(folder, dtype=torch.float32, attn_implementation="eager")
            m.save_pretrained(sfolder, safe_serialization=True, max_shard_size="60KB")
            del m
            shards = sorted(n for n in os.listdir(sfolder) if n.endswith(".safetensors"))
            assert os.path.exists(os.path.join(sfolder, "model.safetensors.index.json")), shards
            assert 2 <= len(shards) <= 3, shards
            smeta = dict(meta, notes="llama2 model saved with save_pretrained(max_shard_size='60KB'): "
                         f"{len(shards)} shards + model.safetensors.index.json. Reference outputs are "
                         "identical to ../llama2.")
            write_reference(sfolder, ref, smeta)
            verify(sfolder, ref)
            size = folder_size(sfolder)
            total += size
            print(f"{'llama_sharded':14s} {size/1024:7.1f} KiB  shards={shards}")

    print(f"total {total/1024:.1f} KiB")


if __name__ == "__main__":
    sys.exit(main())
