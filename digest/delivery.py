"""Delivering a digest: what each channel has not yet received, composed, sent, and recorded.

Per channel, the pending changes are those that match the digest's filters, were detected since the
channel's last successful delivery, and that the channel has not received: digest_delivery remembers
every change each channel delivered. So a channel that fails records nothing and gets the same
changes next time (nothing lost), one that succeeded never gets them again (no repeats), and one
channel's failure never holds back the others.

A channel that has never delivered gets everything since the digest began (`start`: when the
scheduler first took the digest on), or, without one, everything from the oldest change the digest
delivered on any channel, or else every change in the archive.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from digest.channels import Channel, ChannelConfigError, DeliveryError
from digest.compose import Digest, compose
from digest.health import source_health
from digest.message import DigestMessage
from digest.settings import DigestSettings
from storage import Database
from storage.models import Change, DigestDelivery
from storage.queries import changes_since

log = logging.getLogger(__name__)

# Changes are looked for this long before a channel's last delivery, beyond the ids it already has:
# a change can become visible after a later one was delivered (a crawl records with its fetch time,
# a digest may be composed while a crawl is still writing). Already-delivered ids are skipped.
LATE_MARGIN = timedelta(days=2)
_CHUNK = 500  # ids per IN (...) list


@dataclass
class ChannelPlan:
    """What one channel is about to receive."""

    channel: Channel
    changes: list[dict[str, Any]]
    since: datetime | None  # shown to the reader: "changes since ..."


@dataclass(frozen=True)
class ChannelResult:
    channel: str  # the identity, as recorded
    label: str  # the identity with secrets hidden
    status: str  # sent | nothing | failed | pending (dry run)
    changes: int
    error: str | None = None


@dataclass
class DeliveryReport:
    digest: str
    results: list[ChannelResult]

    @property
    def failed(self) -> list[ChannelResult]:
        return [r for r in self.results if r.status == "failed"]

    @property
    def ok(self) -> bool:
        return not self.failed


# -- what each channel has and has not received ----------------------------------------------------


def _chunks(values: Sequence[int]) -> Iterable[Sequence[int]]:
    for start in range(0, len(values), _CHUNK):
        yield values[start : start + _CHUNK]


def delivered_ids(session: Session, digest: str, channel: str, change_ids: Sequence[int]) -> set[int]:
    """Which of these changes the channel has already delivered for this digest."""
    found: set[int] = set()
    for chunk in _chunks(list(change_ids)):
        found.update(
            session.scalars(
                select(DigestDelivery.change_id).where(
                    DigestDelivery.digest == digest,
                    DigestDelivery.channel == channel,
                    DigestDelivery.change_id.in_(chunk),
                )
            )
        )
    return found


def channel_window(
    session: Session,
    digest: str,
    channel: str,
    *,
    since: datetime | None = None,
    start: datetime | None = None,
) -> tuple[datetime | None, datetime | None]:
    """(where to start looking, what to tell the reader) for one channel; None: from the beginning."""
    if since is not None:
        return since, since
    last = session.scalar(
        select(func.max(DigestDelivery.delivered_at)).where(
            DigestDelivery.digest == digest, DigestDelivery.channel == channel
        )
    )
    if last is not None:
        return last - LATE_MARGIN, last
    if start is not None:
        return start, start
    # The oldest change the digest delivered on any channel: a channel added later, or one that
    # failed from the first run on, starts where the digest's content starts.
    first = session.scalar(
        select(func.min(Change.detected_at))
        .join(DigestDelivery, DigestDelivery.change_id == Change.id)
        .where(DigestDelivery.digest == digest)
    )
    if first is not None:
        return first, None
    return None, None


def plan_channels(
    session: Session,
    settings: DigestSettings,
    channels: Sequence[Channel],
    *,
    since: datetime | None = None,
    start: datetime | None = None,
) -> list[ChannelPlan]:
    """Each channel's pending changes (oldest first)."""
    plans = []
    candidates: dict[datetime | None, list[dict[str, Any]]] = {}
    for channel in channels:
        lower, shown = channel_window(session, settings.name, channel.identity, since=since, start=start)
        if lower not in candidates:
            candidates[lower] = changes_since(
                session,
                lower,
                kinds=settings.kinds,
                sources=settings.sources,
                categories=settings.categories,
            )
        changes = candidates[lower]
        done = delivered_ids(session, settings.name, channel.identity, [c["id"] for c in changes])
        plans.append(ChannelPlan(channel, [c for c in changes if c["id"] not in done], shown))
    return plans


def record_delivery(
    session: Session, digest: str, channel: str, change_ids: Sequence[int], delivered_at: datetime
) -> int:
    """Remember that the channel delivered these changes; returns how many rows were added (ids it
    already had are skipped, so recording twice is harmless)."""
    have = delivered_ids(session, digest, channel, change_ids)
    rows = [
        DigestDelivery(digest=digest, channel=channel, change_id=change_id, delivered_at=delivered_at)
        for change_id in dict.fromkeys(change_ids)
        if change_id not in have
    ]
    session.add_all(rows)
    return len(rows)


# -- composing and delivering --------------------------------------------------------------------


