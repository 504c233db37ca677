"""Shared fixtures: archive databases on real SQLite and on a real, throwaway PostgreSQL server."""

from __future__ import annotations

import itertools
from collections.abc import Iterator

import pytest

from storage import Database, DatabaseSettings

try:  # tests/ is not a package: pytest puts it on sys.path
    import pgserver
except ImportError:  # pragma: no cover
    from tests import pgserver

_database_numbers = itertools.count(1)


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[pgserver.PostgresServer]:
    """One PostgreSQL server for the whole run (skipped where the binaries are missing, except in CI)."""
    pgserver.require_postgres()
    with pgserver.PostgresServer() as server:
        yield server


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path) -> Iterator[str]:
    """A fresh, empty database URL on each backend."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'aiplus.db'}"
        return
    server = request.getfixturevalue("postgres_server")
    name = f"aiplus_test_{next(_database_numbers)}"
    url = server.create_database(name)
    yield url
    server.drop_database(name)


@pytest.fixture
def database(db_url: str, tmp_path) -> Iterator[Database]:
    """An opened, migrated archive on each backend."""
    db = Database.open(DatabaseSettings(url=db_url, archive_dir=tmp_path / "archive"))
    yield db
    db.dispose()
