"""Source health for digests: the sources whose last crawl failed or found nothing.

A digest that says "nothing changed" is only reassuring if the crawls ran; this is how a reader learns
that gov.cn has been unreachable for three days.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.orm import Session

from storage.models import RunStatus
from storage.runs import last_runs


def source_health(session: Session, sources: Sequence[str] | None = None) -> list[str]:
    """One line per unhealthy source, by name; `sources` limits it to these (None: every source that
    has been crawled)."""
    wanted = set(sources) if sources is not None else None
    lines = []
    for run in sorted(last_runs(session), key=lambda r: r.source.name):
        name = run.source.name
        if wanted is not None and name not in wanted:
            continue
        when = f"{(run.finished_at or run.started_at).astimezone():%Y-%m-%d %H:%M %Z}".rstrip()
        if run.status == RunStatus.FAILED.value:
            reason = " ".join(str(run.errors[0]).split()) if run.errors else "no reason recorded"
            lines.append(f"{name}: last crawl failed ({when}): {_shorten(reason)}")
        elif run.status != RunStatus.RUNNING.value and run.fetched == 0:
            lines.append(f"{name}: last crawl found nothing ({when})")
    return lines


def _shorten(text: str, limit: int = 200) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
