"""Benchmark image-audit on a synthetic >= 1 GB docker-save archive.

Generates the archive in a temporary directory (zeros as content: the layers are plain,
uncompressed tars, so content bytes cost I/O, not compression), then measures wall time and
peak RSS of ``image-audit ARCHIVE --json`` against ``tar -tvf ARCHIVE`` and against a full
listing of every layer (``tar -xOf ARCHIVE LAYER | tar -tvf -``), each in a fresh child.

Usage: python benchmarks/image_audit/bench.py [--keep] [--runs 3] [--out FILE]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BLOCK = 512


class Zeros:
    def __init__(self, size: int) -> None:
        self.left = size

    def read(self, n: int = -1) -> bytes:
        n = self.left if n < 0 else min(n, self.left)
        self.left -= n
        return bytes(n)


def _add(tar: tarfile.TarFile, name: str, size: int, mode: int = 0o644) -> None:
    info = tarfile.TarInfo(name)
    info.size, info.mode, info.mtime = size, mode, 1_700_000_000
    tar.addfile(info, Zeros(size))  # type: ignore[arg-type]


def _layer_specs() -> list[tuple[str, list[tuple[str, int, int]]]]:
    """(created_by, [(path, size, mode)]) per layer: ~62k files, ~1.1 GB in total."""
    layers: list[tuple[str, list[tuple[str, int, int]]]] = []
    base = [
        (f"usr/lib/x86_64-linux-gnu/pkg{i // 100}/lib{i}.so.1", 2048 + (i % 7) * 512, 0o644)
        for i in range(20_000)
    ]
    base += [(f"usr/share/doc/pkg{i // 50}/copyright", 1500, 0o644) for i in range(5_000)]
    layers.append(("ADD rootfs.tar /", base))
    site = "usr/local/lib/python3.11/site-packages"
    deps = [
        (f"{site}/dep{i // 200}/mod{i}.py", 4096 + (i % 13) * 256, 0o644) for i in range(20_000)
    ]
    deps += [(f"{site}/bigdep/lib/libbig{i}.so", 300_000_000, 0o755) for i in range(2)]
    deps += [(f"root/.cache/pip/http/{i % 16:x}/{i}", 8000, 0o644) for i in range(2_000)]
    layers.append(("RUN pip install -r requirements.txt", deps))
    models = [("models/weights.bin", 350_000_000, 0o644)]
    models += [(f"models/vocab/part{i}.txt", 900, 0o644) for i in range(10_000)]
    layers.append(("COPY models /models", models))
    app = [(f"app/src/pkg{i // 100}/file{i}.py", 3000, 0o644) for i in range(4_000)]
    app += [(f"app/tests/test_{i}.py", 1200, 0o644) for i in range(1_000)]
    layers.append(("COPY . /app", app))
    chmod = [(f"app/src/pkg{i // 100}/file{i}.py", 3000, 0o755) for i in range(0, 4_000, 4)]
    layers.append(("RUN chmod -R +x /app/src", chmod))
    return layers


def generate(path: Path) -> tuple[int, int]:
    """Write the archive; return (files, bytes of regular-file content)."""
    files = total = 0
    layer_names = []
    history = []
    with open(path, "wb") as out:
        for index, (created_by, entries) in enumerate(_layer_specs()):
            name = f"{index:064x}/layer.tar"
            header_pos = out.tell()
            out.write(b"\0" * BLOCK)  # placeholder, rewritten once the size is known
            start = out.tell()
            with tarfile.open(fileobj=out, mode="w", format=tarfile.PAX_FORMAT) as tar:
                dirs: set[str] = set()
                for path_, size, mode in entries:
                    parent = path_.rpartition("/")[0]
                    if parent and parent not in dirs:
                        info = tarfile.TarInfo(parent)
                        info.type, info.mode = tarfile.DIRTYPE, 0o755
                        tar.addfile(info)
                        dirs.add(parent)
                    _add(tar, path_, size, mode)
                    files += 1
                    total += size
            size = out.tell() - start
            out.write(b"\0" * (-size % BLOCK))
            end = out.tell()
            info = tarfile.TarInfo(name)
            info.size = size
            out.seek(header_pos)
            out.write(info.tobuf(tarfile.USTAR_FORMAT))
            out.seek(end)
            layer_names.append(name)
            history.append({"created_by": created_by})
        config = json.dumps(
            {
                "architecture": "amd64",
                "os": "linux",
                "config": {"User": ""},
                "history": history,
                "rootfs": {"type": "layers", "diff_ids": []},
            }
        ).encode()
        manifest = json.dumps(
            [{"Config": "config.json", "RepoTags": ["bench:latest"], "Layers": layer_names}]
        ).encode()
        with tarfile.open(fileobj=out, mode="w", format=tarfile.USTAR_FORMAT) as tar:
            for member, data in (("config.json", config), ("manifest.json", manifest)):
                info = tarfile.TarInfo(member)
                info.size = len(data)
                tar.addfile(info, Zeros(0) if not data else _Bytes(data))  # type: ignore[arg-type]
    return files, total


class _Bytes:
    def __init__(self, data: bytes) -> None:
        self.data = data

    def read(self, n: int = -1) -> bytes:
        out, self.data = (self.data, b"") if n < 0 else (self.data[:n], self.data[n:])
        return out


def measure_child(cmd: str) -> None:
    """Run ``cmd`` in a shell and print its wall time and peak RSS (children only)."""
    start = time.perf_counter()
    rc = subprocess.call(cmd, shell=True, stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    sys.stdout.write(
        json.dumps(
            {
                "rc": rc,
                "wall_s": wall,
                "cpu_s": usage.ru_utime + usage.ru_stime,
                "max_rss_mib": usage.ru_maxrss / 1024,
            }
        )
        + "\n"
    )


def measure(cmd: str, runs: int) -> dict[str, float]:
    results = []
    for _ in range(runs):
        out = subprocess.run(
            [sys.executable, __file__, "--child", cmd], check=True, capture_output=True, text=True
        ).stdout
        result = json.loads(out)
        if result["rc"] != 0:
            raise SystemExit(f"command failed: {cmd}")
        results.append(result)
    return {
        "wall_s": statistics.median(r["wall_s"] for r in results),
        "cpu_s": statistics.median(r["cpu_s"] for r in results),
        "max_rss_mib": max(r["max_rss_mib"] for r in results),
    }


def _machine() -> dict[str, str]:
    cpu = "unknown"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    mem = Path("/proc/meminfo").read_text().splitlines()[0].split()[1]
    return {
        "nproc": str(os.cpu_count()),
        "cpu": cpu,
        "memory": f"{int(mem) / 2**20:.1f} GiB",
        "python": platform.python_version(),
        "tar": subprocess.run(
            ["tar", "--version"], capture_output=True, text=True
        ).stdout.splitlines()[0],
    }


def _portable(commands: dict[str, str]) -> dict[str, str]:
    """The commands as recorded: relative to the repository, with no local paths."""
    return {
        name: cmd.replace(str(ROOT / "src"), "src").replace(sys.executable, "python3")
        for name, cmd in commands.items()
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--child")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--keep", action="store_true")
    parser.add_argument("--out")
    args = parser.parse_args()
    if args.child:
        measure_child(args.child)
        return
    workdir = Path(tempfile.mkdtemp(prefix="image-audit-bench-"))
    try:
        archive = workdir / "bench.tar"
        t0 = time.perf_counter()
        files, content = generate(archive)
        gen_s = time.perf_counter() - t0
        layers = " ".join(f"{i:064x}/layer.tar" for i in range(len(_layer_specs())))
        env = f"PYTHONPATH={ROOT / 'src'}"
        commands = {
            "image-audit --json": f"{env} {sys.executable} -m imageaudit {archive} --json",
            "tar -tvf (outer archive)": f"tar -tvf {archive}",
            "tar -tvf of every layer": (
                f"for l in {layers}; do tar -xOf {archive} $l | tar -tvf - ; done"
            ),
        }
        # flush the freshly written archive, then warm the page cache for every command
        subprocess.run(f"sync && cat {archive} > /dev/null", shell=True, check=True)
        results = {name: measure(cmd, args.runs) for name, cmd in commands.items()}
        report = {
            "machine": _machine(),
            "archive_bytes": archive.stat().st_size,
            "files": files,
            "content_bytes": content,
            "generate_s": gen_s,
            "runs": args.runs,
            "commands": _portable(commands),
            "results": results,
        }
        text = json.dumps(report, indent=2) + "\n"
        if args.out:
            Path(args.out).write_text(text)
        sys.stdout.write(text)
    finally:
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
        else:
            sys.stderr.write(f"kept {workdir}\n")


if __name__ == "__main__":
    main()
