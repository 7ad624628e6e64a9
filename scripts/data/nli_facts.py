"""Invented fact tables for the NLI starter dataset.

Every entity is fictional; only countries, continents and the cities used as
headquarters or birthplaces are real, which is where world knowledge (city ->
country -> continent) enters the data. Names are assembled from syllables so that
each split can get its own entities without any name appearing in two splits.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable

Entity = dict[str, object]

# fmt: off
COUNTRIES: dict[str, str] = {
    "Norway": "Europe", "Finland": "Europe", "Poland": "Europe", "Portugal": "Europe",
    "Austria": "Europe", "Ireland": "Europe", "Chile": "South America",
    "Argentina": "South America", "Brazil": "South America", "Canada": "North America",
    "Mexico": "North America", "Japan": "Asia", "India": "Asia", "Vietnam": "Asia",
    "Kenya": "Africa", "Ghana": "Africa", "South Africa": "Africa", "Australia": "Oceania",
    "New Zealand": "Oceania",
}
CONTINENTS = sorted(set(COUNTRIES.values()))

# Real cities whose names are not shared with a better-known place elsewhere.
CITIES: dict[str, str] = {
    "Stavanger": "Norway", "Trondheim": "Norway", "Tampere": "Finland", "Turku": "Finland",
    "Krakow": "Poland", "Gdansk": "Poland", "Porto": "Portugal", "Braga": "Portugal",
    "Graz": "Austria", "Linz": "Austria", "Cork": "Ireland", "Galway": "Ireland",
    "Valparaiso": "Chile", "Antofagasta": "Chile", "Mendoza": "Argentina",
    "Bahia Blanca": "Argentina", "Curitiba": "Brazil", "Recife": "Brazil",
    "Winnipeg": "Canada", "Saskatoon": "Canada", "Monterrey": "Mexico", "Puebla": "Mexico",
    "Osaka": "Japan", "Sendai": "Japan", "Pune": "India", "Nagpur": "India",
    "Da Nang": "Vietnam", "Hue": "Vietnam", "Mombasa": "Kenya", "Kisumu": "Kenya",
    "Kumasi": "Ghana", "Takoradi": "Ghana", "Durban": "South Africa",
    "Bloemfontein": "South Africa", "Adelaide": "Australia", "Brisbane": "Australia",
    "Dunedin": "New Zealand", "Tauranga": "New Zealand",
}

FIRST_NAMES = (
    "Anika Bram Clara Dario Elin Farid Greta Henrik Ines Jonas Kaia Leon Mira Nils Oskar "
    "Petra Rafael Sanna Tomas Una Viktor Wanda Yusuf Zofia Amal Bjorn Carmen Dmitri Esther "
    "Felix Hana Ivo Jana Kenji Lucia Mateo Nora Omar Pilar Rosa Stefan Talia Ulla Vera Wim "
    "Ximena Yara Aurel Bettina Cyril Danae Emil Fiona Goran Helka Idris Joost Katya Lars "
    "Maren Nadia Otto Priya Quinn Runa Sefa Teodor Uma Vilja Wendel Amara Bastian Cosima"
).split()
SURNAME_HEADS = (
    "Var Hol Bren Kes Mal Tor Ost Lind Fal Grav Hed Ivar Jarn Kol Lug Morr Nord Pell Quist "
    "Ros Sev Tamm Ulv Vant Wend Alm Bek Dros Eng Frey Gund Hask Ilse Kvar Lom Moss Nyb Ork"
).split()
SURNAME_TAILS = "berg ling ani ova ez eck sen dal mann ard ier ek ley stad quist ov ulis".split()
PLACE_HEADS = (
    "Ash Bel Brack Cal Dorn Elst Fern Gar Hals Ister Kell Lor Mel Nor Oster Pol Quen Rav Sel "
    "Tarn Ulm Var Wes Yar Zell Alder Birk Cress Dal Eld Frost Glen Hart Ivy Kings Lark Mill"
).split()
PLACE_TAILS = (
    "wick holm bury stad mere ford vik dale brook haven by ton field gate moor heim wold "
    "thorpe crag lund minster bridge"
).split()
RIVER_HEADS = (
    "Os Var Tel Am Dru Ken Lis Mor Sa Ve Ul Ri Es Ga Hel Ib Jor Ko Lu Ny Ber Cas Dov Fal Gru "
    "Hav Ist Lem Pes Tav"
).split()
RIVER_LINKS = ("", "", "l", "n", "r")
RIVER_TAILS = "el ra ina und ava en is ta ona ess ar olt ek ima ue".split()
WORD_HEADS = (
    "Tar Ves Kel Hal Dor Ams Bre Cor Fen Gil Hor Isk Jen Kal Lod Mer Nes Orv Pald Ront Sask "
    "Tuv Umb Veld Wist Yst Zan Brod Clem Drav"
).split()
WORD_LINKS = ("", "", "a", "e", "i", "o", "en", "ar", "u")
WORD_TAILS = "vel mund dra sel rik ven tor nar wen gard lin sund holt mar ness".split()

TOWN_INDUSTRIES = (
    "glassmaking textile paper brewing timber ceramics salt clockmaking wool fishing"
).split()
# (company-name noun, industry, main product, earliest plausible founding year)
COMPANY_LINES = [
    ("Optics", "optics", "camera lenses", 1850),
    ("Instruments", "measuring instruments", "laboratory balances", 1850),
    ("Textiles", "textiles", "technical fabrics", 1850),
    ("Foods", "food processing", "frozen vegetables", 1930),
    ("Motors", "electric motors", "industrial fans", 1890),
    ("Ceramics", "ceramics", "floor tiles", 1850),
    ("Software", "software", "accounting software", 1975),
    ("Pharma", "pharmaceuticals", "eye drops", 1880),
    ("Turbines", "power generation", "wind turbines", 1975),
    ("Packaging", "packaging", "cardboard boxes", 1890),
    ("Robotics", "industrial automation", "welding robots", 1965),
    ("Cycles", "bicycles", "cargo bikes", 1870),
]
SCIENCE_FIELDS: dict[str, str] = {
    "soil chemistry": "chemistry", "organic chemistry": "chemistry",
    "plasma physics": "physics", "condensed matter physics": "physics",
    "atmospheric physics": "physics", "population genetics": "biology",
    "marine ecology": "biology", "cell biology": "biology", "number theory": "mathematics",
    "algebraic topology": "mathematics", "glaciology": "earth science",
    "seismology": "earth science",
}
KNOWN_FOR = ("the {s} effect", "the {s} conjecture", "the {s} index", "the {s} method")
SPORTS = "football|ice hockey|handball|rugby|basketball|volleyball".split("|")
CLUB_FORMS = ("{t} Athletic", "FC {t}", "Sporting {t}", "{t} SC", "{t} City")
BRIDGE_TYPES = "suspension|arch|cable-stayed|cantilever|truss|beam".split("|")
SHIP_TYPES = "icebreaker|ferry|cargo ship|research vessel|tanker|cable layer".split("|")
SHIP_ADJ = (
    "Silver Northern Grey Swift Quiet Amber Iron Bright Western Cold Red Long Still Far Pale "
    "Eastern Brave"
).split()
SHIP_NOUN = (
    "Tern Heron Petrel Otter Lantern Harbour Current Skerry Gannet Kestrel Fulmar Seal Reach "
    "Narrows"
).split()
# group -> (class, length range in cm, diets)
SPECIES_GROUPS: dict[str, tuple[str, tuple[int, int], tuple[str, ...]]] = {
    "tree frog": ("amphibian", (2, 9), ("insects", "spiders", "small moths")),
    "salamander": ("amphibian", (6, 30), ("worms", "insects", "snails")),
    "owl": ("bird", (18, 60), ("small rodents", "insects", "frogs")),
    "warbler": ("bird", (9, 16), ("insects", "spiders", "berries")),
    "beetle": ("insect", (1, 7), ("leaves", "rotting wood", "pollen")),
    "moth": ("insect", (1, 9), ("nectar", "leaves", "lichen")),
    "gecko": ("reptile", (5, 25), ("insects", "spiders", "fruit")),
    "skink": ("reptile", (8, 35), ("insects", "snails", "worms")),
    "shrew": ("mammal", (4, 12), ("insects", "worms", "snails")),
    "bat": ("mammal", (4, 15), ("insects", "fruit", "nectar")),
    "catfish": ("fish", (10, 90), ("snails", "small fish", "insect larvae")),
}
GENUS_HEADS = "Ost Var Kel Thal Mir Bren Cor Lys Pan Sor Tet Xen".split()
GENUS_TAILS = "ella ops ura ix anthus ilia odon".split()
NOVEL_ADJ = "Glass Salt Quiet Winter Paper Hollow Amber Last Silent Northern Broken".split()
NOVEL_NOUN = "Orchard Lantern Harbour Ferry Archive Garden Ledger Staircase Meadow Tide".split()
POLITY_FORMS = ("Duchy of {p}", "Republic of {p}", "Kingdom of {p}", "Principality of {p}")
TREATY_FORMS = ("{w} Accord", "Treaty of {w}", "{w} Convention", "Peace of {w}")
TREATY_SUBJECTS = (
    "fishing rights in {w} Sound", "the border along the {r}", "tolls on the {r}",
    "timber exports from the {w} forests", "the use of the harbour at {w}",
)
# product type -> (broader category, weight range in g, price range in euros)
PRODUCT_TYPES: dict[str, tuple[str, tuple[int, int], tuple[int, int]]] = {
    "laptop": ("computer", (900, 2600), (400, 2400)),
    "tablet": ("computer", (300, 700), (150, 1100)),
    "drone": ("aircraft", (240, 1400), (90, 1800)),
    "kettle": ("kitchen appliance", (700, 1600), (25, 140)),
    "blender": ("kitchen appliance", (1200, 4200), (35, 420)),
    "smartwatch": ("wearable device", (25, 70), (60, 700)),
    "fitness band": ("wearable device", (15, 40), (25, 180)),
}
PRODUCT_WORDS = "Lumen Kestrel Arbor Quill Nimbus Vela Ridge Sable Tessel Pike Corvo Halo".split()
# fmt: on


def nice(value: float, digits: int = 3) -> int:
    """Round to `digits` significant figures, the way passages quote figures."""
    v = max(1, int(round(value)))
    grain = int(10 ** max(0, len(str(v)) - digits))
    return max(grain, int(round(v / grain)) * grain)


def _join(head: str, tail: str) -> str:
    # Collapse tripled letters at the join ("Tamm" + "mann", "Zell" + "lund").
    return re.sub(r"(.)\1\1", r"\1\1", head + tail)


class Names:
    """Draws unique invented names; one instance is shared by all splits."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.used: set[str] = set()

    def _unique(self, make: Callable[[], str]) -> str:
        for _ in range(10_000):
            name = make()
            if name not in self.used:
                self.used.add(name)
                return name
        raise RuntimeError("name pool exhausted")

    def surname(self) -> str:
        r = self.rng
        return _join(r.choice(SURNAME_HEADS), r.choice(SURNAME_TAILS))

    def person(self) -> str:
        return self._unique(lambda: f"{self.rng.choice(FIRST_NAMES)} {self.surname()}")

    def place(self) -> str:
        r = self.rng
        return self._unique(lambda: _join(r.choice(PLACE_HEADS), r.choice(PLACE_TAILS)))

    def word(self) -> str:
        r = self.rng
        return self._unique(
            lambda: r.choice(WORD_HEADS) + r.choice(WORD_LINKS) + r.choice(WORD_TAILS)
        )

    def river(self) -> str:
        r = self.rng
        return self._unique(
            lambda: r.choice(RIVER_HEADS) + r.choice(RIVER_LINKS) + r.choice(RIVER_TAILS)
        )

    def custom(self, make: Callable[[], str]) -> str:
        return self._unique(make)


