"""Archive search: the query language (terms, phrases, OR, exclusion, grouping), filters, every-version
search, highlighted snippets, and the same answers on SQLite and PostgreSQL."""

from __future__ import annotations

import random
import unicodedata
from datetime import date

import pytest
from sqlalchemy import select, update

from storage import Database, DatabaseSettings, MentionRecord, record_page
from storage.fulltext import _CJK_PUNCT, _RUN, terms
from storage.models import Document, Version
from storage.search import QuerySyntaxError, find_matches, make_snippet, parse_query, search

from helpers import T0, page

WORDS = ["安全", "数据", "算力", "模型", "农业", "教育", "标准", "治理", "开放", "共享", "产业", "应用"]
ENGLISH = ["safety", "data", "computing", "model", "farming", "education", "standards", "sharing"]
SOURCES = ["gov", "cac", "news"]


# -- the query language --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "fts5", "tsquery"),
    [
        ("安全", '"安全"', "'安全'"),
        ("安全 数据", '("安全" AND "数据")', "('安全' & '数据')"),
        ("安全 AND 数据", '("安全" AND "数据")', "('安全' & '数据')"),
        ("人工智能", '"人工 工智 智能"', "('人工' <-> '工智' <-> '智能')"),
        ('"Measures for Labeling"', '"measures for labeling"', "('measures' <-> 'for' <-> 'labeling')"),
        ('"人工 智能"', '"人工 工智 智能"', "('人工' <-> '工智' <-> '智能')"),  # spaces between Chinese fold
        ("数据 OR 算力 安全", '(("数据" OR "算力") AND "安全")', "(('数据' | '算力') & '安全')"),
        ("(数据 OR 算力) -草案", '(("数据" OR "算力") NOT "草案")', "(('数据' | '算力') & !'草案')"),
        ("安全 NOT 草案", '("安全" NOT "草案")', "('安全' & !'草案')"),
        (
            '安全 -"征求意见稿"',
            '("安全" NOT "征求 求意 意见 见稿")',
            "('安全' & !('征求' <-> '求意' <-> '意见' <-> '见稿'))",
        ),
        ("办法(试行)", '"办法 试行"', "('办法' <-> '试行')"),  # parentheses inside a word stay in it
        ("AI+ 安全", '("ai" AND "安全")', "('ai' & '安全')"),
        ("安全 +", '"安全"', "'安全'"),  # stray punctuation searches for nothing
        ("“大模型”", '"大模 模型"', "('大模' <-> '模型')"),  # Chinese quotation marks make a phrase
    ],
)
def test_query_language(query, fts5, tsquery):
    parsed = parse_query(query)
    assert parsed.to_fts5() == fts5
    assert parsed.to_tsquery() == tsquery


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ('"安全', "unbalanced quote"),
        ('安全 "数据 治理', "unbalanced quote"),
        ("OR", "OR needs a word or phrase on each side"),
        ("安全 OR", "OR needs a word or phrase on each side"),
        ("OR 安全", "OR needs a word or phrase on each side"),
        ("安全 OR OR 数据", "OR needs a word or phrase on each side"),
        ("(安全 OR) 数据", "OR needs a word or phrase on each side"),
        ("AND 安全", "AND needs a word or phrase on each side"),
        ("-安全", "only excluded terms"),
        ("-安全 -数据", "only excluded terms"),
        ("安全 -", "excludes nothing"),
        ("安全 OR -数据", "cannot be a side of OR"),
        ("(安全", "unbalanced parenthesis"),
        ("安全)", "unbalanced parenthesis"),
        ("()", "empty parentheses"),
        ('""', "nothing to search for"),
        ("", "nothing to search for"),
        ("   ", "nothing to search for"),
        ("法", "single Chinese character"),
    ],
)
def test_malformed_queries_say_what_is_wrong(query, message):
    with pytest.raises(QuerySyntaxError, match=message):
        parse_query(query)
    assert issubclass(QuerySyntaxError, ValueError)  # the CLI turns ValueErrors into one clear line


# -- a corpus with known contents ----------------------------------------------------------------


def chinese_text(rng: random.Random) -> str:
    words = rng.sample(WORDS, 4)
    # A date and a Latin word before Chinese, as real pages have them: 2025年发布, AI应用.
    return (
        f"关于{words[0]}和{words[1]}的通知。{rng.randint(2020, 2026)}年推进{words[2]}工作，加强{words[3]}。"
    )


