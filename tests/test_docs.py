"""Docs that cannot drift: every setting and CLI command is documented in the README."""

from __future__ import annotations

from pathlib import Path

from truthgraph.cli import main
from truthgraph.config import Settings

README = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")


def test_every_setting_is_in_the_readme() -> None:
    missing = [
        f"TRUTHGRAPH_{name.upper()}"
        for name in Settings.model_fields
        if f"`TRUTHGRAPH_{name.upper()}`" not in README
    ]
    assert missing == []


def test_every_cli_command_is_in_the_readme() -> None:
    missing = [name for name in main.commands if f"truthgraph {name}" not in README]
    assert missing == []


def test_readme_has_the_two_setup_commands() -> None:
    for marker, ending in (("demo-command", "truthgraph demo"), ("test-command", "pytest")):
        block = README.split(f"<!-- {marker} -->", 1)[1].split("```")[1]
        [command] = [line for line in block.splitlines() if line.strip()]
        assert command.startswith("python3 -m venv .venv && ")
        assert command.endswith(ending)
