"""The command line against real databases: JSON output, tables, and clear errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from aiplus.cli import cli
from storage import Database, DatabaseSettings, MentionRecord, mark_gone, record_page

from helpers import T0, page

URL = "https://www.cac.gov.cn/2024-09/14/c_1727567886199789.htm"
DRAFT = MentionRecord(
    kind="regulation", title="人工智能生成合成内容标识办法", status="draft", canonical_id="labeling"
)
FINAL = MentionRecord(
    kind="regulation", title="人工智能生成合成内容标识办法", status="final", canonical_id="labeling"
)


@pytest.fixture
def config_file(db_url, tmp_path) -> Path:
    path = tmp_path / "aiplus.toml"
    path.write_text(
        f'[storage]\nurl = "{db_url}"\narchive_dir = "{tmp_path / "archive"}"\n', encoding="utf-8"
    )
    db = Database.open(DatabaseSettings(url=db_url))
    with db.transaction() as session:
        record_page(
            session,
            page(
                URL,
                "网信办起草了标识办法。征求意见。",
                at=0,
                source="cac",
                title="标识办法",
                mentions=[DRAFT],
            ),
        )
        record_page(
            session,
            page(
                URL,
                "网信办发布了标识办法。自2025年9月1日起施行。",
                at=24,
                source="cac",
                title="标识办法",
                mentions=[FINAL],
            ),
        )
        record_page(
            session, page("https://www.cac.gov.cn/gone.htm", "旧通知。", at=0, source="cac", title="旧通知")
        )
        mark_gone(session, "https://www.cac.gov.cn/gone.htm", T0 + timedelta(hours=25), reason="HTTP 410")
    db.dispose()
    return path


def run(config_file: Path, *args: str) -> click.testing.Result:
    result = CliRunner().invoke(cli, ["--config", str(config_file), *args], catch_exceptions=False)
    return result


def test_changes_json(config_file):
    result = run(config_file, "changes", "--json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert [r["kind"] for r in rows] == ["new", "new", "changed", "removed"]
    changed = rows[2]
    assert changed["status_changes"] == [
        {"title": "人工智能生成合成内容标识办法", "from": "draft", "to": "final"}
    ]
    assert "{+发布+}" in changed["diff"] or "发布" in changed["diff"]
    # Every change has a reason key; a removal says why, the others have null.
    assert [r["reason"] for r in rows] == [None, None, None, "HTTP 410"]


@pytest.fixture
def utc_local_time(monkeypatch):
    """Run with the machine's local time zone set to UTC (a WHEN without offset is local time)."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.mark.parametrize(
    ("since", "expected"),
    [
        # The change was detected at 2026-03-06 08:00 UTC, the removal at 09:00 UTC.
        ("2026-03-06", ["changed", "removed"]),
        ("2026-03-06T08:00:00", ["changed", "removed"]),
        ("2026-03-06T08:00:00+00:00", ["changed", "removed"]),
        ("2026-03-06T16:30:00+08:00", ["removed"]),
        ("2026-03-06T08:30:00Z", ["removed"]),
        ("2026-03-07", []),
    ],
)
def test_changes_since_accepts_iso_forms(config_file, utc_local_time, since, expected):
    result = run(config_file, "changes", "--since", since, "--json")
    assert result.exit_code == 0, result.output
    assert [r["kind"] for r in json.loads(result.output)] == expected


def test_changes_kind_filter_and_table(config_file):
    result = run(config_file, "changes", "--kind", "removed")
    assert result.exit_code == 0
    assert "removed" in result.output and "gone.htm" in result.output and "标识办法" not in result.output
    assert "gone: HTTP 410" in result.output


def test_changes_csv(config_file):
    result = run(config_file, "changes", "--csv", "--kind", "changed")
    lines = result.output.strip().splitlines()
    assert lines[0].startswith("id,kind,detected_at,source,url,title")
    assert lines[0].endswith(",reason")  # added last: the columns before keep their places
    assert "draft -> final" in lines[1]
    removed = run(config_file, "changes", "--csv", "--kind", "removed").output.strip().splitlines()
    assert removed[1].endswith(",HTTP 410")


def test_show_history_diff(config_file):
    shown = json.loads(run(config_file, "show", URL, "--json").output)
    assert shown["versions"] == 2 and shown["mentions"][0]["status"] == "final"
    assert "自2025年9月1日起施行" in shown["text"]
    history = json.loads(run(config_file, "history", str(shown["id"]), "--json").output)
    assert [v["change"] for v in history["versions"]] == ["new", "changed"]
    assert history["versions"][1]["status_changes"][0]["to"] == "final"
    diff = json.loads(run(config_file, "diff", URL, "--json").output)
    assert diff["from_version"] == 1 and diff["to_version"] == 2
    assert "[-起草-]" in diff["diff"] and "{+发布+}" in diff["diff"]
    gone = run(config_file, "history", "https://www.cac.gov.cn/gone.htm")
    assert "gone since" in gone.output
    table = run(config_file, "diff", URL)
    assert table.exit_code == 0 and "version 1 -> 2" in table.output


def test_unknown_document_is_a_clear_error(config_file):
    result = CliRunner().invoke(cli, ["--config", str(config_file), "show", "99999"])
    assert result.exit_code == 1
    assert "no document '99999'" in result.output
    bad_date = CliRunner().invoke(cli, ["--config", str(config_file), "changes", "--since", "last tuesday"])
    assert bad_date.exit_code == 1 and "cannot read the time" in bad_date.output


def test_every_command_has_help_text():
    def walk(group, prefix=()):
        for name, command in group.commands.items():
            yield (*prefix, name), command
            if isinstance(command, click.Group):
                yield from walk(command, (*prefix, name))

    for path, command in walk(cli):
        assert command.help and len(command.help) > 20, path
        result = CliRunner().invoke(cli, [*path, "--help"])
        assert result.exit_code == 0 and "Usage:" in result.output


def run_process(tmp_path: Path, config_text: str, *args: str) -> subprocess.CompletedProcess[str]:
    config = tmp_path / "aiplus.toml"
    config.write_text(config_text, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    return subprocess.run(
        [sys.executable, "-m", "aiplus", "--config", str(config), *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        cwd=tmp_path,
    )


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("nonsense://whatever", "cannot use database URL nonsense://whatever"),
        (
            "sqlite:////proc/aiplus-forbidden/aiplus.db",
            "cannot create the database folder /proc/aiplus-forbidden",
        ),
        (
            "postgresql+psycopg://nobody@127.0.0.1:1/aiplus",
            "cannot open database postgresql+psycopg://nobody@127.0.0.1:1",
        ),
    ],
)
def test_bad_database_is_one_clear_line_and_exit_1(tmp_path, url, message):
    result = run_process(tmp_path, f'[storage]\nurl = "{url}"\n', "changes")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines() == [f"Error: {result.stderr.strip()[7:]}"]
    assert message in result.stderr


def test_unwritable_database_file(tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where a folder should be")
    result = run_process(tmp_path, f'[storage]\nurl = "sqlite:///{blocker}/aiplus.db"\n', "changes")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "cannot create the database folder" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_bad_configuration_line_names_file_line_and_key(tmp_path):
    config = (
        '[storage]\nurl = "sqlite:///a.db"\n\n'
        '[[source]]\nname = "x"\nstart_urls = ["https://a.example/"]\nschedule = "every day"\n'
    )
    result = run_process(tmp_path, config, "changes")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert f"{tmp_path / 'aiplus.toml'}:7: [[source]] #1 'x' key 'schedule'" in result.stderr
