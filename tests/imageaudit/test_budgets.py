from __future__ import annotations

from pathlib import Path

import pytest
from builders import PYTEST_METADATA, PYTEST_RECORD, bloated_image, write_docker_save

from imageaudit.cli import main
from imageaudit.units import format_size, parse_size

PYTEST_SIZE = 6100 + len(PYTEST_METADATA) + len(PYTEST_RECORD)


@pytest.mark.parametrize(
    "text,value",
    [
        (123, 123),
        ("60MB", 60 * 10**6),
        ("180 MiB", 180 * 2**20),
        ("1.5GB", 1_500_000_000),
        ("2 kB", 2000),
        ("3KiB", 3072),
        ("7", 7),
        ("1 GiB", 2**30),
    ],
)
def test_parse_size(text: object, value: int) -> None:
    assert parse_size(text) == value


@pytest.mark.parametrize("bad", ["ten", "-5", "5 parsecs", True, 1.5, -1])
def test_parse_size_rejects(bad: object) -> None:
    with pytest.raises(ValueError):
        parse_size(bad)


def test_format_size() -> None:
    assert [format_size(n) for n in (0, 999, 1000, 1_234_567, 8_030_000_000, -2500)] == [
        "0 B",
        "999 B",
        "1.0 kB",
        "1.2 MB",
        "8.0 GB",
        "-2.5 kB",
    ]


def _run(tmp_path: Path, toml: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, list[str]]:
    image = write_docker_save(tmp_path / "img.tar", bloated_image())
    budget = tmp_path / "budget.toml"
    budget.write_text(toml)
    rc = main([str(image), "--budget", str(budget), "--json"])
    err = capsys.readouterr().err
    return rc, err.splitlines()


def test_budget_ok(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rc, lines = _run(tmp_path, '[budget]\ntotal = "1 MB"\nlayer_max = 100000\n', capsys)
    assert (rc, lines) == (0, [])


def test_budget_breaches(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    toml = """
[budget]
total = 40000
layer_max = "16 kB"
dist_max = "6KB"
added_layers = "1 KiB"
base_layers = 1
forbidden_paths = ["/root/.cache/*", "/app/tests/*", "/nothing/*"]
forbidden_dists = ["PyTest"]
forbidden_debs = ["gcc-*"]
fail_on_severity = "critical"

[budget.dists]
pip = 100
"""
    rc, lines = _run(tmp_path, toml, capsys)
    assert rc == 1
    assert lines[0].startswith("budget breach [total]: image size is ")
    assert "limit 40.0 kB (40000 B)" in lines[0]
    assert lines[1] == (
        "budget breach [layer_max]: layer 2 (RUN pip install pytest) is "
        "17.6 kB (17597 B), limit 16.0 kB (16000 B)"
    )
    assert lines[2] == (
        "budget breach [added_layers]: added layers total 41.1 kB (41111 B), limit 1.0 kB (1024 B)"
    )
    assert [line.split("]")[0] for line in lines] == [
        "budget breach [total",
        "budget breach [layer_max",
        "budget breach [added_layers",
        "budget breach [dist",
        "budget breach [forbidden_dist",
        "budget breach [dist",
        "budget breach [forbidden_deb",
        "budget breach [forbidden_deb",
        "budget breach [forbidden_path",
        "budget breach [forbidden_path",
        "budget breach [severity",
    ]
    assert lines[3] == (
        f"budget breach [dist]: python dist pytest is "
        f"{format_size(PYTEST_SIZE)} ({PYTEST_SIZE} B), limit 6.0 kB (6000 B)"
    )
    assert lines[4] == (
        "budget breach [forbidden_dist]: python dist pytest 8.0.0 matches "
        "forbidden pattern 'PyTest'"
    )
    assert lines[8] == (
        "budget breach [forbidden_path]: 1 file(s) match forbidden path "
        "'/root/.cache/*', e.g. /root/.cache/pip/http/ab/cd"
    )
    assert lines[10] == (
        "budget breach [severity]: finding secret-files (critical) is at or above critical"
    )


def test_added_layers_needs_a_base(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    image = bloated_image()
    image.history = None  # no CMD marker, so no heuristic base
    path = write_docker_save(tmp_path / "img.tar", image)
    budget = tmp_path / "b.toml"
    budget.write_text('added_layers = "1 GB"\n')
    assert main([str(path), "--budget", str(budget), "--json"]) == 1
    assert capsys.readouterr().err == (
        "budget breach [added_layers]: base layers unknown: set base_layers or base_diff_id "
        "(or --base-layers)\n"
    )


@pytest.mark.parametrize(
    "toml,message",
    [
        ("total = 'lots'\n", "total: invalid size: 'lots' (use bytes or e.g. '60MB', '180 MiB')"),
        ("totl = 5\n", "unknown budget key(s): totl"),
        ("total = [\n", "invalid TOML in"),
        ("forbidden_paths = '/x'\n", "forbidden_paths must be a list of strings"),
        ("fail_on_severity = 'bad'\n", "fail_on_severity must be one of critical, high, medium"),
        ("base_layers = 99\n", "base layer count 99 exceeds the 5 layers"),
    ],
)
def test_bad_budget_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], toml: str, message: str
) -> None:
    rc, lines = _run(tmp_path, toml, capsys)
    assert rc == 2 and len(lines) == 1
    assert lines[0].startswith("image-audit: error: ") and message in lines[0]
