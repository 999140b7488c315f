#!/usr/bin/env python3
"""A large chat dataset for the scale benchmarks: N rows (default 1,000,000, ~1 GB) of {"messages": [...]} in JSONL.

Deterministic (seeded); stdlib only. Rows mix English and Korean, one to three turns, an optional system message,
lengths from a few words to a few paragraphs (about 1 KB a row on average). One row in 10,000 is bad in one of the
ways users' files are (a truncated line, an assistant turn missing, an empty answer, a content that is a number), so
`ftstudio-cli dataset inspect` has rows to report by line.

    python3 benchmarks/make_million_rows.py OUT.jsonl [ROWS] [--seed S]
"""
import json
import random
import sys

WORDS_EN = ("model data train token loss adapter layer weight gradient batch sequence prompt answer question "
            "learning rate epoch schedule checkpoint memory device kernel matrix vector value attention head "
            "the a of to and in is that for it with as on was by this be are from at or an not").split()
WORDS_KO = ("모델 데이터 학습 토큰 손실 어댑터 레이어 가중치 기울기 배치 시퀀스 프롬프트 답변 질문 학습률 에포크 "
            "체크포인트 메모리 장치 커널 행렬 벡터 값 어텐션 헤드 그리고 하지만 그래서 이것은 저것은 있습니다 "
            "합니다 됩니다 입니다 없습니다").split()


def sentence(rng, korean):
    words = WORDS_KO if korean else WORDS_EN
    n = max(3, int(rng.lognormvariate(2.3, 0.5)))
    text = " ".join(rng.choice(words) for _ in range(n))
    return text[0].upper() + text[1:] + rng.choice(".?!" if not korean else ".?")


def paragraph(rng, korean, median_sentences):
    n = max(1, int(rng.lognormvariate(median_sentences, 0.6)))
    return " ".join(sentence(rng, korean) for _ in range(n))


def row(rng, index):
    korean = rng.random() < 0.3
    messages = []
    if rng.random() < 0.25:
        messages.append({"role": "system", "content": "You are a helpful assistant." if not korean
                         else "당신은 친절한 도우미입니다."})
    for _ in range(rng.choice((1, 1, 1, 2, 3))):
        messages.append({"role": "user", "content": paragraph(rng, korean, 0.6)})
        messages.append({"role": "assistant", "content": paragraph(rng, korean, 1.4)})
    line = json.dumps({"messages": messages}, ensure_ascii=False)
    if index % 10000 == 9999:  # the bad rows, by kind
        kind = (index // 10000) % 4
        if kind == 0:
            line = line[: len(line) // 2]  # cut off mid-line
        elif kind == 1:
            line = json.dumps({"messages": messages[:-1] if len(messages) > 1 else []}, ensure_ascii=False)
        elif kind == 2:
            messages[-1]["content"] = ""
            line = json.dumps({"messages": messages}, ensure_ascii=False)
        else:
            messages[-1]["content"] = 42
            line = json.dumps({"messages": messages}, ensure_ascii=False)
    return line


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    if not args:
        sys.exit(__doc__)
    seed = 1234
    if "--seed" in sys.argv:
        seed = int(sys.argv[sys.argv.index("--seed") + 1])
        args = [a for a in args if a != str(seed)]
    out, rows = args[0], int(args[1]) if len(args) > 1 else 1_000_000
    rng = random.Random(seed)
    size = 0
    with open(out, "w", encoding="utf-8", newline="\n") as f:
        for i in range(rows):
            line = row(rng, i) + "\n"
            size += len(line.encode("utf-8"))
            f.write(line)
    print(f"{out}: {rows} rows, {size / 1e6:.0f} MB, {rows // 10000} bad rows (one in 10,000)")


if __name__ == "__main__":
    main()
