"""The natural NLI dataset (data/nli): written files, the build, the splits."""

from __future__ import annotations

import importlib
import json
import random
import subprocess
import sys
from collections import Counter
from functools import cache
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data" / "nli"
SCRIPTS = ROOT / "scripts" / "data"


@cache
def built() -> Path:
    """data/nli, with train.jsonl rebuilt there when a fresh clone lacks it."""
    if not (DATA / "train.jsonl").exists():
        subprocess.run(
            [sys.executable, str(SCRIPTS / "build_nli_dataset.py")],
            check=True,
            capture_output=True,
            timeout=600,
        )
    return DATA


@cache
def rows(split: str) -> list[dict[str, str]]:
    path = built() / f"{split}.jsonl"
    return [json.loads(x) for x in path.read_text("utf-8").splitlines()]


def test_written_files_pass_their_checker() -> None:
    files = sorted(str(p) for p in (DATA / "written").glob("*.jsonl"))
    assert len(files) >= 30
    done = subprocess.run(
        [sys.executable, str(SCRIPTS / "check_written.py"), *files],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout[-2000:]


def test_build_is_deterministic(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, str(SCRIPTS / "build_nli_dataset.py"), "--out-dir", str(tmp_path)],
        check=True,
        capture_output=True,
        timeout=600,
    )
    for name in ("dev.jsonl", "test.jsonl", "STATS.json"):
        assert (tmp_path / name).read_bytes() == (DATA / name).read_bytes(), name
    # train.jsonl is not committed; STATS.json (compared above) records its checksum.


def test_at_least_12000_pairs_balanced_by_label_in_every_split() -> None:
    total = 0
    for split in ("train", "dev", "test"):
        labels = Counter(r["label"] for r in rows(split))
        total += sum(labels.values())
        assert max(labels.values()) - min(labels.values()) <= 0.01 * sum(labels.values()) + 2
    assert total >= 12_000


def test_splits_never_share_a_premise_and_test_is_all_written() -> None:
    premises = {s: {r["premise_id"] for r in rows(s)} for s in ("train", "dev", "test")}
    assert not premises["train"] & premises["dev"]
    assert not premises["train"] & premises["test"]
    assert {r["made"] for r in rows("test")} == {"written"}
    assert {r["made"] for r in rows("dev")} == {"written"}


def test_every_pair_says_how_it_was_made() -> None:
    domains = {r["domain"] for r in rows("train")}
    assert len(domains) >= 30
    for r in rows("train"):
        assert r["made"] in {"written", "perturbed"}
        assert r["phenomenon"] and r["domain"]
        if r["made"] == "perturbed":
            assert r["perturbation"] and r["source_id"]


def _perturb_module() -> Any:
    sys.path.insert(0, str(SCRIPTS))
    try:
        return importlib.import_module("nli_perturb")
    finally:
        sys.path.remove(str(SCRIPTS))


def test_sentence_copied_labels_an_exact_copy_as_entailed() -> None:
    perturb = _perturb_module()
    pair = {
        "id": "p-1",
        "premise": "The Forth Bridge in Scotland opened in 1890. It carries the railway "
        "across the Firth of Forth near Edinburgh.",
        "hypothesis": "The bridge is in Scotland.",
        "label": "entailment",
        "premise_id": "p",
    }
    made = list(perturb.sentence_copied(pair, random.Random(0)))
    by_label = {m["label"]: m for m in made}
    copied = "The Forth Bridge in Scotland opened in 1890."
    assert by_label["entailment"]["hypothesis"] == copied
    assert by_label["entailment"]["premise"] == pair["premise"]
    # Against the premise without that sentence, the copy is not decided.
    assert by_label["neutral"]["hypothesis"] == copied
    assert "1890" not in by_label["neutral"]["premise"]
    # With its year changed it is contradicted, and the premise is left as written.
    changed = by_label["contradiction"]["hypothesis"]
    assert changed != copied and "1890" not in changed
    assert changed.replace(changed.split()[-1], "1890.") == copied
    assert all(m["made"] == "perturbed" for m in made)
    assert {m["perturbation"] for m in made} == {"sentence_copied"}


def test_train_split_holds_exact_copies_as_entailments() -> None:
    copies = [r for r in rows("train") if r.get("perturbation") == "sentence_copied"]
    entailed = [r for r in copies if r["label"] == "entailment"]
    assert entailed and all(r["hypothesis"] in r["premise"] for r in entailed)
