from __future__ import annotations

from pathlib import Path

import pytest
from builders import (
    DEBUG_SO,
    ENV_FILE,
    PIP_RECORD,
    PYTEST_METADATA,
    PYTEST_RECORD,
    SITE,
    STATUS_BASE,
    Image,
    Layer,
    bloated_image,
    elf64,
    file,
    write_docker_save,
)

from imageaudit.analysis import Analysis, analyse
from imageaudit.findings import Finding, Options, projected_size, run_rules
from imageaudit.rules_files import RULES as FILE_RULES
from imageaudit.rules_files import is_app_location
from imageaudit.rules_packages import RULES as PACKAGE_RULES

PYTEST_SIZE = 6000 + 100 + len(PYTEST_METADATA) + len(PYTEST_RECORD)
PIP_SIZE = 3000 + 200 + len(PIP_RECORD)


def _audit(tmp_path: Path, image: Image, **opts: object) -> tuple[Analysis, dict[str, Finding]]:
    a = analyse(str(write_docker_save(tmp_path / "img.tar", image)))
    options = Options(**opts)  # type: ignore[arg-type]
    found = run_rules(a, options, (*FILE_RULES, *PACKAGE_RULES))
    return a, {f.id: f for f in found}


@pytest.fixture()
def bloated(tmp_path: Path) -> tuple[Analysis, dict[str, Finding]]:
    return _audit(tmp_path, bloated_image(), large_file_threshold=5000)


def test_bloated_finding_ids_severities_and_bytes(
    bloated: tuple[Analysis, dict[str, Finding]],
) -> None:
    _, found = bloated
    assert {k: (f.severity, f.bytes) for k, f in found.items()} == {
        "secret-files": ("critical", len(ENV_FILE)),
        "build-tools": ("high", 8000),
        "package-cache": ("medium", 8000),
        "dev-dependencies": ("medium", PYTEST_SIZE),
        "apt-cache": ("medium", 4000),
        "app-tests": ("medium", 1200),
        "dev-packages": ("medium", 700),
        "runs-as-root": ("medium", 0),
        "elf-debug-info": ("low", 5000),
        "package-managers": ("low", PIP_SIZE),
        "wasted-bytes": ("low", 2500 + len(STATUS_BASE)),
        "app-scripts": ("low", 300),
        # the pip cache and pytest files are inside package-cache and dev-dependencies
        "large-files": ("info", len(DEBUG_SO)),
    }


def test_bloated_evidence(bloated: tuple[Analysis, dict[str, Finding]]) -> None:
    _, found = bloated
    assert found["secret-files"].evidence == ["/app/.env (dotenv file)"]
    assert found["build-tools"].evidence == [
        "deb gcc-12 (8.0 kB)",
        "/usr/lib/gcc/x86_64-linux-gnu/12/cc1 (5.0 kB)",
        "/usr/bin/gcc-12 (3.0 kB)",
        "/usr/bin/gcc (0 B)",
    ]
    assert found["package-cache"].evidence == ["/root/.cache/pip/ (8.0 kB)"]
    assert found["app-tests"].evidence == ["/app/tests/ (1.2 kB)"]
    assert found["dev-dependencies"].evidence == [f"pytest 8.0.0 ({PYTEST_SIZE / 1000:.1f} kB)"]
    assert found["wasted-bytes"].evidence[0] == "/var/cache/apt/archives/gcc.deb (2.5 kB, layer 1)"
    assert found["elf-debug-info"].evidence == ["/app/libdebug.so (5.0 kB debug)"]
    assert found["runs-as-root"].evidence == ["config User=''"]


