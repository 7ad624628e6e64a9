"""Database URLs with passwords that URLs reserve characters of, built from parts or
repaired, and the password masked in every message."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from psycopg.conninfo import conninfo_to_dict

from tests.http_server import free_port
from truthgraph import dburl
from truthgraph.cli import main
from truthgraph.config import Settings
from truthgraph.redact import redact

PASSWORD = "ab/c+d=@e?f#g%h:i"


def test_a_raw_password_with_reserved_characters_is_encoded() -> None:
    url = dburl.normalize(f"postgresql://truthgraph:{PASSWORD}@db.example:5433/truthgraph")
    params = conninfo_to_dict(url)
    assert params["password"] == PASSWORD
    assert (params["host"], params["port"], params["dbname"]) == (
        "db.example",
        "5433",
        "truthgraph",
    )
    assert dburl.normalize(url) == url  # already encoded: unchanged


def test_a_url_built_from_parts_keeps_every_character() -> None:
    url = dburl.build(host="::1", port=5432, name="t g", user="u@x", password=PASSWORD)
    params = conninfo_to_dict(url)
    assert (params["host"], params["user"], params["dbname"]) == ("::1", "u@x", "t g")
    assert params["password"] == PASSWORD
    socket_url = dburl.build(host="/run/pg", port=5433, name="tg", user="u", password="p")
    assert conninfo_to_dict(socket_url)["host"] == "/run/pg"


def test_settings_from_parts_read_the_password_file(tmp_path: Path) -> None:
    secret = tmp_path / "postgres_password"
    secret.write_text(PASSWORD + "\n")
    settings = Settings(db_host="postgres", db_password_file=secret)
    assert conninfo_to_dict(settings.database_url)["password"] == PASSWORD
    assert PASSWORD not in repr(settings)
    with pytest.raises(ValueError, match="not both"):
        Settings(db_host="postgres", database_url="postgresql://u@h/d")
    with pytest.raises(ValueError, match=r"secret file .*absent does not exist"):
        Settings(db_host="postgres", db_password_file=tmp_path / "absent")


@pytest.mark.parametrize("command", [["db", "upgrade", "--wait", "0"], ["stats"]])
def test_the_password_never_appears_in_cli_output(command: list[str]) -> None:
    url = f"postgresql://truthgraph:{PASSWORD}@127.0.0.1:{free_port()}/truthgraph"
    result = CliRunner().invoke(main, command, env={"TRUTHGRAPH_DATABASE_URL": url})
    assert result.exit_code == 1
    assert "127.0.0.1" in result.output  # the connection was tried at the right host
    for spelling in (PASSWORD, "ab/c", "c+d", "ab%2Fc"):
        assert spelling not in result.output


def test_redact_masks_every_spelling() -> None:
    dburl.normalize("postgresql://u:s3cr/t+x=@h/d")
    assert redact("a s3cr/t+x= b s3cr%2Ft%2Bx%3D c") == "a *** b *** c"
