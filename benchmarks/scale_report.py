"""The table (Markdown) and chart (PNG) of benchmarks/scale.py's results."""

from __future__ import annotations

from pathlib import Path
from typing import Any


def _mb(value: int | None) -> str:
    return "" if value is None else f"{value / 1e6:,.0f} MB"


def _get(entry: dict[str, Any], *path: str) -> Any:
    for key in path:
        if not isinstance(entry, dict) or key not in entry:
            return None
        entry = entry[key]
    return entry


def _cell(value: Any, fmt: str = "{}") -> str:
    return "" if value is None else fmt.format(value)


def render_markdown(results: dict[str, Any]) -> str:
    sizes = sorted(results.get("sizes", {}).values(), key=lambda e: e["passages"])
    machine = results.get("machine", {})
    lines = [
        "# Vector retrieval at scale",
        "",
        f"Machine: {machine.get('cpus')} CPUs ({machine.get('cpu_model')}), "
        f"{machine.get('memory_gib')} GiB, Python {machine.get('python')}; packages "
        f"{machine.get('packages')}. The CPUs were shared with other work during some runs "
        "(see each size's time of measurement).",
        "",
        "Corpus: synthetic passages (generated sentences with invented facts, "
        "benchmarks/scale_corpus.py); queries: synthetic claims not in the corpus (random unit "
        "vectors for a random-vector corpus), 200 per size unless the command says otherwise. "
        "Recall@10 is the share of the exact top 10 (numpy, float32 cosine over the same "
        "vectors) that the search returns.",
        "",
        "## PostgreSQL + pgvector (HNSW, cosine)",
        "",
        "| passages | vectors | index build | m / ef_construction | table | HNSW index "
        "| store query p50 / p95 (k 10, ef_search 40) | recall@10 "
        "| retriever query p50 / p95 (k 50) | recall@10 of its top 10 "
        "| exact (index off) p50 / p95 |",
        "|---:|---|---:|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for e in sizes:
        pg = e.get("postgres")
        if not pg:
            continue
        index = pg.get("index", {})
        build = (
            f"{index['seconds']:,.1f} s"
            if index.get("built")
            else f"not finished in {index.get('timed_out_after_s')} s"
        )
        store, cand, exact = (
            pg.get("store_query", {}),
            pg.get("candidates_query", {}),
            pg.get("exact_query", {}),
        )
        lines.append(
            f"| {e['passages']:,} | {e['vectors'].split(' (')[0]} | {build} "
            f"| {index.get('m')} / {index.get('ef_construction')} "
            f"| {_mb(_get(pg, 'sizes', 'embeddings_table_bytes'))} "
            f"| {_mb(_get(pg, 'sizes', 'hnsw_index_bytes'))} "
            f"| {_cell(store.get('p50_ms'))} / {_cell(store.get('p95_ms'))} ms "
            f"| {_cell(store.get('recall_at_10'))} "
            f"| {_cell(cand.get('p50_ms'))} / {_cell(cand.get('p95_ms'))} ms "
            f"| {_cell(cand.get('recall_at_10'))} "
            f"| {_cell(exact.get('p50_ms'))} / {_cell(exact.get('p95_ms'))} ms |"
        )
    lines += [
        "",
        "hnsw.ef_search sweep (the store's SQL, k 10):",
        "",
        "| passages | ef_search | p50 ms | p95 ms | recall@10 |",
        "|---:|---:|---:|---:|---:|",
    ]
    for e in sizes:
        for row in _get(e, "postgres", "ef_search_sweep") or []:
            lines.append(
                f"| {e['passages']:,} | {row['ef_search']} | {row['p50_ms']} "
                f"| {row['p95_ms']} | {row['recall_at_10']} |"
            )
    lines += [
        "",
        "## Embedded SQLite store (exact search over an in-memory matrix)",
        "",
        "| passages | query p50 / p95 (k 10) | recall@10 | first query (loads the matrix) "
        "| matrix | process RSS before / after first query (peak) | file |",
        "|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for e in sizes:
        sq = e.get("sqlite")
        if not sq:
            continue
        q = sq["query"]
        lines.append(
            f"| {e['passages']:,} | {q['p50_ms']} / {q['p95_ms']} ms | {q['recall_at_10']} "
            f"| {sq['first_query_ms']:,} ms | {sq['matrix_mib']} MiB "
            f"| {sq['rss_before_mib']} / {sq['rss_after_first_query_mib']} MiB "
            f"({sq['peak_rss_mib']} MiB) | {_mb(sq['file_bytes'])} |"
        )
    lines += ["", "## How each size was measured", ""]
    for e in sizes:
        pg = e.get("postgres", {})
        lines.append(
            f"- {e['passages']:,} passages, {e['vectors']}, measured {e['measured_at']}: "
            f"`{e['command']}`"
            + (
                f"; index: `{pg['index']['statement']}` with maintenance_work_mem "
                f"{pg['index']['maintenance_work_mem']} and {pg['index']['parallel_workers']} "
                f"parallel worker(s); server {pg.get('server')}; load {pg.get('load')}; "
                f"planner uses the index: {pg.get('planner_uses_index')}; PostgreSQL's exact "
                f"search agrees with numpy's on recall@10 = "
                f"{_get(pg, 'exact_query', 'recall_at_10')}"
                if pg
                else ""
            )
            + (
                f"; embedding {e['embedding_passages_per_s']} passages/s"
                if e.get("embedding_passages_per_s")
                else ""
            )
        )
    return "\n".join(lines) + "\n"


def render_chart(results: dict[str, Any], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    sizes = sorted(results.get("sizes", {}).values(), key=lambda e: e["passages"])
    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4.2))

    def series(*keys: str, random: bool | None = None) -> tuple[list[int], list[float]]:
        xs, ys = [], []
        for e in sizes:
            if random is not None and e["vectors"].startswith("random") != random:
                continue
            value = _get(e, *keys)
            if value is not None:
                xs.append(e["passages"])
                ys.append(float(value))
        return xs, ys

    for keys, label, style in (
        (("postgres", "store_query", "p50_ms"), "pgvector HNSW p50 (k 10)", "o-"),
        (("postgres", "store_query", "p95_ms"), "pgvector HNSW p95 (k 10)", "o--"),
        (("postgres", "exact_query", "p50_ms"), "PostgreSQL exact p50", "s-"),
        (("sqlite", "query", "p50_ms"), "SQLite store exact p50", "^-"),
        (("sqlite", "query", "p95_ms"), "SQLite store exact p95", "^--"),
    ):
        xs, ys = series(*keys)
        if xs:
            left.plot(xs, ys, style, label=label)
    notes = [
        f"{e['passages']:,}: {e['vectors'].split(' (')[0]}, HNSW m "
        f"{e['postgres']['index']['m']} / ef_construction "
        f"{e['postgres']['index']['ef_construction']}"
        for e in sizes
        if _get(e, "postgres", "index", "m") not in (None, 16) or e["vectors"].startswith("random")
    ]
    if notes:
        left.text(
            0.98,
            0.02,
            "\n".join(notes),
            transform=left.transAxes,
            fontsize=7,
            ha="right",
            va="bottom",
        )
    left.set_xscale("log")
    left.set_yscale("log")
    left.set_xlabel("passages")
    left.set_ylabel("query latency (ms)")
    left.set_title("Vector search latency")
    left.grid(True, which="both", alpha=0.3)
    left.legend(fontsize=8)

    for keys, label, style in (
        (("postgres", "store_query", "recall_at_10"), "HNSW, k 10 (ef_search 40)", "o-"),
        (("postgres", "candidates_query", "recall_at_10"), "HNSW, top 10 of k 50", "o--"),
        (("sqlite", "query", "recall_at_10"), "SQLite store (exact)", "^-"),
    ):
        # Lines join only sizes with the same kind of vectors.
        xs, ys = series(*keys, random=False)
        if xs:
            right.plot(xs, ys, style, label=label)
        xs, ys = series(*keys, random=True)
        if xs:
            right.plot(xs, ys, style[0], color=right.lines[-1].get_color(), fillstyle="none")
    random_sizes = [e["passages"] for e in sizes if e["vectors"].startswith("random")]
    if random_sizes:
        right.axvspan(
            min(random_sizes) / 1.5,
            max(random_sizes) * 1.5,
            color="0.9",
            label="random unit vectors: no near neighbours,\nrecall not comparable",
        )
    right.set_xscale("log")
    right.set_ylim(0, 1.02)
    right.set_xlabel("passages")
    right.set_ylabel("recall@10 against exact search")
    right.set_title("Recall")
    right.grid(True, which="both", alpha=0.3)
    right.legend(fontsize=8, loc="lower left")
    fig.suptitle("TruthGraph vector retrieval (synthetic passages; 2 shared CPUs)", fontsize=10)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
