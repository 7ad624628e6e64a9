"""Generate the TruthGraph NLI starter dataset (data/nli/templated/{train,dev,test}.jsonl).

The output is a pure function of --seed: entities come from invented fact tables
(nli_facts), pairs from phenomenon templates (nli_templates). Each template belongs to
exactly one split and each split has its own entities, so dev/test measure transfer to
unseen sentence frames and names rather than memorisation.

    python scripts/data/make_nli_dataset.py [--seed 13] [--out-dir data/nli/templated]
"""

from __future__ import annotations

import argparse
import json
import logging
import random
import re
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import nli_facts as facts  # noqa: E402
from nli_templates import Template, all_templates  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
DEFAULT_OUT = REPO / "data" / "nli" / "templated"
RESERVED_FILE = REPO / "data" / "nli" / "reserved_terms.txt"

LABELS = ("entailment", "neutral", "contradiction")
SPLITS = ("train", "dev", "test")
PAIRS_PER_LABEL = {"train": 2000, "dev": 250, "test": 250}
ENTITIES_PER_KIND = {"train": 80, "dev": 40, "test": 40}
MIN_CELL_FOR_HOLDOUT = 4  # single templates of one (phenomenon, label) needed to hold out
MAX_MISSES = 200  # failed draws after which a template counts as exhausted

YEAR_FIELDS = {
    "founded",
    "census",
    "acq_year",
    "born",
    "award_year",
    "final_year",
    "opened",
    "launched",
    "described",
    "year",
    "ascent",
}
PERCENT_FIELDS = {"wshare", "turnout"}
SMALL_FIELDS = {"schools", "dams", "plants", "titles", "lanes", "spans", "score_w", "score_l"}
PERSON_FIELDS = {
    "mayor",
    "founder",
    "student",
    "coach",
    "designer",
    "captain",
    "describer",
    "author",
    "protagonist",
    "winner",
    "loser",
    "climber",
}
VOCAB: dict[str, list[str]] = {
    "country": sorted(facts.COUNTRIES),
    "hq_country": sorted(facts.COUNTRIES),
    "born_country": sorted(facts.COUNTRIES),
    "continent": facts.CONTINENTS,
    "hq": sorted(facts.CITIES),
    "born_city": sorted(facts.CITIES),
    "sport": facts.SPORTS,
    "btype": facts.BRIDGE_TYPES,
    "stype": facts.SHIP_TYPES,
    "cls": sorted({g[0] for g in facts.SPECIES_GROUPS.values()}),
    "field": sorted(facts.SCIENCE_FIELDS),
    "phyper": sorted({p[0] for p in facts.PRODUCT_TYPES.values()}),
}
# Keep invented alternatives plausible: no 11,000 m summits, no smartwatches in 1970,
# no claims about years after the data was written.
FIELD_MAX = {"height": 7_900}
FIRST_YEAR = {"product": 1995}
LAST_YEAR = 2023
MONTHS = (
    "January February March April May June July August September October November December"
).split()
ONES = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen "
    "fourteen fifteen sixteen seventeen eighteen nineteen"
).split()
TENS = "_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()


class Skip(Exception):
    """The sampled entities cannot fill this template; draw again."""


def words(n: int) -> str:
    if n < 20:
        return ONES[n]
    tens, ones = divmod(n, 10)
    return TENS[tens] + (f"-{ONES[ones]}" if ones else "")


def century(year: int) -> str:
    c = year // 100 + 1
    suffix = "th" if 10 <= c % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(c % 10, "th")
    return f"{c}{suffix} century"


