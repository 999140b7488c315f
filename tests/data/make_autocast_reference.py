#!/usr/bin/env python3
"""Reference for training's bf16 mixed precision: each decoder fixture folder's fp32 model run by transformers under
torch.autocast("cpu", dtype=torch.bfloat16) (SDPA attention, as training uses) on the folder's reference input_ids.
Writes <folder>/autocast_bf16<kind>.safetensors: logits (float32) and loss. bf16 products are rounded where the CPU's
kernel rounds them, so the reference belongs to a kind of CPU: "" for one with AVX-512 BF16 (oneDNN's native bf16
dot products), "_avx2" for one without AVX-512 (its bf16 path converts and rounds elsewhere: logits differ by up to
1 %, the same on both sides of the comparison). Run it on each kind, with ~/.cache/finetune-studio/refvenv:
    python tests/data/make_autocast_reference.py"""
import os

import safetensors.torch
import torch
from transformers import AutoModelForCausalLM

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "decoders")
FLAGS = open("/proc/cpuinfo").read()
KIND = "" if "avx512_bf16" in FLAGS else "_avx2" if "avx512f" not in FLAGS else None
if KIND is None:
    raise SystemExit("AVX-512 without BF16: no reference kind is kept for this CPU")
NAMES = ["llama2", "llama3", "llama_headdim", "mistral", "qwen2", "qwen3", "gemma", "gemma3"]  # gemma2: eager only

for name in NAMES:
    folder = os.path.join(HERE, name)
    ids = safetensors.torch.load_file(os.path.join(folder, "reference.safetensors"))["input_ids"]
    model = AutoModelForCausalLM.from_pretrained(folder, dtype=torch.float32, attn_implementation="sdpa").eval()
    with torch.no_grad(), torch.autocast("cpu", dtype=torch.bfloat16):
        out = model(input_ids=ids, labels=ids, use_cache=False)
    safetensors.torch.save_file({"logits": out.logits.float().contiguous(), "loss": out.loss.float().reshape(())},
                                os.path.join(folder, "autocast_bf16" + KIND + ".safetensors"))
    print(name, tuple(out.logits.shape), float(out.loss))
