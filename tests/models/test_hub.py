"""`models pull` with the real huggingface_hub client against the stand-in hub."""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import onnx
import pytest
from click.testing import CliRunner
from tokenizers import Tokenizer

from tests.models.fake_hub import FakeHub, point_client_at
from tests.tiny_models import build_embedder, build_nli
from truthgraph.cli import main
from truthgraph.inference.manifest import (
    ModelFormatError,
    load_manifest,
    sha256_file,
    verify_checksums,
)
from truthgraph.inference.onnx import LocalInference, OnnxEmbedder
from truthgraph.models.errors import HubError
from truthgraph.models.hub import pull_model
from truthgraph.models.resolve import resolve_model

# The column order some public MNLI models use; TruthGraph must follow it, not assume.
MNLI_ORDER = ("contradiction", "entailment", "neutral")
PAIRS = [
    ("The tower is in Paris.", "That is true."),
    ("The tower is in Paris.", "That is false."),
    ("The tower is in Paris.", "The cat sleeps."),
]
NLI_REPO = "acme/nli-mini"
EMBED_REPO = "acme/embed-mini"


@pytest.fixture()
def hub(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeHub]:
    with FakeHub(tmp_path / "hub") as fake:
        point_client_at(fake, monkeypatch, tmp_path)
        yield fake


@pytest.fixture()
def cache(tmp_path: Path) -> Path:
    return tmp_path / "cache"


def _hub_tokenizer(source: Path) -> bytes:
    """The tiny tokenizer as hub repos ship theirs: padding and truncation switched on."""
    tokenizer = Tokenizer.from_file(str(source / "tokenizer.json"))
    tokenizer.enable_padding(length=128)
    tokenizer.enable_truncation(max_length=128)
    return tokenizer.to_str().encode()


def _variant_of(model: Path, tag: str) -> bytes:
    """The same graph under another file name and hash, standing in for a quantised one."""
    graph = onnx.load(str(model))
    graph.doc_string = tag
    return graph.SerializeToString()


def add_nli_repo(
    hub: FakeHub,
    tmp_path: Path,
    repo_id: str = NLI_REPO,
    *,
    id2label: dict[str, str] | None = None,
    graphs: tuple[str, ...] = ("onnx/model.onnx",),
) -> Path:
    source = build_nli(tmp_path / "src" / repo_id, MNLI_ORDER)
    labels = id2label or {str(i): label for i, label in enumerate(MNLI_ORDER)}
    config = {
        "architectures": ["BertForSequenceClassification"],
        "model_type": "bert",
        "hidden_size": 3,
        "max_position_embeddings": 512,
        "id2label": labels,
        "label2id": {label: int(i) for i, label in labels.items()},
    }
    files = {
        "config.json": json.dumps(config).encode(),
        "tokenizer.json": _hub_tokenizer(source),
        "tokenizer_config.json": json.dumps({"model_max_length": 256}).encode(),
        "README.md": b"---\nlicense: mit\nlanguage: en\n---\n# A tiny NLI model\n",
    }
    for name in graphs:
        files[name] = _variant_of(source / "model.onnx", name)
    return hub.add_repo(repo_id, files)


