"""Run image-audit on the reference CUDA PyTorch image and keep its reports and costs.

The image comes from benchmarks/image_audit/cuda_torch.sh. This saves it (and its base) with
`docker save`, then runs image-audit on the archive three times, in a fresh child each time
(text, --markdown, --json) after reading the archive once to warm the page cache, measuring
wall time, CPU time and peak RSS. Writes image_audit_cuda_torch.{txt,md,json} and
image_audit_cuda_torch_run.json (machine, commands, costs, Docker's own size of the image)
to --out-dir. APT names its list files after the
mirror they came from; in the kept reports that host name reads MIRROR.

Usage: python benchmarks/image_audit/cuda_torch.py IMAGE [--base BASE] [--out-dir DIR]
       [--workdir DIR]   (keep the saved archives there; an archive already there is reused)
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
DOCKER = shutil.which("docker") or "docker"
ARCHIVE = "cuda-torch.tar"  # the name the reports show as their source
# /var/lib/apt/lists/<host>_<path>_dists_...: the mirror's host name.
APT_LIST_HOST = re.compile(r"(/var/lib/apt/lists/)[^_/\s]+_")
BASE_ARCHIVE = "base.tar"


def measure_child(cmd: list[str], cwd: str, out: str) -> None:
    """Run in a fresh interpreter: ``cmd`` with stdout to ``out``; print its costs as JSON."""
    start = time.perf_counter()
    with open(out, "wb") as sink:
        rc = subprocess.run(cmd, cwd=cwd, stdout=sink).returncode
    wall = time.perf_counter() - start
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    result = {
        "rc": rc,
        "wall_s": round(wall, 2),
        "cpu_s": round(usage.ru_utime + usage.ru_stime, 2),
        "peak_rss_mib": round(usage.ru_maxrss / 1024, 1),  # Linux: KiB
    }
    print(json.dumps(result))


def _measure(cmd: list[str], cwd: str, out: str) -> dict[str, Any]:
    proc = subprocess.run(
        [sys.executable, __file__, "--child", out, cwd, "--", *cmd],
        capture_output=True,
        text=True,
        check=True,
    )
    result: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    if result["rc"] != 0:
        raise SystemExit(f"{' '.join(cmd)} exited {result['rc']}")
    return result


def _warm_cache(path: str) -> None:
    """Read the archive once, so that the runs measure image-audit rather than the disk."""
    with open(path, "rb") as f:
        while f.read(1 << 24):
            pass


def _docker(*args: str) -> str:
    return subprocess.run([DOCKER, *args], capture_output=True, text=True, check=True).stdout


def _machine() -> dict[str, str]:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return {
        "nproc": str(os.cpu_count()),
        "cpu": cpu,
        "memory": f"{mem:.1f} GiB",
        "python": platform.python_version(),
        "docker": _docker("version", "--format", "{{.Server.Version}}").strip(),
        "storage_driver": _docker("info", "--format", "{{.Driver}}").strip(),
        "load_average": " ".join(f"{x:.1f}" for x in os.getloadavg()),
    }


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        out, cwd = sys.argv[2], sys.argv[3]
        measure_child(sys.argv[5:], cwd, out)
        return
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("image")
    ap.add_argument("--base", help="the base image, for the base/added split")
    ap.add_argument("--out-dir", type=Path, default=ROOT / "benchmarks" / "results")
    ap.add_argument("--workdir", type=Path, help="keep (and reuse) the saved archives here")
    args = ap.parse_args()
    args.out_dir.mkdir(parents=True, exist_ok=True)
    stem = "image_audit_cuda_torch"
    cli = [sys.executable, "-m", "imageaudit", ARCHIVE]
    if args.base:
        cli += ["--base", BASE_ARCHIVE]
    with tempfile.TemporaryDirectory(prefix="image-audit-cuda-") as scratch:
        tmp = str(args.workdir) if args.workdir else scratch
        os.makedirs(tmp, exist_ok=True)
        timing = Path(tmp, ARCHIVE + ".save_s")  # how long the kept archive took to save
        if not os.path.exists(os.path.join(tmp, ARCHIVE)):
            start = time.perf_counter()
            _docker("save", "-o", os.path.join(tmp, ARCHIVE), args.image)
            timing.write_text(f"{time.perf_counter() - start:.1f}\n")
        save_s = float(timing.read_text()) if timing.exists() else None
        if args.base and not os.path.exists(os.path.join(tmp, BASE_ARCHIVE)):
            _docker("save", "-o", os.path.join(tmp, BASE_ARCHIVE), args.base)
        archive_bytes = os.path.getsize(os.path.join(tmp, ARCHIVE))
        _warm_cache(os.path.join(tmp, ARCHIVE))
        runs = {}
        for fmt, extra, suffix in (("text", [], "txt"), ("markdown", ["--markdown"], "md")):
            runs[fmt] = _measure([*cli, *extra], tmp, str(args.out_dir / f"{stem}.{suffix}"))
        runs["json"] = _measure([*cli, "--json"], tmp, str(args.out_dir / f"{stem}.json"))
    for suffix in ("txt", "md", "json"):
        out = args.out_dir / f"{stem}.{suffix}"
        out.write_text(APT_LIST_HOST.sub(r"\1MIRROR_", out.read_text()))
    doc = json.loads((args.out_dir / f"{stem}.json").read_text())
    docker_size = int(_docker("image", "inspect", "-f", "{{.Size}}", args.image).strip())
    command = "python -m imageaudit " + ARCHIVE + (f" --base {BASE_ARCHIVE}" if args.base else "")
    record = {
        "image": args.image,
        "image_id": _docker("image", "inspect", "-f", "{{.Id}}", args.image).strip(),
        "base": args.base,
        "machine": _machine(),
        "commands": {
            "save": f"docker save -o {ARCHIVE} {args.image}"
            + (f"; docker save -o {BASE_ARCHIVE} {args.base}" if args.base else ""),
            "text": command,
            "markdown": command + " --markdown",
            "json": command + " --json",
        },
        "archive_bytes": archive_bytes,
        "docker_save_s": save_s,
        "runs": runs,
        "total": doc["sizes"]["total"],
        "docker_image_inspect_size": docker_size,
        "equal_to_docker": doc["sizes"]["total"] == docker_size,
    }
    (args.out_dir / f"{stem}_run.json").write_text(json.dumps(record, indent=2) + "\n")
    print(json.dumps(record, indent=2))


if __name__ == "__main__":
    main()
