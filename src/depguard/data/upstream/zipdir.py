"""Reading a zip archive's table of contents from its last bytes, without the rest of it.

A zip file ends with the "end of central directory" record, which says where the central
directory (one entry per member: name, sizes, where its data starts) begins and how long it is.
With the file's size known, a ranged request for the tail usually holds all of it; a huge
directory needs one more ranged request. A small member (``top_level.txt``, a namespace
``__init__.py``) can then be read with one more range. Nothing here touches the network: the
caller hands in bytes and gets back offsets to ask for.
"""

from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass

_EOCD = b"PK\x05\x06"
_EOCD_SIZE = 22
_ZIP64_LOCATOR = b"PK\x06\x07"
_ZIP64_LOCATOR_SIZE = 20
_ZIP64_EOCD = b"PK\x06\x06"
_CENTRAL = b"PK\x01\x02"
_CENTRAL_SIZE = 46
_LOCAL = b"PK\x03\x04"
_LOCAL_SIZE = 30
_UTF8_FLAG = 0x800
_STORED, _DEFLATED = 0, 8
MAX_MEMBERS = 200_000


class ZipError(ValueError):
    """The bytes are not the zip structure they should be."""


@dataclass(frozen=True)
class Directory:
    """Where the central directory is: ``offset`` and ``size`` in bytes, ``entries`` count."""

    offset: int
    size: int
    entries: int


@dataclass(frozen=True)
class Member:
    name: str
    header_offset: int
    compressed_size: int
    size: int
    method: int


def locate_directory(tail: bytes, tail_start: int) -> Directory:
    """Find the central directory from the last bytes of the file (``tail`` starts at byte
    ``tail_start`` of the file)."""
    at = tail.rfind(_EOCD, 0, max(0, len(tail) - _EOCD_SIZE + len(_EOCD)))
    while at >= 0:
        comment_length = struct.unpack_from("<H", tail, at + 20)[0]
        if at + _EOCD_SIZE + comment_length == len(tail):
            break
        at = tail.rfind(_EOCD, 0, at + len(_EOCD) - 1)
    if at < 0:
        raise ZipError("no end-of-central-directory record in the last bytes")
    entries, size, offset = struct.unpack_from("<HII", tail, at + 10)
    if 0xFFFFFFFF in (size, offset) or entries == 0xFFFF:
        return _zip64_directory(tail, at)
    return Directory(offset, size, entries)


def _zip64_directory(tail: bytes, eocd_at: int) -> Directory:
    locator_at = eocd_at - _ZIP64_LOCATOR_SIZE
    if locator_at < 0 or tail[locator_at : locator_at + 4] != _ZIP64_LOCATOR:
        raise ZipError("zip64 archive without a zip64 locator")
    record_offset = struct.unpack_from("<Q", tail, locator_at + 8)[0]
    # The zip64 record sits right before the locator; find it in the tail by its signature.
    record_at = tail.rfind(_ZIP64_EOCD, 0, locator_at)
    if record_at < 0:
        raise ZipError(f"zip64 end record (at byte {record_offset}) not in the tail")
    entries, size, offset = struct.unpack_from("<QQQ", tail, record_at + 32)
    return Directory(offset, size, entries)


def parse_directory(data: bytes) -> list[Member]:
    """The members listed in a central directory's bytes."""
    members: list[Member] = []
    at = 0
    while at + _CENTRAL_SIZE <= len(data) and data[at : at + 4] == _CENTRAL:
        (flags, method, compressed, size, name_len, extra_len, comment_len) = struct.unpack_from(
            "<HH8xIIHHH", data, at + 8
        )
        header_offset = struct.unpack_from("<I", data, at + 42)[0]
        name_start = at + _CENTRAL_SIZE
        raw_name = data[name_start : name_start + name_len]
        extra = data[name_start + name_len : name_start + name_len + extra_len]
        if 0xFFFFFFFF in (compressed, size, header_offset):
            size, compressed, header_offset = _zip64_extra(extra, size, compressed, header_offset)
        name = raw_name.decode("utf-8" if flags & _UTF8_FLAG else "cp437", "replace")
        members.append(Member(name, header_offset, compressed, size, method))
        if len(members) > MAX_MEMBERS:
            raise ZipError(f"more than {MAX_MEMBERS} members")
        at = name_start + name_len + extra_len + comment_len
    if not members and data:
        raise ZipError("central directory has no readable entry")
    return members


def _zip64_extra(extra: bytes, size: int, compressed: int, offset: int) -> tuple[int, int, int]:
    at = 0
    while at + 4 <= len(extra):
        tag, length = struct.unpack_from("<HH", extra, at)
        if tag == 0x0001:
            values = list(struct.unpack_from(f"<{length // 8}Q", extra, at + 4))
            if size == 0xFFFFFFFF and values:
                size = values.pop(0)
            if compressed == 0xFFFFFFFF and values:
                compressed = values.pop(0)
            if offset == 0xFFFFFFFF and values:
                offset = values.pop(0)
            break
        at += 4 + length
    return size, compressed, offset


def member_span(member: Member, slack: int = 1024) -> tuple[int, int]:
    """The byte range (start, end inclusive) that holds the member's local header and data;
    ``slack`` covers the local header's own name and extra field."""
    start = member.header_offset
    return start, start + _LOCAL_SIZE + member.compressed_size + slack - 1


def member_data(member: Member, chunk: bytes, max_size: int = 1 << 20) -> bytes:
    """The member's uncompressed content from ``chunk``, which starts at its local header."""
    if chunk[:4] != _LOCAL:
        raise ZipError(f"{member.name}: no local header where the directory points")
    name_len, extra_len = struct.unpack_from("<HH", chunk, 26)
    start = _LOCAL_SIZE + name_len + extra_len
    raw = chunk[start : start + member.compressed_size]
    if len(raw) < member.compressed_size:
        raise ZipError(f"{member.name}: data cut short")
    if member.method == _STORED:
        return raw[:max_size]
    if member.method == _DEFLATED:
        inflater = zlib.decompressobj(-15)
        try:
            return inflater.decompress(raw, max_size)
        except zlib.error as exc:
            raise ZipError(f"{member.name}: {exc}") from None
    raise ZipError(f"{member.name}: compression method {member.method} not supported")
