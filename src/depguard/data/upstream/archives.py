"""The member names of a release file on the file host, and the text of a few small members.

A wheel is a zip: its table of contents sits at the end, so two or three ranged requests read
it without the rest of the file (see :mod:`depguard.data.upstream.zipdir`). An sdist is a tar
archive whose listing needs the whole (bounded) download; it is read in memory, nothing is
written to disk, and nothing in it is ever run.
"""

from __future__ import annotations

import io
import tarfile
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from depguard.data.upstream import zipdir
from depguard.registries.http import HttpClient, RegistryError

TAIL_BYTES = 64 * 1024
MAX_DIRECTORY_BYTES = 16 * 1024 * 1024
MAX_MEMBER_BYTES = 64 * 1024
MAX_SDIST_BYTES = 32 * 1024 * 1024
MAX_SDIST_MEMBERS = 50_000

Want = Callable[[Sequence[str]], Sequence[str]]
"""Given every member name, the names of the small members whose text is wanted."""


class ArchiveError(Exception):
    """The file could not be listed; the message is one line, for a person."""


@dataclass(frozen=True)
class Listing:
    members: tuple[str, ...]
    texts: dict[str, str]
    fetched: int
    """Bytes downloaded to list the file."""


async def wheel_listing(
    http: HttpClient, url: str, size: int, want: Want, *, tail_bytes: int = TAIL_BYTES
) -> Listing:
    """List a wheel of ``size`` bytes with ranged requests, the first for its last
    ``tail_bytes``."""
    tail, tail_start = await _tail(http, url, size, tail_bytes)
    fetched = len(tail)
    try:
        where = zipdir.locate_directory(tail, tail_start)
        if where.size > MAX_DIRECTORY_BYTES:
            raise ArchiveError(f"central directory of {where.size} bytes is over the bound")
        if where.offset >= tail_start:
            start = where.offset - tail_start
            directory = tail[start : start + where.size]
        else:
            directory = await _range(http, url, where.offset, where.offset + where.size - 1)
            fetched += len(directory)
        members = zipdir.parse_directory(directory)
        by_name = {m.name: m for m in members}
        texts: dict[str, str] = {}
        for name in want([m.name for m in members]):
            member = by_name.get(name)
            if member is None or member.size > MAX_MEMBER_BYTES:
                continue
            first, last = zipdir.member_span(member)
            last = min(last, size - 1)
            if first >= tail_start:
                chunk = tail[first - tail_start : last - tail_start + 1]
            else:
                chunk = await _range(http, url, first, last)
                fetched += len(chunk)
            texts[name] = zipdir.member_data(member, chunk, MAX_MEMBER_BYTES).decode(
                "utf-8", "replace"
            )
    except zipdir.ZipError as exc:
        raise ArchiveError(f"not a readable zip: {exc}") from None
    return Listing(tuple(m.name for m in members), texts, fetched)


async def sdist_listing(http: HttpClient, url: str, filename: str, want: Want) -> Listing:
    """List an sdist (``.tar.gz``, ``.tar.bz2``, ``.zip``) from a bounded full download."""
    try:
        response = await http.get(url, max_bytes=MAX_SDIST_BYTES)
    except RegistryError as exc:
        raise ArchiveError(str(exc)) from None
    if response.status != 200:
        raise ArchiveError(f"HTTP {response.status}")
    body = response.body
    if filename.endswith(".zip"):
        members, texts = _zip_members(body, want)
    else:
        members, texts = _tar_members(body, want)
    return Listing(tuple(members), texts, len(body))


def _zip_members(body: bytes | bytearray, want: Want) -> tuple[list[str], dict[str, str]]:
    try:
        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            infos = archive.infolist()[:MAX_SDIST_MEMBERS]
            names = [i.filename for i in infos]
            sizes = {i.filename: i.file_size for i in infos}
            texts = {
                name: archive.read(name).decode("utf-8", "replace")
                for name in want(names)
                if sizes.get(name, MAX_MEMBER_BYTES + 1) <= MAX_MEMBER_BYTES
            }
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise ArchiveError(f"not a readable zip: {exc}") from None
    return names, texts


def _tar_members(body: bytes | bytearray, want: Want) -> tuple[list[str], dict[str, str]]:
    try:
        with tarfile.open(fileobj=io.BytesIO(body), mode="r:*") as archive:
            infos: list[tarfile.TarInfo] = []
            for info in archive:
                if info.isfile():
                    infos.append(info)
                if len(infos) >= MAX_SDIST_MEMBERS:
                    break
            by_name = {i.name: i for i in infos}
            texts: dict[str, str] = {}
            for name in want(list(by_name)):
                member = by_name.get(name)
                if member is None or member.size > MAX_MEMBER_BYTES:
                    continue
                handle = archive.extractfile(member)
                if handle is not None:
                    texts[name] = handle.read(MAX_MEMBER_BYTES).decode("utf-8", "replace")
    except (tarfile.TarError, OSError, ValueError, EOFError) as exc:
        raise ArchiveError(f"not a readable tar archive: {exc}") from None
    return list(by_name), texts


async def _tail(http: HttpClient, url: str, size: int, tail_bytes: int) -> tuple[bytes, int]:
    """The last bytes of the file and the offset where they start."""
    try:
        response = await http.get(
            url,
            max_bytes=max(tail_bytes, MAX_DIRECTORY_BYTES),
            headers={"Range": f"bytes=-{tail_bytes}"},
        )
    except RegistryError as exc:
        raise ArchiveError(str(exc)) from None
    if response.status == 206:
        return bytes(response.body), max(0, size - len(response.body))
    if response.status == 200:  # the host ignored the range and sent the whole file
        return bytes(response.body), 0
    raise ArchiveError(f"HTTP {response.status}")


async def _range(http: HttpClient, url: str, first: int, last: int) -> bytes:
    try:
        response = await http.get(
            url, max_bytes=last - first + 1, headers={"Range": f"bytes={first}-{last}"}
        )
    except RegistryError as exc:
        raise ArchiveError(str(exc)) from None
    if response.status != 206:
        raise ArchiveError(f"HTTP {response.status} to a range request")
    return bytes(response.body)
