"""Digest files in a folder: one file per delivery, named by digest and time, and an Atom feed
(`<digest>.atom`) that feed readers can follow when the folder is served."""

from __future__ import annotations

import logging
import re
from datetime import UTC
from pathlib import Path
from typing import Any

from digest.atom import update_feed, write_atomically
from digest.channels.base import Channel, ChannelConfigError, DeliveryError
from digest.formats import get_format
from digest.message import DigestMessage

log = logging.getLogger(__name__)


def file_stem(name: str) -> str:
    """A digest name as a safe file name part."""
    return re.sub(r"[^\w.-]+", "-", name, flags=re.UNICODE).strip(".-") or "digest"


class DirectoryChannel(Channel):
    """Files in the folder `directory`: `<digest>-<UTC time>.<ext>` in the digest's `format`
    (html by default), and the feed `<digest>.atom` with the latest digests."""

    kind = "directory"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.target.strip():
            raise ChannelConfigError("directory is empty: name a folder, or leave the key out")
        try:
            self.format = get_format(self.digest.format)
        except ValueError as exc:
            raise ChannelConfigError(str(exc)) from None

    @property
    def folder(self) -> Path:
        return Path(self.target).expanduser()

    def deliver(self, message: DigestMessage) -> None:
        digest = message.digest
        stem = f"{file_stem(digest.name)}-{digest.generated_at.astimezone(UTC):%Y%m%dT%H%M%SZ}"
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            path = self._free_path(stem, self.format.extension)
            write_atomically(path, message.render(self.format.kind))
            update_feed(
                self.folder / f"{file_stem(digest.name)}.atom",
                digest,
                message.subject,
                message.render("html"),
                link=path.name,
            )
        except OSError as exc:
            raise DeliveryError(f"cannot write to {self.folder}: {exc.strerror or exc}") from None
        log.info("digest %s written to %s", digest.name, path)

    def _free_path(self, stem: str, extension: str) -> Path:
        path = self.folder / f"{stem}.{extension}"
        number = 2
        while path.exists():
            path = self.folder / f"{stem}-{number}.{extension}"
            number += 1
        return path
