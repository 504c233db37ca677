"""The crawler against a misbehaving local server: every fault is counted or flagged, the crawl goes on,
and nothing stored is lost. Crawls run as `aiplus crawl` child processes, as the scheduler runs them."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from faultserver import FaultServer, huge, page, redirect, sequence, slow, status
from sqlalchemy import func, select

from storage import Database, DatabaseSettings
from storage.models import Change, CrawlRun, Document, Version

REPO = Path(__file__).resolve().parents[1]


def article(title: str, *paragraphs: str) -> str:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        f"<html><head><meta charset='utf-8'><title>{title}_测试网</title></head><body>"
        "<div class='nav'><a href='/'>首页</a> <a href='/ai/'>人工智能</a></div>"
        f"<div id='content'><h1>{title}</h1>{body}</div>"
        "<div class='footer'>版权所有 测试网 京ICP备00000000号</div></body></html>"
    )


AI_TEXT = (
    "为深入实施“人工智能+”行动，推动人工智能与实体经济深度融合，加快大模型在制造业、政务服务等领域的应用。",
    "各地要加强算力基础设施建设，完善数据安全和个人信息保护制度，落实《生成式人工智能服务管理暂行办法》。",
)


def write_config(tmp_path: Path, db_url: str, sources: str, **crawl: object) -> Path:
    settings = {
        "obey_robots": True,
        "concurrency": 4,
        "download_delay": 0,
        "autothrottle": False,
        "timeout": 1.5,
        "retries": 1,
        "retry_backoff": 0.1,
        "max_response_bytes": 5_000_000,
        **crawl,
    }
    crawl_lines = "\n".join(f"{k} = {json.dumps(v)}" for k, v in settings.items())
    config = tmp_path / "aiplus.toml"
    config.write_text(
        f'[storage]\nurl = "{db_url}"\narchive_dir = "{tmp_path / "archive"}"\n\n[crawl]\n{crawl_lines}\n\n{sources}',
        encoding="utf-8",
    )
    return config


def child_environment() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(REPO)}


def run_crawl(config: Path, *args: str, timeout: float = 180) -> subprocess.CompletedProcess[str]:
    env = child_environment()
    return subprocess.run(
        [sys.executable, "-m", "aiplus", "--config", str(config), "crawl", "--json", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
    )


def summary(result: subprocess.CompletedProcess[str]) -> dict[str, dict]:
    return {row["source"]: row for row in json.loads(result.stdout)}


@pytest.fixture
def faulty_site():
    with FaultServer() as site:
        site.route("/robots.txt", page("User-agent: *\nDisallow: /articles/private/\n", "text/plain"))
        links = ["ok", "flaky", "slow", "loop", "broken", "huge", "private/secret", "farming"]
        site.route(
            "/list.htm",
            page(
                "<html><body><ul>"
                + "".join(f"<li><a href='/articles/{n}.htm'>{n}</a></li>" for n in links)
                + "</ul></body></html>"
            ),
        )
        site.route("/articles/ok.htm", page(article("关于推进人工智能+行动的通知", *AI_TEXT)))
        site.route(
            "/articles/flaky.htm", sequence(status(500), page(article("人工智能产业发展意见", *AI_TEXT)))
        )
        site.route("/articles/slow.htm", slow(4, page(article("慢页面", *AI_TEXT))))
        site.route("/articles/loop.htm", redirect("/articles/loop2.htm"))
        site.route("/articles/loop2.htm", redirect("/articles/loop.htm"))
        broken = (
            "<html><head><title>残缺页面<body><div id='content'><h1>人工智能安全治理<p>"
            + AI_TEXT[0]
            + "<p>"
            + AI_TEXT[1]
        )
        site.route("/articles/broken.htm", page(broken + "<div><table><tr><td>未闭合"))
        site.route("/articles/huge.htm", huge(50 * 1024 * 1024))
        site.route("/articles/private/secret.htm", page(article("不应抓取", *AI_TEXT)))
        site.route(
            "/articles/farming.htm",
            page(
                article(
                    "春耕备耕工作通知",
                    "各地要抓好春季农业生产，做好化肥、种子等农资储备。",
                    "加强农田水利建设，确保粮食稳产增产。",
                )
            ),
        )
        site.route("/down/list.htm", status(500))
        yield site


SOURCES = """
[[source]]
name = "faulty"
kind = "html"
start_urls = ["{base}/list.htm"]
follow = ['/articles/']
content = "#content"
language = "zh"

