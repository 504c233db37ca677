"""Regulations across the archive: one identity for Chinese and English names, the status timeline
(draft first seen, final first seen, effective date a page states), citing pages oldest first."""

from __future__ import annotations

from datetime import date

import pytest

from storage import MentionRecord, record_page
from storage.queries import NotFound
from storage.regulation_queries import (
    KnownRegulation,
    RegulationCatalog,
    effective_date_in,
    effective_statements,
    list_regulations,
    regulation_key,
    regulation_timeline,
    resolve_regulation,
)

from helpers import page

LABELING = "cn-ai-content-labeling-measures-2025"
ZH = "人工智能生成合成内容标识办法"
EN = "Measures for Labeling Artificial Intelligence-Generated Synthetic Content"
CATALOG = RegulationCatalog(
    [
        KnownRegulation(
            id=LABELING,
            zh=ZH,
            en=EN,
            aliases=("AI Content Labeling Measures",),
            issuer="国家互联网信息办公室",
            category="safety_governance",
        ),
        KnownRegulation(id="cn-genai-interim-measures-2023", zh="生成式人工智能服务管理暂行办法"),
    ]
)

DRAFT_PAGE = "https://www.cac.gov.cn/2024-09/14/c_1727567886199789.htm"
FINAL_PAGE = "https://www.cac.gov.cn/2025-03/14/c_1743654684782215.htm"
NEWS_EN = "https://english.news.cn/20250315/labeling.htm"
NEWS_ZH = "https://www.news.cn/20241001/biaoshi.htm"
GENAI = "https://www.cac.gov.cn/2023-07/13/c_1690898327029107.htm"


def regulation(title, status, canonical_id=None, snippet=None, **fields):
    return MentionRecord(
        kind="regulation", title=title, status=status, canonical_id=canonical_id, snippet=snippet, **fields
    )


@pytest.fixture
def archive(database):
    """The labeling measures: a draft (2024-09-14), a Chinese news page citing the draft and, in a
    later version, the final text, the final text itself (2025-03-14, stating its effective date),
    and an English report (no canonical id: the catalogue ties its title to the id)."""
    with database.transaction() as session:
        record_page(
            session,
            page(
                DRAFT_PAGE,
                f"国家网信办起草了《{ZH}（征求意见稿）》，现向社会公开征求意见。",
                at=0,
                source="cac",
                title="关于公开征求意见的通知",
                published=date(2024, 9, 14),
                mentions=[regulation(ZH, "draft", LABELING, issuer="国家互联网信息办公室")],
            ),
        )
        record_page(
            session,
            page(
                NEWS_ZH,
                f"网信办就《{ZH}（征求意见稿）》征求意见。",
                at=1,
                source="news",
                title="标识办法征求意见",
                published=date(2024, 10, 1),
                mentions=[regulation(f"{ZH}（征求意见稿）", "draft")],
            ),
        )
        record_page(
            session,
            page(
                GENAI,
                "《生成式人工智能服务管理暂行办法》自2023年8月15日起施行。",
                at=2,
                source="cac",
                title="生成式人工智能服务管理暂行办法",
                published=date(2023, 7, 13),
                mentions=[regulation("生成式人工智能服务管理暂行办法", "final")],
            ),
        )
    with database.transaction() as session:
        record_page(
            session,
            page(
                FINAL_PAGE,
                f"现将《{ZH}》印发给你们，请认真遵照执行。\n第十四条 本办法自2025年9月1日起施行。",
                at=30,
                source="cac",
                title=f"关于印发《{ZH}》的通知",
                published=date(2025, 3, 14),
                mentions=[regulation(ZH, "final", LABELING, snippet=f"现将《{ZH}》印发给你们")],
            ),
        )
        record_page(
            session,
            page(
                NEWS_EN,
                f"China released the {EN}. Separately, other rules took effect on May 1, 2025.",
                at=31,
                source="news-en",
                title="China issues labeling rules",
                published=date(2025, 3, 15),
                language="en",
                mentions=[regulation(EN, "final")],
            ),
        )
        # The Chinese news page, updated later (fetched 2026-03-07): it now cites the final text.
        record_page(
            session,
            page(
                NEWS_ZH,
                f"《{ZH}》已正式发布。",
                at=48,
                source="news",
                title="标识办法正式发布",
                published=date(2024, 10, 1),
                mentions=[regulation(ZH, "final")],
            ),
        )
    return database


