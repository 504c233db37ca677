"""The channel registry: a digest is delivered over channels registered by kind (email, webhook,
apprise, directory), each configured by the [[digest]] key of the same name.

Each address or URL is its own channel with a stable identity ("email:analyst@example.org"): what a
channel has delivered is recorded under that identity, so a failing recipient keeps its changes for the
next run while the others move on. Identities keep secrets (they must stay stable); logs and messages
use `label`, which hides them.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable
from typing import Any, ClassVar, TypeVar

from digest.message import DigestMessage
from digest.settings import DigestSettings, SmtpSettings

log = logging.getLogger(__name__)

T = TypeVar("T")

IDENTITY_MAX = 400  # digest_delivery.channel


class ChannelConfigError(ValueError):
    """A channel that cannot work as configured: reported when the configuration is loaded.

    `key` names the configuration key at fault, in the [[digest]] table `digest` or, when `table` is
    "smtp", in [smtp]; `reason` says what is wrong with it. The configuration loader uses them to
    point at the file's line (the digest package never reads the file itself)."""

    def __init__(
        self, reason: str, *, key: str | None = None, table: str = "digest", digest: str | None = None
    ) -> None:
        self.reason, self.key, self.table, self.digest = reason, key, table, digest
        super().__init__(reason)

    def __str__(self) -> str:
        if self.table != "digest" and self.key:
            return f"[{self.table}] key {self.key!r}: {self.reason}"
        if self.digest is None:
            return self.reason
        where = f"[[digest]] {self.digest!r}" + (f" key {self.key!r}" if self.key else "")
        return f"{where}: {self.reason}"


class DeliveryError(Exception):
    """A delivery that failed; the message is one line saying why, without secrets."""


class RetryableError(DeliveryError):
    """A failure worth another try: a timeout, a refused connection, a 5xx or 429 answer."""


def channel_identity(kind: str, target: str) -> str:
    """`kind:target`, shortened with a hash when longer than the database column allows."""
    identity = f"{kind}:{target}"
    if len(identity) <= IDENTITY_MAX:
        return identity
    digest = hashlib.sha256(identity.encode("utf-8")).hexdigest()
    return f"{identity[: IDENTITY_MAX - len(digest) - 1]}#{digest}"


class Channel:
    """A way to deliver a digest. Subclasses set `kind`, which is also the [[digest]] key listing
    their targets, and implement `deliver`. The class docstring is the user-facing description."""

    kind: ClassVar[str]
    registry: ClassVar[dict[str, type[Channel]]] = {}

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "kind" in cls.__dict__:
            if cls.kind not in DigestSettings.__dataclass_fields__:
                raise TypeError(f"channel kind {cls.kind!r} has no [[digest]] key of that name")
            Channel.registry[cls.kind] = cls

    def __init__(self, digest: DigestSettings, smtp: SmtpSettings, target: str) -> None:
        self.digest = digest
        self.smtp = smtp
        self.target = target

    @classmethod
    def targets(cls, digest: DigestSettings) -> list[str]:
        value = getattr(digest, cls.kind)
        if value is None:
            return []
        return [value] if isinstance(value, str) else list(value)

    @classmethod
    def from_settings(cls, digest: DigestSettings, smtp: SmtpSettings) -> list[Channel]:
        return [cls(digest, smtp, target) for target in cls.targets(digest)]

    @property
    def identity(self) -> str:
        return channel_identity(self.kind, self.target)

    @property
    def label(self) -> str:
        """The identity for logs and messages, secrets hidden."""
        return f"{self.kind}:{self.redacted_target()}"

    def redacted_target(self) -> str:
        return self.target

    def check(self) -> None:
        """Raise ChannelConfigError when the environment cannot support a delivery (a missing
        secret); called before anything is sent."""

    def deliver(self, message: DigestMessage) -> None:
        """Send the digest; raise DeliveryError with a one-line reason when it did not arrive."""
        raise NotImplementedError

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.label}>"


def with_retries(
    attempt: Callable[[], T],
    *,
    retries: int,
    backoff: float,
    label: str,
    sleep: Callable[[float], None] = time.sleep,
) -> T:
    """Call `attempt` until it succeeds, retrying RetryableError up to `retries` more times, waiting
    `backoff` seconds before the first retry and twice as long before each further one."""
    for number in range(retries + 1):
        try:
            return attempt()
        except RetryableError as exc:
            if number == retries:
                raise
            delay = backoff * 2**number
            log.warning("%s: %s; retrying in %.1f s (%d of %d)", label, exc, delay, number + 1, retries)
            sleep(delay)
    raise AssertionError("unreachable")
