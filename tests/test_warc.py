"""Raw responses archived as WARC: readable back at the stored offset, and by a standard WARC reader."""

from __future__ import annotations

from datetime import UTC, datetime

from warcio.archiveiterator import ArchiveIterator

from crawler.warc import WarcArchive, read_response


def test_records_are_found_at_their_offsets_and_replayable(tmp_path):
    archive = WarcArchive(tmp_path, "gov-cn", "20260305T080000Z-run1")
    now = datetime(2026, 3, 5, 8, 0, tzinfo=UTC)
    pages = {
        "https://www.gov.cn/a.htm": "<html><body>国务院关于深入实施“人工智能+”行动的意见</body></html>".encode(
            "gbk"
        ),
        "https://www.gov.cn/b.htm": b"<html><body>English page</body></html>",
    }
    locations = {
        url: archive.write_response(url, 200, [("Content-Type", "text/html; charset=gb2312")], body, now)
        for url, body in pages.items()
    }
    archive.close()
    for url, location in locations.items():
        got_url, status, headers, body = read_response(tmp_path, location)
        assert (got_url, status, body) == (url, 200, pages[url])
        assert headers["Content-Type"] == "text/html; charset=gb2312"
    with open(tmp_path / locations["https://www.gov.cn/a.htm"].path, "rb") as handle:
        records = [(r.rec_type, r.rec_headers.get_header("WARC-Target-URI")) for r in ArchiveIterator(handle)]
    assert records == [("response", url) for url in pages]