def test_timeline_draft_then_final_and_effective_date(archive):
    with archive.session() as session:
        timeline = regulation_timeline(session, LABELING, CATALOG).to_dict()
    assert timeline["id"] == LABELING and timeline["title"] == ZH and timeline["title_en"] == EN
    assert timeline["status"] == "final"
    assert timeline["draft_first_seen"]["date"] == "2024-09-14"
    assert timeline["draft_first_seen"]["url"] == DRAFT_PAGE
    assert timeline["final_first_seen"]["date"] == "2025-03-14"
    assert timeline["final_first_seen"]["url"] == FINAL_PAGE
    assert timeline["effective"]["date"] == "2025-09-01"
    assert timeline["effective"]["url"] == FINAL_PAGE
    assert "2025年9月1日起施行" in timeline["effective"]["statement"]
    assert [e["event"] for e in timeline["timeline"]] == ["draft first seen", "final first seen", "effective"]
    # Pages oldest first, with the statuses each one has shown.
    assert [(p["url"], p["date"], p["statuses"]) for p in timeline["pages"]] == [
        (DRAFT_PAGE, "2024-09-14", ["draft"]),
        (NEWS_ZH, "2024-10-01", ["draft", "final"]),
        (FINAL_PAGE, "2025-03-14", ["final"]),
        (NEWS_EN, "2025-03-15", ["final"]),
    ]
    assert timeline["page_count"] == 4 and timeline["mentions"] == 5
    assert timeline["issuer"] == "国家互联网信息办公室" and timeline["category"] == "safety_governance"


@pytest.mark.parametrize(
    "reference",
    [
        LABELING,
        ZH,
        f"《{ZH}》",
        f"{ZH}（征求意见稿）",
        EN,
        EN.upper(),
        EN.replace("Labeling", "Labelling"),
        "AI Content Labeling Measures",
    ],
)
def test_any_name_finds_the_one_regulation(archive, reference):
    with archive.session() as session:
        timeline = regulation_timeline(session, reference, CATALOG)
    assert timeline.group.key == LABELING
    assert len(timeline.pages) == 4  # the English report without a canonical id is among them


def test_without_a_catalogue_titles_and_ids_in_the_archive_decide(archive):
    with archive.session() as session:
        by_id = regulation_timeline(session, LABELING)
        by_title = regulation_timeline(session, ZH)
        english = regulation_timeline(session, EN)
        genai = regulation_timeline(session, "《生成式人工智能服务管理暂行办法》")
    # The Chinese title is tied to the id by the mentions that carry it, the draft title with it.
    assert by_id.group.key == by_title.group.key == LABELING
    assert {p.url for p in by_id.pages} == {DRAFT_PAGE, NEWS_ZH, FINAL_PAGE}
    # Nothing ties the English title to the id: it is a regulation of its own.
    assert english.group.key == regulation_key(EN) and english.group.canonical_id is None
    assert [p.url for p in english.pages] == [NEWS_EN]
    assert english.effective is None  # "other rules took effect": not near this regulation's name
    assert genai.group.canonical_id is None
    assert genai.effective is not None and genai.effective.date == date(2023, 8, 15)


def test_unknown_regulation_is_not_found(archive):
    with archive.session() as session, pytest.raises(NotFound, match="no regulation '网络数据安全管理条例'"):
        resolve_regulation(session, "网络数据安全管理条例", CATALOG)
    with archive.session() as session, pytest.raises(NotFound):  # in the catalogue, never cited
        regulation_timeline(session, "cn-genai-interim-measures-2023-x", CATALOG)


