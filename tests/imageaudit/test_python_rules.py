"""Rules for Python leftovers: the interpreter's test suite, headers and stubs, wheel
files and console scripts whose module was deleted."""

from __future__ import annotations

from pathlib import Path

from builders import Image, Layer, directory, file, whiteout, write_docker_save

from imageaudit.analysis import analyse
from imageaudit.findings import Finding, Options, run_rules
from imageaudit.rules_python import RULES

VENV_SITE = "opt/venv/lib/python3.13/site-packages"


def _script(module: str) -> bytes:
    return (
        b"#!/opt/venv/bin/python3\n# -*- coding: utf-8 -*-\nimport re\nimport sys\n"
        + f"from {module} import main\n".encode()
        + b"if __name__ == '__main__':\n    sys.exit(main())\n"
    )


def _findings(tmp_path: Path, layers: list[Layer]) -> dict[str, Finding]:
    analysis = analyse(str(write_docker_save(tmp_path / "img.tar", Image(layers, user="999"))))
    return {f.id: f for f in run_rules(analysis, Options(), RULES)}


def _leftovers() -> Layer:
    return Layer(
        [
            directory("usr/lib/python3.13/test"),
            file("usr/lib/python3.13/test/test_os.py", 5000),
            file("usr/lib/python3.13/ensurepip/_bundled/pip-25.0-py3-none-any.whl", 900),
            file("usr/share/python-wheels/pip-25.1.1-py3-none-any.whl", 3000),
            file(f"{VENV_SITE}/numpy/__init__.py", 100),
            file(f"{VENV_SITE}/numpy/_core/include/numpy/ndarraytypes.h", 700),
            file(f"{VENV_SITE}/numpy/__init__.pyi", 300),
            file(f"{VENV_SITE}/numpy/f2py/__init__.py", 100),
            file(f"{VENV_SITE}/onnxruntime/__init__.py", 100),
            file(f"{VENV_SITE}/tokenizers/tokenizers.abi3.so", 100),
            file("opt/venv/bin/f2py", _script("numpy.f2py.f2py2e"), mode=0o755),
            file(
                "opt/venv/bin/onnxruntime_test",
                _script("onnxruntime.tools.onnxruntime_test"),
                mode=0o755,
            ),
            file("opt/venv/bin/tok", _script("tokenizers.tokenizers"), mode=0o755),
            file(
                "usr/bin/py3clean",
                b"#! /usr/bin/python3\nfrom debpython import files\n",
                mode=0o755,
            ),
        ]
    )


def test_each_leftover_is_found(tmp_path: Path) -> None:
    found = _findings(tmp_path, [_leftovers(), Layer([whiteout(f"{VENV_SITE}/numpy/f2py")])])
    assert found["interpreter-tests"].evidence[0].startswith("/usr/lib/python3.13/test/")
    assert found["wheel-files"].bytes == 3000  # ensurepip's bundled wheel is stdlib
    assert found["library-headers"].bytes == 1000
    broken = found["broken-console-scripts"]
    assert broken.evidence == [
        "/opt/venv/bin/f2py (imports numpy.f2py.f2py2e, not installed)",
        "/opt/venv/bin/onnxruntime_test (imports onnxruntime.tools.onnxruntime_test, "
        "not installed)",
    ]


def test_a_clean_environment_has_none(tmp_path: Path) -> None:
    clean = Layer(
        [
            file(f"{VENV_SITE}/numpy/__init__.py", 100),
            file(f"{VENV_SITE}/numpy/f2py/__init__.py", 100),
            file(f"{VENV_SITE}/numpy/f2py/f2py2e.py", 100),
            file(f"{VENV_SITE}/truthgraph/cli.py", 100),
            file("opt/venv/bin/f2py", _script("numpy.f2py.f2py2e"), mode=0o755),
            file("opt/venv/bin/truthgraph", _script("truthgraph.cli"), mode=0o755),
            file("usr/lib/python3.13/ensurepip/_bundled/pip-25.0-py3-none-any.whl", 900),
        ]
    )
    assert _findings(tmp_path, [clean]) == {}
