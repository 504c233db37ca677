"""Mention queries: filters by kind, actor (any alias), organisation, category, regulation, source and
date; current versions or every version; who proposed what by year and category."""

from __future__ import annotations

from datetime import date

import pytest

from storage import MentionRecord, record_page
from storage.mention_queries import AliasTable, find_mentions, proposals_by_actor
from storage.regulation_queries import resolve_regulation

from helpers import page

PEOPLE = AliasTable([["雷军", "Lei Jun"], ["周鸿祎", "Zhou Hongyi"]])
ORGS = AliasTable([["小米集团", "Xiaomi"], ["360集团", "360 Group"]])

NPC_2025 = "https://www.npc.gov.cn/2025/lianghui.htm"
NEWS_EN = "https://english.news.cn/2025/leijun.htm"
NPC_2024 = "https://www.npc.gov.cn/2024/lianghui.htm"
EDITED = "https://www.news.cn/2025/edited.htm"


def proposal(actor, summary, category, organization=None, role=None):
    return MentionRecord(
        kind="proposal", actor=actor, organization=organization, role=role, summary=summary, category=category
    )


LEI_DATA = proposal("雷军", "建议推动公共数据开放共享", "data_sharing", "小米集团", "全国人大代表")
LEI_DATA_EN = proposal("Lei Jun", "Proposed opening public data to enterprises", "data_sharing", "Xiaomi")
LEI_MODELS = proposal("雷军", "建议支持大模型研发", "model_development", "小米集团")
ZHOU = proposal("周鸿祎", "建议加强大模型安全", "safety_governance", "360集团", "全国政协委员")
QI = proposal("齐向东", "建议加强数据安全", "safety_governance", "奇安信集团")
GENAI = MentionRecord(
    kind="regulation", title="生成式人工智能服务管理暂行办法", status="final", category="safety_governance"
)


@pytest.fixture
def archive(database):
    with database.transaction() as session:
        record_page(
            session,
            page(
                NPC_2025,
                "两会建议。",
                at=0,
                source="npc",
                published=date(2025, 3, 5),
                mentions=[LEI_DATA, ZHOU],
            ),
        )
        record_page(
            session,
            page(
                NEWS_EN,
                "Lei Jun proposals.",
                at=1,
                source="xinhua-en",
                published=date(2025, 3, 6),
                language="en",
                mentions=[LEI_DATA_EN, GENAI],
            ),
        )
        record_page(
            session,
            page(
                NPC_2024,
                "2024年建议。",
                at=2,
                source="npc",
                published=date(2024, 3, 4),
                mentions=[LEI_MODELS],
            ),
        )
        record_page(
            session, page(EDITED, "初稿。", at=3, source="news", published=date(2025, 3, 8), mentions=[QI])
        )
    with database.transaction() as session:  # the edited page no longer carries the proposal
        record_page(
            session,
            page(EDITED, "改稿。", at=30, source="news", published=date(2025, 3, 8), mentions=[GENAI]),
        )
    return database


def query(database, **filters):
    with database.session() as session:
        return list(find_mentions(session, **filters))


def pairs(rows):
    return [(row["url"], row["actor"] or row["title"]) for row in rows]


def test_actor_aliases_find_both_languages(archive):
    expected = [(NPC_2024, "雷军"), (NPC_2025, "雷军"), (NEWS_EN, "Lei Jun")]  # oldest page first
    assert pairs(query(archive, actors=["雷军"], aliases=PEOPLE)) == expected
    assert pairs(query(archive, actors=["Lei Jun"], aliases=PEOPLE)) == expected
    assert pairs(query(archive, actors=["lei jun"], aliases=PEOPLE)) == expected
    # Without the alias table a name is only itself.
    assert pairs(query(archive, actors=["雷军"])) == [(NPC_2024, "雷军"), (NPC_2025, "雷军")]
    assert pairs(query(archive, actors=["Lei Jun"])) == [(NEWS_EN, "Lei Jun")]
    assert query(archive, actors=["雷"], aliases=PEOPLE) == []  # whole names, not parts