def test_list_regulations(archive):
    with archive.session() as session:
        rows = list_regulations(session, CATALOG)
        drafts = list_regulations(session, CATALOG, statuses=["draft"])
        safety = list_regulations(session, CATALOG, categories=["safety_governance"])
        bare = list_regulations(session)
    assert [r["id"] for r in rows] == ["cn-genai-interim-measures-2023", LABELING]  # first seen order
    labeling = rows[1]
    assert labeling["title"] == ZH and labeling["title_en"] == EN
    assert set(labeling["names"]) == {ZH, f"{ZH}（征求意见稿）", EN}
    assert labeling["status"] == "final"
    assert (labeling["draft_first_seen"], labeling["final_first_seen"]) == ("2024-09-14", "2025-03-14")
    assert labeling["pages"] == 4 and labeling["mentions"] == 5
    assert drafts == [] and [r["id"] for r in safety] == [LABELING]
    # Without the catalogue the English title stands alone, and so does the unknown title.
    assert {r["id"] for r in bare} == {
        LABELING,
        regulation_key(EN),
        regulation_key("生成式人工智能服务管理暂行办法"),
    }
    assert next(r for r in bare if r["id"] == LABELING)["pages"] == 3


def test_final_status_on_an_old_page_is_dated_when_seen(database):
    """A page from 2024 that, fetched again later, cites the final text does not make the final text
    older than it is."""
    url = "https://www.news.cn/old.htm"
    with database.transaction() as session:
        record_page(
            session,
            page(
                url, "草案。", at=0, published=date(2024, 1, 1), mentions=[regulation(ZH, "draft", LABELING)]
            ),
        )
    with database.transaction() as session:
        record_page(
            session,
            page(
                url, "正式。", at=24, published=date(2024, 1, 1), mentions=[regulation(ZH, "final", LABELING)]
            ),
        )
    with database.session() as session:
        timeline = regulation_timeline(session, LABELING)
    assert timeline.draft is not None and timeline.draft.date == date(2024, 1, 1)
    assert timeline.final is not None and timeline.final.date == date(2026, 3, 6)  # the day it was fetched


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("本办法自2025年9月1日起施行。", date(2025, 9, 1)),
        ("本规定自 2023 年 8 月 15 日起正式实施", date(2023, 8, 15)),
        ("该标准将于2025年9月1日正式实施。", date(2025, 9, 1)),
        ("The Measures will take effect on September 1, 2025.", date(2025, 9, 1)),
        ("The rules take effect from 1 September 2025.", date(2025, 9, 1)),
        ("They came into force on Sept. 1st, 2025.", date(2025, 9, 1)),
        ("effective as of 2025-09-01", date(2025, 9, 1)),
        ("The Measures shall become effective on August 15, 2023", date(2023, 8, 15)),
        ("自2025年13月1日起施行", None),  # no such date
        ("2025年3月14日发布", None),  # published, not in force
        ("will take effect soon", None),
    ],
)
def test_effective_statements(text, expected):
    found = effective_statements(text)
    assert (found[0].date if found else None) == expected


def test_effective_date_belongs_to_the_regulation_named_near_it():
    text = f"《生成式人工智能服务管理暂行办法》已于2023年8月15日起施行。\n《{ZH}》自2025年9月1日起施行。"
    assert effective_date_in(text, [ZH]).date == date(2025, 9, 1)
    assert effective_date_in(text, ["生成式人工智能服务管理暂行办法"]).date == date(2023, 8, 15)
    assert effective_date_in(text, ["网络安全法"]) is None
    assert effective_date_in(text, ["网络安全法"], about_it=True).date == date(2023, 8, 15)
    # The next sentence when it refers back to the regulation; not when it is about something else.
    english = f"China released the {EN}. The Measures will take effect on September 1, 2025."
    assert effective_date_in(english, [EN]).date == date(2025, 9, 1)
    assert effective_date_in(f"It cites the {EN}. Other rules took effect on May 1, 2025.", [EN]) is None
    assert effective_date_in(f"《{ZH}》印发。该办法自2025年9月1日起施行。", [ZH]).date == date(2025, 9, 1)
    # The name after the statement, in the same sentence: 自...起施行的《...》
    assert effective_date_in(f"自2025年9月1日起施行的《{ZH}》要求", [ZH]).date == date(2025, 9, 1)
