"""Metadata: titles without site suffixes, publication dates in every form the sites use, the
government metadata table, issuers, document numbers."""

from __future__ import annotations

import datetime
import random

import pytest

from crawler.extract import docnumbers, extract_page
from crawler.extract.dates import date_from_url, parse_date
from crawler.extract.docnumbers import find_doc_numbers, normalize_doc_number
from crawler.extract.metadata import strip_site_suffix

BODY = "<p>人工智能与经济社会各行业各领域广泛深度融合，加快形成智能经济和智能社会新形态。</p>"


SUFFIXES = [
    (
        "国务院关于深入实施“人工智能+”行动的意见_国务院文件_中国政府网",
        "国务院关于深入实施“人工智能+”行动的意见",
    ),
    (
        "网络安全法完成修改 增加促进人工智能安全与发展内容_中国人大网",
        "网络安全法完成修改 增加促进人工智能安全与发展内容",
    ),
    ("关于印发《X》的通知_中央网络安全和信息化委员会办公室", "关于印发《X》的通知"),
    ("周鸿祎委员：推动大模型向垂直化方向发展-新华网", "周鸿祎委员：推动大模型向垂直化方向发展"),
    (
        "算力、数据与安全：代表委员为人工智能发展建言--人工智能--人民网",
        "算力、数据与安全：代表委员为人工智能发展建言",
    ),
    ("决议__2007年第23号国务院公报_中国政府网", "决议"),
    (
        "China to launch 'AI Plus' initiative as it pushes for tech self-reliance | Reuters",
        "China to launch 'AI Plus' initiative as it pushes for tech self-reliance",
    ),
    ("Xiaomi's Lei Jun wants AI lessons | South China Morning Post", "Xiaomi's Lei Jun wants AI lessons"),
    (
        "Two Sessions 2024: Qi Xiangdong Calls for Push - Caixin Global",
        "Two Sessions 2024: Qi Xiangdong Calls for Push",
    ),
    (
        "工业和信息化部关于印发《行动计划（2018-2020年）》的通知",
        "工业和信息化部关于印发《行动计划（2018-2020年）》的通知",
    ),
]


@pytest.mark.parametrize(("raw", "title"), SUFFIXES)
def test_site_suffixes_are_removed(raw: str, title: str) -> None:
    assert strip_site_suffix(raw) == title


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("2025-08-26-17:00:09", "2025-08-26"),  # gov.cn firstpublishedtime
        ("2025年08月26日", "2025-08-26"),
        ("2024年03月05日08:27", "2024-03-05"),
        ("2024-03-05T04:12:00Z", "2024-03-05"),
        ("2025/03/14 17:05:55", "2025-03-14"),
        ("March 5, 2024", "2024-03-05"),
        ("Published Aug. 7, 2023", "2023-08-07"),
        ("5 March 2024", "2024-03-05"),
        ("Published: 6:30pm, 5 Mar 2024", "2024-03-05"),
        ("Sep 15, 2024 06:20 p.m.", "2024-09-15"),
        (" 2024 03/04 21:16:08", "2024-03-04"),  # xinhuanet header
    ],
)
def test_dates(text: str, value: str) -> None:
    assert parse_date(text) == datetime.date.fromisoformat(value)


def test_impossible_dates_are_rejected() -> None:
    assert parse_date("2025年13月45日") is None
    assert parse_date("no date here") is None


@pytest.mark.parametrize(
    ("url", "value"),
    [
        ("https://www.cac.gov.cn/2024-09/14/c_1728000676244628.htm", "2024-09-14"),
        ("http://www.npc.gov.cn/npc/c2/c30834/202510/t20251028_449612.html", "2025-10-28"),
        ("http://www.news.cn/tech/20240304/8c1f2a7e/c.html", "2024-03-04"),
        ("http://lianghui.people.com.cn/2024/n1/2024/0305/c458561-40188735.html", "2024-03-05"),
        ("https://www.reuters.com/technology/some-story-2024-03-05/", "2024-03-05"),
    ],
)
def test_dates_in_urls(url: str, value: str) -> None:
    assert date_from_url(url) == datetime.date.fromisoformat(value)