def test_projection_counts_each_file_once(bloated: tuple[Analysis, dict[str, Finding]]) -> None:
    a, found = bloated
    removed = len(ENV_FILE) + 8000 + 8000 + PYTEST_SIZE + 4000 + 1200 + 700 + PIP_SIZE + 300
    assert projected_size(a, list(found.values())) == (
        a.total - removed - 5000 - (2500 + len(STATUS_BASE))
    )
    # a finding that repeats another's paths changes nothing
    dup = Finding("dup", "low", "", 0, [], "", set(found["package-cache"].removes))
    assert projected_size(a, [*found.values(), dup]) == projected_size(a, list(found.values()))


def test_ignore_and_user(tmp_path: Path) -> None:
    image = bloated_image()
    image.user = "10001:10001"
    _, found = _audit(tmp_path, image, ignore=frozenset({"app-scripts", "large-files"}))
    assert "runs-as-root" not in found and "app-scripts" not in found
    assert "large-files" not in found


def _cuda_image(env: list[str] | None = None, labels: dict[str, str] | None = None) -> Image:
    torch = f"{SITE}/torch"
    return Image(
        [
            Layer(
                [
                    file(
                        f"{SITE}/nvidia_cublas_cu12-12.1.3.1.dist-info/RECORD",
                        b"nvidia/cublas/lib/libcublas.so.12,,\n",
                    ),
                    file(f"{SITE}/nvidia/cublas/lib/libcublas.so.12", 70000),
                    file(f"{SITE}/triton-3.0.0.dist-info/RECORD", b"triton/_C/libtriton.so,,\n"),
                    file(f"{SITE}/triton/_C/libtriton.so", 9000),
                    file(
                        f"{SITE}/torch-2.4.0.dist-info/RECORD",
                        b"torch/lib/libtorch_cuda.so,,\ntorch/test/test_x.py,,\ntorch/include/a.h,,\n"
                        b"torch/bin/torch_shm_manager,,\ntorch/bin/protoc,,\ntorch/__init__.py,,\n",
                    ),
                    file(f"{torch}/lib/libtorch_cuda.so", 50000),
                    file(f"{torch}/test/test_x.py", 400),
                    file(f"{torch}/include/a.h", 300),
                    file(f"{torch}/bin/torch_shm_manager", 200),
                    file(f"{torch}/bin/protoc", 100),
                    file(f"{torch}/__init__.py", 10),
                    file("usr/local/cuda/lib64/libcudart.so.12.1.105", 600),
                    file(f"{SITE}/numpy/tests/test_big.py", 2 * 10**6),
                    file(f"{SITE}/numpy/tests/small/x.py", 5),
                    file(f"{SITE}/tiny/tests/t.py", 10),
                    file("usr/local/bin/uv", 1234, 0o755),
                    file(
                        "opt/conf/server.pem",
                        b"-----BEGIN CERTIFICATE-----\n...\n-----BEGIN RSA PRIVATE KEY-----\nMII\n",
                    ),
                    file("opt/conf/ca.pem", b"-----BEGIN CERTIFICATE-----\n"),
                    file("home/u/.npmrc", b"//registry/:_authToken=abc\n"),
                    file("home/u/.pypirc", b"[pypi]\nusername = __token__\n"),
                    file(f"{SITE}/tornado/test/test.key", b"-----BEGIN PRIVATE KEY-----\n"),
                ]
            )
        ],
        env=env or [],
        labels=labels or {},
    )


def test_cuda_torch_library_tests_and_secrets(tmp_path: Path) -> None:
    _, found = _audit(tmp_path, _cuda_image())
    cuda = found["cuda-without-gpu"]
    # RECORD files that do not list themselves add nothing to their distribution
    assert (cuda.severity, cuda.bytes) == ("high", 70000 + 9000 + 50000 + 600)
    assert cuda.evidence[:2] == ["nvidia-cublas-cu12 12.1.3.1 (70.0 kB)", "triton 3.0.0 (9.0 kB)"]
    assert found["torch-extras"].bytes == 400 + 300 + 100
    assert found["library-tests"].bytes == 2 * 10**6 + 5
    assert found["library-tests"].evidence == [f"/{SITE}/numpy/tests/ (2.0 MB)"]
    assert found["package-managers"].bytes == 1234
    assert found["secret-files"].evidence == [
        "/home/u/.npmrc (credentials in .npmrc)",
        "/opt/conf/server.pem (private key)",
    ]
    assert found["library-key-files"].severity == "info"


