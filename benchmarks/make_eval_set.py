#!/usr/bin/env python3
"""A short-answer instruct set for the real-model evaluation (README "Evaluation"): sums and capitals asked in
English and in Korean, each answered with the answer alone ("150", "Paris", "파리"). SmolLM2-135M-Instruct answers
such questions in sentences, so exact match shows at once whether tuning taught the format, and the Korean rows show
why the report carries ROUGE-L over Unicode words beside rouge-score's own (which keeps only a-z and 0-9).
Deterministic (seed 11).

    python3 benchmarks/make_eval_set.py > benchmarks/data/short_answers.jsonl
"""
import json
import random

CAPITALS = [  # (country, capital, 나라, 수도)
    ("France", "Paris", "프랑스", "파리"), ("Germany", "Berlin", "독일", "베를린"), ("Italy", "Rome", "이탈리아", "로마"),
    ("Spain", "Madrid", "스페인", "마드리드"), ("Portugal", "Lisbon", "포르투갈", "리스본"), ("Japan", "Tokyo", "일본", "도쿄"),
    ("South Korea", "Seoul", "한국", "서울"), ("China", "Beijing", "중국", "베이징"), ("Egypt", "Cairo", "이집트", "카이로"),
    ("Kenya", "Nairobi", "케냐", "나이로비"), ("Canada", "Ottawa", "캐나다", "오타와"), ("Peru", "Lima", "페루", "리마"),
    ("Australia", "Canberra", "호주", "캔버라"), ("Norway", "Oslo", "노르웨이", "오슬로"), ("Sweden", "Stockholm", "스웨덴", "스톡홀름"),
    ("Finland", "Helsinki", "핀란드", "헬싱키"), ("Poland", "Warsaw", "폴란드", "바르샤바"), ("Austria", "Vienna", "오스트리아", "빈"),
    ("Greece", "Athens", "그리스", "아테네"), ("Russia", "Moscow", "러시아", "모스크바"), ("Ireland", "Dublin", "아일랜드", "더블린"),
    ("Thailand", "Bangkok", "태국", "방콕"), ("Vietnam", "Hanoi", "베트남", "하노이"), ("Cuba", "Havana", "쿠바", "아바나"),
    ("Iceland", "Reykjavik", "아이슬란드", "레이캬비크"), ("Hungary", "Budapest", "헝가리", "부다페스트"),
    ("Denmark", "Copenhagen", "덴마크", "코펜하겐"), ("Argentina", "Buenos Aires", "아르헨티나", "부에노스아이레스"),
    ("Mexico", "Mexico City", "멕시코", "멕시코시티"), ("Chile", "Santiago", "칠레", "산티아고"),
]


def row(question, answer):
    return {"messages": [{"role": "user", "content": question}, {"role": "assistant", "content": answer}]}


def main():
    rng = random.Random(11)
    rows = []
    for _ in range(120):
        a, b = rng.randint(10, 99), rng.randint(10, 99)
        rows.append(row(f"What is {a} + {b}? Answer with the number only.", str(a + b)))
    for country, capital, nara, sudo in CAPITALS:
        rows.append(row(f"What is the capital of {country}? Answer with one word or name.", capital))
        rows.append(row(f"{nara}의 수도는 어디인가요? 이름만 답하세요.", sudo))
    rng.shuffle(rows)
    for r in rows:
        print(json.dumps(r, ensure_ascii=False))


if __name__ == "__main__":
    main()
