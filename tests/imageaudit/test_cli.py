from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from builders import Image, Layer, bloated_image, file, write_docker_save

from imageaudit.cli import main


@pytest.fixture()
def archive(tmp_path: Path) -> Path:
    return write_docker_save(tmp_path / "img.tar", bloated_image())


def _json(capsys: pytest.CaptureFixture[str], *argv: str) -> dict[str, object]:
    assert main([*argv, "--json"]) == 0
    doc: dict[str, object] = json.loads(capsys.readouterr().out)
    return doc


def test_json_document(archive: Path, capsys: pytest.CaptureFixture[str]) -> None:
    doc = _json(capsys, str(archive))
    assert doc["schema_version"] == 1
    assert list(doc) == [
        "schema_version",
        "tool",
        "image",
        "sizes",
        "layers",
        "folders",
        "python_dists",
        "debian_packages",
        "largest_files",
        "findings",
        "findings_by_severity",
        "budget",
    ]
    sizes = doc["sizes"]
    assert isinstance(sizes, dict)
    assert sizes["total"] == sizes["final_filesystem"] + sizes["wasted"]
    assert (sizes["base_layers"], sizes["base_detection"]) == (1, "heuristic")
    assert sizes["base"] + sizes["added"] == sizes["total"]
    layers = doc["layers"]
    assert isinstance(layers, list)
    assert [layer["size"] for layer in layers] == [
        3534 + len("usr/lib"),
        15814 + len("gcc-12"),
        17597,
        7694,
        0,
    ]
    assert layers[1]["wasted"] == 2500
    image = doc["image"]
    assert isinstance(image, dict)
    assert (image["format"], image["user"], image["gpu_intent"]) == ("docker-save", "", False)
    assert image["tags"] == ["test/image:latest"]
    findings = doc["findings"]
    assert isinstance(findings, list)
    assert findings[0]["id"] == "secret-files"
    assert set(findings[0]) == {"id", "severity", "title", "bytes", "saves", "evidence", "fix"}
    assert doc["budget"] is None


def test_text_and_markdown(archive: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(archive)]) == 0
    text = capsys.readouterr().out
    assert text.startswith(f"image-audit 0.1.0: {archive} (docker-save)\n")
    assert "Total size      44.7 kB  (5 layers; final filesystem 42.1 kB, wasted 2.6 kB)" in text
    assert "Findings: 1 critical, 1 high, 6 medium, 4 low" in text
    assert main([str(archive), "--markdown", "--top", "3"]) == 0
    md = capsys.readouterr().out
    assert md.startswith(f"### Image audit: `{archive}`\n")
    assert "| critical | `secret-files`: Files that look like credentials | 19 B |" in md


def test_output_file_and_baseline(
    archive: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old = tmp_path / "old.json"
    assert main([str(archive), "--json", "-o", str(old)]) == 0
    assert capsys.readouterr().out == ""
    slim = write_docker_save(
        tmp_path / "slim.tar",
        Image(
            [
                Layer([file("bin/sh", 1000)]),
                Layer(
                    [
                        file(
                            "usr/local/lib/python3.11/site-packages/pip-24.0.dist-info/RECORD",
                            b"pip/__init__.py,,\n",
                        ),
                        file("usr/local/lib/python3.11/site-packages/pip/__init__.py", 5000),
                        file(
                            "usr/local/lib/python3.11/site-packages/req-2.0.dist-info/RECORD",
                            b"req/__init__.py,,\n",
                        ),
                        file("usr/local/lib/python3.11/site-packages/req/__init__.py", 50),
                    ]
                ),
            ],
            user="app",
        ),
    )
    doc = _json(capsys, str(slim), "--baseline", str(old))
    base = doc["baseline"]
    assert isinstance(base, dict)
    old_doc = json.loads(old.read_text())
    assert base["total_delta"] == doc["sizes"]["total"] - old_doc["sizes"]["total"]  # type: ignore[index]
    assert base["dists"] == [
        {"name": "pytest", "old_size": 6325, "new_size": 0, "delta": -6325, "status": "removed"},
        {"name": "pip", "old_size": 3272, "new_size": 5000, "delta": 1728, "status": "changed"},
        {"name": "req", "old_size": 0, "new_size": 50, "delta": 50, "status": "added"},
    ]
    assert base["new_findings"] == []
    resolved = {f["id"] for f in base["resolved_findings"]}
    assert {"secret-files", "runs-as-root", "build-tools", "app-tests"} <= resolved
    assert main([str(slim), "--baseline", str(old)]) == 0
    assert "Compared with baseline: total -" in capsys.readouterr().out


def test_usage_errors(archive: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 2
    assert capsys.readouterr().err == (
        "image-audit: error: give exactly one of ARCHIVE/DIR or --docker IMAGE\n"
    )
    assert main([str(archive), "--large-file-threshold", "big"]) == 2
    assert "--large-file-threshold: invalid size" in capsys.readouterr().err
    assert main([str(archive), "--baseline", str(archive)]) == 2
    assert capsys.readouterr().err == f"image-audit: error: baseline {archive} is not valid JSON\n"
    assert main(["--version"]) == 0
    assert main([str(archive), "--base-diff-id", "sha256:nope"]) == 2
    assert capsys.readouterr().err == (
        "image-audit: error: base diff-id sha256:nope is not a layer of this image\n"
    )


def test_docker_save_failure(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("PATH", "")
    assert main(["--docker", "alpine:3"]) == 2
    assert capsys.readouterr().err == "image-audit: error: --docker needs the docker CLI on PATH\n"


def test_module_entry_point(archive: Path) -> None:
    src = Path(__file__).resolve().parents[2] / "src"
    proc = subprocess.run(
        [sys.executable, "-m", "imageaudit", str(archive), "--json"],
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(src)},
    )
    assert proc.returncode == 0 and json.loads(proc.stdout)["schema_version"] == 1
