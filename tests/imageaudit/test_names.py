from __future__ import annotations

import json
from pathlib import Path

import pytest
from builders import SITE, Entry, Image, Layer, file, write_docker_save

from imageaudit.cli import main


def _dist(dir_name: str, name: str | None, module: str, size: int) -> list[Entry]:
    info = f"{SITE}/{dir_name}.dist-info"
    record = f"{module}/__init__.py,,{size}\n".encode()
    entries = [file(f"{info}/RECORD", record), file(f"{SITE}/{module}/__init__.py", size)]
    if name is not None:
        entries.append(file(f"{info}/METADATA", f"Name: {name}\nVersion: 1.0\n\n".encode()))
    return entries


def _image() -> Image:
    return Image(
        [
            Layer(
                _dist("Pygments-2.17.2", "Pygments", "pygments", 500)
                + _dist("mypy_extensions-1.0.0", None, "mypy_extensions", 300)
                + _dist("Pytest_Cov-4.1.0", "Pytest_Cov", "pytest_cov", 200)
            )
        ],
        user="app",
    )


def test_json_names_are_pep503_normalised(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    archive = write_docker_save(tmp_path / "img.tar", _image())
    assert main([str(archive), "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert sorted(d["name"] for d in doc["python_dists"]) == [
        "mypy-extensions",
        "pygments",
        "pytest-cov",
    ]
    (dev,) = [f for f in doc["findings"] if f["id"] == "dev-dependencies"]
    assert dev["evidence"][0].startswith("pytest-cov 1.0 ")


def test_text_budget_and_baseline_use_normalised_names(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    archive = write_docker_save(tmp_path / "img.tar", _image())
    old = tmp_path / "old.json"
    old.write_text(
        json.dumps(
            {
                "schema_version": 1,
                "sizes": {"total": 0, "final_filesystem": 0},
                "python_dists": [{"name": "Old_Package", "size": 7}],
                "findings": [],
            }
        )
    )
    budget = tmp_path / "budget.toml"
    budget.write_text('forbidden_dists = ["pyg*"]\n')
    assert main([str(archive), "--budget", str(budget), "--baseline", str(old)]) == 1
    captured = capsys.readouterr()
    assert "python dist pygments 1.0 matches" in captured.err
    assert "pygments 1.0 (layer 0)" in captured.out
    assert "Pygments 1.0" not in captured.out
    assert "old-package (removed)" in captured.out
