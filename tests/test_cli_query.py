"""The query commands against real databases: search, mentions, regulations, regulation, actors and
export; JSON and CSV for scripts, tables for people, and one clear line for every mistake."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from aiplus import cli_query
from aiplus.cli import cli, console
from storage import Database, DatabaseSettings, MentionRecord, record_page

from helpers import page

LABELING = "cn-ai-content-labeling-measures-2025"
ZH = "人工智能生成合成内容标识办法"
EN = "Measures for Labeling Artificial Intelligence-Generated Synthetic Content"
DRAFT_URL = "https://www.cac.gov.cn/2024-09/14/c_1727567886199789.htm"
FINAL_URL = "https://www.cac.gov.cn/2025-03/14/c_1743654684782215.htm"
NEWS_EN = "https://english.news.cn/20250306/leijun.htm"
NPC = "https://www.npc.gov.cn/2025/lianghui.htm"

REGULATIONS_TOML = f"""
[[regulation]]
id = "{LABELING}"
zh = "{ZH}"
en = "{EN}"
aliases = ["AI Content Labeling Measures"]
issuer = "国家互联网信息办公室"
category = "safety_governance"
"""
PERSONS_TOML = """
[[person]]
zh = "雷军"
en = "Lei Jun"
organization = "小米集团"
organization_en = "Xiaomi"
"""


@pytest.fixture
def data_dir(tmp_path, monkeypatch) -> Path:
    """The extractor's name lists, as the commands read them."""
    folder = tmp_path / "data"
    folder.mkdir()
    (folder / "regulations.toml").write_text(REGULATIONS_TOML, encoding="utf-8")
    (folder / "persons.toml").write_text(PERSONS_TOML, encoding="utf-8")
    monkeypatch.setattr(cli_query, "DATA_DIR", folder)
    return folder


@pytest.fixture(autouse=True)
def wide_tables(monkeypatch):
    """Tables as wide as they need to be, so that assertions can look for whole titles and URLs."""
    monkeypatch.setattr(console, "_width", 250)


@pytest.fixture
def config_file(db_url, tmp_path, data_dir) -> Path:
    path = tmp_path / "aiplus.toml"
    path.write_text(
        f'[storage]\nurl = "{db_url}"\narchive_dir = "{tmp_path / "archive"}"\n', encoding="utf-8"
    )
    db = Database.open(DatabaseSettings(url=db_url))
    draft = MentionRecord(kind="regulation", title=ZH, status="draft", canonical_id=LABELING)
    final = MentionRecord(kind="regulation", title=ZH, status="final", canonical_id=LABELING)
    with db.transaction() as session:
        record_page(
            session,
            page(
                DRAFT_URL,
                f"国家网信办起草了《{ZH}（征求意见稿）》，加强生成合成内容安全管理，现向社会公开征求意见。",
                at=0,
                source="cac",
                title="关于公开征求意见的通知",
                published=date(2024, 9, 14),
                language="zh",
                categories=["safety_governance"],
                mentions=[draft],
            ),
        )
        record_page(
            session,
            page(
                FINAL_URL,
                f"现将《{ZH}》印发给你们。大模型服务提供者应当落实安全责任。\n本办法自2025年9月1日起施行。",
                at=1,
                source="cac",
                title=f"关于印发《{ZH}》的通知",
                published=date(2025, 3, 14),
                language="zh",
                categories=["safety_governance"],
                mentions=[final],
            ),
        )
        record_page(
            session,
            page(
                NEWS_EN,
                f"Lei Jun proposed opening public data. China also released the {EN}.",
                at=2,
                source="xinhua-en",
                title="Deputies on data sharing",
                published=date(2025, 3, 6),
                language="en",
                categories=["data_sharing"],
                mentions=[
                    MentionRecord(
                        kind="proposal", actor="Lei Jun", summary="Open public data", category="data_sharing"
                    ),
                    MentionRecord(kind="regulation", title=EN, status="final"),
                ],
            ),
        )
        record_page(
            session,
            page(
                NPC,
                "雷军代表建议推动公共数据开放共享，发展大模型。",
                at=3,
                source="npc",
                title="两会代表建议",
                published=date(2025, 3, 5),
                language="zh",
                categories=["data_sharing"],
                mentions=[
                    MentionRecord(
                        kind="proposal",
                        actor="雷军",
                        organization="小米集团",
                        summary="建议推动公共数据开放共享",
                        category="data_sharing",
                    )
                ],
            ),
        )
    db.dispose()
    return path


def run(config_file: Path, *args: str) -> click.testing.Result:
    return CliRunner().invoke(cli, ["--config", str(config_file), *args], catch_exceptions=False)


def fails(config_file: Path, *args: str) -> str:
    """Run a command that must fail cleanly; returns its message."""
    result = CliRunner().invoke(cli, ["--config", str(config_file), *args])
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    assert result.output.startswith("Error: ")
    return result.output


# -- search --------------------------------------------------------------------------------------


