#!/usr/bin/env python3
"""References for importing a GGUF file as a model to fine-tune (tests/tst_gguf_import.cpp).

Run with the reference venv (transformers 5.23.0, tokenizers 0.23.3, gguf 0.19.0, sentencepiece, torch):
    ~/.cache/finetune-studio/refvenv/bin/python tests/data/make_gguf_import_fixtures.py

For each case a tiny random Hugging Face model is written as a GGUF file the way llama.cpp's convert_hf_to_gguf.py
writes it (its tensor names from gguf-py's tensor map, Llama's Q/K rows permuted, Gemma's norms stored as 1 + w,
its metadata keys, a mix of tensor types quantized by gguf-py), with a tokenizer taken from tests/data/bos:
a SentencePiece vocabulary (tokens, scores, token types, no merges, as llama.cpp stores `llama` vocabularies) or a
byte-level BPE one (tokens, merges, token types; `gpt2`). Then transformers opens that file
(`from_pretrained(folder, gguf_file=...)`) and what it sees is the reference, in tests/data/gguf_import/<case>/:
  model.gguf             the file
  expected.safetensors   every weight as transformers loads it (float32), and `logits` for `logit_ids`
  expected.json          config values, the tokenizer's ids for CORPUS (with and without special tokens), its
                         special tokens and add_bos, the chat template rendered for a conversation
"""
import json
import os

import gguf
import numpy as np
import sentencepiece as spm
import tokenizers
import torch
import transformers
from gguf import GGMLQuantizationType as T
from gguf.quants import quantize
from safetensors.torch import save_file

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "gguf_import")
BOS = os.path.join(HERE, "bos")

CORPUS = [
    "Hello world",
    " leading space and  two spaces",
    "안녕하세요, 세계! 한국어 문장입니다.",
    "def f(x):\n    return x ** 2  # code\n\ttab",
    "emoji 🙂🚀 and ü é ñ",
    "numbers 12345 3.14159",
    "",
    "<s>special</s> in text",
    "<|im_start|>user\nhi<|im_end|>",
]
CONVERSATION = [
    {"role": "user", "content": "What is 2+2?"},
    {"role": "assistant", "content": "4"},
    {"role": "user", "content": "안녕?"},
]
TEMPLATE = ("{% for m in messages %}{{ '<|im_start|>' + m['role'] + '\n' + m['content'] + '<|im_end|>\n' }}"
            "{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\n' }}{% endif %}")

TINY = dict(vocab_size=None, hidden_size=64, intermediate_size=96, num_hidden_layers=2, num_attention_heads=4,
            num_key_value_heads=2, max_position_embeddings=256, rms_norm_eps=1e-6, rope_theta=10000.0)

# case: (gguf architecture, transformers config class, extra config, tokenizer, tensor types, general.name, tied)
CASES = {
    "llama": ("llama", transformers.LlamaConfig, {}, "llama-sp", "mixed", "Tiny Llama", False),
    "mistral": ("llama", transformers.MistralConfig, {"sliding_window": None}, "llama-sp", "q8", "tiny-mistral", False),
    "qwen2": ("qwen2", transformers.Qwen2Config, {}, "bytelevel-qwen2", "bf16", "Tiny Qwen2", True),
    "qwen3": ("qwen3", transformers.Qwen3Config, {"head_dim": 128}, "bytelevel-llama3", "q5", "Tiny Qwen3", False),
    # transformers 5.23 cannot open gemma (1) GGUF files: its reference is the source model, stored exactly (F32).
    "gemma": ("gemma", transformers.GemmaConfig, {"head_dim": 16}, "gemma-sp", "f32", "Tiny Gemma", True),
    "gemma2": ("gemma2", transformers.Gemma2Config, {"head_dim": 16, "sliding_window": 8}, "gemma-sp", "mixed",
               "Tiny Gemma2", True),
    "gemma3": ("gemma3", transformers.Gemma3TextConfig, {"head_dim": 16, "sliding_window": 8}, "gemma-sp", "f16",
               "Tiny Gemma3", True),
    "smollm-bytelevel": ("llama", transformers.LlamaConfig, {}, "bytelevel-smollm", "mixed", "Tiny SmolLM", True),
}

