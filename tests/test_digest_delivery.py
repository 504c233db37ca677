"""Delivering digests to real servers on 127.0.0.1: email (aiosmtpd), webhooks and apprise URLs
(a local HTTP receiver), and files with an Atom feed. Each channel gets every change once: a failing
channel keeps its changes for the next run, a channel that succeeded never gets them again, and one
failing channel does not hold back the others."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import hmac
import ipaddress
import json
import logging
import ssl
import xml.etree.ElementTree as ET
from datetime import UTC, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from smtp_receiver import SmtpReceiver
from sqlalchemy import func, select
from test_digest import (
    CAC,
    EN,
    EXPECTED_COUNTS,
    EXPECTED_LINES,
    GOV,
    GOV_TITLE,
    NEWS,
    SCRIPT_TITLE,
    record_changes,
)
from webhook_receiver import WebhookReceiver

from aiplus.cli import cli
from digest.channels import channels_for
from digest.delivery import deliver_digest
from digest.settings import DigestSettings, SmtpSettings
from storage import Database, DatabaseSettings, record_page
from storage.models import DigestDelivery

from helpers import T0, page

LOCALHOST = ipaddress.ip_address("127.0.0.1")
SUBJECT = "人工智能+ 政策摘要 {date}: {headline}"
ALL_URLS = [GOV, CAC, NEWS, EN]


@pytest.fixture
def sqlite_database(tmp_path):
    db = Database.open(
        DatabaseSettings(url=f"sqlite:///{tmp_path / 'aiplus.db'}", archive_dir=tmp_path / "a")
    )
    yield db
    db.dispose()


def deliver(database: Database, smtp: SmtpSettings | None = None, name: str = "daily", **settings: object):
    digest = DigestSettings(name=name, subject=SUBJECT, retry_backoff=0.05, timeout=10, **settings)  # type: ignore[arg-type]
    return deliver_digest(database, digest, channels_for(digest, smtp or SmtpSettings()))


def delivered(database: Database, channel: str) -> set[int]:
    with database.session() as session:
        return set(session.scalars(select(DigestDelivery.change_id).where(DigestDelivery.channel == channel)))


def add_page(database: Database, at: int | None = None) -> None:
    """One more new page: fetched `at` hours after helpers.T0, or now."""
    fetched = page("https://www.miit.gov.cn/ai-plus.html", "工信部部署人工智能+制造。", title="工信部通知")
    if at is None:
        fetched = dataclasses.replace(fetched, fetched_at=dt.datetime.now(UTC))
    else:
        fetched = dataclasses.replace(fetched, fetched_at=T0 + timedelta(hours=at))
    with database.transaction() as s:
        record_page(s, fetched)


# -- email -----------------------------------------------------------------------------------------


def test_email_reaches_a_real_smtp_server(database):
    record_changes(database)
    with SmtpReceiver() as server:
        smtp = SmtpSettings(host="127.0.0.1", port=server.port, sender="aiplus@example.org")
        report = deliver(database, smtp, email=["analyst@example.org", "editor@example.org"])
        assert [r.status for r in report.results] == ["sent", "sent"]
        received = server.wait_for(2)

        assert sorted(r.rcpt_tos[0] for r in received) == ["analyst@example.org", "editor@example.org"]
        for item in received:
            message = item.message
            assert message["Subject"].startswith("人工智能+ 政策摘要 ") and message["Subject"].endswith(
                ": 4 new, 2 changed, 1 removed"
            )
            assert b"=?utf-8?" in item.raw.split(b"\r\n\r\n", 1)[0].lower()  # RFC 2047 on the wire
            assert message.get_content_type() == "multipart/alternative"
            text = message.get_body(("plain",))
            html = message.get_body(("html",))
            assert text is not None and html is not None
            assert text.get_content_charset() == html.get_content_charset() == "utf-8"
            text_body, html_body = text.get_content(), html.get_content()
            for url in ALL_URLS:
                assert url in text_body and f'href="{url}"' in html_body
            for line in EXPECTED_LINES:
                assert line in text_body
            assert "Changes: 4 new, 2 changed, 1 removed" in text_body
            assert "鼓励企业{+全面推进+}人工智能应用试点。" in text_body
            assert SCRIPT_TITLE in text_body and "&lt;script&gt;alert(1)&lt;/script&gt;" in html_body
            assert "<script>" not in html_body

        # No repeats: the next run finds nothing new for either recipient and sends nothing.
        again = deliver(database, smtp, email=["analyst@example.org", "editor@example.org"])
        assert [r.status for r in again.results] == ["nothing", "nothing"]
        assert len(server.received) == 2
    assert len(delivered(database, "email:analyst@example.org")) == 7


def make_certificate(folder: Path) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 (and its key), valid for an hour."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(hours=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), False
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_file, key_file = folder / "cert.pem", folder / "key.pem"
    cert_file.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    return cert_file, key_file


@pytest.mark.parametrize("mode", ["starttls", "ssl"])
def test_email_over_tls_with_a_login(sqlite_database, tmp_path, monkeypatch, mode):
    record_changes(sqlite_database)
    cert_file, key_file = make_certificate(tmp_path)
    server_context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server_context.load_cert_chain(cert_file, key_file)
    monkeypatch.setenv("SSL_CERT_FILE", str(cert_file))  # the client trusts the test's own certificate
    monkeypatch.setenv("AIPLUS_SMTP_PASSWORD", "s3cret")
    with SmtpReceiver(tls=mode, context=server_context, login=("aiplus", "s3cret")) as server:
        smtp = SmtpSettings(
            host="127.0.0.1",
            port=server.port,
            username="aiplus",
            starttls=mode == "starttls",
            ssl=mode == "ssl",
            timeout=10,
        )
        report = deliver(sqlite_database, smtp, email=["analyst@example.org"])
        assert report.ok, report.results
        [item] = server.wait_for(1)
        assert item.authenticated_as == "aiplus"

        monkeypatch.setenv("AIPLUS_SMTP_PASSWORD", "wrong")
        add_page(sqlite_database)
        failed = deliver(sqlite_database, smtp, email=["analyst@example.org"])
        assert failed.results[0].status == "failed" and "login failed: 535" in (failed.results[0].error or "")


def test_missing_smtp_password_is_reported_before_sending(sqlite_database, monkeypatch):
    record_changes(sqlite_database)
    monkeypatch.delenv("AIPLUS_SMTP_PASSWORD", raising=False)
    with SmtpReceiver() as server:
        smtp = SmtpSettings(host="127.0.0.1", port=server.port, username="aiplus")
        [result] = deliver(sqlite_database, smtp, email=["analyst@example.org"]).results
        assert result.status == "failed" and "AIPLUS_SMTP_PASSWORD" in (result.error or "")
        assert server.received == []


# -- webhook and apprise ---------------------------------------------------------------------------------


def test_webhook_retries_until_accepted_once_with_a_valid_signature(database, monkeypatch):
    record_changes(database)
    monkeypatch.setenv("AIPLUS_WEBHOOK_SECRET", "hook-secret")
    with WebhookReceiver(statuses=[500]) as hook:
        report = deliver(database, webhook=[hook.url + "/hooks/aiplus"])
        assert report.ok, report.results
        first, second = hook.requests
        assert (first.status, second.status) == (500, 200)
        assert first.body == second.body and first.path == "/hooks/aiplus"
        assert first.headers["X-Aiplus-Delivery"] == second.headers["X-Aiplus-Delivery"]
        [accepted] = hook.accepted()
        expected = "sha256=" + hmac.new(b"hook-secret", accepted.body, hashlib.sha256).hexdigest()
        assert hmac.compare_digest(accepted.headers["X-Aiplus-Signature"], expected)
        assert accepted.headers["Content-Type"] == "application/json; charset=utf-8"
        data = json.loads(accepted.body.decode("utf-8"))
        assert data["counts"] == EXPECTED_COUNTS and data["title"].startswith("人工智能+ 政策摘要")
        assert len(data["change_ids"]) == 7

        # It arrived once: the next run has nothing new for the webhook and posts nothing.
        assert deliver(database, webhook=[hook.url + "/hooks/aiplus"]).results[0].status == "nothing"
        assert len(hook.requests) == 2


def test_webhook_without_secret_is_unsigned_and_client_errors_are_not_retried(sqlite_database, monkeypatch):
    record_changes(sqlite_database)
    monkeypatch.delenv("AIPLUS_WEBHOOK_SECRET", raising=False)
    with WebhookReceiver(statuses=[410]) as hook:
        [result] = deliver(sqlite_database, webhook=[hook.url + "/gone"]).results
        assert result.status == "failed" and result.error == "HTTP 410 Gone"
        assert len(hook.requests) == 1
        assert deliver(sqlite_database, webhook=[hook.url + "/gone"]).ok
        assert "X-Aiplus-Signature" not in hook.requests[-1].headers


def test_webhook_that_keeps_failing_keeps_its_changes(database):
    record_changes(database)
    with WebhookReceiver(statuses=[503, 503, 503]) as hook:
        url = hook.url + "/hooks/aiplus"
        [result] = deliver(database, webhook=[url], retries=2).results
        assert result.status == "failed" and result.error == "HTTP 503 Service Unavailable"
        assert len(hook.requests) == 3 and delivered(database, f"webhook:{url}") == set()
        assert deliver(database, webhook=[url], retries=2).ok  # the receiver is back
        assert len(json.loads(hook.accepted()[0].body)["change_ids"]) == 7


def test_apprise_json_url_delivers(sqlite_database):
    record_changes(sqlite_database)
    with WebhookReceiver() as receiver:
        report = deliver(sqlite_database, apprise=[f"json://127.0.0.1:{receiver.port}/apprise"])
        assert report.ok, report.results
        [request] = receiver.wait_for(1)
        data = json.loads(request.body.decode("utf-8"))
        assert data["title"].startswith("人工智能+ 政策摘要") and data["title"].endswith("1 removed")
        assert GOV_TITLE in data["message"] and "雷军" in data["message"] and GOV in data["message"]
        assert "<script>" not in data["message"]
        assert report.results[0].channel == f"apprise:json://127.0.0.1:{receiver.port}/apprise"


def test_apprise_failure_is_one_line_with_the_reason(sqlite_database):
    record_changes(sqlite_database)
    with WebhookReceiver(statuses=[500, 500]) as receiver:
        [result] = deliver(sqlite_database, apprise=[f"json://127.0.0.1:{receiver.port}/"], retries=1).results
        assert result.status == "failed" and "500" in (result.error or "")
        assert "\n" not in (result.error or "") and len(receiver.requests) == 2


# -- no loss, no repeats, one channel never holds back another ----------------------------------------


def test_one_failing_channel_loses_nothing_and_holds_back_no_other(database, tmp_path):
    record_changes(database)
    folder = tmp_path / "digests"
    with SmtpReceiver(refuse={"broken@example.org"}) as server, WebhookReceiver() as hook:
        smtp = SmtpSettings(host="127.0.0.1", port=server.port)
        channels = {
            "email": ["broken@example.org", "analyst@example.org"],
            "webhook": [hook.url + "/h"],
            "directory": str(folder),
        }
        first = deliver(database, smtp, **channels)
        status = {r.channel: r.status for r in first.results}
        assert status == {
            "email:broken@example.org": "failed",
            "email:analyst@example.org": "sent",
            f"webhook:{hook.url}/h": "sent",
            f"directory:{folder}": "sent",
        }
        assert "550" in (first.failed[0].error or "")
        assert [r.rcpt_tos for r in server.received] == [["analyst@example.org"]]

        add_page(database)  # one more change before the next run
        server.refuse()  # the mailbox works again
        second = deliver(database, smtp, **channels)
        assert second.ok
        assert {r.channel: r.changes for r in second.results} == {
            "email:broken@example.org": 8,  # everything it missed, and the new change
            "email:analyst@example.org": 1,  # only the new change
            f"webhook:{hook.url}/h": 1,
            f"directory:{folder}": 1,
        }
        assert [len(json.loads(r.body)["change_ids"]) for r in hook.requests] == [7, 1]
        [late] = [r.message for r in server.received if r.rcpt_tos == ["broken@example.org"]]
        late_text = late.get_body(("plain",)).get_content()
        assert "5 new, 2 changed, 1 removed" in late_text and late["Subject"].endswith(
            "5 new, 2 changed, 1 removed"
        )
        assert all(url in late_text for url in [*ALL_URLS, "https://www.miit.gov.cn/ai-plus.html"])
    all_ids = delivered(database, "email:analyst@example.org")
    assert delivered(database, "email:broken@example.org") == all_ids and len(all_ids) == 8


def test_a_never_delivered_channel_starts_when_the_digest_began(sqlite_database):
    record_changes(sqlite_database)
    digest = DigestSettings(name="daily", webhook=["http://127.0.0.1:9/unused"])
    from digest.delivery import plan_channels

    channels = channels_for(digest, SmtpSettings())
    with sqlite_database.session() as session:
        [plan] = plan_channels(session, digest, channels, start=T0 + timedelta(hours=4))
        assert sorted(c["kind"] for c in plan.changes) == ["changed", "changed", "removed"]
        [everything] = plan_channels(session, digest, channels)
        assert len(everything.changes) == 7


def test_a_change_recorded_after_a_later_delivery_is_still_delivered(sqlite_database, tmp_path):
    """A crawl records a page with its fetch time: a change can land after a digest that was
    composed later than that time. It is delivered next time, once."""
    record_changes(sqlite_database)
    digest = DigestSettings(name="daily", directory=str(tmp_path / "d"))
    channels = channels_for(digest, SmtpSettings())
    assert deliver_digest(sqlite_database, digest, channels, now=T0 + timedelta(hours=12)).ok
    add_page(sqlite_database, at=11)  # fetched before that delivery, recorded after it
    second = deliver_digest(sqlite_database, digest, channels, now=T0 + timedelta(hours=20))
    assert second.results[0].changes == 1
    third = deliver_digest(sqlite_database, digest, channels, now=T0 + timedelta(hours=30))
    assert third.results[0].status == "nothing"


def test_filters_choose_the_changes(sqlite_database, tmp_path):
    record_changes(sqlite_database)
    cases = {
        "kinds": (dict(kinds=["changed"]), 2),
        "sources": (dict(sources=["gov-cn"]), 2),
        "categories": (dict(categories=["safety_governance"]), 3),  # CAC page, GOV's mentions added
    }
    for name, (filters, expected) in cases.items():
        [result] = deliver(sqlite_database, name=name, directory=str(tmp_path / name), **filters).results
        assert result.changes == expected, name


# -- files and the feed ----------------------------------------------------------------------------


def test_directory_channel_writes_named_files_and_keeps_an_atom_feed(sqlite_database, tmp_path):
    record_changes(sqlite_database)
    folder = tmp_path / "digests"
    assert deliver(sqlite_database, directory=str(folder)).ok
    add_page(sqlite_database)
    assert deliver(sqlite_database, directory=str(folder), format="md").ok
    files = sorted(p.name for p in folder.iterdir())
    assert len(files) == 3 and files[-1] == "daily.atom"
    assert files[0].startswith("daily-") and files[0].endswith(".html") and files[1].endswith(".md")
    assert "&lt;script&gt;" in (folder / files[0]).read_text(encoding="utf-8")
    ns = {"a": "http://www.w3.org/2005/Atom"}
    feed = ET.parse(folder / "daily.atom").getroot()
    entries = feed.findall("a:entry", ns)
    assert [e.find("a:link", ns).get("href") for e in entries] == [files[1], files[0]]  # newest first
    assert entries[0].findtext("a:summary", namespaces=ns) == "1 new, 0 changed, 0 removed"
    assert len({e.findtext("a:id", namespaces=ns) for e in entries}) == 2
    assert feed.find("a:link[@rel='self']", ns).get("href") == "daily.atom"


def test_empty_digests_are_not_sent_unless_asked(sqlite_database, tmp_path):
    folder = tmp_path / "digests"
    assert deliver(sqlite_database, directory=str(folder)).results[0].status == "nothing"
    assert not folder.exists()
    assert deliver(sqlite_database, directory=str(folder), send_empty=True).results[0].status == "sent"
    [html] = folder.glob("*.html")
    assert "Nothing new, changed or removed." in html.read_text(encoding="utf-8")


def test_logs_hide_webhook_tokens_but_the_identity_keeps_them(sqlite_database, caplog):
    record_changes(sqlite_database)
    token = "T0KENabcdefghijklmnop1234567890"
    with WebhookReceiver(statuses=[400]) as hook, caplog.at_level(logging.INFO):
        url = f"{hook.url}/services/{token}?key=abcdef"
        [result] = deliver(sqlite_database, webhook=[url]).results
    assert result.status == "failed" and result.channel == f"webhook:{url}"
    assert token not in caplog.text and "abcdef" not in caplog.text
    assert f"webhook:http://127.0.0.1:{hook.port}/services/T0KE…?key=…" in caplog.text
    error_lines = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert len(error_lines) == 1 and "HTTP 400" in error_lines[0].getMessage()


# -- the command -----------------------------------------------------------------------------------


def test_digest_command_delivers_and_exits_1_when_a_channel_failed(database, db_url, tmp_path):
    record_changes(database)
    with SmtpReceiver(refuse={"broken@example.org"}) as server:
        config = tmp_path / "aiplus.toml"
        config.write_text(
            f'[storage]\nurl = "{db_url}"\n\n[smtp]\nhost = "127.0.0.1"\nport = {server.port}\n\n'
            '[[source]]\nname = "gov-cn"\nstart_urls = ["https://www.gov.cn/"]\n\n'
            '[[digest]]\nname = "daily"\nemail = ["broken@example.org", "analyst@example.org"]\n',
            encoding="utf-8",
        )
        run = CliRunner().invoke(cli, ["--config", str(config), "digest", "daily"])
        assert run.exit_code == 1
        assert "email:analyst@example.org: sent 7 change(s)" in run.output
        assert "email:broken@example.org: failed: SMTP" in run.output and "550" in run.output
        assert "1 of 2 channel(s) failed" in run.output and "Traceback" not in run.output

        server.refuse()
        again = CliRunner().invoke(cli, ["--config", str(config), "digest", "daily"])
        assert again.exit_code == 0, again.output
        assert "email:broken@example.org: sent 7 change(s)" in again.output
        assert "email:analyst@example.org: nothing new" in again.output
        assert [r.rcpt_tos for r in server.received] == [["analyst@example.org"], ["broken@example.org"]]
    with database.session() as session:
        assert session.scalar(select(func.count()).select_from(DigestDelivery)) == 14
