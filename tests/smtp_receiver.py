"""A real SMTP server on 127.0.0.1 for the tests (aiosmtpd): it keeps every message it accepts,
parsed, and can speak STARTTLS or implicit TLS, ask for a login, and refuse chosen recipients."""

from __future__ import annotations

import ssl
import threading
import time
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    message: EmailMessage
    raw: bytes
    authenticated_as: str | None = None


@dataclass
class _Handler:
    refuse: set[str] = field(default_factory=set)
    received: list[Received] = field(default_factory=list)
    arrived: threading.Condition = field(default_factory=threading.Condition)

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str, options: Any) -> str:
        if address in self.refuse:
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        raw = envelope.original_content or envelope.content
        message = BytesParser(policy=policy.default).parsebytes(raw)
        auth = session.auth_data if session.authenticated else None
        login = auth.login.decode() if isinstance(auth, LoginPassword) else None
        with self.arrived:
            self.received.append(Received(envelope.mail_from, list(envelope.rcpt_tos), message, raw, login))
            self.arrived.notify_all()
        return "250 Message accepted"


class _Controller(Controller):
    """aiosmtpd's Controller on a free port: port 0 is bound first, then the chosen one is read."""

    def _trigger_server(self) -> None:
        assert self.server is not None
        self.port = self.server.sockets[0].getsockname()[1]
        super()._trigger_server()


class SmtpReceiver:
    """`with SmtpReceiver() as smtp:` ... `smtp.port`, `smtp.wait_for(1)`.

    tls: "starttls" or "ssl" (with `context`, a server SSLContext); login: (user, password) required.
    """

    host = "127.0.0.1"

    def __init__(
        self,
        *,
        tls: str | None = None,
        context: ssl.SSLContext | None = None,
        login: tuple[str, str] | None = None,
        refuse: set[str] | None = None,
    ) -> None:
        self.handler = _Handler(refuse=set(refuse or ()))
        kwargs: dict[str, Any] = {"hostname": self.host, "port": 0}
        if tls == "starttls":
            kwargs.update(tls_context=context, require_starttls=True)
        elif tls == "ssl":
            kwargs.update(ssl_context=context)
        if login is not None:
            # aiosmtpd does not count implicit TLS as TLS for AUTH, so it cannot also insist on a
            # login there; the tests check who logged in instead.
            implicit = tls == "ssl"
            kwargs.update(
                authenticator=_authenticator(*login),
                auth_required=not implicit,
                auth_require_tls=not implicit,
            )
        self.controller = _Controller(self.handler, **kwargs)

    @property
    def port(self) -> int:
        return int(self.controller.port)

    @property
    def received(self) -> list[Received]:
        with self.handler.arrived:
            return list(self.handler.received)

    def refuse(self, *addresses: str) -> None:
        self.handler.refuse = set(addresses)

    def wait_for(self, count: int, timeout: float = 30.0) -> list[Received]:
        """Wait until at least `count` messages arrived; returns them (fails the test on timeout)."""
        deadline = time.monotonic() + timeout
        with self.handler.arrived:
            while len(self.handler.received) < count:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise AssertionError(f"{len(self.handler.received)} message(s) arrived, expected {count}")
                self.handler.arrived.wait(remaining)
            return list(self.handler.received)

    def __enter__(self) -> SmtpReceiver:
        self.controller.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.controller.stop()


def _authenticator(user: str, password: str) -> Any:
    def authenticate(server: Any, session: Any, envelope: Any, mechanism: str, auth_data: Any) -> AuthResult:
        ok = (
            isinstance(auth_data, LoginPassword)
            and auth_data.login.decode() == user
            and auth_data.password.decode() == password
        )
        return AuthResult(success=ok, handled=False, auth_data=auth_data if ok else None)

    return authenticate