def english_text(rng: random.Random) -> str:
    words = rng.sample(ENGLISH, 3)
    return f"Notice on {words[0]} and {words[1]}. Promote {words[2]} work nationwide."


def build_corpus(database: Database) -> dict[str, dict]:
    """240 pages with a fixed seed: Chinese and English, three sources, categories, stated dates."""
    rng = random.Random(20240305)
    pages = {}
    with database.transaction() as session:
        for number in range(240):
            english = number % 4 == 3
            text = english_text(rng) if english else chinese_text(rng)
            url = f"https://www.example.cn/{number}.htm"
            info = {
                "title": f"Notice {number}" if english else f"文件{number}",
                "source": SOURCES[number % 3],
                "language": "en" if english else "zh",
                "categories": ["data_sharing"] if number % 5 == 0 else ["safety_governance"],
                "published": date(2023 + number % 3, 1 + number % 12, 1 + number % 28),
            }
            record_page(session, page(url, text, **info))
            pages[url] = {**info, "text": text}
    return pages


@pytest.fixture
def corpus(database):
    return build_corpus(database)


def urls(results):
    return {r.url for r in results}


def found(database, query, **filters):
    with database.session() as session:
        return urls(search(session, query, limit=1000, **filters))


def has(word):
    """Does a page contain a word (a Chinese word as a substring, an English word whole)?"""

    def check(info):
        text = info["text"]
        return word in terms(text) if word.isascii() else word in text

    return check


@pytest.mark.parametrize("word", ["安全", "数据", "算力", "治理"])
def test_two_character_chinese_queries_find_exactly_the_pages_containing_them(database, corpus, word):
    expected = {url for url, info in corpus.items() if word in info["text"]}
    assert 0 < len(expected) < len(corpus)
    assert found(database, word) == expected


def test_chinese_after_a_number_is_found(database):
    with database.transaction() as session:
        record_page(session, page("https://a.cn/1", "国家网信办于2025年3月14日发布标识办法。推进5G应用。"))
    assert found(database, "发布") == {"https://a.cn/1"}
    assert found(database, "应用") == {"https://a.cn/1"}
    assert found(database, '"2025年3月14日"') == {"https://a.cn/1"}


def test_phrases_or_and_exclusion(database, corpus):
    def expect(predicate):
        return {url for url, info in corpus.items() if predicate(info)}

    assert found(database, "加强安全") == expect(lambda i: "加强安全" in i["text"])
    assert found(database, '"加强 安全"') == expect(lambda i: "加强安全" in i["text"])
    assert found(database, "安全 数据") == expect(lambda i: "安全" in i["text"] and "数据" in i["text"])
    assert found(database, "安全 OR 数据") == expect(lambda i: "安全" in i["text"] or "数据" in i["text"])
    assert found(database, "安全 -数据") == expect(lambda i: "安全" in i["text"] and "数据" not in i["text"])
    assert found(database, "(算力 OR 农业) -教育") == expect(
        lambda i: ("算力" in i["text"] or "农业" in i["text"]) and "教育" not in i["text"]
    )
    # English: a phrase is its words in order; words match whole and in any case.
    assert found(database, '"promote safety"') == expect(lambda i: "Promote safety" in i["text"])
    assert found(database, "SAFETY") == expect(has("safety"))
    assert found(database, "safety -sharing") == expect(lambda i: has("safety")(i) and not has("sharing")(i))
    assert found(database, "saf") == set()  # no partial words
    assert found(database, "区块链") == set()


def test_filters(database, corpus):
    def expect(predicate):
        return {url for url, info in corpus.items() if "安全" in info["text"] and predicate(info)}

    assert found(database, "安全", categories=["data_sharing"]) == expect(
        lambda i: "data_sharing" in i["categories"]
    )
    assert found(database, "安全", sources=["cac", "news"]) == expect(
        lambda i: i["source"] in ("cac", "news")
    )
    assert found(database, "notice", languages=["en"]) == {
        url for url, info in corpus.items() if info["language"] == "en"
    }
    assert found(database, "notice", languages=["zh"]) == set()
    since, until = date(2024, 3, 1), date(2024, 12, 31)
    in_range = expect(lambda i: since <= i["published"] <= until)
    assert len(in_range) > 0 and found(database, "安全", since=since, until=until) == in_range
    assert found(database, "安全", until=date(2023, 1, 1)) == expect(
        lambda i: i["published"] <= date(2023, 1, 1)
    )
    with pytest.raises(ValueError, match="after --until"):
        found(database, "安全", since=until, until=since)


