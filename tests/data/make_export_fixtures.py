#!/usr/bin/env python3
"""References for tests/tst_export.cpp: LoRA merges made by peft (and bitsandbytes for QLoRA), and GGUF adapters made
by llama.cpp's own convert_lora_to_gguf.py.

Made with ~/.cache/finetune-studio/refvenv: Python 3.11, torch 2.11.0 (CPU), transformers 5.23.0, peft 0.21.2,
bitsandbytes 0.50.2, safetensors 0.8.0, gguf 0.19.0; llama.cpp's converter as vendored in the PyPI sdist of
llama-cpp-python 0.3.36 (vendor/llama.cpp at commit 0c1e57098bba, whose convert_lora_to_gguf.py imports its own
gguf-py 0.19.0 and conversion/ package). To regenerate, from the repository root:

  pip download --no-deps --no-binary :all: llama-cpp-python==0.3.36 -d /tmp/lcp && tar xzf /tmp/lcp/*.tar.gz -C /tmp/lcp
  LLAMA_CPP=/tmp/lcp/llama_cpp_python-0.3.36/vendor/llama.cpp \\
      ~/.cache/finetune-studio/refvenv/bin/python tests/data/make_export_fixtures.py

tests/data/export/ then holds:
  merged.safetensors        peft merge_and_unload() of tests/data/peft/llama2-lora into tests/data/decoders/llama2:
                            the 14 merged projection weights (fp32), under their base names
  qlora_merged.safetensors  the same adapter over the base loaded in 4 bits (nf4, double quant, blocks of 64):
                            w_data of peft's Linear4bit.merge() = dequantize(W) + scaling·B·A, captured before
                            bitsandbytes re-quantizes it; "fp32/<name>" for compute dtype fp32 (all 14) and
                            "bf16/<name>" for compute dtype bf16 (two of them)
  llama2-lora.f32.gguf      convert_lora_to_gguf.py --outtype f32 of that adapter (from a folder named llama2-lora
  llama2-lora.f16.gguf      with only adapter_config.json and adapter_model.safetensors), --outtype f16
  qwen2-lora/               a peft adapter (r 2, alpha 4, q/k/v/o, seeded B) over tests/data/decoders/qwen2, with
                            reference.safetensors: input_ids and peft's logits of base + adapter
  qwen2-lora.f16.gguf       convert_lora_to_gguf.py --outtype f16 of it (no Q/K permutation for qwen2)
  qwen2-lora-bias/          the same kind with bias "all" (q/k/v biases trained, seeded): LoRA on q/o; no GGUF,
                            the converter refuses biases
  reference.json            versions

Check modes, used by the test when the refvenv is there:
  --check FILE.gguf         what gguf's GGUFReader reads from FILE: metadata, tensor names, shapes, types, data (JSON)
  --check-merged DIR        transformers loads the merged folder DIR; prints the largest |logit - peft's logit| on
                            the reference ids of --adapter-ref (default tests/data/peft/llama2-lora)
  --check-template DIR      transformers' tokenizer from DIR: its chat_template and apply_chat_template(tokenize=False,
                            add_generation_prompt=True) of a fixed conversation (JSON)
"""
import argparse
import importlib.metadata
import json
import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "export")
LLAMA2 = os.path.join(HERE, "decoders", "llama2")
LLAMA2_LORA = os.path.join(HERE, "peft", "llama2-lora")
QWEN2 = os.path.join(HERE, "decoders", "qwen2")


def check_gguf(path):
    import numpy as np
    from gguf import GGUFReader

    r = GGUFReader(path)
    kv = {}
    for f in r.fields.values():
        if f.name.startswith("GGUF."):
            continue
        kv[f.name] = {"type": f.types[0].name, "value": f.contents()}
    tensors = [{"name": t.name, "shape": [int(x) for x in t.shape], "type": t.tensor_type.name,
                "offset": int(t.data_offset), "data": np.asarray(t.data, dtype=np.float32).ravel().tolist()}
               for t in r.tensors]
    print(json.dumps({"version": int(r.fields["GGUF.version"].contents()), "alignment": int(r.alignment),
                      "kv": kv, "tensors": tensors}))


