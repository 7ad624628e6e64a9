"""Detect debug sections in ELF files by reading only the ELF and section headers.

Section names live in the section-name string table (``.shstrtab``), which linkers place just
before the section header table at the end of the file. To work on forward-only streams, the
probe asks for one range covering a window before the section headers plus the headers
themselves, and only falls back to a separate read when the table lies elsewhere.
"""

from __future__ import annotations

import struct
from collections.abc import Callable

ELF_MAGIC = b"\x7fELF"
HEADER_BYTES = 64
_NAME_WINDOW = 64 * 1024
_MAX_SECTIONS = 65535
_MAX_SHSTRTAB = 1 << 20

ReadAt = Callable[[int, int], "bytes | None"]


def is_elf(head: bytes) -> bool:
    return head[:4] == ELF_MAGIC and len(head) >= 52


def debug_bytes(head: bytes, read_at: ReadAt, file_size: int) -> int | None:
    """Return the total size of ``.debug_*``/``.zdebug_*`` sections (0 if none).

    ``head`` is at least the first 64 bytes of the file. Returns None when the headers are
    malformed or cannot be reached on a forward-only stream.
    """
    if not is_elf(head):
        return None
    cls, data = head[4], head[5]
    if data not in (1, 2) or cls not in (1, 2):
        return None
    endian = "<" if data == 1 else ">"
    if cls == 2:
        if len(head) < 64:
            return None
        shoff = struct.unpack_from(endian + "Q", head, 0x28)[0]
        shentsize, shnum, shstrndx = struct.unpack_from(endian + "HHH", head, 0x3A)
        shdr = struct.Struct(endian + "IIQQQQIIQQ")
    else:
        shoff = struct.unpack_from(endian + "I", head, 0x20)[0]
        shentsize, shnum, shstrndx = struct.unpack_from(endian + "HHH", head, 0x2E)
        shdr = struct.Struct(endian + "IIIIIIIIII")
    if shoff == 0 or shnum == 0:
        return 0  # no section headers at all (fully stripped with sstrip): nothing to strip
    if shentsize < shdr.size or shnum > _MAX_SECTIONS or shstrndx >= shnum:
        return None
    table_len = shentsize * shnum
    if shoff + table_len > file_size:
        return None
    window_start = max(HEADER_BYTES, shoff - _NAME_WINDOW)
    blob = read_at(window_start, shoff + table_len - window_start)
    if blob is None or len(blob) < shoff + table_len - window_start:
        return None
    table = blob[shoff - window_start :]
    sections = []
    for i in range(shnum):
        fields = shdr.unpack_from(table, i * shentsize)
        # (name offset, type, offset, size) for both classes
        sections.append((fields[0], fields[1], fields[4], fields[5]))
    _, _, str_off, str_size = sections[shstrndx]
    if str_size > _MAX_SHSTRTAB or str_off + str_size > file_size:
        return None
    if window_start <= str_off and str_off + str_size <= shoff:
        names = blob[str_off - window_start : str_off - window_start + str_size]
    else:
        got = read_at(str_off, str_size)
        if got is None:
            return None
        names = got
    total = 0
    for name_off, sh_type, _off, size in sections:
        if sh_type == 8:  # SHT_NOBITS occupies no file space
            continue
        end = names.find(b"\0", name_off)
        name = names[name_off : end if end >= 0 else len(names)]
        if name.startswith(b".debug_") or name.startswith(b".zdebug_"):
            total += size
    return total