def test_search_json_has_the_public_fields(config_file):
    result = run(config_file, "search", "安全", "--json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert {row["url"] for row in rows} == {DRAFT_URL, FINAL_URL}
    for row in rows:
        assert {"id", "url", "title", "source", "published", "snippet"} <= set(row)
        assert "**安全**" in row["snippet"]
        assert row["published"] in ("2024-09-14", "2025-03-14")


def test_search_words_filters_and_query_language(config_file):
    def urls(*args):
        result = run(config_file, "search", *args, "--json")
        assert result.exit_code == 0, result.output
        return {row["url"] for row in json.loads(result.output)}

    assert urls("大模型", "安全") == {FINAL_URL}  # words are ANDed, even as separate arguments
    assert urls("大模型 安全") == {FINAL_URL}
    assert urls("数据", "OR", "征求意见") == {DRAFT_URL, NPC}
    assert urls("安全 -征求意见") == {FINAL_URL}
    assert urls("安全", "-征求意见") == {FINAL_URL}  # an exclusion needs no quoting
    assert urls("-征求意见", "安全") == {FINAL_URL}
    assert urls("public", "-words", "--language", "en") == {NEWS_EN}
    assert urls('"public data"') == {NEWS_EN}
    assert urls("安全", "--since", "2025") == {FINAL_URL}
    assert urls("安全", "--until", "2024-09") == {DRAFT_URL}
    assert urls("安全", "--since", "2024-09-14", "--until", "2024-09-14") == {DRAFT_URL}
    assert urls("数据", "--category", "data_sharing") == {NPC}
    assert urls("data", "--language", "en") == {NEWS_EN}
    assert urls("安全", "--source", "npc") == set()
    assert len(urls("安全", "--limit", "1")) == 1


def test_search_csv_and_table(config_file):
    result = run(config_file, "search", "安全", "--csv")
    records = list(csv.DictReader(io.StringIO(result.output)))
    assert result.output.startswith("id,url,title,source,published,date,language,categories")
    assert {r["url"] for r in records} == {DRAFT_URL, FINAL_URL}
    table = run(config_file, "search", "安全")
    assert table.exit_code == 0 and "关于公开征求意见的通知" in table.output and "2 result(s)" in table.output
    nothing = run(config_file, "search", "区块链")
    assert nothing.exit_code == 0 and "Nothing found" in nothing.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (['"安全'], "unbalanced quote"),
        (["安全", "OR"], "OR needs a word or phrase on each side"),
        (["OR"], "OR needs a word or phrase on each side"),
        (["-安全"], "only excluded terms"),
        (["法"], "single Chinese character"),
        (["安全", "--since", "last tuesday"], "cannot read the time 'last tuesday'"),
        (["安全", "--since", "2024-13"], "cannot read the date '2024-13'"),
        (["安全", "--since", "2025", "--until", "2024"], "is after --until"),
    ],
)
def test_search_errors_are_one_clear_line(config_file, args, message):
    assert message in fails(config_file, "search", *args)


def test_search_mistyped_option_is_a_usage_error(config_file):
    result = CliRunner().invoke(cli, ["--config", str(config_file), "search", "安全", "--limt", "3"])
    assert result.exit_code == 2 and "No such option: --limt" in result.output


# -- mentions ------------------------------------------------------------------------------------


def test_mentions_by_actor_alias(config_file):
    for name in ("雷军", "Lei Jun", "lei jun"):
        result = run(config_file, "mentions", "--actor", name, "--json")
        assert result.exit_code == 0, result.output
        rows = json.loads(result.output)
        assert [(r["url"], r["actor"], r["date"]) for r in rows] == [
            (NPC, "雷军", "2025-03-05"),
            (NEWS_EN, "Lei Jun", "2025-03-06"),
        ], name
    by_org = json.loads(run(config_file, "mentions", "--org", "Xiaomi", "--json").output)
    assert [r["actor"] for r in by_org] == ["雷军"]


def test_mentions_filters_table_and_csv(config_file):
    regulations = json.loads(run(config_file, "mentions", "--kind", "regulation", "--json").output)
    assert [r["url"] for r in regulations] == [DRAFT_URL, NEWS_EN, FINAL_URL]
    cited = json.loads(
        run(config_file, "mentions", "--regulation", "AI Content Labeling Measures", "--json").output
    )
    assert [r["url"] for r in cited] == [DRAFT_URL, NEWS_EN, FINAL_URL]  # the English title is the same one
    data = json.loads(
        run(config_file, "mentions", "--category", "data_sharing", "--since", "2025-03-06", "--json").output
    )
    assert [r["actor"] for r in data] == ["Lei Jun"]
    table = run(config_file, "mentions", "--kind", "proposal")
    assert table.exit_code == 0 and "2 mention(s)" in table.output and "雷军 (小米集团)" in table.output
    rows = list(csv.DictReader(io.StringIO(run(config_file, "mentions", "--csv").output)))
    assert len(rows) == 5 and {"date", "kind", "url", "actor", "title", "status"} <= set(rows[0])
    assert "no regulation" in fails(config_file, "mentions", "--regulation", "不存在的办法")


# -- regulations ---------------------------------------------------------------------------------


