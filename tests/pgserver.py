"""Throwaway PostgreSQL server for the test suite.

Usage::

    from pgserver import PostgresServer, require_postgres

    def test_something():
        require_postgres()              # skip (or fail when CI=true) without PostgreSQL
        with PostgresServer() as pg:
            url = pg.create_database("demo")   # SQLAlchemy URL
            engine = sqlalchemy.create_engine(url)
            ...

Each server lives in its own ``/tmp/aiplus-pg-XXXXXXXX`` folder::

    /tmp/aiplus-pg-XXXXXXXX/        (mode 0700, owned by the server user)
        data/                       cluster created by initdb
        server.log                  postgres log (its tail is shown on failure)
        .s.PGSQL.<port>             Unix socket (we connect over TCP anyway)

and listens on a free TCP port on 127.0.0.1 with ``trust`` authentication for
the superuser ``postgres``.  Durability is switched off (fsync,
synchronous_commit, full_page_writes) because the data is thrown away.

initdb and postgres refuse to run as root.  When the tests run as root (as in
CI), the server commands are run as the ``postgres`` system user created by
Debian's package (or as ``aiplus-pg``, created on demand) through ``runuser``.
"""

from __future__ import annotations

import atexit
import os
import pwd
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path

# Where Debian's postgresql-<N> packages put the server binaries.
DEBIAN_PG_ROOT = Path("/usr/lib/postgresql")

# System user that runs the server when we are root.
DEFAULT_PG_USER = "postgres"  # created by Debian's postgresql-common
FALLBACK_PG_USER = "aiplus-pg"  # created by us if "postgres" does not exist

SUPERUSER = "postgres"  # database role created by initdb -U
HOST = "127.0.0.1"

INSTALL_HINT = "apt-get install postgresql"

# Servers started but not yet stopped; stopped at interpreter exit (see end).
_live_servers: set[PostgresServer] = set()


# --------------------------------------------------------------------------
# Locating the binaries
# --------------------------------------------------------------------------


def _has_server_binaries(folder: Path) -> bool:
    return all((folder / name).is_file() for name in ("initdb", "pg_ctl"))


def _version_key(path: Path) -> tuple[int, ...]:
    """Sort key for /usr/lib/postgresql/<N>: "15" -> (15,), "9.6" -> (9, 6)."""
    return tuple(int(part) for part in re.findall(r"\d+", path.name)) or (-1,)


def find_pg_bindir() -> Path | None:
    """Return the folder holding initdb, pg_ctl and postgres, or None.

    Prefers the newest /usr/lib/postgresql/<N>/bin (Debian layout).  Falls
    back to the folder of ``initdb`` on PATH, with symlinks resolved so that
    e.g. /usr/local/bin/initdb -> /usr/lib/postgresql/15/bin/initdb gives the
    real folder (initdb looks for ``postgres`` next to itself).
    """
    if DEBIAN_PG_ROOT.is_dir():
        for version_dir in sorted(DEBIAN_PG_ROOT.iterdir(), key=_version_key, reverse=True):
            bindir = version_dir / "bin"
            if _has_server_binaries(bindir):
                return bindir

    initdb = shutil.which("initdb")
    if initdb:
        bindir = Path(initdb).resolve().parent
        if _has_server_binaries(bindir):
            return bindir
    return None


def postgres_unavailable_reason() -> str | None:
    """None when a throwaway server can be started, else a human reason."""
    if find_pg_bindir() is None:
        return f"PostgreSQL server binaries not found ({INSTALL_HINT})"
    try:
        import psycopg  # noqa: F401
    except ImportError:
        return "psycopg (version 3) is not installed (pip install -e '.[postgres]')"
    return None


def require_postgres() -> Path:
    """Skip the calling test when PostgreSQL is unavailable; return the bindir.

    When the environment variable CI is "true" a missing PostgreSQL is a
    broken CI setup, not a reason to skip silently, so the test fails instead.
    """
    import pytest  # only needed by tests; keep the module importable without it

    reason = postgres_unavailable_reason()
    if reason is not None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{reason} [CI=true: failing instead of skipping]", pytrace=False)
        pytest.skip(reason)
    bindir = find_pg_bindir()
    assert bindir is not None
    return bindir