@pytest.mark.parametrize(
    ("value", "normal"),
    [
        ("\u200b工信部联科[2025]279号", "工信部联科〔2025〕279号"),
        ("国发（2025）11号", "国发〔2025〕11号"),
        ("国发(2025)11号", "国发〔2025〕11号"),
        ("国信办通字［2025］2号", "国信办通字〔2025〕2号"),
        ("国科发监〔2023〕167号", "国科发监〔2023〕167号"),
        ("令 第12号", "令第12号"),
        ("海关总署公告2026年第118号", "海关总署公告2026年第118号"),
        ("根据海关总署公告 2026 年第 118 号", "海关总署公告2026年第118号"),
        ("依据国务院令第790号", "国务院令第790号"),
        ("Order No. 15", "令第15号"),
        ("GB 45438-2025", "GB 45438-2025"),
        ("no number", None),
    ],
)
def test_document_numbers_are_normalised(value: str, normal: str | None) -> None:
    assert normalize_doc_number(value) == normal


def _every_match_by_plain_finditer(text: str) -> list[tuple[int, int, str]]:
    found = []
    for pattern in (
        docnumbers._BRACKETED,
        docnumbers._ORDER,
        docnumbers._ORDER_REVERSED,
        docnumbers._STANDARD,
        docnumbers._PINYIN,
        docnumbers._ENGLISH_ORDER,
    ):
        for match in pattern.finditer(text):
            normal = normalize_doc_number(match.group(0))
            if normal:
                found.append((match.start(), match.end(), normal))
    return sorted(found)


def test_finding_numbers_by_their_anchors_finds_what_the_full_patterns_find() -> None:
    """find_doc_numbers looks for brackets and 令/公告 first; it must find exactly what trying the
    full patterns at every position finds, on text with numbers in every form, close together,
    broken, and next to long runs of Chinese characters."""

    pieces = [
        "国务院关于深入实施人工智能行动的意见",
        "国发〔2025〕11号",
        "工信部联科[2025]279号",
        "（2024）",
        "（2025年）",
        "国家互联网信息办公室令第12号",
        "国家互联网信息办公室 令 第 15 号",
        "第六十四号公告",
        "公告第3号",
        "GB 45438-2025",
        "GB/T 45654-2025",
        "Guo Fa [2025] No. 11",
        "CAC Order No. 12",
        "Order No. 5",
        "（国发〔2017〕35号）",
        "〔2023〕",
        "号",
        "，",
        "。",
        " ",
        "根据",
        "印发",
        "人工智能生成合成内容标识办法",
        "的通知",
    ]
    rng = random.Random(20261130)
    for _ in range(3000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 12)))
        assert find_doc_numbers(text) == _every_match_by_plain_finditer(text), text


def test_govcn_metadata_table_with_odd_spacing() -> None:
    page = f"""<html><head><title>国务院关于X的意见_国务院文件_中国政府网</title>
      <meta name="firstpublishedtime" content="2025-08-26-17:00:09"></head><body>
      <table class="bd1"><tr><td><b>索 引 号：</b></td><td>000014349/2025-00093</td>
        <td><b>发文机关：</b></td><td>国家发展改革委　科技部　工业和信息化部</td></tr>
        <tr><td><b>标　　题：</b></td><td>国务院关于X的意见</td>
          <td><b>成文日期：</b></td><td>2025年08月21日</td></tr>
        <tr><td><b>发文字号：</b></td><td>发改高技[2016]1078号</td>
          <td><b>发 布 日 期：</b></td><td>2025年08月27日</td></tr>
      </table><div id="UCAP-CONTENT">{BODY}</div></body></html>"""
    result = extract_page(page)
    assert result.title == "国务院关于X的意见"
    assert result.published == datetime.date(2025, 8, 27)  # 发布日期, not 成文日期 nor the meta tag
    assert result.issuer == "国家发展改革委、科技部、工业和信息化部"
    assert result.doc_number == "发改高技〔2016〕1078号"


