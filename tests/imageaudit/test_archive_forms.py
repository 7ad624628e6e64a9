from __future__ import annotations

import gzip
import importlib.util
import json
import shutil
import tarfile
from pathlib import Path

import pytest
from builders import (
    Image,
    Layer,
    file,
    sha,
    whiteout,
    write_docker_save,
    write_oci_archive,
    write_oci_dir,
    write_raw_archive,
)

from imageaudit.analysis import analyse
from imageaudit.cli import main


def _image(compress: str | None = None) -> Image:
    return Image(
        [
            Layer([file("bin/sh", 1000), file("etc/tmp.txt", 200)], "ADD rootfs.tar /"),
            Layer(
                [file("app/main.py", 300), whiteout("etc/tmp.txt")],
                "COPY . /app",
                compress=compress,
            ),
        ],
        history=[
            {"created_by": "ADD rootfs.tar /"},
            {"created_by": '/bin/sh -c #(nop)  CMD ["sh"]', "empty_layer": True},
            {"created_by": "COPY . /app"},
        ],
    )


def _check(path: Path, fmt: str) -> None:
    a = analyse(str(path))
    assert a.format == fmt
    assert [(x.size, x.created_by) for x in a.layers] == [
        (1200, "ADD rootfs.tar /"),
        (300, "COPY . /app"),
    ]
    assert (a.total, a.final_size, a.wasted) == (1500, 1300, 200)
    assert a.base_layers == 1 and a.base_detection == "heuristic"
    assert a.layers[0].diff_id == "sha256:" + sha(_image().layers[0].raw())


def test_legacy_docker_save(tmp_path: Path) -> None:
    _check(write_docker_save(tmp_path / "a.tar", _image()), "docker-save")


@pytest.mark.parametrize("compress", [None, "gzip"])
def test_docker_save_oci_form(tmp_path: Path, compress: str | None) -> None:
    _check(write_oci_archive(tmp_path / "a.tar", _image(compress)), "docker-save-oci")


def test_oci_archive_without_docker_manifest(tmp_path: Path) -> None:
    _check(write_oci_archive(tmp_path / "a.tar", _image("gzip"), False), "oci-layout")


def test_oci_layout_directory(tmp_path: Path) -> None:
    _check(write_oci_dir(tmp_path / "layout", _image("gzip")), "oci-layout")


def test_multi_platform_index_picks_linux_amd64(tmp_path: Path) -> None:
    layout = write_oci_dir(tmp_path / "layout", _image())
    index = json.loads((layout / "index.json").read_text())
    desc = index["manifests"][0]
    inner = {
        "schemaVersion": 2,
        "mediaType": "application/vnd.oci.image.index.v1+json",
        "manifests": [
            {
                **desc,
                "digest": "sha256:" + "0" * 64,
                "platform": {"os": "linux", "architecture": "arm64"},
            },
            {**desc, "platform": {"os": "linux", "architecture": "amd64"}},
        ],
    }
    blob = json.dumps(inner).encode()
    (layout / "blobs/sha256" / sha(blob)).write_bytes(blob)
    index["manifests"] = [
        {"mediaType": inner["mediaType"], "digest": "sha256:" + sha(blob), "size": len(blob)}
    ]
    (layout / "index.json").write_text(json.dumps(index))
    _check(layout, "oci-layout")


