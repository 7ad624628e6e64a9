from __future__ import annotations

from pathlib import Path

import pytest
from builders import (
    Image,
    Layer,
    directory,
    file,
    hardlink,
    opaque,
    symlink,
    whiteout,
    write_docker_save,
)

from imageaudit.analysis import Analysis, analyse


def _run(tmp_path: Path, layers: list[Layer]) -> Analysis:
    return analyse(str(write_docker_save(tmp_path / "img.tar", Image(layers))))


def test_sizes_whiteouts_and_waste(tmp_path: Path) -> None:
    a = _run(
        tmp_path,
        [
            Layer(
                [
                    directory("app"),
                    file("app/a", 1000),
                    file("app/b", 2000),
                    directory("data"),
                    file("data/x", 300),
                    file("data/sub/y", 400),
                    file("keep", 50),
                ]
            ),
            Layer([file("app/a", 10), whiteout("app/b"), whiteout("data"), file("new", 7)]),
        ],
    )
    assert [layer.size for layer in a.layers] == [3750, 17]
    assert a.total == 3767
    assert a.final_size == 10 + 50 + 7
    assert a.wasted == 1000 + 2000 + 300 + 400
    assert a.total == a.final_size + a.wasted
    assert [layer.wasted for layer in a.layers] == [3700, 0]
    assert "data" not in a.fs.nodes and "data/sub" not in a.fs.nodes
    assert a.fs.nodes["app/a"].layer == 1


def test_opaque_dir_hides_lower_entries_only(tmp_path: Path) -> None:
    a = _run(
        tmp_path,
        [
            Layer(
                [
                    directory("etc"),
                    directory("etc/conf.d"),
                    file("etc/conf.d/old1", 100),
                    file("etc/conf.d/deep/old2", 200),
                    file("etc/other", 5),
                ]
            ),
            # the marker comes after this layer's own file: that file must survive
            Layer([directory("etc/conf.d"), file("etc/conf.d/new", 30), opaque("etc/conf.d")]),
        ],
    )
    kept = sorted(p for p in a.fs.nodes if p.startswith("etc/"))
    assert kept == ["etc/conf.d", "etc/conf.d/new", "etc/other"]
    assert a.wasted == 300
    assert a.final_size == 35


def test_whiteout_then_readd_in_same_layer(tmp_path: Path) -> None:
    a = _run(
        tmp_path,
        [
            Layer([file("opt/x/f", 100)]),
            Layer([whiteout("opt/x"), file("opt/x/g", 20)]),
        ],
    )
    assert sorted(p for p in a.fs.nodes if p.startswith("opt/x")) == ["opt/x", "opt/x/g"]
    assert a.wasted == 100


def test_dir_replaced_by_file_and_duplicates(tmp_path: Path) -> None:
    a = _run(
        tmp_path,
        [
            Layer([file("d/one", 10), file("d/two", 20), file("dup", 5), file("dup", 6)]),
            Layer([file("d", 1)]),
        ],
    )
    assert a.fs.nodes["d"].kind == "f"
    # "dup" written twice in one layer: the unpacked layer holds the second copy only,
    # so the first counts neither in the layer size nor as waste (Docker's accounting).
    assert a.layers[0].size == 10 + 20 + 6
    assert a.wasted == 10 + 20
    assert a.total == a.final_size + a.wasted == 37


def test_symlinked_parent_is_followed(tmp_path: Path) -> None:
    a = _run(
        tmp_path,
        [
            Layer([directory("usr"), directory("usr/lib"), symlink("lib", "usr/lib")]),
            Layer([file("lib/libz.so.1", 90), hardlink("usr/lib/libz-copy", "lib/libz.so.1")]),
        ],
    )
    assert a.fs.nodes["usr/lib/libz.so.1"].size == 90
    assert "lib/libz.so.1" not in a.fs.nodes
    assert a.fs.lookup("lib/libz.so.1") is not None
    assert a.fs.nodes["usr/lib/libz-copy"].kind == "h"
    assert a.final_size == 90 + len("usr/lib")  # the symlink counts its target length


def test_dotdot_entries_become_unsafe_not_files(tmp_path: Path) -> None:
    a = _run(
        tmp_path, [Layer([file("../../etc/evil", 10), file("ok", 1), hardlink("h", "../outside")])]
    )
    assert a.unsafe_count == 2
    assert a.unsafe_paths == ["/../../etc/evil", "/../outside"]
    assert a.layers[0].size == 11  # counted like docker would count the tar content
    assert sorted(a.fs.nodes) == ["", "ok"]


@pytest.mark.parametrize("absolute", ["/usr/lib", "../../../usr/lib"])
def test_symlink_targets_stay_inside_root(tmp_path: Path, absolute: str) -> None:
    a = _run(tmp_path, [Layer([file("usr/lib/x", 3), symlink("a/b/link", absolute)])])
    assert a.fs.resolve("a/b/link/x") == "usr/lib/x"


def test_folders_and_largest(tmp_path: Path) -> None:
    a = _run(
        tmp_path,
        [
            Layer(
                [
                    file("usr/lib/a", 500),
                    file("usr/bin/b", 300),
                    file("usr/share/c", 100),
                    file("app/x", 250),
                    file("etc/f", 1),
                ]
            )
        ],
    )
    folders = a.folders()
    assert [(f.path, f.size) for f in folders] == [("/usr", 900), ("/app", 250), ("/etc", 1)]
    assert [(c.path, c.size) for c in folders[0].children] == [
        ("/usr/lib", 500),
        ("/usr/bin", 300),
        ("/usr/share", 100),
    ]
    assert a.largest_files(2) == [("/usr/lib/a", 500, 0), ("/usr/bin/b", 300, 0)]
