"""`aiplus run`: APScheduler's BlockingScheduler in the foreground, its jobs persisted in the archive
database, and a clean stop on SIGINT/SIGTERM.

At start the stored jobs are brought in line with the configuration: jobs of sources and digests no
longer configured are removed, the others replaced (explicit ids, replace_existing). A job whose
schedule did not change keeps its stored next run time, so a run missed while the scheduler was down
still happens (once, within the misfire grace time). On SIGINT/SIGTERM no new job starts, running
crawl children are stopped (SIGTERM, then SIGKILL after a grace period), running digests finish, and
the process exits 0. A second signal kills the crawl children at once.
"""

from __future__ import annotations

import logging
import signal
import threading
from collections.abc import Sequence
from contextlib import suppress
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo
from types import FrameType
from typing import Any
from zoneinfo import ZoneInfo

from apscheduler.events import (
    EVENT_JOB_ERROR,
    EVENT_JOB_MAX_INSTANCES,
    EVENT_JOB_MISSED,
    EVENT_SCHEDULER_STARTED,
    JobEvent,
    JobExecutionEvent,
    SchedulerEvent,
)
from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.job import Job
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers import SchedulerNotRunningError
from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.util import undefined
from sqlalchemy import inspect
from tzlocal import get_localzone

from scheduler import jobs as job_functions
from scheduler.jobs import JobContext, job_kwargs_for
from scheduler.plan import JobSpec
from scheduler.settings import SchedulerSettings
from storage import Database

log = logging.getLogger(__name__)

JOBS_TABLE = "apscheduler_jobs"
STORE_ALIAS = "default"


def scheduler_timezone(settings: SchedulerSettings) -> tzinfo:
    if settings.timezone:
        try:
            return ZoneInfo(settings.timezone)
        except (KeyError, ValueError) as exc:
            raise ValueError(f"unknown time zone {settings.timezone!r}: {exc}") from None
    return get_localzone()


class ArchiveJobStore(SQLAlchemyJobStore):
    """APScheduler's SQLAlchemy job store on the archive's own engine, which on SQLite carries the
    busy timeout and WAL that let the scheduler and the crawl children write to one file. The engine
    belongs to the archive and outlives the scheduler, so shutting the store down leaves it alone
    (disposing it under running jobs would strand their connections)."""

    def shutdown(self) -> None:
        pass


def _job_store(database: Database) -> SQLAlchemyJobStore:
    return ArchiveJobStore(engine=database.engine, tablename=JOBS_TABLE)


@dataclass(frozen=True)
class SyncResult:
    added: list[str]
    replaced: list[str]
    removed: list[str]


@dataclass(frozen=True)
class JobStatus:
    """A job as `aiplus schedule` shows it."""

    id: str
    kind: str
    target: str
    schedule: str | None
    next_run_time: datetime | None
    stored: bool  # in the job store (the scheduler has run with it)
    configured: bool  # False: stored, but gone from the configuration (removed at the next start)


