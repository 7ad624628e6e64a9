"""docs/cli.md, the CLI reference, is current and leaves nothing out."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path
from types import ModuleType

import click

ROOT = Path(__file__).resolve().parents[1]
REGENERATE = "python scripts/docs/cli_reference.py"


def _generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "cli_reference", ROOT / "scripts" / "docs" / "cli_reference.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


GENERATOR = _generator()
PAGE = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")


def _sections() -> dict[str, str]:
    """Each command's section of the page, by its heading (`truthgraph db upgrade`)."""
    parts = re.split(r"^#+ `([^`]+)`$", PAGE, flags=re.MULTILINE)
    return dict(zip(parts[1::2], parts[2::2], strict=True))


def test_the_page_is_what_the_generator_writes() -> None:
    assert PAGE == GENERATOR.render(), f"docs/cli.md is out of date: run {REGENERATE}"


def test_every_command_and_option_is_documented() -> None:
    sections = _sections()
    commands = list(GENERATOR.walk(GENERATOR.main, ("truthgraph",)))
    assert len(commands) > 20  # the walk reaches the subcommands
    for path, command, _ in commands:
        name = " ".join(path)
        assert name in sections, f"{name} has no section in docs/cli.md ({REGENERATE})"
        assert command.help, f"{name} has no help text"
        for param in command.params:
            if not isinstance(param, click.Option):
                continue
            assert param.help, f"{name} {param.opts[0]} has no help text"
            for flag in param.opts:
                assert flag in sections[name], f"{name} {flag} is not in docs/cli.md"
