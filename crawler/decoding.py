"""Turning response bytes into text, for pages that lie about their encoding.

Order of evidence: the HTTP header, then a byte-order mark, then the page's own <meta> charset, then
detection. Chinese pages lie in two known ways, both handled here:

* they declare gb2312 (or gbk) and contain characters outside it (朱镕基's 镕, 喆): every gb2312 or gbk
  label is read as GB18030, the superset that decodes them all;
* they declare gb2312 and are really UTF-8 (re-saved by a CMS): bytes that are valid UTF-8 and contain
  multi-byte sequences are read as UTF-8 whatever the label says, since GBK text is almost never valid
  UTF-8 by accident.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

from charset_normalizer import from_bytes

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?([A-Za-z0-9_.:-]+)", re.IGNORECASE)
_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))
# Labels whose real-world content is a superset: read them as the superset.
_SUPERSETS = {
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "x-gbk": "gb18030",
    "cp936": "gb18030",
    "gb_2312-80": "gb18030",
    "iso-8859-1": "cp1252",
    "latin-1": "cp1252",
    "ascii": "cp1252",
    "us-ascii": "cp1252",
}
_HEAD_BYTES = 4096


@dataclass(frozen=True)
class DecodedPage:
    text: str
    encoding: str  # the codec actually used
    declared: str | None  # what the header or page claimed, if anything
    replaced: int  # characters that could not be decoded (U+FFFD written instead)


def _codec(label: str | None) -> str | None:
    if not label:
        return None
    label = label.strip().lower()
    label = _SUPERSETS.get(label, label)
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def _is_utf8_with_multibyte(body: bytes) -> bool:
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return any(byte >= 0x80 for byte in body[:65536])


def declared_charset(body: bytes, content_type: str | None) -> tuple[str | None, str | None]:
    """(label from the HTTP header, label from the page's <meta>), either None."""
    header = None
    if content_type:
        match = _HEADER_CHARSET.search(content_type)
        header = match.group(1) if match else None
    meta_match = _META_CHARSET.search(body[:_HEAD_BYTES])
    meta = meta_match.group(1).decode("ascii", "replace") if meta_match else None
    return header, meta


def decode_body(body: bytes, content_type: str | None = None) -> DecodedPage:
    """Decode a response body; never raises, and says what it used."""
    header_label, meta_label = declared_charset(body, content_type)
    declared = header_label or meta_label
    for bom, codec in _BOMS:
        if body.startswith(bom):
            return _decode(body[len(bom) :], codec, declared)

    if _is_utf8_with_multibyte(body):
        return _decode(body, "utf-8", declared)
    for label in (header_label, meta_label):
        label_codec = _codec(label)
        if label_codec and label_codec != "utf-8":
            decoded = _decode(body, label_codec, declared)
            if decoded.replaced == 0:
                return decoded
    if not any(byte >= 0x80 for byte in body[:65536]):
        return _decode(body, "utf-8", declared)
    # No label fits: detect. GB18030 first because it is what most unlabelled Chinese pages are.
    gb = _decode(body, "gb18030", declared)
    if gb.replaced == 0:
        return gb
    best = from_bytes(body[:262144]).best()
    if best is not None:
        detected = _codec(best.encoding)
        if detected:
            return _decode(body, detected, declared)
    return _decode(body, "utf-8", declared)


def _decode(body: bytes, codec: str, declared: str | None) -> DecodedPage:
    text = body.decode(codec, errors="replace")
    return DecodedPage(text=text, encoding=codec, declared=declared, replaced=text.count("\ufffd"))
