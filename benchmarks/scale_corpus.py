"""Synthetic passages and claims for benchmarks/scale.py.

The passages are generated, not collected: encyclopedic-style sentences built from
templates and word lists with a seeded random generator (a person or an organisation,
an action, an object, a place and a year). They look like the short passages TruthGraph
stores and give the real embedder realistic, clustered inputs at any size; their facts
are invented. Each passage is unique after case-folding (the embedder is uncased).
"""

from __future__ import annotations

import random
from collections.abc import Iterator

FIRST = (
    "Ada Anna Bruno Carla Dmitri Elena Farid Grace Hiro Ines Jonas Kofi Lena Marco Nadia "
    "Omar Priya Quentin Rosa Sven Tariq Ursula Viktor Wanda Xavier Yara Zoltan Amara Bjorn "
    "Chen Dalia Emil Fatima Gustav Hana Ivan Julia Kenji Leila Mateo"
).split()
LAST = (
    "Adler Baptiste Costa Dubois Eriksen Fischer Garcia Haddad Ivanova Jensen Kowalski "
    "Larsen Moreau Nakamura Okafor Petrov Quispe Rossi Schmidt Tanaka Ueda Varga Weber "
    "Xu Yilmaz Zhang Almeida Bianchi Castillo Dimitrov Ekstrom Ferreira Gruber Horvath "
    "Iglesias Jovanovic Kaur Lindqvist Mensah Novak"
).split()
ORGS = (
    "the Royal Society|the city council|a university hospital|the national railway|"
    "the observatory|a shipbuilding company|the central bank|the geological survey|"
    "the national library|a mining cooperative|the port authority|the meteorological office|"
    "a textile mill|the electricity board|the botanical garden|the weather service"
).split("|")
ACTIONS = (
    "founded|opened|designed|discovered|published|restored|built|closed|expanded|"
    "surveyed|catalogued|rebuilt|financed|excavated|mapped|measured|described|renamed"
).split("|")
OBJECTS = (
    "a suspension bridge|the northern lighthouse|a public library|the first tram line|"
    "a comet|an observatory|the river dam|a maritime museum|a glacier|a coal mine|"
    "the old harbour|a botanical survey|a vaccine trial|the cathedral organ|a salt lake|"
    "the telegraph office|a fossil bed|a steel works|the city archive|a canal lock|"
    "a radio telescope|the opera house|a wind farm|a copper smelter|the central station"
).split("|")
PLACES = (
    "Lisbon|Oslo|Krakow|Valparaiso|Tbilisi|Accra|Hobart|Quebec|Tromso|Cusco|Lyon|Porto|"
    "Gdansk|Nairobi|Sapporo|Bergen|Antwerp|Zanzibar|Reykjavik|Tallinn|Izmir|Goa|Perth|"
    "Halifax|Dakar|Graz|Turku|Malaga|Brno|Osaka|Cork|Utrecht|Split|Riga|Kyoto|Basel"
).split("|")
EXTRAS = (
    "|at a cost of {n} million crowns|with {n} workers|after {n} years of planning|"
    "over {n} kilometres|for {n} visitors a year|with {n} volunteers"
).split("|")
TEMPLATES = (
    "{who} {action} {object} in {place} in {year}{extra}.",
    "In {year}, {who} {action} {object} near {place}{extra}.",
    "{object_cap} in {place} was {action} by {who} in {year}{extra}.",
)


def _sentence(rng: random.Random) -> str:
    if rng.random() < 0.7:
        who = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
    else:
        who = rng.choice(ORGS)
    obj = rng.choice(OBJECTS)
    extra = rng.choice(EXTRAS).format(n=rng.randint(2, 900))
    text = rng.choice(TEMPLATES).format(
        who=who,
        action=rng.choice(ACTIONS),
        object=obj,
        object_cap=obj[0].upper() + obj[1:],
        place=rng.choice(PLACES),
        year=rng.randint(1750, 2020),
        extra=f" {extra}" if extra else "",
    )
    return text[0].upper() + text[1:]


def passages(count: int, *, seed: int = 12, exclude: set[str] | None = None) -> list[str]:
    """`count` unique synthetic passages (deterministic for a seed); none of `exclude`."""
    rng = random.Random(seed)
    seen = {t.casefold() for t in exclude} if exclude else set()
    out: list[str] = []
    while len(out) < count:
        text = _sentence(rng)
        key = text.casefold()
        if key not in seen:
            seen.add(key)
            out.append(text)
    return out


def claims(count: int, corpus: list[str], *, seed: int = 99) -> list[str]:
    """Queries for the benchmark: further synthetic sentences, none in the corpus."""
    return passages(count, seed=seed, exclude=set(corpus))


def documents(texts: list[str], per_document: int) -> Iterator[tuple[str, str, list[int]]]:
    """(document id, text, start offset of each passage) grouping `per_document`
    passages into one document, joined by single spaces."""
    for first in range(0, len(texts), per_document):
        chunk = texts[first : first + per_document]
        starts, offset = [], 0
        for text in chunk:
            starts.append(offset)
            offset += len(text) + 1
        yield f"synthetic-{first // per_document:06d}", " ".join(chunk), starts