def test_regulations_list(config_file):
    rows = json.loads(run(config_file, "regulations", "--json").output)
    assert [(r["id"], r["title"], r["status"], r["pages"]) for r in rows] == [(LABELING, ZH, "final", 3)]
    assert rows[0]["draft_first_seen"] == "2024-09-14" and rows[0]["final_first_seen"] == "2025-03-06"
    assert json.loads(run(config_file, "regulations", "--status", "draft", "--json").output) == []
    table = run(config_file, "regulations")
    assert table.exit_code == 0 and LABELING in table.output and EN in table.output


@pytest.mark.parametrize("reference", [LABELING, ZH, EN, "AI Content Labeling Measures"])
def test_regulation_timeline(config_file, reference):
    result = run(config_file, "regulation", reference, "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["id"] == LABELING and data["title"] == ZH and data["title_en"] == EN
    assert [(e["event"], e["date"]) for e in data["timeline"]] == [
        ("draft first seen", "2024-09-14"),
        ("final first seen", "2025-03-06"),
        ("effective", "2025-09-01"),
    ]
    assert [p["url"] for p in data["pages"]] == [DRAFT_URL, NEWS_EN, FINAL_URL]


def test_regulation_table_csv_and_unknown(config_file):
    table = run(config_file, "regulation", LABELING)
    assert table.exit_code == 0
    for text in (ZH, "draft first seen", "effective", "2025-09-01", DRAFT_URL):
        assert text in table.output
    pages = list(csv.DictReader(io.StringIO(run(config_file, "regulation", LABELING, "--csv").output)))
    assert [p["url"] for p in pages] == [DRAFT_URL, NEWS_EN, FINAL_URL]
    limited = json.loads(run(config_file, "regulation", LABELING, "--limit", "1", "--json").output)
    assert limited["page_count"] == 3 and len(limited["pages"]) == 1
    assert "no regulation '网络数据安全管理条例'" in fails(config_file, "regulation", "网络数据安全管理条例")


def test_regulation_without_name_lists(config_file, monkeypatch, tmp_path):
    """Without the data files (or with a broken one) the archive's own ids and titles still work."""
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "regulations.toml").write_text("[[regulation]\nid = ", encoding="utf-8")
    monkeypatch.setattr(cli_query, "DATA_DIR", broken)
    data = json.loads(run(config_file, "regulation", ZH, "--json").output)
    assert data["id"] == LABELING and len(data["pages"]) == 2  # the English report is not tied to it
    assert "no regulation" in fails(config_file, "regulation", "AI Content Labeling Measures")


# -- actors --------------------------------------------------------------------------------------


def test_actors(config_file):
    rows = json.loads(run(config_file, "actors", "--json").output)
    assert [(r["year"], r["actor"], r["category"], r["proposals"], r["pages"]) for r in rows] == [
        (2025, "雷军", "data_sharing", 2, 2)
    ]
    assert set(rows[0]["names"]) == {"雷军", "Lei Jun"}
    assert json.loads(run(config_file, "actors", "--year", "2024", "--json").output) == []
    table = run(config_file, "actors")
    assert table.exit_code == 0 and "建议推动公共数据开放共享" in table.output


# -- export --------------------------------------------------------------------------------------


def test_export_to_stdout(config_file):
    result = run(config_file, "export", "--format", "jsonl")
    documents = [json.loads(line) for line in result.output.splitlines()]
    assert result.exit_code == 0 and len(documents) == 4 and {"id", "url", "text"} <= set(documents[0])
    mentions = run(config_file, "export", "--format", "csv", "--table", "mentions", "--no-text")
    records = list(csv.DictReader(io.StringIO(mentions.output)))
    assert len(records) == 5 and records[0]["kind"] == "regulation"
    tagged = [json.loads(line) for line in run(config_file, "export", "--table", "all").output.splitlines()]
    assert {row["table"] for row in tagged} == {"documents", "versions", "mentions", "changes"}


def test_export_to_files(config_file, tmp_path):
    target = tmp_path / "one.jsonl"
    result = run(config_file, "export", "--table", "versions", "--out", str(target))
    assert result.exit_code == 0 and len(target.read_text(encoding="utf-8").splitlines()) == 4
    folder = tmp_path / "export"
    result = run(config_file, "export", "--format", "csv", "--table", "all", "--out", str(folder))
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in folder.iterdir()) == [
        "changes.csv",
        "documents.csv",
        "mentions.csv",
        "versions.csv",
    ]
    with open(folder / "changes.csv", encoding="utf-8", newline="") as handle:
        assert len(list(csv.DictReader(handle))) == 4


def test_export_errors(config_file, tmp_path):
    assert "CSV holds one table" in fails(config_file, "export", "--format", "csv", "--table", "all")
    a_file = tmp_path / "taken"
    a_file.write_text("x")
    assert "is a file" in fails(config_file, "export", "--table", "all", "--out", str(a_file))
    assert "cannot write" in fails(config_file, "export", "--out", str(tmp_path / "missing" / "x.jsonl"))


def test_query_commands_have_help():
    for name in ("search", "mentions", "regulations", "regulation", "actors", "export"):
        result = CliRunner().invoke(cli, [name, "--help"])
        assert result.exit_code == 0 and "Example" in result.output, name
