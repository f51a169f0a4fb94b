"""TOML with the line each table, key and value was written on, for every TOML source.

TOML parsers keep no positions, so :class:`TomlLines` reads the text a second time; :func:`load`
parses with the standard library's ``tomllib`` (``tomli`` before Python 3.11), which is fast on
lockfiles of many thousand entries, and turns a syntax error into a ManifestError with its line.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator, Mapping
from typing import Any

from depguard.errors import ManifestError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - the backport of tomllib
    import tomli as tomllib


def load(text: str) -> Mapping[str, Any]:
    """Parse TOML; a syntax error becomes a ManifestError with its line."""
    try:
        data: dict[str, Any] = tomllib.loads(text)
        return data
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        found = re.search(r"\(at line (\d+), column \d+\)", message)
        line = int(found.group(1)) if found else None
        if line is None and "(at end of document)" in message:
            line = text.count("\n") + 1
        reason = message.split(" (at ", maxsplit=1)[0].strip() or "syntax error"
        raise ManifestError(f"invalid TOML: {reason}", line) from None
    except RecursionError:
        raise ManifestError("invalid TOML: nested too deeply") from None


class TomlLines:
    """Finds the line a TOML table, key or string value was written on.

    TOML parsers keep no positions, so this reads the text: good enough for every ordinary
    layout, and it falls back to the table header (or no line) rather than guess wrongly.
    """

    _HEADER = re.compile(r"^\s*\[\[?([^\]]+)\]\]?\s*(#.*)?$")

    def __init__(self, text: str) -> None:
        self.lines = text.splitlines()
        self.headers: list[tuple[int, tuple[str, ...]]] = []
        for index, line in enumerate(self.lines):
            match = self._HEADER.match(line)
            if match:
                self.headers.append((index, _split_dotted(match.group(1))))

    def array_lines(self, path: tuple[str, ...]) -> list[int]:
        """The line of each ``[[path]]`` header, in order: entry ``i`` of an array of tables."""
        return [index + 1 for index, header in self.headers if header == path]

    def line_in(self, start: int | None, key: str) -> int | None:
        """The line of ``key = ...`` in the table whose header is on line ``start``; else
        ``start``."""
        if start is None:
            return None
        pattern = re.compile(rf"^\s*(?:{re.escape(key)}|\"{re.escape(key)}\")\s*=")
        for index in range(start, len(self.lines)):
            line = self.lines[index]
            if self._HEADER.match(line):
                break
            if pattern.match(line):
                return index + 1
        return start

    def header_line(self, path: tuple[str, ...]) -> int | None:
        for index, header in self.headers:
            if header == path:
                return index + 1
        return None

    def _region(self, path: tuple[str, ...]) -> Iterator[int]:
        start = self.header_line(path)
        if start is None:
            return
        for index in range(start, len(self.lines)):
            if self._HEADER.match(self.lines[index]):
                return
            yield index

    def key_line(self, table: tuple[str, ...], key: str) -> int | None:
        pattern = re.compile(
            rf"^\s*(?:{re.escape(key)}|\"{re.escape(key)}\"|'{re.escape(key)}')"
            r"\s*="
        )
        for index in self._region(table):
            if pattern.match(self.lines[index]):
                return index + 1
        dotted = ".".join((*table, key))
        for index, line in enumerate(self.lines):
            if line.strip().replace(" ", "").startswith(f"{dotted}="):
                return index + 1
        return self.header_line(table)

    def value_line(self, value: str, start: int | None) -> int | None:
        needles = (f'"{value}"', f"'{value}'", value)
        begin = (start or 1) - 1
        for needle in needles:
            for index in range(begin, len(self.lines)):
                if needle in self.lines[index]:
                    return index + 1
        return start


def _split_dotted(header: str) -> tuple[str, ...]:
    parts = re.findall(r'"([^"]*)"|\'([^\']*)\'|([^.\s]+)', header)
    return tuple(next(p for p in part if p) if any(part) else "" for part in parts)