GGUF_ARCH = {"llama": gguf.MODEL_ARCH.LLAMA, "qwen2": gguf.MODEL_ARCH.QWEN2, "qwen3": gguf.MODEL_ARCH.QWEN3,
             "gemma": gguf.MODEL_ARCH.GEMMA, "gemma2": gguf.MODEL_ARCH.GEMMA2, "gemma3": gguf.MODEL_ARCH.GEMMA3}


def sentencepiece_vocab(folder):
    """tokens, scores, token types as llama.cpp's _create_vocab_sentencepiece writes them."""
    sp = spm.SentencePieceProcessor(model_file=os.path.join(BOS, folder, "tokenizer.model"))
    tokens, scores, types = [], [], []
    for i in range(sp.vocab_size()):
        tokens.append(sp.id_to_piece(i))
        scores.append(sp.get_score(i))
        t = gguf.TokenType.NORMAL
        if sp.is_unknown(i):
            t = gguf.TokenType.UNKNOWN
        elif sp.is_control(i):
            t = gguf.TokenType.CONTROL
        elif sp.is_unused(i):
            t = gguf.TokenType.UNUSED
        elif sp.is_byte(i):
            t = gguf.TokenType.BYTE
        types.append(int(t))
    # One user-defined token, matched whole (a <think>-like added token).
    return tokens, scores, types


def bytelevel_vocab():
    """tokens, merges, types of the small byte-level BPE in tests/data/bos/smollm2-bytelevel plus its specials."""
    tj = json.load(open(os.path.join(BOS, "smollm2-bytelevel", "tokenizer.json"), encoding="utf-8"))
    vocab = tj["model"]["vocab"]
    tokens = [None] * len(vocab)
    for t, i in vocab.items():
        tokens[i] = t
    types = [int(gguf.TokenType.NORMAL)] * len(tokens)
    for extra, kind in (("<|im_start|>", gguf.TokenType.CONTROL), ("<|im_end|>", gguf.TokenType.CONTROL),
                        ("<|endoftext|>", gguf.TokenType.CONTROL), ("<think>", gguf.TokenType.USER_DEFINED)):
        tokens.append(extra)
        types.append(int(kind))
    merges = [m if isinstance(m, str) else " ".join(m) for m in tj["model"]["merges"]]
    return tokens, merges, types


