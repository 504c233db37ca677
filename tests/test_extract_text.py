"""Main text: site containers, boilerplate removal, density scoring, source selectors, broken markup."""

from __future__ import annotations

import pytest

from crawler.extract import extract_page
from crawler.extract.dom import parse_html
from crawler.extract.text import extract_main_text
from crawler.extract.textutil import match_form, split_sentences, squash

ARTICLE = "　　为深入实施“人工智能＋”行动，推动人工智能与经济社会各行业各领域广泛深度融合，现提出如下意见。"


def main_text(markup: str, **kwargs: object) -> str:
    return extract_main_text(parse_html(markup), **kwargs).text  # type: ignore[arg-type]


def test_govcn_container_wins_over_the_metadata_table_and_the_related_box() -> None:
    page = f"""<html><body>
      <div class="BreadcrumbNav"><a href="/">首页</a> &gt; <a href="/zhengce/">政策</a></div>
      <table class="pages_content"><tr><td><b>发文机关：</b></td><td>国务院</td></tr></table>
      <div class="pages_content" id="UCAP-CONTENT"><p>{ARTICLE}</p><p>一、总体要求</p></div>
      <div class="xg-list related"><div class="pannel-title">相关稿件</div>
        <ul><li><a href="/x">国务院关于印发新一代人工智能发展规划的通知</a></li></ul></div>
    </body></html>"""
    text = main_text(page)
    assert text.startswith("为深入实施")
    assert "新一代人工智能发展规划" not in text
    assert "发文机关" not in text
    assert "首页" not in text


def test_density_finds_the_article_without_a_known_container() -> None:
    paragraphs = "".join(f"<p>第{i}段。{ARTICLE}</p>" for i in range(5))
    page = f"""<html><body>
      <nav><a href="/">首页</a><a href="/ai">人工智能</a></nav>
      <div class="wrap"><div class="story-main">{paragraphs}</div>
      <div class="sidebar"><h3>热点推荐</h3><ul><li>
        <a href="/1">雷军：人工智能纳入义务教育</a></li></ul></div></div>
      <footer>版权所有 京ICP备05070218号</footer></body></html>"""
    result = extract_main_text(parse_html(page))
    assert result.method == "density"
    assert len(result.paragraphs) == 5
    assert "雷军" not in result.text and "ICP" not in result.text


def test_text_between_br_and_empty_divs_is_split_into_paragraphs() -> None:
    page = f"""<html><body><div class="head"><a href="/">首页</a></div>
      <div class="news_txt">{ARTICLE}<br><div class="contheight"></div>{ARTICLE[2:]}再次。<br>
      <strong>小标题</strong><br>{ARTICLE}</div></body></html>"""
    result = extract_main_text(parse_html(page))
    assert [p.heading for p in result.paragraphs] == [False, False, True, False]


def test_content_selector_and_exclude_of_a_source() -> None:
    page = f"""<html><body><div id="body"><p>{ARTICLE}</p><div class="share">分享到：微信 微博</div>
      <p class="ad">广告：人工智能大模型培训班火热招生，名额有限，报名从速。</p></div>
      <div id="other"><p>{ARTICLE}另一篇</p><p>{ARTICLE}另一篇</p></div></body></html>"""
    text = main_text(page, content_selector="#body", exclude=[".ad"])
    assert "另一篇" not in text and "广告" not in text and "分享" not in text
    assert text.startswith("为深入实施")


def test_an_invalid_selector_is_ignored_not_raised() -> None:
    page = f"<html><body><div><p>{ARTICLE}</p></div></body></html>"
    assert main_text(page, content_selector="div[[[", exclude=["%%%"]).startswith("为深入实施")


def test_a_stray_closing_html_tag_does_not_end_the_page() -> None:
    # Real gov.cn pages close </html> at the end of an included header, before the article.
    page = f"""<html><body><div class="header">首页</div></html>
      <div id="UCAP-CONTENT"><p>{ARTICLE}</p></div></body></html>"""
    assert main_text(page).startswith("为深入实施")


def test_editor_and_print_lines_inside_the_container_are_dropped() -> None:
    page = f"""<div id="rwb_zw"><p>{ARTICLE}</p><div class="edit">(责编：刘音、孙红丽)</div>
      <p>【打印】【关闭】</p><p>扫一扫在手机打开当前页</p></div>"""
    assert main_text(page) == ARTICLE.strip("　")


@pytest.mark.parametrize(
    "markup",
    [
        "",
        "   ",
        "<html>",
        "\x00\x01binary\xff",
        "<p>unclosed <b>bold",
        "<<<>>>",
        "<?xml version='1.0' encoding='utf-8'?><p>x</p>",
    ],
)
def test_broken_markup_never_raises(markup: str) -> None:
    extract_main_text(parse_html(markup))


def test_squash_folds_spaces_and_drops_invisible_characters() -> None:
    assert squash("\u200b工信部联科\u3000〔2025〕\n 279号\x01") == "工信部联科 〔2025〕 279号"


def test_match_form_keeps_offsets() -> None:
    text = "《“人工智能＋”行动》—（试行）"
    folded = match_form(text)
    assert len(folded) == len(text)
    assert folded == '《"人工智能+"行动》-(试行)'