def check_merged(folder, adapter_ref):
    import torch
    from safetensors.torch import load_file
    from transformers import AutoModelForCausalLM

    ref = load_file(os.path.join(adapter_ref, "reference.safetensors"))
    model = AutoModelForCausalLM.from_pretrained(folder, dtype=torch.float32, attn_implementation="eager")
    with torch.no_grad():
        logits = model(input_ids=ref["input_ids"]).logits.float()
    print(json.dumps({"max_abs_diff": float((logits - ref["logits"]).abs().max())}))


# The conversation the test renders with our engine too.
TEMPLATE_MESSAGES = [
    {"role": "system", "content": "Answer briefly."},
    {"role": "user", "content": "Capital of Japan?"},
    {"role": "assistant", "content": "Tokyo."},
    {"role": "user", "content": "일본의 수도는?"},
]


def check_template(folder):
    from transformers import AutoTokenizer

    tok = AutoTokenizer.from_pretrained(folder)
    rendered = tok.apply_chat_template(TEMPLATE_MESSAGES, tokenize=False, add_generation_prompt=True)
    print(json.dumps({"chat_template": tok.chat_template, "rendered": rendered, "messages": TEMPLATE_MESSAGES}))


def lora_modules(model):
    from peft.tuners.lora import LoraLayer
    return [name.removeprefix("base_model.model.") for name, m in model.named_modules() if isinstance(m, LoraLayer)]


def make_merged():
    import torch
    from peft import PeftModel
    from safetensors.torch import load_file, save_file
    from transformers import AutoModelForCausalLM

    base = AutoModelForCausalLM.from_pretrained(LLAMA2, dtype=torch.float32, attn_implementation="eager")
    model = PeftModel.from_pretrained(base, LLAMA2_LORA)
    modules = lora_modules(model)
    merged = model.merge_and_unload()
    sd = merged.state_dict()
    out = {m + ".weight": sd[m + ".weight"].contiguous() for m in modules}
    ref = load_file(os.path.join(LLAMA2_LORA, "reference.safetensors"))
    with torch.no_grad():
        diff = (merged(input_ids=ref["input_ids"]).logits - ref["logits"]).abs().max().item()
    assert diff < 1e-4, diff  # the merged model computes what base + adapter computed
    save_file(out, os.path.join(OUT, "merged.safetensors"))
    print(f"merged: {len(out)} weights, merged-model logits vs peft {diff:.3g}")


def capture_qlora_merge(dtype):
    """peft's Linear4bit.merge() computes w_data = dequantize(W) + delta, then hands it to bnb.nn.Params4bit to
    quantize again. The exported full-precision model holds w_data: capture it at that call."""
    import bitsandbytes as bnb
    import torch
    from peft import PeftModel
    from peft.tuners.lora.bnb import Linear4bit
    from transformers import AutoModelForCausalLM, BitsAndBytesConfig

    cfg = BitsAndBytesConfig(load_in_4bit=True, bnb_4bit_quant_type="nf4", bnb_4bit_use_double_quant=True,
                             bnb_4bit_compute_dtype=dtype)
    base = AutoModelForCausalLM.from_pretrained(LLAMA2, quantization_config=cfg, dtype=dtype, device_map="cpu")
    model = PeftModel.from_pretrained(base, LLAMA2_LORA)
    captured, current = {}, [None]
    original = bnb.nn.Params4bit

    def params4bit(data, **kwargs):
        captured[current[0]] = data.detach().float().clone()
        return original(data, **kwargs)

    bnb.nn.Params4bit = params4bit
    try:
        for name, m in model.base_model.model.named_modules():
            if isinstance(m, Linear4bit):
                assert m.get_base_layer().weight.quant_state.blocksize == 64
                current[0] = name + ".weight"
                m.merge()
    finally:
        bnb.nn.Params4bit = original
    assert len(captured) == 14, sorted(captured)
    return captured


def make_qlora():
    import torch
    from safetensors.torch import save_file

    out = {"fp32/" + k: v.contiguous() for k, v in capture_qlora_merge(torch.float32).items()}
    bf16 = capture_qlora_merge(torch.bfloat16)
    for k in ["model.layers.0.self_attn.q_proj.weight", "model.layers.1.mlp.down_proj.weight"]:
        out["bf16/" + k] = bf16[k].contiguous()
    save_file(out, os.path.join(OUT, "qlora_merged.safetensors"))
    print(f"qlora: {len(out)} merged weights")


