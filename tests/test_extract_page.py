"""The public interface: extract_page and PageExtraction.to_json (the `aiplus extract --json` contract)."""

from __future__ import annotations

import datetime
import json

import pytest

from crawler.extract import PageExtraction, extract_page

PAGE = """<html><head><title>国务院关于深入实施“人工智能+”行动的意见_国务院文件_中国政府网</title>
<meta name="firstpublishedtime" content="2025-08-26-17:00:09"></head><body>
<div class="header"><a href="/">首页</a></div>
<table><tr><td><b>发文机关：</b></td><td>国务院</td><td><b>发文字号：</b></td><td>国发〔2025〕11号</td></tr>
<tr><td><b>标　　题：</b></td><td colspan="3">国务院关于深入实施“人工智能+”行动的意见</td></tr></table>
<div class="pages_content" id="UCAP-CONTENT">
<p>为深入实施“人工智能＋”行动，推动人工智能与经济社会各行业各领域广泛深度融合，加快形成智能经济新形态。</p>
<p>加快实施重点行动，推动人工智能在产业发展、消费提质、民生福祉等领域广泛应用，赋能千行百业。</p>
<p>持续加强人工智能高质量数据集建设，推动公共数据资源依法开放共享。强化智能算力统筹，建设数据中心。</p>
</div></body></html>"""


def test_extract_page_and_its_json() -> None:
    result = extract_page(PAGE, "https://www.gov.cn/zhengce/content/202508/content_7037861.htm")
    assert isinstance(result, PageExtraction)
    data = result.to_json()
    assert list(data) == [
        "url", "title", "published", "language", "relevant",
        "text", "categories", "mentions", "issuer", "doc_number",
    ]  # fmt: skip
    assert data["title"] == "国务院关于深入实施“人工智能+”行动的意见"
    assert data["published"] == "2025-08-26"
    assert data["language"] == "zh" and data["relevant"] is True
    assert data["text"].startswith("为深入实施") and "首页" not in data["text"]
    assert data["issuer"] == "国务院" and data["doc_number"] == "国发〔2025〕11号"
    assert "industry_application" in data["categories"]
    (mention,) = data["mentions"]
    assert mention["kind"] == "regulation"
    assert mention["title"] == "国务院关于深入实施“人工智能+”行动的意见"
    assert mention["doc_number"] == "国发〔2025〕11号" and mention["status"] == "final"
    json.dumps(data, ensure_ascii=False)  # serialisable as it is


def test_published_is_a_date() -> None:
    assert extract_page(PAGE).published == datetime.date(2025, 8, 26)


@pytest.mark.parametrize("markup", ["", "<html>", "\x00\xff\xfe", "<p>未闭合的<b>标签", "<" * 1000])
def test_never_raises_on_broken_input(markup: str) -> None:
    result = extract_page(markup)
    assert isinstance(result.to_json(), dict)


def test_source_selectors_are_applied() -> None:
    page = PAGE.replace(
        "</div></body>", '<p class="note">本页备注：人工智能大模型相关链接。</p></div></body>'
    )
    assert "本页备注" in extract_page(page).text
    assert "本页备注" not in extract_page(page, exclude=[".note"]).text
    only_first = extract_page(page, content_selector="#UCAP-CONTENT p:first-child").text
    assert only_first.startswith("为深入实施") and "数据集" not in only_first
