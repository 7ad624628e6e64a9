"""Base/added split and package attribution for images without build history."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from builders import Image, Layer, directory, file, symlink, write_docker_save

from imageaudit.analysis import analyse
from imageaudit.cli import main

STATUS_BASE = (
    b"Package: coreutils\nStatus: install ok installed\nInstalled-Size: 6\n"
    b"Architecture: amd64\nVersion: 9.1-1\n\n"
)
STATUS_CURL = STATUS_BASE + (
    b"Package: curl\nStatus: install ok installed\nInstalled-Size: 1\n"
    b"Architecture: amd64\nVersion: 7.88\n\n"
)
OS_RELEASE = b'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nID=debian\n'

# What `docker import` of a Debian root filesystem gives: one layer, no history.
ROOTFS = Layer(
    [
        directory("usr"),
        file("usr/bin/ls", 6000, 0o755),
        file("usr/lib/os-release", OS_RELEASE),
        symlink("etc/os-release", "../usr/lib/os-release"),
        file("var/lib/dpkg/status", STATUS_BASE),
        file("var/lib/dpkg/info/coreutils.list", b"/.\n/usr/bin\n/usr/bin/ls\n"),
    ]
)
# apt-get install curl: dpkg rewrites the status file and every package's .list file.
APT = Layer(
    [
        file("usr/bin/curl", 900, 0o755),
        file("var/lib/dpkg/status", STATUS_CURL),
        file("var/lib/dpkg/info/coreutils.list", b"/.\n/usr/bin\n/usr/bin/ls\n"),
        file("var/lib/dpkg/info/curl.list", b"/usr/bin/curl\n"),
    ]
)
APP = Layer([file("app/main.py", 50)])


def _image() -> Image:
    return Image([ROOTFS, APT, APP], history=[], user="app")


def test_first_layer_with_a_whole_os_is_the_base(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    archive = write_docker_save(tmp_path / "img.tar", _image())
    a = analyse(str(archive))
    assert (a.base_layers, a.base_detection) == (1, "os-layer")
    assert main([str(archive)]) == 0
    text = capsys.readouterr().out
    assert "the first layer holds a complete OS (dpkg status, /etc/os-release)" in text


def test_first_layer_without_an_os_is_not_a_base(tmp_path: Path) -> None:
    image = Image([Layer([file("usr/bin/ls", 10)]), APP], history=[])
    a = analyse(str(write_docker_save(tmp_path / "img.tar", image)))
    assert (a.base_layers, a.base_detection) == (None, "none")


def test_layers_without_history_get_readable_labels(tmp_path: Path) -> None:
    a = analyse(str(write_docker_save(tmp_path / "img.tar", _image())))
    labels = [layer.label for layer in a.layers]
    assert labels[0].startswith("Debian GNU/Linux 12 (bookworm) root filesystem, layer sha256:")
    assert labels[1].startswith("layer sha256:")
    assert labels[1].endswith("(no build history)")
    assert not any("layer.tar" in label for label in labels)


def test_packages_belong_to_the_layer_that_first_added_their_files(tmp_path: Path) -> None:
    a = analyse(str(write_docker_save(tmp_path / "img.tar", _image())))
    assert {p.name: p.layer for p in a.debs} == {"coreutils": 0, "curl": 1}


def test_base_image_archive_sets_the_split(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    base = write_docker_save(tmp_path / "base.tar", Image([ROOTFS, APT], history=[]))
    archive = write_docker_save(tmp_path / "img.tar", _image())
    assert main([str(archive), "--base", str(base), "--json"]) == 0
    sizes = json.loads(capsys.readouterr().out)["sizes"]
    assert (sizes["base_layers"], sizes["base_detection"]) == (2, "base-image")
    assert sizes["added"] == 50


def test_base_image_sharing_nothing_is_an_input_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    base = write_docker_save(tmp_path / "base.tar", Image([Layer([file("x", 1)])]))
    archive = write_docker_save(tmp_path / "img.tar", _image())
    assert main([str(archive), "--base", str(base)]) == 2
    assert "shares no layers" in capsys.readouterr().err
