"""Email over SMTP: one message per recipient, text and HTML alternatives, UTF-8 throughout."""

from __future__ import annotations

import logging
import os
import re
import smtplib
import ssl
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from digest.channels.base import Channel, ChannelConfigError, DeliveryError
from digest.message import DigestMessage

log = logging.getLogger(__name__)

PASSWORD_ENV = "AIPLUS_SMTP_PASSWORD"
# A bare address, as SMTP's RCPT TO takes it: one @, something on each side, no spaces, no display
# name or list separators ("Analyst <a@x.org>" or "a@x.org, b@x.org" would be refused by the server
# only at the first delivery). Non-ASCII is allowed: 中文 domains and SMTPUTF8 mailboxes exist.
_SPECIALS = r"@\s<>(),;:\"\[\]"
_ADDRESS = re.compile(rf"^[^{_SPECIALS}]+@(?:[^{_SPECIALS}./]+\.)*[^{_SPECIALS}./]+$")


def build_email(message: DigestMessage, sender: str, recipient: str) -> EmailMessage:
    """The digest as a multipart/alternative email: text first, HTML preferred by mail readers."""
    email = EmailMessage()
    email["Subject"] = message.subject  # non-ASCII is RFC 2047-encoded by the default policy
    email["From"] = sender
    email["To"] = recipient
    email["Date"] = formatdate(localtime=True)
    domain = sender.rpartition("@")[2] or None
    email["Message-ID"] = make_msgid("aiplus", domain=domain)
    email["Auto-Submitted"] = "auto-generated"  # RFC 3834: no vacation auto-replies
    email["X-Aiplus-Digest"] = message.digest.name
    email.set_content(message.render("text"), charset="utf-8")
    email.add_alternative(message.render("html"), subtype="html", charset="utf-8")
    return email


class EmailChannel(Channel):
    """Email over SMTP to each address in `email`, using the [smtp] server (STARTTLS or SSL; the
    password, if the server wants a login, comes from AIPLUS_SMTP_PASSWORD)."""

    kind = "email"

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        if not _ADDRESS.match(self.target):
            raise ChannelConfigError(f"{self.target!r} is not an email address (write it as name@domain)")
        if self.smtp.ssl and self.smtp.starttls:
            raise ChannelConfigError(
                "ssl and starttls exclude each other: choose one", key="ssl", table="smtp"
            )

    def check(self) -> None:
        if self.smtp.username and not os.environ.get(PASSWORD_ENV):
            raise ChannelConfigError(
                f"[smtp] username is set but {PASSWORD_ENV} is not: set it in the environment"
            )

    def deliver(self, message: DigestMessage) -> None:
        email = build_email(message, self.smtp.sender, self.target)
        server = f"{self.smtp.host}:{self.smtp.port}"
        try:
            with self._connect() as smtp:
                refused = smtp.send_message(email, from_addr=self.smtp.sender, to_addrs=[self.target])
        except smtplib.SMTPRecipientsRefused as exc:
            reasons = "; ".join(_reply(code, text) for code, text in exc.recipients.values())
            raise DeliveryError(f"SMTP {server} refused the recipient: {reasons}") from None
        except smtplib.SMTPAuthenticationError as exc:
            raise DeliveryError(
                f"SMTP {server} login failed: {_reply(exc.smtp_code, exc.smtp_error)}"
            ) from None
        except smtplib.SMTPResponseException as exc:
            raise DeliveryError(f"SMTP {server}: {_reply(exc.smtp_code, exc.smtp_error)}") from None
        except (smtplib.SMTPException, ssl.SSLError) as exc:
            raise DeliveryError(f"SMTP {server}: {exc}") from None
        except TimeoutError:
            raise DeliveryError(f"SMTP {server}: timed out after {self.smtp.timeout:g} s") from None
        except OSError as exc:
            raise DeliveryError(f"SMTP {server}: {exc.strerror or exc}") from None
        if refused:
            raise DeliveryError(f"SMTP {server} refused {', '.join(refused)}")
        log.info("digest %s emailed to %s via %s", message.digest.name, self.target, server)

    def _connect(self) -> smtplib.SMTP:
        settings = self.smtp
        context = ssl.create_default_context()
        smtp: smtplib.SMTP
        if settings.ssl:
            smtp = smtplib.SMTP_SSL(settings.host, settings.port, timeout=settings.timeout, context=context)
        else:
            smtp = smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout)
        try:
            smtp.ehlo()
            if settings.starttls:
                smtp.starttls(context=context)
                smtp.ehlo()
            password = os.environ.get(PASSWORD_ENV)
            if settings.username and password:
                smtp.login(settings.username, password)
        except BaseException:
            smtp.close()
            raise
        return smtp


def _reply(code: int, text: bytes | str) -> str:
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    return f"{code} {' '.join(str(text).split())}"
