"""A minimal, fast tar reader over a buffered byte source.

The stdlib ``tarfile`` builds a TarInfo per member and re-validates a lot per header; for
images with hundreds of thousands of entries that overhead dominates. This reader parses only
the fields image-audit needs (name, type, size, mode, link name) from ustar, GNU and PAX
headers, and skips member data by seeking when the source allows it, or by reading and
discarding big chunks when it is a stream (e.g. a gzip layer).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import BinaryIO, Protocol

from imageaudit.errors import AuditError

BLOCK = 512
CHUNK = 1 << 20  # big reads amortise Python call overhead over many small members


class Readable(Protocol):
    def read(self, size: int = -1, /) -> bytes: ...


class WindowFile:
    """Read-only, seekable view of ``length`` bytes starting at ``start`` in a shared file."""

    def __init__(self, fileobj: BinaryIO, start: int, length: int) -> None:
        self._f = fileobj
        self._start = start
        self.length = length
        self._pos = 0

    def read(self, size: int = -1, /) -> bytes:
        remaining = self.length - self._pos
        if size < 0 or size > remaining:
            size = remaining
        if size <= 0:
            return b""
        self._f.seek(self._start + self._pos)
        data = self._f.read(size)
        self._pos += len(data)
        return data

    def seek(self, pos: int) -> None:
        self._pos = pos

    def tell(self) -> int:
        return self._pos


class ByteSource:
    """Buffered reader with ``skip``; seekable when backed by a WindowFile."""

    def __init__(self, raw: Readable, window: WindowFile | None = None) -> None:
        self._raw = raw
        self._window = window
        self._buf = b""
        self._bpos = 0
        self._pos = 0  # logical offset of the next unread byte

    @classmethod
    def from_window(cls, window: WindowFile) -> ByteSource:
        return cls(window, window)

    @property
    def seekable(self) -> bool:
        return self._window is not None

    def tell(self) -> int:
        return self._pos

    def _fill(self, want: int) -> None:
        rest = self._buf[self._bpos :]
        parts = [rest]
        have = len(rest)
        while have < want:
            data = self._raw.read(max(CHUNK, want - have))
            if not data:
                break
            parts.append(data)
            have += len(data)
        self._buf = b"".join(parts)
        self._bpos = 0

    def read(self, size: int) -> bytes:
        """Read up to ``size`` bytes; fewer only at end of data."""
        end = self._bpos + size
        if end > len(self._buf):
            self._fill(size)
            end = size
        out = self._buf[self._bpos : end]
        self._bpos += len(out)
        self._pos += len(out)
        return out

    def skip(self, size: int) -> bool:
        """Advance ``size`` bytes; return False if the data ends first (truncation)."""
        avail = len(self._buf) - self._bpos
        if size <= avail:
            self._bpos += size
            self._pos += size
            return True
        if self._window is not None:
            target = self._pos + size
            if target > self._window.length:
                return False
            self._buf, self._bpos, self._pos = b"", 0, target
            self._window.seek(target)
            return True
        self._pos += avail
        size -= avail
        self._buf, self._bpos = b"", 0
        while size > 0:
            data = self._raw.read(min(size, 4 * CHUNK))
            if not data:
                return False
            size -= len(data)
            self._pos += len(data)
        return True

    def seek(self, pos: int) -> bool:
        """Move to an absolute offset; backwards only when seekable."""
        if pos >= self._pos:
            return self.skip(pos - self._pos)
        if self._window is None:
            return False
        back = self._pos - pos
        if back <= self._bpos:  # still in the buffer
            self._bpos -= back
            self._pos = pos
            return True
        self._buf, self._bpos, self._pos = b"", 0, pos
        self._window.seek(pos)
        return True


class TarEntry:
    """One member header; member data can be read through ``read_at`` while it is current."""

    __slots__ = ("name", "type", "size", "mode", "linkname", "_src", "_start")

    def __init__(
        self,
        name: str,
        type_: str,
        size: int,
        mode: int,
        linkname: str,
        src: ByteSource,
        start: int,
    ) -> None:
        self.name = name
        self.type = type_
        self.size = size
        self.mode = mode
        self.linkname = linkname
        self._src = src
        self._start = start

    @property
    def is_file(self) -> bool:
        return self.type in ("0", "\0", "7")

    def read_at(self, offset: int, size: int) -> bytes | None:
        """Read member bytes at ``offset``; None if that needs a backwards seek on a stream."""
        if offset >= self.size:
            return b""
        size = min(size, self.size - offset)
        if not self._src.seek(self._start + offset):
            return None
        data = self._src.read(size)
        if len(data) < size:
            raise AuditError("truncated archive: member data ends early")
        return data


def _num(field: bytes) -> int:
    """Decode an octal header number, or the GNU base-256 form for big values."""
    if field and field[0] & 0x80:
        value = field[0] & 0x3F
        for byte in field[1:]:
            value = (value << 8) | byte
        return -value if field[0] & 0x40 else value
    text = field.split(b"\0", 1)[0].strip(b" ")
    if not text:
        return 0
    try:
        return int(text, 8)
    except ValueError:
        raise AuditError("not a tar archive: invalid numeric header field") from None


def _fast_num(field: bytes) -> int:
    """The common case, ``b"0000644\\0"``; falls back to ``_num`` for anything else."""
    try:
        return int(field.rstrip(b"\0 ") or b"0", 8)
    except ValueError:
        return _num(field)


def _cstr(field: bytes) -> str:
    return field.split(b"\0", 1)[0].decode("utf-8", "surrogateescape")


def _pax_records(data: bytes) -> dict[str, str]:
    records: dict[str, str] = {}
    pos = 0
    while pos < len(data):
        space = data.find(b" ", pos)
        if space < 0:
            break
        try:
            length = int(data[pos:space])
        except ValueError:
            raise AuditError("not a tar archive: malformed PAX header") from None
        if length <= 0:
            break
        record = data[space + 1 : pos + length - 1]
        key, _, value = record.partition(b"=")
        records[key.decode("utf-8", "replace")] = value.decode("utf-8", "surrogateescape")
        pos += length
    return records


def iter_tar(src: ByteSource, what: str = "archive") -> Iterator[TarEntry]:
    """Yield the members of a tar stream; raise AuditError on corrupt or truncated data."""
    pending_name: str | None = None
    pending_link: str | None = None
    pending_size: int | None = None
    first = True
    while True:
        header = src.read(BLOCK)
        if not header:
            if first:
                raise AuditError(f"not a tar archive: {what} is empty")
            return  # tolerate a missing end-of-archive marker, like tar(1)
        if len(header) < BLOCK:
            raise AuditError(f"truncated archive: {what} ends inside a header")
        if not header[0] and header.count(0) == BLOCK:
            return
        try:
            stored = _fast_num(header[148:156])
        except AuditError:
            stored = -1
        computed = sum(header) - sum(header[148:156]) + 8 * 32
        if stored != computed:
            raise AuditError(f"not a tar archive: bad header checksum in {what}")
        first = False
        type_ = chr(header[156]) if header[156] else "0"
        size = _fast_num(header[124:136])
        start = src.tell()
        padded = (size + BLOCK - 1) // BLOCK * BLOCK
        if type_ in ("x", "g", "L", "K"):
            data = src.read(padded)
            if len(data) < padded:
                raise AuditError(f"truncated archive: {what} ends inside a header")
            data = data[:size]
            if type_ == "x":
                rec = _pax_records(data)
                pending_name = rec.get("path", pending_name)
                pending_link = rec.get("linkpath", pending_link)
                if "size" in rec:
                    pending_size = int(rec["size"])
            elif type_ == "L":
                pending_name = data.split(b"\0", 1)[0].decode("utf-8", "surrogateescape")
            elif type_ == "K":
                pending_link = data.split(b"\0", 1)[0].decode("utf-8", "surrogateescape")
            continue
        if pending_size is not None:
            size = pending_size
            padded = (size + BLOCK - 1) // BLOCK * BLOCK
        if pending_name is not None:
            name = pending_name
        else:
            name = _cstr(header[0:100])
            if header[257:262] == b"ustar" and header[345] and header[263:265] == b"00":
                name = _cstr(header[345:500]) + "/" + name
        if pending_link is not None:
            link = pending_link
        elif type_ in ("1", "2"):
            link = _cstr(header[157:257])
        else:
            link = ""
        pending_name = pending_link = None
        pending_size = None
        if type_ in ("1", "2", "3", "4", "5", "6"):
            # Links, devices, dirs and FIFOs carry no data regardless of the size field.
            size = size if type_ not in ("1", "2", "5") else 0
            padded = (size + BLOCK - 1) // BLOCK * BLOCK
        entry = TarEntry(name, type_, size, _fast_num(header[100:108]), link, src, start)
        yield entry
        if not src.seek(start + padded):
            raise AuditError(f"truncated archive: data of {name!r} in {what} is cut off")
