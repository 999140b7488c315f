#!/usr/bin/env python3
"""The transformers side of bench_engine: load time, peak RSS and CPU forward tokens/s on the same folder and
inputs. Usage: bench_engine_reference.py DIR PROMPT_TOKENS REPEATS; prints one JSON line."""
import json, resource, sys, time

import torch
import transformers
from transformers import AutoModelForCausalLM

path, n, repeats = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
before = int(open("/proc/self/statm").read().split()[1]) * resource.getpagesize()
t0 = time.perf_counter()
model = AutoModelForCausalLM.from_pretrained(path, dtype=torch.float32)
load = time.perf_counter() - t0
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
model.eval()
ids = (torch.arange(n) % model.config.vocab_size).unsqueeze(0)
with torch.no_grad():
    model(ids, use_cache=False)
    t1 = time.perf_counter()
    for _ in range(repeats):
        model(ids, use_cache=False)
    fwd = time.perf_counter() - t1
print(json.dumps({"load_seconds": load, "peak_rss_after_load": peak,
                  "peak_rss_after_forward": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024, "rss_before_load": before,
                  "forward_tokens_per_second": n * repeats / fwd, "threads": torch.get_num_threads(),
                  "transformers": transformers.__version__, "torch": torch.__version__}))
