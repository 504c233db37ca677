"""Chat and push services through apprise URLs: Slack, DingTalk, WeCom, Feishu, Telegram and the
rest of apprise's list. The digest goes as Markdown; apprise converts it for services that want text
or HTML."""

from __future__ import annotations

import logging
import warnings
from typing import Any

from digest.channels.base import Channel, ChannelConfigError, RetryableError, with_retries
from digest.message import DigestMessage

log = logging.getLogger(__name__)


def _apprise() -> Any:
    """A fresh apprise.Apprise. Apprise loads its plugins on first use, and one of them imports the
    deprecated `imghdr`; that warning is apprise's to fix, not our users' to see."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="'imghdr' is deprecated", category=DeprecationWarning)
        import apprise

        return apprise.Apprise()


class AppriseChannel(Channel):
    """A notification through each apprise URL in `apprise` (slack://, dingtalk://, wecombot://,
    feishu://, tgram://, json://, ...), as Markdown with the subject as its title."""

    kind = "apprise"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        notifier = _apprise()
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message="'imghdr' is deprecated", category=DeprecationWarning)
            known = notifier.add(self.target)
        if not known:
            scheme = self.target.partition("://")[0] or self.target
            raise ChannelConfigError(
                f"apprise cannot use the URL with scheme {scheme!r}: unknown service or malformed URL "
                "(see https://github.com/caronc/apprise/wiki)"
            )
        self._redacted = str(notifier[0].url(privacy=True)).split("?", 1)[0]

    def redacted_target(self) -> str:
        return self._redacted

    def deliver(self, message: DigestMessage) -> None:
        with_retries(
            lambda: self._notify(message),
            retries=self.digest.retries,
            backoff=self.digest.retry_backoff,
            label=self.label,
        )
        log.info("digest %s sent to %s", message.digest.name, self.label)

    def _notify(self, message: DigestMessage) -> None:
        import apprise

        notifier = _apprise()
        notifier.add(self.target)
        # apprise reports failures only in its log: capture it for a one-line reason.
        with apprise.LogCapture(level=logging.WARNING, fmt="%(message)s") as captured:
            sent = notifier.notify(
                title=message.subject,
                body=message.render("md"),
                body_format=apprise.NotifyFormat.MARKDOWN,
            )
        if not sent:
            lines = [line.strip() for line in captured.getvalue().splitlines() if line.strip()]
            reason = lines[-1] if lines else "the service did not accept the notification"
            raise RetryableError(f"apprise: {reason}")