def _error(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    assert main(list(argv)) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err
    return err.strip()


def test_zstd_layer_needs_module(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    if importlib.util.find_spec("zstandard") is not None:
        pytest.skip("zstandard is installed")
    layer = Layer([file("a", 1)])
    image = Image([layer])
    path = write_oci_archive(tmp_path / "a.tar", image)
    # swap the layer blob's magic for zstd's
    members = {}
    with tarfile.open(path) as tar:
        for m in tar.getmembers():
            data = tar.extractfile(m).read()  # type: ignore[union-attr]
            if m.name == "blobs/sha256/" + sha(layer.raw()):
                data = b"\x28\xb5\x2f\xfd" + data[4:]
            members[m.name] = data
    write_raw_archive(path, members)
    msg = _error(capsys, str(path))
    assert msg == (
        "image-audit: error: layer blobs/sha256/"
        + sha(layer.raw())
        + " is zstd-compressed; install the 'zstandard' module"
    )


def test_bad_inputs(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    good = write_docker_save(tmp_path / "good.tar", _image())
    data = good.read_bytes()

    junk = tmp_path / "junk.tar"
    junk.write_bytes(b"definitely not a tar archive\n" * 40)
    assert _error(capsys, str(junk)) == (
        "image-audit: error: not a tar archive: bad header checksum in junk.tar"
    )

    empty = tmp_path / "empty.tar"
    empty.write_bytes(b"")
    assert _error(capsys, str(empty)) == (
        "image-audit: error: not a tar archive: empty.tar is empty"
    )

    cut = tmp_path / "cut.tar"
    cut.write_bytes(data[:3000])
    assert _error(capsys, str(cut)).startswith("image-audit: error: truncated archive: data of")

    gz = tmp_path / "img.tar.gz"
    gz.write_bytes(gzip.compress(data))
    assert _error(capsys, str(gz)) == (
        f"image-audit: error: {gz} is gzip-compressed; decompress it first (gunzip)"
    )

    assert _error(capsys, str(tmp_path / "nope.tar")) == (
        f"image-audit: error: cannot open {tmp_path / 'nope.tar'}: No such file or directory"
    )

    no_manifest = write_raw_archive(tmp_path / "plain.tar", {"hello.txt": b"hi"})
    assert _error(capsys, str(no_manifest)) == (
        "image-audit: error: not an image archive: no manifest.json or index.json found"
    )


def _manifest_archive(tmp_path: Path, manifest: object, extra: dict[str, bytes]) -> Path:
    return write_raw_archive(
        tmp_path / "m.tar", {"manifest.json": json.dumps(manifest).encode(), **extra}
    )


def test_bad_manifests(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cfg = {"c.json": b'{"rootfs": {"diff_ids": []}}'}
    p = _manifest_archive(tmp_path, [{"Config": "c.json", "Layers": ["x/layer.tar"]}], cfg)
    assert _error(capsys, str(p)) == (
        "image-audit: error: manifest.json points to a missing layer: x/layer.tar"
    )
    p = _manifest_archive(tmp_path, [{"Config": "../c.json", "Layers": []}], cfg)
    assert _error(capsys, str(p)) == (
        "image-audit: error: unsafe config path in manifest: '../c.json'"
    )
    p = _manifest_archive(tmp_path, [{"Config": "c.json", "Layers": ["/etc/passwd"]}], cfg)
    assert _error(capsys, str(p)) == (
        "image-audit: error: unsafe layer path in manifest: '/etc/passwd'"
    )
    p = _manifest_archive(tmp_path, [{"Config": "missing.json", "Layers": []}], {})
    assert _error(capsys, str(p)) == (
        "image-audit: error: missing missing.json (referenced by the image manifest)"
    )
    p = _manifest_archive(tmp_path, {"not": "a list"}, {})
    assert _error(capsys, str(p)) == "image-audit: error: manifest.json lists no images"
    p = write_raw_archive(tmp_path / "m.tar", {"manifest.json": b"{oops", **cfg})
    assert _error(capsys, str(p)) == "image-audit: error: manifest.json is not valid JSON"


def test_oci_missing_blob_and_bad_digest(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    layout = write_oci_dir(tmp_path / "layout", _image())
    blob = layout / "blobs/sha256" / sha(_image().layers[1].raw())
    blob.unlink()
    assert _error(capsys, str(layout)) == (
        f"image-audit: error: missing layer blob: blobs/sha256/{blob.name}"
    )
    shutil.rmtree(layout)
    layout = write_oci_dir(tmp_path / "layout", _image())
    (layout / "index.json").write_text(
        json.dumps({"manifests": [{"digest": "sha256:../../../etc/passwd"}]})
    )
    assert _error(capsys, str(layout)) == (
        "image-audit: error: invalid digest in OCI manifest: 'sha256:../../../etc/passwd'"
    )


def test_truncated_gzip_layer(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    layout = write_oci_dir(tmp_path / "layout", _image("gzip"))
    blob = layout / "blobs/sha256" / sha(_image("gzip").layers[1].blob())
    blob.write_bytes(blob.read_bytes()[:60])
    assert _error(capsys, str(layout)).startswith("image-audit: error: cannot read input: ")