def make_qwen2_adapter(name, targets, bias, seed):
    """A peft adapter over the tiny Qwen2 with seeded non-zero B (and, for bias "all", trained q/k/v biases)."""
    import torch
    from peft import LoraConfig, get_peft_model
    from safetensors.torch import save_file
    from transformers import AutoModelForCausalLM

    torch.manual_seed(seed)
    folder = os.path.join(OUT, name)
    shutil.rmtree(folder, ignore_errors=True)
    model = AutoModelForCausalLM.from_pretrained(QWEN2, dtype=torch.float32, attn_implementation="eager")
    config = LoraConfig(r=2, lora_alpha=4, target_modules=targets, lora_dropout=0.0, bias=bias,
                        task_type="CAUSAL_LM", init_lora_weights=False)
    model = get_peft_model(model, config)
    with torch.no_grad():
        for pname, p in model.named_parameters():
            if "lora_" in pname or (bias != "none" and pname.endswith(".bias")):
                p.copy_(torch.randn_like(p) * 0.3)
    model.eval()
    model.save_pretrained(folder)
    os.remove(os.path.join(folder, "README.md"))  # peft's empty model card; not needed
    ids = torch.randint(0, model.config.vocab_size, (1, 8), generator=torch.Generator().manual_seed(5))
    with torch.no_grad():
        logits = model(input_ids=ids).logits.float()
    save_file({"input_ids": ids, "logits": logits.contiguous()}, os.path.join(folder, "reference.safetensors"))
    print(f"{name}: adapter and logits")
    return folder


def convert(llama_cpp, base, adapter, name, outtype):
    """Runs llama.cpp's converter on a copy of the adapter in a folder called `name` (general.name comes from the
    folder name; the copy leaves out peft's README, whose model card would add descriptive general.* keys)."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = os.path.join(tmp, name)
        os.makedirs(folder)
        for f in ["adapter_config.json", "adapter_model.safetensors"]:
            shutil.copy(os.path.join(adapter, f), folder)
        out = os.path.join(OUT, f"{name}.{outtype}.gguf")
        subprocess.run([sys.executable, os.path.join(llama_cpp, "convert_lora_to_gguf.py"), "--base", base,
                        "--outfile", out, "--outtype", outtype, folder], check=True, capture_output=True)
        print(f"{os.path.basename(out)}: {os.path.getsize(out)} bytes")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--check", metavar="FILE.gguf")
    ap.add_argument("--check-merged", metavar="DIR")
    ap.add_argument("--check-template", metavar="DIR")
    ap.add_argument("--adapter-ref", default=LLAMA2_LORA)
    args = ap.parse_args()
    if args.check_template:
        return check_template(args.check_template)
    if args.check:
        return check_gguf(args.check)
    if args.check_merged:
        return check_merged(args.check_merged, args.adapter_ref)

    llama_cpp = os.environ.get("LLAMA_CPP")
    if not llama_cpp or not os.path.exists(os.path.join(llama_cpp, "convert_lora_to_gguf.py")):
        sys.exit("set LLAMA_CPP to llama.cpp's source folder (see the header of this script)")
    import bitsandbytes
    import peft
    import torch
    import transformers

    torch.set_num_threads(1)
    os.makedirs(OUT, exist_ok=True)
    make_merged()
    make_qlora()
    qwen2_lora = make_qwen2_adapter("qwen2-lora", ["q_proj", "k_proj", "v_proj", "o_proj"], "none", 11)
    make_qwen2_adapter("qwen2-lora-bias", ["q_proj", "o_proj"], "all", 13)
    convert(llama_cpp, LLAMA2, LLAMA2_LORA, "llama2-lora", "f32")
    convert(llama_cpp, LLAMA2, LLAMA2_LORA, "llama2-lora", "f16")
    convert(llama_cpp, QWEN2, qwen2_lora, "qwen2-lora", "f16")
    commit = subprocess.run(["git", "-C", llama_cpp, "rev-parse", "HEAD"], capture_output=True, text=True).stdout.strip()
    with open(os.path.join(OUT, "reference.json"), "w") as f:
        json.dump({"torch": torch.__version__, "transformers": transformers.__version__, "peft": peft.__version__,
                   "bitsandbytes": bitsandbytes.__version__, "gguf": importlib.metadata.version("gguf"),
                   "llama_cpp_commit": commit or "see the script header"}, f, indent=2)
        f.write("\n")


if __name__ == "__main__":
    main()
