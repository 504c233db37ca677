"""The scheduler: jobs kept in the archive database and brought in line with the configuration at each
start, missed runs caught up once, crawl children held to their time limit and stopped cleanly on
SIGTERM, digests that wait for running crawls. Crawls here are small stand-in child processes; the
end-to-end test with the real crawler is test_scheduler_e2e.py."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from apscheduler.schedulers.blocking import BlockingScheduler
from click.testing import CliRunner
from test_digest import record_changes

from aiplus.cli import cli
from digest.channels import channels_for
from digest.settings import DigestSettings, SmtpSettings
from scheduler import jobs as job_functions
from scheduler.children import CrawlChildren
from scheduler.jobs import JobContext, digest_job, summarize_crawl
from scheduler.plan import JobSpec, plan_jobs
from scheduler.service import (
    ArchiveJobStore,
    SchedulerService,
    job_statuses,
    stored_digest_start,
    stored_jobs,
)
from scheduler.settings import SchedulerSettings
from storage import Database

REPO = Path(__file__).resolve().parents[1]
NEVER_SOON = "0 3 1 1 *"  # 03:00 on 1 January: nothing runs during a test


def fake_crawl(seconds: float = 0.0, *, ignore_term: bool = False) -> list[str]:
    """A stand-in for `aiplus crawl --json`: sleeps, then prints a summary like the real one."""
    code = f"""
        import json, signal, time
        if {ignore_term!r}:
            signal.signal(signal.SIGTERM, signal.SIG_IGN)
        time.sleep({seconds!r})
        print(json.dumps([{{"source": "x", "status": "ok", "counts": {{"new": 2}}, "errors": []}}]))
    """
    return [sys.executable, "-c", textwrap.dedent(code)]


def context_for(database: Database, *, crawl=None, digests=(), **settings) -> JobContext:
    scheduler_settings = SchedulerSettings(**{"stop_grace": 2.0, "digest_settle": 0.1, **settings})
    return JobContext(
        database=database,
        digests={d.name: d for d in digests},
        channels={d.name: channels_for(d, SmtpSettings()) for d in digests},
        crawl_command=lambda source: crawl or fake_crawl(),
        settings=scheduler_settings,
        children=CrawlChildren(stop_grace=scheduler_settings.stop_grace),
    )


class Running:
    """A SchedulerService running in a thread (signals are the main thread's: stop() instead)."""

    def __init__(self, service: SchedulerService, *, run_now: bool = False) -> None:
        self.service = service
        self.thread = threading.Thread(target=self._run, args=(run_now,), daemon=True)
        self.code: int | None = None

    def _run(self, run_now: bool) -> None:
        self.code = self.service.run(run_now=run_now, handle_signals=False)

    def __enter__(self) -> SchedulerService:
        self.thread.start()
        assert self.service.wait_until_started(30), "the scheduler did not start"
        return self.service

    def __exit__(self, *exc: object) -> None:
        self.service.stop()
        self.thread.join(30)
        assert not self.thread.is_alive() and self.code == 0


# -- the job store -----------------------------------------------------------------------------------


def test_jobs_live_in_the_database_and_follow_the_configuration(database):
    first_plan = plan_jobs(
        [("gov-cn", NEVER_SOON), ("cac", NEVER_SOON), ("unscheduled", None)], [("daily", "0 8 * * *")]
    )
    assert [j.id for j in first_plan] == ["crawl:gov-cn", "crawl:cac", "digest:daily"]
    daily = DigestSettings(name="daily", schedule="0 8 * * *")
    service = SchedulerService(context_for(database, digests=[daily]), first_plan)
    with Running(service):
        jobs = {job.id: job for job in service._scheduler.get_jobs()}
        assert set(jobs) == {"crawl:gov-cn", "crawl:cac", "digest:daily"}
        for job in jobs.values():
            assert (job.coalesce, job.max_instances, job.misfire_grace_time) == (True, 1, 3600)
        assert jobs["crawl:gov-cn"].func_ref == "scheduler.jobs:crawl_job"
        assert jobs["crawl:gov-cn"].kwargs == {"source": "gov-cn"}
    stored = stored_jobs(database)
    assert set(stored) == {"crawl:gov-cn", "crawl:cac", "digest:daily"}
    began = stored_digest_start(database, "daily")
    kept_next_run = stored["crawl:gov-cn"].next_run_time
    assert began is not None and kept_next_run is not None

    # The configuration changes: cac is gone, npc is new, the digest moves to 09:00.
    second_plan = plan_jobs([("gov-cn", NEVER_SOON), ("npc", NEVER_SOON)], [("daily", "0 9 * * *")])
    states = {
        s.id: (s.stored, s.configured) for s in job_statuses(database, second_plan, SchedulerSettings())
    }
    assert states == {
        "crawl:gov-cn": (True, True),
        "crawl:npc": (False, True),  # added at the next start
        "digest:daily": (True, True),
        "crawl:cac": (True, False),  # removed at the next start
    }
    with Running(SchedulerService(context_for(database, digests=[daily]), second_plan)):
        pass
    stored = stored_jobs(database)
    assert set(stored) == {"crawl:gov-cn", "crawl:npc", "digest:daily"}
    assert stored["crawl:gov-cn"].next_run_time == kept_next_run
    assert "hour='9'" in str(stored["digest:daily"].trigger)
    assert stored_digest_start(database, "daily") == began  # a digest's beginning survives restarts


def test_a_run_missed_while_down_is_caught_up_once(database, caplog):
    plan = [JobSpec("crawl", "gov-cn", "*/5 * * * *")]
    with Running(SchedulerService(context_for(database), plan)):
        pass
    # As if the scheduler had been down when the run was due, ten minutes ago.
    store = ArchiveJobStore(engine=database.engine)
    store.start(BlockingScheduler(timezone=UTC), "default")
    job = store.lookup_job("crawl:gov-cn")
    job.next_run_time = datetime.now(UTC) - timedelta(minutes=10)
    store.update_job(job)
    caplog.set_level("INFO", logger="scheduler")
    with Running(SchedulerService(context_for(database), plan)):
        deadline = time.monotonic() + 20
        while "crawl gov-cn finished" not in caplog.text and time.monotonic() < deadline:
            time.sleep(0.1)
    assert caplog.text.count("crawl gov-cn finished") == 1
    assert "crawl gov-cn finished in" in caplog.text and "ok: 2 new" in caplog.text


# -- crawl children ----------------------------------------------------------------------------------


def test_a_crawl_over_its_time_limit_is_stopped():
    children = CrawlChildren(stop_grace=5)
    outcome = children.run(fake_crawl(30), time_limit=0.5, label="crawl slow")
    assert outcome.timed_out and outcome.returncode == -signal.SIGTERM and outcome.duration < 5


def test_a_crawl_that_ignores_sigterm_is_killed_with_its_process_group(tmp_path):
    pid_file = tmp_path / "grandchild.pid"
    code = f"""
        import signal, subprocess, time
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        worker = subprocess.Popen(["sleep", "60"])
        open({str(pid_file)!r}, "w").write(str(worker.pid))
        time.sleep(60)
    """
    children = CrawlChildren(stop_grace=0.5)
    started = time.monotonic()
    outcome = children.run([sys.executable, "-c", textwrap.dedent(code)], time_limit=1.0, label="crawl stuck")
    assert outcome.timed_out and outcome.returncode == -signal.SIGKILL
    assert time.monotonic() - started < 10
    grandchild = int(pid_file.read_text())
    deadline = time.monotonic() + 5
    while _alive(grandchild) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _alive(grandchild), "the crawl's worker outlived it"


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().split(") ")[1][0] != "Z"
    except FileNotFoundError:
        return False


def test_stopping_stops_running_crawls_and_starts_no_new_ones():
    children = CrawlChildren(stop_grace=5)
    outcomes = []
    thread = threading.Thread(
        target=lambda: outcomes.append(children.run(fake_crawl(30), time_limit=60, label="c"))
    )
    thread.start()
    deadline = time.monotonic() + 10
    while not children._running and time.monotonic() < deadline:
        time.sleep(0.02)
    started = time.monotonic()
    children.stop_all()
    thread.join(10)
    assert outcomes[0].stopped and outcomes[0].returncode == -signal.SIGTERM
    assert time.monotonic() - started < 5
    assert children.run(fake_crawl(), time_limit=5, label="late").returncode is None


# -- a crawl child's output -----------------------------------------------------------------------------

CHATTY_CHILD = """
    import json, sys
    stamp = "2026-03-05 08:00:00,123"
    print(f"{stamp} INFO crawler.runner: x: starting", file=sys.stderr)
    print(f"{stamp} [scrapy.core.engine] WARNING: Scrapy's own format", file=sys.stderr)
    for number in range(20000):  # about 4 MB on stderr, and 2 MB on stdout, interleaved
        print(f"{stamp} DEBUG scrapy.core.scraper: page {number} " + "页" * 60, file=sys.stderr)
        if number % 100 == 0:
            sys.stdout.write(" " * 10000)
    print(f"{stamp} ERROR crawler.runner: x: HTTP 503 on the list page", file=sys.stderr)
    print("Traceback (not really): continues the error record", file=sys.stderr)
    print("{'a multi-line': 'continuation'}", file=sys.stderr)
    print(json.dumps([{"source": "x", "status": "ok", "counts": {"new": 2}, "errors": []}]))
"""


def test_a_chatty_child_is_relayed_through_logging_at_its_levels(caplog, capfd):
    caplog.set_level("DEBUG", logger="crawl.x")
    children = CrawlChildren(stop_grace=5)
    argv = [sys.executable, "-c", textwrap.dedent(CHATTY_CHILD)]
    outcome = children.run(argv, time_limit=60, label="crawl x", logger=job_functions.child_logger("x"))
    assert outcome.ok and outcome.duration < 30  # read while it wrote: no pipe filled up
    assert summarize_crawl(outcome.stdout) == "ok: 2 new, 0 changed, 0 unchanged, 0 removed, 0 failed"
    relayed = [(r.name, r.levelname, r.getMessage()) for r in caplog.records if r.name == "crawl.x"]
    assert len(relayed) == 20005
    assert relayed[:2] == [
        ("crawl.x", "INFO", "crawler.runner: x: starting"),
        ("crawl.x", "WARNING", "scrapy.core.engine: Scrapy's own format"),
    ]
    assert relayed[2][1:] == ("DEBUG", "scrapy.core.scraper: page 0 " + "页" * 60)
    assert relayed[-3:] == [
        ("crawl.x", "ERROR", "crawler.runner: x: HTTP 503 on the list page"),
        ("crawl.x", "ERROR", "Traceback (not really): continues the error record"),
        ("crawl.x", "ERROR", "{'a multi-line': 'continuation'}"),
    ]
    assert "页" not in capfd.readouterr().err  # nothing of the child reached the terminal itself


def test_a_failed_crawl_logs_its_last_lines_in_the_error(caplog):
    failing = """
        import logging, sys
        logging.basicConfig(format="%(asctime)s %(levelname)s %(name)s: %(message)s", level=logging.INFO)
        for number in range(30):
            logging.getLogger("crawler.runner").info("page %d", number)
        logging.getLogger("crawler.runner").error("the archive is unusable")
        1 / 0
    """
    caplog.set_level("INFO", logger="scheduler")
    job_functions.bind(context_for(None, crawl=[sys.executable, "-c", textwrap.dedent(failing)]))
    try:
        job_functions.crawl_job("gov-cn")
    finally:
        job_functions.unbind()
    [error] = [r for r in caplog.records if r.name == "scheduler.jobs" and r.levelname == "ERROR"]
    message = error.getMessage()
    assert message.startswith("crawl gov-cn failed after ") and "(exit 1): no summary" in message
    lines = message.split("; its last output lines:\n")[1].splitlines()
    # The last ten: the end of the INFO lines, the error, and the traceback that followed it.
    assert lines[0] == "    INFO crawler.runner: page 24"
    assert lines[5:7] == [
        "    INFO crawler.runner: page 29",
        "    ERROR crawler.runner: the archive is unusable",
    ]
    assert lines[7] == "    ERROR Traceback (most recent call last):"
    assert lines[-1] == "    ERROR ZeroDivisionError: division by zero" and len(lines) == 10


def test_a_crawl_stopped_at_its_time_limit_logs_its_last_lines(caplog):
    slow = """
        import sys, time
        print("2026-03-05 08:00:00,123 WARNING crawler.runner: still on the list page", file=sys.stderr, flush=True)
        time.sleep(30)
    """
    caplog.set_level("INFO", logger="scheduler")
    job_functions.bind(
        context_for(None, crawl=[sys.executable, "-c", textwrap.dedent(slow)], crawl_time_limit=1.0)
    )
    try:
        job_functions.crawl_job("gov-cn")
    finally:
        job_functions.unbind()
    [error] = [r for r in caplog.records if r.name == "scheduler.jobs" and r.levelname == "ERROR"]
    assert error.getMessage().startswith("crawl gov-cn stopped at its time limit after ")
    assert error.getMessage().endswith(
        "; its last output lines:\n    WARNING crawler.runner: still on the list page"
    )


def test_crawl_summaries_are_one_line():
    stdout = json.dumps(
        [{"status": "partial", "counts": {"new": 3, "changed": 1, "failed": 2}, "errors": ["HTTP 503 on /a"]}]
    )
    assert (
        summarize_crawl(stdout)
        == "partial: 3 new, 1 changed, 0 unchanged, 0 removed, 2 failed; first error: HTTP 503 on /a"
    )
    assert summarize_crawl("Traceback ...") == "no summary"


# -- digests in the scheduler ---------------------------------------------------------------------------


def test_a_digest_waits_for_running_crawls_and_is_skipped_when_stopping(sqlite_database_path, tmp_path):
    database, _ = sqlite_database_path
    record_changes(database)
    daily = DigestSettings(name="daily", directory=str(tmp_path / "out"))
    context = context_for(database, digests=[daily])
    job_functions.bind(context)
    try:
        release = threading.Event()

        def crawl_in_flight() -> None:
            with context.children.active():
                release.wait(10)

        crawl = threading.Thread(target=crawl_in_flight)
        crawl.start()
        reports = []
        digest = threading.Thread(target=lambda: reports.append(digest_job("daily")))
        digest.start()
        time.sleep(0.5)
        assert not reports and not (tmp_path / "out").exists()  # waiting for the crawl
        release.set()
        digest.join(10)
        assert reports[0] is not None and reports[0].ok and reports[0].results[0].changes == 7

        context.children.stop_all()
        assert digest_job("daily") is None  # stopping: the digest waits for its next time
        assert digest_job("gone-from-config") is None
    finally:
        job_functions.unbind()
        crawl.join()


@pytest.fixture
def sqlite_database_path(tmp_path):
    from storage import DatabaseSettings

    url = f"sqlite:///{tmp_path / 'aiplus.db'}"
    db = Database.open(DatabaseSettings(url=url, archive_dir=tmp_path / "archive"))
    yield db, url
    db.dispose()


# -- signals, in a process of its own ------------------------------------------------------------------

SERVICE_SCRIPT = """
import logging, sys
from storage import Database, DatabaseSettings
from scheduler.children import CrawlChildren
from scheduler.jobs import JobContext
from scheduler.plan import JobSpec
from scheduler.service import SchedulerService
from scheduler.settings import SchedulerSettings

logging.basicConfig(level=logging.INFO, stream=sys.stderr, format="%(name)s: %(message)s")
url, crawl = sys.argv[1], sys.argv[2:]
database = Database.open(DatabaseSettings(url=url))
settings = SchedulerSettings(stop_grace=1.0)
context = JobContext(database=database, digests={}, channels={}, crawl_command=lambda source: crawl,
                     settings=settings, children=CrawlChildren(stop_grace=settings.stop_grace))
sys.exit(SchedulerService(context, [JobSpec("crawl", "gov-cn", "0 3 1 1 *")]).run(run_now=True))
"""


@pytest.mark.parametrize(
    ("signum", "ignore_term"),
    [(signal.SIGTERM, False), (signal.SIGTERM, True), (signal.SIGINT, False)],
    ids=["sigterm", "sigterm-child-ignores-it", "sigint"],
)
def test_a_signal_during_a_crawl_stops_cleanly(sqlite_database_path, signum, ignore_term):
    _, url = sqlite_database_path
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    process = subprocess.Popen(
        [sys.executable, "-c", SERVICE_SCRIPT, url, *fake_crawl(60, ignore_term=ignore_term)],
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    lines: list[str] = []
    child_pid = None
    assert process.stderr is not None
    for line in process.stderr:
        lines.append(line)
        if "crawl gov-cn started (pid" in line:
            child_pid = int(line.split("(pid ")[1].split(")")[0])
            break
    assert child_pid is not None, "".join(lines)
    time.sleep(0.3)  # let the stand-in install its SIGTERM handler
    stopped_at = time.monotonic()
    process.send_signal(signum)
    _, rest = process.communicate(timeout=30)
    log = "".join(lines) + rest
    assert process.returncode == 0, log
    assert time.monotonic() - stopped_at < 10
    assert not _alive(child_pid)
    assert f"{signal.Signals(signum).name} received: stopping" in log
    assert "crawl gov-cn stopped at shutdown" in log
    assert "scheduler stopped" in log
    assert ("did not stop within" in log) == ignore_term


# -- the commands ------------------------------------------------------------------------------------


def test_schedule_and_run_commands(sqlite_database_path, tmp_path):
    _, url = sqlite_database_path
    config = tmp_path / "aiplus.toml"
    config.write_text(
        f'[storage]\nurl = "{url}"\n\n'
        '[[source]]\nname = "gov-cn"\nstart_urls = ["https://www.gov.cn/"]\nschedule = "0 */6 * * *"\n\n'
        '[[source]]\nname = "cac"\nstart_urls = ["https://www.cac.gov.cn/"]\n\n'
        '[[digest]]\nname = "daily"\nschedule = "0 8 * * *"\ndirectory = "out"\n',
        encoding="utf-8",
    )
    result = CliRunner().invoke(
        cli, ["--config", str(config), "schedule", "--json", "--timezone", "Asia/Shanghai"]
    )
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert [(r["id"], r["schedule"], r["state"]) for r in rows] == [
        ("crawl:gov-cn", "0 */6 * * *", "added at next start"),
        ("digest:daily", "0 8 * * *", "added at next start"),
    ]
    next_digest = datetime.fromisoformat(rows[1]["next_run_time"])
    assert (next_digest.hour, next_digest.minute, next_digest.utcoffset()) == (8, 0, timedelta(hours=8))
    table = CliRunner().invoke(cli, ["--config", str(config), "schedule"])
    assert "crawl:gov-cn" in table.output and "added at next start" in table.output

    config.write_text(
        f'[storage]\nurl = "{url}"\n\n[[source]]\nname = "cac"\nstart_urls = ["https://www.cac.gov.cn/"]\n'
    )
    nothing = CliRunner().invoke(cli, ["--config", str(config), "run"])
    assert nothing.exit_code == 1 and "nothing to schedule" in nothing.output


def test_commands_have_help():
    for command in ("run", "schedule", "digest"):
        result = CliRunner().invoke(cli, [command, "--help"])
        assert result.exit_code == 0 and "Example" in result.output, command