def below(v: int, r: random.Random) -> int:
    grain = int(10 ** max(0, len(str(v)) - 2))
    lo = (v // grain) * grain
    if lo == v:
        lo -= grain
    if r.random() < 0.4 and lo - grain > 0:
        lo -= grain
    return max(1, lo)


def above(v: int, r: random.Random) -> int:
    grain = int(10 ** max(0, len(str(v)) - 2))
    hi = (v // grain + 1) * grain
    return hi + grain if r.random() < 0.4 else hi


class View:
    """One entity as seen by one template fill: derived values are drawn once and cached,
    so a placeholder used twice in a pair renders identically."""

    def __init__(
        self,
        ent: facts.Entity,
        kind: str,
        pool: list[facts.Entity],
        persons: list[str],
        r: random.Random,
    ) -> None:
        self._ent, self._kind, self._pool, self._persons, self._r = ent, kind, pool, persons, r
        self._cache: dict[str, object] = {}

    def __getattr__(self, name: str) -> object:
        if name.startswith("_"):
            raise AttributeError(name)
        return self._get(name)

    def _get(self, name: str) -> object:
        if name in self._cache:
            return self._cache[name]
        if name in self._ent:
            value = self._ent[name]
        elif name == "month":
            value = self._r.choice(MONTHS)
        elif name == "day":
            value = self._r.randint(1, 28)
        else:
            head, _, op = name.rpartition("_")
            if not head:
                raise AttributeError(name)
            value = self._derive(head, op, self._get(head))
        self._cache[name] = value
        return value

    def _derive(self, field: str, op: str, v: object) -> object:
        r = self._r
        if op == "alt":
            return self._alt(field, v)
        if op == "dec":
            decade = int(v) // 10 * 10  # type: ignore[call-overload]
            if decade % 100 == 0:  # "the 1700s" could mean the decade or the century
                raise Skip
            return f"{decade}s"
        if op == "cent":
            return century(int(v))  # type: ignore[call-overload]
        if op == "w":
            return words(int(v))  # type: ignore[call-overload]
        if op == "a":
            return ("an " if str(v)[0].lower() in "aeiou" else "a ") + str(v)
        if op == "cap":
            return str(v)[0].upper() + str(v)[1:]
        assert isinstance(v, int), (field, op)
        if op == "few":  # at least two, fewer than half
            if v < 5:
                raise Skip
            return r.randint(2, (v - 1) // 2)
        if op == "most":
            return r.randint(v // 2 + 1, v - 1)
        if op in ("lo", "hi"):
            sign = -1 if op == "lo" else 1
            if field in YEAR_FIELDS:
                if sign > 0 and v >= LAST_YEAR:
                    raise Skip
                return min(v + sign * r.randint(2, 25), LAST_YEAR)
            if field in PERCENT_FIELDS or field in SMALL_FIELDS:
                step = r.randint(3, 10) if field in PERCENT_FIELDS else r.randint(1, 3)
                out = v + sign * step
                if out < 1:
                    raise Skip
                return out
            return below(v, r) if sign < 0 else above(v, r)
        raise AttributeError(f"{field}_{op}")

    def _alt(self, field: str, v: object) -> object:
        r = self._r
        if isinstance(v, int):
            if field in YEAR_FIELDS:
                first = FIRST_YEAR.get(self._kind, 0)
                for _ in range(20):
                    out = v + r.choice((-1, 1)) * r.randint(10, 45)
                    if first <= out <= LAST_YEAR and out // 10 != v // 10:
                        return out
                raise Skip
            if field in PERCENT_FIELDS:
                return min(95, max(5, v + r.choice((-1, 1)) * r.randint(6, 20)))
            if field in SMALL_FIELDS:
                return r.choice([x for x in range(max(1, v - 3), v + 4) if x != v])
            for _ in range(20):
                out = facts.nice(v * r.choice((r.uniform(0.55, 0.8), r.uniform(1.25, 1.9))))
                if out != v and out <= FIELD_MAX.get(field, out):
                    return out
            raise Skip
        if field in PERSON_FIELDS or (self._kind == "scientist" and field == "name"):
            choices = [x for x in self._persons if x != v]
        elif field == "group":  # a group of another class, so the swap is a contradiction
            cls = facts.SPECIES_GROUPS[str(v)][0]
            choices = [g for g, spec in facts.SPECIES_GROUPS.items() if spec[0] != cls]
        elif field == "ptype":
            hyper = facts.PRODUCT_TYPES[str(v)][0]
            choices = [p for p, spec in facts.PRODUCT_TYPES.items() if spec[0] != hyper]
        elif field in VOCAB:
            choices = [x for x in VOCAB[field] if x != v]
        else:
            choices = sorted({str(e[field]) for e in self._pool} - {str(v)})
        if not choices:
            raise Skip
        return r.choice(sorted(choices))


def assign_splits(templates: list[Template], r: random.Random) -> dict[str, str]:
    """Stratified by (phenomenon, label): per phenomenon, one minimal-pair frame (all three
    labels) goes to dev and one to test, and each label's single templates hold out one
    template for dev and one for test when at least MIN_CELL_FOR_HOLDOUT exist. The rest
    train, so every phenomenon trains on every label."""
    split_of: dict[str, str] = {}
    for phen in sorted({t.phenomenon for t in templates}):
        mine = [t for t in templates if t.phenomenon == phen]
        frames = sorted({t.frame for t in mine if t.frame != t.tid})
        split_of.update(_assign_groups(frames, r))
        for label in LABELS:
            singles = [t.tid for t in mine if t.frame == t.tid and t.label == label]
            held = len(singles) >= MIN_CELL_FOR_HOLDOUT
            split_of.update(_assign_groups(singles, r, hold_out=held))
    return {t.tid: split_of[t.frame] for t in templates}


def _assign_groups(groups: list[str], r: random.Random, hold_out: bool = True) -> dict[str, str]:
    """Shuffle the groups; the first goes to dev, the second to test, the rest train."""
    pool = sorted(groups)
    r.shuffle(pool)
    n_out = 2 if hold_out else 0
    return {g: ("dev", "test")[k] if k < n_out else "train" for k, g in enumerate(pool)}


def cell_quotas(phenomena: list[str], total: int) -> dict[str, int]:
    """Split one label's quota evenly over the phenomena; the remainder goes to the first
    phenomena in sorted order, the same ones for every label."""
    base, extra = divmod(total, len(phenomena))
    return {p: base + (k < extra) for k, p in enumerate(sorted(phenomena))}


def render(
    t: Template, world: dict[str, list[facts.Entity]], persons: list[str], r: random.Random
) -> tuple[str, str]:
    pool = world[t.kind]
    ents = r.sample(pool, 3)
    if t.order:
        key = t.order.lstrip("-")
        ents.sort(key=lambda x: float(str(x[key])), reverse=not t.order.startswith("-"))
        if len({x[key] for x in ents}) < 3:
            raise Skip
    for f in t.differ:
        if len({str(x[f]) for x in ents}) < 3:
            raise Skip
    e, o, p = (View(x, t.kind, pool, persons, r) for x in ents)
    return t.premise.format(e=e, o=o, p=p), t.hypothesis.format(e=e, o=o, p=p)


def fill_cell(
    active: list[Template],
    quota: int,
    world: dict[str, list[facts.Entity]],
    persons: list[str],
    seen: set[tuple[str, str]],
    r: random.Random,
) -> list[dict[str, str]]:
    """Fill `quota` fresh pairs round-robin from the templates of one (phenomenon, label)."""
    active = active[:]
    misses: Counter[str] = Counter()
    rows: list[dict[str, str]] = []
    i = 0
    while len(rows) < quota:
        if not active:
            raise RuntimeError(f"templates exhausted after {len(rows)} of {quota} pairs")
        t = active[i % len(active)]
        i += 1
        try:
            pair = render(t, world, persons, r)
        except Skip:
            pair = None
        if pair is None or pair in seen:
            misses[t.tid] += 1
            if misses[t.tid] > MAX_MISSES:  # template has no fresh pairs left
                active.remove(t)
            continue
        seen.add(pair)
        rows.append(
            {
                "premise": pair[0],
                "hypothesis": pair[1],
                "label": t.label,
                "phenomenon": t.phenomenon,
                "template": t.tid,
                "topic": t.kind,
            }
        )
    return rows


def generate(seed: int) -> tuple[dict[str, list[dict[str, str]]], dict[str, str]]:
    r = random.Random(seed)
    templates = all_templates()
    split_of = assign_splits(templates, r)
    names = facts.Names(r)
    seen: set[tuple[str, str]] = set()
    out: dict[str, list[dict[str, str]]] = {}
    for split in SPLITS:
        world = facts.make_world(r, names, ENTITIES_PER_KIND[split])
        persons = [names.person() for _ in range(60)]
        mine = [t for t in templates if split_of[t.tid] == split]
        rows: list[dict[str, str]] = []
        for label in LABELS:
            by_phen: dict[str, list[Template]] = {}
            for t in mine:
                if t.label == label:
                    by_phen.setdefault(t.phenomenon, []).append(t)
            for phen, quota in cell_quotas(list(by_phen), PAIRS_PER_LABEL[split]).items():
                rows += fill_cell(by_phen[phen], quota, world, persons, seen, r)
        r.shuffle(rows)
        out[split] = [{"id": f"{split}-{n:05d}", **row} for n, row in enumerate(rows)]
    return out, split_of


def reserved_pattern(path: Path = RESERVED_FILE) -> re.Pattern[str] | None:
    if not path.exists():
        return None
    terms = [t.strip() for t in path.read_text().splitlines() if t.strip()]
    return re.compile(r"\b(" + "|".join(map(re.escape, terms)) + r")\b", re.IGNORECASE)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--out-dir", type=Path, default=DEFAULT_OUT)
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")

    data, split_of = generate(args.seed)
    pattern = reserved_pattern()
    args.out_dir.mkdir(parents=True, exist_ok=True)
    for split, rows in data.items():
        if pattern:
            bad = [x["id"] for x in rows if pattern.search(x["premise"] + " " + x["hypothesis"])]
            if bad:
                raise SystemExit(f"reserved topic mentioned in {split}: {bad[:5]}")
        with open(args.out_dir / f"{split}.jsonl", "w", encoding="utf-8", newline="\n") as f:
            f.writelines(json.dumps(x, ensure_ascii=False) + "\n" for x in rows)
        logging.info(
            "%s: %d pairs %s",
            split,
            len(rows),
            dict(sorted(Counter(x["label"] for x in rows).items())),
        )

    meta = {
        t.tid: {
            "split": split_of[t.tid],
            "phenomenon": t.phenomenon,
            "label": t.label,
            "topic": t.kind,
            "frame": t.frame,
        }
        for t in all_templates()
    }
    splits = {
        "seed": args.seed,
        "splits": {s: sorted(k for k, v in split_of.items() if v == s) for s in SPLITS},
        "templates": meta,
    }
    (args.out_dir / "splits.json").write_text(json.dumps(splits, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
