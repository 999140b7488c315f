#!/usr/bin/env python3
"""References for preference rows in tokens: TRL 1.16.0's own dataset preparation on real tokenizer kinds.

For each tokenizer of tests/data/bos (byte-level BPE with a BOS post-processor, one without BOS, SmolLM2's layout, a
SentencePiece model) with a chat template written here, the rows below go through
  - DPOTrainer._prepare_dataset (pairs: plain strings with the EOS text appended, conversational with the prompt
    rendered alone with the generation prompt, implicit prompts extracted from shared turns),
  - KTOTrainer._prepare_dataset (unpaired rows, plain and conversational; and pairs, which it unpairs),
  - trl.experimental.orpo's ORPOTrainer (maybe_apply_chat_template, then tokenize_row: the legacy tokenization),
and preference/tokenization.json records the rows as written to the dataset file and the tokens TRL made: each
answer's whole sequence (prompt then answer) and where its answer starts. tests/tst_preference_data.cpp loads the same
rows through our dataset reader and ExampleEncoder::encodePreference and compares.

The rows are chosen for the corners: prompts ending in a space (the space merges into the answer), answers already
ending with the EOS text, Korean, newlines, multi-turn and system prompts, a prompt whose last token ("Say it: ")
merges into the answer, so the answer starts inside the prompt.

Made with ~/.cache/finetune-studio/refvenv + trl==1.16.0 (transformers 5.23.0, tokenizers 0.23.3, sentencepiece):
  ~/.cache/finetune-studio/refvenv/bin/python tests/data/make_preference_tokenization_fixtures.py
"""
import json
import os
import shutil
import tempfile
import types
import warnings

import datasets
import tokenizers
import transformers
import trl
from datasets import Dataset
from transformers import AutoTokenizer
from trl import DPOConfig, DPOTrainer, KTOConfig, KTOTrainer
from trl.data_utils import maybe_apply_chat_template, maybe_extract_prompt
from trl.experimental.orpo import ORPOTrainer

warnings.filterwarnings("ignore")
datasets.disable_progress_bars()
HERE = os.path.dirname(os.path.abspath(__file__))

CHATML = ("{% for m in messages %}{{ '<|im_start|>' + m['role'] + '\\n' + m['content'] + '<|im_end|>\\n' }}{% endfor %}"
          "{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}")
# BOS in the text, the role as a header, the end of turn as EOS: the layout of Llama 3's template.
HEADER = ("{{ bos_token }}{% for m in messages %}{{ '<|im_start|>' + m['role'] + '<|im_end|>\\n\\n' + m['content'] | trim"
          " + eos_token }}{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant<|im_end|>\\n\\n' }}{% endif %}")
# Llama 2's: BOS once, [INST] around user turns, the answer after a space and before EOS.
INST = ("{{ bos_token }}{% for m in messages %}{% if m['role'] == 'system' %}{{ '<<SYS>>' + m['content'] + '<</SYS>> ' }}"
        "{% elif m['role'] == 'user' %}{{ '[INST] ' + m['content'] + ' [/INST]' }}"
        "{% else %}{{ ' ' + m['content'] + ' ' + eos_token }}{% endif %}{% endfor %}")

TOKENIZERS = [("llama3", HEADER), ("qwen2", CHATML), ("smollm2-bytelevel", CHATML), ("llama-sp", INST)]


def u(text):
    return {"role": "user", "content": text}


def a(text):
    return {"role": "assistant", "content": text}


def plain_pairs(eos):
    return [
        {"prompt": "The capital of France is", "chosen": " Paris.", "rejected": " Lyon, of course."},
        {"prompt": "Q: what is 2+2? A: ", "chosen": "4", "rejected": "five"},
        {"prompt": "Say yes.", "chosen": " Yes." + eos, "rejected": " No."},
        {"prompt": "한국의 수도는", "chosen": " 서울입니다.", "rejected": " 부산입니다."},
        {"prompt": "Translate:\n", "chosen": "hello\n\n", "rejected": "hi"},
        {"prompt": "abc", "chosen": "def", "rejected": "xyz" + eos},
        {"prompt": "Say it: ", "chosen": "the end", "rejected": "no"},  # the prompt's last token merges into the answer
    ]


CONVERSATIONAL_PAIRS = [
    {"prompt": [u("What color is the sky?")], "chosen": [a("Blue.")], "rejected": [a("Green, mostly.")]},
    {"prompt": [{"role": "system", "content": "Answer briefly."}, u("Hi"), a("Hello!"), u("How are you?")],
     "chosen": [a("Fine, thanks.")], "rejected": [a(" I am a model.\n")]},
    {"prompt": [u("김치는 무엇인가요?")], "chosen": [a("발효시킨 채소 요리입니다.")], "rejected": [a("몰라요.")]},
]

