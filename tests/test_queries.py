"""Archive queries: changes since a time with filters, document history, diffs between versions."""

from __future__ import annotations

from datetime import timedelta

import pytest

from storage import MentionRecord, mark_gone, record_page
from storage.queries import NotFound, changes_since, document_history, find_document, version_diff
from storage.recording import note_missing_from_list

from helpers import T0, page

GOV = "https://www.gov.cn/zhengce/content/202508/content_7037861.htm"
NEWS = "https://news.example.cn/2024/03/07/ai.htm"
FARM = "https://www.gov.cn/zhengce/content/202402/content_farm.htm"
PROPOSAL = MentionRecord(
    kind="proposal",
    actor="雷军",
    organization="小米集团",
    category="data_sharing",
    summary="建议推动数据开放。",
)


@pytest.fixture
def archive(database):
    with database.transaction() as session:
        record_page(
            session, page(GOV, "意见全文。第一条。", at=0, source="gov", categories=["industry_application"])
        )
        record_page(session, page(NEWS, "两会报道。", at=1, source="news", categories=["model_development"]))
        record_page(session, page(FARM, "春耕备耕。", at=2, source="gov", categories=[]))
    with database.transaction() as session:
        record_page(
            session,
            page(NEWS, "两会报道。雷军建议推动数据开放。", at=30, source="news", mentions=[PROPOSAL]),
        )
        record_page(
            session,
            page(GOV, "意见全文。第一条。第二条。", at=31, source="gov", categories=["industry_application"]),
        )
        mark_gone(session, FARM, T0 + timedelta(hours=32))
    return database


def kinds_and_urls(rows):
    return [(row["kind"], row["url"]) for row in rows]


def test_changes_since_with_filters(archive):
    with archive.session() as session:
        everything = changes_since(session)
        recent = changes_since(session, T0 + timedelta(hours=24))
        changed_only = changes_since(session, kinds=["changed"])
        gov_only = changes_since(session, sources=["gov"])
        data_sharing = changes_since(session, categories=["data_sharing"])
        industry = changes_since(session, categories=["industry_application"], kinds=["changed"])
    assert len(everything) == 6
    assert kinds_and_urls(recent) == [("changed", NEWS), ("changed", GOV), ("removed", FARM)]
    assert kinds_and_urls(changed_only) == [("changed", NEWS), ("changed", GOV)]
    assert {row["url"] for row in gov_only} == {GOV, FARM}
    # The news page's change added a data_sharing proposal, though the page has no categories itself.
    assert kinds_and_urls(data_sharing) == [("changed", NEWS)]
    assert kinds_and_urls(industry) == [("changed", GOV)]


def test_change_json_has_the_public_fields(archive):
    with archive.session() as session:
        rows = changes_since(session, kinds=["changed"])
    news = rows[0]
    for key in ("id", "kind", "url", "title", "source", "detected_at", "mentions_added", "mentions_removed"):
        assert key in news
    assert news["detected_at"] == (T0 + timedelta(hours=30)).isoformat()
    assert news["mentions_added"][0]["actor"] == "雷军"
    assert news["status_changes"] == []
    assert "{+雷军建议推动数据开放。+}" in news["diff"] or "+ 雷军建议推动数据开放。" in news["diff"]


def test_removed_change_names_the_document(archive):
    with archive.session() as session:
        (removed,) = changes_since(session, kinds=["removed"])
    assert removed["url"] == FARM and removed["diff"] == "" and removed["old_version"] is not None


def test_removed_changes_say_why(database):
    """A removal carries its reason (the HTTP status, or the runs it was missing from its list);
    every other change has the key, as null."""
    with database.transaction() as session:
        for url in (GOV, NEWS, FARM):
            record_page(session, page(url, "全文。", at=0, source="gov"))
    with database.transaction() as session:
        mark_gone(session, GOV, T0 + timedelta(hours=1), reason="HTTP 404")
        mark_gone(session, NEWS, T0 + timedelta(hours=2), reason="HTTP 410")
    for run in range(3, 6):
        with database.transaction() as session:
            note_missing_from_list(session, FARM, T0 + timedelta(hours=run), gone_after_runs=3)
    with database.session() as session:
        rows = changes_since(session)
    assert [(r["kind"], r["reason"]) for r in rows] == [
        ("new", None),
        ("new", None),
        ("new", None),
        ("removed", "HTTP 404"),
        ("removed", "HTTP 410"),
        ("removed", "missing from the list for 3 runs"),
    ]
    assert all(r["diff"] == "" for r in rows)  # the reason is not a diff


def test_unknown_kind_is_an_error(archive):
    with archive.session() as session, pytest.raises(ValueError, match="unknown change kind"):
        changes_since(session, kinds=["deleted"])


def test_history_and_diff(archive):
    with archive.session() as session:
        document = find_document(session, GOV)
        assert find_document(session, str(document.id)).id == document.id
        history = document_history(session, document)
        old, new, diff = version_diff(session, document)
        _, _, same = version_diff(session, document, 1, 2)
        with pytest.raises(NotFound):
            version_diff(session, document, 1, 7)
        with pytest.raises(NotFound):
            find_document(session, "https://nowhere.example/")
    assert [(h.seq, h.change_kind) for h in history] == [(1, "new"), (2, "changed")]
    assert (old.seq, new.seq) == (1, 2)
    assert diff.added == ["第二条。"] and diff.removed == []
    assert same.render() == diff.render()


def test_diff_context_is_passed_through(archive):
    with archive.session() as session:
        document = find_document(session, GOV)
        _, _, around = version_diff(session, document, context=1)
        _, _, bare = version_diff(session, document, context=0)
    assert "  第一条。" in around.render().splitlines()
    assert bare.render().splitlines() == ["@@ paragraph 1 @@", "+ 第二条。"]
