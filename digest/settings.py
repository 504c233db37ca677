"""The digest package's settings types: what [smtp] and each [[digest]] of the configuration become."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class SmtpSettings:
    """The mail server digests with email recipients use. The password is never configured in the
    file: it comes from the environment variable AIPLUS_SMTP_PASSWORD."""

    host: str = "localhost"
    port: int = 25
    sender: str = "aiplus@localhost"
    username: str | None = None
    starttls: bool = False
    ssl: bool = False
    timeout: float = 30.0


@dataclass(frozen=True)
class DigestSettings:
    """One configured digest (a [[digest]] table) and the channels it is delivered over."""

    name: str
    schedule: str | None = None
    email: list[str] = field(default_factory=list)
    webhook: list[str] = field(default_factory=list)
    apprise: list[str] = field(default_factory=list)
    directory: str | None = None
    categories: list[str] = field(default_factory=list)  # empty: all
    kinds: list[str] = field(default_factory=list)  # new / changed / removed; empty: all
    sources: list[str] = field(default_factory=list)  # empty: all
    # Email subject and chat title; placeholders {name} {headline} {new} {changed} {removed} {date}.
    subject: str | None = None
    # The file format the directory channel writes (text, html, md, json); it also keeps an Atom feed.
    format: str = "html"
    # Deliver "nothing changed" digests too (default: a digest with no changes is not sent).
    send_empty: bool = False
    # Webhook and apprise deliveries: tries after the first, the wait before the first retry
    # (doubling for each further one), and the seconds one request may take.
    retries: int = 3
    retry_backoff: float = 2.0
    timeout: float = 30.0
