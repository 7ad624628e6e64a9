"""How a model setting resolves to a directory: `bundled:` and `hub:` are prefixes that
each look in one place only; any other setting is a path, else a cache folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from truthgraph.inference.manifest import MANIFEST_NAME, ModelFormatError
from truthgraph.models.resolve import bundle_dir, resolve_model

EMBEDDER = "embedder-minilm-l6-int8"


def model_dir(path: Path) -> Path:
    """Resolution looks only for a manifest; its content is load_manifest's business."""
    path.mkdir(parents=True)
    (path / MANIFEST_NAME).write_text("{}", "utf-8")
    return path


@pytest.fixture()
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    # Relative settings are read from the working directory.
    monkeypatch.chdir(tmp_path)
    return tmp_path / "cache"


def test_bundled_names_the_bundle_and_never_falls_back(cache: Path) -> None:
    model_dir(cache / EMBEDDER)
    model_dir(cache / "elsewhere")
    model_dir(Path("bundled:elsewhere"))
    assert resolve_model(f"bundled:{EMBEDDER}", cache=cache) == bundle_dir() / EMBEDDER
    with pytest.raises(ModelFormatError) as caught:
        resolve_model("bundled:elsewhere", cache=cache)
    assert str(caught.value) == (
        "no bundled model 'bundled:elsewhere' (available: "
        "bundled:embedder-minilm-l6-int8, bundled:nli-starter-minilm-l6-int8)"
    )


def test_bundled_never_reaches_outside_the_bundle(cache: Path) -> None:
    # A model directory next to the bundle folder, named through "..".
    outside = f"../bundle/{EMBEDDER}"
    assert (bundle_dir() / outside / "manifest.json").is_file()
    with pytest.raises(ModelFormatError, match="no bundled model"):
        resolve_model(f"bundled:{outside}", cache=cache)


def test_a_directory_path_comes_before_the_cache(cache: Path) -> None:
    cached = model_dir(cache / "acme--mini")
    local = model_dir(Path("acme/mini"))
    assert resolve_model("acme/mini", cache=cache) == local
    (local / MANIFEST_NAME).unlink()
    assert resolve_model("acme/mini", cache=cache) == cached
    assert resolve_model(str(cached), cache=cache) == cached


def test_hub_names_a_cache_folder_and_never_a_path(cache: Path) -> None:
    model_dir(Path("hub:acme/mini"))
    with pytest.raises(ModelFormatError, match="run `truthgraph models pull acme/mini` first"):
        resolve_model("hub:acme/mini", cache=cache)
    cached = model_dir(cache / "acme--mini")
    assert resolve_model("hub:acme/mini", cache=cache) == cached
    with pytest.raises(ModelFormatError, match="is not a hub repo id"):
        resolve_model("hub:../cache/acme--mini", cache=cache)


def test_a_setting_found_nowhere_says_where_it_looked(cache: Path) -> None:
    with pytest.raises(ModelFormatError) as caught:
        resolve_model("acme/absent", cache=cache)
    assert str(caught.value) == (
        f"model 'acme/absent' not found as a directory or in the cache {cache}; "
        "set a model directory path or a bundled:NAME model"
    )
