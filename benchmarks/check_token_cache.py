#!/usr/bin/env python3
"""Reads a token cache written by bench_sft (--data) and checks its examples token for token against transformers'
encoding of the same chat rows: tokenizer(apply_chat_template(messages, tokenize=False), add_special_tokens=False).
Rows our loader refuses are skipped as bench_sft_reference.py skips them. Prints each row that differs (a cut at
max_seq_length is named as such) and the count.

    check_token_cache.py CACHE.tokens DATA.jsonl MODEL_DIR [ROWS]"""
import json, struct, sys

import numpy as np
from transformers import AutoTokenizer

cache, data, model = sys.argv[1:4]
limit = int(sys.argv[4]) if len(sys.argv) > 4 else 100000
b = open(cache, "rb").read()
# The header's first fields (core/train/token_cache.cpp): magic, version, id bytes, key, examples, tokens.
magic, version, id_bytes, key, examples, tokens = struct.unpack_from("<8sIIQQQ", b, 0)
assert magic == b"FTTOKENS" and version == 1, "not a version-1 token cache"
ids = np.frombuffer(b, dtype=np.uint16 if id_bytes == 2 else np.uint32, count=tokens, offset=128)
starts = np.frombuffer(b, dtype=np.uint64, count=examples + 1, offset=(128 + tokens * id_bytes + 7) // 8 * 8)

tok = AutoTokenizer.from_pretrained(model)
rows = []
for line in open(data, encoding="utf-8"):
    if len(rows) == limit:
        break
    try:
        m = json.loads(line)["messages"]
        if (isinstance(m, list) and m and all(isinstance(x.get("content"), str) for x in m)
                and m[-1]["role"] == "assistant" and m[-1]["content"]):
            rows.append([{"role": x["role"], "content": x["content"]} for x in m])
    except (ValueError, KeyError, TypeError, AttributeError):
        pass
differ = 0
for i, messages in enumerate(rows):
    ref = tok(tok.apply_chat_template(messages, tokenize=False), add_special_tokens=False)["input_ids"]
    ours = ids[starts[i]:starts[i + 1]].tolist()
    if ref != ours:
        differ += 1
        cut = len(ours) < len(ref) and ref[:len(ours)] == ours
        print(f"row {i}: {len(ref)} tokens, ours {len(ours)}" + (" (cut at max_seq_length)" if cut else " DIFFERENT"))
print(f"{differ} of {len(rows)} rows differ")
sys.exit(1 if differ else 0)