def _year(r: random.Random, lo: int, hi: int) -> int:
    return r.randint(lo, hi)


def _other_surname(n: Names, person: str) -> str:
    while (s := n.surname()) == person.split()[-1]:
        pass
    return s


def make_town(r: random.Random, n: Names, ctx: dict[str, list[Entity]]) -> Entity:
    country = r.choice(sorted(COUNTRIES))
    return {
        "name": n.place(),
        "country": country,
        "continent": COUNTRIES[country],
        "region": n.word(),
        "river": r.choice(ctx["river"])["name"],
        "founded": _year(r, 1150, 1890),
        "pop": nice(r.randint(2_000, 180_000)),
        "census": r.choice((2011, 2015, 2016, 2020, 2021)),
        "mayor": n.person(),
        "industry": r.choice(TOWN_INDUSTRIES),
        "area": r.randint(12, 240),
        "schools": r.randint(3, 12),
    }


def make_river(r: random.Random, n: Names, ctx: dict[str, list[Entity]]) -> Entity:
    country = r.choice(sorted(COUNTRIES))
    return {
        "name": n.river(),
        "length": r.randint(40, 1400),
        "source": f"{n.word()} {r.choice(('Hills', 'Mountains', 'Heights'))}",
        "mouth": f"Lake {n.word()}",
        "country": country,
        "continent": COUNTRIES[country],
        "tributary": n.river(),
        "dams": r.randint(3, 7),
    }


