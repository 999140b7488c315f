#!/usr/bin/env python3
"""The transformers + peft side of bench_train: LoRA training on the CPU on the same folder, token ids and settings.
Usage: bench_train_reference.py ARGS_JSON (model, ids or sft, precision fp32|bf16, method lora|qlora, warmup, steps,
threads, rank, alpha, lr, max_grad_norm, batch); prints one JSON line.
ids: (warmup + steps, B, T) token ids, every row full. sft: examples of varied lengths ("tokens" end to end, "lengths"),
in batches of B padded to the longest as transformers' default collator does (pad 0, attention mask 0, labels -100);
the first warmup batches warm up, and tokens/s counts the real tokens of the rest.
bf16: fp32 weights under torch.autocast("cpu", bfloat16). qlora: bitsandbytes NF4 with double quantization, compute
dtype bf16 or fp32 as the precision says. Needs torch, transformers, peft, safetensors (and bitsandbytes for qlora);
~/.cache/finetune-studio/refvenv has them."""
import contextlib, json, resource, sys, time

import torch

a = json.loads(sys.argv[1])
torch.set_num_threads(a["threads"])

import peft
import transformers
from peft import LoraConfig, get_peft_model
from safetensors.torch import load_file
from transformers import AutoModelForCausalLM

torch.ones(64, 64).matmul(torch.ones(64, 64)).sum().item()  # start the thread pool, as ours does
baseline = int(open("/proc/self/statm").read().split()[1]) * resource.getpagesize()
extra = {}
t0 = time.perf_counter()
if a["method"] == "qlora":
    import bitsandbytes
    from transformers import BitsAndBytesConfig
    compute = torch.bfloat16 if a["precision"] == "bf16" else torch.float32
    quant = BitsAndBytesConfig(load_in_4bit=True, bnb_4bit_quant_type="nf4", bnb_4bit_use_double_quant=True,
                               bnb_4bit_compute_dtype=compute)
    model = AutoModelForCausalLM.from_pretrained(a["model"], dtype=compute, quantization_config=quant,
                                                 attn_implementation="sdpa", device_map="cpu")
    extra["bitsandbytes"] = bitsandbytes.__version__
else:
    model = AutoModelForCausalLM.from_pretrained(a["model"], dtype=torch.float32, attn_implementation="sdpa")
load = time.perf_counter() - t0
model.config.use_cache = False
torch.manual_seed(42)
model = get_peft_model(model, LoraConfig(r=a["rank"], lora_alpha=a["alpha"], lora_dropout=0.0,
                                         target_modules="all-linear", bias="none", task_type="CAUSAL_LM"))
model.train()
params = [p for p in model.parameters() if p.requires_grad]
opt = torch.optim.AdamW(params, lr=a["lr"], weight_decay=0.0)
autocast = a["precision"] == "bf16" and a["method"] != "qlora"

batches = []  # (input_ids, attention_mask, labels)
if "sft" in a:
    f = load_file(a["sft"])
    examples = torch.split(f["tokens"], f["lengths"].tolist())
    for i in range(0, len(examples), a["batch"]):
        group = examples[i:i + a["batch"]]
        longest = max(len(e) for e in group)
        ids = torch.zeros(len(group), longest, dtype=torch.int64)
        mask = torch.zeros_like(ids)
        for r, e in enumerate(group):
            ids[r, :len(e)] = e
            mask[r, :len(e)] = 1
        batches.append((ids, mask, ids.masked_fill(mask == 0, -100)))
else:
    for batch in load_file(a["ids"])["ids"]:
        batches.append((batch, None, batch))

seconds, first, last, tokens = 0.0, None, None, 0
for step, (batch, mask, labels) in enumerate(batches):
    start = time.perf_counter()
    with torch.autocast("cpu", dtype=torch.bfloat16) if autocast else contextlib.nullcontext():
        # mean over the shifted targets, as ours
        loss = model(input_ids=batch, attention_mask=mask, labels=labels).loss
    loss.backward()
    torch.nn.utils.clip_grad_norm_(params, a["max_grad_norm"])
    opt.step()
    opt.zero_grad(set_to_none=True)
    value = loss.item()
    first = value if first is None else first
    last = value
    if step >= a["warmup"]:
        seconds += time.perf_counter() - start
        tokens += batch.numel() if mask is None else int(mask.sum())

timed = len(batches) - a["warmup"]
print(json.dumps({"tokens_per_second": tokens / seconds, "step_seconds": seconds / timed, "steps": timed, "load_seconds": load,
                  "peak_rss": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024, "rss_baseline": baseline,
                  "first_loss": first, "last_loss": last, "trainable": sum(p.numel() for p in params),
                  "threads": torch.get_num_threads(), "transformers": transformers.__version__,
                  "peft": peft.__version__, "torch": torch.__version__, **extra}))
