"""Change detection against real databases (SQLite and PostgreSQL): what is new, changed, unchanged
or gone, and what the change rows say."""

from __future__ import annotations

from sqlalchemy import func, select

from storage import MentionRecord, mark_gone, record_not_modified, record_page
from storage.diffing import strip_markers
from storage.models import Change, Document, Mention, Version
from storage.recording import note_missing_from_list

from helpers import corpus_file, page

URL = "https://www.gov.cn/zhengce/content/202508/content_7037861.htm"

ARTICLE = """国务院关于深入实施“人工智能+”行动的意见
国发〔2025〕11号
各省、自治区、直辖市人民政府，国务院各部委、各直属机构：
为深入实施“人工智能+”行动，推动人工智能与经济社会各行业各领域广泛深度融合，现提出如下意见。
加快实施“人工智能+”科学技术，加速科学发现进程。
国务院
2025年8月21日"""

LABELING_DRAFT = MentionRecord(
    kind="regulation",
    title="人工智能生成合成内容标识办法（征求意见稿）",
    canonical_id="cn-ai-labeling-measures",
    issuer="国家互联网信息办公室",
    status="draft",
    category="safety_governance",
)
LABELING_FINAL = MentionRecord(
    kind="regulation",
    title="人工智能生成合成内容标识办法",
    canonical_id="cn-ai-labeling-measures",
    issuer="国家互联网信息办公室",
    status="final",
    category="safety_governance",
)
GENAI = MentionRecord(
    kind="regulation",
    title="《生成式人工智能服务管理暂行办法》",
    status="final",
    category="safety_governance",
)
ZHOU = MentionRecord(
    kind="proposal",
    actor="周鸿祎",
    organization="360集团",
    role="全国政协委员",
    category="safety_governance",
    summary="建议制定大模型安全评估标准。",
)


def counts(session):
    return {
        "documents": session.scalar(select(func.count()).select_from(Document)),
        "versions": session.scalar(select(func.count()).select_from(Version)),
        "changes": session.scalar(select(func.count()).select_from(Change)),
    }


def test_same_page_twice_is_one_version_and_no_change(database):
    with database.transaction() as session:
        first = record_page(session, page(URL, ARTICLE, at=0, title="意见"))
    with database.transaction() as session:
        second = record_page(session, page(URL, ARTICLE, at=6, title="意见"))
    assert (first.status, second.status) == ("new", "unchanged")
    assert second.change_id is None and second.version_id == first.version_id
    with database.session() as session:
        assert counts(session) == {"documents": 1, "versions": 1, "changes": 1}  # the "new" change only
        document = session.get(Document, first.document_id)
        assert document.last_seen > document.first_seen == document.last_changed


def test_noise_only_differences_are_no_change(database):
    noisy_1 = (
        "今天是2026年3月5日 星期四\n浏览次数：1,024\n【打印】【关闭窗口】\n"
        + ARTICLE
        + "\n分享到： 微信 微博 QQ空间\n当前时间：2026-03-05 08:00:01"
    )
    noisy_2 = (
        "今天是2026年3月6日 星期五\n浏览次数：2,311\n【打印】 【关闭窗口】\n"
        + ARTICLE.replace("\n", "\n\n   ").replace("，", " ， ")
        + "\n分享到：微信 微博\n当前时间：2026-03-06 09:15:44"
    )
    with database.transaction() as session:
        record_page(session, page(URL, noisy_1, at=0))
    with database.transaction() as session:
        outcome = record_page(session, page(URL, noisy_2, at=24))
    assert outcome.status == "unchanged"
    with database.session() as session:
        assert counts(session)["versions"] == 1
        stored = session.scalar(select(Version.text))
        assert "浏览次数" not in stored and "今天是" not in stored and "分享到" not in stored
        assert "国发〔2025〕11号" in stored


