"""Secret files (Docker secrets, password files) read with errors that say what to fix.

Compose mounts a secret file with the owner and mode it has on the host, so a file
created `chmod 600` by root cannot be read by the services, which run as uid 999.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Any

from pydantic_settings import SecretsSettingsSource
from pydantic_settings.exceptions import SettingsError


def unreadable(path: str | os.PathLike[str]) -> str:
    """Why `path` cannot be read, naming the file, its owner and the uid that needs it."""
    uid = os.getuid()
    try:
        info = os.stat(path)
    except FileNotFoundError:
        return f"secret file {path} does not exist"
    except OSError as exc:
        return f"secret file {path} cannot be read by uid {uid}: {exc.strerror}"
    what = "folder" if stat.S_ISDIR(info.st_mode) else "file"
    return (
        f"secret {what} {path} cannot be read by uid {uid} (this process): it belongs to "
        f"uid {info.st_uid}, gid {info.st_gid}, mode {stat.S_IMODE(info.st_mode):04o}; "
        f"give it to uid {uid} (chown {uid} {path}) or make it readable by that uid"
    )


def read_secret(path: Path) -> str:
    """The file's text without the trailing line break; ValueError when unreadable."""
    try:
        text = path.read_text(encoding="utf-8")
    except (PermissionError, FileNotFoundError, IsADirectoryError):
        raise ValueError(unreadable(path)) from None
    return text.rstrip("\r\n")


class ReadableSecretsSource(SecretsSettingsSource):
    """pydantic-settings' secrets-folder source, with an unreadable file or folder
    reported by name instead of as "error getting value for field"."""

    def __call__(self) -> dict[str, Any]:
        try:
            return super().__call__()
        except SettingsError as exc:
            cause = exc.__cause__
            if isinstance(cause, PermissionError) and cause.filename:
                raise SettingsError(unreadable(cause.filename)) from None
            raise
