from __future__ import annotations

from pathlib import Path

from builders import (
    PIP_RECORD,
    PYTEST_METADATA,
    PYTEST_RECORD,
    Image,
    Layer,
    bloated_image,
    elf64,
    file,
    whiteout,
    write_docker_save,
)

from imageaudit.analysis import analyse


def test_python_dists(tmp_path: Path) -> None:
    a = analyse(str(write_docker_save(tmp_path / "i.tar", bloated_image())))
    got = [(d.name, d.version, d.size, d.files, d.layer, d.location) for d in a.dists]
    site = "/usr/local/lib/python3.11/site-packages"
    assert got == [
        (
            "pytest",
            "8.0.0",
            6100 + len(PYTEST_METADATA) + len(PYTEST_RECORD),
            4,
            2,
            f"{site}/pytest-8.0.0.dist-info",
        ),
        ("pip", "24.0", 3200 + len(PIP_RECORD), 3, 2, f"{site}/pip-24.0.dist-info"),
    ]


def test_dist_files_changed_later_use_final_sizes(tmp_path: Path) -> None:
    site = "opt/venv/lib/python3.12/site-packages"
    a = analyse(
        str(
            write_docker_save(
                tmp_path / "i.tar",
                Image(
                    [
                        Layer(
                            [
                                file(
                                    f"{site}/Foo_Bar-1.0.dist-info/RECORD",
                                    b"foo/a.py,,10\nfoo/b.so,,20\n",
                                ),
                                file(f"{site}/foo/a.py", 10),
                                file(f"{site}/foo/b.so", 20),
                            ]
                        ),
                        Layer([file(f"{site}/foo/a.py", 99), whiteout(f"{site}/foo/b.so")]),
                    ]
                ),
            )
        )
    )
    (dist,) = a.dists
    assert (dist.name, dist.version, dist.size, dist.files, dist.layer) == (
        "foo-bar",
        "1.0",
        99,
        1,
        0,
    )


def test_debian_packages(tmp_path: Path) -> None:
    a = analyse(str(write_docker_save(tmp_path / "i.tar", bloated_image())))
    libc = len(elf64([(".text", 2000)]))
    got = [(p.name, p.version, p.installed_size, p.size, p.files, p.layer) for p in a.debs]
    assert got == [
        ("gcc-12", "12.2.0-14", 50 * 1024, 8000, 2, 1),
        ("libc6", "2.36-9", 10 * 1024, libc, 1, 0),
        ("libpq-dev", "15.5-0", 20 * 1024, 700, 1, 1),
        ("gcc-12-base", "12.2.0-14", 1024, 0, 0, 1),
    ]
    assert a.debs[1].paths == ["usr/lib/x86_64-linux-gnu/libc.so.6"]


def test_distroless_status_d(tmp_path: Path) -> None:
    a = analyse(
        str(
            write_docker_save(
                tmp_path / "i.tar",
                Image(
                    [
                        Layer(
                            [
                                file(
                                    "var/lib/dpkg/status.d/base",
                                    b"Package: base-files\nVersion: 12.4\n"
                                    b"Architecture: amd64\nInstalled-Size: 300\n",
                                ),
                                file(
                                    "var/lib/dpkg/status.d/libssl3",
                                    b"Package: libssl3\nVersion: 3.0.11\n"
                                    b"Architecture: amd64\nInstalled-Size: 6000\n",
                                ),
                                file(
                                    "var/lib/dpkg/status.d/libssl3.md5sums",
                                    b"0123  usr/lib/x86_64-linux-gnu/libssl.so.3\n"
                                    b"abcd  usr/share/doc/x\n",
                                ),
                                file("usr/lib/x86_64-linux-gnu/libssl.so.3", 4321),
                                file("usr/share/doc/x", 9),
                            ]
                        )
                    ]
                ),
            )
        )
    )
    got = [(p.name, p.version, p.installed_size, p.size, p.files) for p in a.debs]
    # without a file list the declared Installed-Size stands in for the real size
    assert got == [
        ("base-files", "12.4", 300 * 1024, 300 * 1024, 0),
        ("libssl3", "3.0.11", 6000 * 1024, 4330, 2),
    ]


def test_vendored_dist_info_is_part_of_its_distribution(tmp_path: Path) -> None:
    # setuptools ships the packages it vendors with their .dist-info folders under
    # setuptools/_vendor and lists them in its own RECORD; they are not installed
    # distributions, and removing another distribution never removes them.
    site = "opt/venv/lib/python3.13/site-packages"
    vendor = "setuptools/_vendor"
    layer = Layer(
        [
            file(
                f"{site}/setuptools-80.0.dist-info/RECORD",
                (
                    f"setuptools/__init__.py,,\n{vendor}/tomli/__init__.py,,\n"
                    f"{vendor}/tomli-2.4.0.dist-info/METADATA,,\n"
                    f"{vendor}/tomli-2.4.0.dist-info/RECORD,,\n"
                ).encode(),
            ),
            file(f"{site}/setuptools/__init__.py", 500),
            file(f"{site}/{vendor}/tomli/__init__.py", 40),
            file(f"{site}/{vendor}/tomli-2.4.0.dist-info/METADATA", b"Name: tomli\n"),
            file(
                f"{site}/{vendor}/tomli-2.4.0.dist-info/RECORD",
                b"tomli/__init__.py,,\ntomli-2.4.0.dist-info/RECORD,,\n",
            ),
            file(
                f"{site}/mypy-2.0.dist-info/METADATA",
                b"Name: mypy\nVersion: 2.0\nRequires-Dist: tomli>=1.1.0; python_version < '3.11'\n",
            ),
            file(f"{site}/mypy-2.0.dist-info/RECORD", b"mypy/__init__.py,,\n"),
            file(f"{site}/mypy/__init__.py", 900),
        ]
    )
    a = analyse(str(write_docker_save(tmp_path / "i.tar", Image([layer]))))
    assert [d.name for d in a.dists] == ["mypy", "setuptools"]
    setuptools = a.dists[1]
    assert f"{site}/{vendor}/tomli/__init__.py" in setuptools.paths