@pytest.mark.parametrize(
    "env,labels,gpu",
    [
        (["NVIDIA_VISIBLE_DEVICES=all"], None, False),
        (None, {"com.nvidia.volumes.needed": "nvidia_driver"}, False),
        (None, None, True),
    ],
)
def test_gpu_intent_silences_cuda(
    tmp_path: Path, env: list[str] | None, labels: dict[str, str] | None, gpu: bool
) -> None:
    _, found = _audit(tmp_path, _cuda_image(env, labels), gpu=gpu)
    assert "cuda-without-gpu" not in found


def test_unsafe_paths_finding(tmp_path: Path) -> None:
    _, found = _audit(tmp_path, Image([Layer([file("a/../../x", 1)])], user="app"))
    f = found["unsafe-paths"]
    assert (f.severity, f.bytes, f.evidence) == ("critical", 0, ["/a/../../x"])


def test_elf_debug_severity_scales(tmp_path: Path) -> None:
    big = elf64([(".debug_info", 50 * 10**6)])
    _, found = _audit(tmp_path, Image([Layer([file("usr/lib/libbig.so", big)])], user="1"))
    assert (found["elf-debug-info"].severity, found["elf-debug-info"].bytes) == (
        "medium",
        50 * 10**6,
    )


@pytest.mark.parametrize(
    "path,expected",
    [
        ("app/tests", True),
        ("opt/svc/tests", True),
        ("srv/x/test", True),
        ("usr/src/app/tests", True),
        ("home/u/proj/tests", True),
        ("usr/lib/python3/dist-packages/foo/tests", False),
        ("opt/venv/lib/python3.11/site-packages/foo/tests", False),
        ("usr/local/lib/python3.11/test", False),
        ("usr/share/doc/tests", False),
        ("app/node_modules/x/test", False),
        ("etc/tests", False),
    ],
)
def test_app_location(path: str, expected: bool) -> None:
    assert is_app_location(path) is expected


def test_cuda_python_packages_count_as_cuda(tmp_path: Path) -> None:
    # Default PyTorch wheels for CUDA 13 also bring NVIDIA's CUDA Python packages.
    files = []
    for name, size in (("cuda_bindings-13.5.0", 3000), ("cuda_toolkit-13.2.2", 20)):
        module = name.partition("-")[0]
        files.append(file(f"{SITE}/{name}.dist-info/RECORD", f"{module}/x.py,,\n".encode()))
        files.append(file(f"{SITE}/{module}/x.py", size))
    files.append(file(f"{SITE}/cudaq_like-1.0.dist-info/RECORD", b"cudaq_like/x.py,,\n"))
    files.append(file(f"{SITE}/cudaq_like/x.py", 5))
    _, found = _audit(tmp_path, Image([Layer(files)]))
    cuda = found["cuda-without-gpu"]
    assert cuda.bytes == 3000 + 20
    assert cuda.evidence[:2] == ["cuda-bindings 13.5.0 (3.0 kB)", "cuda-toolkit 13.2.2 (20 B)"]


def test_scripts_inside_a_test_suite_are_test_data(tmp_path: Path) -> None:
    layer = Layer(
        [
            file("app/scripts/deploy.sh", 300),
            file("app/tests/fixtures/context/scripts/run.sh", 40),
            file("app/tests/test_app.py", 500),
        ]
    )
    _, found = _audit(tmp_path, Image([layer]))
    assert found["app-scripts"].evidence == ["/app/scripts/ (300 B)"]
    assert found["app-scripts"].bytes == 300
    assert found["app-tests"].bytes == 540
