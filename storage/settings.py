"""Database settings: what the configuration's [storage] table becomes."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

DEFAULT_DATA_DIR = Path("aiplus-data")


@dataclass(frozen=True)
class DatabaseSettings:
    """Where the archive lives.

    `url` is a SQLAlchemy URL (sqlite:///path or postgresql+psycopg://user@host/db); `archive_dir`
    holds the raw responses as WARC files.
    """

    url: str = f"sqlite:///{DEFAULT_DATA_DIR / 'aiplus.db'}"
    archive_dir: Path = DEFAULT_DATA_DIR / "archive"
    # Seconds a writer waits for another writer's lock before giving up (SQLite only).
    busy_timeout: float = 60.0
