"""Traditional Chinese pages are read through a simplified copy, and what is found is reported as the page
writes it."""

from __future__ import annotations

from crawler.extract import extract_page
from crawler.extract.script import Restorer, is_traditional, to_simplified

MACAO_PAGE = """<html><head><title>澳門委員代表建言人工智能發展 - 澳門日報</title>
<meta name="publishdate" content="2026-03-05"></head><body><h1>澳門委員代表建言人工智能發展</h1>
<div id="content">
<p>【本報北京三月五日電】全國政協委員、澳門科技大學教授陳志強建議，國家應加快完善人工智能數據跨境流動
規則，支持橫琴建設面向葡語國家的人工智能語料庫。</p>
<p>陳志強表示，《生成式人工智能服務管理暫行辦法》自二〇二三年八月十五日起施行以來，內地大模型備案工作有序
推進。他認為，數據是人工智能發展的基礎，應推動公共數據開放共享。</p>
<p>全國人大代表、澳門中華總商會副會長黃國偉則提出，應支持澳門高校與內地企業共建人工智能聯合實驗室，培養
更多懂技術、懂法律的複合型人才。</p>
</div></body></html>"""


def test_a_traditional_page_has_its_proposals_and_known_documents_as_written() -> None:
    result = extract_page(MACAO_PAGE)
    proposals = {(m.actor, m.role, m.organization) for m in result.mentions if m.kind == "proposal"}
    assert proposals == {
        ("陳志強", "全国政协委员", "澳門科技大學"),
        ("黃國偉", "全国人大代表", "澳門中華總商會"),
    }
    (regulation,) = [m for m in result.mentions if m.kind == "regulation"]
    assert regulation.title == "生成式人工智能服務管理暫行辦法"  # as the page writes it
    assert regulation.canonical_id == "cn-genai-interim-measures-2023" and regulation.status == "final"
    assert "陳志強建議" in (next(m for m in result.mentions if m.actor == "陳志強").snippet or "")
    assert "data_sharing" in result.categories  # 數據 counts as 数据
    assert "陳志強" in result.text  # the main text stays as written


def test_only_a_traditional_text_is_read_as_one() -> None:
    assert is_traditional("全國人大代表陳志強建議，國家應加快完善人工智能數據跨境流動規則，這個問題很重要。")
    # A mainland page quoting a Taiwanese title or name is not traditional.
    mainland = "全国人大代表王强建议，加快人工智能立法，完善数据安全和个人信息保护制度。" * 8
    assert not is_traditional(mainland + "台湾地区的《個人資料保護法》也有类似规定。" + mainland)
    assert not is_traditional("Lawmakers proposed AI rules.")


def test_the_simplified_copy_keeps_every_offset() -> None:
    original = "全國人大代表、澳門科技大學教授陳志強建議：「這個問題很重要。」"
    simplified = to_simplified(original)
    assert len(simplified) == len(original) and simplified != original
    restorer = Restorer(original, simplified)
    assert restorer.restore("陈志强") == "陳志強"
    assert restorer.restore("全国人大代表") == "全國人大代表"
    assert restorer.restore("《关于X的建议》：这个问题很重要") == "《关于X的建议》：這個問題很重要"
    assert restorer.restore(None) is None