def test_ranking_puts_title_matches_first_and_limits(database, corpus):
    with database.transaction() as session:
        record_page(session, page("https://t.cn/title", "一般性通知。安全。", title="安全生产通知"))
    with database.session() as session:
        results = search(session, "安全", limit=5)
    assert results[0].url == "https://t.cn/title"
    assert len(results) == 5
    assert [r.score for r in results] == sorted((r.score for r in results), reverse=True)


def test_all_versions_searches_history(database):
    url = "https://www.cac.gov.cn/draft.htm"
    with database.transaction() as session:
        record_page(
            session,
            page(url, "人工智能生成合成内容标识办法（征求意见稿）公开征求意见。", at=0, title="标识办法"),
        )
        record_page(session, page("https://other.cn/", "无关的页面，征求意见。", at=0, title="其他"))
    with database.transaction() as session:
        record_page(session, page(url, "人工智能生成合成内容标识办法正式发布。", at=24, title="标识办法"))
    with database.transaction() as session:
        record_page(session, page(url, "人工智能生成合成内容标识办法正式发布，自2025年9月1日起施行。", at=48))
    with database.session() as session:
        current = search(session, "征求意见稿")
        history = search(session, "征求意见稿", all_versions=True)
        both = search(session, "标识办法", all_versions=True, limit=10)
        other = search(session, "征求意见", all_versions=True)
    assert current == []
    assert [(r.url, r.seq, r.current) for r in history] == [(url, 1, False)]
    assert "**征求意见稿**" in history[0].to_dict()["snippet"]
    assert sorted((r.seq, r.current) for r in both) == [(1, False), (2, False), (3, True)]
    assert {r.url for r in other} == {url, "https://other.cn/"}


def test_snippets_mark_the_matches(database):
    filler = "这是一段与主题无关的文字。" * 40
    text = filler + "各地要加强数据安全管理，保障数据安全。" + filler
    english = "Intro. " * 50 + "The Measures for Labeling AI-Generated Content take effect. " + "Outro. " * 50
    with database.transaction() as session:
        record_page(session, page("https://s.cn/zh", text, title="通知"))
        record_page(session, page("https://s.cn/en", english, title="Labeling"))
    with database.session() as session:
        [zh] = search(session, "数据安全")
        [en] = search(session, '"measures for labeling"')
        [both] = search(session, "安全 管理")
    assert zh.snippet.marked().count("**数据安全**") == 2
    assert zh.snippet.text.startswith("…") and zh.snippet.text.endswith("…")
    assert len(zh.snippet.text) <= 170
    assert [zh.snippet.text[s:e] for s, e in zh.snippet.highlights] == ["数据安全", "数据安全"]
    assert "**Measures for Labeling**" in en.to_dict()["snippet"]  # the page's own case
    # Both words, side by side, marked as one stretch; the snippet starts at the sentence.
    assert both.snippet.marked().startswith("…各地要加强数据**安全管理**，保障数据**安全**。")


def test_make_snippet_without_a_match_in_the_text_starts_at_the_top():
    snippet = make_snippet("第一句。第二句。", parse_query("标题").phrases())
    assert snippet.text == "第一句。第二句。" and snippet.highlights == ()


# -- migrating an archive from before the history index -------------------------------------------


def test_upgrade_indexes_history_and_reindexes_current(db_url, tmp_path):
    db = Database(DatabaseSettings(url=db_url, archive_dir=tmp_path / "archive"))
    try:
        db.upgrade("0001")
        url = "https://www.gov.cn/old.htm"
        with db.transaction() as session:  # 0001 has no history index: only new pages are recorded
            record_page(session, page(url, "于2025年发布的征求意见稿。", title="旧"))
            document = session.scalar(select(Document).where(Document.url == url))
            old = session.get(Version, document.current_version_id)
            newer = Version(
                document_id=document.id,
                seq=2,
                fetched_at=T0,
                text="正式文本。",
                text_sha256="x" * 64,
                title="新",
                categories=" ",
            )
            session.add(newer)
            session.flush()
            session.execute(
                update(Document).where(Document.id == document.id).values(current_version_id=newer.id)
            )
        db.upgrade()
        with db.session() as session:
            assert search(session, "征求意见稿") == []  # the current index was rebuilt from version 2
            assert [(r.seq, r.current) for r in search(session, "征求意见稿", all_versions=True)] == [
                (1, False)
            ]
            assert search(session, "发布", all_versions=True)[0].version_id == old.id
            assert search(session, "正式")[0].seq == 2
    finally:
        db.dispose()


# -- the same answers on both backends -----------------------------------------------------------


