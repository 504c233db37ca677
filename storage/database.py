"""The engine and sessions of one archive database, and its schema migrations.

SQLite is the default and a first-class store: WAL (readers never block the writer), a busy timeout,
foreign keys on, and write transactions that take the write lock up front (BEGIN IMMEDIATE) so two
processes recording at once queue up instead of failing with "database is locked". PostgreSQL runs the
same code through psycopg 3.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, IntegrityError, NoSuchModuleError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from storage.settings import DatabaseSettings

log = logging.getLogger(__name__)

T = TypeVar("T")

# Any fixed number: PostgreSQL advisory lock taken while migrating, so concurrent starts take turns.
_MIGRATION_LOCK_ID = 7_242_025
MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


class StorageError(Exception):
    """The archive cannot be used: a bad URL, an unreachable server, an unwritable path."""


class DatabaseLocked(StorageError):
    """Another process held the database's write lock for longer than we could wait."""


def _describe(url: URL) -> str:
    return url.render_as_string(hide_password=True)


def _is_lock_error(exc: BaseException) -> bool:
    message = str(getattr(exc, "orig", exc)).lower()
    return "database is locked" in message or "database table is locked" in message


class Database:
    """One archive database: its engine, read and write sessions, and migrations.

    Query and recording functions take a Session; the caller owns the transaction:

        with db.transaction() as session:   # a write: commits at the end, rolls back on error
            record_page(session, page)
        with db.session() as session:       # reads
            ...
    """

    def __init__(self, settings: DatabaseSettings) -> None:
        self.settings = settings
        try:
            self.url = make_url(settings.url)
        except ArgumentError as exc:
            raise StorageError(f"bad database URL {settings.url!r}: {exc}") from None
        self.is_sqlite = self.url.get_backend_name() == "sqlite"
        if self.is_sqlite:
            self._prepare_sqlite_path()
        self.engine = self._create_engine()
        write_engine = self.engine.execution_options(aiplus_write=True) if self.is_sqlite else self.engine
        self._read_sessions = sessionmaker(self.engine, expire_on_commit=False)
        self._write_sessions = sessionmaker(write_engine, expire_on_commit=False)

    # -- opening -------------------------------------------------------------------------------

    @classmethod
    def open(cls, settings: DatabaseSettings, *, upgrade: bool = True) -> Database:
        """Connect, check the database is usable, and bring its schema up to date."""
        db = cls(settings)
        try:
            db.check_connection()
            if upgrade:
                db.upgrade()
        except Exception:
            db.dispose()
            raise
        return db

    def _prepare_sqlite_path(self) -> None:
        database = self.url.database
        if not database or database == ":memory:" or database.startswith("file:"):
            return
        folder = Path(database).expanduser().resolve().parent
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StorageError(f"cannot create the database folder {folder}: {exc.strerror}") from None

    def _create_engine(self) -> Engine:
        kwargs: dict[str, Any] = {}
        if self.is_sqlite:
            kwargs["connect_args"] = {"timeout": self.settings.busy_timeout}
        try:
            engine = create_engine(self.url, **kwargs)
        except (ArgumentError, NoSuchModuleError, ImportError) as exc:
            raise StorageError(f"cannot use database URL {_describe(self.url)}: {exc}") from None
        if self.is_sqlite:
            self._configure_sqlite(engine)
        return engine

    def _configure_sqlite(self, engine: Engine) -> None:
        busy_ms = int(self.settings.busy_timeout * 1000)

        @event.listens_for(engine, "connect")
        def on_connect(dbapi_connection: Any, _record: Any) -> None:
            # Let SQLAlchemy's "begin" event issue BEGIN itself (pysqlite's own transaction handling
            # would start deferred transactions behind our back).
            dbapi_connection.isolation_level = None
            cursor = dbapi_connection.cursor()
            cursor.execute(f"PRAGMA busy_timeout = {busy_ms}")
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA synchronous = NORMAL")  # durable in WAL except on power loss
            cursor.execute("PRAGMA foreign_keys = ON")
            cursor.close()

        @event.listens_for(engine, "begin")
        def on_begin(connection: Any) -> None:
            # A deferred transaction that reads and then writes cannot wait for the lock: SQLite
            # fails it at once with "database is locked". Writers take the lock up front instead.
            if connection.get_execution_options().get("aiplus_write"):
                connection.exec_driver_sql("BEGIN IMMEDIATE")
            else:
                connection.exec_driver_sql("BEGIN")

    def check_connection(self) -> None:
        try:
            with self.engine.connect() as connection:
                connection.execute(text("SELECT 1"))
        except (OperationalError, DBAPIError) as exc:
            raise StorageError(f"cannot open database {_describe(self.url)}: {_first_line(exc)}") from None

    def dispose(self) -> None:
        self.engine.dispose()

    # -- sessions ------------------------------------------------------------------------------

    def session(self) -> Session:
        """A session for reading (use as a context manager)."""
        return self._read_sessions()

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """A write transaction: committed when the block ends, rolled back if it raises."""
        try:
            with self._write_sessions.begin() as session:
                yield session
        except OperationalError as exc:
            if _is_lock_error(exc):
                raise DatabaseLocked(
                    f"the database {_describe(self.url)} is locked by another process "
                    f"(waited {self.settings.busy_timeout:g} s); nothing was written"
                ) from exc
            raise

    def write(self, work: Callable[[Session], T], *, attempts: int = 5) -> T:
        """Run `work(session)` in one write transaction, retrying it if the database stays locked.

        The busy timeout already makes a writer wait for another; this covers what it cannot, such as
        a lock held longer than the timeout by a slow checkpoint on a loaded machine.
        """
        for attempt in range(1, attempts + 1):
            try:
                with self.transaction() as session:
                    return work(session)
            except IntegrityError:
                # Another process created the same document between our look-up and our insert
                # (PostgreSQL; SQLite writers are serialised). Running again finds it.
                if attempt == attempts:
                    raise
                log.info("concurrent insert, retrying (attempt %d)", attempt)
                continue
            except DatabaseLocked:
                if attempt == attempts:
                    raise
                delay = min(5.0, 0.2 * 2**attempt) * (0.5 + random.random())
                log.warning("database locked, retrying in %.1f s (attempt %d)", delay, attempt)
                time.sleep(delay)
        raise AssertionError("unreachable")

    # -- migrations ----------------------------------------------------------------------------

    def alembic_config(self) -> Config:
        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS_DIR))
        config.set_main_option("sqlalchemy.url", self.url.render_as_string(hide_password=False))
        return config

    def head_revision(self) -> str | None:
        return ScriptDirectory.from_config(self.alembic_config()).get_current_head()

    def current_revision(self) -> str | None:
        with self.engine.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()

    def upgrade(self, revision: str = "head") -> bool:
        """Apply pending migrations; returns True when any were applied.

        Runs inside one write transaction holding the database's write lock (SQLite) or an advisory
        lock (PostgreSQL), so that processes starting at once on a fresh database take turns.
        """
        config = self.alembic_config()
        head = self.head_revision()
        try:
            if revision == "head" and self.current_revision() == head:
                return False
            write_engine = self._write_sessions.kw["bind"]
            with write_engine.begin() as connection:
                if not self.is_sqlite:
                    connection.execute(text("SELECT pg_advisory_xact_lock(:id)"), {"id": _MIGRATION_LOCK_ID})
                if (
                    revision == "head"
                    and MigrationContext.configure(connection).get_current_revision() == head
                ):
                    return False
                config.attributes["connection"] = connection
                command.upgrade(config, revision)
        except (OperationalError, DBAPIError) as exc:
            raise StorageError(f"cannot migrate database {_describe(self.url)}: {_first_line(exc)}") from None
        log.info("database %s migrated to %s", _describe(self.url), revision)
        return True


def _first_line(exc: BaseException) -> str:
    orig = getattr(exc, "orig", None) or exc
    return (str(orig).strip().splitlines() or [type(orig).__name__])[0]