def permute(w, n_head, n_head_kv):
    """convert_hf_to_gguf.py LlamaModel.permute."""
    if n_head_kv is not None and n_head != n_head_kv:
        n_head = n_head_kv
    return w.reshape(n_head, 2, w.shape[0] // n_head // 2, *w.shape[1:]).swapaxes(1, 2).reshape(w.shape)


def tensor_type(policy, name, data):
    if data.ndim == 1 or data.shape[-1] % 32:
        return T.F32
    if policy == "f32":
        return T.F32
    if policy == "f16":
        return T.F16
    if policy == "bf16":
        return T.BF16
    if policy == "q8":
        return T.Q8_0
    if policy == "q4":
        return T.Q4_1 if "ffn" in name else T.Q4_0
    if policy == "q5":
        return T.Q5_1 if "attn" in name else T.Q5_0
    # mixed: the kinds a Q4_1 file from llama.cpp has (Q8_0 embeddings, Q4_1 blocks), plus F16 and BF16
    if name == "token_embd.weight":
        return T.Q8_0
    if "attn_v" in name:
        return T.F16
    if "ffn_up" in name:
        return T.BF16
    return T.Q4_1


def write_case(case, spec):
    arch, config_cls, extra, tok_kind, policy, general_name, tied = spec
    folder = os.path.join(OUT, case)
    os.makedirs(folder, exist_ok=True)
    path = os.path.join(folder, "model.gguf")

    merges = None
    scores = None
    if tok_kind.startswith("bytelevel"):
        tokens, merges, types = bytelevel_vocab()
        tok_model = "gpt2"
        pre = {"bytelevel-qwen2": "qwen2", "bytelevel-llama3": "llama-bpe", "bytelevel-smollm": "smollm"}[tok_kind]
        bos_id, eos_id, unk_id, pad_id = tokens.index("<|im_start|>"), tokens.index("<|im_end|>"), None, None
        add_bos = tok_kind == "bytelevel-llama3"
        add_space_prefix = False
    else:
        tokens, scores, types = sentencepiece_vocab(tok_kind)
        tok_model = "llama"
        pre = "default"
        bos_id, eos_id, unk_id, pad_id = 1, 2, 0, None
        if case.startswith("gemma"):
            pad_id = 0
        add_bos = True
        add_space_prefix = case != "mistral"  # one file says False: no "▁" before the first word

    config = config_cls(**{**TINY, "vocab_size": len(tokens), "tie_word_embeddings": tied, **extra})
    if arch in ("gemma2", "gemma3"):
        config.query_pre_attn_scalar = 16
    torch.manual_seed(sum(map(ord, case)))
    model = transformers.AutoModelForCausalLM.from_config(config, dtype=torch.float32)
    with torch.no_grad():
        for name, p in model.named_parameters():
            if "norm" in name:  # norms away from their init so a missed +1 / -1 shows
                p.copy_(torch.randn_like(p) * 0.2 + (0.0 if arch.startswith("gemma") else 1.0))
            if name.endswith("bias"):
                p.copy_(torch.randn_like(p) * 0.1)

    w = gguf.GGUFWriter(path, arch)
    w.add_name(general_name)
    w.add_context_length(config.max_position_embeddings)
    w.add_embedding_length(config.hidden_size)
    w.add_block_count(config.num_hidden_layers)
    w.add_feed_forward_length(config.intermediate_size)
    w.add_head_count(config.num_attention_heads)
    w.add_head_count_kv(config.num_key_value_heads)
    w.add_layer_norm_rms_eps(config.rms_norm_eps)
    w.add_rope_freq_base(10000.0)
    w.add_file_type(gguf.LlamaFileType.MOSTLY_Q4_1 if policy in ("mixed", "q4") else gguf.LlamaFileType.ALL_F32)
    head_dim = getattr(config, "head_dim", None) or config.hidden_size // config.num_attention_heads
    if arch == "llama":
        w.add_vocab_size(len(tokens))
        w.add_rope_dimension_count(head_dim)
    if arch in ("gemma", "gemma2", "gemma3", "qwen3"):
        w.add_key_length(head_dim)
        w.add_value_length(head_dim)
    if arch in ("gemma2", "gemma3"):
        w.add_sliding_window(config.sliding_window)
    if arch == "gemma2":
        w.add_attn_logit_softcapping(config.attn_logit_softcapping)
        w.add_final_logit_softcapping(config.final_logit_softcapping)
    w.add_tokenizer_model(tok_model)
    w.add_tokenizer_pre(pre)
    w.add_token_list(tokens)
    if scores is not None:
        w.add_token_scores(scores)
    w.add_token_types(types)
    if merges is not None:
        w.add_token_merges(merges)
    w.add_bos_token_id(bos_id)
    w.add_eos_token_id(eos_id)
    if unk_id is not None:
        w.add_unk_token_id(unk_id)
    if pad_id is not None:
        w.add_pad_token_id(pad_id)
    w.add_add_bos_token(add_bos)
    w.add_add_eos_token(False)
    w.add_add_space_prefix(add_space_prefix)
    w.add_chat_template(TEMPLATE)

    name_map = gguf.get_tensor_name_map(GGUF_ARCH[arch], config.num_hidden_layers)
    for hf_name, p in model.state_dict().items():
        if tied and hf_name == "lm_head.weight":
            continue
        base, suffix = hf_name.rsplit(".", 1)
        gname = "output" if base == "lm_head" else name_map.get_name(base)
        assert gname, hf_name
        gname += "." + suffix
        data = p.detach().float().numpy()
        if arch == "llama" and "q_proj" in hf_name:
            data = permute(data, config.num_attention_heads, config.num_attention_heads)
        if arch == "llama" and "k_proj" in hf_name:
            data = permute(data, config.num_attention_heads, config.num_key_value_heads)
        if arch.startswith("gemma") and hf_name.endswith("norm.weight"):
            data = data + 1
        qtype = tensor_type(policy, gname, data)
        if qtype == T.F32:
            w.add_tensor(gname, data.astype(np.float32))
        elif qtype == T.F16:
            w.add_tensor(gname, data.astype(np.float16))
        else:
            w.add_tensor(gname, quantize(data, qtype), raw_dtype=qtype)
    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_tensors_to_file()
    w.close()
    return folder, model


def source_reference(folder, model):
    """For an architecture transformers cannot open from GGUF: the source model's own weights and logits."""
    ids = [5, 17, 42, 99, 3, 250, 7, 1]
    with torch.no_grad():
        logits = model(torch.tensor([ids])).logits[0].float().contiguous()
    tensors = {k: v.detach().float().clone().contiguous() for k, v in model.state_dict().items()}
    tensors["logits"] = logits
    save_file(tensors, os.path.join(folder, "expected.safetensors"))
    cfg = model.config
    expected = {"reference": "the source model: transformers 5.23 cannot open this architecture from GGUF",
                "config": {"model_type": cfg.model_type, "head_dim": cfg.head_dim, "vocab_size": cfg.vocab_size,
                           "tie_word_embeddings": cfg.tie_word_embeddings},
                "logit_ids": ids}
    with open(os.path.join(folder, "expected.json"), "w", encoding="utf-8") as f:
        json.dump(expected, f, ensure_ascii=False, indent=1)


def reference(case, folder):
    tok = transformers.AutoTokenizer.from_pretrained(folder, gguf_file="model.gguf")
    model = transformers.AutoModelForCausalLM.from_pretrained(folder, gguf_file="model.gguf", dtype=torch.float32)
    model.eval()
    cfg = model.config
    ids = tok("Hello world, 안녕", add_special_tokens=False)["input_ids"][:8]
    with torch.no_grad():
        logits = model(torch.tensor([ids])).logits[0].float().contiguous()
    tensors = {k: v.detach().float().clone().contiguous() for k, v in model.state_dict().items()}
    tensors["logits"] = logits
    save_file(tensors, os.path.join(folder, "expected.safetensors"))
    fields = ["model_type", "hidden_size", "intermediate_size", "num_hidden_layers", "num_attention_heads",
              "num_key_value_heads", "head_dim", "rms_norm_eps", "max_position_embeddings", "vocab_size",
              "tie_word_embeddings", "sliding_window", "query_pre_attn_scalar", "attn_logit_softcapping",
              "final_logit_softcapping", "bos_token_id", "eos_token_id", "pad_token_id"]
    config = {f: getattr(cfg, f, None) for f in fields}
    config["rope_theta"] = (cfg.rope_parameters or {}).get("rope_theta") if hasattr(cfg, "rope_parameters") else None
    expected = {
        "versions": {"transformers": transformers.__version__, "tokenizers": tokenizers.__version__,
                     "gguf": "0.19.0", "torch": torch.__version__},
        "config": config,
        "logit_ids": ids,
        "bos_token": tok.bos_token, "eos_token": tok.eos_token, "unk_token": tok.unk_token,
        "pad_token": tok.pad_token,
        "corpus": [{"text": t, "ids": tok(t)["input_ids"],
                    "ids_plain": tok(t, add_special_tokens=False)["input_ids"],
                    "decoded": tok.decode(tok(t, add_special_tokens=False)["input_ids"])} for t in CORPUS],
        "chat": tok.apply_chat_template(CONVERSATION, tokenize=False, add_generation_prompt=True),
    }
    with open(os.path.join(folder, "expected.json"), "w", encoding="utf-8") as f:
        json.dump(expected, f, ensure_ascii=False, indent=1)


def main():
    for case, spec in CASES.items():
        folder, model = write_case(case, spec)
        if case == "gemma":
            model.eval()
            source_reference(folder, model)
        else:
            reference(case, folder)
        print(case, "ok")


if __name__ == "__main__":
    main()
