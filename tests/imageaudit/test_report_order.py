from __future__ import annotations

import json
from pathlib import Path

import pytest
from builders import (
    DEBUG_SO,
    Image,
    Layer,
    bloated_image,
    file,
    write_docker_save,
)

from imageaudit.analysis import analyse
from imageaudit.cli import main
from imageaudit.findings import Options, projected_size, run_rules
from imageaudit.rules_files import RULES as FILE_RULES
from imageaudit.rules_packages import RULES as PACKAGE_RULES
from imageaudit.rules_python import RULES as PYTHON_RULES

RULES = (*FILE_RULES, *PACKAGE_RULES, *PYTHON_RULES)


def _overlapping_image() -> Image:
    """A -dev package whose bytes mostly sit in the gcc tree that build-tools removes."""
    status = (
        b"Package: libfoo-dev\nStatus: install ok installed\nInstalled-Size: 10\n"
        b"Architecture: amd64\nVersion: 1.0\n\n"
    )
    return Image(
        [
            Layer(
                [
                    file("usr/lib/gcc/x86_64-linux-gnu/12/libfoo.a", 10_000),
                    file("usr/include/foo.h", 100),
                    file("var/lib/dpkg/status", status),
                    file(
                        "var/lib/dpkg/info/libfoo-dev:amd64.list",
                        b"/usr/lib/gcc/x86_64-linux-gnu/12/libfoo.a\n/usr/include/foo.h\n",
                    ),
                    file("app/tests/test_big.py", 2000),
                ],
            )
        ],
        user="app",
    )


def test_findings_rank_by_what_their_fix_saves_within_a_severity(tmp_path: Path) -> None:
    a = analyse(str(write_docker_save(tmp_path / "img.tar", _overlapping_image())))
    found = run_rules(a, Options(), RULES)
    assert [(f.id, f.bytes, f.saves) for f in found] == [
        ("build-tools", 10_000, 10_000),
        ("app-tests", 2000, 2000),
        ("dev-packages", 10_100, 100),
    ]


def test_large_files_drop_what_other_findings_remove(tmp_path: Path) -> None:
    a = analyse(str(write_docker_save(tmp_path / "img.tar", bloated_image())))
    found = {f.id: f for f in run_rules(a, Options(large_file_threshold=5000), RULES)}
    # The pip cache (8 kB) and pytest's main module (6 kB) are inside package-cache and
    # dev-dependencies; only the library with debug sections is left to point at.
    assert found["large-files"].bytes == len(DEBUG_SO)
    assert found["large-files"].evidence == [f"/app/libdebug.so ({len(DEBUG_SO) / 1000:.1f} kB)"]


def test_large_files_finding_disappears_when_fully_covered(tmp_path: Path) -> None:
    image = Image([Layer([file("root/.cache/pip/http/a", 9000)])], user="app")
    a = analyse(str(write_docker_save(tmp_path / "img.tar", image)))
    ids = [f.id for f in run_rules(a, Options(large_file_threshold=5000), RULES)]
    assert ids == ["package-cache"]


def test_savings_add_up_to_the_projection(tmp_path: Path) -> None:
    a = analyse(str(write_docker_save(tmp_path / "img.tar", bloated_image())))
    found = run_rules(a, Options(large_file_threshold=5000), RULES)
    assert sum(f.saves for f in found) == a.total - projected_size(a, found)


@pytest.mark.parametrize("fmt", ["text", "markdown"])
def test_reports_put_findings_before_tables(
    tmp_path: Path, fmt: str, capsys: pytest.CaptureFixture[str]
) -> None:
    archive = write_docker_save(tmp_path / "img.tar", _overlapping_image())
    argv = [str(archive)] + (["--markdown"] if fmt == "markdown" else [])
    assert main(argv) == 0
    out = capsys.readouterr().out
    first_finding = out.index("build-tools")
    table = out.index("Layers:") if fmt == "text" else out.index("| # | Size | Created by |")
    assert first_finding < table
    assert out.index("app-tests") < out.index("dev-packages")
    assert "100 B (of 10.1 kB)" in out


def test_json_findings_carry_savings(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    archive = write_docker_save(tmp_path / "img.tar", _overlapping_image())
    assert main([str(archive), "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert [(f["id"], f["saves"]) for f in doc["findings"]] == [
        ("build-tools", 10_000),
        ("app-tests", 2000),
        ("dev-packages", 100),
    ]