PARITY_QUERIES = [
    "安全",
    "数据 安全",
    "安全 OR 算力",
    "安全 -数据",
    "(治理 OR 标准) -开放",
    '"加强安全"',
    "加强安全",
    "notice",
    '"promote data"',
    "safety OR farming -education",
    "2024年",
]


def test_sqlite_and_postgresql_give_the_same_results(tmp_path, postgres_server):
    lite = Database.open(DatabaseSettings(url=f"sqlite:///{tmp_path / 'a.db'}"))
    pg_url = postgres_server.create_database("aiplus_search_parity")
    pg = Database.open(DatabaseSettings(url=pg_url))
    try:
        for db in (lite, pg):
            build_corpus(db)
            with db.transaction() as session:  # and some history
                record_page(session, page("https://www.example.cn/0.htm", "全新的正文，加强安全。", at=5))
        for query in PARITY_QUERIES:
            for options in ({}, {"all_versions": True}, {"sources": ["cac"], "since": date(2024, 1, 1)}):
                answers = []
                for db in (lite, pg):
                    with db.session() as session:
                        results = search(session, query, limit=1000, **options)
                    answers.append({(r.url, r.seq): r.snippet.marked() for r in results})
                assert answers[0] == answers[1], (query, options)
                assert answers[0] or query == "2024年", query
    finally:
        lite.dispose()
        pg.dispose()
        postgres_server.drop_database("aiplus_search_parity")


def test_mentions_do_not_leak_into_search(database):
    mention = MentionRecord(kind="regulation", title="区块链信息服务管理规定", status="final")
    with database.transaction() as session:
        record_page(session, page("https://m.cn/", "普通的页面。", mentions=[mention]))
    assert found(database, "区块链") == set()  # only page text and title are searched


def _pieces(value):
    """Index terms with the run piece each comes from (the tokenizer of storage/fulltext.py)."""
    out, piece_id = [], 0
    for match in _RUN.finditer(unicodedata.normalize("NFKC", value)):
        cjk, word = match.groups()
        pieces = [p for p in _CJK_PUNCT.split(cjk) if p] if cjk else [word.lower()]
        for piece in pieces:
            piece_id += 1
            if cjk and len(piece) > 1:
                out.extend((piece[i : i + 2], piece_id) for i in range(len(piece) - 1))
            else:
                out.append((piece, piece_id))
    return out


def _index_matches(text, phrase, *, bridging):
    """Does the index find the phrase in the text? Without `bridging`, not counting the bigram index's
    artefact of chaining pairs across two runs (年数，数据 is indexed 年数 数据, so 年数据 matches)."""
    text_terms, query = _pieces(text), _pieces(phrase.text)
    size = len(query)
    for i in range(len(text_terms) - size + 1):
        window = text_terms[i : i + size]
        if [t for t, _ in window[:-1]] != [t for t, _ in query[:-1]]:
            continue
        last, wanted = window[-1][0], query[-1][0]
        if not (last.startswith(wanted) if phrase.prefix else last == wanted):
            continue
        same_run = all(
            (window[j][1] == window[j + 1][1]) == (query[j][1] == query[j + 1][1]) for j in range(size - 1)
        )
        if bridging or same_run:
            return True
    return False


def test_highlighting_finds_what_the_index_finds():
    """Snippet matching (regular expressions over the page text) agrees with the index's terms on
    random mixtures of Chinese, punctuation, spaces, digits and Latin words."""
    rng = random.Random(7)
    alphabet = [
        "数",
        "据",
        "安",
        "全",
        "年",
        "，",
        "。",
        " ",
        "AI",
        "ai",
        "5G",
        "2025",
        "Data",
        "-",
        "（",
        "）",
    ]
    queries = [
        "数据",
        "安全",
        "数据安全",
        "据安",
        "AI安全",
        "2025年",
        '"ai 数据"',
        "5G",
        "data",
        '"数据，安全"',
        "年数据",
        '"2025 年"',
        "数据-AI",
    ]
    checked = 0
    for _ in range(400):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(3, 25)))
        text_terms = terms(text)
        for query in queries:
            [phrase] = parse_query(query).phrases()
            assert [t for t, _ in _pieces(text)] == text_terms  # the reference tokenizes as the index does
            highlighted = bool(find_matches(text, [phrase]))
            assert highlighted == _index_matches(text, phrase, bridging=False), (text, query)
            assert not highlighted or _index_matches(text, phrase, bridging=True)
            checked += highlighted
    assert checked > 100
