"""The jobs a configuration asks for: one per scheduled source (a crawl) and per scheduled digest.

Job ids are explicit and stable ("crawl:gov-cn-latest", "digest:daily"), so a restart replaces each
job in the persistent store instead of adding a twin, and a job whose source or digest left the
configuration can be recognised and removed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import tzinfo

from apscheduler.triggers.cron import CronTrigger

JOB_FUNCTIONS = {"crawl": "scheduler.jobs:crawl_job", "digest": "scheduler.jobs:digest_job"}


@dataclass(frozen=True)
class JobSpec:
    kind: str  # crawl | digest
    target: str  # the source or digest name
    schedule: str  # cron: minute hour day month weekday

    @property
    def id(self) -> str:
        return f"{self.kind}:{self.target}"

    @property
    def func(self) -> str:
        """A textual reference: the job store keeps the reference, not the function."""
        return JOB_FUNCTIONS[self.kind]

    def trigger(self, timezone: tzinfo) -> CronTrigger:
        return CronTrigger.from_crontab(self.schedule, timezone=timezone)


def plan_jobs(
    sources: Iterable[tuple[str, str | None]], digests: Iterable[tuple[str, str | None]]
) -> list[JobSpec]:
    """Jobs for the (name, schedule) pairs given; those without a schedule get none."""
    jobs = [JobSpec("crawl", name, schedule) for name, schedule in sources if schedule]
    jobs += [JobSpec("digest", name, schedule) for name, schedule in digests if schedule]
    return jobs
