"""Layer sizes as Docker's classic image store (overlay2) computes them.

Docker sizes a layer one of two ways, depending on how the layer reached the engine, not on
what it holds. A layer Docker unpacked from a tar (docker load, pull, import, the classic
builder) is measured by walking the unpacked files: regular files and symlinks count their
lstat size (a symlink's is the length of its target), each inode once. A layer BuildKit
built on the engine is measured as the sum of the size fields of the tar Docker writes of
it, where symlinks are 0. The numbers below were measured with Docker 20.10 (overlay2): the
two layers ACCOUNTING_FIRST and ACCOUNTING_SECOND (builders.py) came to 258 B and 33 B
through `docker load`, and to 210 B and 30 B when BuildKit built the same content
(`FROM scratch` + `ADD` of each layer tar).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from builders import (
    ACCOUNTING_FILE_BYTES,
    ACCOUNTING_FIRST,
    ACCOUNTING_LINK_BYTES,
    ACCOUNTING_SECOND,
    Image,
    Layer,
    file,
    symlink,
    write_docker_save,
)

from imageaudit.analysis import BUILDKIT_COMMENT, Analysis, analyse
from imageaudit.cli import main

FIRST, SECOND = ACCOUNTING_FIRST, ACCOUNTING_SECOND
FILES, LINKS = ACCOUNTING_FILE_BYTES, ACCOUNTING_LINK_BYTES


def _history(*built: bool) -> list[dict[str, Any]]:
    """One history entry per layer; built ones carry the comment BuildKit writes."""
    out: list[dict[str, Any]] = []
    for i, is_built in enumerate(built):
        entry: dict[str, Any] = {"created_by": f"ADD l{i + 1}.tar /"}
        if is_built:
            entry["comment"] = BUILDKIT_COMMENT
            entry["created_by"] += " # buildkit"
        out.append(entry)
    return out


def _analyse(tmp_path: Path, image: Image, **kwargs: Any) -> Analysis:
    return analyse(str(write_docker_save(tmp_path / "img.tar", image)), **kwargs)


def test_loaded_layers_count_files_and_symlinks(tmp_path: Path) -> None:
    # No BuildKit history: Docker unpacked these layers from their tars.
    a = _analyse(tmp_path, Image([FIRST, SECOND], history=_history(False, False)))
    assert [layer.size for layer in a.layers] == [258, 33]
    assert [layer.unpacked for layer in a.layers] == [True, True]
    assert [layer.symlink_bytes for layer in a.layers] == LINKS
    assert a.total == 291
    # d/f (100 B) is replaced and the symlink d/s (1 B) deleted by the second layer.
    assert a.wasted == 101
    assert a.total == a.final_size + a.wasted


def test_buildkit_layers_count_files_only(tmp_path: Path) -> None:
    a = _analyse(tmp_path, Image([FIRST, SECOND], history=_history(True, True)))
    assert [layer.size for layer in a.layers] == [210, 30] == FILES
    assert [layer.unpacked for layer in a.layers] == [False, False]
    assert a.total == 240
    # The deleted symlink was never counted, so it wastes nothing.
    assert a.wasted == 100
    assert a.total == a.final_size + a.wasted
    assert [path for _, path, _ in a.fs.wasted_examples()] == ["d/f"]


def test_an_imported_base_under_built_layers(tmp_path: Path) -> None:
    # An imported root filesystem (no history of its own) with BuildKit steps on top, as
    # in an image built FROM a base that was loaded or pulled.
    image = Image([FIRST, SECOND], history=_history(False, True))
    a = _analyse(tmp_path, image)
    assert [layer.size for layer in a.layers] == [258, 30]
    assert a.wasted == 101
    assert a.total == a.final_size + a.wasted == 288


def test_unpacked_layers_modes(tmp_path: Path) -> None:
    image = Image([FIRST, SECOND], history=_history(True, True))
    sizes = {
        mode: [layer.size for layer in _analyse(tmp_path, image, unpacked=mode).layers]
        for mode in ("auto", "all", "none")
    }
    assert sizes == {"auto": [210, 30], "all": [258, 33], "none": [210, 30]}
    # base: the base layers were pulled or loaded, the rest follows the history.
    a = _analyse(tmp_path, image, unpacked="base", base_layers=1)
    assert [layer.size for layer in a.layers] == [258, 30]
    assert a.base_size == 258
    assert a.total == a.final_size + a.wasted
    loaded = Image([FIRST, SECOND], history=_history(False, False))
    assert [layer.size for layer in _analyse(tmp_path, loaded, unpacked="none").layers] == FILES


def test_layers_without_history_entries_count_as_unpacked(tmp_path: Path) -> None:
    image = Image([FIRST, SECOND], history=_history(True))
    a = _analyse(tmp_path, image)
    assert [layer.size for layer in a.layers] == [210, 33]


def test_a_path_written_twice_counts_once(tmp_path: Path) -> None:
    # Docker never writes such a layer and refuses one on load ("duplicates of file paths
    # not supported"); image-audit counts what extraction would leave: the last version.
    twice = Layer([file("x", 50), symlink("y", "abc"), file("x", 80), symlink("y", "a")])
    for built in (False, True):
        a = _analyse(tmp_path, Image([twice], history=_history(built)))
        assert a.layers[0].size == (80 if built else 81)
        assert a.wasted == 0
        assert a.total == a.final_size


def test_json_and_text_say_how_layers_are_sized(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_docker_save(
        tmp_path / "img.tar", Image([FIRST, SECOND], history=_history(False, True))
    )
    assert main([str(path), "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["sizes"]["unpacked_layers"] == "auto"
    assert [(la["sizing"], la["symlink_bytes"]) for la in doc["layers"]] == [
        ("unpacked", 48),
        ("built", 3),
    ]
    assert main([str(path)]) == 0
    text = capsys.readouterr().out
    assert (
        "Docker sizing   1 layer unpacked (symlinks counted), 1 layer built with BuildKit "
        "(symlinks not counted); pulled or loaded: +3 B (--unpacked-layers)"
    ) in text
    assert main([str(path), "--json", "--unpacked-layers", "all"]) == 0
    assert json.loads(capsys.readouterr().out)["sizes"]["total"] == 291
    assert main([str(path), "--unpacked-layers", "some"]) == 2