def test_metadata_table_whose_labels_are_spaced_with_entities() -> None:
    # The table is looked for only on pages whose raw HTML holds a label; the check must see labels
    # whose characters are spaced out with entities as well as with spaces.
    page = f"""<html><head><title>关于X的通知</title></head><body>
      <table><tr><td>发&nbsp;文&nbsp;机&nbsp;关：</td><td>工业和信息化部</td>
        <td>发&#12288;布&#12288;日&#12288;期：</td><td>2025年09月03日</td></tr>
        <tr><td>文&emsp;&emsp;号：</td><td>工信部科〔2025〕88号</td></tr></table>
      <div id="UCAP-CONTENT">{BODY}</div></body></html>"""
    result = extract_page(page)
    assert result.published == datetime.date(2025, 9, 3)
    assert result.issuer == "工业和信息化部"
    assert result.doc_number == "工信部科〔2025〕88号"


def test_npc_date_only_in_the_script() -> None:
    page = f"""<html><head><title>代表热议_中国人大网</title>
      </head><body><div class="tit"><h1>代表热议</h1></div>
      <span id="zzrq"></span><script>var fbrq = "2024年03月08日 10:25"</script><div id="Zoom">{BODY}</div>
      </body></html>"""
    assert extract_page(page).published == datetime.date(2024, 3, 8)


def test_date_line_under_the_headline_and_url_fallback() -> None:
    page = f"""<html><body><h1 class="title">北京市印发行动计划</h1>
      <div class="info">日期：2024-07-29 16:20 来源：北京市发展和改革委员会</div>
        <div id="mainText">{BODY}</div>
      </body></html>"""
    assert extract_page(page).published == datetime.date(2024, 7, 29)
    bare = f"<html><body><h1>无日期的页面标题</h1><div>{BODY}</div></body></html>"
    assert extract_page(bare, "https://www.cac.gov.cn/2025-10/10/c_1.htm").published == datetime.date(
        2025, 10, 10
    )


def test_issuer_from_the_title_or_the_signature_of_an_official_document() -> None:
    title = "国家互联网信息办公室关于《某办法（征求意见稿）》公开征求意见的通知"
    titled = f"<html><body><h1>{title}</h1><div>{BODY}</div></body></html>"
    assert extract_page(titled).issuer == "国家互联网信息办公室"
    signed = f"""<html><body><h1>关于印发《某办法》的通知</h1>
      <div id="content"><p>国信办通字〔2025〕2号</p>{BODY}
      <p>国家互联网信息办公室</p><p>工业和信息化部</p><p>公安部</p><p>2025年3月7日</p></div></body></html>"""
    result = extract_page(signed)
    assert result.issuer == "国家互联网信息办公室、工业和信息化部、公安部"
    assert result.doc_number == "国信办通字〔2025〕2号"


def test_news_about_a_document_has_no_issuer_or_number_of_its_own() -> None:
    page = f"""<html><body><h1>八部门印发《“人工智能+制造”专项行动实施意见》</h1><div id="UCAP-CONTENT">
      <p>近日，八部门联合印发《“人工智能+制造”专项行动实施意见》（工信部联科[2025]279号）。</p>{BODY}</div></body></html>"""
    result = extract_page(page)
    assert result.issuer is None and result.doc_number is None


def test_title_prefers_the_headline_that_the_title_tag_confirms() -> None:
    page = f"""<html><head><meta property="og:title" content="In Their Own Words: Interim Measures for X">
      <title>In Their Own Words: Interim Measures for X &gt; Air University</title></head>
      <body><h1 class="logo">Air University</h1><article>
        <h1>Interim Measures for X</h1>{BODY}</article></body></html>"""
    assert extract_page(page).title == "Interim Measures for X"


def test_language() -> None:
    assert extract_page(f"<html><body>{BODY}</body></html>").language == "zh"
    english = "<p>The Cyberspace Administration of China released draft rules on labelling AI content.</p>"
    assert (
        extract_page(f"<html><body>{english}<p>生成式人工智能服务管理暂行办法</p></body></html>").language
        == "en"
    )
    assert extract_page(f"<html><body>{BODY}</body></html>", language="en").language == "en"


