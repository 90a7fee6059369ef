"""Settings read from ``SAMPARK_*`` environment variables and validated once at start-up."""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

ENV_PREFIX = "SAMPARK_"
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")
DEFAULT_FILE_MAX_BYTES = 25 * 1024 * 1024


class SettingsError(ValueError):
    """A settings value is missing or malformed; the message names the variable."""


def _url(schemes: tuple[str, ...]) -> Callable[[str], str]:
    def parse(value: str) -> str:
        parsed = urlparse(value)
        if parsed.scheme not in schemes:
            raise ValueError(f"must be a URL starting with one of {', '.join(s + '://' for s in schemes)}")
        return value

    return parse


def _bool(value: str) -> bool:
    lowered = value.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ValueError("must be one of true/false, 1/0, yes/no, on/off")


def _port(value: str) -> int:
    port = int(value)
    if not 0 <= port <= 65535:
        raise ValueError("must be a port number between 0 and 65535")
    return port


def _positive(value: str) -> int:
    number = int(value)
    if number < 1:
        raise ValueError("must be a whole number of at least 1")
    return number


def _level(value: str) -> str:
    if value.upper() not in LOG_LEVELS:
        raise ValueError(f"must be one of {', '.join(LOG_LEVELS)}")
    return value.upper()


def _secret(value: str) -> str:
    if len(value) < 32:
        raise ValueError("must be at least 32 characters long")
    return value


def _storage_url(value: str) -> str:
    parsed = urlparse(value)
    if parsed.scheme == "s3" and not parsed.netloc:
        raise ValueError("an s3:// URL must name a bucket: s3://bucket?endpoint=...&region=...")
    if parsed.scheme not in ("", "s3", "file"):
        raise ValueError("must be a directory, file:///path or s3://bucket?endpoint=...&region=...")
    return value


# Where a tenant's data may live: the presets' ``residency`` names (platform/regions/presets.py; a unit test keeps
# the two in step). Settings cannot import the presets (they pull in Babel), so the names are listed here.
PLACEMENTS = ("default", "eu", "uk", "us", "br", "in", "ca", "au")


def _region_databases(value: str) -> tuple[tuple[str, str], ...]:
    """``eu=postgresql://...;in=postgresql://...`` → sorted ``(placement, url)`` pairs."""
    pairs: dict[str, str] = {}
    for item in value.split(";"):
        if not item.strip():
            continue
        name, separator, url = item.partition("=")
        name, url = name.strip().lower(), url.strip()
        if not separator or not url:
            raise ValueError(f"{item.strip()!r} is not placement=postgresql://...")
        if name not in PLACEMENTS:
            raise ValueError(f"unknown placement {name!r}; known: {', '.join(PLACEMENTS)}")
        if name in pairs:
            raise ValueError(f"placement {name!r} is listed twice")
        pairs[name] = _url(("postgresql", "postgres"))(url)
    return tuple(sorted(pairs.items()))


def file_max_bytes_from_env(environ: Mapping[str, str] | None = None) -> int:
    """``SAMPARK_FILE_MAX_BYTES`` alone, for limits fixed when routes are declared (before settings load)."""
    raw = (os.environ if environ is None else environ).get(ENV_PREFIX + "FILE_MAX_BYTES", "")
    try:
        return _positive(raw) if raw else DEFAULT_FILE_MAX_BYTES
    except ValueError:
        return DEFAULT_FILE_MAX_BYTES  # Settings.from_env reports the bad value at start-up


def _setting(parser: Callable[[str], Any] | None = None, default: Any = None, **kwargs: Any) -> Any:
    return field(default=default, metadata={"parser": parser}, **kwargs)


@dataclass(frozen=True)
class Settings:
    """Process-wide configuration. Each field maps to ``SAMPARK_<FIELD NAME IN UPPER CASE>``."""

    data_dir: Path = _setting(lambda v: Path(v).expanduser().resolve(), Path(".sampark").resolve())
    database_url: str | None = _setting(_url(("postgresql", "postgres")))
    # Placements whose tenants live on another database server (``eu=postgresql://...;in=...``); every other
    # placement uses ``database_url``, the home database that also keeps the platform tables.
    region_databases: tuple[tuple[str, str], ...] = _setting(_region_databases, ())
    redis_url: str | None = _setting(_url(("redis", "rediss", "unix")))
    broker_url: str | None = _setting(_url(("redis", "rediss", "unix", "amqp", "amqps")))
    smtp_url: str | None = _setting(_url(("smtp",)))
    mail_from: str = _setting(str, "Sampark <no-reply@sampark.localhost>")
    # Where the embedded SMTP sink keeps messages; set by `sampark up` for its children, enables /ops/mail.
    mail_sink_dir: Path | None = _setting(lambda v: Path(v).resolve())
    host: str = _setting(str, "127.0.0.1")
    port: int = _setting(_port, 8000)
    base_url: str | None = _setting(_url(("http", "https")))
    secret_key: str = _setting(_secret, "")
    debug: bool = _setting(_bool, False)
    log_level: str = _setting(_level, "INFO")
    db_pool_size: int = _setting(_positive, 10)
    migrate_concurrency: int = _setting(_positive, 8)
    migrate_lock_timeout_ms: int = _setting(_positive, 5000)
    login_attempts_per_minute: int = _setting(_positive, 10)
    secure_cookies: bool = _setting(_bool, False)
    # Where uploaded files live: empty for <data_dir>/files, a directory path, or s3://bucket?endpoint=...&region=...
    file_storage: str = _setting(_storage_url, "")
    file_max_bytes: int = _setting(_positive, DEFAULT_FILE_MAX_BYTES)

    @property
    def embedded_database(self) -> bool:
        return self.database_url is None

    @property
    def embedded_redis(self) -> bool:
        return self.redis_url is None

    @property
    def embedded_mail(self) -> bool:
        return self.smtp_url is None

    @property
    def public_url(self) -> str:
        return self.base_url or f"http://{self.host}:{self.port}"

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides: Any) -> Settings:
        """Build settings from the environment.

        Raises:
            SettingsError: naming the first variable whose value does not parse.
        """
        environ = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        for item in fields(cls):
            name = ENV_PREFIX + item.name.upper()
            raw = environ.get(name)
            if raw is None or raw == "":
                continue
            try:
                values[item.name] = item.metadata["parser"](raw)
            except (ValueError, TypeError) as error:
                raise SettingsError(f"{name}={raw!r} is invalid: {error}") from None
        values.update(overrides)
        if not values.get("secret_key"):
            values["secret_key"] = _persistent_secret(values.get("data_dir", cls.data_dir))
        return cls(**values)

    def with_overrides(self, **overrides: Any) -> Settings:
        return type(self)(**{**{f.name: getattr(self, f.name) for f in fields(self)}, **overrides})


def _persistent_secret(data_dir: Path) -> str:
    """Return a secret kept under the data directory, so sessions survive restarts without configuration."""
    path = Path(data_dir) / "secret_key"
    if path.exists():
        return path.read_text().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    secret = secrets.token_urlsafe(48)
    path.write_text(secret)
    path.chmod(0o600)
    return secret


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """Return the process settings, read once."""
    return Settings.from_env()
