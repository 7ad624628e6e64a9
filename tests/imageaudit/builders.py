"""Build synthetic image archives (docker-save legacy/OCI forms and OCI layouts) for tests."""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import struct
import tarfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass
class Entry:
    info: tarfile.TarInfo
    data: bytes = b""


def file(path: str, data: bytes | int, mode: int = 0o644, uid: int = 0) -> Entry:
    content = b"\0" * data if isinstance(data, int) else data
    info = tarfile.TarInfo(path)
    info.size, info.mode, info.uid = len(content), mode, uid
    return Entry(info, content)


def directory(path: str, mode: int = 0o755) -> Entry:
    info = tarfile.TarInfo(path)
    info.type, info.mode = tarfile.DIRTYPE, mode
    return Entry(info)


def symlink(path: str, target: str) -> Entry:
    info = tarfile.TarInfo(path)
    info.type, info.linkname = tarfile.SYMTYPE, target
    return Entry(info)


def hardlink(path: str, target: str) -> Entry:
    info = tarfile.TarInfo(path)
    info.type, info.linkname = tarfile.LNKTYPE, target
    return Entry(info)


def fifo(path: str) -> Entry:
    info = tarfile.TarInfo(path)
    info.type = tarfile.FIFOTYPE
    return Entry(info)


def whiteout(path: str) -> Entry:
    parent, _, name = path.rpartition("/")
    return file(f"{parent}/.wh.{name}" if parent else f".wh.{name}", b"")


def opaque(dirpath: str) -> Entry:
    return file(f"{dirpath}/.wh..wh..opq", b"")


def layer_tar(entries: list[Entry], fmt: int = tarfile.PAX_FORMAT) -> bytes:
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=fmt) as tar:
        for entry in entries:
            tar.addfile(entry.info, io.BytesIO(entry.data) if entry.info.isfile() else None)
    return buf.getvalue()


@dataclass
class Layer:
    entries: list[Entry]
    created_by: str = "RUN step"
    compress: str | None = None  # None or "gzip"
    fmt: int = tarfile.PAX_FORMAT

    def raw(self) -> bytes:
        return layer_tar(self.entries, self.fmt)

    def blob(self) -> bytes:
        raw = self.raw()
        return gzip.compress(raw, mtime=0) if self.compress == "gzip" else raw


