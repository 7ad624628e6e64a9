"""Generate benchmarks/models/parity_sentences.txt: a fixed, varied set of embedder inputs.

The set mixes fact-check style claims, questions, headlines, numbers, dates, currency,
non-ASCII text (accents, CJK, Cyrillic, Arabic, emoji), very short inputs and paragraphs
long enough to hit the 256-token truncation. Seeded, so the file is reproducible:

    python benchmarks/models/make_parity_sentences.py
"""

from __future__ import annotations

import argparse
import logging
import random
from pathlib import Path

OUT = Path(__file__).resolve().parent / "parity_sentences.txt"

SUBJECTS = [
    "The city council",
    "NASA",
    "A spokesperson for the ministry",
    "The World Health Organization",
    "Researchers at the university",
    "The central bank",
    "Local farmers",
    "The prime minister",
    "A new study",
    "The football club",
    "Climate scientists",
    "The company's CEO",
    "Eyewitnesses",
    "The European Commission",
    "Teachers in the district",
    "The census bureau",
]
VERBS = [
    "announced",
    "denied",
    "confirmed",
    "reported",
    "claimed",
    "estimated",
    "rejected",
    "approved",
    "warned",
    "predicted",
    "revealed",
    "disputed",
]
OBJECTS = [
    "a 12% rise in unemployment",
    "that the bridge will reopen in March",
    "plans to ban single-use plastics",
    "the discovery of water ice on the Moon",
    "a record harvest of wheat",
    "that vaccination rates fell below 80 percent",
    "a budget deficit of $3.2 billion",
    "the closure of two coal plants",
    "that the river flooded for the first time since 1953",
    "a merger worth €4.5bn",
    "new rules for short-term rentals",
    "that inflation peaked at 9.1% in June 2022",
    "a partnership with three African universities",
    "the recall of 40,000 vehicles",
]
TOPICS = [
    "climate change",
    "public health",
    "elections",
    "immigration",
    "space exploration",
    "the housing market",
    "artificial intelligence",
    "renewable energy",
    "education",
    "football",
    "cryptocurrency",
    "food safety",
    "ocean pollution",
    "tax policy",
]
CLAIMS = [
    "The Great Wall of China is visible from space with the naked eye.",
    "Water boils at 100 °C at sea level.",
    "Humans only use 10% of their brains.",
    "Mount Everest is 8,849 metres tall.",
    "The Eiffel Tower was completed in 1889.",
    "Lightning never strikes the same place twice.",
    "Bananas are berries, but strawberries are not.",
    "The population of Tokyo exceeds 37 million people in the metropolitan area.",
    "Drinking eight glasses of water a day is medically required.",
    "Vitamin C cures the common cold.",
    "The Amazon rainforest produces 20% of the world's oxygen.",
    "Goldfish have a memory span of three seconds.",
    "Einstein failed mathematics at school.",
    "The Berlin Wall fell on 9 November 1989.",
    "Sharks are older than trees.",
    "Napoleon was unusually short.",
]
NON_ASCII = [
    "Le gouvernement français a annoncé une réforme des retraites très contestée.",
    "Die Bundesregierung plant höhere Investitionen in Straßen und Brücken.",
    "El presidente anunció un aumento del salario mínimo del 5 %.",
    "東京は日本の首都であり、世界最大の都市圏の一つです。",
    "北京今天的空气质量指数超过了200。",
    "Москва — столица России, население около 13 миллионов человек.",
    "القاهرة هي عاصمة مصر وأكبر مدينة في العالم العربي.",
    "서울은 대한민국의 수도입니다.",
    "São Paulo é a maior cidade do Brasil.",
    "Zürich und Genève sind die größten Städte der Schweiz.",
    "Ångström units measure wavelengths of light.",
    "The café on Rue de l'Église serves crème brûlée 🍮 every Friday!",
    "Breaking 🚨: prices up 📈 again… 😱",
    "Naïve coöperation between façade builders is a cliché.",
    "İstanbul'da deprem riski yüksek.",
    "Ελλάδα: η οικονομία αναπτύσσεται με ρυθμό 2%.",
]
SHORT = [
    "OK",
    "Yes.",
    "No!",
    "?",
    "Why?",
    "Fake news.",
    "True",
    "COVID-19",
    "GDP",
    "2024",
    "a",
    "Hmm...",
    "100%",
    "Paris",
    "NaN",
    "—",
    "#climate",
    "@user",
    "e=mc^2",
    "¿Qué?",
]
ODD = [
    "CHECK THIS OUT: THE MOON LANDING WAS FILMED IN A STUDIO!!!",
    "see https://example.org/report?id=42&lang=en for details",
    "Email press@example.com or call +1 (555) 010-9999 before 5:30 p.m.",
    "    leading and trailing spaces    ",
    "tabs\tand\tseparated\tvalues",
    "def f(x): return x ** 2  # not a sentence",
    "The ratio was 3:2, i.e. 1.5x, vs. 0.75x last year (p < 0.05).",
    "'Quoted' \"claims\" «are» „tricky“ \u2018sometimes\u2019.",
    "#BREAKING #news #election2024 @reporter says turnout hit 67.3%",
    "1, 2, 3, 4, 5, 6, 7, 8, 9, 10",
]


def templated(rng: random.Random) -> str:
    kind = rng.randrange(6)
    if kind == 0:
        return f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(OBJECTS)}."
    if kind == 1:
        return f"Is it true that {rng.choice(CLAIMS)[0].lower()}{rng.choice(CLAIMS)[1:-1]}?"
    if kind == 2:
        return f"{rng.choice(TOPICS).title()}: {rng.choice(SUBJECTS).lower()} {rng.choice(VERBS)}"
    if kind == 3:
        year = rng.randint(1850, 2030)
        who = rng.choice(SUBJECTS).lower()
        return f"In {year}, {who} {rng.choice(VERBS)} {rng.choice(OBJECTS)}."
    if kind == 4:
        n = rng.randint(1, 999_999)
        return f"About {n:,} people were affected by changes in {rng.choice(TOPICS)}."
    return f'Experts on {rng.choice(TOPICS)} say: "{rng.choice(CLAIMS)}"'


def paragraph(rng: random.Random, sentences: int) -> str:
    parts = [templated(rng) for _ in range(sentences)]
    parts.insert(rng.randrange(len(parts)), rng.choice(CLAIMS))
    return " ".join(parts)


def make_sentences(count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    fixed = CLAIMS + NON_ASCII + SHORT + ODD
    items: list[str] = list(fixed)
    # A tail of long inputs: 3-6 sentences (medium) and 25-40 sentences (past 256 tokens).
    long_inputs = [paragraph(rng, rng.randint(3, 6)) for _ in range(40)]
    long_inputs += [paragraph(rng, rng.randint(25, 40)) for _ in range(20)]
    seen = set(items)
    while len(items) + len(long_inputs) < count:
        candidate = templated(rng)
        if candidate not in seen:  # duplicates would only re-weight the statistics
            seen.add(candidate)
            items.append(candidate)
    items.extend(long_inputs)
    # Newlines would break the one-per-line file format.
    return [" ".join(s.split("\n")) for s in items]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=600)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(message)s")
    lines = make_sentences(args.count, args.seed)
    args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    logging.info("wrote %d sentences to %s", len(lines), args.out)


if __name__ == "__main__":
    main()