def test_filters(archive):
    assert pairs(query(archive, kinds=["regulation"])) == [
        (NEWS_EN, "生成式人工智能服务管理暂行办法"),
        (EDITED, "生成式人工智能服务管理暂行办法"),
    ]
    assert pairs(query(archive, organizations=["xiaomi"], organization_aliases=ORGS)) == [
        (NPC_2024, "雷军"),
        (NPC_2025, "雷军"),
        (NEWS_EN, "Lei Jun"),
    ]
    assert pairs(query(archive, organizations=["360"])) == [(NPC_2025, "周鸿祎")]
    assert pairs(query(archive, kinds=["proposal"], categories=["data_sharing"], since=date(2024, 3, 5))) == [
        (NPC_2025, "雷军"),
        (NEWS_EN, "Lei Jun"),
    ]
    assert pairs(query(archive, until=date(2024, 12, 31))) == [(NPC_2024, "雷军")]
    assert pairs(query(archive, sources=["xinhua-en"], kinds=["proposal"])) == [(NEWS_EN, "Lei Jun")]
    assert len(query(archive, limit=2)) == 2
    with pytest.raises(ValueError, match="unknown mention kind"):
        query(archive, kinds=["rumour"])


def test_rows_carry_their_page_and_date(archive):
    [row] = query(archive, actors=["周鸿祎"])
    assert row["kind"] == "proposal" and row["organization"] == "360集团" and row["role"] == "全国政协委员"
    assert row["url"] == NPC_2025 and row["source"] == "npc" and row["date"] == "2025-03-05"
    assert row["published"] == "2025-03-05" and row["version"] == 1 and row["current"] is True
    assert row["fetched_at"].startswith("2026-03-05T08:00:00")


def test_current_versions_by_default_every_version_on_request(archive):
    assert query(archive, actors=["齐向东"]) == []
    [old] = query(archive, actors=["齐向东"], all_versions=True)
    assert old["url"] == EDITED and old["version"] == 1 and old["current"] is False
    assert len(query(archive, kinds=["regulation"], all_versions=True)) == 2


def test_regulation_filter(archive):
    with archive.session() as session:
        group = resolve_regulation(session, "《生成式人工智能服务管理暂行办法》")
        rows = list(find_mentions(session, regulation=group))
    assert [row["url"] for row in rows] == [NEWS_EN, EDITED]


def test_who_proposed_what(archive):
    with archive.session() as session:
        rows = proposals_by_actor(session, aliases=PEOPLE, organization_aliases=ORGS)
        lei_2025 = proposals_by_actor(session, actors=["Lei Jun"], years=[2025], aliases=PEOPLE)
        unmerged = proposals_by_actor(session, years=[2025], categories=["data_sharing"])
    assert [(r["year"], r["actor"], r["category"], r["proposals"], r["pages"]) for r in rows] == [
        (2024, "雷军", "model_development", 1, 1),
        (2025, "雷军", "data_sharing", 2, 2),
        (2025, "周鸿祎", "safety_governance", 1, 1),
    ]
    lei = rows[1]
    assert set(lei["names"]) == {"雷军", "Lei Jun"} and lei["organization"] == "小米集团"
    assert set(lei["summaries"]) == {LEI_DATA.summary, LEI_DATA_EN.summary}
    assert (lei["first"], lei["last"]) == ("2025-03-05", "2025-03-06")
    assert [(r["actor"], r["proposals"]) for r in lei_2025] == [("雷军", 2)]
    # Without aliases the two names are two people.
    assert sorted(r["actor"] for r in unmerged) == ["Lei Jun", "雷军"]


def test_alias_table_merges_groups_that_share_a_name():
    table = AliasTable([["雷军", "Lei Jun"], ["Lei Jun", "LEI Jun (Xiaomi)"]])
    assert set(table.names("雷军")) == {"雷军", "Lei Jun", "LEI Jun (Xiaomi)"}
    assert table.canonical("lei jun") == "雷军"
    assert table.names("周源") == ("周源",)