def test_source_ignore_patterns_are_applied(database):
    from storage import TextNormalizer

    normalizer = TextNormalizer(ignore=[r"责任编辑[:：]\S+"])
    with database.transaction() as session:
        record_page(session, page(URL, ARTICLE + "\n责任编辑：张三", at=0), normalizer)
    with database.transaction() as session:
        outcome = record_page(session, page(URL, ARTICLE + "\n责任编辑：李四", at=1), normalizer)
    assert outcome.status == "unchanged"


def test_one_sentence_changed_in_a_long_chinese_page(database):
    report = corpus_file("gov_work_report_2024_fulltext.txt").read_text(encoding="utf-8")[:10_000]
    old_sentence = "开展“人工智能+”行动，打造具有国际竞争力的数字产业集群。"
    assert old_sentence in report
    new_sentence = "开展“人工智能+”行动，加快打造具有国际竞争力的数字产业集群和人工智能产业高地。"
    edited = report.replace(old_sentence, new_sentence)
    with database.transaction() as session:
        record_page(session, page(URL, report, at=0))
    with database.transaction() as session:
        outcome = record_page(session, page(URL, edited, at=6))
    assert outcome.status == "changed"
    with database.session() as session:
        changes = session.scalars(select(Change).where(Change.kind == "changed")).all()
        assert len(changes) == 1
        diff = changes[0].diff
    removed = [line[2:] for line in diff.splitlines() if line.startswith("- ")]
    added = [line[2:] for line in diff.splitlines() if line.startswith("+ ")]
    # The report's sentence starts earlier ("深化大数据、人工智能等研发应用，开展..."): the diff shows
    # exactly that one sentence, before and after, with the edit marked inside it.
    assert len(removed) == len(added) == 1
    assert strip_markers(removed[0]).endswith(old_sentence)
    assert strip_markers(added[0]).endswith(new_sentence)
    assert strip_markers(added[0]) == strip_markers(removed[0]).replace(old_sentence, new_sentence)
    assert "{+加快+}" in added[0] and "{+和人工智能产业高地+}" in added[0]
    assert len(diff) < 600  # context, not the page


def test_english_diff_is_word_level(database):
    old = "The measures take effect on 15 August 2023. Providers must label generated content."
    new = "The measures take effect on 1 September 2025. Providers must label generated content."
    with database.transaction() as session:
        record_page(session, page(URL, old, at=0, language="en"))
        outcome = record_page(session, page(URL, new, at=1, language="en"))
    with database.session() as session:
        diff = session.get(Change, outcome.change_id).diff
    assert "- The measures take effect on [-15 August 2023-]." in diff
    assert "+ The measures take effect on {+1 September 2025+}." in diff


def test_mention_added_removed_and_status_move_are_in_the_change_row(database):
    with database.transaction() as session:
        first = record_page(session, page(URL, ARTICLE, at=0, mentions=[LABELING_DRAFT, GENAI]))
    assert [m.title for m in first.mentions_added] == [LABELING_DRAFT.title, GENAI.title]
    text_2 = ARTICLE + "\n全国政协委员周鸿祎建议制定大模型安全评估标准。"
    with database.transaction() as session:
        second = record_page(session, page(URL, text_2, at=1, mentions=[LABELING_FINAL, ZHOU]))
    assert second.status == "changed"
    with database.session() as session:
        change = session.get(Change, second.change_id)
        assert [m["actor"] for m in change.mentions_added] == ["周鸿祎"]
        assert change.mentions_added[0]["organization"] == "360集团"
        assert [m["title"] for m in change.mentions_removed] == ["《生成式人工智能服务管理暂行办法》"]
        assert change.status_changes == [
            {
                "title": "人工智能生成合成内容标识办法",
                "key": "regulation:cn-ai-labeling-measures",
                "from": "draft",
                "to": "final",
            }
        ]
        # The mentions of each version are kept with it.
        assert session.scalar(select(func.count()).where(Mention.version_id == first.version_id)) == 2
        assert session.scalar(select(func.count()).where(Mention.version_id == second.version_id)) == 2


