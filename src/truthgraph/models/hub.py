"""`models pull`: fetch a hub repo's ONNX files and write a TruthGraph model directory.

Everything the manifest says is read from the repo (config.json, the sentence-transformers
files, the tokenizer, the card) and never assumed; above all the NLI label order, taken
from `id2label`. A pull works in a hidden staging folder inside the cache and appears
there by one rename, so an interrupted pull leaves no half-written model behind.

Reading the repo's description is describe.py's job; writing the directory, model_dir.py's.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from truthgraph.models.describe import METADATA_FILES, Task, plan_model
from truthgraph.models.errors import HubError
from truthgraph.models.model_dir import (
    InstalledModel,
    Variant,
    build_model_dir,
    check_free,
    install,
    staging,
)
from truthgraph.models.resolve import cache_folder, is_repo_id

if TYPE_CHECKING:
    from huggingface_hub import HfApi

_TRUE = {"1", "ON", "YES", "TRUE"}


# ONNX files tried in order, per variant. The int8 names are those that
# sentence-transformers' and Optimum's exporters write; ONNX Runtime runs each on any CPU,
# the suffix names the instruction set it was tuned for: x86-64 ones first, most capable
# first, then arm64, then the generic names.
ONNX_CANDIDATES: dict[Variant, tuple[str, ...]] = {
    "fp32": ("onnx/model.onnx", "model.onnx"),
    "int8": (
        "onnx/model_qint8_avx512_vnni.onnx",
        "onnx/model_qint8_avx512.onnx",
        "onnx/model_quint8_avx2.onnx",
        "onnx/model_qint8_arm64.onnx",
        "onnx/model_quantized.onnx",
        "onnx/model_int8.onnx",
        "model_quantized.onnx",
        "model_int8.onnx",
    ),
}


def hub_endpoint() -> str | None:
    """HF_ENDPOINT as it is now; the library reads it only once, when first imported."""
    value = os.environ.get("HF_ENDPOINT", "").strip().rstrip("/")
    return value or None


def hub_offline() -> bool:
    flag = os.environ.get("HF_HUB_OFFLINE") or os.environ.get("TRANSFORMERS_OFFLINE") or ""
    if flag.strip().upper() in _TRUE:
        return True
    from huggingface_hub import constants

    return constants.HF_HUB_OFFLINE


def _check_online(repo_id: str) -> None:
    if hub_offline():
        raise HubError(
            f"cannot pull {repo_id}: the Hugging Face hub is switched off "
            "(HF_HUB_OFFLINE is set); unset it, or use a model directory on disk"
        )


def _api() -> HfApi:
    try:
        from huggingface_hub import HfApi
    except ImportError:
        raise HubError(
            "pulling models needs huggingface_hub, part of the ml extra: "
            "pip install 'truthgraph[ml]'"
        ) from None
    return HfApi(endpoint=hub_endpoint())


@contextmanager
def _hub_errors(repo_id: str, what: str) -> Iterator[None]:
    """Turn the client's errors (several lines, often a URL dump) into one line."""
    from huggingface_hub import errors

    where = hub_endpoint() or "the Hugging Face hub"
    try:
        yield
    except HubError:
        raise
    except errors.OfflineModeIsEnabled:
        raise HubError(
            f"cannot pull {repo_id}: the Hugging Face hub is switched off (HF_HUB_OFFLINE is set)"
        ) from None
    except errors.GatedRepoError:
        raise HubError(
            f"{repo_id} is gated: accept its terms on the hub and set HF_TOKEN"
        ) from None
    except errors.RepositoryNotFoundError:
        raise HubError(
            f"no model repo {repo_id} at {where} (if it is private, set HF_TOKEN)"
        ) from None
    except errors.RevisionNotFoundError:
        raise HubError(f"{repo_id} has no such revision") from None
    except errors.RemoteEntryNotFoundError:
        raise HubError(f"{repo_id} has no file {what}") from None
    except Exception as exc:  # transport errors come from the client's HTTP library
        raise HubError(f"{what} from {repo_id} at {where} failed: {_first_line(exc)}") from exc


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text.splitlines()[0]