def make_company(r: random.Random, n: Names, ctx: dict[str, list[Entity]]) -> Entity:
    noun, industry, product, earliest = r.choice(COMPANY_LINES)
    hq = r.choice(sorted(CITIES))
    founded = _year(r, earliest, 2012)
    return {
        "name": n.custom(lambda: f"{_join(r.choice(PLACE_HEADS), r.choice(PLACE_TAILS))} {noun}"),
        "founder": n.person(),
        "founded": founded,
        "hq": hq,
        "hq_country": CITIES[hq],
        "industry": industry,
        "product": product,
        "employees": nice(r.randint(120, 48_000)),
        "acquired": n.custom(lambda: f"{r.choice(WORD_HEADS)}{r.choice(WORD_TAILS)} {noun}"),
        "acq_year": r.randint(founded + 5, 2023),
        "plants": r.randint(3, 9),
    }


def make_scientist(r: random.Random, n: Names, ctx: dict[str, list[Entity]]) -> Entity:
    name = n.person()
    field = r.choice(sorted(SCIENCE_FIELDS))
    city = r.choice(sorted(CITIES))
    born = _year(r, 1890, 1985)
    institution = r.choice(("University of {p}", "{p} Institute of Technology"))
    return {
        "name": name,
        "born": born,
        "born_city": city,
        "born_country": CITIES[city],
        "field": field,
        "field_hyper": SCIENCE_FIELDS[field],
        "known_for": r.choice(KNOWN_FOR).format(s=name.split()[-1]),
        "institution": institution.format(p=n.place()),
        # A medal named after its own recipient would read oddly.
        "award": f"{n.custom(lambda: _other_surname(n, name))} Medal",
        "award_year": min(2023, born + r.randint(30, 60)),
        "student": n.person(),
        "papers": r.randint(40, 400),
    }


