"""`truthgraph stats`: the counts, and the database URL with any password masked."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from truthgraph.cli import main
from truthgraph.cli.stats import masked_url


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        (
            "postgresql://tg:s3cret@db.internal:5432/truthgraph",
            "postgresql://tg:***@db.internal:5432/truthgraph",
        ),
        (
            "postgres://tg:p@ss:w0rd@db/tg?sslmode=require",
            "postgres://tg:***@db/tg?sslmode=require",
        ),
        ("postgresql://tg:p%40ss@[::1]:5432/tg", "postgresql://tg:***@[::1]:5432/tg"),
        (
            "postgresql://tg@db/tg?password=s3cret&application_name=api",
            "postgresql://tg@db/tg?password=***&application_name=api",
        ),
        ("postgresql://tg@db/tg?sslmode=require", "postgresql://tg@db/tg?sslmode=require"),
        ("sqlite:////var/lib/truthgraph/tg.db", "sqlite:////var/lib/truthgraph/tg.db"),
        ("sqlite:///rel/user:pw@x.db", "sqlite:///rel/user:pw@x.db"),
    ],
)
def test_masked_url(url: str, shown: str) -> None:
    assert masked_url(url) == shown


def test_stats_on_sqlite_shows_the_path_and_counts(tiny_env: Path) -> None:
    result = CliRunner().invoke(main, ["stats"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == {
        "database": f"sqlite:///{tiny_env}",
        "documents": 0,
        "passages": 0,
        "embeddings": 0,
    }


@pytest.mark.postgres
def test_stats_on_postgres_never_prints_the_password(
    postgres_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The test server trusts local connections, so it accepts any password given.
    assert postgres_url.startswith("postgresql://postgres:@/")
    url = postgres_url.replace("postgres:@", "postgres:s3cret@", 1)
    monkeypatch.setenv("TRUTHGRAPH_DATABASE_URL", url)
    result = CliRunner().invoke(main, ["stats"])
    assert result.exit_code == 0, result.output
    assert "s3cret" not in result.output
    assert json.loads(result.stdout) == {
        "database": postgres_url.replace("postgres:@", "postgres:***@", 1),
        "documents": 0,
        "passages": 0,
        "embeddings": 0,
    }