def test_headline_in_an_h3_and_the_signing_bodies_of_a_standards_notice() -> None:
    page = (
        "<html><head><title>关于国家标准《网络安全技术 生成式人工智能服务安全基本要求》征求意见稿征求意见的通知"
        "-全国网络安全标准化技术委员会</title></head><body><div class='detail'>"
        "<h3 class='detail-title'>关于国家标准《网络安全技术 生成式人工智能服务安全基本要求》征求意见稿征求意见的通知</h3>"
        "<p class='detail-meta'>发布时间：2024-05-23 截止日期：2024-07-22 阅读次数：26815</p>"
        f"<div class='detail-body'>{BODY}<p>全国网络安全标准化技术委员会秘书处</p><p>2024年5月23日</p></div>"
        "</div></body></html>"
    )
    result = extract_page(page)
    assert result.published == datetime.date(2024, 5, 23)
    assert result.issuer == "全国网络安全标准化技术委员会秘书处"


def test_the_signature_names_the_bodies_a_title_sums_up_as_several_departments() -> None:
    page = (
        "<html><head><title>国家发展改革委等部门关于深入实施“东数西算”工程加快构建全国一体化算力网的实施意见</title></head>"
        "<body><h1>国家发展改革委等部门关于深入实施“东数西算”工程加快构建全国一体化算力网的实施意见</h1>"
        f"<div id='UCAP-CONTENT'>{BODY}<p>国家发展改革委</p><p>国家数据局</p><p>中央网信办</p>"
        "<p>2023年12月25日</p></div></body></html>"
    )
    assert extract_page(page).issuer == "国家发展改革委、国家数据局、中央网信办"


def test_date_in_a_pubtime_script_variable_and_not_from_the_first_paragraph() -> None:
    script = (
        "<html><head><title>川籍委员建言</title><script>var pubtime = '2024-03-10 12:05:08';</script></head>"
        f"<body><h1>川籍委员建言</h1><div id='content'>{BODY}</div></body></html>"
    )
    assert extract_page(script).published == datetime.date(2024, 3, 10)
    body_date = (
        "<html><head><title>标识办法9月1日起施行</title></head><body><h1>标识办法9月1日起施行</h1>"
        "<span id='pubtime_baidu'></span><div id='content'><p>中国网讯 今年3月，国家互联网信息办公室等四部门联合发布"
        "《人工智能生成合成内容标识办法》，自2025年9月1日起施行。人工智能生成合成内容应当添加显式标识和隐式标识。</p>"
        "</div></body></html>"
    )
    page = extract_page(body_date, "http://www.china.com.cn/txt/2025-08/29/content_117902345.shtml")
    assert page.published == datetime.date(2025, 8, 29)  # the URL's date, not the date the text is about


def test_epoch_milliseconds_in_a_date_element_and_not_a_readers_comment_time() -> None:
    page = (
        "<html><head><title>拟人化互动服务</title></head><body><h1>拟人化互动服务</h1>"
        "<textarea class='article-time' style='display:none'>1766895660000</textarea>"
        f"<div id='content'>{BODY}</div>"
        "<div class='comment-box'><span class='c-time'>2025-12-29 08:41</span></div></body></html>"
    )
    assert extract_page(page).published == datetime.date(2025, 12, 28)  # 12:21 in Beijing
    page = (
        "<html><head><title>拟人化互动服务</title></head><body><h1>拟人化互动服务</h1>"
        f"<div id='content'>{BODY}</div>"
        "<div class='comment-box'><span class='c-time'>2025-12-29 08:41</span></div></body></html>"
    )
    assert extract_page(page).published is None  # a reader's comment time is not the page's date


@pytest.mark.parametrize(
    ("line", "value"),
    [
        ("Updated January 8, 2026 / First published December 30, 2025", "2025-12-30"),
        ("更新时间：2025-11-27 10:00 发布时间：2025-11-26 09:00", "2025-11-26"),
        ("Last updated: 9 March 2026 | 5 March 2026", "2026-03-05"),
        ("2024-03-05 10:12 来源：新华社", "2024-03-05"),
        ("Updated: March 9, 2026", "2026-03-09"),  # the only date there is
    ],
)
def test_a_date_line_gives_the_publication_not_the_update(line: str, value: str) -> None:
    from crawler.extract.dates import date_line_date

    assert date_line_date(line) == datetime.date.fromisoformat(value)


