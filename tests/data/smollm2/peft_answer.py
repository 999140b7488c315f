#!/usr/bin/env python3
"""The reference side of tst_gguf_import's LoRA run: transformers opens the SmolLM2 GGUF file, peft loads the adapter
Finetune Studio trained, and greedy generation answers a question through the model's chat template.

    python peft_answer.py FILE.gguf ADAPTER_DIR QUESTION [MAX_NEW_TOKENS]

Prints JSON {"peft", "transformers", "prompt_ids", "new_ids", "answer"} (the versions it ran with, the tokens and text).
"""
import json
import os
import sys

import peft
import torch
import transformers

transformers.logging.set_verbosity_error()
path, adapter, question = sys.argv[1:4]
max_new = int(sys.argv[4]) if len(sys.argv) > 4 else 24
folder, name = os.path.split(os.path.abspath(path))
tok = transformers.AutoTokenizer.from_pretrained(folder, gguf_file=name)
base = transformers.AutoModelForCausalLM.from_pretrained(folder, gguf_file=name, dtype=torch.float32)
model = peft.PeftModel.from_pretrained(base, adapter)
model.eval()
text = tok.apply_chat_template([{"role": "user", "content": question}], tokenize=False, add_generation_prompt=True)
ids = tok(text, add_special_tokens=False)["input_ids"]
with torch.no_grad():
    out = model.generate(torch.tensor([ids]), max_new_tokens=max_new, do_sample=False)
new = out[0, len(ids):].tolist()
print(json.dumps({"peft": peft.__version__, "transformers": transformers.__version__, "prompt_ids": ids,
                  "new_ids": new, "answer": tok.decode(new, skip_special_tokens=True)}, ensure_ascii=False))
