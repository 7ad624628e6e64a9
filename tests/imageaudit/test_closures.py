"""Removal closures: what leaves with build tools and dev dependencies."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
from builders import SITE, Entry, Image, Layer, file, write_docker_save

from imageaudit.analysis import analyse
from imageaudit.cli import main
from imageaudit.closures import deb_graph, deb_keep, leaves_with_debs, removal_closure
from imageaudit.debian import DebPackage
from imageaudit.findings import Options, projected_size, run_rules
from imageaudit.rules_packages import RULES as PACKAGE_RULES

# name -> (size of its one file, status fields)
DEBS: dict[str, tuple[int, str]] = {
    "libc6": (100, "Priority: required\n"),
    "perl-base": (110, "Essential: yes\n"),
    "libssl3": (120, ""),
    "libcurl4": (130, "Depends: libc6, libssl3\n"),
    "curl": (140, "Depends: libcurl4 (>= 7.88)\n"),
    "gcc-12": (1000, "Depends: cpp-12 (= 12.2.0-14), binutils, libgcc-12-dev, libssl3\n"),
    "cpp-12": (2000, "Depends: libisl23:any\n"),
    "libisl23": (3000, "Depends: libc6\n"),
    "libgcc-12-dev": (4000, "Depends: libasan8\n"),
    "libasan8": (5000, ""),
    "binutils": (6000, ""),
    "dpkg-dev": (7000, "Depends: perl, make | build-essential\n"),
    "perl": (8000, "Pre-Depends: perl-base\n"),
    "make": (9000, ""),
}


def _deb_layer() -> Layer:
    status = b""
    entries: list[Entry] = []
    for name, (size, fields) in DEBS.items():
        status += (
            f"Package: {name}\nStatus: install ok installed\nArchitecture: amd64\n"
            f"Version: 1\n{fields}\n"
        ).encode()
        entries.append(file(f"usr/share/{name}/data", size))
        entries.append(file(f"var/lib/dpkg/info/{name}.list", f"/usr/share/{name}/data\n".encode()))
    return Layer([file("var/lib/dpkg/status", status), *entries])


def _dist(name: str, size: int, requires: list[str]) -> list[Entry]:
    module = name.replace("-", "_")
    info = f"{SITE}/{module}-1.0.dist-info"
    meta = f"Name: {name}\nVersion: 1.0\n" + "".join(f"Requires-Dist: {r}\n" for r in requires)
    return [
        file(f"{info}/METADATA", meta.encode() + b"\n"),
        file(f"{info}/RECORD", f"{module}/__init__.py,,\n".encode()),
        file(f"{SITE}/{module}/__init__.py", size),
    ]


def _pip_layer() -> Layer:
    return Layer(
        _dist(
            "pytest",
            1000,
            ["pluggy<2,>=1.5", "iniconfig", "packaging", "colorama; sys_platform == 'win32'"],
        )
        + _dist("mypy", 2000, ["mypy_extensions>=1.0.0", "typing-extensions>=4.6"])
        + _dist("pluggy", 300, [])
        + _dist("iniconfig", 400, [])
        + _dist("mypy-extensions", 500, [])
        + _dist("packaging", 600, [])
        + _dist("typing-extensions", 700, [])
        + _dist("requests", 800, [])
        + _dist("myapp", 900, ["packaging", "typing_extensions", "requests; extra == 'http'"])
    )


def test_build_tools_take_what_only_they_need(tmp_path: Path) -> None:
    image = Image([_deb_layer(), _pip_layer()], user="app")
    a = analyse(str(write_docker_save(tmp_path / "img.tar", image)))
    found = {f.id: f for f in run_rules(a, Options(), PACKAGE_RULES)}
    build = found["build-tools"]
    named = 1000 + 2000 + 6000 + 7000 + 9000  # gcc-12, cpp-12, binutils, dpkg-dev, make
    closure = 3000 + 4000 + 5000 + 8000  # libisl23, libgcc-12-dev, libasan8, perl
    assert build.bytes == named + closure
    assert "+ 4 packages nothing else needs (20.0 kB): " in build.evidence[3]
    # libssl3 (curl needs it), perl-base (essential) and libc6 (required) stay.
    for kept in ("libssl3", "perl-base", "libc6", "libcurl4"):
        assert f"usr/share/{kept}/data" not in build.removes
    # The projection counts the closure once.
    assert a.total - projected_size(a, list(found.values())) == sum(f.saves for f in found.values())
    assert build.saves == named + closure
    # libgcc-12-dev leaves with gcc, so dev-packages has nothing of its own to save
    assert "dev-packages" not in found


def test_dev_dependencies_take_what_only_they_require(tmp_path: Path) -> None:
    image = Image([_deb_layer(), _pip_layer()], user="app")
    a = analyse(str(write_docker_save(tmp_path / "img.tar", image)))
    found = {f.id: f for f in run_rules(a, Options(), PACKAGE_RULES)}
    dev = found["dev-dependencies"]
    leaving = {p.split("/")[-2] for p in dev.removes if p.endswith("/__init__.py")}
    assert leaving == {"pytest", "mypy", "pluggy", "iniconfig", "mypy_extensions"}
    assert any(line.startswith("+ 3 distributions nothing else needs") for line in dev.evidence)


def test_removal_closure_keeps_what_a_remaining_package_needs() -> None:
    graph = {"a": {"b", "c"}, "b": {"d"}, "c": set(), "d": set(), "e": {"c"}}
    assert removal_closure({"a"}, graph) == {"a", "b", "d"}
    assert removal_closure({"a"}, graph, keep={"d"}) == {"a", "b"}
    assert removal_closure({"a", "e"}, graph) == {"a", "b", "c", "d", "e"}


def test_roots_leave_even_when_a_staying_package_depends_on_them() -> None:
    graph = {"gcc": {"cpp"}, "cpp": {"isl"}, "isl": set()}
    # removing cpp alone: isl goes with it although gcc (staying) reaches it through cpp
    assert removal_closure({"cpp"}, graph) == {"cpp", "isl"}


def test_json_lists_what_leaves_with_each_package(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    image = Image([_deb_layer(), _pip_layer()], user="app")
    archive = write_docker_save(tmp_path / "img.tar", image)
    assert main([str(archive), "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    debs = {p["name"]: p for p in doc["debian_packages"]}
    assert debs["dpkg-dev"]["leaves_with"] == ["make", "perl"]
    assert debs["dpkg-dev"]["removal_size"] == 7000 + 9000 + 8000
    assert debs["curl"]["leaves_with"] == ["libcurl4"]  # libssl3 is needed by gcc-12 too
    dists = {d["name"]: d for d in doc["python_dists"]}
    assert dists["pytest"]["leaves_with"] == ["iniconfig", "pluggy"]
    assert dists["myapp"]["leaves_with"] == []  # packaging is needed by pytest as well


def test_per_package_closures_equal_the_direct_computation() -> None:
    rng = random.Random(7)
    for _ in range(200):
        n = rng.randrange(2, 20)
        packages = [
            DebPackage(
                f"p{i}",
                "1",
                "amd64",
                0,
                1,
                1,
                0,
                relations=", ".join(f"p{rng.randrange(n)}" for _ in range(rng.randrange(4))),
                essential=rng.random() < 0.1,
            )
            for i in range(n)
        ]
        fast = leaves_with_debs(packages)
        graph, keep = deb_graph(packages), deb_keep(packages)
        for pkg in packages:
            expected = removal_closure({pkg.name}, graph, keep) - {pkg.name}
            assert set(fast[pkg.name]) == expected
