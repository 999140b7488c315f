#!/usr/bin/env python3
"""The transformers + peft side of bench_train: LoRA training on the CPU on the same folder, token ids and settings.
Usage: bench_train_reference.py DIR WARMUP STEPS THREADS RANK ALPHA LR MAX_GRAD_NORM; prints one JSON line.
Needs torch, transformers, peft and safetensors (~/.cache/finetune-studio/refvenv has them)."""
import json, resource, sys, time

import torch

path = sys.argv[1]
warmup, steps, threads, rank = (int(a) for a in sys.argv[2:6])
alpha, lr, max_grad_norm = (float(a) for a in sys.argv[6:9])
torch.set_num_threads(threads)

import peft
import transformers
from peft import LoraConfig, get_peft_model
from safetensors.torch import load_file
from transformers import AutoModelForCausalLM

torch.ones(64, 64).matmul(torch.ones(64, 64)).sum().item()  # start the thread pool, as ours does
baseline = int(open("/proc/self/statm").read().split()[1]) * resource.getpagesize()
t0 = time.perf_counter()
model = AutoModelForCausalLM.from_pretrained(path, dtype=torch.float32, attn_implementation="sdpa")
load = time.perf_counter() - t0
model.config.use_cache = False
torch.manual_seed(42)
model = get_peft_model(model, LoraConfig(r=rank, lora_alpha=alpha, lora_dropout=0.0, target_modules="all-linear",
                                         bias="none", task_type="CAUSAL_LM"))
model.train()
params = [p for p in model.parameters() if p.requires_grad]
opt = torch.optim.AdamW(params, lr=lr, weight_decay=0.0)
ids = load_file(f"{path}/data.safetensors")["ids"]

seconds, first, last = 0.0, None, None
for step in range(warmup + steps):
    start = time.perf_counter()
    batch = ids[step]
    loss = model(input_ids=batch, labels=batch).loss  # mean over the shifted targets, as ours
    loss.backward()
    torch.nn.utils.clip_grad_norm_(params, max_grad_norm)
    opt.step()
    opt.zero_grad(set_to_none=True)
    value = loss.item()
    first = value if first is None else first
    last = value
    if step >= warmup:
        seconds += time.perf_counter() - start

tokens = steps * ids.shape[1] * ids.shape[2]
print(json.dumps({"tokens_per_second": tokens / seconds, "step_seconds": seconds / steps, "load_seconds": load,
                  "peak_rss": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024, "rss_baseline": baseline,
                  "first_loss": first, "last_loss": last, "trainable": sum(p.numel() for p in params),
                  "threads": torch.get_num_threads(), "transformers": transformers.__version__,
                  "peft": peft.__version__, "torch": torch.__version__}))