[[source]]
name = "down"
kind = "html"
start_urls = ["{base}/down/list.htm"]
follow = ['/articles/']
"""


def test_faults_are_counted_and_the_crawl_goes_on(faulty_site, db_url, tmp_path):
    config = write_config(tmp_path, db_url, SOURCES.format(base=faulty_site.base_url))
    first = run_crawl(config)
    assert first.returncode == 0, first.stderr
    # Without -v only warnings reach the terminal: Scrapy's per-response and per-item debug lines
    # (with whole page bodies) do not.
    assert " DEBUG " not in first.stderr and " INFO " not in first.stderr, first.stderr[:2000]
    assert "timed out" in first.stderr  # the warnings still do
    runs = summary(first)
    faulty, down = runs["faulty"], runs["down"]
    # ok, flaky (after one retry) and broken are recorded; the farming page is counted, not stored.
    assert (faulty["counts"]["new"], faulty["counts"]["irrelevant"]) == (3, 1)
    assert faulty_site.hits["/articles/flaky.htm"] == 2
    errors = "\n".join(faulty["errors"])
    assert "slow.htm: timed out" in errors
    assert "loop.htm" in errors and "huge.htm: response larger than the size cap" in errors
    assert faulty["counts"]["failed"] == 3 and faulty["status"] == "partial"
    assert faulty["counts"]["skipped"] >= 2  # robots.txt and the irrelevant page
    assert "/articles/private/secret.htm" not in faulty_site.hits
    assert down["status"] == "failed" and "HTTP 500" in down["errors"][0]

    db = Database.open(DatabaseSettings(url=db_url))
    try:
        with db.session() as session:
            urls = set(session.scalars(select(Document.url)))
            assert urls == {faulty_site.url(f"/articles/{n}.htm") for n in ("ok", "flaky", "broken")}
            broken_text = session.scalar(
                select(Version.text)
                .join(Document, Version.document_id == Document.id)
                .where(Document.url.like("%broken%"))
            )
            assert "人工智能" in broken_text and "实体经济" in broken_text
            assert all(v.archive_path for v in session.scalars(select(Version)))
            statuses = {r.status for r in session.scalars(select(CrawlRun))}
            assert statuses == {"partial", "failed"}
    finally:
        db.dispose()

    # Second run: the ok page is gone (404), the flaky page changed, the broken one did not.
    faulty_site.route("/articles/ok.htm", status(404))
    faulty_site.route(
        "/articles/flaky.htm",
        page(article("人工智能产业发展意见", *AI_TEXT, "新增：支持开源大模型生态建设。")),
    )
    second = run_crawl(config, "faulty")
    assert second.returncode == 0, second.stderr
    counts = summary(second)["faulty"]["counts"]
    assert (counts["removed"], counts["changed"], counts["unchanged"]) == (1, 1, 1)

    db = Database.open(DatabaseSettings(url=db_url))
    try:
        with db.session() as session:
            gone = session.scalar(select(Document).where(Document.url == faulty_site.url("/articles/ok.htm")))
            assert gone.state == "gone" and len(gone.versions) == 1  # kept, with its version
            kinds = sorted(session.scalars(select(Change.kind)))
            assert kinds == ["changed", "new", "new", "new", "removed"]
    finally:
        db.dispose()


def test_every_fetch_failing_exits_1(db_url, tmp_path):
    with FaultServer() as site:
        site.route("/list.htm", status(500))
        config = write_config(
            tmp_path, db_url, SOURCES.split('[[source]]\nname = "down"')[0].format(base=site.base_url)
        )
        result = run_crawl(config)
    assert result.returncode == 1
    assert "every source failed" in result.stderr and "Traceback" not in result.stderr


def many_articles_site(site: FaultServer, count: int, delay: float) -> None:
    site.route(
        "/list.htm",
        page(
            "<html><body>" + "".join(f"<a href='/a/{n}.htm'>{n}</a>" for n in range(count)) + "</body></html>"
        ),
    )
    for n in range(count):
        site.route(f"/a/{n}.htm", slow(delay, page(article(f"人工智能政策第{n}号", *AI_TEXT, f"编号{n}。"))))


def count_documents(db_url: str) -> int:
    db = Database(DatabaseSettings(url=db_url))
    try:
        with db.session() as session:
            return session.scalar(select(func.count()).select_from(Document)) or 0
    except Exception:
        return 0
    finally:
        db.dispose()


def child_processes(pid: int) -> list[int]:
    children: list[int] = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        children.extend(int(c) for c in (task / "children").read_text().split())
    return children


def alive(pid: int) -> bool:
    """Running, and not a zombie left for init to reap."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"


def describe(pid: int) -> str:
    """A lingering process's command line and what it waits in, for the failure message."""
    try:
        command = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        waiting = Path(f"/proc/{pid}/wchan").read_text()
    except OSError:
        return "gone"
    return f"{command[:160]} (waiting in {waiting or '?'})"