# --------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------


def free_tcp_port(host: str = HOST) -> int:
    """Ask the kernel for a currently free TCP port on ``host``.

    There is a small race (someone may grab the port before postgres binds
    it); PostgresServer.start() retries with another port when that happens.
    """
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


def _user_exists(name: str) -> bool:
    try:
        pwd.getpwnam(name)
    except KeyError:
        return False
    return True


def server_user() -> str | None:
    """The user to run server commands as: None (ourselves) unless we are root."""
    if os.geteuid() != 0:
        return None
    for name in (DEFAULT_PG_USER, FALLBACK_PG_USER):
        if _user_exists(name):
            return name
    subprocess.run(
        ["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", FALLBACK_PG_USER],
        check=True,
        capture_output=True,
    )
    return FALLBACK_PG_USER


def _tail(path: Path, lines: int = 30) -> str:
    try:
        text = path.read_text(errors="replace")
    except OSError as exc:
        return f"(no server log: {exc})"
    return "\n".join(text.splitlines()[-lines:]) or "(server log is empty)"


# --------------------------------------------------------------------------
# The server
# --------------------------------------------------------------------------


class PostgresServer:
    """A throwaway PostgreSQL cluster in a temporary folder.

    Attributes (valid after start()): ``port``, ``host``, ``basedir``,
    ``datadir``, ``logfile``, ``bindir``, ``user`` (OS user running the
    server, None = current user).
    """

    START_ATTEMPTS = 3  # retries with a new port if the chosen one got taken
    TIMEOUT = 60  # seconds for initdb / pg_ctl

    def __init__(self, bindir: Path | None = None) -> None:
        self.bindir = bindir
        self.host = HOST
        self.port: int | None = None
        self.basedir: Path | None = None
        self.user: str | None = None

    # -- paths ------------------------------------------------------------

    @property
    def datadir(self) -> Path:
        assert self.basedir is not None, "server not started"
        return self.basedir / "data"

    @property
    def logfile(self) -> Path:
        assert self.basedir is not None, "server not started"
        return self.basedir / "server.log"

    @property
    def running(self) -> bool:
        return self.basedir is not None and self.port is not None

    # -- running commands -------------------------------------------------

    def _env(self) -> dict[str, str]:
        # Drop PG* variables (PGHOST, PGPORT, PGDATA, ...) of the caller so
        # they cannot redirect initdb/pg_ctl; force a neutral locale.
        env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
        env["LC_ALL"] = "C"
        env.pop("LANG", None)
        return env

    def _run(self, tool: str, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        assert self.bindir is not None and self.basedir is not None
        cmd = [str(self.bindir / tool), *args]
        if self.user is not None:
            cmd = ["runuser", "-u", self.user, "--", *cmd]
        proc = subprocess.run(
            cmd,
            # The server user may not be able to enter our cwd (e.g. /root).
            cwd=self.basedir,
            env=self._env(),
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=self.TIMEOUT,
        )
        if check and proc.returncode != 0:
            raise RuntimeError(
                f"{tool} failed with exit code {proc.returncode}: {' '.join(cmd)}\n"
                f"--- output ---\n{proc.stdout}{proc.stderr}\n"
                f"--- tail of {self.logfile} ---\n{_tail(self.logfile)}"
            )
        return proc

    # -- lifecycle --------------------------------------------------------

    def start(self) -> PostgresServer:
        if self.running:
            return self
        if self.bindir is None:
            self.bindir = find_pg_bindir()
        if self.bindir is None:
            raise RuntimeError(postgres_unavailable_reason() or "PostgreSQL not available")

        self.user = server_user()
        # mkdtemp creates the folder with mode 0700, owned by us.
        self.basedir = Path(tempfile.mkdtemp(prefix="aiplus-pg-", dir="/tmp"))
        _live_servers.add(self)
        try:
            if self.user is not None:
                # Hand the folder over to the server user: it must own the
                # data folder and be able to write the log and socket.
                pw = pwd.getpwnam(self.user)
                os.chown(self.basedir, pw.pw_uid, pw.pw_gid)
                os.chmod(self.basedir, 0o700)

            self._run(
                "initdb",
                "-D",
                str(self.datadir),
                "-U",
                SUPERUSER,
                "--auth=trust",
                "--encoding=UTF8",
                "--locale=C",
                "--no-sync",  # no need to fsync a throwaway cluster
            )
            self._start_postmaster()
        except BaseException:
            self.stop()
            raise
        return self

    def _start_postmaster(self) -> None:
        last_error: RuntimeError | None = None
        for _ in range(self.START_ATTEMPTS):
            port = free_tcp_port(self.host)
            options = " ".join(
                [
                    f"-p {port}",
                    f"-k {self.basedir}",  # Unix socket dir (the default /var/run/postgresql may not exist)
                    f"-c listen_addresses={self.host}",
                    "-c fsync=off",
                    "-c synchronous_commit=off",
                    "-c full_page_writes=off",
                ]
            )
            proc = self._run(
                "pg_ctl",
                "start",
                "-w",
                "-t",
                str(self.TIMEOUT),
                "-D",
                str(self.datadir),
                "-l",
                str(self.logfile),
                "-o",
                options,
                check=False,
            )
            if proc.returncode == 0:
                self.port = port
                return
            log = _tail(self.logfile)
            last_error = RuntimeError(
                f"PostgreSQL failed to start on {self.host}:{port} "
                f"(pg_ctl exit code {proc.returncode})\n"
                f"--- pg_ctl output ---\n{proc.stdout}{proc.stderr}\n"
                f"--- tail of {self.logfile} ---\n{log}"
            )
            if "already in use" not in log:
                break  # a real failure, not a lost race for the port
        assert last_error is not None
        raise last_error

    def stop(self) -> None:
        """Stop the server (if running) and delete its folder.  Idempotent."""
        if self.basedir is None:
            return
        try:
            if (self.datadir / "postmaster.pid").exists():
                # "immediate" skips the shutdown checkpoint: the data is thrown away.
                proc = self._run(
                    "pg_ctl", "stop", "-w", "-m", "immediate", "-D", str(self.datadir), check=False
                )
                if proc.returncode != 0:
                    self._kill_postmaster()
        finally:
            shutil.rmtree(self.basedir, ignore_errors=True)
            _live_servers.discard(self)
            self.basedir = None
            self.port = None

    def _kill_postmaster(self) -> None:
        """Last resort when pg_ctl stop fails: SIGKILL the postmaster."""
        try:
            pid = int((self.datadir / "postmaster.pid").read_text().split()[0])
            os.kill(pid, signal.SIGKILL)
        except (OSError, ValueError, IndexError):
            return
        for _ in range(50):  # wait up to ~5 s for it to go away
            try:
                os.kill(pid, 0)
            except OSError:
                return
            time.sleep(0.1)

    def __enter__(self) -> PostgresServer:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    # -- databases --------------------------------------------------------

    def url(self, dbname: str = "postgres") -> str:
        """SQLAlchemy URL (psycopg 3 driver) for database ``dbname``."""
        assert self.running, "server not started"
        return f"postgresql+psycopg://{SUPERUSER}@{self.host}:{self.port}/{dbname}"

    def _admin_connect(self):
        import psycopg

        assert self.running, "server not started"
        return psycopg.connect(
            host=self.host, port=self.port, user=SUPERUSER, dbname="postgres", autocommit=True
        )

    def create_database(self, name: str) -> str:
        """CREATE DATABASE ``name`` (UTF8) and return its SQLAlchemy URL."""
        from psycopg import sql

        # CREATE DATABASE cannot run inside a transaction: hence autocommit.
        with self._admin_connect() as conn:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        return self.url(name)

    def drop_database(self, name: str) -> None:
        """DROP DATABASE ``name`` if it exists, disconnecting its sessions.

        WITH (FORCE) (PostgreSQL 13+) terminates leftover connections, e.g.
        from a SQLAlchemy pool that was not disposed.
        """
        from psycopg import sql

        with self._admin_connect() as conn:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


# Safety net: never leave a postgres process behind, even if a test forgets
# to call stop() (the folder names are random, so nothing else would).
@atexit.register
def _stop_all() -> None:
    for server in list(_live_servers):
        server.stop()
