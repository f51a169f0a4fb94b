"""Reading JSON manifests with the line each key was written on.

``json`` keeps no positions, so the text is read a second time by a small tokenizer that
follows only JSON's structure (strings, braces, brackets, colons and commas) and records the
line of every object key under its path. It relies on JSON's own guarantee that a ``"``
inside a string is escaped, so no string content can be mistaken for structure. Keys that the
tokenizer could not place simply have no line; the values always come from ``json`` itself.
"""

from __future__ import annotations

import bisect
import json
import re
from typing import Any

from depguard.errors import ManifestError

_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[{}\[\]:,]', re.DOTALL)

Path = tuple[str | int, ...]


def load(text: str) -> Any:
    """Parse JSON; a syntax error becomes a ManifestError with its line."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise ManifestError(f"invalid JSON: {exc.msg}", exc.lineno) from None
    except RecursionError:
        raise ManifestError("invalid JSON: nested too deeply") from None


class KeyLines:
    """The line of every object key, by its path (``("dependencies", "react")``)."""

    def __init__(self, text: str, max_depth: int = 64) -> None:
        self._newlines = [m.start() for m in re.finditer("\n", text)]
        self.lines: dict[Path, int] = {}
        stack: list[list[Any]] = []  # per open container: [is_object, key or index, expecting_key]
        for match in _TOKEN.finditer(text):
            token = match.group()
            first = token[0]
            if first == '"':
                if stack and stack[-1][0] and stack[-1][2]:
                    key = _string(token)
                    stack[-1][1] = key
                    stack[-1][2] = False
                    if len(stack) <= max_depth:
                        path = tuple(frame[1] for frame in stack)
                        self.lines.setdefault(path, self._line(match.start()))
            elif first in "{[":
                stack.append([first == "{", 0 if first == "[" else None, first == "{"])
            elif first in "}]":
                if stack:
                    stack.pop()
            elif first == "," and stack:
                frame = stack[-1]
                if frame[0]:
                    frame[2] = True
                else:
                    frame[1] += 1

    def _line(self, offset: int) -> int:
        return bisect.bisect_left(self._newlines, offset) + 1

    def get(self, *path: str | int) -> int | None:
        """The line of the key at ``path``, else of its nearest enclosing key, else None."""
        current: Path = tuple(path)
        while current:
            line = self.lines.get(current)
            if line is not None:
                return line
            current = current[:-1]
        return None


def _string(token: str) -> str:
    if "\\" not in token:
        return token[1:-1]
    try:
        value = json.loads(token)
    except ValueError:
        return token[1:-1]
    return value if isinstance(value, str) else token[1:-1]
