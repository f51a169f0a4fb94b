"""Import aliases that bundler and framework configuration files declare, read as text.

``vite.config.ts`` (``resolve: {alias: {'@': ..., '~utils': ...}}`` or
``alias: [{find: '@', replacement: ...}]``), ``webpack.config.js`` (``resolve.alias``, with a
trailing ``$`` for an exact match), ``vue.config.js`` (``config.resolve.alias.set('@', ...)``),
``next.config.js`` (``config.resolve.alias['@x'] = ...``), ``nuxt.config.ts`` and
``svelte.config.js`` (``alias: {...}``), ``@rollup/plugin-alias`` (``entries``), Jest's
``moduleNameMapper`` (``jest.config.*``, or ``jest`` in ``package.json``) and Babel's
module-resolver (``alias`` in ``.babelrc``/``babel.config.json``).
An alias key ``k`` makes ``k`` and ``k/...`` local, as those tools resolve them. A key that is a
regular expression (``^@/(.*)``) contributes its literal start; it is never compiled or run.

The file is never executed: the JavaScript scanner of :mod:`depguard.sources.js_imports` finds
its strings and blanks its comments, and keys are taken from ``alias`` objects and arrays. A
key that is computed at run time is not seen (``tsconfig.json`` ``paths`` are read elsewhere).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from pathlib import Path

from depguard.errors import ManifestError
from depguard.sources.reading import read_text

CONFIG_SUFFIXES = (".js", ".mjs", ".cjs", ".ts", ".mts", ".cts")
BABEL_JSON = (".babelrc", ".babelrc.json", "babel.config.json", "jest.config.json")
MAX_CONFIG_BYTES = 1024 * 1024
"""A configuration file larger than this is not read for aliases."""

_ALIAS_OPEN = re.compile(r"(?<![\w$.])(?:alias(?:es)?|moduleNameMapper)\s*[:=]\s*([{\[])")
_SUBSCRIPT = re.compile(r"(?<![\w$])alias\s*\[\s*$")
_ENTRIES_OPEN = re.compile(r"(?<![\w$.])entries\s*:\s*([{\[])")
_SET_CHAIN = re.compile(r"(?<![\w$])alias\s*\.\s*set\s*\(")
_SET_NEXT = re.compile(r"\s*\.\s*set\s*\(")
_FIND_KEY = re.compile(r"(?<![\w$.])find\s*:\s*$")
_IDENTIFIER = re.compile(r"(?<![\w$.])[A-Za-z_$][\w$]*")
_REGEX_META = re.compile(r"[\\^$.|?*+()\[\]{}]")


def is_config(name: str) -> bool:
    """Whether a file name is a bundler or framework configuration that may declare aliases."""
    lower = name.lower()
    if lower in BABEL_JSON:
        return True
    if not lower.endswith(CONFIG_SUFFIXES) or lower.endswith((".d.ts", ".d.mts", ".d.cts")):
        return False
    stem = lower.rsplit(".", 1)[0]
    parts = stem.split(".")
    return "config" in parts or parts[0] in ("webpack", ".babelrc")


def aliases_in_directory(directory: Path) -> tuple[str, ...]:
    """Alias keys of every configuration file directly in ``directory``."""
    try:
        names = sorted(entry.name for entry in directory.iterdir() if entry.is_file())
    except OSError:
        return ()
    found: list[str] = []
    for name in names:
        if not is_config(name):
            continue
        try:
            text = read_text(directory / name, MAX_CONFIG_BYTES)
        except ManifestError:
            continue  # not ours to report: a bundler would say what is wrong with it
        found.extend(aliases_in_json(text) if name.lower() in BABEL_JSON else aliases_in(text))
    if "package.json" in names:  # Jest's configuration may live there
        try:
            document = json.loads(read_text(directory / "package.json", MAX_CONFIG_BYTES))
        except (ManifestError, ValueError, RecursionError):
            document = None
        jest = document.get("jest") if isinstance(document, Mapping) else None
        mapper = jest.get("moduleNameMapper") if isinstance(jest, Mapping) else None
        if isinstance(mapper, Mapping):
            found.extend(_literal_start(str(key)) for key in mapper)
    return tuple(dict.fromkeys(k for k in found if k))


def aliases_in(text: str) -> list[str]:
    """Alias keys declared in JavaScript/TypeScript configuration text."""
    from depguard.sources.js_imports import lex

    literals, masked = lex(text)
    starts = {start: (end, value) for start, end, value in literals}
    keys: list[str] = []
    for opener in (_ALIAS_OPEN, _ENTRIES_OPEN):
        for match in opener.finditer(masked):
            bracket = match.start(1)
            close = _matching(masked, bracket)
            if masked[bracket] == "{":
                keys.extend(_object_keys(masked, bracket, close, starts))
            else:
                keys.extend(
                    value
                    for start, (_end, value) in starts.items()
                    if bracket < start < close
                    and _FIND_KEY.search(masked[max(0, start - 32) : start])
                )
    for start, (end, value) in starts.items():  # config.resolve.alias['@x'] = ...
        if _SUBSCRIPT.search(masked[max(0, start - 32) : start]) and re.match(
            r"\s*\]\s*=(?!=)", masked[end : end + 16]
        ):
            keys.append(value)
    for match in _SET_CHAIN.finditer(masked):  # alias.set('@', ...).set('_c', ...)
        position = match.end()
        while True:
            first = re.compile(r"\s*").match(masked, position)
            start = first.end() if first else position
            if start in starts:
                keys.append(starts[start][1])
            close = _matching(masked, position - 1)
            link = _SET_NEXT.match(masked, close + 1)
            if link is None:
                break
            position = link.end()
    return [_literal_start(key) for key in keys]


def aliases_in_json(text: str) -> list[str]:
    """Alias keys in a Babel JSON configuration (module-resolver's ``alias`` option)."""
    from depguard.sources.npm_project import strip_jsonc

    try:
        document = json.loads(strip_jsonc(text))
    except (ValueError, RecursionError):
        return []
    return [_literal_start(key) for key in _json_alias_keys(document, 0)]


def _json_alias_keys(node: object, depth: int) -> Iterator[str]:
    if depth > 12:
        return
    if isinstance(node, Mapping):
        for key, value in node.items():
            if key in ("alias", "moduleNameMapper") and isinstance(value, Mapping):
                yield from (str(k) for k in value)
            else:
                yield from _json_alias_keys(value, depth + 1)
    elif isinstance(node, list):
        for item in node:
            yield from _json_alias_keys(item, depth + 1)


def _matching(masked: str, open_at: int) -> int:
    """Where the bracket opened at ``open_at`` closes (strings and comments are blanked)."""
    depth = 0
    for index in range(open_at, len(masked)):
        char = masked[index]
        if char in "{[(":
            depth += 1
        elif char in "}])":
            depth -= 1
            if depth == 0:
                return index
    return len(masked)


def _object_keys(
    masked: str, open_at: int, close: int, starts: Mapping[int, tuple[int, str]]
) -> Iterator[str]:
    """The keys at the top level of the object literal ``masked[open_at:close]``: a string or
    an identifier after the object's ``{`` or a ``,`` of its own level, followed by ``:``."""
    level = bytearray(close - open_at)  # each position's nesting inside the object
    depth = 0
    for index in range(open_at, close):
        char = masked[index]
        if char in "{[(":
            depth += 1
        elif char in "}])":
            depth -= 1
        level[index - open_at] = min(depth, 255)

    def is_key(start: int, end: int) -> bool:
        before = masked[open_at:start].rstrip()
        return (
            level[start - open_at] == 1
            and before[-1:] in ("{", ",")
            and re.match(r"\s*:(?!:)", masked[end:close]) is not None
        )

    for start, (end, value) in sorted(starts.items()):
        if open_at < start < close and is_key(start, end):
            yield value
    for match in _IDENTIFIER.finditer(masked, open_at + 1, close):
        if is_key(match.start(), match.end()):
            yield match.group()


def _literal_start(key: str) -> str:
    """``@`` -> ``@``; ``utils$`` (webpack's exact match) -> ``utils``; ``^@/(.*)$`` -> ``@``."""
    key = key.strip()
    if key.startswith("^"):
        meta = _REGEX_META.search(key, 1)
        key = key[1 : meta.start()] if meta else key[1:]
    return key.removesuffix("$").rstrip("/")
