"""Digests as readers see them: counts, sections by kind and category, mention lines, diff excerpts,
links and source health, in text, HTML, Markdown, JSON and Atom; page content that tries to be markup
stays text (also in a real headless Chromium); `aiplus digest` prints without sending."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
import xml.etree.ElementTree as ET
from datetime import UTC, datetime
from pathlib import Path

import lxml.html
import pytest
from click.testing import CliRunner

from aiplus.cli import cli
from digest.compose import compose
from digest.delivery import digest_of_changes
from digest.duplicates import same_document_groups
from digest.formats import diff_spans, format_names, markdown_text, render, safe_link
from storage import Database, MentionRecord, mark_gone, record_page
from storage.models import DigestDelivery
from storage.runs import finish_run, start_run

from helpers import page

SCRIPT_TITLE = "<script>alert(1)</script>"
HOSTILE = '<img src=x onerror="document.body.dataset.pwned=1">'

GOV = "https://www.gov.cn/zhengce/content/202508/content_7037861.htm"
CAC = "https://www.cac.gov.cn/2025-03/14/c_1743654684782215.htm"
NEWS = "https://www.chinanews.com.cn/tech/2025/08-26/10470133.shtml"
EN = "https://english.news.cn/20250827/ai-plus-guideline.html"
GOV_TITLE = "国务院关于深入实施“人工智能+”行动的意见"
REGULATION = "人工智能生成合成内容标识办法"

DRAFT = MentionRecord(
    kind="regulation",
    title=REGULATION,
    status="draft",
    issuer="国家互联网信息办公室",
    category="safety_governance",
)
FINAL = MentionRecord(
    kind="regulation",
    title=REGULATION,
    status="final",
    issuer="国家互联网信息办公室",
    category="safety_governance",
)
LEI_JUN = MentionRecord(
    kind="proposal",
    actor="雷军",
    organization="小米",
    role="全国人大代表",
    category="safety_governance",
    summary="加快完善人工智能安全治理",
)
HOSTILE_PROPOSAL = MentionRecord(
    kind="proposal", actor="某代表", category="model_development", summary=HOSTILE, snippet=HOSTILE
)

# What record_changes flags, and the lines a reader must find for it.
EXPECTED_COUNTS = {"new": 4, "changed": 2, "removed": 1}
EXPECTED_LINES = [
    f"regulation {REGULATION}: draft -> final",
    "new proposal: 雷军 (小米), safety governance: 加快完善人工智能安全治理",
]


def record_changes(database: Database, *, start: int = 0) -> None:
    """Changes of every kind, `start` hours after helpers.T0: four new pages (one titled like a
    script, one like an image with an onerror handler), two edited (a regulation moving from draft
    to final and a proposal by 雷军 added; an English sentence), one gone. Also a source whose last
    crawl failed and one whose last crawl found nothing."""
    with database.transaction() as s:
        record_page(
            s,
            page(
                GOV,
                f"{GOV_TITLE}。\n鼓励企业开展人工智能应用试点。\n落实《{REGULATION}（征求意见稿）》。",
                at=start,
                source="gov-cn",
                title=GOV_TITLE,
                published=datetime(2025, 8, 26).date(),
                language="zh",
                categories=["industry_application"],
                mentions=[DRAFT],
            ),
        )
        record_page(
            s,
            page(
                CAC,
                "国家网信办发布通知。",
                at=start + 1,
                source="cac",
                title=SCRIPT_TITLE,
                categories=["safety_governance"],
            ),
        )
        record_page(
            s,
            page(
                NEWS,
                f"一篇新闻。{HOSTILE}",
                at=start + 1,
                source="news-zh",
                title=HOSTILE,
                categories=["model_development"],
                mentions=[HOSTILE_PROPOSAL],
            ),
        )
        record_page(
            s,
            page(
                EN,
                "The State Council issued a guideline on AI+. It sets targets for 2030.",
                at=start + 1,
                source="news-en",
                title="China issues AI+ guideline",
                language="en",
                categories=["data_sharing"],
            ),
        )
    with database.transaction() as s:
        record_page(
            s,
            page(
                GOV,
                f"{GOV_TITLE}。\n鼓励企业全面推进人工智能应用试点。\n落实《{REGULATION}》。\n"
                "全国人大代表雷军建议，加快完善人工智能安全治理。",
                at=start + 5,
                source="gov-cn",
                title=GOV_TITLE,
                language="zh",
                categories=["industry_application"],
                mentions=[FINAL, LEI_JUN],
            ),
        )
        record_page(
            s,
            page(
                EN,
                "The State Council issued a guideline on AI+. It sets targets for 2027 and 2030.",
                at=start + 5,
                source="news-en",
                title="China issues AI+ guideline",
                language="en",
                categories=["data_sharing"],
            ),
        )
        mark_gone(s, NEWS, page(NEWS, "", at=start + 6).fetched_at, reason="HTTP 404")
    with database.transaction() as s:
        failed = start_run(s, "cac")
        finish_run(s, failed, {"failed": 3}, ["HTTP 503 on the list page"], status="failed")
        empty = start_run(s, "news-en")
        finish_run(s, empty, {}, [], status="ok")


@pytest.fixture
def sqlite_database(tmp_path):
    """An archive on SQLite only, for tests about presentation rather than storage."""
    from storage import DatabaseSettings

    db = Database.open(
        DatabaseSettings(url=f"sqlite:///{tmp_path / 'aiplus.db'}", archive_dir=tmp_path / "a")
    )
    yield db
    db.dispose()


@pytest.fixture
def digest(sqlite_database):
    record_changes(sqlite_database)
    return digest_of_changes(sqlite_database, since=None, name="daily")


# -- content ---------------------------------------------------------------------------------------


def test_text_digest_reads_in_a_minute(digest):
    text = render(digest, "text")
    assert "Changes: 4 new, 2 changed, 1 removed" in text
    sections = [line for line in text.splitlines() if line.startswith("== ")]
    assert sections == [
        "== New documents (4) ==",
        "== Changed documents (2) ==",
        "== Removed documents (1) ==",
        "== Source health ==",
    ]
    changed = text[text.index("== Changed documents") : text.index("== Removed documents")]
    # grouped by category, each with its link, mention lines, and a character-level diff excerpt
    assert "-- industry application --" in changed and "-- data sharing --" in changed
    assert GOV in changed and f"({'gov-cn'})" in changed
    for line in EXPECTED_LINES:
        assert line in changed
    assert "- 鼓励企业[-开展-]人工智能应用试点。" in changed
    assert "+ 鼓励企业{+全面推进+}人工智能应用试点。" in changed
    assert "+ It sets targets for {+2027 and +}2030." in changed  # word-level for English
    assert "cac: last crawl failed" in text and "HTTP 503 on the list page" in text
    assert "news-en: last crawl found nothing" in text
    removed = text[text.index("== Removed documents") : text.index("== Source health")]
    assert f"  {NEWS}  (news-zh)\n  gone: HTTP 404\n" in removed  # why it is gone


def test_removed_lines_say_why_in_every_format(digest):
    html = lxml.html.fromstring(render(digest, "html"))
    assert html.xpath("//h2[@class='removed']/following::ul[@class='lines']/li/text()")[0] == "gone: HTTP 404"
    assert "  - gone: HTTP 404" in render(digest, "md")
    data = json.loads(render(digest, "json"))
    (removed,) = [
        c for s in data["sections"] if s["kind"] == "removed" for g in s["groups"] for c in g["changes"]
    ]
    assert removed["reason"] == "HTTP 404" and removed["lines"] == ["gone: HTTP 404"]


def test_every_format_is_registered_and_renders(digest):
    assert set(format_names()) >= {"text", "html", "md", "json", "atom"}
    for kind in format_names():
        assert GOV_TITLE.replace("“", "").split("人工智能")[0] in render(digest, kind)


def test_html_keeps_page_content_inert(digest):
    html = render(digest, "html")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert SCRIPT_TITLE not in html
    assert "<img" not in html and "onerror=&#34;" in html
    tree = lxml.html.fromstring(html)
    assert not tree.xpath("//script | //img | //*[@onerror]")
    titles = [a.text_content() for a in tree.xpath("//p[@class='doc-title']/a")]
    assert SCRIPT_TITLE in titles and HOSTILE in titles
    # character-level marks become <del>/<ins>, with the sentence's text around them
    assert tree.xpath("//div[@class='minus']/del/text()") == ["开展", "（征求意见稿）"]
    assert "全面推进" in tree.xpath("//div[@class='plus']/ins/text()")
    # sections in order, categories in order within them, and only http(s) links
    assert [a.get("href") for a in tree.xpath("//a")] == [NEWS, EN, CAC, GOV, EN, GOV, NEWS]


def test_only_http_urls_become_links():
    assert safe_link("https://www.gov.cn/a.htm") == "https://www.gov.cn/a.htm"
    for url in ("javascript:alert(1)", "JaVaScRiPt:alert(1)", "data:text/html,<b>x</b>", "//evil", "", None):
        assert safe_link(url) is None
    change = {
        "id": 1,
        "kind": "new",
        "url": "javascript:alert(document.domain)",
        "title": "x",
        "source": "s",
        "categories": [],
    }
    html = render(compose("d", [change], generated_at=datetime.now(UTC)), "html")
    tree = lxml.html.fromstring(html)
    assert not tree.xpath("//a") and "javascript:alert(document.domain)" in tree.text_content()


def test_markdown_escapes_what_renderers_would_interpret(digest):
    md = render(digest, "md")
    assert "<script" not in md and "<img" not in md
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in md
    assert f"[{markdown_text(GOV_TITLE)}](<{GOV}>)" in md
    assert markdown_text("a *b* [c](d) `e` _f_") == r"a \*b\* \[c\](d) \`e\` \_f\_"
    assert "```diff" in md and "  - 鼓励企业[-开展-]人工智能应用试点。" in md


def test_json_format_carries_the_public_change_objects(digest):
    data = json.loads(render(digest, "json", title="AI+ 政策动态"))
    assert data["digest"] == "daily" and data["title"] == "AI+ 政策动态"
    assert data["counts"] == EXPECTED_COUNTS
    changes = [c for s in data["sections"] for g in s["groups"] for c in g["changes"]]
    assert [c["id"] for c in changes] == data["change_ids"] and len(changes) == 7
    gov_changed = next(c for c in changes if c["kind"] == "changed" and c["url"] == GOV)
    assert gov_changed["status_changes"] == [{"title": REGULATION, "from": "draft", "to": "final"}]
    assert set(EXPECTED_LINES) <= set(gov_changed["lines"])
    assert data["source_health"][0].startswith("cac: last crawl failed")


def test_atom_is_a_valid_feed_with_escaped_content(digest):
    feed = ET.fromstring(render(digest, "atom", title="AI+ 政策动态 · daily"))
    ns = {"a": "http://www.w3.org/2005/Atom"}
    assert feed.tag == "{http://www.w3.org/2005/Atom}feed"
    for required in ("a:id", "a:title", "a:updated", "a:author/a:name"):
        assert feed.find(required, ns) is not None, required
    entries = feed.findall("a:entry", ns)
    assert len(entries) == 1
    assert entries[0].findtext("a:title", namespaces=ns) == "AI+ 政策动态 · daily"
    content = entries[0].find("a:content", ns)
    assert content is not None and content.get("type") == "html"
    assert "&lt;script&gt;" in (content.text or "") and GOV_TITLE in (content.text or "")


def test_diff_spans_split_the_marks():
    assert diff_spans("- 鼓励企业[-开展-]试点。") == (
        "minus",
        [("", "- 鼓励企业"), ("del", "开展"), ("", "试点。")],
    )
    assert diff_spans("+ a {+b+} c") == ("plus", [("", "+ a "), ("ins", "b"), ("", " c")])
    assert diff_spans("... 3 more changed sentences")[0] == "note"


# -- in a real browser -------------------------------------------------------------------------------

CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_path() -> str:
    path = "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else shutil.which("chromium")
    if path:
        return path
    if os.environ.get("CI") == "true":
        pytest.fail("chromium is missing: .ci/run installs Debian's chromium package")
    pytest.skip("chromium is not installed (apt-get install chromium fonts-noto-cjk)")


def chromium(tmp_path: Path, page_file: Path, *args: str) -> str:
    profile = tempfile.mkdtemp(prefix="chromium-profile-", dir=tmp_path)
    result = subprocess.run(
        [chromium_path(), *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *args, page_file.as_uri()],
        capture_output=True,
        text=True,
        timeout=120,
        stdin=subprocess.DEVNULL,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout


def test_html_digest_in_headless_chromium(digest, tmp_path):
    """Hostile titles and snippets do not run in a real browser, and the Chinese text renders."""
    page_file = tmp_path / "digest.html"
    page_file.write_text(render(digest, "html"), encoding="utf-8")
    dom = chromium(tmp_path, page_file, "--dump-dom")
    tree = lxml.html.fromstring(dom)
    body = tree.find("body")
    assert body is not None and body.get("data-pwned") is None
    assert not tree.xpath("//script | //img | //*[@onerror]")
    texts = tree.xpath("//p[@class='doc-title']/a/text()")
    assert HOSTILE in texts and SCRIPT_TITLE in texts and GOV_TITLE in texts  # shown, as text
    assert "雷军 (小米)" in tree.text_content()  # UTF-8 decoded as such, not mojibake

    # The same check catches markup that does run: an unescaped copy is flagged at once.
    control = tmp_path / "control.html"
    control.write_text(
        f'<!DOCTYPE html><meta charset="utf-8"><body><p>{HOSTILE}</p></body>', encoding="utf-8"
    )
    assert (
        lxml.html.fromstring(chromium(tmp_path, control, "--dump-dom")).find("body").get("data-pwned") == "1"
    )

    screenshot = tmp_path / "digest.png"
    chromium(tmp_path, page_file, "--window-size=1000,1600", f"--screenshot={screenshot}")
    assert screenshot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_chinese_glyphs_render_in_chromium(tmp_path):
    """Two digests that differ only in their Chinese title render differently: with no CJK font both
    would show the same empty boxes. The screenshots stay in the test's temporary folder."""
    shots = []
    for title in ("人工智能治理", "数据要素市场"):
        change = {"id": 1, "kind": "new", "url": GOV, "title": title, "source": "gov-cn", "categories": []}
        digest = compose("daily", [change], generated_at=datetime(2026, 3, 5, 8, tzinfo=UTC))
        page_file = tmp_path / f"{title}.html"
        page_file.write_text(render(digest, "html"), encoding="utf-8")
        shot = tmp_path / f"{title}.png"
        chromium(tmp_path, page_file, "--window-size=800,300", f"--screenshot={shot}")
        shots.append(shot.read_bytes())
    assert shots[0] != shots[1], "Chinese text renders as identical boxes: install fonts-noto-cjk"


