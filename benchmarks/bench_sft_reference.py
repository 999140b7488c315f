#!/usr/bin/env python3
"""The Python side of bench_sft: datasets.map with the transformers tokenizer and chat template, producing the same
masked samples (labels only on the assistant's tokens). Prints one JSON line.

    bench_sft_reference.py alpaca|chat DATA.jsonl MODEL_DIR

alpaca: {"instruction", "input", "output"} rows as one user turn and one answer. chat: {"messages"} rows (one to
three turns), each assistant turn labelled, located as ours locates it (the render up to the turn with the
generation prompt, and through it). Rows our loader refuses (broken JSON, no final answer, an empty answer, a
content that is not a string) are dropped before the timed part, as load_dataset cannot read them."""
import json, os, resource, sys, tempfile, time

import datasets
import transformers
from transformers import AutoTokenizer

mode, data, model = sys.argv[1], sys.argv[2], sys.argv[3]
if mode == "chat":
    clean = tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False, encoding="utf-8")
    with open(data, encoding="utf-8") as f:
        for line in f:
            try:
                row = json.loads(line)
                msgs = row["messages"]
                if (isinstance(msgs, list) and msgs and all(isinstance(m.get("content"), str) for m in msgs)
                        and msgs[-1]["role"] == "assistant" and msgs[-1]["content"]):
                    clean.write(line if line.endswith("\n") else line + "\n")
            except (ValueError, KeyError, TypeError, AttributeError):
                pass
    clean.close()
    data = clean.name

t0 = time.perf_counter()
tok = AutoTokenizer.from_pretrained(model)
ds = datasets.load_dataset("json", data_files=data, split="train")


def masked(messages):
    full = tok.apply_chat_template(messages, tokenize=False)
    spans = []
    for i, m in enumerate(messages):
        if m["role"] != "assistant":
            continue
        prefix = tok.apply_chat_template(messages[:i], tokenize=False, add_generation_prompt=True)
        upto = full if i + 1 == len(messages) else tok.apply_chat_template(messages[: i + 1], tokenize=False)
        spans.append((len(prefix), len(upto)))
    enc = tok(full, add_special_tokens=False, return_offsets_mapping=True)
    labels = [t if any(s <= b < e and en <= e for s, e in spans) else -100
              for t, (b, en) in zip(enc["input_ids"], enc["offset_mapping"])]
    return {"input_ids": enc["input_ids"], "labels": labels}


def encode(row):
    if mode == "chat":
        return masked([{"role": m["role"], "content": m["content"]} for m in row["messages"]])
    prompt = row["instruction"] + ("\n\n" + row["input"] if row["input"] else "")
    return masked([{"role": "user", "content": prompt}, {"role": "assistant", "content": row["output"]}])


out = ds.map(encode, remove_columns=ds.column_names, num_proc=1, load_from_cache_file=False)
seconds = time.perf_counter() - t0
tokens = sum(len(x) for x in out["input_ids"])
trained = sum(sum(1 for l in x if l != -100) for x in out["labels"])
if mode == "chat":
    os.unlink(data)
print(json.dumps({"seconds": seconds, "rows": len(out), "tokens": tokens, "trained_tokens": trained,
                  "peak_rss": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
                  "versions": f"transformers {transformers.__version__}, datasets {datasets.__version__}"}))
