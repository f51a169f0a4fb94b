"""Reading input files safely: bounded size, no binaries, strict UTF-8 with a line number."""

from __future__ import annotations

import codecs
from pathlib import Path
from typing import TYPE_CHECKING

from depguard.errors import ManifestError

if TYPE_CHECKING:
    from depguard.sources import SourceResult

MANIFEST_LIMIT = 8 * 1024 * 1024
"""Largest manifest read (bytes). A 100,000-line requirements file is about 2 MB."""

LOCKFILE_LIMIT = 64 * 1024 * 1024
"""Largest lockfile read (bytes)."""

LINE_LIMIT = 64 * 1024
"""Longest line accepted in a line-oriented manifest."""


def read_text(path: Path, limit: int = MANIFEST_LIMIT) -> str:
    """The file's text, or a ManifestError that says what is wrong (and on which line)."""
    try:
        with path.open("rb") as handle:
            data = handle.read(limit + 1)
    except IsADirectoryError:
        raise ManifestError("is a directory, not a file") from None
    except FileNotFoundError:
        raise ManifestError("file not found") from None
    except PermissionError:
        raise ManifestError("permission denied") from None
    except OSError as exc:
        raise ManifestError(f"cannot read: {exc.strerror or exc}") from None
    if len(data) > limit:
        raise ManifestError(f"file is larger than {limit // (1024 * 1024)} MiB; not read")
    return decode(data)


def decode(data: bytes) -> str:
    """Decode manifest bytes: UTF-8 (a BOM is allowed), or UTF-16 with a BOM. Binary is refused."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise ManifestError(f"invalid UTF-16: {exc.reason}") from None
    if b"\x00" in data:
        line = data[: data.index(b"\x00")].count(b"\n") + 1
        raise ManifestError("binary file (contains NUL bytes); not a manifest", line)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ManifestError(
            f"invalid UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start})", line
        ) from None


def read_into(
    path: Path, display: str, result: SourceResult, limit: int = MANIFEST_LIMIT
) -> str | None:
    """The file's text, noting the file in ``result``; or None, with the reason recorded there
    as an input error (with its line where there is one)."""
    try:
        text = read_text(path, limit)
    except ManifestError as exc:
        result.error(display, exc.line, exc.message)
        return None
    result.files.append(display)
    return text


def read_stdin() -> str:
    """Standard input as a requirements list: bounded like a manifest, decoded like one."""
    import sys

    from depguard.errors import UsageError

    data = sys.stdin.buffer.read(MANIFEST_LIMIT + 1)
    if len(data) > MANIFEST_LIMIT:
        raise UsageError("standard input is larger than the manifest size bound")
    try:
        return decode(data)
    except ManifestError as exc:
        raise UsageError(f"standard input: {exc.message}") from None