def test_sentences_keep_quotes_with_their_sentence_and_respect_abbreviations() -> None:
    zh = [s.text for s in split_sentences("“通用大模型无法直接应用。”周鸿祎说。他建议，加强安全。")]
    assert zh == ["“通用大模型无法直接应用。”", "周鸿祎说。", "他建议，加强安全。"]
    en = [s.text for s in split_sentences("He cited Order No. 15 of the U.S. agency. Lei said so.")]
    assert en == ["He cited Order No. 15 of the U.S. agency.", "Lei said so."]


def test_sina_article_body_not_its_right_column() -> None:
    # Sina wraps the article and its right-hand column in div.article-content; the text is #artibody.
    markup = (
        "<html><body><div class='article-content clearfix'><div class='article-content-left'>"
        f"<div class='article' id='artibody'><p>{ARTICLE}</p><p>{ARTICLE}</p></div></div>"
        "<div class='article-content-right'><div class='right-box'><div class='hd'>AI热门</div><ul>"
        "<li><a href='/1.shtml'>《生成式人工智能服务管理暂行办法》施行两周年：备案大模型持续增加</a></li>"
        "</ul></div></div></div></body></html>"
    )
    text = main_text(markup)
    assert "深度融合" in text and "施行两周年" not in text


def test_an_editors_note_beside_the_densest_block_is_part_of_the_article() -> None:
    note = (
        "Editor's note: The Cyberspace Administration of China announced these Provisions on Dec. 11, 2022. "
        "They take effect on Jan. 10, 2023, and build on the algorithmic recommendation rules."
    )
    articles = "".join(
        f"<p>Article {n}: Deep synthesis service providers shall implement primary responsibility for "
        "information security, and establish management systems for user registration.</p>"
        for n in range(1, 8)
    )
    page = f"""<html><body><article class="work">
      <div class="editors-note"><p>{note}</p></div>
      <div class="work-body">{articles}</div>
      <div class="more-stories"><a href="/1">China's AI rules, explained</a> 2022-12-01
        <a href="/2">What the labeling measures require</a> 2025-03-14
        <a href="/3">A new draft on anthropomorphic AI, and what it means</a> 2025-12-27</div>
    </article></body></html>"""
    result = extract_main_text(parse_html(page))
    assert result.method == "density"
    assert result.paragraphs[0].text.startswith("Editor's note") and "Article 7" in result.text
    assert "explained" not in result.text  # a list of headlines beside it is not


def test_a_know_more_list_of_long_items_is_part_of_the_article_and_read_more_links_are_not() -> None:
    prose = "Delegates pushed to put artificial intelligence into factories, homes and classrooms this week."
    item = "Meiling Qu, a deputy to the National People's Congress, wants subsidies for humanoid robots, {}."
    page = f"""<html><body>
      <nav><a href="/">Home</a> <a href="/tech">Technology</a></nav>
      <article><div class="styles_body">
        <section class="styles_scoop"><h2>The News</h2><p>{prose}</p><p>{prose}</p></section>
        <section class="styles_know_more"><h2>Know More</h2><ul>
          <li>{item.format("modeled on trade-in programs")}</li><li>{item.format("and a testing center")}</li>
          <li>{item.format("paid for by the provinces")}</li><li>{item.format("with tax credits")}</li>
        </ul></section>
        <section class="styles_step_back"><h2>Step Back</h2><p>The proposals build on last year's guideline.
          Motions and proposals are not binding, and most are answered by ministries.</p></section>
      </div></article>
      <div class="read-more"><ul><li><a href="/a">China's robots are coming for the assembly line, analysts say</a></li>
        <li><a href="/b">Inside the race to build a Chinese open-source model ecosystem</a></li></ul></div>
    </body></html>"""
    text = main_text(page)
    assert "Delegates pushed" in text and "subsidies for humanoid robots" in text
    assert "not binding" in text
    assert "assembly line" not in text


def test_a_teaser_for_another_article_is_not_main_text() -> None:
    paragraphs = "".join(
        f"<p>China's regulators have issued a series of rules on artificial intelligence, paragraph {n}, "
        "and companies are adjusting their products to comply with the requirements.</p>"
        for n in range(6)
    )
    page = (
        f"<html><body><article>{paragraphs}<p>Also: China's rules on labeling AI-generated content: What "
        "developers need to know</p><p>相关阅读：人工智能生成合成内容标识办法解读</p></article></body></html>"
    )
    text = extract_page(page).text
    assert "paragraph 5" in text
    assert "What developers need to know" not in text and "相关阅读" not in text


@pytest.mark.parametrize(
    "teasers",
    [
        "<p><strong>推荐阅读：</strong><br>▶ 开源大模型下载量排行<br>▶ 《人工智能生成合成内容标识办法》全文解读</p>",
        "<p>推荐阅读：</p><p>▶ 开源大模型下载量排行</p><p>▶ 《人工智能生成合成内容标识办法》全文解读</p>",
    ],
)
def test_the_list_under_a_bare_teaser_header_is_not_main_text(teasers: str) -> None:
    paragraphs = "".join(
        f"<p>全国人大代表围绕开源模型和算力券提出建议，第{n}段，相关部门将在会后办理答复。</p>"
        for n in range(6)
    )
    after = "<p>文章最后一段：欢迎在评论区留言讨论这些建议。</p>"
    text = extract_page(f"<html><body><article>{paragraphs}{teasers}{after}</article></body></html>").text
    assert "第5段" in text and "最后一段" in text
    assert "标识办法" not in text and "下载量排行" not in text
