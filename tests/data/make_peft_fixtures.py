#!/usr/bin/env python3
"""References for LoRA and the trainer's schedules, made with peft and transformers on the CPU.

  - peft/llama2-lora/: a PEFT LoRA adapter (r 4, alpha 8, all-linear, rsLoRA off) over tests/data/decoders/llama2,
    with non-zero random B so it changes the logits, saved by peft's save_pretrained; reference.safetensors holds the
    logits of base + adapter on fixed ids.
  - peft/lr_schedules.json: transformers' cosine/linear/constant-with-warmup multipliers for a few runs.

Needs: pip install torch transformers peft safetensors. Run from the repository root:
  python tests/data/make_peft_fixtures.py
"""
import json
import os

import peft
import torch
import transformers
from peft import LoraConfig, get_peft_model
from safetensors.torch import save_file
from transformers import AutoModelForCausalLM

torch.manual_seed(7)
torch.set_num_threads(1)
here = os.path.dirname(os.path.abspath(__file__))
base_dir = os.path.join(here, "decoders", "llama2")
out_dir = os.path.join(here, "peft", "llama2-lora")

model = AutoModelForCausalLM.from_pretrained(base_dir, dtype=torch.float32, attn_implementation="eager")
config = LoraConfig(r=4, lora_alpha=8, target_modules="all-linear", lora_dropout=0.0, bias="none",
                    task_type="CAUSAL_LM", init_lora_weights=False)
model = get_peft_model(model, config)
with torch.no_grad():
    for name, p in model.named_parameters():
        if "lora_" in name:
            p.copy_(torch.randn_like(p) * 0.3)
model.eval()
model.save_pretrained(out_dir)
ids = torch.randint(0, model.config.vocab_size, (2, 10), generator=torch.Generator().manual_seed(3))
with torch.no_grad():
    logits = model(input_ids=ids).logits.float()
save_file({"input_ids": ids, "logits": logits.contiguous()}, os.path.join(out_dir, "reference.safetensors"))

schedules = []
for name, total, warmup in [("cosine", 100, 10), ("cosine", 37, 0), ("linear", 50, 5), ("constant", 20, 4)]:
    opt = torch.optim.SGD([torch.nn.Parameter(torch.zeros(1))], lr=1.0)
    sched = transformers.get_scheduler(name if name != "constant" else "constant_with_warmup", opt,
                                       num_warmup_steps=warmup, num_training_steps=total)
    values = []
    for _ in range(total):
        values.append(opt.param_groups[0]["lr"])
        opt.step()
        sched.step()
    schedules.append({"scheduler": name, "total": total, "warmup": warmup, "multipliers": values})
with open(os.path.join(here, "peft", "lr_schedules.json"), "w") as f:
    json.dump({"transformers": transformers.__version__, "peft": peft.__version__, "torch": torch.__version__,
               "schedules": schedules}, f)
print("wrote", out_dir, "and lr_schedules.json")