# -- the command -----------------------------------------------------------------------------------


def write_config(tmp_path: Path, db_url: str, digests: str = "") -> Path:
    config = tmp_path / "aiplus.toml"
    config.write_text(
        f'[storage]\nurl = "{db_url}"\narchive_dir = "{tmp_path / "archive"}"\n\n'
        '[[source]]\nname = "gov-cn"\nstart_urls = ["https://www.gov.cn/zhengce/zuixin/"]\n\n'
        '[[source]]\nname = "cac"\nstart_urls = ["https://www.cac.gov.cn/"]\n\n' + digests,
        encoding="utf-8",
    )
    return config


def invoke(config: Path, *args: str):
    return CliRunner().invoke(cli, ["--config", str(config), *args], catch_exceptions=False)


def test_digest_command_without_name_prints_all_changes(database, db_url, tmp_path):
    record_changes(database)
    config = write_config(tmp_path, db_url)
    result = invoke(config, "digest", "--since", "2026-03-01", "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["counts"] == EXPECTED_COUNTS
    assert data["source_health"] == [line for line in data["source_health"] if line.startswith("cac:")]
    assert invoke(config, "digest").stdout.count("Nothing new, changed or removed.") == 1  # last 24 h
    html = invoke(config, "digest", "--since", "2026-03-01", "--format", "html").stdout
    assert html.startswith("<!DOCTYPE html>") and "&lt;script&gt;" in html


def test_digest_dry_run_prints_and_neither_sends_nor_records(database, db_url, tmp_path):
    record_changes(database)
    out = tmp_path / "out"
    config = write_config(
        tmp_path,
        db_url,
        f'[[digest]]\nname = "daily"\ndirectory = "{out}"\nsubject = "AI+ 摘要 {{headline}}"\n',
    )
    result = invoke(config, "digest", "daily", "--dry-run", "--format", "md")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("# AI+ 摘要 4 new, 2 changed, 1 removed")
    assert f"directory:{out} would get 7 change(s)" in result.stderr
    assert not out.exists()
    with database.session() as session:
        assert session.query(DigestDelivery).count() == 0


# -- one document, published by several sources ---------------------------------------------------

NUMBER = "国信办通字〔2025〕2号"
OWN = MentionRecord(
    kind="regulation", title=REGULATION, doc_number=NUMBER, status="final", category="safety_governance"
)
SAME_DOCUMENT = {  # url: (source, title): three pages of one document, by title or by 文号
    "https://www.cac.gov.cn/2025-03/14/c_1743654684782215.htm": ("cac", f"关于印发《{REGULATION}》的通知"),
    "https://www.gov.cn/zhengce/zhengceku/202503/content_7014286.htm": ("gov-cn", REGULATION),
    "https://www.gov.cn/zhengce/content/202503/content_7014287.htm": ("gov-cn-latest", f"“{REGULATION}”"),
}
APART = {  # a report that only cites the 文号, and two unrelated pages with the same short title
    "https://www.news.cn/20250315/labeling.htm": ("xinhua", f"解读：{REGULATION}9月1日起施行"),
    "https://www.miit.gov.cn/notice.htm": ("miit", "通知"),
    "https://www.ndrc.gov.cn/notice.htm": ("ndrc", "通知"),
}


def record_same_document(database: Database) -> None:
    with database.transaction() as s:
        for hour, (url, (source, title)) in enumerate([*SAME_DOCUMENT.items(), *APART.items()]):
            mentions = [OWN] if source not in ("miit", "ndrc") else []
            record_page(
                s,
                page(
                    url,
                    f"{title}。正文第{hour}页。",
                    at=hour,
                    source=source,
                    title=title,
                    categories=["safety_governance"],
                    mentions=mentions,
                ),
            )


def test_one_document_from_several_sources_is_one_entry(database, db_url, tmp_path):
    record_same_document(database)
    config = write_config(tmp_path, db_url)
    data = json.loads(invoke(config, "digest", "--since", "2026-03-01", "--format", "json").stdout)
    assert data["counts"] == {"new": 6, "changed": 0, "removed": 0}  # changes, as flagged
    [new] = data["sections"]
    entries = [c for g in new["groups"] for c in g["changes"]]
    cac, gov, latest = SAME_DOCUMENT
    assert [(e["url"], [a["url"] for a in e["also"]]) for e in entries] == [
        (cac, [gov, latest]),
        *((url, []) for url in APART),
    ]
    assert entries[0]["also"][0]["source"] == "gov-cn" and entries[0]["also"][1]["kind"] == "new"
    # Every change is still reported: the entry's and those of its other pages.
    ids = [e["id"] for e in entries] + [a["id"] for e in entries for a in e["also"]]
    assert sorted(data["change_ids"]) == sorted(ids) and len(set(ids)) == 6

    text = invoke(config, "digest", "--since", "2026-03-01").stdout
    assert text.count(f"* 关于印发《{REGULATION}》的通知") == 1 and text.count("\n* ") == 4
    assert (
        f"  {cac}  (cac)\n  {gov}  (gov-cn: {REGULATION})\n  {latest}  (gov-cn-latest: “{REGULATION}”)\n"
        in text
    )
    assert text.count(f"new regulation: {REGULATION} {NUMBER} (final)") == 2  # the entry, the report

    html = invoke(config, "digest", "--since", "2026-03-01", "--format", "html").stdout
    hrefs = [a.get("href") for a in lxml.html.fromstring(html).xpath("//a")]
    assert hrefs == [cac, gov, latest, *APART]  # every page of the document is a link


@pytest.mark.parametrize(
    ("first", "second", "same"),
    [
        (
            ("国务院关于深入实施“人工智能+”行动的意见", None),
            ("国务院关于深入实施'人工智能+'行动的意见", None),
            True,
        ),
        (
            ("国务院关于深入实施人工智能+行动的意见（国发〔2025〕11号）", None),
            ("国务院关于深入实施人工智能+行动的意见", None),
            True,
        ),
        (
            ("Measures for Labeling AI-Generated Content", None),
            ("measures for labeling  AI-generated content", None),
            True,
        ),
        (
            ("人工智能+行动意见全文", "国发〔2025〕11号"),
            ("国务院关于深入实施人工智能+行动的意见", "国发（2025）11号"),
            True,
        ),
        ((f"关于印发《{REGULATION}》的通知", NUMBER), (REGULATION, "国信办通字[2025]2号"), True),
        ((REGULATION, NUMBER), (f"解读《{REGULATION}》", NUMBER), False),  # the report only cites it
        (("政策解读", None), ("政策解读", None), False),  # too short to tell documents apart
    ],
    ids=["quotes", "trailing-number", "english-case", "same-number", "issuing-notice", "cited", "short"],
)
def test_which_new_pages_are_the_same_document(first, second, same):
    def change(number: int, title: str, doc_number: str | None) -> dict:
        own = [
            {"kind": "regulation", "title": title.split("《")[-1].split("》")[0], "doc_number": doc_number}
        ]
        return {"id": number, "title": title, "mentions_added": own if doc_number else []}

    groups = same_document_groups([change(1, *first), change(2, *second)])
    assert [[c["id"] for c in group] for group in groups] == ([[1, 2]] if same else [[1], [2]])


def test_grouped_pages_are_each_recorded_as_delivered(database, db_url, tmp_path):
    record_same_document(database)
    out = tmp_path / "out"
    config = write_config(
        tmp_path, db_url, f'[[digest]]\nname = "daily"\ndirectory = "{out}"\nformat = "md"\n'
    )
    result = invoke(config, "digest", "daily", "--since", "2026-03-01")
    assert result.exit_code == 0, result.output
    [written] = out.glob("daily-*.md")
    markdown = written.read_text(encoding="utf-8")
    assert markdown.count("\n- ") == 4 and markdown.count("  - also ") == 2
    with database.session() as session:
        assert session.query(DigestDelivery).count() == 6
    again = invoke(config, "digest", "daily", "--since", "2026-03-01")
    assert again.exit_code == 0 and len(list(out.glob("daily-*.md"))) == 1  # nothing sent twice


@pytest.mark.parametrize(
    ("digest_table", "message"),
    [
        ('format = "pdf"', "unknown digest format 'pdf'"),
        ('subject = "{title}"', "unknown placeholder(s) title"),
        ('apprise = ["nosuchservice://token"]', "apprise cannot use the URL with scheme 'nosuchservice'"),
        ('webhook = ["https://a.example/x", "https://a.example/x"]', "listed twice"),
    ],
    ids=["format", "subject", "apprise-url", "duplicate"],
)
def test_bad_channel_configuration_fails_before_anything_runs(tmp_path, digest_table, message):
    config = write_config(
        tmp_path, f"sqlite:///{tmp_path / 'a.db'}", f'[[digest]]\nname = "daily"\n{digest_table}\n'
    )
    for command in (["digest", "daily"], ["run"], ["schedule"]):
        result = CliRunner().invoke(cli, ["--config", str(config), *command])
        assert result.exit_code == 1, (command, result.output)
        assert message in result.output and "Traceback" not in result.output
