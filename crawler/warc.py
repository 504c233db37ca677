"""Raw responses archived as WARC files (warcio), so the archive can be re-extracted without
refetching and replayed by standard WARC tools.

Each crawl run of a source appends to its own gzipped WARC file; every record is a separate gzip
member, so a version stores (path, offset) and its record is read back with one seek. A crash can leave
a record the database never referenced (harmless), never a database row pointing at a missing record:
the record is written and flushed before the page is recorded.
"""

from __future__ import annotations

import hashlib
import os
import threading
from dataclasses import dataclass
from datetime import datetime
from io import BytesIO
from pathlib import Path
from typing import BinaryIO

from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

_REASONS = {200: "OK", 304: "Not Modified", 404: "Not Found", 410: "Gone"}


@dataclass(frozen=True)
class WarcLocation:
    path: str  # relative to the archive folder
    offset: int


class WarcArchive:
    """Appends response records to `archive_dir/<source>/<run file>.warc.gz`; safe across threads."""

    def __init__(self, archive_dir: Path, source: str, run_label: str) -> None:
        self.archive_dir = Path(archive_dir)
        safe_source = "".join(c if c.isalnum() or c in "-_." else "_" for c in source)
        self.relative_path = Path(safe_source) / f"{run_label}.warc.gz"
        self.path = self.archive_dir / self.relative_path
        self._lock = threading.Lock()
        self._file: BinaryIO | None = None

    def _open(self) -> BinaryIO:
        if self._file is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._file = open(self.path, "ab")  # noqa: SIM115 - kept open for the whole run
            self._writer = WARCWriter(self._file, gzip=True)
        return self._file

    def write_response(
        self,
        url: str,
        status: int,
        headers: list[tuple[str, str]],
        body: bytes,
        fetched_at: datetime,
        ip: str | None = None,
    ) -> WarcLocation:
        http_headers = StatusAndHeaders(
            f"{status} {_REASONS.get(status, 'Unknown')}", headers, protocol="HTTP/1.1"
        )
        warc_headers = {
            "WARC-Date": fetched_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "WARC-Payload-Digest": "sha256:" + hashlib.sha256(body).hexdigest(),
        }
        if ip:
            warc_headers["WARC-IP-Address"] = ip
        with self._lock:
            handle = self._open()
            offset = handle.tell()
            record = self._writer.create_warc_record(
                url,
                "response",
                payload=BytesIO(body),
                length=len(body),
                http_headers=http_headers,
                warc_headers_dict=warc_headers,
            )
            self._writer.write_record(record)
            # Flushed to the OS before the page is recorded, so a killed crawl never leaves a version
            # pointing past the end of its file (fsync per page would cost more than the fetch).
            handle.flush()
        return WarcLocation(str(self.relative_path), offset)

    def close(self) -> None:
        with self._lock:
            if self._file is not None:
                self._file.flush()
                os.fsync(self._file.fileno())
                self._file.close()
                self._file = None


def read_response(archive_dir: Path, location: WarcLocation) -> tuple[str, int, dict[str, str], bytes]:
    """(url, status, headers, body) of the record at a stored location."""
    with open(Path(archive_dir) / location.path, "rb") as handle:
        handle.seek(location.offset)
        for record in ArchiveIterator(handle):
            url = record.rec_headers.get_header("WARC-Target-URI")
            status = int(record.http_headers.get_statuscode()) if record.http_headers else 0
            headers = dict(record.http_headers.headers) if record.http_headers else {}
            return url, status, headers, record.content_stream().read()
    raise LookupError(f"no WARC record at {location.path}@{location.offset}")