def compose_digest(
    name: str,
    changes: Sequence[dict[str, Any]],
    *,
    now: datetime,
    since: datetime | None,
    health: Sequence[str] = (),
) -> Digest:
    """A digest shown in the machine's time zone (readers think in local time; storage is UTC)."""
    return compose(
        name,
        changes,
        generated_at=now.astimezone(),
        since=since.astimezone() if since is not None else None,
        source_health=health,
    )


def _health(database: Database, sources: Sequence[str] | None) -> list[str]:
    with database.session() as session:
        return source_health(session, sources)


def health_scope(settings: DigestSettings, configured: Sequence[str] | None) -> list[str] | None:
    """The sources whose health a digest reports: its own filter, within the configured ones."""
    if settings.sources:
        return [s for s in settings.sources if configured is None or s in configured]
    return list(configured) if configured is not None else None


def deliver_digest(
    database: Database,
    settings: DigestSettings,
    channels: Sequence[Channel],
    *,
    since: datetime | None = None,
    start: datetime | None = None,
    configured_sources: Sequence[str] | None = None,
    now: datetime | None = None,
) -> DeliveryReport:
    """Send each channel what it has not received, record what arrived, and report per channel.
    Never raises for a channel's failure: it is logged in one line and reported."""
    now = now or datetime.now(UTC)
    with database.session() as session:
        plans = plan_channels(session, settings, channels, since=since, start=start)
    health = _health(database, health_scope(settings, configured_sources))
    messages: dict[tuple[tuple[int, ...], datetime | None], DigestMessage] = {}
    results = []
    for plan in plans:
        channel = plan.channel
        if not plan.changes and not settings.send_empty:
            log.info("digest %s: nothing new for %s", settings.name, channel.label)
            results.append(ChannelResult(channel.identity, channel.label, "nothing", 0))
            continue
        key = (tuple(c["id"] for c in plan.changes), plan.since)
        if key not in messages:
            digest = compose_digest(settings.name, plan.changes, now=now, since=plan.since, health=health)
            messages[key] = DigestMessage.build(digest, settings.subject)
        results.append(_deliver_one(database, settings, channel, messages[key], now))
    report = DeliveryReport(settings.name, results)
    sent = sum(1 for r in results if r.status == "sent")
    log.info(
        "digest %s: %d channel(s) sent, %d with nothing new, %d failed",
        settings.name,
        sent,
        sum(1 for r in results if r.status == "nothing"),
        len(report.failed),
    )
    return report


def _deliver_one(
    database: Database, settings: DigestSettings, channel: Channel, message: DigestMessage, now: datetime
) -> ChannelResult:
    ids = message.change_ids
    try:
        channel.check()
        channel.deliver(message)
    except (DeliveryError, ChannelConfigError) as exc:
        log.error(
            "digest %s: %s failed: %s (its %d change(s) wait for the next run)",
            settings.name,
            channel.label,
            exc,
            len(ids),
        )
        return ChannelResult(channel.identity, channel.label, "failed", len(ids), str(exc))
    except Exception as exc:  # a channel bug must not stop the other channels
        log.error(
            "digest %s: %s failed unexpectedly: %s: %s",
            settings.name,
            channel.label,
            type(exc).__name__,
            exc,
            exc_info=log.isEnabledFor(logging.DEBUG),
        )
        return ChannelResult(
            channel.identity, channel.label, "failed", len(ids), f"{type(exc).__name__}: {exc}"
        )
    try:
        database.write(lambda session: record_delivery(session, settings.name, channel.identity, ids, now))
    except Exception as exc:
        reason = f"delivered, but recording it failed ({type(exc).__name__}: {exc}); the next run repeats it"
        log.error("digest %s: %s %s", settings.name, channel.label, reason)
        return ChannelResult(channel.identity, channel.label, "failed", len(ids), reason)
    return ChannelResult(channel.identity, channel.label, "sent", len(ids))


def preview_digest(
    database: Database,
    settings: DigestSettings,
    channels: Sequence[Channel],
    *,
    since: datetime | None = None,
    start: datetime | None = None,
    configured_sources: Sequence[str] | None = None,
    now: datetime | None = None,
) -> tuple[Digest, list[ChannelPlan]]:
    """What a delivery would send, without sending or recording: one digest of every change some
    channel would get, and each channel's plan."""
    now = now or datetime.now(UTC)
    with database.session() as session:
        plans = plan_channels(session, settings, channels, since=since, start=start)
    union: dict[int, dict[str, Any]] = {}
    for plan in plans:
        for change in plan.changes:
            union.setdefault(change["id"], change)
    changes = sorted(union.values(), key=lambda c: (c["detected_at"], c["id"]))
    shown = [p.since for p in plans if p.changes and p.since is not None]
    digest = compose_digest(
        settings.name,
        changes,
        now=now,
        since=min(shown) if shown else since,
        health=_health(database, health_scope(settings, configured_sources)),
    )
    return digest, plans


def digest_of_changes(
    database: Database,
    *,
    since: datetime | None,
    name: str = "all",
    configured_sources: Sequence[str] | None = None,
    now: datetime | None = None,
) -> Digest:
    """One digest of every change since a time, configured digests or not (printed, not delivered)."""
    now = now or datetime.now(UTC)
    with database.session() as session:
        changes = changes_since(session, since)
        health = source_health(session, configured_sources)
    return compose_digest(name, changes, now=now, since=since, health=health)
