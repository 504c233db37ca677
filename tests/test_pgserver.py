"""Tests for tests/pgserver.py, the throwaway PostgreSQL server helper."""

from __future__ import annotations

import os
import socket
import stat

import pytest

try:  # tests/ is not a package: pytest puts tests/ itself on sys.path
    import pgserver
except ImportError:  # tests/ is a package (tests/__init__.py exists)
    from tests import pgserver

PostgresServer = pgserver.PostgresServer
require_postgres = pgserver.require_postgres


def _port_is_open(host: str, port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(2)
        return sock.connect_ex((host, port)) == 0


def test_server_lifecycle_and_databases():
    require_postgres()
    from sqlalchemy import create_engine, text

    server = PostgresServer()
    with server:
        port, basedir = server.port, server.basedir
        assert port and _port_is_open("127.0.0.1", port)

        # The folder is private to the user running the server.
        st = basedir.stat()
        assert stat.S_IMODE(st.st_mode) == 0o700
        if os.geteuid() == 0:
            assert st.st_uid != 0  # root cannot run postgres

        url_a = server.create_database("aiplus_a")
        url_b = server.create_database("aiplus_b")
        assert url_a == f"postgresql+psycopg://postgres@127.0.0.1:{port}/aiplus_a"

        engine = create_engine(url_a)
        try:
            with engine.connect() as conn:
                version = conn.execute(text("select version()")).scalar_one()
                assert version.startswith("PostgreSQL ")
            with engine.begin() as conn:
                conn.execute(text("create table notes (id serial primary key, body text not null)"))
                conn.execute(text("insert into notes (body) values (:body)"), {"body": "人工智能"})
            with engine.connect() as conn:
                assert conn.execute(text("select body from notes")).scalar_one() == "人工智能"
                assert conn.execute(text("show server_encoding")).scalar_one() == "UTF8"
        finally:
            engine.dispose()

        engine_b = create_engine(url_b)
        with engine_b.connect() as conn:  # leave a pooled connection open on purpose
            assert conn.execute(text("select current_database()")).scalar_one() == "aiplus_b"
        server.drop_database("aiplus_b")  # WITH (FORCE) kicks out the pooled connection
        engine_b.dispose()

        engine_admin = create_engine(server.url())
        try:
            with engine_admin.connect() as conn:
                names = set(conn.execute(text("select datname from pg_database")).scalars())
        finally:
            engine_admin.dispose()
        assert "aiplus_a" in names and "aiplus_b" not in names

    assert not server.running
    assert not _port_is_open("127.0.0.1", port)
    assert not basedir.exists()
    server.stop()  # idempotent


def test_find_pg_bindir_prefers_real_binaries():
    bindir = pgserver.find_pg_bindir()
    if bindir is None:
        pytest.skip("no PostgreSQL binaries on this machine")
    assert (bindir / "initdb").is_file() and (bindir / "pg_ctl").is_file()
    assert str(bindir) != "/usr/local/bin"


def test_require_postgres_skips_or_fails(monkeypatch):
    monkeypatch.setattr(pgserver, "find_pg_bindir", lambda: None)
    assert "apt-get install postgresql" in pgserver.postgres_unavailable_reason()

    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="binaries not found"):
        pgserver.require_postgres()

    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="binaries not found"):
        pgserver.require_postgres()
