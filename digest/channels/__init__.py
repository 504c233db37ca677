"""Delivery channels, registered by kind: email, webhook, apprise, directory.

`channels_for` builds a digest's channels and validates them (and the digest's format and subject),
so that a mistake is reported when the configuration is loaded, not halfway through a run.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from digest.channels.apprise_urls import AppriseChannel
from digest.channels.base import Channel, ChannelConfigError, DeliveryError, RetryableError, channel_identity
from digest.channels.directory import DirectoryChannel
from digest.channels.mail import EmailChannel
from digest.channels.webhook import WebhookChannel
from digest.formats import get_format
from digest.message import check_subject
from digest.settings import DigestSettings, SmtpSettings

__all__ = [
    "AppriseChannel",
    "Channel",
    "ChannelConfigError",
    "DeliveryError",
    "DirectoryChannel",
    "EmailChannel",
    "RetryableError",
    "WebhookChannel",
    "channel_identity",
    "channels_for",
]


def channels_for(digest: DigestSettings, smtp: SmtpSettings) -> list[Channel]:
    """Every channel of a digest, in registry order. A bad one (or a bad format, subject or retry
    setting) raises ChannelConfigError naming the digest, with the key at fault in `key`: the
    configuration loader calls this to report the file's line."""
    with _blame(digest, "format"):
        get_format(digest.format)
    if digest.subject is not None:
        with _blame(digest, "subject"):
            check_subject(digest.subject)
    for key in ("retries", "retry_backoff"):
        if getattr(digest, key) < 0:
            raise _error(digest, key, "must not be negative")
    if digest.timeout <= 0:
        raise _error(digest, "timeout", "must be positive")
    channels: list[Channel] = []
    seen: set[str] = set()
    for cls in Channel.registry.values():
        with _blame(digest, cls.kind):
            built = cls.from_settings(digest, smtp)
        for channel in built:
            if channel.identity in seen:
                raise _error(digest, cls.kind, f"{channel.redacted_target()!r} is listed twice")
            seen.add(channel.identity)
            channels.append(channel)
    return channels


def _error(digest: DigestSettings, key: str, reason: str, table: str = "digest") -> ChannelConfigError:
    return ChannelConfigError(reason, key=key, table=table, digest=digest.name)


@contextmanager
def _blame(digest: DigestSettings, key: str) -> Iterator[None]:
    """Report a ValueError raised inside as a mistake in `key` (or the key the error names)."""
    try:
        yield
    except ChannelConfigError as exc:
        raise _error(digest, exc.key or key, exc.reason, exc.table) from None
    except ValueError as exc:
        raise _error(digest, key, str(exc)) from None
