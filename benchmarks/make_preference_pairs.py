#!/usr/bin/env python3
"""A small preference set for the real-model DPO run (README "Preference tuning"): 160 questions, each with a right
answer (chosen) and a wrong one or a refusal (rejected), as conversational pairs. Deterministic (seed 7).

    python3 benchmarks/make_preference_pairs.py > benchmarks/data/preference_pairs.jsonl
"""
import json
import random

CAPITALS = [
    ("France", "Paris"), ("Germany", "Berlin"), ("Italy", "Rome"), ("Spain", "Madrid"), ("Portugal", "Lisbon"),
    ("Japan", "Tokyo"), ("South Korea", "Seoul"), ("China", "Beijing"), ("India", "New Delhi"), ("Egypt", "Cairo"),
    ("Kenya", "Nairobi"), ("Canada", "Ottawa"), ("Mexico", "Mexico City"), ("Brazil", "Brasilia"),
    ("Argentina", "Buenos Aires"), ("Chile", "Santiago"), ("Peru", "Lima"), ("Australia", "Canberra"),
    ("New Zealand", "Wellington"), ("Norway", "Oslo"), ("Sweden", "Stockholm"), ("Finland", "Helsinki"),
    ("Denmark", "Copenhagen"), ("Poland", "Warsaw"), ("Austria", "Vienna"), ("Hungary", "Budapest"),
    ("Greece", "Athens"), ("Turkey", "Ankara"), ("Russia", "Moscow"), ("Ukraine", "Kyiv"), ("Ireland", "Dublin"),
    ("Netherlands", "Amsterdam"), ("Belgium", "Brussels"), ("Switzerland", "Bern"), ("Czechia", "Prague"),
    ("Thailand", "Bangkok"), ("Vietnam", "Hanoi"), ("Indonesia", "Jakarta"), ("Philippines", "Manila"),
    ("Malaysia", "Kuala Lumpur"), ("Pakistan", "Islamabad"), ("Iran", "Tehran"), ("Iraq", "Baghdad"),
    ("Saudi Arabia", "Riyadh"), ("Israel", "Jerusalem"), ("Morocco", "Rabat"), ("Nigeria", "Abuja"),
    ("Ghana", "Accra"), ("Ethiopia", "Addis Ababa"), ("South Africa", "Pretoria"), ("Colombia", "Bogota"),
    ("Venezuela", "Caracas"), ("Cuba", "Havana"), ("Iceland", "Reykjavik"), ("Romania", "Bucharest"),
    ("Bulgaria", "Sofia"), ("Serbia", "Belgrade"), ("Croatia", "Zagreb"), ("Mongolia", "Ulaanbaatar"),
    ("Nepal", "Kathmandu"),
]
REFUSALS = ["I don't know.", "I can't help with that.", "Sorry, I am not able to answer questions like this."]


def pair(question, chosen, rejected):
    return {"prompt": [{"role": "user", "content": question}], "chosen": [{"role": "assistant", "content": chosen}],
            "rejected": [{"role": "assistant", "content": rejected}]}


def main():
    rng = random.Random(7)
    rows = []
    for i in range(100):
        a, b = rng.randint(10, 99), rng.randint(10, 99)
        right = f"{a} + {b} = {a + b}."
        wrong = f"{a} + {b} = {a + b + rng.choice([-10, -1, 1, 10])}." if i % 2 else rng.choice(REFUSALS)
        rows.append(pair(f"What is {a} + {b}?", right, wrong))
    for i, (country, capital) in enumerate(CAPITALS):
        other = CAPITALS[(i + 1 + rng.randrange(len(CAPITALS) - 1)) % len(CAPITALS)][1]
        wrong = f"The capital of {country} is {other}." if i % 2 else rng.choice(REFUSALS)
        rows.append(pair(f"What is the capital of {country}?", f"The capital of {country} is {capital}.", wrong))
    rng.shuffle(rows)
    for r in rows:
        print(json.dumps(r, ensure_ascii=False))


if __name__ == "__main__":
    main()
