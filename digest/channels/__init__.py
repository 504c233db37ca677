"""Delivery channels, registered by kind: email, webhook, apprise, directory.

`channels_for` builds a digest's channels and validates them (and the digest's format and subject),
so that a mistake is reported when the configuration is loaded, not halfway through a run.
"""

from __future__ import annotations

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
    """Every channel of a digest, in registry order; ChannelConfigError (naming the digest) for a
    bad one."""
    try:
        get_format(digest.format)
        if digest.subject is not None:
            check_subject(digest.subject)
        if digest.retries < 0 or digest.retry_backoff < 0 or digest.timeout <= 0:
            raise ValueError("retries and retry_backoff must not be negative, timeout must be positive")
        channels = [
            channel for cls in Channel.registry.values() for channel in cls.from_settings(digest, smtp)
        ]
    except ValueError as exc:  # ChannelConfigError included
        raise ChannelConfigError(f"[[digest]] {digest.name!r}: {exc}") from None
    seen: set[str] = set()
    for channel in channels:
        if channel.identity in seen:
            raise ChannelConfigError(f"[[digest]] {digest.name!r}: {channel.label} is listed twice")
        seen.add(channel.identity)
    return channels