@dataclass(frozen=True)
class RepoListing:
    repo_id: str
    commit: str
    files: list[str]
    license: str


def list_repo(repo_id: str, *, revision: str | None) -> RepoListing:
    """The commit a revision points at, its files and the card's licence: one call."""
    if not is_repo_id(repo_id):
        raise HubError(f"{repo_id!r} is not a hub repo id (ORG/NAME)")
    api = _api()
    _check_online(repo_id)
    with _hub_errors(repo_id, "listing files"):
        info = api.model_info(repo_id, revision=revision)
    license_value = getattr(info.card_data, "license", None) if info.card_data else None
    if isinstance(license_value, list):
        license_value = ", ".join(str(item) for item in license_value)
    return RepoListing(
        repo_id=repo_id,
        commit=info.sha or revision or "main",
        files=sorted(s.rfilename for s in info.siblings or []),
        license=str(license_value or ""),
    )


def download(listing: RepoListing, names: Sequence[str], *, into: Path) -> Path:
    """Fetch repo files at the listed commit into a private hub cache under `into`;
    return the snapshot folder, laid out like the repo."""
    from huggingface_hub import hf_hub_download

    snapshot: Path | None = None
    for name in names:
        with _hub_errors(listing.repo_id, name):
            local = hf_hub_download(
                listing.repo_id,
                name,
                revision=listing.commit,
                cache_dir=into,
                endpoint=hub_endpoint(),
            )
        snapshot = Path(local).parents[len(Path(name).parts) - 1]
    if snapshot is None:
        raise HubError(f"{listing.repo_id}: nothing to download")
    return snapshot


def choose_onnx(listing: RepoListing, variant: Variant) -> str:
    for candidate in ONNX_CANDIDATES[variant]:
        if candidate in listing.files:
            if f"{candidate}_data" in listing.files or f"{candidate}.data" in listing.files:
                raise HubError(
                    f"{listing.repo_id}: {candidate} keeps its weights in a separate "
                    "data file, which a TruthGraph model directory cannot hold"
                )
            return candidate
    graphs = [f for f in listing.files if f.endswith(".onnx")]
    if not graphs:
        raise HubError(
            f"{listing.repo_id} has no ONNX files; convert it with "
            f"`truthgraph models export {listing.repo_id}` (needs truthgraph[export])"
        )
    other = "int8" if variant == "fp32" else "fp32"
    raise HubError(
        f"{listing.repo_id} has no {variant} ONNX file (it has {', '.join(graphs)}); "
        f"try --variant {other}, or `truthgraph models export {listing.repo_id} "
        f"--variant {variant}`"
    )


def pull_model(
    repo_id: str,
    *,
    cache: Path,
    revision: str | None = None,
    variant: Variant = "fp32",
    task: Task | None = None,
    force: bool = False,
) -> InstalledModel:
    """Pull `repo_id`'s ONNX graph into `<cache>/<org>--<name>`."""
    listing = list_repo(repo_id, revision=revision)
    onnx_name = choose_onnx(listing, variant)
    if "tokenizer.json" not in listing.files:
        raise HubError(
            f"{repo_id} has no tokenizer.json; `truthgraph models export "
            f"{repo_id}` converts its tokenizer"
        )
    target = cache_folder(cache, repo_id)
    check_free(target, force=force)
    with staging(cache) as work:
        hub_cache = work / "hub"
        repo = download(listing, [f for f in METADATA_FILES if f in listing.files], into=hub_cache)
        # Refuse a model that cannot be described before fetching its weights.
        plan = plan_model(repo, name=repo_id, task=task)
        download(listing, [onnx_name], into=hub_cache)
        manifest = build_model_dir(
            work / "model",
            onnx_file=repo / onnx_name,
            tokenizer_file=repo / "tokenizer.json",
            plan=plan,
            name=repo_id,
            source=f"hub:{repo_id}@{listing.commit}",
            license=listing.license,
            quantization=variant,
            description=f"{onnx_name} from the Hugging Face hub repo {repo_id}",
        )
        path = install(work / "model", target, force=force)
    return InstalledModel(path=path, manifest=manifest, onnx_file=onnx_name)
