"""All settings in one place, read from `TRUTHGRAPH_*` environment variables."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
)

from truthgraph import dburl, redact
from truthgraph.secret_files import ReadableSecretsSource, read_secret


def default_data_dir() -> Path:
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "truthgraph"


class Settings(BaseSettings):
    """Runtime configuration shared by the CLI, the API and the workers."""

    # Secrets (the database URL with its password, say) may also come from files named
    # like the variables, lower-case, in TRUTHGRAPH_SECRETS_DIR (Docker secrets).
    model_config = SettingsConfigDict(
        env_prefix="TRUTHGRAPH_",
        env_ignore_empty=True,
        extra="ignore",
        secrets_dir=os.environ.get("TRUTHGRAPH_SECRETS_DIR") or None,
        # Validation errors must not echo a database URL with its password.
        hide_input_in_errors=True,
    )

    database_url: str = Field(
        default_factory=lambda: f"sqlite:///{default_data_dir() / 'truthgraph.db'}",
        description="sqlite:///PATH (embedded default) or postgresql://... (server mode).",
        repr=False,
    )
    # Server mode from parts: with db_host set, the URL is built from these, so that a
    # password needs no URL encoding and can come from a file (a Docker secret).
    db_host: str = Field(
        default="", description="PostgreSQL host (or socket folder); builds the URL from parts."
    )
    db_port: int = Field(default=5432, ge=1, le=65535, description="PostgreSQL port.")
    db_name: str = Field(default="truthgraph", description="PostgreSQL database name.")
    db_user: str = Field(default="truthgraph", description="PostgreSQL user name.")
    db_password: SecretStr = Field(
        default=SecretStr(""), description="PostgreSQL password (prefer db_password_file)."
    )
    db_password_file: Path | None = Field(
        default=None, description="File holding the PostgreSQL password (a Docker secret)."
    )
    db_pool_size: int = Field(
        default=4,
        ge=1,
        le=64,
        description="PostgreSQL connections per process (requests and job workers share them).",
    )
    inference: Literal["local", "remote"] = Field(
        default="local", description="Run models in-process (local) or call ml-inference."
    )
    inference_url: str = Field(
        default="http://127.0.0.1:8001", description="Base URL of the ml-inference service."
    )
    embed_model: str = Field(
        default="bundled:embedder-minilm-l6-int8",
        description="Embedding model: bundled:NAME, a model directory path, or a cached model.",
    )
    nli_model: str = Field(
        default="bundled:nli-starter-minilm-l6-int8",
        description="NLI model: bundled:NAME, a model directory path, or a cached model.",
    )
    model_cache: Path = Field(
        default_factory=lambda: default_data_dir() / "models",
        description="Folder of locally pulled or exported model directories.",
    )
    onnx_threads: int = Field(default=0, ge=0, le=256, description="0 lets ONNX Runtime pick.")
    top_k: int = Field(default=10, ge=1, le=100, description="Passages sent to NLI per claim.")
    candidates: int = Field(
        default=50, ge=1, le=1000, description="Candidates taken from each retriever before fusion."
    )
    passage_max_chars: int = Field(
        default=600, ge=50, le=10_000, description="Longer sentences are split (keeps NLI fast)."
    )
    document_max_chars: int = Field(
        default=20_000_000, ge=1, description="Documents longer than this are rejected."
    )
    ingest_batch_size: int = Field(
        default=256, ge=1, le=100_000, description="Passages per transactional write."
    )

    api_keys_required: bool = Field(
        default=False, description="Require an API key on /v1 routes (on in production)."
    )
    rate_limit_per_minute: int = Field(
        default=0,
        ge=0,
        le=1_000_000,
        description="Requests a minute per API key (per client address without keys); 0 = off.",
    )
    trusted_proxies: str = Field(
        default="",
        description="Comma-separated proxy addresses or networks whose X-Forwarded-For is"
        " believed when telling clients apart; empty = none (the header is ignored).",
    )
    ui_session_secret: str = Field(
        default="",
        description="Key signing the web UI's session and form cookies; empty = a random key"
        " per process (sessions end when it restarts). Replicas behind one address must share"
        " one (at least 32 characters).",
    )
    ui_session_minutes: int = Field(
        default=480, ge=5, le=10_080, description="How long a web UI sign-in lasts."
    )
    max_upload_bytes: int = Field(
        default=50_000_000, ge=1_000, description="Largest document upload body accepted."
    )
    check_max_chars: int = Field(
        default=100_000,
        ge=100,
        le=10_000_000,
        description="Longest text `check` and /v1/check take at once (characters).",
    )
    check_sync_claims: int = Field(
        default=20,
        ge=1,
        le=1000,
        description="/v1/check answers at once up to this many claims; more become a job.",
    )
    max_batch_claims: int = Field(
        default=1000, ge=1, le=100_000, description="Most claims in one verification job."
    )
    job_workers: int = Field(
        default=2, ge=0, le=64, description="Verification job threads per API process."
    )
    job_lease_seconds: float = Field(
        default=60.0, gt=0, description="A job whose worker stops renewing is taken over."
    )

    ml_max_items: int = Field(
        default=256, ge=1, le=10_000, description="ml-inference: texts or pairs per call."
    )
    ml_max_chars: int = Field(
        default=10_000, ge=10, description="ml-inference: characters per text or pair."
    )
    ml_max_wait_ms: float = Field(
        default=5.0, ge=0, le=1000, description="ml-inference: micro-batch gathering time."
    )
    ml_queue_size: int = Field(
        default=256, ge=1, description="ml-inference: waiting requests before 429."
    )
    inference_timeout: float = Field(
        default=30.0, gt=0, description="Seconds the core waits for one inference call."
    )
    inference_retries: int = Field(
        default=2, ge=0, le=10, description="Retries of a failed inference call, with backoff."
    )

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        secrets = ReadableSecretsSource(settings_cls)
        return init_settings, env_settings, dotenv_settings, secrets

    @field_validator("database_url")
    @classmethod
    def _known_scheme(cls, value: str) -> str:
        if not value.startswith(("sqlite:///", *dburl.POSTGRES_SCHEMES)):
            raise ValueError("database_url must start with sqlite:/// or postgresql://")
        return dburl.normalize(value)

    @field_validator("db_password")
    @classmethod
    def _mask_password(cls, value: SecretStr) -> SecretStr:
        redact.register(value.get_secret_value())
        return value

    @field_validator("ui_session_secret")
    @classmethod
    def _long_secret(cls, value: str) -> str:
        if value and len(value) < 32:
            raise ValueError("ui_session_secret must be at least 32 characters")
        return value

    @model_validator(mode="after")
    def _url_from_parts(self) -> Settings:
        if not self.db_host:
            if self.db_password_file is not None:
                raise ValueError("db_password_file needs db_host (the URL is built from parts)")
            return self
        if "database_url" in self.model_fields_set:
            raise ValueError("set either database_url or db_host (and its parts), not both")
        password = self.db_password.get_secret_value()
        if self.db_password_file is not None:
            password = read_secret(self.db_password_file)
        self.database_url = dburl.build(
            host=self.db_host,
            port=self.db_port,
            name=self.db_name,
            user=self.db_user,
            password=password,
        )
        return self

    @field_validator("trusted_proxies")
    @classmethod
    def _networks(cls, value: str) -> str:
        from truthgraph.api.client_address import parse_networks

        parse_networks(value)  # raises ValueError on a malformed entry
        return value

    @property
    def sqlite_path(self) -> Path | None:
        """The database file in embedded mode, None in server mode."""
        if self.database_url.startswith("sqlite:///"):
            return Path(self.database_url.removeprefix("sqlite:///"))
        return None
