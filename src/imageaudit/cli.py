"""Command line: ``image-audit ARCHIVE|DIR`` or ``image-audit --docker IMAGE``.

Exit codes: 0 ok, 1 budget breach, 2 unusable input (one-line reason on stderr).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import zlib
from collections.abc import Sequence

from imageaudit import __version__, jsonout, report
from imageaudit.analysis import UNPACKED_MODES, analyse, base_diff_ids
from imageaudit.budgets import Budget, check, load_budget
from imageaudit.errors import AuditError
from imageaudit.findings import Options, projected_size, run_rules
from imageaudit.rules_files import RULES as FILE_RULES
from imageaudit.rules_packages import RULES as PACKAGE_RULES
from imageaudit.rules_python import RULES as PYTHON_RULES
from imageaudit.units import parse_size

EXIT_OK, EXIT_BUDGET, EXIT_INPUT = 0, 1, 2


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="image-audit",
        description="Explain where the bytes of a container image go and check size budgets.",
    )
    p.add_argument("source", nargs="?", help="docker-save archive, OCI layout tar or directory")
    p.add_argument("--docker", metavar="IMAGE", help="analyse a local image via 'docker save'")
    fmt = p.add_mutually_exclusive_group()
    fmt.add_argument("--json", action="store_true", help="print the JSON report")
    fmt.add_argument("--markdown", action="store_true", help="print a Markdown report")
    p.add_argument("-o", "--output", metavar="FILE", help="write the report to FILE")
    p.add_argument("--budget", metavar="TOML", help="check the image against a budget file")
    p.add_argument("--baseline", metavar="JSON", help="compare with an earlier --json report")
    p.add_argument("--gpu", action="store_true", help="the image is meant to run on GPUs")
    p.add_argument("--top", type=int, default=10, metavar="N", help="rows per table (10)")
    p.add_argument(
        "--large-file-threshold",
        default="100MB",
        metavar="SIZE",
        help="report single files above SIZE (default 100MB)",
    )
    p.add_argument("--base-layers", type=int, metavar="N", help="the first N layers are the base")
    p.add_argument("--base-diff-id", metavar="DIGEST", help="diff-id of the base's last layer")
    p.add_argument(
        "--base",
        metavar="IMAGE|ARCHIVE",
        help="the base image (archive, layout or local image); its layers are the base",
    )
    p.add_argument(
        "--unpacked-layers",
        choices=UNPACKED_MODES,
        default="auto",
        help="which layers Docker unpacked from a tar (pulled, loaded, imported) rather than "
        "built with BuildKit; Docker counts their symlinks. auto: layers without BuildKit "
        "history; base: those and the base layers; all; none (default auto)",
    )
    p.add_argument(
        "--ignore", action="append", default=[], metavar="ID", help="drop a finding id (repeatable)"
    )
    p.add_argument("--version", action="version", version=f"image-audit {__version__}")
    return p


def _docker_save(image: str, workdir: str) -> str:
    docker = shutil.which("docker")
    if docker is None:
        raise AuditError("--docker needs the docker CLI on PATH")
    target = os.path.join(workdir, "image.tar")
    proc = subprocess.run([docker, "save", "-o", target, image], capture_output=True, text=True)
    if proc.returncode != 0:
        lines = proc.stderr.strip().splitlines() or [f"exit status {proc.returncode}"]
        raise AuditError(f"docker save {image} failed: {lines[-1]}")
    return target


def _run(args: argparse.Namespace) -> int:
    if bool(args.source) == bool(args.docker):
        raise AuditError("give exactly one of ARCHIVE/DIR or --docker IMAGE")
    try:
        threshold = parse_size(args.large_file_threshold)
    except ValueError as exc:
        raise AuditError(f"--large-file-threshold: {exc}") from None
    budget = load_budget(args.budget) if args.budget else Budget()
    baseline = jsonout.load_baseline(args.baseline) if args.baseline else None
    base_layers = args.base_layers if args.base_layers is not None else budget.base_layers
    base_diff_id = args.base_diff_id or budget.base_diff_id
    if args.base and (args.base_layers is not None or args.base_diff_id):
        raise AuditError("--base cannot be combined with --base-layers or --base-diff-id")
    with tempfile.TemporaryDirectory(prefix="image-audit-") as tmp:
        base_ids = None
        if args.base:
            base_path = args.base if os.path.exists(args.base) else None
            if base_path is None:
                os.mkdir(os.path.join(tmp, "base"))
                base_path = _docker_save(args.base, os.path.join(tmp, "base"))
            base_ids = base_diff_ids(base_path)
        source = _docker_save(args.docker, tmp) if args.docker else args.source
        analysis = analyse(
            source, args.docker, base_layers, base_diff_id, base_ids, args.unpacked_layers
        )
    options = Options(
        gpu=args.gpu,
        large_file_threshold=threshold,
        ignore=frozenset(args.ignore) | frozenset(budget.ignore_findings),
    )
    found = run_rules(analysis, options, (*FILE_RULES, *PACKAGE_RULES, *PYTHON_RULES))
    breaches = check(budget, analysis, found) if args.budget else []
    doc = jsonout.build(
        analysis, found, projected_size(analysis, found), options, args.top, breaches, args.budget
    )
    if baseline is not None:
        doc["baseline"] = jsonout.diff(baseline, doc)
    if args.json:
        text = json.dumps(doc, indent=2) + "\n"
    elif args.markdown:
        text = report.render_markdown(doc, args.top)
    else:
        text = report.render_text(doc, args.top)
    if args.output:
        try:
            with open(args.output, "w", encoding="utf-8") as f:
                f.write(text)
        except OSError as exc:
            raise AuditError(f"cannot write {args.output}: {exc.strerror or exc}") from None
    else:
        sys.stdout.write(text)
    for breach in breaches:
        sys.stderr.write(breach.line() + "\n")
    return EXIT_BUDGET if breaches else EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    try:
        args = _parser().parse_args(argv)
    except SystemExit as exc:  # --help, --version, usage errors
        return exc.code if isinstance(exc.code, int) else EXIT_INPUT
    try:
        return _run(args)
    except AuditError as exc:
        message = str(exc)
    except (EOFError, zlib.error, OSError) as exc:
        message = f"cannot read input: {exc}"
    except RecursionError:
        message = "input is nested too deeply"
    except KeyboardInterrupt:
        message = "interrupted"
    except Exception as exc:  # keep the one-line contract even for unexpected failures
        message = f"unexpected error ({type(exc).__name__}): {exc}"
    sys.stderr.write(f"image-audit: error: {' '.join(message.split())}\n")
    return EXIT_INPUT
