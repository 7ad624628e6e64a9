"""Premise/hypothesis templates of the NLI starter dataset, grouped by phenomenon.

Placeholders use str.format attribute syntax on three entities of one kind: `e` (the
subject), `o` and `p` (others of the same kind in the same split). Attribute names come
from nli_facts; suffixes derive values (see `View` in make_nli_dataset.py):
  _alt  a different value of the same field      _lo / _hi  a smaller / larger value
  _dec  decade ("1870s")   _cent  century         _w  number in words   _a  with a/an
  _few / _most  a count below / above half of the value   _cap  capitalised
`order="f"` sorts e > o > p by field f ("-f": ascending); `differ` lists fields that
must differ between e and the others. Template ids are assigned in list order, so new
templates go at the end of their phenomenon's list.

Single templates (PHENOMENA) have one hypothesis and a fixed label. Minimal-pair frames
(MINIMAL) have one premise and three hypotheses, entailed / neutral / contradicted, that
differ only in the decisive detail (a figure, a year, an entity, a negation, a direction, a
role order), so the label cannot be read off the hypothesis style. A frame yields three
templates `<short>-mNNe`, `-mNNn` and `-mNNc` that always share a split.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

E, N, C = "entailment", "neutral", "contradiction"


@dataclass(frozen=True)
class Template:
    tid: str
    phenomenon: str
    label: str
    kind: str
    premise: str
    hypothesis: str
    order: str | None = None
    differ: tuple[str, ...] = ()
    frame: str = ""  # templates of one frame share a split; a single template is its own


Row = tuple[Any, ...]  # (label, kind, premise, hypothesis[, order[, differ]])
Frame = tuple[Any, ...]  # (kind, premise, entailed, neutral, contradicted[, order[, differ]])

PHENOMENA: dict[str, list[Row]] = {}

# Data tables: one (label, kind, premise, hypothesis) row per template.
# fmt: off

PHENOMENA["paraphrase"] = [
    (E, "town", "{e.name} is a market town on the {e.river} in the {e.region} district of "
     "{e.country}. It received its charter in {e.founded}.",
     "The town of {e.name} lies on the banks of the {e.river}."),
    (E, "company", "{e.name} was established in {e.founded} by {e.founder}, who ran the "
     "business for more than twenty years.", "{e.founder} is the founder of {e.name}."),
    (E, "scientist", "{e.name}, a specialist in {e.field}, was born in {e.born_city} in "
     "{e.born} and has spent most of their career at the {e.institution}.",
     "{e.born_city} is the birthplace of {e.name}."),
    (E, "bridge", "The {e.name}, {e.btype_a} bridge with {e.lanes_w} traffic lanes, carries "
     "road traffic over the {e.river} at {e.city}.", "The {e.name} spans the {e.river}."),
    (E, "novel", "{e.name}, a novel by {e.author} published in {e.year}, is set in the river "
     "town of {e.setting}.", "{e.author} wrote {e.name}."),
    (E, "species", "{e.name} feeds mainly on {e.diet} and is found nowhere outside the "
     "{e.region}.", "{e.name} is endemic to the {e.region}."),
    (E, "ship", "Launched at the {e.yard} in {e.launched}, {e.name} has operated as "
     "{e.stype_a} out of {e.port} ever since.", "{e.name} was built at the {e.yard}."),
    (E, "election", "In the {e.year} election for {e.office}, {e.winner} received "
     "{e.wshare}% of the vote and took office the following month.",
     "{e.winner} was elected {e.office} in {e.year}."),
    (C, "club", "{e.name} plays its home matches at {e.stadium}, a ground with room for "
     "{e.capacity:,} spectators.", "{e.name} has never played a home match at {e.stadium}."),
    (N, "mountain", "{e.name} rises to {e.height:,} metres in the {e.range} of {e.country}.",
     "{e.name} is the most frequently climbed summit in the {e.range}."),
    (E, "product", "Released by {e.company} in {e.year}, the {e.name} is {e.ptype_a} "
     "weighing {e.weight:,} grams.", "The {e.name} was brought to market by {e.company}."),
    (E, "treaty", "The {e.name} was signed at {e.city} in {e.year} by envoys of the {e.a} "
     "and the {e.b}.",
     "Representatives of the {e.a} and the {e.b} put their signatures to the {e.name}."),
    (E, "river", "The {e.name} rises in the {e.source} and runs for {e.length:,} km before "
     "it drains into {e.mouth}.", "The {e.name} empties into a lake, not into the sea."),
    (N, "scientist", "{e.name} received the {e.award} in {e.award_year} for work on "
     "{e.known_for}.", "{e.name} was the first person ever to receive the {e.award}."),
    (C, "town", "{e.name} has been governed by {e.mayor} since winning the {e.census} local "
     "elections.", "{e.mayor} lost the {e.census} local elections in {e.name}."),
    (C, "novel", "{e.name}, published in {e.year}, is the third novel by {e.author}.",
     "{e.author} is not the author of {e.name}."),
]

PHENOMENA["restatement"] = [
    (E, "town", "{e.name} has been the seat of the {e.region} district since {e.founded}. "
     "Its main employer is the {e.industry} industry.",
     "{e.name} has been the seat of the {e.region} district since {e.founded}."),
    (E, "company", "{e.name} is headquartered in {e.hq}. It employs about {e.employees:,} "
     "people and makes {e.product}.", "{e.name} makes {e.product}."),
    (E, "mountain", "{e.name} was first climbed in {e.ascent} by a party led by "
     "{e.climber}.", "{e.name} was first climbed in {e.ascent}."),
    (E, "ship", "{e.name} carries a crew of {e.crew} and is registered in {e.port}.",
     "{e.name} is registered in {e.port}."),
    (C, "novel", "{e.name} runs to {e.pages} pages. It won the {e.prize} a year after "
     "publication.", "{e.name} runs to {e.pages_alt} pages."),
    (N, "bridge", "The {e.name} was designed by {e.designer} and opened in {e.opened}.",
     "The {e.name}, designed by {e.designer}, opened in {e.opened} after a public "
     "competition."),
    (E, "species", "{e.name} was formally described in {e.described} by {e.describer}. It "
     "is {e.group_a} of the {e.region}.",
     "{e.name} was formally described in {e.described} by {e.describer}."),
    (E, "club", "{e.name} is coached by {e.coach}. The club was founded in {e.founded}.",
     "{e.name} was founded in {e.founded}."),
    (C, "election", "Turnout in the {e.year} contest for {e.office} was {e.turnout}%. "
     "{e.winner} won the seat.",
     "Turnout in the {e.year} contest for {e.office} was {e.turnout_alt}%."),
    (E, "scientist", "{e.name} has written more than {e.papers_lo} research papers, most of "
     "them on {e.field}.", "Most of {e.name}'s research papers are on {e.field}."),
    (N, "treaty", "The {e.name} settled {e.subject}.",
     "The {e.name} settled {e.subject} after a decade of dispute."),
    (E, "river", "Because of its {e.dams_w} dams, the {e.name} is not navigable by cargo "
     "barges.", "The {e.name} is not navigable by cargo barges."),
    (C, "product", "The {e.name} went on sale in {e.year} at a price of {e.price:,} euros.",
     "The {e.name} went on sale in {e.year_alt}."),
    (N, "town", "{e.name} does not have a railway station. The nearest one is in {o.name}.",
     "{e.name} does not have a railway station or a bus terminal."),
    (C, "company", "{e.name} is headquartered in {e.hq}. It makes {e.product}.",
     "{e.name} does not make {e.product}."),
]

PHENOMENA["negation"] = [
    (C, "town", "{e.name}, a town of {e.pop:,} people, lies on the {e.river}.",
     "{e.name} does not lie on the {e.river}."),
    (E, "company", "{e.name} has never been listed on a stock exchange and remains owned by "
     "the family of {e.founder}.", "Shares in {e.name} are not traded on any stock exchange."),
    (C, "bridge", "The {e.name} is often credited to {e.designer_alt}, who in fact had no "
     "part in it; the plans were drawn by {e.designer}.", "{e.designer_alt} designed the "
     "{e.name}."),
    (N, "species", "{e.name} feeds mainly on {e.diet}. It is {e.group_a} of the {e.region}.",
     "{e.name} is not active during the day."),
    (E, "mountain", "{e.name} remained unclimbed until {e.ascent}, when {e.climber} reached "
     "the summit.", "No one had reached the top of {e.name} before {e.ascent}."),
    (C, "club", "{e.name} has won the national {e.sport} title {e.titles_w} times.",
     "{e.name} has never won the national {e.sport} title."),
    (E, "scientist", "{e.name} declined the {e.award} when it was offered in "
     "{e.award_year}.", "{e.name} did not accept the {e.award}."),
    (C, "novel", "{e.author} did not live to see {e.name} in print; the novel appeared "
     "posthumously in {e.year}.", "{e.author} saw {e.name} published."),
    (N, "ship", "{e.name} is {e.stype_a} based in {e.port}.",
     "{e.name} has not left {e.port} since {e.launched_hi}."),
    (E, "election", "{e.loser} did not win the {e.year} election for {e.office}; the seat "
     "went to {e.winner}.", "{e.winner} won the {e.year} election for {e.office}."),
    (C, "product", "The {e.name} does not have a user-replaceable battery.",
     "Owners of the {e.name} can replace its battery themselves."),
    (N, "treaty", "The {e.name} was signed at {e.city} in {e.year} by the {e.a} and the {e.b}, "
     "but the {e.b} never ratified it.",
     "The {e.a} did not ratify the {e.name} either."),
    (E, "river", "No part of the {e.name} lies outside {e.country}.",
     "The {e.name} flows entirely within {e.country}."),
    (C, "town", "Unlike most towns of its size, {e.name} has no university.",
     "{e.name} is home to a university."),
    (N, "company", "{e.name} does not sell its {e.product} outside {e.hq_country}.",
     "{e.name} does not sell its {e.product} online."),
]

PHENOMENA["numbers"] = [
    (E, "town", "At the {e.census} census, {e.name} had {e.pop:,} inhabitants.",
     "{e.name} had more than {e.pop_lo:,} inhabitants in {e.census}."),
    (C, "town", "{e.name}, which counted {e.pop:,} residents in {e.census}, is the main "
     "settlement of the {e.region} district.", "{e.name} counted {e.pop_alt:,} residents in "
     "{e.census}."),
    (E, "river", "The {e.name} is {e.length:,} km long and drains a wide valley.",
     "The {e.name} has a length of {e.length:,} kilometres."),
    (C, "company", "{e.name} employs {e.employees:,} people across its sites.",
     "{e.name} has more than {e.employees_hi:,} employees."),
    (N, "town", "More than {e.pop_lo:,} people live in {e.name}.",
     "{e.name} has {e.pop:,} inhabitants."),
    (E, "mountain", "{e.name} reaches a height of {e.height:,} metres.",
     "{e.name} is not higher than {e.height_hi:,} metres."),
    (C, "bridge", "The {e.name} has a total length of {e.length:,} metres.",
     "The {e.name} is less than {e.length_lo:,} metres long."),
    (E, "club", "{e.stadium}, the home of {e.name}, has a capacity of {e.capacity:,}.",
     "{e.stadium} holds fewer than {e.capacity_hi:,} spectators."),
    (N, "ship", "{e.name}, {e.stype_a} registered in {e.port}, has a crew of {e.crew}.",
     "{e.name} has berths for more than {e.crew_hi} people."),
    (C, "ship", "{e.name} sails with a crew of {e.crew}.",
     "{e.name} does not sail with more than {e.crew_lo} crew members."),
    (E, "product", "The {e.name} was priced at {e.price:,} euros at launch.",
     "At launch the {e.name} cost {e.price:,} euros."),
    (N, "election", "{e.winner} took {e.wshare}% of the vote in the {e.year} election for "
     "{e.office}.", "Turnout in the {e.year} election for {e.office} exceeded {e.turnout_lo}%."),
    (C, "species", "An adult {e.name} measures about {e.length} centimetres.",
     "{e.name} typically grows to about {e.length_alt} centimetres."),
    (E, "treaty", "The {e.name} was concluded for a term of {e.duration} years.",
     "The {e.name} was meant to last {e.duration_w} years."),
    (C, "scientist", "{e.name} has published {e.papers} papers.",
     "{e.name} has published fewer than {e.papers_lo} papers."),
    (E, "company", "{e.name} operates {e.plants_w} factories.",
     "{e.name} does not run more than {e.plants_w} factories."),
    (C, "town", "{e.name} had {e.pop:,} inhabitants at the {e.census} census.",
     "{e.name} did not have more than {e.pop_lo:,} inhabitants in {e.census}."),
]

PHENOMENA["dates"] = [
    (E, "town", "{e.name} received its town charter in {e.founded}.",
     "{e.name} became a chartered town in the {e.founded_dec}."),
    (C, "company", "{e.founder} set up {e.name} in {e.hq} in {e.founded}.",
     "{e.name} was founded in {e.founded_alt}."),
    (E, "bridge", "The {e.name} opened to traffic in {e.opened}.",
     "The {e.name} was open to traffic before {e.opened_hi}."),
    (C, "scientist", "{e.name} was born in {e.born_city} in {e.born}.",
     "{e.name} was born after {e.born_hi}."),
    (E, "novel", "First published in {e.year}, {e.name} is {e.author}'s best-known book.",
     "{e.name} first appeared in the {e.year_cent}."),
    (N, "ship", "{e.name} was launched at the {e.yard} in {e.launched}.",
     "{e.name} entered service in {e.launched}."),
    (E, "mountain", "{e.name} was first climbed in {e.ascent} by {e.climber}.",
     "{e.name} had not been climbed before {e.ascent_lo}."),
    (C, "treaty", "The {e.name} was signed in the spring of {e.year}.",
     "The {e.name} was signed in the {e.year_alt_dec}."),
    (N, "election", "The {e.year} election for {e.office} was won by {e.winner} with "
     "{e.wshare}% of the vote.",
     "{e.winner} served as {e.office} until {e.year_hi}."),
    (E, "club", "{e.name} was founded on {e.day} {e.month} {e.founded}.",
     "{e.name} was founded in {e.month} {e.founded}."),
    (N, "club", "{e.name}, the {e.sport} club of {e.city}, was founded in {e.founded}.",
     "{e.name} was founded in {e.month} {e.founded}."),
    (C, "species", "{e.name} was first described in {e.described}.",
     "{e.name} was not described until after {e.described_hi}."),
    (E, "product", "The {e.name} went on sale in {e.month} {e.year}.",
     "The {e.name} could be bought before the end of {e.year}."),
    (C, "town", "{e.name} was founded in {e.founded}.",
     "{e.name} was founded before {e.founded_lo}."),
    (N, "company", "{e.name} was founded in {e.founded}.",
     "{e.name} has been based in {e.hq} since {e.founded}."),
    (C, "bridge", "The {e.name} was opened in {e.opened} by the mayor of {e.city}.",
     "The {e.name} did not open until after {e.opened_hi}."),
]

PHENOMENA["entity_swap"] = [
    (C, "town", "{e.name} is governed by mayor {e.mayor}, who was first elected in "
     "{e.census}.", "The mayor of {e.name} is {e.mayor_alt}."),
    (C, "company", "{e.name}, headquartered in {e.hq}, makes {e.product}.",
     "{e.name} has its headquarters in {e.hq_alt}."),
    (E, "company", "The head office of {e.name} is in {e.hq}, where the company was "
     "founded in {e.founded}.", "{e.name} is based in {e.hq}."),
    (N, "bridge", "The {e.name}, which crosses the {e.river} at {e.city}, was designed by "
     "{e.designer}.",
     "The {o.name} was designed by {e.designer}."),
    (C, "novel", "{e.name} was written by {e.author} and published by {e.publisher}.",
     "{e.author_alt} is the author of {e.name}."),
    (C, "bridge", "The {e.name} crosses the {e.river} at {e.city}.",
     "The {e.name} crosses the {e.river_alt}."),
    (N, "club", "{e.name}, the {e.sport} club of {e.city}, was founded in {e.founded}.",
     "{o.name} was founded in {e.founded}."),
    (C, "mountain", "{e.name} lies in the {e.range} of {e.country}.",
     "{e.name} is part of the {e.range_alt}."),
    (E, "ship", "{e.name} is under the command of {e.captain}.",
     "{e.captain} is the captain of {e.name}."),
    (C, "election", "{e.winner} won the {e.year} election for {e.office}.",
     "The {e.year} election for {e.office} was won by {e.winner_alt}."),
    (N, "species", "{e.name} is found only in the {e.region}, where it feeds on {e.diet}.",
     "{o.name} is found in the {e.region}."),
    (C, "treaty", "The {e.name} was signed in {e.city} in {e.year}.",
     "The {e.name} was signed in {e.city_alt}."),
    (C, "product", "The {e.name} is made by {e.company}.",
     "The {e.name} is a product of {e.company_alt}."),
    (E, "scientist", "{e.name} was born in {e.born_city}, not in {e.born_city_alt} as some "
     "sources state.", "{e.name} was not born in {e.born_city_alt}."),
    (C, "bridge", "The {e.name} was designed by {e.designer}, not by {e.designer_alt}.",
     "The {e.name} was not designed by {e.designer}."),
]

PHENOMENA["comparative"] = [
    (E, "river", "The {e.name} is {e.length:,} km long, while the {o.name} measures "
     "{o.length:,} km.", "The {e.name} is longer than the {o.name}.", "length"),
    (C, "mountain", "{o.name} rises to {o.height:,} metres. {e.name}, further along the "
     "ridge, reaches {e.height:,} metres.", "{o.name} is higher than {e.name}.", "height"),
    (E, "town", "{e.name} has {e.pop:,} inhabitants; neighbouring {o.name} has {o.pop:,}.",
     "{o.name} is not as populous as {e.name}.", "pop"),
    (N, "bridge", "The {e.name}, which opened in {e.opened}, is {e.length:,} metres long.",
     "The {e.name} is longer than the {o.name}."),
    (C, "company", "{e.name} employs {e.employees:,} people, compared with "
     "{o.employees:,} at {o.name}.", "{o.name} has a larger workforce than {e.name}.",
     "employees"),
    (E, "club", "{e.name} was founded in {e.founded} and {o.name} in {o.founded}.",
     "{o.name} is a younger club than {e.name}.", "-founded"),
    (C, "ship", "At {e.length} metres, {e.name} is longer than {o.name}, which measures "
     "{o.length} metres.", "{e.name} is shorter than {o.name}.", "length"),
    (E, "novel", "{e.name} runs to {e.pages} pages, {o.name} to {o.pages}.",
     "{o.name} has fewer pages than {e.name}.", "pages"),
    (N, "scientist", "{e.name} was born in {e.born_city} in {e.born}.",
     "{e.name} is older than {o.name}."),
    (C, "club", "{e.name} has won the national title {e.titles_w} times and {o.name} "
     "{o.titles_w} times.", "{o.name} has won more national titles than {e.name}.",
     "titles"),
    (E, "product", "The {e.name} weighs {e.weight:,} grams, while the {o.name} weighs "
     "{o.weight:,} grams.", "The {o.name} is lighter than the {e.name}.", "weight"),
    (C, "species", "{e.name} reaches {e.length} cm in length, {o.name} only {o.length} cm.",
     "{o.name} grows longer than {e.name}.", "length"),
    (N, "mountain", "{e.name}, at {e.height:,} metres, is higher than {o.name}.",
     "{o.name} is not higher than {p.name}.", "height"),
    (E, "election", "{e.winner} won {e.wshare}% of the vote in {e.place}, and {o.winner} "
     "won {o.wshare}% in {o.place}.",
     "{o.winner} won a smaller share of the vote than {e.winner}.", "wshare"),
    (C, "river", "The {e.name} ({e.length:,} km) is longer than the {o.name} "
     "({o.length:,} km).", "The {e.name} is not longer than the {o.name}.", "length"),
]

PHENOMENA["superlative"] = [
    (E, "mountain", "The three main summits of the area are {o.name} ({o.height:,} m), "
     "{e.name} ({e.height:,} m) and {p.name} ({p.height:,} m).",
     "{e.name} is the highest of the three summits.", "height"),
    (C, "river", "Three rivers meet near the border: the {p.name} ({p.length:,} km), the "
     "{e.name} ({e.length:,} km) and the {o.name} ({o.length:,} km).",
     "The {p.name} is the longest of the three rivers.", "length"),
    (E, "club", "{p.name} ({p.founded}), {e.name} ({e.founded}) and {o.name} ({o.founded}) "
     "were the founding members of the league.",
     "Of the three founding members, {e.name} is the oldest club.", "-founded"),
    (N, "town", "With {e.pop:,} inhabitants, {e.name} is the largest town in the {e.region} "
     "district.",
     "{e.name} is the largest town in {e.country}."),
    (E, "town", "{e.name} is the largest town in the {e.region} district, ahead of "
     "{o.name}.", "{o.name} is not the largest town in the {e.region} district."),
    (C, "company", "The three largest employers in the district are {o.name} "
     "({o.employees:,} staff), {p.name} ({p.employees:,}) and {e.name} ({e.employees:,}).",
     "{o.name} is the biggest employer of the three.", "employees"),
    (C, "novel", "{e.name} is the longest novel {e.author} ever wrote.",
     "{e.author} wrote a novel that is longer than {e.name}."),
    (N, "bridge", "The {e.name} is the oldest bridge over the {e.river} that is still in "
     "use.", "The {e.name} is the oldest bridge in {e.city}."),
    (E, "bridge", "The {e.name} is the longest bridge in {e.city}.",
     "No bridge in {e.city} is longer than the {e.name}."),
    (C, "ship", "{e.name} is the largest vessel ever built at the {e.yard}.",
     "The {e.yard} has built a vessel larger than {e.name}."),
    (E, "election", "{e.winner} received more votes than any other candidate in the "
     "{e.year} race for {e.office}.",
     "No candidate in the {e.year} race for {e.office} won more votes than {e.winner}."),
    (C, "species", "{e.name} is the smallest {e.group} known from the {e.region}.",
     "{e.group_a_cap} smaller than {e.name} is known from the {e.region}."),
    (N, "scientist", "{e.name} is the youngest person to have received the {e.award}.",
     "{e.name} is the youngest member of staff at the {e.institution}."),
    (E, "product", "The {o.name} costs {o.price:,} euros, the {e.name} costs {e.price:,} "
     "euros and the {p.name} costs {p.price:,} euros.", "The {e.name} is the most expensive of the "
     "three.", "price"),
    (C, "mountain", "{e.name} ({e.height:,} m) is the highest of three summits above the "
     "valley; the other two are {o.name} and {p.name}.",
     "{e.name} is not the highest of the three summits."),
]

PHENOMENA["partial_support"] = [
    (N, "town", "{e.name}, {e.industry_a} town, lies on the {e.river}.",
     "{e.name} lies on the {e.river} and is the capital of the {e.region} district."),
    (E, "town", "{e.name} lies on the {e.river} and has been the capital of the {e.region} "
     "district since {e.founded}.",
     "{e.name} is on the {e.river} and serves as capital of the {e.region} district."),
    (C, "company", "{e.name}, which {e.founder} founded in {e.founded}, has its "
     "headquarters in {e.hq}.",
     "{e.founder} founded {e.name}, which is headquartered in {e.hq_alt}."),
    (N, "scientist", "{e.name}, a specialist in {e.field}, won the {e.award} in "
     "{e.award_year}.",
     "{e.name} won the {e.award} in {e.award_year} and later became director of the "
     "{e.institution}."),
    (N, "novel", "{e.name}, {e.author}'s novel set in {e.setting}, won the {e.prize}.",
     "{e.name} won the {e.prize} and was adapted for television."),
    (E, "bridge", "The {e.name}, designed by {e.designer}, is {e.btype_a} bridge over the "
     "{e.river}.", "The {e.name} is {e.btype_a} bridge designed by {e.designer}."),
    (N, "mountain", "{e.name} was first climbed in {e.ascent} by {e.climber}.",
     "{e.climber} made the first ascent of {e.name} in {e.ascent} and came down by a "
     "different route."),
    (C, "ship", "{e.name} was built at the {e.yard} and has been based in {e.port} since "
     "{e.launched}.", "{e.name} was built at the {e.yard} and is based in {e.port_alt}."),
    (N, "election", "{e.winner} was elected {e.office} in {e.year}.",
     "{e.winner} was elected {e.office} in {e.year} and did not seek a second term."),
    (E, "species", "{e.name} is endemic to the {e.region} and does not migrate.",
     "{e.name} does not migrate and lives only in the {e.region}."),
    (N, "club", "{e.name} won the {e.sport} league in {e.final_year}.",
     "{e.name} won both the league and the national cup in {e.final_year}."),
    (C, "product", "The {e.name} is {e.ptype_a} released in {e.year}.",
     "The {e.name} is {e.ptype_a} that came out in {e.year_alt}."),
    (N, "treaty", "The {e.name} was signed in {e.city} in {e.year} by the {e.a} and the {e.b}.",
     "The {e.name} was signed in {e.city} and ratified the same year."),
    (E, "river", "The {e.name} rises in the {e.source} and flows into {e.mouth}.",
     "The {e.name} flows from the {e.source} to {e.mouth}."),
    (C, "company", "{e.name} was founded in {e.founded} and is based in {e.hq}.",
     "{e.name} was founded in {e.founded} and is not based in {e.hq}."),
]

PHENOMENA["lexical_overlap"] = [
    (N, "company", "{e.founder} founded {e.name} in {e.hq} in {e.founded}.",
     "{e.founder} was born in {e.hq}."),
    (N, "bridge", "{e.designer} designed the {e.name}, which crosses the {e.river} at "
     "{e.city}.", "{e.designer} lives in {e.city}, near the {e.river}."),
    (N, "novel", "{e.author}'s novel {e.name} is set in {e.setting} and follows "
     "{e.protagonist}, a ferry pilot.", "{e.author} lived in {e.setting} while writing "
     "{e.name}."),
    (N, "scientist", "{e.name} supervised the doctoral work of {e.student} at the "
     "{e.institution}.", "{e.student} now leads the {e.institution}."),
    (N, "club", "{e.name} beat {e.rival} {e.score_w}-{e.score_l} at {e.stadium} in "
     "{e.final_year}.", "{e.rival} plays its home matches at {e.stadium}."),
    (N, "town", "Spring floods on the {e.river} regularly reach the {e.industry} works of "
     "{e.name}.", "The {e.industry} works of {e.name} pollute the {e.river}."),
    (E, "ship", "Ships built at the {e.yard} include {e.name}, {e.stype_a} launched in "
     "{e.launched}.", "{e.name} was launched in {e.launched}."),
    (N, "election", "{e.winner} defeated {e.loser} to become {e.office} in {e.year}.",
     "{e.loser} became {e.office} after {e.year}."),
    (N, "mountain", "{e.climber} reached the summit of {e.name} in {e.ascent} by the "
     "northern ridge of the {e.range}.", "{e.climber} was born in the {e.range}."),
    (N, "species", "{e.describer} described {e.name} from specimens collected in the "
     "{e.region}.", "{e.describer} collected the first specimens of {e.name} in the "
     "{e.region}."),
    (N, "product", "The {e.name}, {e.ptype_a} made by {e.company}, won a design award in "
     "{e.year}.", "{e.company} won a design award in {e.year}."),
    (E, "river", "The {e.tributary} joins the {e.name} a few kilometres before it reaches "
     "{e.mouth}.", "The {e.tributary} is a tributary of the {e.name}."),
    (N, "treaty", "The {e.name}, signed in {e.city}, ended a trade war between the {e.a} "
     "and the {e.b}.", "The {e.a} started a trade war with the {e.b}."),
    (E, "town", "{e.mayor}, the mayor of {e.name}, opened the town's new bridge over the "
     "{e.river} in {e.census}.", "{e.name} has a bridge over the {e.river}."),
    (C, "ship", "Ships built at the {e.yard} include {e.name}, launched in {e.launched}.",
     "{e.name} was not built at the {e.yard}."),
]

PHENOMENA["same_topic_unrelated"] = [
    (N, "town", "At the {e.census} census, {e.name} had {e.pop:,} inhabitants.",
     "{e.name} is governed by {e.mayor}."),
    (N, "company", "{e.name} was founded in {e.founded} by {e.founder}. It makes {e.product} "
     "and employs about {e.employees:,} people.",
     "{e.name} earns most of its revenue abroad."),
    (N, "bridge", "The {o.name} was opened in {o.opened}.",
     "The {e.name} was opened in {o.opened}."),
    (N, "river", "The {e.name} is {e.length:,} km long and rises in the {e.source}.",
     "The {e.name} freezes over in most winters."),
    (N, "scientist", "{e.name} was born in {e.born_city} in {e.born} and works in "
     "{e.field}.", "{e.name} has never won the {e.award}."),
    (N, "club", "{e.name} plays its home games at {e.stadium}, which holds {e.capacity:,} "
     "spectators.",
     "{e.name} is not coached by {e.coach_alt}."),
    (N, "ship", "{e.name} was launched at the {e.yard} in {e.launched}.",
     "{e.name} was refitted in {e.launched_hi}."),
    (N, "species", "{e.name} was described by {e.describer} in {e.described}. It feeds "
     "mainly on {e.diet}.",
     "{e.name} is listed as endangered."),
    (N, "novel", "{e.name} was published by {e.publisher} in {e.year}. It is set in "
     "{e.setting}.",
     "{e.name} has been translated into several languages."),
    (N, "mountain", "{e.name} is {e.height:,} metres high and lies in the {e.range}.",
     "{e.name} is not covered by glaciers."),
    (N, "election", "{e.winner} won the {e.year} election for {e.office} with {e.wshare}% "
     "of the vote.", "{e.winner} campaigned on housing policy."),
    (N, "product", "The {e.name} is {e.ptype_a} made by {e.company}. It went on sale in "
     "{e.year}.",
     "The {e.name} sold more than a million units in its first year."),
    (N, "treaty", "The {e.name} was signed in {e.year} and settled {e.subject}.",
     "The {e.name} was later renewed for a further term."),
    (N, "town", "{o.name} lies on the {o.river}, some distance from {e.name}.",
     "{e.name} lies on the {o.river}."),
]

PHENOMENA["hypernym"] = [
    (E, "company", "{e.name} is headquartered in {e.hq} and makes {e.product}.",
     "{e.name} is headquartered in {e.hq_country}."),
    (C, "company", "{e.name} has its head office in {e.hq}.",
     "{e.name} has its head office in {e.hq_country_alt}."),
    (N, "company", "{e.name}, a maker of {e.product}, is based in {e.hq_country}.",
     "{e.name} is based in {e.hq}."),
    (E, "town", "{e.name} is a small town in the {e.region} district of {e.country}.",
     "{e.name} is in {e.continent}."),
    (C, "town", "{e.name} is a town in {e.country}, on the {e.river}.",
     "{e.name} is located in {e.continent_alt}."),
    (E, "species", "{e.name} is {e.group_a} native to the {e.region}.",
     "{e.name} is {e.cls_a}."),
    (C, "species", "{e.name} is {e.group_a} of the {e.region}.", "{e.name} is {e.cls_alt_a}."),
    (N, "species", "{e.name} is {e.cls_a} found in the {e.region}.",
     "{e.name} is {e.group_a}."),
    (E, "product", "The {e.name} is {e.ptype_a} made by {e.company}.",
     "The {e.name} is {e.phyper_a}."),
    (C, "product", "The {e.name}, {e.ptype_a} from {e.company}, was released in {e.year}.",
     "The {e.name} is {e.ptype_alt_a}."),
    (E, "scientist", "{e.name} is a researcher in {e.field} at the {e.institution}.",
     "{e.name} works in {e.field_hyper}."),
    (N, "town", "{e.name} is a town in {e.country} with {e.pop:,} inhabitants.",
     "{e.name} is not in the {e.region} district."),
    (E, "town", "{e.name} is a market town in {e.country}.",
     "{e.name} is not in {e.continent_alt}."),
    (E, "scientist", "{e.name} was born in {e.born_city}.",
     "{e.name} was not born outside {e.born_country}."),
    (C, "mountain", "{e.name} is a peak in the {e.range} of {e.country}.",
     "{e.name} is a mountain in {e.continent_alt}."),
    (C, "species", "{e.name} is {e.group_a} living in the {e.region}.",
     "{e.name} is not {e.cls_a}."),
]

PHENOMENA["quantifier"] = [
    (E, "company", "All {e.plants_w} factories operated by {e.name} run on wind power.",
     "Every factory operated by {e.name} runs on wind power."),
    (C, "company", "Each of the {e.plants_w} factories owned by {e.name} runs on wind power.",
     "None of the factories owned by {e.name} runs on wind power."),
    (E, "company", "{e.plants_few_w_cap} of the {e.plants_w} factories run by {e.name} are "
     "in {e.hq_country}.", "Some of the factories run by {e.name} are in {e.hq_country}."),
    (C, "company", "Only {e.plants_few_w} of the {e.plants_w} factories run by {e.name} are "
     "in {e.hq_country}.", "Most of the factories run by {e.name} are in {e.hq_country}."),
    (N, "company", "{e.name} makes {e.product}. Some of its factories are in {e.hq_country}.",
     "Most of the factories of {e.name} are in {e.hq_country}."),
    (E, "company", "{e.plants_most_w_cap} of the {e.plants_w} factories operated by "
     "{e.name} are in {e.hq_country}.", "Most of the factories operated by "
     "{e.name} are in {e.hq_country}."),
    (E, "river", "None of the {e.dams_w} dams on the {e.name} generates electricity.",
     "No dam on the {e.name} produces power."),
    (C, "river", "Not one of the {e.dams_w} dams on the {e.name} produces electricity.",
     "At least one dam on the {e.name} generates electricity."),
    (N, "club", "Every player in the squad of {e.name} was born in {e.city}.",
     "{e.coach}, the coach of {e.name}, was born in {e.city}."),
    (E, "election", "{e.winner} carried every ward of {e.place} in the {e.year} election "
     "for {e.office}.", "{e.loser} did not carry a single ward of {e.place} in {e.year}."),
    (C, "town", "All {e.schools_w} schools in {e.name} teach in two languages.",
     "Only one school in {e.name} teaches in two languages."),
    (N, "town", "{e.name} has {e.pop:,} inhabitants. Some of them work in the {e.industry} "
     "industry.",
     "Most residents of {e.name} work in the {e.industry} industry."),
    (E, "ship", "Every member of the {e.crew}-strong crew of {e.name} holds an "
     "ice-navigation licence.",
     "No one in the crew of {e.name} is without an ice-navigation licence."),
    (C, "treaty", "Both the {e.a} and the {e.b} ratified the {e.name} in {e.year}.",
     "Neither signatory ratified the {e.name}."),
    (N, "species", "{e.name} is {e.group_a} described in {e.described}. Several populations "
     "live in the {e.region}.",
     "All known populations of {e.name} live in the {e.region}."),
    (C, "scientist", "None of the {e.papers} papers by {e.name} deals with {o.field}.",
     "Several of {e.name}'s papers deal with {o.field}.", None, ("field",)),
    (C, "company", "All {e.plants_w} factories of {e.name} run on wind power.",
     "Not all of the factories of {e.name} run on wind power."),
]

PHENOMENA["role_swap"] = [
    (C, "club", "{e.name} beat {e.rival} {e.score_w}-{e.score_l} in the {e.final_year} cup "
     "final.", "{e.rival} beat {e.name} in the {e.final_year} cup final."),
    (E, "club", "{e.name} defeated {e.rival} in the {e.final_year} cup final.",
     "{e.rival} lost the {e.final_year} cup final to {e.name}."),
    (C, "club", "In the {e.final_year} final, {e.rival} was beaten by {e.name}.",
     "{e.name} was beaten by {e.rival} in the {e.final_year} final."),
    (N, "club", "{e.name} defeated {e.rival} in the {e.final_year} cup final.",
     "{e.rival} beat {e.name} in a league match in {e.final_year_hi}."),
    (C, "company", "{e.name} acquired {e.acquired} in {e.acq_year}.",
     "{e.acquired} acquired {e.name} in {e.acq_year}."),
    (E, "company", "In {e.acq_year}, {e.name} bought its smaller competitor {e.acquired}.",
     "{e.acquired} was taken over by {e.name}."),
    (C, "scientist", "{e.name} supervised the doctoral thesis of {e.student}.",
     "{e.student} was {e.name}'s doctoral supervisor."),
    (E, "scientist", "{e.student} completed a doctorate under the supervision of {e.name}.",
     "{e.name} supervised {e.student}'s doctorate."),
    (C, "election", "{e.winner} defeated {e.loser} in the {e.year} race for {e.office}.",
     "{e.loser} defeated {e.winner} in the {e.year} race for {e.office}."),
    (E, "election", "{e.winner} beat {e.loser} in the {e.year} race for {e.office}.",
     "{e.loser} did not beat {e.winner} in the {e.year} race for {e.office}."),
    (C, "treaty", "Under the {e.name}, the {e.a} ceded the port of {e.city} to the {e.b}.",
     "Under the {e.name}, the {e.b} handed the port of {e.city} over to the {e.a}."),
    (C, "river", "The {e.tributary} flows into the {e.name} near its mouth.",
     "The {e.name} flows into the {e.tributary}."),
    (E, "product", "The {e.name} replaced the older {o.name} in the catalogue of "
     "{e.company}.", "The {o.name} was succeeded by the {e.name}."),
    (N, "company", "{e.name} acquired {e.acquired} in {e.acq_year}.",
     "{e.acquired} had tried to buy {e.name} before {e.acq_year}."),
    (C, "club", "{e.name} beat {e.rival} in the {e.final_year} cup final.",
     "{e.rival} did not lose the {e.final_year} cup final to {e.name}."),
]

PHENOMENA["multi_sentence"] = [
    (E, "town", "{e.name} is known for its {e.industry} works. Its old quarter was rebuilt "
     "after a fire. At the {e.census} census the town had {e.pop:,} residents.",
     "{e.name} had {e.pop:,} residents at the {e.census} census."),
    (C, "company", "{e.name} makes {e.product}. Its staff numbers about {e.employees:,}. "
     "The company has been based in {e.hq} since it was founded in {e.founded}.",
     "{e.name} was founded in {e.founded_alt}."),
    (N, "bridge", "The {e.name} is {e.btype_a} bridge. It crosses the {e.river} at "
     "{e.city}. Its designer was {e.designer}.", "The {e.name} carries a railway line."),
    (E, "scientist", "{e.name} grew up in {e.born_city}. After studying {e.field}, "
     "{e.name} joined the {e.institution}. It was there that the work on {e.known_for} "
     "was done.", "{e.name}'s work on {e.known_for} was carried out at the "
     "{e.institution}."),
    (C, "bridge", "Work on the {e.name} began after years of debate. The {e.btype} design "
     "was chosen by a city panel. The bridge finally opened to traffic in {e.opened}.",
     "The {e.name} opened to traffic in {e.opened_alt}."),
    (N, "ship", "{e.name} is {e.stype_a}. It was launched in {e.launched} at the "
     "{e.yard}. Its home port is {e.port}.",
     "{e.name} has not been sold to a foreign owner."),
    (E, "novel", "{e.author} worked as a teacher for many years. Writing in the evenings, "
     "{e.author} finished a first novel in {e.year}. That book, {e.name}, is set in "
     "{e.setting}.", "{e.name} is set in {e.setting}."),
    (C, "mountain", "{e.name} is popular with hikers in summer. Several marked routes "
     "lead to the top. The summit lies at {e.height:,} metres above sea level.",
     "The summit of {e.name} lies at {e.height_alt:,} metres."),
    (N, "species", "{e.name} is a small {e.group}. Its colouring varies by season. "
     "Specimens were first collected in the {e.region}.",
     "{e.name} is most often seen at dusk."),
    (E, "election", "Two candidates stood for {e.office} in {e.year}. {e.loser} led in "
     "early polls. The final count, however, gave {e.winner} {e.wshare}% of the vote.",
     "{e.winner} won the {e.year} race for {e.office}."),
    (C, "club", "{e.name} was founded by railway workers. The club has been coached by "
     "{e.coach} since {e.final_year}. Its home is {e.stadium}.",
     "{e.name} plays its home games at {e.stadium_alt}."),
    (N, "treaty", "The {e.name} was negotiated over three years. It was signed in "
     "{e.city}. It settled {e.subject}.", "The {e.name} was drafted by a single diplomat."),
    (E, "river", "The {e.name} rises in the {e.source}. It is fed by several streams, the "
     "largest being the {e.tributary}. Because of its {e.dams_w} dams, it is not open to "
     "shipping.", "Ships cannot travel on the {e.name}."),
    (C, "town", "{e.name} lies in the {e.region} district. Its economy rests on the "
     "{e.industry} industry. The town's mayor is {e.mayor}.",
     "{e.mayor_alt} is the mayor of {e.name}."),
    (C, "scientist", "{e.name} studied {e.field} in {e.born_city}. Several universities "
     "made offers. In the end, {e.name} accepted a post at the {e.institution}.",
     "{e.name} did not take up a post at the {e.institution}."),
]

PHENOMENA["distractor"] = [
    (C, "town", "{o.name} has {o.pop:,} inhabitants, while nearby {e.name} has {e.pop:,}.",
     "{e.name} has {o.pop:,} inhabitants.", None, ("pop",)),
    (E, "bridge", "The {o.name} was designed by {o.designer}; the {e.name}, a few "
     "kilometres away, was the work of {e.designer}.", "{e.designer} designed the {e.name}."),
    (N, "company", "{e.name} and {o.name} compete in the same market. {o.name} was founded "
     "in {o.founded} by {o.founder}.", "{e.name} was founded in {o.founded}."),
    (C, "scientist", "{o.name} was born in {o.born_city}, and {e.name} in {e.born_city}.",
     "{e.name} was born in {o.born_city}.", None, ("born_city",)),
    (E, "mountain", "{o.name} is {o.height:,} metres high. Across the valley, {e.name} "
     "reaches {e.height:,} metres.", "{e.name} is {e.height:,} metres high.", None,
     ("height",)),
    (C, "novel", "{o.name} is by {o.author}. {e.name}, published the same year, is by "
     "{e.author}.", "{o.author} wrote {e.name}."),
    (N, "species", "{o.name} lives in the {o.region}. {e.name} is a larger {e.group}.",
     "{e.name} lives in the {o.region}."),
    (E, "ship", "{o.name} is registered in {o.port}, whereas {e.name} is registered in "
     "{e.port}.", "{e.name} is not registered in {o.port}.", None, ("port",)),
    (C, "club", "{o.name} plays at {o.stadium}. Its rival {e.name} plays at {e.stadium}.",
     "{e.name} plays its home games at {o.stadium}."),
    (N, "election", "In {e.place}, {e.winner} won the {e.year} election. In {o.place}, "
     "where turnout was {o.turnout}%, {o.winner} won.",
     "Turnout in {e.place} in {e.year} was {o.turnout}%."),
    (E, "product", "The {o.name} costs {o.price:,} euros; the {e.name} costs "
     "{e.price:,} euros.", "The {e.name} is priced at {e.price:,} euros.", None, ("price",)),
    (C, "treaty", "The {o.name} dates from {o.year}. The {e.name} was signed in {e.year}.",
     "The {e.name} was signed in {o.year}.", None, ("year",)),
    (N, "river", "The {o.name} is navigable for most of its length. The {e.name} rises in "
     "the {e.source}.", "The {e.name} is not navigable."),
    (E, "town", "{o.name} is governed by {o.mayor}. In {e.name}, the mayor is {e.mayor}.",
     "{e.mayor} is the mayor of {e.name}."),
    (C, "bridge", "The {o.name} was designed by {o.designer}. The {e.name} was designed "
     "by {e.designer}.", "{e.designer} did not design the {e.name}."),
]
# Minimal-pair frames: (kind, premise, entailed, neutral, contradicted[, order[, differ]]).
MINIMAL: dict[str, list[Frame]] = {}

MINIMAL["paraphrase"] = [
    ("town", "{e.name} is a market town on the {e.river}. It received its charter in "
     "{e.founded}.", "{e.name} was granted its charter in {e.founded}.",
     "{e.name} was granted its market rights in {e.founded}.",
     "{e.name} was granted its charter in {e.founded_alt}."),
    ("company", "{e.name} was established in {e.founded} by {e.founder}.",
     "{e.name} came into being in {e.founded}.", "{e.name} went public in {e.founded}.",
     "{e.name} came into being in {e.founded_alt}."),
    ("ship", "Launched at the {e.yard} in {e.launched}, {e.name} has operated out of "
     "{e.port} ever since.", "{e.name} has always been based in {e.port}.",
     "{e.name} was designed in {e.port}.", "{e.name} has always been based in {e.port_alt}."),
    ("species", "{e.name}, {e.group_a}, feeds mainly on {e.diet} and is found nowhere "
     "outside the {e.region}.", "The {e.region} is the only place where {e.name} lives.",
     "{e.name} is the most common {e.group} in the {e.region}.",
     "The {e.region_alt} is the only place where {e.name} lives."),
    ("election", "In the {e.year} election for {e.office}, {e.winner} received {e.wshare}% "
     "of the vote.", "{e.winner} won {e.wshare} percent of the votes for {e.office} in "
     "{e.year}.", "{e.winner} won {e.wshare} percent of the votes for {e.office} in "
     "{e.year_lo}.", "{e.winner} won {e.wshare_alt} percent of the votes for {e.office} in "
     "{e.year}."),
]

MINIMAL["restatement"] = [
    ("town", "{e.name} is the seat of the {e.region} district. Its main employer is the "
     "{e.industry} industry.", "The main employer in {e.name} is the {e.industry} industry.",
     "The main employer in {e.name} is the {e.industry} industry, which pays above-average "
     "wages.", "The main employer in {e.name} is the {e.industry_alt} industry."),
    ("ship", "{e.name} carries a crew of {e.crew} and is registered in {e.port}.",
     "{e.name} carries a crew of {e.crew}.",
     "{e.name} carries a crew of {e.crew} and is registered in {e.port} for tax reasons.",
     "{e.name} carries a crew of {e.crew_alt}."),
    ("river", "The {e.name} is {e.length:,} km long and has {e.dams_w} dams.",
     "The {e.name} has {e.dams_w} dams.", "The {e.name} has {e.dams_w} dams, all built "
     "before 1950.", "The {e.name} has {e.dams_alt_w} dams."),
    ("product", "The {e.name} went on sale in {e.year} at a price of {e.price:,} euros.",
     "The {e.name} went on sale at a price of {e.price:,} euros.",
     "The {e.name} went on sale at a price of {e.price:,} euros, case included.",
     "The {e.name} went on sale at a price of {e.price_alt:,} euros."),
    ("mountain", "{e.name} was first climbed in {e.ascent} by a party led by {e.climber}.",
     "{e.name} was first climbed in {e.ascent}.",
     "{e.name} was first climbed in {e.ascent} by a party of four.",
     "{e.name} was first climbed in {e.ascent_alt}."),
]

MINIMAL["negation"] = [
    ("town", "{e.name}, a town of {e.pop:,} people, lies on the {e.river}.",
     "{e.name} lies on the {e.river}.", "{e.name} does not lie on the coast.",
     "{e.name} does not lie on the {e.river}."),
    ("company", "{e.name} has never been listed on a stock exchange.",
     "{e.name} is not listed on any stock exchange.",
     "{e.name} is not owned by its founder.", "{e.name} is listed on a stock exchange."),
    ("species", "{e.name}, {e.group_a} of the {e.region}, does not migrate.",
     "{e.name} is not a migratory {e.group}.", "{e.name} is not a protected {e.group}.",
     "{e.name} is a migratory {e.group}."),
    ("bridge", "The {e.name} does not carry trains; it is open to road traffic only.",
     "Trains do not cross the {e.name}.", "Lorries do not cross the {e.name}.",
     "Trains cross the {e.name}."),
    ("scientist", "{e.name} declined the {e.award} when it was offered in {e.award_year}.",
     "{e.name} did not accept the {e.award}.", "{e.name} did not accept the {o.award}.",
     "{e.name} accepted the {e.award}."),
]

MINIMAL["numbers"] = [
    ("town", "At the {e.census} census, {e.name} had {e.pop:,} inhabitants.",
     "{e.name} had {e.pop:,} inhabitants in {e.census}.",
     "{e.name} had {e.pop:,} inhabitants in {e.census_alt}.",
     "{e.name} had {e.pop_alt:,} inhabitants in {e.census}."),
    ("mountain", "{e.name} reaches a height of {e.height:,} metres.",
     "{e.name} is {e.height:,} metres high.", "{o.name} is {e.height:,} metres high.",
     "{e.name} is {e.height_alt:,} metres high.", None, ("height",)),
    ("company", "{e.name} employs {e.employees:,} people across its sites.",
     "{e.name} has more than {e.employees_lo:,} employees.",
     "{e.name} has more than {e.employees_lo:,} customers.",
     "{e.name} has more than {e.employees_hi:,} employees."),
    ("club", "{e.stadium}, the home of {e.name}, has a capacity of {e.capacity:,}.",
     "{e.stadium} holds fewer than {e.capacity_hi:,} spectators.",
     "{e.stadium} drew more than {e.capacity_lo:,} spectators on average last season.",
     "{e.stadium} holds fewer than {e.capacity_lo:,} spectators."),
    ("treaty", "The {e.name} was concluded for a term of {e.duration} years.",
     "The {e.name} was meant to last {e.duration_w} years.",
     "The {e.name} was renewed after {e.duration_w} years.",
     "The {e.name} was meant to last {e.duration_alt_w} years."),
]

MINIMAL["dates"] = [
    ("town", "{e.name} received its town charter in {e.founded}.",
     "{e.name} became a chartered town in the {e.founded_dec}.",
     "{e.name} built its town walls in the {e.founded_dec}.",
     "{e.name} became a chartered town in the {e.founded_alt_dec}."),
    ("bridge", "The {e.name} opened to traffic in {e.opened}.",
     "The {e.name} was open to traffic before {e.opened_hi}.",
     "The {e.name} was widened before {e.opened_hi}.",
     "The {e.name} was open to traffic before {e.opened_lo}."),
    ("scientist", "{e.name} was born in {e.born_city} in {e.born}.",
     "{e.name} was born before {e.born_hi}.", "{e.name} left {e.born_city} before "
     "{e.born_hi}.", "{e.name} was born after {e.born_hi}."),
    ("product", "The {e.name} went on sale in {e.month} {e.year}.",
     "The {e.name} could be bought before the end of {e.year}.",
     "The {e.name} was announced before the start of {e.year}.",
     "The {e.name} could be bought before the start of {e.year}."),
    ("club", "{e.name} was founded on {e.day} {e.month} {e.founded}.",
     "{e.name} was founded in {e.month} {e.founded}.",
     "{e.name} played its first match in {e.month} {e.founded}.",
     "{e.name} was founded in {e.founded_alt}."),
]

MINIMAL["entity_swap"] = [
    ("town", "{e.name} is governed by mayor {e.mayor}, who was first elected in {e.census}.",
     "The mayor of {e.name} is {e.mayor}.", "The mayor of {o.name} is {e.mayor}.",
     "The mayor of {e.name} is {e.mayor_alt}."),
    ("company", "{e.name}, headquartered in {e.hq}, makes {e.product}.",
     "{e.name} has its headquarters in {e.hq}.", "{o.name} has its headquarters in {e.hq}.",
     "{e.name} has its headquarters in {e.hq_alt}."),
    ("novel", "{e.name} was written by {e.author} and published by {e.publisher}.",
     "{e.author} is the author of {e.name}.", "{e.author} is the author of {o.name}.",
     "{e.author_alt} is the author of {e.name}."),
    ("bridge", "The {e.name} crosses the {e.river} at {e.city}.",
     "The {e.name} crosses the {e.river}.", "The {o.name} crosses the {e.river}.",
     "The {e.name} crosses the {e.river_alt}."),
    ("ship", "{e.name} is under the command of {e.captain}.",
     "{e.captain} commands {e.name}.", "{e.captain} once commanded {o.name}.",
     "{e.captain_alt} commands {e.name}."),
]

MINIMAL["comparative"] = [
    ("river", "The {e.name} is {e.length:,} km long, while the {o.name} measures "
     "{o.length:,} km.", "The {e.name} is longer than the {o.name}.",
     "The {e.name} is wider than the {o.name}.", "The {e.name} is shorter than the {o.name}.",
     "length"),
    ("mountain", "{o.name} rises to {o.height:,} metres. {e.name}, further along the ridge, "
     "reaches {e.height:,} metres.", "{e.name} is higher than {o.name}.",
     "{e.name} is steeper than {o.name}.", "{o.name} is higher than {e.name}.", "height"),
    ("town", "{e.name} has {e.pop:,} inhabitants; neighbouring {o.name} has {o.pop:,}.",
     "{o.name} has fewer inhabitants than {e.name}.",
     "{o.name} has fewer schools than {e.name}.",
     "{o.name} has more inhabitants than {e.name}.", "pop"),
    ("club", "{e.name} was founded in {e.founded} and {o.name} in {o.founded}.",
     "{e.name} is older than {o.name}.", "{e.name} is more successful than {o.name}.",
     "{e.name} is younger than {o.name}.", "-founded"),
    ("product", "The {e.name} weighs {e.weight:,} grams, while the {o.name} weighs "
     "{o.weight:,} grams.", "The {o.name} is lighter than the {e.name}.",
     "The {o.name} is cheaper than the {e.name}.", "The {o.name} is heavier than the {e.name}.",
     "weight"),
]

MINIMAL["superlative"] = [
    ("mountain", "The three main summits of the area are {o.name} ({o.height:,} m), "
     "{e.name} ({e.height:,} m) and {p.name} ({p.height:,} m).",
     "{e.name} is the highest of the three summits.",
     "{e.name} is the most climbed of the three summits.",
     "{p.name} is the highest of the three summits.", "height"),
    ("river", "Three rivers meet near the border: the {p.name} ({p.length:,} km), the "
     "{e.name} ({e.length:,} km) and the {o.name} ({o.length:,} km).",
     "The {e.name} is the longest of the three rivers.",
     "The {e.name} is the deepest of the three rivers.",
     "The {o.name} is the longest of the three rivers.", "length"),
    ("company", "The three largest employers in the district are {o.name} ({o.employees:,} "
     "staff), {p.name} ({p.employees:,}) and {e.name} ({e.employees:,}).",
     "{e.name} is the biggest employer of the three.",
     "{e.name} is the oldest employer of the three.",
     "{p.name} is the biggest employer of the three.", "employees"),
    ("club", "{p.name} ({p.founded}), {e.name} ({e.founded}) and {o.name} ({o.founded}) "
     "were the founding members of the league.",
     "Of the three founding members, {e.name} is the oldest club.",
     "Of the three founding members, {e.name} is the most successful club.",
     "Of the three founding members, {o.name} is the oldest club.", "-founded"),
    ("product", "The {o.name} costs {o.price:,} euros, the {e.name} costs {e.price:,} "
     "euros and the {p.name} costs {p.price:,} euros.",
     "The {e.name} is the most expensive of the three.",
     "The {e.name} is the most popular of the three.",
     "The {p.name} is the most expensive of the three.", "price"),
]

MINIMAL["partial_support"] = [
    ("town", "{e.name} lies on the {e.river} and has {e.schools_w} schools.",
     "{e.name} lies on the {e.river} and has {e.schools_w} schools.",
     "{e.name} lies on the {e.river} and has {e.schools_w} hospitals.",
     "{e.name} lies on the {e.river} and has {e.schools_alt_w} schools."),
    ("company", "{e.name}, which {e.founder} founded in {e.founded}, has its headquarters "
     "in {e.hq}.", "{e.founder} founded {e.name}, which is headquartered in {e.hq}.",
     "{e.founder} founded {e.name}, which has a factory in {e.hq}.",
     "{e.founder} founded {e.name}, which is headquartered in {e.hq_alt}."),
    ("ship", "{e.name} was built at the {e.yard} and has been based in {e.port} since "
     "{e.launched}.", "{e.name} was built at the {e.yard} and is based in {e.port}.",
     "{e.name} was built at the {e.yard} and is repaired in {e.port}.",
     "{e.name} was built at the {e.yard} and is based in {e.port_alt}."),
    ("product", "The {e.name} is {e.ptype_a} released in {e.year}.",
     "The {e.name} is {e.ptype_a} that came out in {e.year}.",
     "The {e.name} is {e.ptype_a} that sold out in {e.year}.",
     "The {e.name} is {e.ptype_a} that came out in {e.year_alt}."),
    ("scientist", "{e.name}, a specialist in {e.field}, won the {e.award} in "
     "{e.award_year}.", "{e.name} works on {e.field} and won the {e.award} in "
     "{e.award_year}.", "{e.name} works on {e.field} and won the {o.award} in "
     "{e.award_year}.", "{e.name} works on {e.field} and won the {e.award} in "
     "{e.award_year_alt}."),
]

MINIMAL["lexical_overlap"] = [
    ("company", "{e.founder} founded {e.name} in {e.hq} in {e.founded}.",
     "{e.name} was founded in {e.hq}.", "{e.founder} was born in {e.hq}.",
     "{e.name} was founded in {e.hq_alt}."),
    ("ship", "Ships built at the {e.yard} include {e.name}, launched in {e.launched}.",
     "{e.name} was built at the {e.yard}.", "{e.name} was repaired at the {e.yard}.",
     "{e.name} was not built at the {e.yard}."),
    ("mountain", "{e.climber} reached the summit of {e.name} in {e.ascent} by the northern "
     "ridge of the {e.range}.", "{e.climber} has reached the summit of {e.name}.",
     "{e.climber} was born in the {e.range}.",
     "{e.climber} has never reached the summit of {e.name}."),
    ("river", "The {e.tributary} joins the {e.name} a few kilometres before it reaches "
     "{e.mouth}.", "The {e.tributary} is a tributary of the {e.name}.",
     "The {e.tributary} is longer than the {e.name}.",
     "The {e.name} is a tributary of the {e.tributary}."),
    ("election", "{e.winner} defeated {e.loser} to become {e.office} in {e.year}.",
     "{e.winner} became {e.office} in {e.year}.", "{e.loser} became {e.office} after "
     "{e.year}.", "{e.loser} became {e.office} in {e.year}."),
]

MINIMAL["hypernym"] = [
    ("town", "{e.name} is a town in {e.country}.", "{e.name} is in {e.continent}.",
     "{e.name} is in the {e.region} district.", "{e.name} is in {e.continent_alt}."),
    ("species", "{e.name} is {e.group_a} native to the {e.region}.", "{e.name} is {e.cls_a}.",
     "{e.name} is {e.cls_a} that is active at night.", "{e.name} is {e.cls_alt_a}."),
    ("product", "The {e.name} is {e.ptype_a} made by {e.company}.",
     "The {e.name} is {e.phyper_a}.", "The {e.name} is the best-selling {e.phyper} made by "
     "{e.company}.", "The {e.name} is {e.phyper_alt_a}."),
    ("scientist", "{e.name} was born in {e.born_city}.", "{e.name} was born in "
     "{e.born_country}.", "{e.name} grew up in {e.born_country}.",
     "{e.name} was born in {e.born_country_alt}."),
    ("mountain", "{e.name} is a peak in the {e.range} of {e.country}.",
     "{e.name} is a mountain in {e.continent}.",
     "{e.name} is the highest mountain in {e.continent}.",
     "{e.name} is a mountain in {e.continent_alt}."),
]

MINIMAL["quantifier"] = [
    ("company", "All {e.plants_w} factories operated by {e.name} run on wind power.",
     "Every factory operated by {e.name} runs on wind power.",
     "Every office operated by {e.name} runs on wind power.",
     "None of the factories operated by {e.name} runs on wind power."),
    ("company", "{e.plants_few_w_cap} of the {e.plants_w} factories run by {e.name} are in "
     "{e.hq_country}.", "Some of the factories run by {e.name} are in {e.hq_country}.",
     "Some of the warehouses run by {e.name} are in {e.hq_country}.",
     "Most of the factories run by {e.name} are in {e.hq_country}."),
    ("river", "None of the {e.dams_w} dams on the {e.name} generates electricity.",
     "No dam on the {e.name} produces power.", "No dam on the {e.name} has a fish ladder.",
     "At least one dam on the {e.name} produces power."),
    ("town", "All {e.schools_w} schools in {e.name} teach in two languages.",
     "Every school in {e.name} teaches in two languages.",
     "Every school in {e.name} teaches music.",
     "Only one school in {e.name} teaches in two languages."),
    ("treaty", "Both the {e.a} and the {e.b} ratified the {e.name} in {e.year}.",
     "The {e.b} ratified the {e.name}.", "Both the {e.a} and the {e.b} later withdrew from "
     "the {e.name}.", "Neither the {e.a} nor the {e.b} ratified the {e.name}."),
]

MINIMAL["role_swap"] = [
    ("club", "{e.name} beat {e.rival} {e.score_w}-{e.score_l} in the {e.final_year} cup "
     "final.", "{e.rival} lost the {e.final_year} cup final to {e.name}.",
     "{e.rival} lost the {e.final_year_hi} cup final to {e.name}.",
     "{e.name} lost the {e.final_year} cup final to {e.rival}."),
    ("company", "{e.name} acquired {e.acquired} in {e.acq_year}.",
     "{e.acquired} was acquired by {e.name} in {e.acq_year}.",
     "{e.acquired} was sued by {e.name} in {e.acq_year}.",
     "{e.name} was acquired by {e.acquired} in {e.acq_year}."),
    ("scientist", "{e.name} supervised the doctoral thesis of {e.student}.",
     "{e.student} wrote a doctoral thesis under {e.name}.",
     "{e.student} wrote a master's thesis under {e.name}.",
     "{e.name} wrote a doctoral thesis under {e.student}."),
    ("river", "The {e.tributary} flows into the {e.name} near its mouth.",
     "The {e.name} receives the waters of the {e.tributary}.",
     "The {e.name} receives the waters of the {o.tributary}.",
     "The {e.tributary} receives the waters of the {e.name}."),
    ("product", "The {e.name} replaced the older {o.name} in the catalogue of {e.company}.",
     "The {o.name} was succeeded by the {e.name}.", "The {o.name} was outsold by the "
     "{e.name}.", "The {e.name} was succeeded by the {o.name}."),
]

MINIMAL["multi_sentence"] = [
    ("town", "{e.name} is known for its {e.industry} works. Its old quarter was rebuilt "
     "after a fire. At the {e.census} census the town had {e.pop:,} residents.",
     "{e.name} had {e.pop:,} residents at the {e.census} census.",
     "{e.name} had {e.pop:,} residents before the fire.",
     "{e.name} had {e.pop_alt:,} residents at the {e.census} census."),
    ("bridge", "Work on the {e.name} began after years of debate. The {e.btype} design was "
     "chosen by a city panel. The bridge finally opened to traffic in {e.opened}.",
     "The {e.name} opened to traffic in {e.opened}.",
     "The {e.name} was repainted in {e.opened_hi}.",
     "The {e.name} opened to traffic in {e.opened_alt}."),
    ("election", "Two candidates stood for {e.office} in {e.year}. {e.loser} led in early "
     "polls. The final count, however, gave {e.winner} {e.wshare}% of the vote.",
     "{e.winner} won the {e.year} race for {e.office}.",
     "{e.winner} won the {e.year_hi} race for {e.office}.",
     "{e.loser} won the {e.year} race for {e.office}."),
    ("novel", "{e.author} worked as a teacher for many years. Writing in the evenings, "
     "{e.author} finished a first novel in {e.year}. That book, {e.name}, is set in "
     "{e.setting}.", "{e.name} is set in {e.setting}.", "{e.name} was written in "
     "{e.setting}.", "{e.name} is set in {e.setting_alt}."),
    ("scientist", "{e.name} studied {e.field} in {e.born_city}. Several universities made "
     "offers. In the end, {e.name} accepted a post at the {e.institution}.",
     "{e.name} took up a post at the {e.institution}.",
     "{e.name} later took up a post at the {o.institution}.",
     "{e.name} turned down a post at the {e.institution}."),
]

MINIMAL["distractor"] = [
    ("town", "{o.name} has {o.pop:,} inhabitants, while nearby {e.name} has {e.pop:,}.",
     "{e.name} has {e.pop:,} inhabitants.", "{p.name} has {o.pop:,} inhabitants.",
     "{e.name} has {o.pop:,} inhabitants.", None, ("pop",)),
    ("mountain", "{o.name} is {o.height:,} metres high. Across the valley, {e.name} "
     "reaches {e.height:,} metres.", "{e.name} is {e.height:,} metres high.",
     "{p.name} is {o.height:,} metres high.", "{e.name} is {o.height:,} metres high.",
     None, ("height",)),
    ("scientist", "{o.name} was born in {o.born_city}, and {e.name} in {e.born_city}.",
     "{e.name} was born in {e.born_city}.", "{p.name} was born in {o.born_city}.",
     "{e.name} was born in {o.born_city}.", None, ("born_city",)),
    ("ship", "{o.name} is registered in {o.port}, whereas {e.name} is registered in "
     "{e.port}.", "{e.name} is registered in {e.port}.", "{p.name} is registered in "
     "{e.port}.", "{e.name} is registered in {o.port}.", None, ("port",)),
    ("treaty", "The {o.name} dates from {o.year}. The {e.name} was signed in {e.year}.",
     "The {e.name} was signed in {e.year}.", "The {p.name} was signed in {o.year}.",
     "The {e.name} was signed in {o.year}.", None, ("year",)),
]
# fmt: on

SHORT = {
    "paraphrase": "para",
    "restatement": "rest",
    "negation": "neg",
    "numbers": "num",
    "dates": "date",
    "entity_swap": "swap",
    "comparative": "comp",
    "superlative": "sup",
    "partial_support": "part",
    "lexical_overlap": "lex",
    "same_topic_unrelated": "unrel",
    "hypernym": "hyper",
    "quantifier": "quant",
    "role_swap": "role",
    "multi_sentence": "multi",
    "distractor": "distr",
}
# Lists whose templates count toward another phenomenon. Same-topic claims were all
# neutral; as part of lexical_overlap (claims that reuse the premise's words or topic but
# assert something else) they sit beside entailed and contradicted templates.
MERGED_INTO = {"same_topic_unrelated": "lexical_overlap"}
MARKS = {E: "e", N: "n", C: "c"}


def phenomenon_of(source: str) -> str:
    return MERGED_INTO.get(source, source)


def single_templates() -> list[Template]:
    out = []
    for source, rows in PHENOMENA.items():
        for i, row in enumerate(rows, 1):
            label, kind, premise, hyp, *rest = row
            order = rest[0] if rest else None
            differ = rest[1] if len(rest) > 1 else ()
            tid = f"{SHORT[source]}-{i:02d}"
            phen = phenomenon_of(source)
            out.append(Template(tid, phen, label, kind, premise, hyp, order, differ, tid))
    return out


def frame_templates() -> list[Template]:
    out = []
    for phen, frames in MINIMAL.items():
        for i, row in enumerate(frames, 1):
            kind, premise, ent, neu, con, *rest = row
            order = rest[0] if rest else None
            differ = rest[1] if len(rest) > 1 else ()
            frame = f"{SHORT[phen]}-m{i:02d}"
            for label, hyp in ((E, ent), (N, neu), (C, con)):
                tid = frame + MARKS[label]
                out.append(Template(tid, phen, label, kind, premise, hyp, order, differ, frame))
    return out


def all_templates() -> list[Template]:
    return single_templates() + frame_templates()
