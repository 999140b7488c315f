#!/usr/bin/env python3
"""References for evaluation's text metrics: SQuAD v1.1's exact match and token F1 (the official evaluate-v1.1.py's
normalize_answer, copied below as the reference defines it) and rouge-score's ROUGE-L F-measure (RougeScorer(["rougeL"]),
its default tokenizer, no stemming; also with a tokenizer that keeps every Unicode letter and digit, since the
default one drops all non-ASCII text, Korean included, and scores it 0).

eval/metrics.jsonl: one line per (prediction, reference) with the values. The pairs mix English with articles,
punctuation, casing and numbers; Korean and mixed Korean/English; Greek and Cyrillic casing; the two characters whose
Python lower() yields ASCII (U+0130 İ, U+212A Kelvin K); tabs, NBSP and ideographic spaces; empty and identical
strings; and random recombinations of these (seed 5).

    ~/.cache/finetune-studio/refvenv/bin/pip install rouge-score==0.1.2
    ~/.cache/finetune-studio/refvenv/bin/python tests/data/make_eval_metric_fixtures.py
"""
import collections
import json
import os
import random
import re
import string

import rouge_score
from rouge_score import rouge_scorer, tokenize

HERE = os.path.dirname(os.path.abspath(__file__))


# SQuAD v1.1 (evaluate-v1.1.py), verbatim in substance.
def normalize_answer(s):
    def remove_articles(text):
        return re.sub(r"\b(a|an|the)\b", " ", text)

    def white_space_fix(text):
        return " ".join(text.split())

    def remove_punc(text):
        exclude = set(string.punctuation)
        return "".join(ch for ch in text if ch not in exclude)

    return white_space_fix(remove_articles(remove_punc(s.lower())))


def f1_score(prediction, ground_truth):
    prediction_tokens = normalize_answer(prediction).split()
    ground_truth_tokens = normalize_answer(ground_truth).split()
    common = collections.Counter(prediction_tokens) & collections.Counter(ground_truth_tokens)
    num_same = sum(common.values())
    if num_same == 0:
        return 0
    precision = 1.0 * num_same / len(prediction_tokens)
    recall = 1.0 * num_same / len(ground_truth_tokens)
    return (2 * precision * recall) / (precision + recall)


def exact_match_score(prediction, ground_truth):
    return normalize_answer(prediction) == normalize_answer(ground_truth)


class UnicodeTokenizer:
    """Lower-cased runs of Python's \\w without "_" (letters and numbers of any script): the default tokenizer's rule
    for ASCII, applied to all text."""

    def tokenize(self, text):
        return [t for t in re.split(r"[^\w]+|_", text.lower()) if t]


SEEDS = [
    ("The cat sat on the mat.", "the cat sat on a mat"),
    ("Paris", "The capital of France is Paris."),
    ("An apple a day", "an Apple, a day!"),
    ("42", "The answer is 42."),
    ("", ""),
    ("", "something"),
    ("something", ""),
    ("same words here", "same words here"),
    ("the the the", "the"),
    ("서울입니다", "서울입니다"),
    ("한국의 수도는 서울입니다.", "수도는 서울입니다"),
    ("The capital of Korea is 서울.", "서울 is the capital"),
    ("ΑΘΗΝΑ είναι η πρωτεύουσα", "Αθηνα ΕΙΝΑΙ"),
    ("МОСКВА — столица", "москва столица России"),
    ("İstanbul is big", "i̇stanbul is BIG"),
    ("300 \u212a temperature", "300 k temperature"),
    ("tab\tseparated\u00a0nbsp\u3000ideographic", "tab separated nbsp ideographic"),
    ("don't stop-believing", "dont stop believing"),
    ("U.S.A.", "usa"),
    ("a an the", ""),
    ("3.14 is pi", "pi is 3 14"),
    ("naïve café", "naive cafe"),
    ("Straße", "STRASSE"),
    ("ǅemal", "ǆemal"),
]


def main():
    rng = random.Random(5)
    words = []
    for p, r in SEEDS:
        words += p.split() + r.split()
    pairs = list(SEEDS)
    for _ in range(400):
        p = " ".join(rng.choice(words) for _ in range(rng.randint(0, 9)))
        r = " ".join(rng.choice(words) for _ in range(rng.randint(0, 9)))
        pairs.append((p, r))
    default = rouge_scorer.RougeScorer(["rougeL"])
    unicode = rouge_scorer.RougeScorer(["rougeL"], tokenizer=UnicodeTokenizer())
    out = os.path.join(HERE, "eval", "metrics.jsonl")
    os.makedirs(os.path.dirname(out), exist_ok=True)
    with open(out, "w", encoding="utf-8") as f:
        for p, r in pairs:
            row = {"prediction": p, "reference": r, "exact_match": float(exact_match_score(p, r)),
                   "token_f1": float(f1_score(p, r)),
                   "rouge_l": default.score(r, p)["rougeL"].fmeasure,
                   "rouge_l_unicode": unicode.score(r, p)["rougeL"].fmeasure,
                   "normalized": normalize_answer(p), "rouge_tokens": tokenize.tokenize(p, None)}
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(len(pairs), "pairs; rouge-score", getattr(rouge_score, "__version__", "0.1.2"))


if __name__ == "__main__":
    main()
