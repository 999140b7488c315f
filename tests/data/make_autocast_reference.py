#!/usr/bin/env python3
"""Reference for training's bf16 mixed precision: each decoder fixture folder's fp32 model run by transformers under
torch.autocast("cpu", dtype=torch.bfloat16) (SDPA attention, as training uses) on the folder's reference input_ids.
Writes <folder>/autocast_bf16.safetensors: logits (float32) and loss. Run with ~/.cache/finetune-studio/refvenv:
    python tests/data/make_autocast_reference.py"""
import os

import safetensors.torch
import torch
from transformers import AutoModelForCausalLM

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "decoders")
NAMES = ["llama2", "llama3", "llama_headdim", "mistral", "qwen2", "qwen3", "gemma", "gemma3"]  # gemma2: eager only

for name in NAMES:
    folder = os.path.join(HERE, name)
    ids = safetensors.torch.load_file(os.path.join(folder, "reference.safetensors"))["input_ids"]
    model = AutoModelForCausalLM.from_pretrained(folder, dtype=torch.float32, attn_implementation="sdpa").eval()
    with torch.no_grad(), torch.autocast("cpu", dtype=torch.bfloat16):
        out = model(input_ids=ids, labels=ids, use_cache=False)
    safetensors.torch.save_file({"logits": out.logits.float().contiguous(), "loss": out.loss.float().reshape(())},
                                os.path.join(folder, "autocast_bf16.safetensors"))
    print(name, tuple(out.logits.shape), float(out.loss))