class SchedulerService:
    """One `aiplus run`: builds the scheduler, syncs the stored jobs, runs until stopped."""

    def __init__(self, context: JobContext, jobs: Sequence[JobSpec]) -> None:
        self.context = context
        self.jobs = list(jobs)
        self.settings = context.settings
        self.timezone = scheduler_timezone(self.settings)
        self._scheduler: BlockingScheduler | None = None
        # Reentrant: the signal handler takes it in the main thread, which may already hold it.
        self._lock = threading.RLock()
        self._stop_requested = threading.Event()
        self._starting = False
        self._started = threading.Event()

    # -- building and syncing ----------------------------------------------------------------------

    def build(self) -> tuple[BlockingScheduler, SQLAlchemyJobStore]:
        store = _job_store(self.context.database)
        scheduler = BlockingScheduler(
            jobstores={STORE_ALIAS: store},
            executors={"default": ThreadPoolExecutor(max_workers=max(4, len(self.jobs) + 1))},
            job_defaults={
                "coalesce": True,
                "max_instances": 1,
                "misfire_grace_time": self.settings.misfire_grace_time,
            },
            timezone=self.timezone,
        )
        scheduler.add_listener(self._on_started, EVENT_SCHEDULER_STARTED)
        scheduler.add_listener(
            self._on_job_event, EVENT_JOB_ERROR | EVENT_JOB_MISSED | EVENT_JOB_MAX_INSTANCES
        )
        return scheduler, store

    def sync(
        self,
        scheduler: BlockingScheduler,
        store: SQLAlchemyJobStore,
        *,
        run_now: bool = False,
        now: datetime | None = None,
    ) -> SyncResult:
        """Bring the stored jobs in line with the configuration (before the scheduler starts)."""
        now = now or datetime.now(UTC)
        store.start(
            scheduler, STORE_ALIAS
        )  # creates the table; the scheduler's start() repeats it harmlessly
        stored = {job.id: job for job in store.get_all_jobs()}
        planned = {spec.id for spec in self.jobs}
        removed = sorted(set(stored) - planned)
        for job_id in removed:
            store.remove_job(job_id)
            log.info("removed job %s: no longer in the configuration", job_id)
        added: list[str] = []
        replaced: list[str] = []
        for spec in self.jobs:
            previous = stored.get(spec.id)
            trigger = spec.trigger(self.timezone)
            next_run_time: Any = undefined  # the trigger's next fire time
            if run_now:
                next_run_time = now
            elif (
                previous is not None
                and previous.next_run_time is not None
                and repr(previous.trigger) == repr(trigger)
            ):
                next_run_time = previous.next_run_time
            scheduler.add_job(
                spec.func,
                trigger=trigger,
                id=spec.id,
                name=spec.id,
                kwargs=job_kwargs_for(spec.kind, spec.target, previous.kwargs if previous else None, now),
                replace_existing=True,
                coalesce=True,
                max_instances=1,
                misfire_grace_time=self.settings.misfire_grace_time,
                next_run_time=next_run_time,
            )
            (replaced if previous is not None else added).append(spec.id)
        return SyncResult(added, replaced, removed)

    # -- running -------------------------------------------------------------------------------------

    def run(self, *, run_now: bool = False, handle_signals: bool = True) -> int:
        """Run until stopped; returns the exit status (0 after a clean stop)."""
        scheduler, store = self.build()
        self._scheduler = scheduler
        result = self.sync(scheduler, store, run_now=run_now)
        log.info(
            "scheduler: %d job(s) (%d new, %d replaced, %d removed), time zone %s",
            len(self.jobs),
            len(result.added),
            len(result.replaced),
            len(result.removed),
            self.timezone,
        )
        job_functions.bind(self.context)
        previous_handlers = self._install_signal_handlers() if handle_signals else {}
        try:
            with self._lock:
                self._starting = not self._stop_requested.is_set()
            if self._starting:
                scheduler.start()  # blocks until shutdown
        finally:
            for signum, handler in previous_handlers.items():
                signal.signal(signum, handler)
            self._finish()
            job_functions.unbind()
        log.info("scheduler stopped")
        return 0

    def wait_until_started(self, timeout: float) -> bool:
        """True once the scheduler runs its jobs (for callers running `run` in another thread)."""
        return self._started.wait(timeout)

    def stop(self) -> None:
        """Stop the scheduler (from any thread or a signal handler): no new jobs, crawl children
        stopped, then `run` returns."""
        with self._lock:
            if self._stop_requested.is_set():
                second = True
            else:
                second = False
                self._stop_requested.set()
                self.context.children.stopping.set()
        if second:
            log.warning("stopping now: killing running crawls")
            self.context.children.kill_all()
            return
        threading.Thread(target=self._stop_worker, name="aiplus-stop", daemon=True).start()

    def _stop_worker(self) -> None:
        # Not in the signal handler: shutdown takes the scheduler's locks, which the interrupted
        # main loop may hold.
        with self._lock:
            starting = self._starting
        if starting and self._started.wait(timeout=60) and self._scheduler is not None:
            with suppress(SchedulerNotRunningError):
                self._scheduler.shutdown(wait=False)
        self.context.children.stop_all()

    def _finish(self) -> None:
        """After the main loop: crawl children stopped, running jobs ended."""
        self.context.children.stop_all()
        limit = self.settings.stop_grace + 60.0
        if not self.context.in_flight.wait_done(limit):
            log.warning("jobs still running after %g s; exiting anyway", limit)

    def _install_signal_handlers(self) -> dict[int, Any]:
        def handler(signum: int, frame: FrameType | None) -> None:
            log.info(
                "%s received: stopping (no new jobs; running crawls are stopped)", signal.Signals(signum).name
            )
            self.stop()

        previous: dict[int, Any] = {}
        for signum in (signal.SIGINT, signal.SIGTERM):
            previous[signum] = signal.signal(signum, handler)
        return previous

    # -- events --------------------------------------------------------------------------------------

    def _on_started(self, event: SchedulerEvent) -> None:
        self._started.set()
        if self._scheduler is not None:
            for job in self._scheduler.get_jobs():
                log.info("job %s: next run %s", job.id, _when(job.next_run_time))

    def _on_job_event(self, event: JobEvent) -> None:
        if event.code == EVENT_JOB_MISSED:
            log.warning(
                "job %s missed its run at %s (more than the misfire grace time late)",
                event.job_id,
                _when(getattr(event, "scheduled_run_time", None)),
            )
        elif event.code == EVENT_JOB_MAX_INSTANCES:
            log.warning("job %s is still running: this run is skipped", event.job_id)
        elif isinstance(event, JobExecutionEvent) and event.exception is not None:
            log.error("job %s failed: %s: %s", event.job_id, type(event.exception).__name__, event.exception)


