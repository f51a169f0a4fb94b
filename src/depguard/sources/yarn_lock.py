"""``yarn.lock``: Yarn classic (v1) and Yarn Berry (2 and later), read by hand.

Both are blocks of indented lines. A block starts at column 0 with its descriptors
(``name@range``, comma-separated, quoted when needed) and a colon; its fields follow two spaces
in (``version "1.0.0"`` in v1, ``version: 1.0.0`` in Berry), and maps such as ``dependencies``
hold one ``name range`` per line four spaces in. Berry's file starts with a ``__metadata``
block.

v1 keeps each package's ``resolved`` URL (a registry tarball is checked like npm's
``resolved``; git, tarball and ``file:`` sources are direct references). Berry keeps a
``resolution`` locator: ``npm:`` is the registry, ``workspace:`` a member of the project (its
dependencies are the project's own), ``patch:`` a patched registry package (judged as that
package), ``file:``/``link:``/``portal:`` local and git or URL sources direct references. The
graph is each block's ``dependencies`` and ``optionalDependencies``; v1 does not record the
project's own dependencies, so the ``package.json`` beside it (and its workspaces) says.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote

from depguard.errors import ManifestError
from depguard.model import Dependency, Location, UrlKind
from depguard.sources import SourceResult, npm_spec
from depguard.sources import locks as L

if TYPE_CHECKING:
    from depguard.sources.context import ReadContext

GRAPH_MAPS = ("dependencies", "optionalDependencies")
MAX_ERRORS = 50
"""A file this broken is reported once more and left: it is not a yarn.lock."""


@dataclass
class Block:
    """One entry of the file: its descriptors, where it starts, its fields and maps."""

    descriptors: tuple[str, ...]
    line: int
    fields: dict[str, str] = field(default_factory=dict)
    maps: dict[str, dict[str, str]] = field(default_factory=dict)


def read(path: Path, display: str, context: ReadContext) -> SourceResult:
    """The source interface (:mod:`depguard.sources.context`)."""
    return L.read_lock(path, display, parse_text)


def parse_text(text: str, display: str, path: Path) -> SourceResult:
    result = SourceResult()
    blocks = parse_blocks(text, display, result)
    berry = any(b.descriptors == ("__metadata",) for b in blocks)
    locked = L.Locked(display)
    index: dict[str, str] = {}
    by_name: dict[str, set[str]] = {}
    for number, block in enumerate(blocks):
        for descriptor in block.descriptors:
            index.setdefault(_key(descriptor), f"#{number}")
            by_name.setdefault(L.split_npm(descriptor)[0], set()).add(f"#{number}")

    def find(name: str, spec: str) -> str | None:
        """The entry a dependency resolves to: by its descriptor, else (a ``resolutions``
        override in package.json rewrote it) the one entry of that name."""
        found = index.get(_key(f"{name}@{spec}"))
        if found is None and len(by_name.get(name, ())) == 1:
            found = next(iter(by_name[name]))
        return found

    roots: set[str] = set()
    for number, block in enumerate(blocks):
        if block.descriptors == ("__metadata",):
            continue
        needs = {k for name, spec in _edges(block) if (k := find(name, spec))}
        made = _berry(block, display, result) if berry else _classic(block, display, result)
        if isinstance(made, str):
            roots |= needs  # a workspace: what it needs is the project's own
        elif made is not None:
            locked.add(_patched(block, index) or f"#{number}", made, needs)
    if berry:
        locked.root(roots)
    else:
        declared = L.npm_manifest_roots(path)
        if declared is not None:
            locked.root(k for name, spec, _ in declared if (k := find(name, spec)))
    locked.finish(result)
    return result


# -- the text -------------------------------------------------------------------------------


def parse_blocks(text: str, display: str, result: SourceResult) -> list[Block]:
    """Every block of the file; a line that cannot be read is an error with its number (the
    rest is still read)."""
    blocks: list[Block] = []
    current: Block | None = None
    section: dict[str, str] | None = None
    errors = 0
    for number, raw in enumerate(text.split("\n"), 1):
        line = raw.rstrip("\r")
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        indent = len(line) - len(line.lstrip(" "))
        try:
            if indent == 0:
                if not stripped.endswith(":"):
                    raise ManifestError("expected an entry (descriptors ending with ':')")
                current = Block(tuple(_descriptors(stripped[:-1])), number)
                section = None
                blocks.append(current)
                continue
            if current is None:
                raise ManifestError("an indented line before any entry")
            key, value = _field(stripped)
            if indent == 2:
                if value is None:
                    section = current.maps.setdefault(key, {})
                else:
                    current.fields[key] = value
                    section = None
            elif indent == 4 and section is not None:
                if value is None:
                    section = None  # a nested table (dependenciesMeta): not needed
                else:
                    section[key] = value
            elif indent < 4 or indent % 2:
                raise ManifestError(f"unexpected indentation ({indent} spaces)")
        except ManifestError as exc:
            if indent == 0:  # the entry's own lines are skipped with it
                current, section = Block((), number), None
            errors += 1
            result.error(display, number, f"yarn.lock: {exc.message}", line[:200])
            if errors >= MAX_ERRORS:
                result.error(display, number, "yarn.lock: too many unreadable lines; not read on")
                break
    return blocks


def _descriptors(text: str) -> Iterator[str]:
    """``"a@^1", "a@^2"`` (v1) or ``"a@npm:^1, a@npm:^2"`` (Berry) -> each descriptor."""
    rest = text.strip()
    while rest:
        if rest.startswith('"'):
            token, rest = _quoted(rest)
            rest = rest.strip()
            if rest.startswith(","):
                rest = rest[1:].strip()
            elif rest:
                raise ManifestError(f"unexpected text after a descriptor: {rest[:40]!r}")
        else:
            token, _, rest = rest.partition(",")
            rest = rest.strip()
        for part in token.split(", "):
            if part.strip():
                yield part.strip()


def _field(text: str) -> tuple[str, str | None]:
    """``key value``, ``key: value``, ``key:`` (a map follows); keys and values may be quoted."""
    if text.startswith('"'):
        key, rest = _quoted(text)
    else:
        end = len(text)
        for i, char in enumerate(text):
            if char == " " or (char == ":" and (i + 1 == len(text) or text[i + 1] == " ")):
                end = i
                break
        key, rest = text[:end], text[end:]
    if rest.startswith(":"):
        rest = rest[1:]
    rest = rest.strip()
    if not rest:
        return key, None
    if rest.startswith('"'):
        value, after = _quoted(rest)
        if after.strip():
            raise ManifestError(f"unexpected text after a value: {after.strip()[:40]!r}")
        return key, value
    return key, rest


def _quoted(text: str) -> tuple[str, str]:
    """A JSON-style double-quoted string at the start of ``text``, and what follows it."""
    i = 1
    while i < len(text):
        if text[i] == "\\":
            i += 2
            continue
        if text[i] == '"':
            try:
                value = json.loads(text[: i + 1])
            except ValueError:
                raise ManifestError("invalid quoted string") from None
            return str(value), text[i + 1 :]
        i += 1
    raise ManifestError("unterminated quoted string")


@functools.lru_cache(maxsize=65536)
def _key(descriptor: str) -> str:
    """A descriptor as the graph compares it: without Berry's ``::locator=`` parameters and,
    for Berry ranges, without the default ``npm:`` protocol."""
    descriptor = descriptor.split("::", 1)[0]
    name, spec = L.split_npm(descriptor)
    if spec.startswith("npm:"):
        try:
            if npm_spec.parse(spec).kind is npm_spec.SpecKind.RANGE:
                spec = spec[4:]
        except npm_spec.SpecError:
            pass
    return f"{name}@{spec}"


def _patched(block: Block, index: dict[str, str]) -> str | None:
    """A Berry ``patch:`` entry stands where the package it patches stands in the graph."""
    spec = L.split_npm(block.descriptors[0])[1] if block.descriptors else ""
    if not spec.startswith("patch:"):
        return None
    return index.get(_key(unquote(spec[len("patch:") :].split("#", 1)[0])))


def _edges(block: Block) -> Iterator[tuple[str, str]]:
    for section in GRAPH_MAPS:
        yield from block.maps.get(section, {}).items()


# -- what each block locks ---------------------------------------------------------------------


def _classic(block: Block, display: str, result: SourceResult) -> Dependency | None:
    first = block.descriptors[0] if block.descriptors else ""
    installed_as, spec = L.split_npm(first)
    version = block.fields.get("version")
    location = Location(display, block.line)
    if not version:
        result.error(display, block.line, f"yarn.lock: {first!r} has no version (truncated?)")
        return None
    name, alias = installed_as, None
    try:
        parsed = npm_spec.parse(spec) if spec else None
    except npm_spec.SpecError:
        parsed = None
    if parsed is not None and parsed.kind is npm_spec.SpecKind.ALIAS and parsed.target:
        name, alias = parsed.target, installed_as
    if L.npm_name(name) is None:
        result.error(display, block.line, f"yarn.lock: {name!r} is not a valid npm package name")
        return None
    source = block.fields.get("resolved")
    if source is None and parsed is not None and parsed.url is not None:
        source = parsed.url  # file: and link: entries have no resolved URL
    return L.npm_entry(name, version, location, source=source, alias=alias, detail=first)


def _berry(block: Block, display: str, result: SourceResult) -> Dependency | str | None:
    first = block.descriptors[0] if block.descriptors else ""
    resolution = block.fields.get("resolution")
    location = Location(display, block.line)
    if not resolution:
        result.error(display, block.line, f"yarn.lock: {first!r} has no resolution (truncated?)")
        return None
    name, locator = L.split_npm(resolution)
    installed_as = L.split_npm(first)[0]
    if locator.startswith("virtual:") and "#" in locator:
        locator = locator.split("#", 1)[1]
    protocol = locator.split(":", 1)[0] if ":" in locator else ""
    if protocol == "workspace":
        return "workspace"
    if protocol == "patch":
        inner = unquote(locator[len("patch:") :].split("#", 1)[0])
        name, locator = L.split_npm(inner)
        protocol = locator.split(":", 1)[0] if ":" in locator else ""
    if L.npm_name(name) is None:
        result.error(display, block.line, f"yarn.lock: {name!r} is not a valid npm package name")
        return None
    alias = installed_as if installed_as != name else None
    version = block.fields.get("version")
    if protocol == "npm":
        version = locator[4:] or version
        return L.npm_entry(name, version, location, alias=alias, detail=first)
    if protocol in ("file", "link", "portal", "exec"):
        source = locator.split("::", 1)[0].split("#", 1)[0]
        return _direct(name, source, UrlKind.PATH, location, alias, first)
    kind = UrlKind.VCS if "#commit=" in locator or protocol.startswith("git") else UrlKind.URL
    return _direct(name, locator, kind, location, alias, first)


def _direct(
    name: str, url: str, kind: UrlKind, location: Location, alias: str | None, detail: str
) -> Dependency:
    from dataclasses import replace

    made = L.npm_entry(name, None, location, alias=alias, detail=detail)
    return replace(made, url=url, url_kind=kind, resolved=None, specifier="")