@dataclass
class Image:
    layers: list[Layer]
    user: str = ""
    env: list[str] = field(default_factory=lambda: ["PATH=/usr/local/bin:/usr/bin:/bin"])
    labels: dict[str, str] = field(default_factory=dict)
    history: list[dict[str, Any]] | None = None

    def config(self) -> dict[str, Any]:
        history = self.history
        if history is None:
            history = [{"created_by": layer.created_by} for layer in self.layers]
        return {
            "architecture": "amd64",
            "os": "linux",
            "config": {"User": self.user, "Env": self.env, "Labels": self.labels or None},
            "rootfs": {
                "type": "layers",
                "diff_ids": ["sha256:" + sha(layer.raw()) for layer in self.layers],
            },
            "history": history,
        }


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _add(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    tar.addfile(info, io.BytesIO(data))


def write_docker_save(path: Path, image: Image, tag: str = "test/image:latest") -> Path:
    """Legacy ``docker save`` form: ``<id>/layer.tar`` + ``<config>.json`` + manifest.json."""
    config = json.dumps(image.config()).encode()
    config_name = sha(config) + ".json"
    with tarfile.open(path, "w") as tar:
        names = []
        for i, layer in enumerate(image.layers):
            name = f"{i:064x}/layer.tar"
            _add(tar, f"{i:064x}/VERSION", b"1.0")
            _add(tar, name, layer.blob())
            names.append(name)
        _add(tar, config_name, config)
        manifest = [{"Config": config_name, "RepoTags": [tag], "Layers": names}]
        _add(tar, "manifest.json", json.dumps(manifest).encode())
    return path


def _oci_files(image: Image, with_docker_manifest: bool) -> dict[str, bytes]:
    files: dict[str, bytes] = {"oci-layout": b'{"imageLayoutVersion": "1.0.0"}'}
    config = json.dumps(image.config()).encode()
    files["blobs/sha256/" + sha(config)] = config
    descs = []
    for layer in image.layers:
        blob = layer.blob()
        files["blobs/sha256/" + sha(blob)] = blob
        media = "application/vnd.oci.image.layer.v1.tar"
        descs.append(
            {
                "mediaType": media + ("+gzip" if layer.compress else ""),
                "digest": "sha256:" + sha(blob),
                "size": len(blob),
            }
        )
    manifest = json.dumps(
        {
            "schemaVersion": 2,
            "mediaType": "application/vnd.oci.image.manifest.v1+json",
            "config": {
                "mediaType": "application/vnd.oci.image.config.v1+json",
                "digest": "sha256:" + sha(config),
                "size": len(config),
            },
            "layers": descs,
        }
    ).encode()
    files["blobs/sha256/" + sha(manifest)] = manifest
    files["index.json"] = json.dumps(
        {
            "schemaVersion": 2,
            "manifests": [
                {
                    "mediaType": "application/vnd.oci.image.manifest.v1+json",
                    "digest": "sha256:" + sha(manifest),
                    "size": len(manifest),
                }
            ],
        }
    ).encode()
    if with_docker_manifest:
        files["manifest.json"] = json.dumps(
            [
                {
                    "Config": "blobs/sha256/" + sha(config),
                    "RepoTags": ["test/image:latest"],
                    "Layers": [f"blobs/sha256/{d['digest'][7:]}" for d in descs],
                }
            ]
        ).encode()
    return files


def write_oci_archive(path: Path, image: Image, with_docker_manifest: bool = True) -> Path:
    """The form newer Docker writes: OCI layout plus a docker manifest.json, in one tar."""
    with tarfile.open(path, "w") as tar:
        for name, data in _oci_files(image, with_docker_manifest).items():
            _add(tar, name, data)
    return path


def write_oci_dir(path: Path, image: Image) -> Path:
    for name, data in _oci_files(image, False).items():
        target = path / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    return path


def write_raw_archive(path: Path, members: dict[str, bytes]) -> Path:
    with tarfile.open(path, "w") as tar:
        for name, data in members.items():
            _add(tar, name, data)
    return path


def elf64(sections: list[tuple[str, int]], big_endian: bool = False) -> bytes:
    """A minimal ELF64 file: header, section contents, .shstrtab, then the section table."""
    e = ">" if big_endian else "<"
    names = b"\0"
    offsets = []
    for name, _ in [*sections, (".shstrtab", 0)]:
        offsets.append(len(names))
        names += name.encode() + b"\0"
    body = b""
    table = [struct.pack(e + "IIQQQQIIQQ", 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)]
    pos = 64
    for (_name, size), name_off in zip(sections, offsets, strict=False):
        table.append(struct.pack(e + "IIQQQQIIQQ", name_off, 1, 0, 0, pos, size, 0, 0, 1, 0))
        body += b"\x90" * size
        pos += size
    table.append(struct.pack(e + "IIQQQQIIQQ", offsets[-1], 3, 0, 0, pos, len(names), 0, 0, 1, 0))
    body += names
    shoff = 64 + len(body)
    ident = b"\x7fELF" + bytes([2, 2 if big_endian else 1, 1]) + b"\0" * 9
    header = ident + struct.pack(
        e + "HHIQQQIHHHHHH", 3, 62, 1, 0, 0, shoff, 0, 64, 56, 0, 64, len(table), len(table) - 1
    )
    assert len(header) == 64
    return header + body + b"".join(table)


def elf32(sections: list[tuple[str, int]]) -> bytes:
    names = b"\0"
    offsets = []
    for name, _ in [*sections, (".shstrtab", 0)]:
        offsets.append(len(names))
        names += name.encode() + b"\0"
    body = b""
    table = [struct.pack("<10I", *([0] * 10))]
    pos = 52
    for (_name, size), name_off in zip(sections, offsets, strict=False):
        table.append(struct.pack("<10I", name_off, 1, 0, 0, pos, size, 0, 0, 1, 0))
        body += b"\x90" * size
        pos += size
    table.append(struct.pack("<10I", offsets[-1], 3, 0, 0, pos, len(names), 0, 0, 1, 0))
    body += names
    shoff = 52 + len(body)
    ident = b"\x7fELF" + bytes([1, 1, 1]) + b"\0" * 9
    header = ident + struct.pack(
        "<HHIIIIIHHHHHH", 2, 3, 1, 0, 0, shoff, 0, 52, 32, 0, 40, len(table), len(table) - 1
    )
    return header + body + b"".join(table)


SITE = "usr/local/lib/python3.11/site-packages"
STATUS_BASE = (
    b"Package: libc6\nStatus: install ok installed\nInstalled-Size: 10\n"
    b"Architecture: amd64\nVersion: 2.36-9\n\n"
)
STATUS_FULL = STATUS_BASE + (
    b"Package: gcc-12\nStatus: install ok installed\nInstalled-Size: 50\nArchitecture: amd64\n"
    b"Version: 12.2.0-14\nDescription: compiler\n multi-line description\n\n"
    b"Package: gcc-12-base\nStatus: install ok installed\nInstalled-Size: 1\n"
    b"Architecture: amd64\nVersion: 12.2.0-14\n\n"
    b"Package: libpq-dev\nStatus: install ok installed\nInstalled-Size: 20\n"
    b"Architecture: amd64\nVersion: 15.5-0\n\n"
    b"Package: removed-pkg\nStatus: deinstall ok config-files\nInstalled-Size: 99\n\n"
)
PYTEST_RECORD = (
    b"_pytest/main.py,sha256=x,6000\npytest/__init__.py,sha256=y,100\n"
    b"pytest-8.0.0.dist-info/METADATA,,\npytest-8.0.0.dist-info/RECORD,,\n"
    b"_pytest/missing.py,sha256=z,77\n"
)
PYTEST_METADATA = b"Metadata-Version: 2.1\nName: pytest\nVersion: 8.0.0\n\nName: not-this\n"
PIP_RECORD = b"pip/__init__.py,,3000\n../../../bin/pip,,200\npip-24.0.dist-info/RECORD,,\n"
DEBUG_SO = elf64([(".text", 100), (".debug_info", 4000), (".debug_line", 1000)])
ENV_FILE = b"SECRET_KEY=hunter2\n"


# Two layers whose sizes were measured with Docker 20.10 (tests/imageaudit/
# test_docker_accounting.py): regular files and symlinks, hard links, a FIFO, a zero-size
# file, a whiteout and an opaque directory.
_LONG_TARGET = "/usr/lib/x86_64-linux-gnu/libsomething.so.1.2.3"  # 47 bytes

ACCOUNTING_FIRST = Layer(
    [
        directory("d"),
        file("d/f", 100),
        symlink("d/s", "f"),  # 1 byte
        hardlink("d/h", "d/f"),  # the same inode as d/f: counted once
        file("d/dup", 70),
        file("d/z", 0),
        symlink("d/long", _LONG_TARGET),
        fifo("d/p"),
        file("d/hl2", 40),
        hardlink("d/hl2b", "d/hl2"),
    ],
    "ADD l1.tar /",
)
ACCOUNTING_SECOND = Layer(
    [
        directory("d"),
        whiteout("d/s"),
        file("d/f", 30),
        symlink("d/s2", "dup"),  # 3 bytes
        directory("e"),
        opaque("e"),
    ],
    "ADD l2.tar /",
)
ACCOUNTING_FILE_BYTES = [100 + 70 + 40, 30]
ACCOUNTING_LINK_BYTES = [1 + len(_LONG_TARGET), 3]


def bloated_image() -> Image:
    """Every finding in one image; sizes chosen so each number in the tests is checkable."""
    base = Layer(
        [
            file("bin/sh", 1000, 0o755),
            file("usr/lib/x86_64-linux-gnu/libc.so.6", elf64([(".text", 2000)])),
            symlink("lib", "usr/lib"),
            file("var/lib/dpkg/status", STATUS_BASE),
            file(
                "var/lib/dpkg/info/libc6:amd64.list",
                b"/.\n/usr/lib/x86_64-linux-gnu\n/lib/x86_64-linux-gnu/libc.so.6\n",
            ),
            file("etc/passwd", 100),
        ],
        "ADD rootfs.tar /",
    )
    apt = Layer(
        [
            file("usr/bin/gcc-12", 3000, 0o755),
            symlink("usr/bin/gcc", "gcc-12"),
            file("usr/lib/gcc/x86_64-linux-gnu/12/cc1", 5000, 0o755),
            file("usr/include/libpq-fe.h", 700),
            file("var/lib/dpkg/status", STATUS_FULL),
            file(
                "var/lib/dpkg/info/gcc-12:amd64.list",
                b"/usr/bin/gcc-12\n/usr/lib/gcc/x86_64-linux-gnu/12/cc1\n",
            ),
            file("var/lib/dpkg/info/libpq-dev:amd64.list", b"/usr/include/libpq-fe.h\n"),
            file("var/lib/apt/lists/deb_dists_main", 4000),
            file("var/lib/apt/lists/lock", 0),
            file("var/cache/apt/archives/gcc.deb", 2500),
        ],
        "RUN apt-get update && apt-get install -y gcc libpq-dev",
    )
    pip = Layer(
        [
            file(f"{SITE}/pytest-8.0.0.dist-info/METADATA", PYTEST_METADATA),
            file(f"{SITE}/pytest-8.0.0.dist-info/RECORD", PYTEST_RECORD),
            file(f"{SITE}/_pytest/main.py", 6000),
            file(f"{SITE}/pytest/__init__.py", 100),
            file(f"{SITE}/pip-24.0.dist-info/RECORD", PIP_RECORD),
            file(f"{SITE}/pip/__init__.py", 3000),
            file("usr/local/bin/pip", 200, 0o755),
            file("root/.cache/pip/http/ab/cd", 8000),
        ],
        "RUN pip install pytest",
    )
    app = Layer(
        [
            file("app/main.py", 500),
            file("app/tests/test_main.py", 1200),
            file("app/scripts/deploy.sh", 300, 0o755),
            file("app/.env", ENV_FILE),
            file("app/model.bin", 150),
            file("app/libdebug.so", DEBUG_SO),
        ],
        "COPY . /app",
    )
    cleanup = Layer([whiteout("var/cache/apt/archives/gcc.deb")], "RUN rm gcc.deb")
    return Image(
        [base, apt, pip, app, cleanup],
        history=[
            {"created_by": "ADD rootfs.tar /"},
            {"created_by": '/bin/sh -c #(nop)  CMD ["bash"]', "empty_layer": True},
            {"created_by": apt.created_by},
            {"created_by": pip.created_by},
            {"created_by": app.created_by},
            {"created_by": cleanup.created_by},
        ],
    )


def _deb_stanza(name: str, fields: str = "") -> bytes:
    return (
        f"Package: {name}\nStatus: install ok installed\nArchitecture: amd64\n"
        f"Version: 1\n{fields}\n"
    ).encode()


def _debs(packages: dict[str, tuple[int, str]]) -> tuple[bytes, list[Entry]]:
    status = b""
    entries: list[Entry] = []
    for name, (size, fields) in packages.items():
        status += _deb_stanza(name, fields)
        entries.append(file(f"usr/lib/{name}/data", size))
        entries.append(file(f"var/lib/dpkg/info/{name}.list", f"/usr/lib/{name}/data\n".encode()))
    return status, entries


def _wheel(name: str, files: dict[str, int], requires: list[str]) -> list[Entry]:
    info = f"{SITE}/{name.replace('-', '_')}-1.0.dist-info"
    meta = f"Name: {name}\nVersion: 1.0\n" + "".join(f"Requires-Dist: {r}\n" for r in requires)
    record = "".join(f"{path},,\n" for path in files)
    entries = [
        file(f"{info}/METADATA", meta.encode() + b"\n"),
        file(f"{info}/RECORD", record.encode()),
    ]
    return entries + [file(f"{SITE}/{path}", size) for path, size in files.items()]


BASE_DEBS = {
    "libc6": (40_000, "Priority: required\n"),
    "coreutils": (30_000, "Essential: yes\nPre-Depends: libc6\n"),
    "perl-base": (20_000, "Essential: yes\n"),
}
APT_DEBS = {
    "gcc-12": (60_000, "Depends: cpp-12, binutils, libgcc-12-dev, libc6\n"),
    "cpp-12": (50_000, "Depends: libisl23\n"),
    "libisl23": (7_000, ""),
    "libgcc-12-dev": (9_000, "Depends: libasan8\n"),
    "libasan8": (11_000, ""),
    "binutils": (25_000, ""),
    "make": (5_000, ""),
    "dpkg-dev": (3_000, "Depends: perl, make\n"),
    "perl": (17_000, "Pre-Depends: perl-base\n"),
}


def cuda_torch_like_image() -> Image:
    """A small stand-in for a one-stage CUDA PyTorch image with the usual mistakes: an
    imported Debian root filesystem (no history), a compiler toolchain, default CUDA
    wheels, test tools, tests/ and scripts/ copied in, root user."""
    base_status, base_files = _debs(BASE_DEBS)
    apt_status, apt_files = _debs(APT_DEBS)
    rootfs = Layer(
        [
            file("usr/lib/os-release", b'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\n'),
            symlink("etc/os-release", "../usr/lib/os-release"),
            symlink("bin", "usr/bin"),
            file("var/lib/dpkg/status", base_status),
            *base_files,
        ]
    )
    apt = Layer(
        [
            file("var/lib/dpkg/status", base_status + apt_status),
            # dpkg rewrites the file lists of packages it did not touch
            file("var/lib/dpkg/info/coreutils.list", b"/usr/lib/coreutils/data\n"),
            file("var/lib/apt/lists/mirror.example_dists_bookworm_main", 8_000),
            *apt_files,
        ],
        "RUN apt-get update && apt-get install -y build-essential",
    )
    wheels = Layer(
        _wheel(
            "torch",
            {"torch/lib/libtorch_cuda.so": 400_000, "torch/lib/libtorch_cpu.so": 150_000},
            ["nvidia-cublas-cu12", "triton", "filelock"],
        )
        + _wheel("nvidia-cublas-cu12", {"nvidia/cublas/lib/libcublas.so.12": 250_000}, [])
        + _wheel("triton", {"triton/_C/libtriton.so": 90_000}, ["filelock"])
        + _wheel("filelock", {"filelock/__init__.py": 1_000}, [])
        + _wheel("pytest", {"_pytest/main.py": 6_000}, ["pluggy", "iniconfig"])
        + _wheel("pluggy", {"pluggy/__init__.py": 2_000}, [])
        + _wheel("iniconfig", {"iniconfig/__init__.py": 1_000}, [])
        + _wheel("Mypy_Extensions", {"mypy_extensions.py": 500}, []),
        "RUN pip install torch pytest",
    )
    app = Layer(
        [
            file("app/main.py", 3_000),
            file("app/tests/test_main.py", 2_500),
            file("app/scripts/train.py", 1_000),
        ],
        "COPY . /app",
    )
    return Image(
        [rootfs, apt, wheels, app],
        history=[
            {"created_by": "", "comment": "Imported from -"},  # what `docker import` records
            {"created_by": apt.created_by},
            {"created_by": wheels.created_by},
            {"created_by": app.created_by},
        ],
    )
