"""Totals as Docker's classic image store computes them from the unpacked layers."""

from __future__ import annotations

from pathlib import Path

from builders import Image, Layer, directory, file, hardlink, symlink, whiteout, write_docker_save

from imageaudit.analysis import analyse

# An imported root filesystem: no build history at all, usr-merge symlinks.
IMPORTED = Layer(
    [
        directory("usr"),
        directory("usr/bin"),
        file("usr/bin/bash", 1000, 0o755),
        symlink("bin", "usr/bin"),  # 7 bytes
        symlink("usr/bin/sh", "bash"),  # 4 bytes
        directory("etc"),
        symlink("etc/os-release", "../usr/lib/os-release"),  # 21 bytes
    ]
)
# A built layer: a symlink to an absolute target, a hard link and a file written twice.
BUILT = Layer(
    [
        file("opt/app/run", 300, 0o755),
        symlink("usr/local/bin/run", "/opt/app/run"),  # 12 bytes
        hardlink("opt/app/run-again", "opt/app/run"),  # 0: same inode
        file("opt/app/config", 50),
        file("opt/app/config", 80),  # only this copy is in the unpacked layer
    ],
    "COPY app /opt/app",
)


def test_layer_sizes_count_symlink_targets_on_imported_and_built_layers(tmp_path: Path) -> None:
    image = Image([IMPORTED, BUILT], history=[])
    a = analyse(str(write_docker_save(tmp_path / "img.tar", image)))
    assert [layer.size for layer in a.layers] == [1000 + 7 + 4 + 21, 300 + 12 + 80]
    assert a.total == 1424
    assert a.total == a.final_size + a.wasted
    assert a.wasted == 0


def test_symlinks_replaced_or_deleted_later_are_waste(tmp_path: Path) -> None:
    later = Layer([whiteout("usr/bin/sh"), symlink("etc/os-release", "/usr/lib/os-release")])
    image = Image([IMPORTED, BUILT, later])
    a = analyse(str(write_docker_save(tmp_path / "img.tar", image)))
    assert a.layers[2].size == len("/usr/lib/os-release")
    assert a.wasted == 4 + 21
    assert a.layers[0].wasted == 4 + 21
    assert a.total == a.final_size + a.wasted
