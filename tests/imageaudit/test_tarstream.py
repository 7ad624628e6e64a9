from __future__ import annotations

import io
import tarfile

import pytest
from builders import directory, file, hardlink, layer_tar, symlink

from imageaudit.errors import AuditError
from imageaudit.tarstream import ByteSource, WindowFile, iter_tar


def _entries(data: bytes, seekable: bool) -> list[tuple[str, str, int, str]]:
    raw = io.BytesIO(data)
    src = ByteSource.from_window(WindowFile(raw, 0, len(data))) if seekable else ByteSource(raw)
    return [(e.name, e.type, e.size, e.linkname) for e in iter_tar(src)]


LONG = "a/" + "b" * 150 + "/" + "c" * 120


@pytest.mark.parametrize("fmt", [tarfile.PAX_FORMAT, tarfile.GNU_FORMAT, tarfile.USTAR_FORMAT])
@pytest.mark.parametrize("seekable", [True, False])
def test_formats_and_long_names(fmt: int, seekable: bool) -> None:
    ustar = fmt == tarfile.USTAR_FORMAT
    name = "p" * 120 + "/" + "n" * 90 if ustar else LONG
    link = "/t" if ustar else "/" + "t" * 150
    data = layer_tar(
        [
            directory("a"),
            file(name, 1234),
            symlink("a/l", link),
            hardlink("a/h", "a" if ustar else name),
        ],
        fmt,
    )
    got = _entries(data, seekable)
    assert [g[0].rstrip("/") for g in got] == ["a", name, "a/l", "a/h"]
    assert got[1][1:3] == ("0", 1234)
    assert got[2][1:] == ("2", 0, link)
    assert got[3][1:] == ("1", 0, "a" if ustar else name)


def test_read_at_values() -> None:
    payload = bytes(range(256)) * 8
    data = layer_tar([file("x", payload)])
    stream = next(iter_tar(ByteSource(io.BytesIO(data))))
    assert stream.read_at(1000, 4) == payload[1000:1004]
    assert stream.read_at(10, 4) is None  # backwards on a stream
    seek = next(iter_tar(ByteSource.from_window(WindowFile(io.BytesIO(data), 0, len(data)))))
    assert seek.read_at(1000, 4) == payload[1000:1004]
    assert seek.read_at(10, 4) == payload[10:14]


def test_truncated_data_is_reported() -> None:
    data = layer_tar([file("big", 5000)])[:2000]
    with pytest.raises(AuditError, match="truncated archive: data of 'big'"):
        _entries(data, True)
    with pytest.raises(AuditError, match="truncated archive"):
        _entries(data, False)


def test_not_a_tar() -> None:
    with pytest.raises(AuditError, match="not a tar archive: bad header checksum"):
        _entries(b"hello world" * 100, True)
    with pytest.raises(AuditError, match="is empty"):
        _entries(b"", True)