def make_club(r: random.Random, n: Names, ctx: dict[str, list[Entity]]) -> Entity:
    # One club per town keeps club names unique within and across splits.
    town = ctx["town"][len(ctx["club"])]["name"]
    founded = _year(r, 1870, 1990)
    score_w = r.randint(2, 5)
    return {
        "name": r.choice(CLUB_FORMS).format(t=town),
        "city": town,
        "sport": r.choice(SPORTS),
        "founded": founded,
        "stadium": f"{n.word()} {r.choice(('Park', 'Arena', 'Ground', 'Stadium'))}",
        "capacity": nice(r.randint(3_000, 45_000)),
        "titles": r.randint(3, 14),
        "coach": n.person(),
        "rival": "",
        "final_year": r.randint(founded + 10, 2022),
        "score_w": score_w,
        "score_l": r.randint(0, score_w - 1),
    }


def make_bridge(r: random.Random, n: Names, ctx: dict[str, list[Entity]]) -> Entity:
    town = r.choice(ctx["town"])
    return {
        "name": n.custom(
            lambda: (
                f"{r.choice(WORD_HEADS)}{r.choice(WORD_TAILS)} "
                + r.choice(("Bridge", "Viaduct", "Crossing"))
            )
        ),
        "city": town["name"],
        "river": town["river"],
        "length": nice(r.randint(80, 2400)),
        "opened": _year(r, 1850, 2020),
        "designer": n.person(),
        "btype": r.choice(BRIDGE_TYPES),
        "lanes": r.randint(2, 6),
        "spans": r.randint(2, 12),
    }


def make_ship(r: random.Random, n: Names, ctx: dict[str, list[Entity]]) -> Entity:
    stype = r.choice(SHIP_TYPES)
    prefix = "RV" if stype == "research vessel" else "MV"
    return {
        "name": n.custom(lambda: f"{prefix} {r.choice(SHIP_ADJ)} {r.choice(SHIP_NOUN)}"),
        "stype": stype,
        "launched": _year(r, 1950, 2021),
        "yard": f"{n.word()} Shipyard",
        "length": r.randint(40, 260),
        "port": r.choice(ctx["town"])["name"],
        "captain": n.person(),
        "crew": r.randint(12, 90),
    }


def make_species(r: random.Random, n: Names, ctx: dict[str, list[Entity]]) -> Entity:
    group = r.choice(sorted(SPECIES_GROUPS))
    cls, (lo, hi), diets = SPECIES_GROUPS[group]
    name = n.custom(
        lambda: (
            f"{r.choice(GENUS_HEADS)}{r.choice(GENUS_TAILS)} "
            f"{r.choice(WORD_HEADS).lower()}{r.choice(('ensis', 'i', 'ana'))}"
        )
    )
    return {
        "name": name,
        "group": group,
        "cls": cls,
        "region": f"{n.word()} {r.choice(('Uplands', 'Valley', 'Marshes', 'Highlands'))}",
        "length": r.randint(lo, hi),
        "diet": r.choice(diets),
        "describer": n.person(),
        "described": _year(r, 1820, 2019),
    }


