"""The scheduler's settings: time zone, crawl time limit, and how long stopping may take."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SchedulerSettings:
    """How `aiplus run` runs its jobs. Cron schedules are read in `timezone` (None: the machine's)."""

    timezone: str | None = None
    # A crawl child still running after this many seconds is stopped (SIGTERM, then SIGKILL).
    crawl_time_limit: float = 2 * 3600.0
    # Seconds a crawl child gets to stop cleanly after SIGTERM before it is killed.
    stop_grace: float = 30.0
    # A job whose run time passed while the scheduler was down still runs (once) within this window.
    misfire_grace_time: int = 3600
    # A digest job first waits this long so that crawls due at the same moment start before it
    # looks, then waits for running crawls to finish: a digest reports whole crawls.
    digest_settle: float = 1.0
