"""npm's semantic versions and ranges, as node-semver reads them (loose mode), and npm's choice
of version for a range.

Covered: versions with prerelease and build parts (a leading ``v`` or ``=`` allowed),
comparators (``<`` ``<=`` ``>`` ``>=`` ``=``), x-ranges (``*``, ``1.x``, ``1.2``), tilde and
caret ranges, hyphen ranges, intersections (space) and unions (``||``), and the prerelease rule
(a prerelease satisfies a range only when a comparator in the same set names a prerelease of
the same ``major.minor.patch``). Pure functions, no I/O.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

_NUM = r"0|[1-9]\d*|\d+"
_PRE_ID = r"[0-9A-Za-z-]+"
_VERSION = re.compile(
    rf"^\s*[v=\s]*({_NUM})\.({_NUM})\.({_NUM})"
    rf"(?:-?({_PRE_ID}(?:\.{_PRE_ID})*))?(?:\+([0-9A-Za-z.-]+))?\s*$"
)
_XR = r"\d+|[xX*]"
_PARTIAL = re.compile(
    rf"^[v=]*({_XR})(?:\.({_XR})(?:\.({_XR})(?:-?({_PRE_ID}(?:\.{_PRE_ID})*))?"
    rf"(?:\+[0-9A-Za-z.-]+)?)?)?$"
)
_HYPHEN = re.compile(r"^\s*(\S+)\s+-\s+(\S+)\s*$")
_OPERATOR_SPACE = re.compile(r"(~>?|\^|[<>]=?|=)\s+")


@dataclass(frozen=True)
class Version:
    major: int
    minor: int
    patch: int
    prerelease: tuple[int | str, ...] = ()

    @property
    def key(self) -> tuple[int, int, int, tuple[object, ...]]:
        if not self.prerelease:
            pre: tuple[object, ...] = (1,)
        else:
            pre = (0, tuple(_identifier_key(p) for p in self.prerelease))
        return (self.major, self.minor, self.patch, pre)

    @property
    def base(self) -> tuple[int, int, int]:
        return (self.major, self.minor, self.patch)

    def __str__(self) -> str:
        core = f"{self.major}.{self.minor}.{self.patch}"
        return core + ("-" + ".".join(str(p) for p in self.prerelease) if self.prerelease else "")


def _identifier_key(part: int | str) -> tuple[int, int, str]:
    """Numeric identifiers sort below alphanumeric ones, and by value."""
    return (0, part, "") if isinstance(part, int) else (1, 0, part)


def parse_version(text: str) -> Version | None:
    """A version, or None when ``text`` is not one."""
    match = _VERSION.match(text)
    if match is None:
        return None
    major, minor, patch, pre, _build = match.groups()
    return Version(int(major), int(minor), int(patch), _prerelease(pre))


def _prerelease(text: str | None) -> tuple[int | str, ...]:
    if not text:
        return ()
    return tuple(int(p) if p.isdigit() else p for p in text.split("."))


Comparator = tuple[str, Version]
_ZERO_PRE: tuple[int | str, ...] = (0,)


class RangeError(ValueError):
    """The text is not a version range."""


@dataclass(frozen=True)
class Range:
    sets: tuple[tuple[Comparator, ...], ...]

    def satisfied_by(self, version: Version) -> bool:
        return any(_set_satisfied(comparators, version) for comparators in self.sets)


def parse_range(text: str) -> Range:
    """A range; raises RangeError when ``text`` is not one (npm then reads it as a tag)."""
    text = text.strip()
    sets = []
    for part in text.split("||"):
        sets.append(tuple(_comparator_set(part)))
    return Range(tuple(sets))


def is_range(text: str) -> bool:
    try:
        parse_range(text)
    except RangeError:
        return False
    return True


def exact_version(text: str) -> str | None:
    """The version an exact spec (``1.2.3``, ``=1.2.3``, ``v1.2.3``) names, else None."""
    version = parse_version(text)
    return str(version) if version is not None else None


def _comparator_set(part: str) -> list[Comparator]:
    part = part.strip()
    hyphen = _HYPHEN.match(part)
    if hyphen:
        return _hyphen(hyphen.group(1), hyphen.group(2))
    part = _OPERATOR_SPACE.sub(lambda m: m.group(1), part)
    tokens = part.split()
    if not tokens:
        return []  # "" and "*" mean any version
    out: list[Comparator] = []
    for token in tokens:
        out.extend(_token(token))
    return out


def _partial(text: str) -> tuple[int | None, int | None, int | None, tuple[int | str, ...]]:
    match = _PARTIAL.match(text)
    if match is None:
        raise RangeError(f"not a version range: {text!r}")
    parts = [None if g is None or g in "xX*" else int(g) for g in match.groups()[:3]]
    major, minor, patch = parts
    if major is None:
        minor = patch = None
    elif minor is None:
        patch = None
    pre = _prerelease(match.group(4)) if patch is not None else ()
    return major, minor, patch, pre


def _token(token: str) -> list[Comparator]:
    if token.startswith("~>"):
        return _tilde(token[2:])
    if token.startswith("~"):
        return _tilde(token[1:])
    if token.startswith("^"):
        return _caret(token[1:])
    match = re.match(r"^(<=|>=|<|>|=)?(.*)$", token)
    assert match is not None
    op = match.group(1) or ""
    return _comparison(op, match.group(2))


def _v(major: int, minor: int, patch: int, pre: tuple[int | str, ...] = ()) -> Version:
    return Version(major, minor, patch, pre)


def _tilde(text: str) -> list[Comparator]:
    major, minor, patch, pre = _partial(text)
    if major is None:
        return []
    if minor is None:
        return [(">=", _v(major, 0, 0)), ("<", _v(major + 1, 0, 0, _ZERO_PRE))]
    if patch is None:
        return [(">=", _v(major, minor, 0)), ("<", _v(major, minor + 1, 0, _ZERO_PRE))]
    return [(">=", _v(major, minor, patch, pre)), ("<", _v(major, minor + 1, 0, _ZERO_PRE))]


def _caret(text: str) -> list[Comparator]:
    major, minor, patch, pre = _partial(text)
    if major is None:
        return []
    if minor is None:
        return [(">=", _v(major, 0, 0)), ("<", _v(major + 1, 0, 0, _ZERO_PRE))]
    if patch is None:
        if major == 0:
            return [(">=", _v(0, minor, 0)), ("<", _v(0, minor + 1, 0, _ZERO_PRE))]
        return [(">=", _v(major, minor, 0)), ("<", _v(major + 1, 0, 0, _ZERO_PRE))]
    low = _v(major, minor, patch, pre)
    if major != 0:
        high = _v(major + 1, 0, 0, _ZERO_PRE)
    elif minor != 0:
        high = _v(0, minor + 1, 0, _ZERO_PRE)
    else:
        high = _v(0, 0, patch + 1, _ZERO_PRE)
    return [(">=", low), ("<", high)]


def _comparison(op: str, text: str) -> list[Comparator]:
    major, minor, patch, pre = _partial(text)
    if major is None:
        return [("<", _v(0, 0, 0, _ZERO_PRE))] if op in ("<", ">") else []
    if minor is not None and patch is not None:
        return [(op or "=", _v(major, minor, patch, pre))]
    # An x-range: 1.x, 1.2, with or without an operator.
    if op in ("", "="):
        if minor is None:
            return [(">=", _v(major, 0, 0)), ("<", _v(major + 1, 0, 0, _ZERO_PRE))]
        return [(">=", _v(major, minor, 0)), ("<", _v(major, minor + 1, 0, _ZERO_PRE))]
    if op == ">":
        nxt = _v(major + 1, 0, 0) if minor is None else _v(major, minor + 1, 0)
        return [(">=", nxt)]
    if op == ">=":
        return [(">=", _v(major, minor or 0, 0))]
    if op == "<":
        return [("<", _v(major, minor or 0, 0, _ZERO_PRE))]
    # "<=": below the next major (or minor)
    nxt = _v(major + 1, 0, 0, _ZERO_PRE) if minor is None else _v(major, minor + 1, 0, _ZERO_PRE)
    return [("<", nxt)]


def _hyphen(low_text: str, high_text: str) -> list[Comparator]:
    out: list[Comparator] = []
    major, minor, patch, pre = _partial(low_text)
    if major is not None:
        out.append((">=", _v(major, minor or 0, patch or 0, pre)))
    major, minor, patch, pre = _partial(high_text)
    if major is None:
        return out
    if minor is None:
        out.append(("<", _v(major + 1, 0, 0, _ZERO_PRE)))
    elif patch is None:
        out.append(("<", _v(major, minor + 1, 0, _ZERO_PRE)))
    else:
        out.append(("<=", _v(major, minor, patch, pre)))
    return out


def _compare(op: str, version: Version, bound: Version) -> bool:
    a, b = version.key, bound.key
    if op == "=":
        return a == b
    if op == "<":
        return a < b
    if op == "<=":
        return a <= b
    if op == ">":
        return a > b
    return a >= b


def _set_satisfied(comparators: tuple[Comparator, ...], version: Version) -> bool:
    if not all(_compare(op, version, bound) for op, bound in comparators):
        return False
    if not version.prerelease:
        return True
    # A prerelease only matches when the range names a prerelease of the same version
    # (the "-0" bounds this module adds to exclusive upper limits do not count).
    return any(
        bound.prerelease and bound.base == version.base and not _synthetic(op, bound)
        for op, bound in comparators
    )


def _synthetic(op: str, bound: Version) -> bool:
    return op == "<" and bound.prerelease == _ZERO_PRE


def satisfies(version: str, range_text: str) -> bool:
    parsed = parse_version(version)
    if parsed is None:
        return False
    try:
        return parse_range(range_text).satisfied_by(parsed)
    except RangeError:
        return False


def max_satisfying(versions: Iterable[str], range_text: str) -> str | None:
    try:
        wanted = parse_range(range_text)
    except RangeError:
        return None
    best: tuple[Version, str] | None = None
    for text in versions:
        parsed = parse_version(text)
        if parsed is None or not wanted.satisfied_by(parsed):
            continue
        if best is None or parsed.key > best[0].key:
            best = (parsed, text)
    return best[1] if best else None


def pick(
    spec: str,
    versions: Iterable[str],
    dist_tags: Mapping[str, str],
    deprecated: Mapping[str, str] | None = None,
) -> str | None:
    """The version npm installs for ``spec``, as npm-pick-manifest chooses it.

    A tag names its version. For a range, ``dist-tags.latest`` wins when it satisfies the
    range; otherwise the highest satisfying version that is not deprecated, else the highest.
    """
    spec = spec.strip()
    all_versions = list(versions)
    if not is_range(spec):
        return dist_tags.get(spec)
    latest = dist_tags.get("latest")
    if latest and (spec in ("", "*") or satisfies(latest, spec)) and latest in all_versions:
        return latest
    deprecated = deprecated or {}
    live = [v for v in all_versions if not deprecated.get(v)]
    return max_satisfying(live, spec) or max_satisfying(all_versions, spec)