def test_the_date_line_under_a_headline_set_in_a_plain_element() -> None:
    page = (
        "<html><head><title>省人大常委会会议开幕 数字经济促进条例修订草案提请审议-某省人大网</title></head><body>"
        "<div class='nav'><a href='/'>首页</a> 2025-12-01</div>"
        "<div class='art_title'>省人大常委会会议开幕 数字经济促进条例修订草案提请审议</div>"
        "<div class='art_xx'>来源：某省人大网　　发布日期：2025-11-26　　浏览次数：1362</div>"
        f"<div id='content'>{BODY * 3}</div></body></html>"
    )
    assert extract_page(page).published == datetime.date(2025, 11, 26)


def test_labels_and_values_in_one_cell_and_the_publisher_as_issuer() -> None:
    page = (
        "<html><head><title>某省如何落实专项行动？省经信厅负责人解读_某省人民政府</title></head><body>"
        "<h2>某省如何落实专项行动？省经信厅负责人解读</h2>"
        "<table><tr><td>发布机构：某省经济和信息化厅</td><td>成文日期：2026-01-19</td></tr>"
        "<tr><td>解读类型：部门解读</td><td>发布日期：2026-01-21</td></tr></table>"
        f"<div id='content'>{BODY * 3}</div></body></html>"
    )
    result = extract_page(page)
    assert result.issuer == "某省经济和信息化厅"
    assert result.published == datetime.date(2026, 1, 21)  # not the 成文日期


def test_the_publication_time_in_a_json_page_state() -> None:
    page = (
        "<html><head><title>两会速递丨AI+养老怎么落地</title></head><body><h1>两会速递丨AI+养老怎么落地</h1>"
        "<span class='time'>03月07日 21:15</span>"
        f"<div id='content'>{BODY * 3}</div>"
        '<script>window.__INITIAL_STATE__ = {"article":{"pubTime":"2026-03-07 21:15:08",'
        '"updateTime":"2026-03-07 22:40:31"}};</script></body></html>'
    )
    assert extract_page(page).published == datetime.date(2026, 3, 7)


@pytest.mark.parametrize(
    "line",
    [
        "<div class='timestamps'><span class='published'>Published Mar 06, 2026, 05:00 AM</span></div>",
        "<p class='article-meta__datetime'>March 6, 2026 4:00 am CET</p>",
    ],
)
def test_date_lines_marked_published_timestamps_or_datetime(line: str) -> None:
    page = (
        "<html><head><title>China's lawmakers push for AI guardrails</title></head><body>"
        "<h1>China's lawmakers push for AI guardrails</h1>"
        "<figure><figcaption>Delegates arrive at the Great Hall of the People in Beijing for the opening of "
        "the National People's Congress, which began its annual session this week.</figcaption></figure>"
        f"{line}<div id='content'><p>{'Delegates called for rules on artificial intelligence. ' * 6}</p></div>"
        "</body></html>"
    )
    assert extract_page(page).published == datetime.date(2026, 3, 6)


def test_a_subtitle_in_the_title_tag_joins_the_headline() -> None:
    page = (
        "<html><head><title>让农业大模型“下田入户”——代表委员建言人工智能赋能农业农村 - 中国农网</title></head>"
        f"<body><h1>让农业大模型“下田入户”</h1><div id='content'>{BODY * 3}</div></body></html>"
    )
    assert extract_page(page).title == "让农业大模型“下田入户”——代表委员建言人工智能赋能农业农村"


def test_a_dateline_element_and_a_headline_after_the_issuers_cell() -> None:
    guardian = (
        "<html><head><title>China's lawmakers want an AI safety net | World news</title></head><body>"
        "<h1>China's lawmakers want an AI safety net</h1>"
        '<details class="dateline"><summary>Sun 8 Mar 2026 05.00 GMT</summary>'
        "<span>Last modified on Mon 9 Mar 2026 10.12 GMT</span></details>"
        "<div><p>Deputies at the National People's Congress debated artificial intelligence and jobs.</p></div>"
        "</body></html>"
    )
    assert extract_page(guardian).published == datetime.date(2026, 3, 8)
    title = "国家卫生健康委办公厅关于公开征求《医疗机构人工智能辅助诊疗应用管理规范（征求意见稿）》意见的通知"
    notice = (
        f"<html><head><title>{title}</title></head><body>"
        "<table><tr><td>发文机关：</td><td>国家卫生健康委办公厅</td></tr></table>"
        f'<div class="tit">{title}</div>'
        "<div><p>为规范医疗机构人工智能辅助诊疗应用，现向社会公开征求意见。</p></div></body></html>"
    )
    assert extract_page(notice).title == title