def make_novel(r: random.Random, n: Names, ctx: dict[str, list[Entity]]) -> Entity:
    def make_title() -> str:
        if r.random() < 0.5:
            return f"The {r.choice(NOVEL_ADJ)} {r.choice(NOVEL_NOUN)}"
        noun = r.choice(NOVEL_NOUN)
        article = "An" if noun[0] in "AEIOU" else "A"
        return f"{article} {noun} in {_join(r.choice(PLACE_HEADS), r.choice(PLACE_TAILS))}"

    title = n.custom(make_title)
    return {
        "name": title,
        "author": n.person(),
        "year": _year(r, 1890, 2021),
        "setting": r.choice(ctx["town"])["name"],
        "pages": r.randint(140, 920),
        "publisher": f"{n.word()} Press",
        "protagonist": n.person(),
        "prize": f"{n.custom(n.surname)} Prize",
    }


def make_election(r: random.Random, n: Names, ctx: dict[str, list[Entity]]) -> Entity:
    town = ctx["town"][len(ctx["election"])]["name"]
    year = _year(r, 1990, 2022)
    return {
        "name": f"{year} {town} mayoral election",
        "office": f"mayor of {town}",
        "place": town,
        "year": year,
        "winner": n.person(),
        "loser": n.person(),
        "wshare": r.randint(51, 74),
        "turnout": r.randint(38, 86),
    }


def make_treaty(r: random.Random, n: Names, ctx: dict[str, list[Entity]]) -> Entity:
    river = r.choice(ctx["river"])["name"]
    return {
        "name": r.choice(TREATY_FORMS).format(w=n.word()),
        "year": _year(r, 1650, 1950),
        "city": n.place(),
        "a": r.choice(POLITY_FORMS).format(p=n.word()),
        "b": r.choice(POLITY_FORMS).format(p=n.word()),
        "subject": r.choice(TREATY_SUBJECTS).format(w=n.word(), r=river),
        "duration": r.randint(10, 50),
    }


def make_mountain(r: random.Random, n: Names, ctx: dict[str, list[Entity]]) -> Entity:
    country = r.choice(sorted(COUNTRIES))
    return {
        "name": n.custom(
            lambda: r.choice(("Mount {w}", "{w} Peak", "{w}horn")).format(
                w=r.choice(WORD_HEADS) + r.choice(WORD_TAILS)
            )
        ),
        "height": r.randint(1_200, 6_900),
        "range": f"{n.word()} Range",
        "country": country,
        "continent": COUNTRIES[country],
        "ascent": _year(r, 1820, 1990),
        "climber": n.person(),
    }


def make_product(r: random.Random, n: Names, ctx: dict[str, list[Entity]]) -> Entity:
    ptype = r.choice(sorted(PRODUCT_TYPES))
    hyper, (wlo, whi), (plo, phi) = PRODUCT_TYPES[ptype]
    return {
        "name": n.custom(lambda: f"{r.choice(PRODUCT_WORDS)} {r.randint(2, 90)}"),
        "company": r.choice(ctx["company"])["name"],
        "ptype": ptype,
        "phyper": hyper,
        "year": _year(r, 2005, 2023),
        "price": nice(r.randint(plo, phi), 2),
        "weight": nice(r.randint(wlo, whi), 2),
    }


# Order matters: later kinds refer to towns, rivers and companies of the same split.
MAKERS: dict[str, Callable[[random.Random, Names, dict[str, list[Entity]]], Entity]] = {
    "river": make_river,
    "town": make_town,
    "company": make_company,
    "scientist": make_scientist,
    "club": make_club,
    "bridge": make_bridge,
    "ship": make_ship,
    "species": make_species,
    "novel": make_novel,
    "election": make_election,
    "treaty": make_treaty,
    "mountain": make_mountain,
    "product": make_product,
}


def make_world(r: random.Random, names: Names, size: int) -> dict[str, list[Entity]]:
    """All entities of one split: `size` per kind, with internal cross-references."""
    ctx: dict[str, list[Entity]] = {kind: [] for kind in MAKERS}
    for kind, make in MAKERS.items():
        for _ in range(size):
            ctx[kind].append(make(r, names, ctx))
    clubs = ctx["club"]
    for i, club in enumerate(clubs):
        club["rival"] = clubs[(i + 1) % len(clubs)]["name"]
    return ctx
