from __future__ import annotations

import io

import pytest
from builders import elf32, elf64, file, layer_tar

from imageaudit import elf
from imageaudit.tarstream import ByteSource, WindowFile, iter_tar


def _probe(data: bytes, seekable: bool = True) -> int | None:
    tar = layer_tar([file("x.so", data)])
    raw = io.BytesIO(tar)
    src = ByteSource.from_window(WindowFile(raw, 0, len(tar))) if seekable else ByteSource(raw)
    entry = next(iter_tar(src))
    head = entry.read_at(0, 64) or b""
    return elf.debug_bytes(head, entry.read_at, entry.size)


@pytest.mark.parametrize("seekable", [True, False])
def test_debug_sections_counted(seekable: bool) -> None:
    data = elf64([(".text", 500), (".debug_info", 3000), (".debug_str", 700), (".comment", 9)])
    assert _probe(data, seekable) == 3700


def test_no_debug_sections() -> None:
    assert _probe(elf64([(".text", 500), (".gnu_debuglink", 16)])) == 0


def test_elf32_and_big_endian() -> None:
    assert _probe(elf32([(".text", 10), (".debug_line", 123)])) == 123
    assert _probe(elf64([(".zdebug_info", 77)], big_endian=True)) == 77


@pytest.mark.parametrize("seekable", [True, False])
def test_large_sections_before_the_table(seekable: bool) -> None:
    # the names table sits right before the section headers, so one forward read suffices
    assert _probe(elf64([(".debug_info", 10), (".text", 200_000)]), seekable) == 10


def test_malformed_headers() -> None:
    data = bytearray(elf64([(".debug_info", 10)]))
    data[0x3A:0x3C] = (1).to_bytes(2, "little")  # shentsize too small
    assert _probe(bytes(data)) is None
    assert _probe(b"\x7fELF" + b"\x09" * 60) is None
    assert not elf.is_elf(b"#!/bin/sh\n" * 10)
