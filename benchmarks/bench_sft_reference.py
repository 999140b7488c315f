#!/usr/bin/env python3
"""The Python side of bench_sft: datasets.map with the transformers tokenizer and chat template, producing the same
masked samples (labels only on the assistant's tokens). Usage: bench_sft_reference.py WORKDIR; prints one JSON line."""
import json, os, sys, time

import datasets
import transformers
from transformers import AutoTokenizer

work = sys.argv[1]
t0 = time.perf_counter()
tok = AutoTokenizer.from_pretrained(os.path.join(work, "model"))
ds = datasets.load_dataset("json", data_files=os.path.join(work, "alpaca.jsonl"), split="train")


def encode(row):
    prompt = row["instruction"] + ("\n\n" + row["input"] if row["input"] else "")
    messages = [{"role": "user", "content": prompt}, {"role": "assistant", "content": row["output"]}]
    full = tok.apply_chat_template(messages, tokenize=False)
    prefix = tok.apply_chat_template(messages[:1], tokenize=False, add_generation_prompt=True)
    enc = tok(full, add_special_tokens=False, return_offsets_mapping=True)
    labels = [i if s >= len(prefix) else -100 for i, (s, e) in zip(enc["input_ids"], enc["offset_mapping"])]
    return {"input_ids": enc["input_ids"], "labels": labels}


out = ds.map(encode, remove_columns=ds.column_names, num_proc=1, load_from_cache_file=False)
seconds = time.perf_counter() - t0
tokens = sum(len(x) for x in out["input_ids"])
trained = sum(sum(1 for l in x if l != -100) for x in out["labels"])
print(json.dumps({"seconds": seconds, "tokens": tokens, "trained_tokens": trained,
                  "versions": f"transformers {transformers.__version__}, datasets {datasets.__version__}"}))
