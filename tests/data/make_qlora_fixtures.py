#!/usr/bin/env python3
"""QLoRA references for tests/tst_qlora.cpp, made with transformers + peft + bitsandbytes on the CPU.

The tiny Llama of tests/data/decoders/llama2 is loaded in 4 bits as a QLoRA user would load it
(BitsAndBytesConfig nf4, double quantization, compute dtype = the model dtype), LoRA r 4 / alpha 8 on all linear
layers with seeded non-zero B, then one forward and backward on a fixed batch with masked labels. For each case
(`fp32`, `bf16`) qlora/<case>.safetensors holds:
  input_ids, labels, logits, loss,
  grad/<peft name>              the gradient of every lora_A / lora_B weight,
  lora/<peft name>              the LoRA weights themselves (so the test sets the same values),
  q/<module>/packed, absmax_q, nested_absmax, offset   bitsandbytes' quantized base of two projections.

Versions used: transformers 5.23.0, peft 0.21.2, bitsandbytes 0.50.2, torch 2.11.0 (CPU). Run from the repository root:
  ~/.cache/finetune-studio/refvenv/bin/python tests/data/make_qlora_fixtures.py
"""
import os

import torch
from peft import LoraConfig, get_peft_model
from safetensors.torch import save_file
from transformers import AutoModelForCausalLM, BitsAndBytesConfig

HERE = os.path.dirname(os.path.abspath(__file__))
BASE = os.path.join(HERE, "decoders", "llama2")
OUT = os.path.join(HERE, "qlora")


def make(case, dtype):
    torch.manual_seed(0)
    bnb_config = BitsAndBytesConfig(load_in_4bit=True, bnb_4bit_quant_type="nf4", bnb_4bit_use_double_quant=True,
                                    bnb_4bit_compute_dtype=dtype)
    model = AutoModelForCausalLM.from_pretrained(BASE, quantization_config=bnb_config, dtype=dtype, device_map="cpu")
    config = LoraConfig(r=4, lora_alpha=8, lora_dropout=0.0, target_modules="all-linear", task_type="CAUSAL_LM")
    model = get_peft_model(model, config)
    g = torch.Generator().manual_seed(1)
    out = {}
    with torch.no_grad():
        for name, p in model.named_parameters():
            if "lora_" in name:
                p.copy_(torch.randn(p.shape, generator=g) * 0.1)
    model.train()
    ids = torch.randint(3, 256, (2, 12), generator=g)
    labels = ids.clone()
    labels[0, :5] = -100
    labels[1, :3] = -100
    res = model(input_ids=ids, labels=labels)
    res.loss.backward()
    out["input_ids"] = ids
    out["labels"] = labels
    out["logits"] = res.logits.detach().float()
    out["loss"] = res.loss.detach().float().reshape(1)
    for name, p in model.named_parameters():
        if "lora_" in name:
            peft_name = name.replace(".default", "")
            out["grad/" + peft_name] = p.grad.detach().float()
            out["lora/" + peft_name] = p.detach().float()
            assert p.dtype == torch.float32, (name, p.dtype)  # peft keeps adapters in fp32 over a 4-bit base
    for module in ["model.layers.0.self_attn.q_proj", "model.layers.1.mlp.down_proj"]:
        layer = model.base_model.model.get_submodule(module).base_layer
        qs = layer.weight.quant_state
        key = "q/" + module + "/"
        out[key + "packed"] = layer.weight.data.reshape(-1).clone()
        out[key + "absmax_q"] = qs.absmax.clone()
        out[key + "nested_absmax"] = qs.state2.absmax.clone()
        out[key + "offset"] = qs.offset.reshape(1).float().clone()
    save_file({k: v.contiguous() for k, v in out.items()}, os.path.join(OUT, case + ".safetensors"))
    print(case, "loss", res.loss.item())


if __name__ == "__main__":
    os.makedirs(OUT, exist_ok=True)
    make("fp32", torch.float32)
    make("bf16", torch.bfloat16)