def test_mentions_are_matched_by_stable_key_across_versions(database):
    spaced = MentionRecord(kind="regulation", title="“生成式人工智能服务管理暂行办法”", status="final")
    with database.transaction() as session:
        record_page(session, page(URL, ARTICLE, at=0, mentions=[GENAI]))
        outcome = record_page(session, page(URL, ARTICLE + "\n新增一句。", at=1, mentions=[spaced]))
    assert outcome.mentions_added == [] and outcome.mentions_removed == []


def test_gone_documents_keep_every_version(database):
    with database.transaction() as session:
        record_page(session, page(URL, ARTICLE, at=0))
        record_page(session, page(URL, ARTICLE + "\n补充说明。", at=1))
    with database.transaction() as session:
        change_id = mark_gone(session, URL, page(URL, "", at=2).fetched_at, reason="HTTP 404")
        again = mark_gone(session, URL, page(URL, "", at=3).fetched_at)
    assert change_id is not None and again is None  # flagged once
    with database.session() as session:
        document = session.scalar(select(Document))
        assert document.state == "gone"
        assert [v.seq for v in document.versions] == [1, 2]
        removal = session.get(Change, change_id)
        assert removal.kind == "removed" and removal.old_version_id == document.current_version_id
    # It comes back unchanged: live again, nothing lost, no new version.
    with database.transaction() as session:
        outcome = record_page(session, page(URL, ARTICLE + "\n补充说明。", at=4))
    assert outcome.status == "unchanged"
    with database.session() as session:
        document = session.scalar(select(Document))
        assert document.state == "live" and len(document.versions) == 2


def test_missing_from_list_for_n_runs_is_removed(database):
    with database.transaction() as session:
        record_page(session, page(URL, ARTICLE, at=0))
    results = []
    for run in range(1, 4):
        with database.transaction() as session:
            results.append(
                note_missing_from_list(session, URL, page(URL, "", at=run).fetched_at, gone_after_runs=3)
            )
    assert results[:2] == [None, None] and results[2] is not None
    with database.session() as session:
        assert session.scalar(select(Document.state)) == "gone"


def test_not_modified_touches_last_seen_only(database):
    with database.transaction() as session:
        record_page(session, page(URL, ARTICLE, at=0, etag='"abc"'))
    with database.transaction() as session:
        outcome = record_not_modified(session, URL, page(URL, "", at=5).fetched_at)
        assert (
            record_not_modified(session, "https://example.org/unknown", page(URL, "", at=5).fetched_at)
            is None
        )
    assert outcome.status == "unchanged"
    with database.session() as session:
        document = session.scalar(select(Document))
        assert document.http_etag == '"abc"'
        assert (document.last_seen - document.first_seen).total_seconds() == 5 * 3600
        assert counts(session) == {"documents": 1, "versions": 1, "changes": 1}


def test_text_prepared_before_the_transaction_records_and_indexes_the_same(database):
    # The crawler computes the comparison key and the index terms before taking the write lock. What
    # it records must be what record_page records on its own: the same version, change and index.
    from storage import PreparedText
    from storage.fulltext import search_documents
    from storage.normalize import DEFAULT_NORMALIZER

    first, second = page(URL, ARTICLE), page(URL, ARTICLE.replace("科学发现", "材料发现"), at=1)
    with database.transaction() as session:
        prepared = PreparedText.of(first, DEFAULT_NORMALIZER.normalize(first.text))
        outcome = record_page(session, first, prepared=prepared)
        assert outcome.status == "new"
    # Prepared as unchanged (no terms), but the text did change: the terms are computed in the
    # transaction, and the old entry is replaced.
    with database.transaction() as session:
        prepared = PreparedText.of(second, DEFAULT_NORMALIZER.normalize(second.text), will_store=False)
        assert prepared.index is None
        assert record_page(session, second, prepared=prepared).status == "changed"
    with database.session() as session:
        assert [hit.document_id for hit in search_documents(session, ["材料发现"])] == [outcome.document_id]
        assert search_documents(session, ["科学发现"]) == []
        assert session.scalar(select(func.count()).select_from(Version)) == 2
