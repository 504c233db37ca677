"""Webhooks: the digest's JSON POSTed to a URL, retried with backoff, signed when a secret is set.

The signature lets the receiver check the body came from us: `X-Aiplus-Signature: sha256=<hex>`, the
HMAC-SHA256 of the exact body bytes with the secret from AIPLUS_WEBHOOK_SECRET (GitHub's scheme).
`X-Aiplus-Delivery` is the same for every try of one delivery, so a receiver can drop a duplicate
when its 200 answer was lost on the way back.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import os
import re
import urllib.error
import urllib.request
import uuid
from email.message import Message
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from digest.channels.base import Channel, ChannelConfigError, DeliveryError, RetryableError, with_retries
from digest.message import DigestMessage

log = logging.getLogger(__name__)

SECRET_ENV = "AIPLUS_WEBHOOK_SECRET"
SIGNATURE_HEADER = "X-Aiplus-Signature"
_RETRYABLE_STATUS = {408, 425, 429, 500, 502, 503, 504}
_TOKENISH = re.compile(r"[A-Za-z0-9_\-]{16,}")


def signature(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()


def redact_url(url: str) -> str:
    """The URL for logs: no user info, query values hidden, long token-like path parts shortened
    (chat webhooks carry their secret in the path)."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if parts.port:
        host += f":{parts.port}"
    path = _TOKENISH.sub(lambda m: m.group(0)[:4] + "…", parts.path)
    query = "&".join(f"{pair.split('=', 1)[0]}=…" for pair in parts.query.split("&") if pair)
    return urlunsplit((parts.scheme, host, path, query, ""))


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """A redirected POST would be replayed as a GET, whose 200 is not a delivery: treat it as an error."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


_opener = urllib.request.build_opener(_NoRedirects())


class WebhookChannel(Channel):
    """An HTTP POST of the digest's JSON to each URL in `webhook`, retried with backoff; signed with
    HMAC-SHA256 in X-Aiplus-Signature when AIPLUS_WEBHOOK_SECRET is set."""

    kind = "webhook"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        parts = urlsplit(self.target)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ChannelConfigError(f"{self.redacted_target()!r} is not an http(s) URL")

    def redacted_target(self) -> str:
        return redact_url(self.target)

    def deliver(self, message: DigestMessage) -> None:
        body = message.render("json").encode("utf-8")
        delivery_id = str(
            uuid.uuid5(uuid.NAMESPACE_URL, f"{self.identity}#{message.digest.generated_at.isoformat()}")
        )
        headers = {
            "Content-Type": "application/json; charset=utf-8",
            "User-Agent": "aiplus-monitor digest",
            "X-Aiplus-Event": "digest",
            "X-Aiplus-Digest": message.digest.name,
            "X-Aiplus-Delivery": delivery_id,
        }
        secret = os.environ.get(SECRET_ENV)
        if secret:
            headers[SIGNATURE_HEADER] = signature(secret, body)
        status = with_retries(
            lambda: self._post(body, headers),
            retries=self.digest.retries,
            backoff=self.digest.retry_backoff,
            label=self.label,
        )
        log.info("digest %s posted to %s (HTTP %d)", message.digest.name, self.label, status)

    def _post(self, body: bytes, headers: dict[str, str]) -> int:
        request = urllib.request.Request(self.target, data=body, headers=headers, method="POST")
        try:
            with _opener.open(request, timeout=self.digest.timeout) as response:
                response.read()
                return int(response.status)
        except urllib.error.HTTPError as exc:
            reason = f"HTTP {exc.code} {exc.reason}".rstrip()
            exc.close()
            if exc.code in _RETRYABLE_STATUS:
                raise RetryableError(reason) from None
            if 300 <= exc.code < 400:
                location = _header(exc.headers, "Location")
                reason += f" (redirected to {redact_url(location)})" if location else " (redirected)"
            raise DeliveryError(reason) from None
        except urllib.error.URLError as exc:
            raise RetryableError(f"cannot connect: {_reason(exc.reason)}") from None
        except TimeoutError:
            raise RetryableError(f"no answer within {self.digest.timeout:g} s") from None
        except (ConnectionError, OSError) as exc:
            raise RetryableError(f"connection failed: {_reason(exc)}") from None


def _reason(reason: object) -> str:
    if isinstance(reason, OSError) and reason.strerror:
        return reason.strerror
    return str(reason)


def _header(headers: Message | None, name: str) -> str | None:
    return headers.get(name) if headers is not None else None
