"""End to end: `aiplus run` against the bundled sample site crawls, digests and delivers to a real SMTP
server on 127.0.0.1; SIGTERM during a crawl exits cleanly (status 0, the crawl child stopped), and the
next start picks up where it stopped, without losing or repeating a change."""

from __future__ import annotations

import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
import tomllib
from pathlib import Path

import pytest
from smtp_receiver import SmtpReceiver

from crawler.sample_site import SampleSite, load_expected, sources_toml

REPO = Path(__file__).resolve().parents[1]
SOURCE = "sample-govcn"
SUBJECT = "人工智能+ 政策早报 {date}: {headline}"
RUN_OPTIONS = ["--stop-grace", "10"]

pytestmark = pytest.mark.slow


def write_config(folder: Path, base_url: str, smtp_port: int) -> Path:
    """One sample-site source, crawled slowly enough (one request at a time, 0.7 s apart) that a
    SIGTERM lands in the middle of it; one digest emailed to the test's SMTP server."""
    [source] = [s for s in tomllib.loads(sources_toml(base_url))["source"] if s["name"] == SOURCE]
    source["schedule"] = "*/30 * * * *"
    source_lines = "\n".join(
        f"{key} = {json.dumps(value, ensure_ascii=False)}" for key, value in source.items()
    )
    config = folder / "aiplus.toml"
    config.write_text(
        f'[storage]\nurl = "sqlite:///{folder / "aiplus.db"}"\narchive_dir = "{folder / "archive"}"\n\n'
        '[crawl]\nuser_agent = "aiplus-monitor e2e"\nconcurrency = 1\ndownload_delay = 0.7\n'
        "autothrottle = false\ntimeout = 10\nretries = 1\nretry_backoff = 0.2\n\n"
        f'[smtp]\nhost = "127.0.0.1"\nport = {smtp_port}\nsender = "aiplus@example.org"\n\n'
        f"[[source]]\n{source_lines}\n\n"
        '[[digest]]\nname = "morning"\nschedule = "0 8 * * *"\nemail = ["analyst@example.org"]\n'
        f'subject = "{SUBJECT}"\n',
        encoding="utf-8",
    )
    return config


class Scheduler:
    """`aiplus run --run-now` as its own process, its log in a file."""

    def __init__(self, config: Path, log: Path) -> None:
        self.log_path = log
        self.handle = log.open("w", encoding="utf-8")
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "aiplus",
                "--config",
                str(config),
                "run",
                "--run-now",
                "--stop-grace",
                "10",
            ],
            stdout=self.handle,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            env={**os.environ, "PYTHONPATH": str(REPO)},
        )

    @property
    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def wait_for(self, pattern: str, timeout: float = 60) -> re.Match[str]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            match = re.search(pattern, self.log)
            if match:
                return match
            if self.process.poll() is not None:
                break
            time.sleep(0.1)
        raise AssertionError(f"no {pattern!r} in the scheduler's log:\n{self.log[-5000:]}")

    def terminate(self, timeout: float = 30) -> int:
        self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(timeout)
        finally:
            self.handle.close()


def documents(database: Path) -> int:
    with sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=10) as connection:
        return int(connection.execute("SELECT count(*) FROM document").fetchone()[0])


def crawl_runs(database: Path) -> list[tuple[str, bool]]:
    with sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=10) as connection:
        rows = connection.execute("SELECT status, finished_at IS NOT NULL FROM crawl_run ORDER BY id")
        return [(status, bool(finished)) for status, finished in rows]


def alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().split(") ")[1][0] != "Z"
    except FileNotFoundError:
        return False


def wait_until(condition, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.1)


def bodies(received) -> tuple[str, str]:
    message = received.message
    text, html = message.get_body(("plain",)), message.get_body(("html",))
    assert text is not None and html is not None
    return text.get_content(), html.get_content()


def test_scheduler_crawls_digests_and_delivers_and_survives_sigterm(tmp_path):
    expected = load_expected()
    govcn_pages = [path for path in expected["relevant_state1"] if path.startswith("/govcn/")]
    with SampleSite(state=1) as site, SmtpReceiver() as smtp:
        config = write_config(tmp_path, site.base_url, smtp.port)
        database = tmp_path / "aiplus.db"

        # 1. Start, and stop with SIGTERM while the crawl is under way.
        first = Scheduler(config, tmp_path / "run1.log")
        child = int(first.wait_for(rf"crawl {SOURCE} started \(pid (\d+)\)").group(1))
        wait_until(lambda: database.exists() and documents(database) >= 1)
        assert documents(database) < len(govcn_pages), "the crawl finished before the test could stop it"
        assert first.terminate() == 0, first.log
        assert not alive(child)
        assert f"crawl {SOURCE} stopped at shutdown" in first.log
        assert "digest morning not sent: the scheduler is stopping" in first.log
        assert "Traceback" not in first.log and smtp.received == []
        assert crawl_runs(database) == [("ok", True)]  # the child stopped cleanly: its run is recorded

        schedule = subprocess.run(
            [sys.executable, "-m", "aiplus", "--config", str(config), "schedule", "--json"],
            capture_output=True,
            text=True,
            env={**os.environ, "PYTHONPATH": str(REPO)},
            check=True,
        )
        jobs = {job["id"]: job for job in json.loads(schedule.stdout)}
        assert {job_id: job["state"] for job_id, job in jobs.items()} == {
            f"crawl:{SOURCE}": "scheduled",
            "digest:morning": "scheduled",
        }

        # 2. The next start resumes: the crawl completes, the digest waits for it and is emailed.
        second = Scheduler(config, tmp_path / "run2.log")
        [received] = smtp.wait_for(1, timeout=60)
        second.wait_for(r"digest morning: 1 channel\(s\) sent")
        assert second.terminate() == 0, second.log
        assert f"crawl {SOURCE} finished in" in second.log and "Traceback" not in second.log
        assert crawl_runs(database) == [("ok", True), ("ok", True)]
        assert received.message["Subject"].startswith("人工智能+ 政策早报 ")
        assert received.message["Subject"].endswith(f": {len(govcn_pages)} new, 0 changed, 0 removed")
        text, html = bodies(received)
        for path in govcn_pages:  # every page: those of the interrupted crawl, and the rest
            assert site.url(path) in text and f'href="{site.url(path)}"' in html
        assert "国务院" in text and "国务院" in html

        # 3. The site changes; the next start reports only what is new since, and nothing twice.
        site.set_state(2)
        third = Scheduler(config, tmp_path / "run3.log")
        [_, latest] = smtp.wait_for(2, timeout=60)
        third.wait_for(r"digest morning: 1 channel\(s\) sent")
        assert third.terminate() == 0, third.log
        text, _ = bodies(latest)
        new_pages = [path for path in expected["new"] if path.startswith("/govcn/")]
        assert latest.message["Subject"].endswith(f": {len(new_pages)} new, 0 changed, 0 removed")
        assert all(site.url(path) in text for path in new_pages)
        assert not any(site.url(path) in text for path in govcn_pages)