def _when(value: datetime | None) -> str:
    return value.isoformat(timespec="seconds") if value else "never (paused)"


# -- reading the store without running -------------------------------------------------------------


def stored_jobs(database: Database, timezone: tzinfo | None = None) -> dict[str, Job]:
    """The jobs in the store, by id; empty when the scheduler never ran on this database (the table
    is not created just for looking)."""
    if not inspect(database.engine).has_table(JOBS_TABLE):
        return {}
    store = _job_store(database)
    store.start(BlockingScheduler(timezone=timezone or get_localzone()), STORE_ALIAS)
    return {job.id: job for job in store.get_all_jobs()}


def stored_digest_start(database: Database, name: str) -> datetime | None:
    """When the scheduler first took this digest on (its stored job's `configured_at`), if it did."""
    job = stored_jobs(database).get(f"digest:{name}")
    value = job.kwargs.get("configured_at") if job is not None else None
    return value if isinstance(value, datetime) else None


def job_statuses(
    database: Database, jobs: Sequence[JobSpec], settings: SchedulerSettings, now: datetime | None = None
) -> list[JobStatus]:
    """The configured jobs with their next run times (stored, or as the schedule says), then stored
    jobs no longer configured."""
    timezone = scheduler_timezone(settings)
    now = now or datetime.now(timezone)
    stored = stored_jobs(database, timezone)
    statuses = []
    for spec in jobs:
        job = stored.get(spec.id)
        trigger = spec.trigger(timezone)
        same = job is not None and repr(job.trigger) == repr(trigger)
        next_run = job.next_run_time if same and job is not None else trigger.get_next_fire_time(None, now)
        statuses.append(
            JobStatus(spec.id, spec.kind, spec.target, spec.schedule, next_run, job is not None, True)
        )
    planned = {spec.id for spec in jobs}
    for job_id, job in sorted(stored.items()):
        if job_id not in planned:
            kind, _, target = job_id.partition(":")
            statuses.append(JobStatus(job_id, kind, target, None, job.next_run_time, True, False))
    return statuses
