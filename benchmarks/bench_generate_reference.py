#!/usr/bin/env python3
"""The transformers side of bench_generate: greedy generate() of N new tokens after the same prompt, end of sequence
ignored. Usage: bench_generate_reference.py ARGS_JSON (model, prompt_tokens, new_tokens, threads, dtype); prints one
JSON line: prefill seconds (to the first new token), decode tokens/s after it, the generated ids."""
import json, sys, time

import torch
import transformers
from transformers import AutoModelForCausalLM, StoppingCriteria

a = json.loads(sys.argv[1])
torch.set_num_threads(a["threads"])
dtype = torch.bfloat16 if a["dtype"] == "bfloat16" else torch.float32
model = AutoModelForCausalLM.from_pretrained(a["model"], dtype=dtype).eval()
vocab = model.config.vocab_size
ids = torch.tensor([[(i * 7919 + 17) % vocab for i in range(a["prompt_tokens"])]])


class Clock(StoppingCriteria):  # called after each new token: the time of the first one ends the prefill
    def __init__(self):
        self.times = []

    def __call__(self, input_ids, scores, **kwargs):
        self.times.append(time.perf_counter())
        return torch.zeros(input_ids.shape[0], dtype=torch.bool)


def run(n, clock=None):
    kwargs = dict(do_sample=False, max_new_tokens=n, min_new_tokens=n, eos_token_id=None, pad_token_id=0,
                  temperature=None, top_p=None, top_k=None)
    if clock is not None:
        kwargs["stopping_criteria"] = [clock]
    with torch.no_grad():
        return model.generate(ids, attention_mask=torch.ones_like(ids), **kwargs)


run(2)
clock = Clock()
start = time.perf_counter()
out = run(a["new_tokens"], clock)
end = time.perf_counter()
generated = out[0, ids.shape[1]:].tolist()
print(json.dumps({"prefill_seconds": clock.times[0] - start,
                  "decode_tokens_per_second": (len(generated) - 1) / (clock.times[-1] - clock.times[0]),
                  "tokens": generated, "threads": torch.get_num_threads(),
                  "transformers": transformers.__version__, "torch": torch.__version__}))
