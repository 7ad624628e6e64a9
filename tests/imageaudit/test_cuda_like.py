"""The whole report on a small stand-in for a one-stage CUDA PyTorch image."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from builders import cuda_torch_like_image, write_docker_save

from imageaudit.cli import main


@pytest.fixture()
def archive(tmp_path: Path) -> Path:
    return write_docker_save(tmp_path / "img.tar", cuda_torch_like_image())


def test_json_report(archive: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(archive), "--json", "--large-file-threshold", "100kB"]) == 0
    doc = json.loads(capsys.readouterr().out)
    findings = [(f["id"], f["bytes"], f["saves"]) for f in doc["findings"]]
    assert findings[:3] == [
        ("cuda-without-gpu", 740_000, 740_000),
        # gcc-12, cpp-12, binutils, make, dpkg-dev + perl, libasan8, libgcc-12-dev, libisl23
        ("build-tools", 187_000, 187_000),
        # pytest + pluggy, iniconfig (the METADATA and RECORD files count too)
        ("dev-dependencies", findings[2][1], findings[2][1]),
    ]
    ids = [f[0] for f in findings]
    # every byte of the -dev packages is inside build-tools' closure
    assert "dev-packages" not in ids
    assert ids.index("runs-as-root") > ids.index("app-tests")
    (large,) = [f for f in doc["findings"] if f["id"] == "large-files"]
    assert large["bytes"] == 150_000  # libtorch_cpu.so only; the CUDA files are counted above
    assert large["saves"] == 0
    sizes = doc["sizes"]
    assert sizes["total"] - sizes["projected"] == sum(f[2] for f in findings)
    assert (sizes["base_layers"], sizes["base_detection"]) == (1, "os-layer")
    assert doc["layers"][0]["label"].startswith("Debian GNU/Linux 12 (bookworm) root filesystem")
    layers = {p["name"]: p["layer"] for p in doc["debian_packages"]}
    assert (layers["coreutils"], layers["gcc-12"]) == (0, 1)
    assert "mypy-extensions" in {d["name"] for d in doc["python_dists"]}


def test_text_report_starts_with_findings(
    archive: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([str(archive), "--large-file-threshold", "100kB"]) == 0
    text = capsys.readouterr().out
    assert text.index("Findings:") < text.index("Layers:") < text.index("Top Debian packages:")
    assert "+ 4 packages nothing else needs (44.0 kB): perl, libasan8" in text
    assert "150.0 kB flagged  Files larger than 100.0 kB" in text