IMPLICIT_PAIRS = [
    {"chosen": [u("Name a fruit."), a("An apple.")], "rejected": [u("Name a fruit."), a("A chair.")]},
    {"chosen": [u("One"), a("Two"), u("Three"), a("Four")], "rejected": [u("One"), a("Two"), u("Three"), a("Five")]},
]


def plain_unpaired(eos):
    return [
        {"prompt": "The sky is", "completion": " blue.", "label": True},
        {"prompt": "The sky is ", "completion": "green.", "label": False},
        {"prompt": "바다는", "completion": " 파랗다." + eos, "label": True},
        {"prompt": "Count:", "completion": " 1 2 3\n", "label": False},
        {"prompt": "Say it: ", "completion": "the end", "label": True},
    ]


CONVERSATIONAL_UNPAIRED = [
    {"prompt": [u("Best pet?")], "completion": [a("A cat.")], "label": True},
    {"prompt": [u("Best pet?")], "completion": [a("A rock.")], "label": False},
    {"prompt": [u("안녕?")], "completion": [a("안녕하세요!")], "label": True},
]


def dpo_rows(tok, rows):
    stub = types.SimpleNamespace(_tokenizer=tok)
    args = DPOConfig(output_dir=tempfile.mkdtemp(), max_length=None, report_to=[], use_cpu=True, bf16=False)
    ds = DPOTrainer._prepare_dataset(stub, Dataset.from_list(rows), tok, args, "train")
    out = []
    for r in ds:
        p = len(r["prompt_ids"])
        out.append({"chosen": r["prompt_ids"] + r["chosen_ids"], "chosen_prompt": p,
                    "rejected": r["prompt_ids"] + r["rejected_ids"], "rejected_prompt": p})
    return out


def kto_rows(tok, rows):
    stub = types.SimpleNamespace(_tokenizer=tok, calculate_KL=False)
    args = KTOConfig(output_dir=tempfile.mkdtemp(), max_length=None, report_to=[], use_cpu=True, bf16=False)
    ds = KTOTrainer._prepare_dataset(stub, Dataset.from_list(rows), tok, args, "eval")
    return [{"chosen": r["prompt_ids"] + r["completion_ids"], "chosen_prompt": len(r["prompt_ids"]),
             "label": bool(r["label"])} for r in ds]


def orpo_rows(tok, rows):
    stub = types.SimpleNamespace(processing_class=tok, is_encoder_decoder=False, max_length=10**6)
    stub.build_tokenized_answer = lambda prompt, answer: ORPOTrainer.build_tokenized_answer(stub, prompt, answer)
    out = []
    for row in rows:
        row = maybe_apply_chat_template(maybe_extract_prompt(row), tok)
        b = ORPOTrainer.tokenize_row(stub, row)
        out.append({"chosen": b["chosen_input_ids"], "chosen_prompt": b["chosen_labels"].count(-100),
                    "rejected": b["rejected_input_ids"], "rejected_prompt": b["rejected_labels"].count(-100)})
    return out


def main():
    cases = []
    for name, template in TOKENIZERS:
        folder = tempfile.mkdtemp()
        src = os.path.join(HERE, "bos", name)
        for f in os.listdir(src):
            if f != "expected.json":
                shutil.copy(os.path.join(src, f), folder)
        with open(os.path.join(folder, "tokenizer_config.json")) as f:
            config = json.load(f)
        config["chat_template"] = template
        with open(os.path.join(folder, "tokenizer_config.json"), "w") as f:
            json.dump(config, f)
        tok = AutoTokenizer.from_pretrained(folder)
        eos = tok.eos_token
        groups = [("plain pairs", plain_pairs(eos)), ("conversational pairs", CONVERSATIONAL_PAIRS),
                  ("implicit prompts", IMPLICIT_PAIRS), ("plain unpaired", plain_unpaired(eos)),
                  ("conversational unpaired", CONVERSATIONAL_UNPAIRED)]
        for group, rows in groups:
            case = {"tokenizer": name, "chat_template": template, "group": group, "rows": rows}
            if "unpaired" in group:
                case["kto"] = kto_rows(tok, rows)
            else:
                case["dpo"] = dpo_rows(tok, rows)
                case["kto"] = kto_rows(tok, rows)  # pairs unpaired: chosen rows (true), then rejected (false)
                case["orpo"] = orpo_rows(tok, rows)
            cases.append(case)
    out = {"versions": {"trl": trl.__version__, "transformers": transformers.__version__,
                        "tokenizers": tokenizers.__version__}, "cases": cases}
    with open(os.path.join(HERE, "preference", "tokenization.json"), "w", encoding="utf-8") as f:
        # One case a line: small in the repository, and a changed case shows as one changed line.
        f.write('{"versions": ' + json.dumps(out["versions"]) + ', "cases": [\n')
        f.write(",\n".join(json.dumps(c, ensure_ascii=False) for c in cases))
        f.write("\n]}\n")
    print(len(cases), "cases")


if __name__ == "__main__":
    main()