def add_embedding_repo(
    hub: FakeHub, tmp_path: Path, repo_id: str = EMBED_REPO, *, pooling: str = "mean"
) -> Path:
    source = build_embedder(tmp_path / "src" / repo_id)
    modules = [
        {"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
        {
            "idx": 1,
            "name": "1",
            "path": "1_Pooling",
            "type": "sentence_transformers.models.Pooling",
        },
        {
            "idx": 2,
            "name": "2",
            "path": "2_Normalize",
            "type": "sentence_transformers.models.Normalize",
        },
    ]
    pooling_config = {
        "word_embedding_dimension": 16,
        "pooling_mode_cls_token": pooling == "cls",
        "pooling_mode_mean_tokens": pooling == "mean",
        "pooling_mode_max_tokens": False,
        "pooling_mode_mean_sqrt_len_tokens": False,
    }
    return hub.add_repo(
        repo_id,
        {
            "config.json": json.dumps(
                {
                    "architectures": ["BertModel"],
                    "model_type": "bert",
                    "hidden_size": 16,
                    "max_position_embeddings": 512,
                }
            ).encode(),
            "modules.json": json.dumps(modules).encode(),
            "1_Pooling/config.json": json.dumps(pooling_config).encode(),
            "sentence_bert_config.json": json.dumps({"max_seq_length": 128}).encode(),
            "tokenizer.json": _hub_tokenizer(source),
            "onnx/model.onnx": (source / "model.onnx").read_bytes(),
        },
    )


def downloads(hub: FakeHub) -> list[str]:
    """Repo files the client fetched (HEAD on /resolve), in order."""
    return [
        path.split("/resolve/", 1)[1].split("/", 1)[1]
        for method, path in hub.requests
        if method == "HEAD" and "/resolve/" in path
    ]


# --- pulling -------------------------------------------------------------------------


def test_pulled_nli_model_follows_id2label_and_passes_the_checks(
    hub: FakeHub,
    tmp_path: Path,
    cache: Path,
) -> None:
    add_nli_repo(hub, tmp_path)
    pulled = pull_model(NLI_REPO, cache=cache)
    assert pulled.path == cache / "acme--nli-mini"
    assert sorted(p.name for p in cache.iterdir()) == ["acme--nli-mini"]  # no leftovers
    assert sorted(p.name for p in pulled.path.iterdir()) == [
        "manifest.json",
        "model.onnx",
        "tokenizer.json",
    ]
    manifest = load_manifest(pulled.path, task="nli")
    assert verify_checksums(pulled.path, manifest) == []
    assert manifest.labels == ["contradiction", "entailment", "neutral"]
    assert (manifest.name, manifest.task, manifest.quantization, manifest.output) == (
        NLI_REPO,
        "nli",
        "fp32",
        "logits",
    )
    assert manifest.source == f"hub:{NLI_REPO}@{hub.commit(NLI_REPO)}"
    assert manifest.license == "mit"
    assert manifest.max_length == 256  # tokenizer_config.json
    assert manifest.inputs == ["input_ids", "attention_mask", "token_type_ids"]
    assert manifest.files["model.onnx"] == sha256_file(hub.root / NLI_REPO / "onnx" / "model.onnx")
    saved = json.loads((pulled.path / "tokenizer.json").read_text())
    assert (saved["padding"], saved["truncation"]) == (None, None)
    assert pulled.onnx_file == "onnx/model.onnx"
    assert downloads(hub) == [
        "config.json",
        "tokenizer.json",
        "tokenizer_config.json",
        "onnx/model.onnx",
    ]


@pytest.mark.parametrize("pooling", ["mean", "cls"])
def test_pulled_embedding_model_reads_pooling_length_and_width(
    hub: FakeHub,
    tmp_path: Path,
    cache: Path,
    pooling: str,
) -> None:
    repo = add_embedding_repo(hub, tmp_path, pooling=pooling)
    pulled = pull_model(EMBED_REPO, cache=cache)
    manifest = load_manifest(pulled.path, task="embedding")
    assert verify_checksums(pulled.path, manifest) == []
    assert (manifest.task, manifest.pooling, manifest.max_length, manifest.dimension) == (
        "embedding",
        pooling,
        128,
        16,
    )
    assert (manifest.inputs, manifest.output, manifest.license) == (
        ["input_ids"],
        "last_hidden_state",
        "",
    )
    embedder = OnnxEmbedder(pulled.path)
    encoding = embedder.model.tokenizer.encode("tower paris")
    states, _mask = embedder.model.run([encoding])[0]
    expected = states[0] if pooling == "cls" else states.mean(axis=0)
    expected = expected / np.linalg.norm(expected)
    assert np.allclose(embedder.embed(["tower paris"])[0], expected, atol=1e-6)
    assert "1_Pooling/config.json" in downloads(hub) and repo.is_dir()


def test_local_inference_over_pulled_models_answers_in_canonical_order(
    hub: FakeHub,
    tmp_path: Path,
    cache: Path,
) -> None:
    add_nli_repo(hub, tmp_path)
    add_embedding_repo(hub, tmp_path)
    inference = LocalInference(
        pull_model(EMBED_REPO, cache=cache).path, pull_model(NLI_REPO, cache=cache).path, threads=1
    )
    scores = inference.nli(PAIRS)
    # entailment, contradiction, neutral: the columns were remapped from MNLI order.
    assert [
        max(("entailment", "neutral", "contradiction"), key=lambda label: getattr(s, label))
        for s in scores
    ] == ["entailment", "contradiction", "neutral"]
    assert scores[0].entailment > 0.99 and scores[1].contradiction > 0.99
    original = OnnxEmbedder(tmp_path / "src" / EMBED_REPO)
    texts = ["the tower", "a cat sleeps"]
    assert np.array_equal(
        np.asarray(inference.embed(texts), dtype=np.float32), original.embed(texts)
    )
    assert inference.nli_model.labels == MNLI_ORDER


def test_int8_variant_takes_the_preferred_quantised_file(
    hub: FakeHub,
    tmp_path: Path,
    cache: Path,
) -> None:
    add_nli_repo(
        hub,
        tmp_path,
        graphs=(
            "onnx/model.onnx",
            "onnx/model_quantized.onnx",
            "onnx/model_qint8_avx512_vnni.onnx",
            "onnx/model_int8.onnx",
        ),
    )
    pulled = pull_model(NLI_REPO, cache=cache, variant="int8")
    assert pulled.onnx_file == "onnx/model_qint8_avx512_vnni.onnx"
    assert pulled.manifest.quantization == "int8"
    assert pulled.manifest.files["model.onnx"] == sha256_file(
        hub.root / NLI_REPO / "onnx" / "model_qint8_avx512_vnni.onnx"
    )
    assert [f for f in downloads(hub) if f.endswith(".onnx")] == [
        "onnx/model_qint8_avx512_vnni.onnx"
    ]


def test_int8_falls_back_along_the_preference_order(
    hub: FakeHub,
    tmp_path: Path,
    cache: Path,
) -> None:
    add_nli_repo(
        hub,
        tmp_path,
        graphs=("onnx/model.onnx", "onnx/model_int8.onnx", "onnx/model_quantized.onnx"),
    )
    assert pull_model(NLI_REPO, cache=cache, variant="int8").onnx_file == (
        "onnx/model_quantized.onnx"
    )


def test_missing_variant_names_what_the_repo_has(
    hub: FakeHub,
    tmp_path: Path,
    cache: Path,
) -> None:
    add_nli_repo(hub, tmp_path)
    with pytest.raises(HubError) as caught:
        pull_model(NLI_REPO, cache=cache, variant="int8")
    assert str(caught.value) == (
        f"{NLI_REPO} has no int8 ONNX file (it has onnx/model.onnx); try --variant fp32, "
        f"or `truthgraph models export {NLI_REPO} --variant int8`"
    )


def test_repo_without_onnx_files_points_to_export(
    hub: FakeHub,
    tmp_path: Path,
    cache: Path,
) -> None:
    add_nli_repo(hub, tmp_path, graphs=())
    with pytest.raises(HubError) as caught:
        pull_model(NLI_REPO, cache=cache)
    assert str(caught.value) == (
        f"{NLI_REPO} has no ONNX files; convert it with "
        f"`truthgraph models export {NLI_REPO}` (needs truthgraph[export])"
    )
    assert downloads(hub) == [] and not cache.exists()


@pytest.mark.parametrize(
    "id2label",
    [
        {"0": "LABEL_0", "1": "LABEL_1", "2": "LABEL_2"},
        {"0": "entailment", "1": "neutral", "2": "neutral"},
    ],
)
def test_nli_repo_with_unmappable_labels_is_refused_and_leaves_nothing(
    hub: FakeHub,
    tmp_path: Path,
    cache: Path,
    id2label: dict[str, str],
) -> None:
    add_nli_repo(hub, tmp_path, id2label=id2label)
    with pytest.raises(HubError) as caught:
        pull_model(NLI_REPO, cache=cache, task="nli")
    assert str(caught.value) == (
        f"{NLI_REPO}: cannot map config.json id2label ({json.dumps(id2label)}) to entailment, "
        "neutral and contradiction; refusing to guess the NLI label order"
    )
    assert list(cache.iterdir()) == []
    assert "onnx/model.onnx" not in downloads(hub)  # refused before fetching weights


def test_interrupted_download_leaves_nothing_in_the_cache(
    hub: FakeHub,
    tmp_path: Path,
    cache: Path,
) -> None:
    add_nli_repo(hub, tmp_path)
    hub.interrupt(NLI_REPO, "onnx/model.onnx")
    with pytest.raises(HubError) as caught:
        pull_model(NLI_REPO, cache=cache)
    message = str(caught.value)
    assert message.startswith(
        f"onnx/model.onnx from {NLI_REPO} at {hub.endpoint} failed: Server error '503 "
    )
    assert "\n" not in message
    assert list(cache.iterdir()) == []
    lfs_gets = [path for method, path in hub.requests if path.startswith("/lfs/")]
    assert len(lfs_gets) == 2  # the cut download, then the resume the hub refused


def test_offline_mode_is_a_clear_error_and_sends_nothing(
    hub: FakeHub,
    tmp_path: Path,
    cache: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    add_nli_repo(hub, tmp_path)
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    with pytest.raises(HubError) as caught:
        pull_model(NLI_REPO, cache=cache)
    assert str(caught.value) == (
        f"cannot pull {NLI_REPO}: the Hugging Face hub is switched off (HF_HUB_OFFLINE is set); "
        "unset it, or use a model directory on disk"
    )
    assert hub.requests == []


def test_unknown_repo_and_revision_are_one_line_errors(
    hub: FakeHub,
    tmp_path: Path,
    cache: Path,
) -> None:
    add_nli_repo(hub, tmp_path)
    with pytest.raises(HubError) as caught:
        pull_model("acme/missing", cache=cache)
    assert str(caught.value) == (
        f"no model repo acme/missing at {hub.endpoint} (if it is private, set HF_TOKEN)"
    )
    with pytest.raises(HubError) as caught:
        pull_model(NLI_REPO, cache=cache, revision="v9")
    assert str(caught.value) == f"{NLI_REPO} has no such revision"
    with pytest.raises(HubError, match="is not a hub repo id"):
        pull_model("../escape", cache=cache)


def test_a_revision_pins_the_commit(hub: FakeHub, tmp_path: Path, cache: Path) -> None:
    add_nli_repo(hub, tmp_path)
    commit = hub.commit(NLI_REPO)
    pulled = pull_model(NLI_REPO, cache=cache, revision=commit)
    assert pulled.manifest.source == f"hub:{NLI_REPO}@{commit}"
    assert ("GET", f"/api/models/{NLI_REPO}/revision/{commit}") in hub.requests


def test_unreachable_hub_is_a_one_line_error(
    hub: FakeHub,
    tmp_path: Path,
    cache: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with socket.socket() as probe:  # a port that was free a moment ago: nothing listens
        probe.bind(("127.0.0.1", 0))
        endpoint = f"http://127.0.0.1:{probe.getsockname()[1]}"
    monkeypatch.setenv("HF_ENDPOINT", endpoint)
    with pytest.raises(HubError) as caught:
        pull_model(NLI_REPO, cache=cache)
    assert str(caught.value).startswith(f"listing files from {NLI_REPO} at {endpoint} failed: ")
    assert "\n" not in str(caught.value)


def test_a_model_in_the_cache_is_replaced_only_with_force(
    hub: FakeHub,
    tmp_path: Path,
    cache: Path,
) -> None:
    add_nli_repo(hub, tmp_path, graphs=("onnx/model.onnx", "onnx/model_quantized.onnx"))
    first = pull_model(NLI_REPO, cache=cache)
    with pytest.raises(HubError, match="already exists; pass --force to replace it"):
        pull_model(NLI_REPO, cache=cache, variant="int8")
    assert load_manifest(first.path).quantization == "fp32"
    again = pull_model(NLI_REPO, cache=cache, variant="int8", force=True)
    assert again.path == first.path and load_manifest(again.path).quantization == "int8"
    assert sorted(p.name for p in cache.iterdir()) == ["acme--nli-mini"]


# --- resolution ----------------------------------------------------------------------


def test_resolution_never_pulls_and_finds_pulled_models(
    hub: FakeHub, tmp_path: Path, cache: Path
) -> None:
    add_nli_repo(hub, tmp_path)
    with pytest.raises(ModelFormatError) as caught:
        resolve_model(f"hub:{NLI_REPO}", cache=cache)
    assert str(caught.value) == (
        f"model hub:{NLI_REPO} is not in the cache {cache}; "
        f"run `truthgraph models pull {NLI_REPO}` first"
    )
    with pytest.raises(ModelFormatError, match="not found as a directory or in the cache"):
        resolve_model(NLI_REPO, cache=cache)
    assert hub.requests == [] and not cache.exists()
    path = pull_model(NLI_REPO, cache=cache).path
    assert path == cache / "acme--nli-mini"
    # Once cached, both spellings resolve locally without asking the hub.
    before = len(hub.requests)
    assert resolve_model(f"hub:{NLI_REPO}", cache=cache) == path
    assert resolve_model(NLI_REPO, cache=cache) == path
    assert len(hub.requests) == before


# --- the command line ----------------------------------------------------------------


def test_cli_pull_then_list(
    hub: FakeHub,
    tmp_path: Path,
    cache: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("TRUTHGRAPH_MODEL_CACHE", str(cache))
    add_nli_repo(hub, tmp_path)
    runner = CliRunner()
    result = runner.invoke(main, ["models", "pull", NLI_REPO])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert (report["model"], report["task"], report["labels"], report["from_file"]) == (
        "acme--nli-mini",
        "nli",
        list(MNLI_ORDER),
        "onnx/model.onnx",
    )
    listed = json.loads(runner.invoke(main, ["models", "list"]).stdout)
    [row] = [r for r in listed["models"] if r["model"] == "acme--nli-mini"]
    assert (row["task"], row["name"], row["quantization"], row["starter"]) == (
        "nli",
        NLI_REPO,
        "fp32",
        False,
    )
    assert row["source"] == f"hub:{NLI_REPO}@{hub.commit(NLI_REPO)}"
    assert row["path"] == str(cache / "acme--nli-mini")


@pytest.mark.parametrize(
    ("setup", "args", "message"),
    [
        (
            "no-onnx",
            ["models", "pull", NLI_REPO],
            f"Error: {NLI_REPO} has no ONNX files; convert it with "
            f"`truthgraph models export {NLI_REPO}` (needs truthgraph[export])",
        ),
        (
            "labels",
            ["models", "pull", NLI_REPO, "--task", "nli"],
            f"Error: {NLI_REPO}: cannot map config.json id2label "
            '({"0": "LABEL_0", "1": "LABEL_1", "2": "LABEL_2"}) to entailment, neutral and '
            "contradiction; refusing to guess the NLI label order",
        ),
        (
            "offline",
            ["models", "pull", NLI_REPO],
            f"Error: cannot pull {NLI_REPO}: the Hugging Face hub is switched off "
            "(HF_HUB_OFFLINE is set); unset it, or use a model directory on disk",
        ),
        (
            "ok",
            ["models", "pull", "acme/missing"],
            "Error: no model repo acme/missing at {endpoint} (if it is private, set HF_TOKEN)",
        ),
    ],
    ids=["no-onnx", "labels", "offline", "unknown-repo"],
)
def test_cli_errors_are_one_line_with_exit_code_1(
    hub: FakeHub,
    tmp_path: Path,
    cache: Path,
    monkeypatch: pytest.MonkeyPatch,
    setup: str,
    args: list[str],
    message: str,
) -> None:
    monkeypatch.setenv("TRUTHGRAPH_MODEL_CACHE", str(cache))
    if setup == "no-onnx":
        add_nli_repo(hub, tmp_path, graphs=())
    elif setup == "labels":
        add_nli_repo(hub, tmp_path, id2label={"0": "LABEL_0", "1": "LABEL_1", "2": "LABEL_2"})
    else:
        add_nli_repo(hub, tmp_path)
    if setup == "offline":
        monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 1
    assert result.stderr == message.replace("{endpoint}", hub.endpoint) + "\n"
    assert result.stdout == ""
    assert not cache.exists() or list(cache.iterdir()) == []


def test_cli_rejects_an_unknown_variant(hub: FakeHub) -> None:
    result = CliRunner().invoke(main, ["models", "pull", NLI_REPO, "--variant", "fp16"])
    assert result.exit_code == 2 and "'fp16' is not one of 'fp32', 'int8'" in result.stderr