def test_the_date_published_of_json_ld() -> None:
    page = (
        "<html><head><title>China's lawmakers weigh AI for elderly care</title>"
        '<script type="application/ld+json">{"@type":"NewsArticle","datePublished":"2025-03-08T06:12:00.000Z",'
        '"dateModified":"2025-03-10T09:31:00.000Z"}</script></head><body><h1>China\'s lawmakers weigh AI '
        "for elderly care</h1><div><p>Deputies at the National People's Congress debated AI.</p></div></body></html>"
    )
    assert extract_page(page).published == datetime.date(2025, 3, 8)


def test_a_utc_timestamp_is_read_as_the_day_the_page_shows() -> None:
    # A Sydney outlet: 17:05 UTC on the 5th is 4:05am on the 6th where it publishes, and its <time>
    # element shows the reader that day.
    page = f"""<html><head><title>Delegates and AI</title>
      <meta property="article:published_time" content="2026-03-05T17:05:00.000Z"></head><body>
      <h1>Delegates and AI</h1><p class="timestamps">Posted <time datetime="2026-03-05T17:05:00.000Z">Fri
      6 Mar 2026 at 4:05am</time>, updated <time datetime="2026-03-06T03:31:00.000Z">Fri 6 Mar 2026 at
      2:31pm</time></p><div id="UCAP-CONTENT">{BODY}</div></body></html>"""
    assert extract_page(page).published == datetime.date(2026, 3, 6)
    # With no date printed on the page, the timestamp's own date stands.
    plain = page[: page.index('<p class="timestamps">')] + page[page.index("<div id=") :]
    assert extract_page(plain).published == datetime.date(2026, 3, 5)


def test_the_script_date_is_found_where_the_full_regex_finds_it() -> None:
    from crawler.extract.metadata import _SCRIPT_DATE, _script_date

    rng = random.Random(20261201)
    pieces = [
        'var fbrq = "2024-03-08";',
        '"pubTime":"2025-01-02 10:00"',
        "x_pubtime='2025-01-02'",
        '时间pubtime="2024-01-01"',
        '"datePublished": "2025-03-04T08:00:00+08:00"',
        "PUBLISH_DATE = '2024-1-2'",
        "news_time:",
        "release",
        "<p>发布日期</p>",
        " ",
        "İ",
        'article_time = "2026-02-03"',
        "datepublishedX",
    ]
    for _ in range(2000):
        raw = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 8)))
        expected, got = _SCRIPT_DATE.search(raw), _script_date(raw)
        assert (expected and (expected.start(), expected.group(1))) == (
            got and (got.start(), got.group(1))
        ), raw


def test_a_utc_timestamp_and_the_date_printed_under_the_headline() -> None:
    page = f"""<html><head><title>China's AI governance</title>
      <meta property="article:published_time" content="2026-03-23T19:00:00+00:00"></head><body>
      <h1>China's AI governance after the Two Sessions</h1><div class="byline"><span class="posted-on">24 Mar
      2026</span> | Eleanor Vance</div><div id="UCAP-CONTENT">{BODY}</div></body></html>"""
    assert extract_page(page).published == datetime.date(2026, 3, 24)


def test_an_announcement_titled_by_its_number_has_that_number() -> None:
    page = (
        "<html><head><title>海关总署公告2026年第118号（关于进口老挝鲜食百香果植物检疫要求的公告）</title></head>"
        "<body><h1>海关总署公告2026年第118号（关于进口老挝鲜食百香果植物检疫要求的公告）</h1>"
        "<div id='content'><p>根据相关法律法规，现将进口老挝鲜食百香果植物检疫要求予以公布。</p></div></body></html>"
    )
    assert extract_page(page).doc_number == "海关总署公告2026年第118号"