def test_a_worker_orphaned_before_it_started_still_exits(tmp_path):
    """The pool starts workers on demand, so a worker started just before its crawl is killed is
    already orphaned when its initializer runs. It must still notice and exit: a CI run once caught
    one that watched its new parent instead and waited for work forever."""
    dead_crawl = subprocess.Popen([sys.executable, "-c", "pass"])
    dead_crawl.wait()
    script = (
        "import sys, time\n"
        "from pathlib import Path\n"
        "from crawler.recording import init_worker\n"
        "from storage import DatabaseSettings\n"
        f"init_worker(DatabaseSettings(url='sqlite:///{tmp_path}/aiplus.db'), Path(r'{tmp_path}'),"
        " 'WARNING', int(sys.argv[1]))\n"
        "time.sleep(120)\n"
    )
    worker = subprocess.Popen(
        [sys.executable, "-c", script, str(dead_crawl.pid)],
        env=child_environment(),
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        _, stderr = worker.communicate(timeout=60)
    finally:
        worker.kill()
    assert worker.returncode == 0, stderr
    assert "is gone: recording worker" in stderr


def test_crawl_killed_midway_leaves_a_consistent_archive(db_url, tmp_path):
    from test_concurrency import assert_consistent

    with FaultServer() as site:
        many_articles_site(site, 120, 0.05)
        config = write_config(
            tmp_path,
            db_url,
            f'[[source]]\nname = "many"\nkind = "html"\nstart_urls = ["{site.base_url}/list.htm"]\n'
            "follow = ['/a/']\ncontent = \"#content\"\n",
            concurrency=2,
            # More workers than cores: the pool starts them on demand, some just before the kill.
            recording_workers=4,
        )
        env = child_environment()
        child = subprocess.Popen(
            [sys.executable, "-m", "aiplus", "--config", str(config), "crawl"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env=env,
        )
        deadline = time.monotonic() + 120
        while count_documents(db_url) < 20 and time.monotonic() < deadline and child.poll() is None:
            time.sleep(0.2)
        workers = child_processes(child.pid)
        assert workers, "the crawl records in worker processes"
        os.kill(child.pid, signal.SIGKILL)
        child.wait(timeout=30)
        # The recording workers notice that their crawl is gone and exit instead of lingering.
        deadline = time.monotonic() + 30
        while any(alive(pid) for pid in workers) and time.monotonic() < deadline:
            time.sleep(0.2)
        lingering = {pid: describe(pid) for pid in workers if alive(pid)}
        assert not lingering, f"recording workers outlived the killed crawl: {lingering}"
        recorded = count_documents(db_url)
        assert 20 <= recorded < 120

        db = Database.open(DatabaseSettings(url=db_url))
        try:
            assert_consistent(db)
        finally:
            db.dispose()

        rerun = run_crawl(config)
        assert rerun.returncode == 0, rerun.stderr
        counts = summary(rerun)["many"]["counts"]
        assert counts["new"] == 120 - recorded and counts["unchanged"] == recorded
        db = Database.open(DatabaseSettings(url=db_url))
        try:
            assert_consistent(db)
            with db.session() as session:
                runs = session.scalars(select(CrawlRun).order_by(CrawlRun.id)).all()
                assert [r.status for r in runs] == [
                    "failed",
                    "ok",
                ]  # the killed run is closed, not left running
                assert "interrupted" in runs[0].errors[0]
        finally:
            db.dispose()


def test_locked_database_is_a_clear_error_and_loses_nothing(tmp_path):
    import sqlite3

    db_path = tmp_path / "aiplus.db"
    db_url = f"sqlite:///{db_path}"
    with FaultServer() as site:
        site.route("/list.htm", page("<html><body><a href='/articles/a.htm'>a</a></body></html>"))
        site.route("/articles/a.htm", page(article("人工智能安全治理通知", *AI_TEXT)))
        config = write_config(
            tmp_path, db_url, SOURCES.split('[[source]]\nname = "down"')[0].format(base=site.base_url)
        )
        config.write_text(config.read_text().replace("archive_dir =", "busy_timeout = 0.5\narchive_dir ="))
        assert run_crawl(config).returncode == 0  # one page stored
        holder = sqlite3.connect(db_path, isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")  # another process keeps the write lock
        try:
            locked = run_crawl(config)
        finally:
            holder.execute("ROLLBACK")
            holder.close()
        assert locked.returncode == 1
        assert "Traceback" not in locked.stderr
        assert "is locked by another process" in locked.stderr.strip().splitlines()[-1]
        again = run_crawl(config)
    assert again.returncode == 0, again.stderr
    assert summary(again)["faulty"]["counts"]["unchanged"] == 1  # what was stored is still there
