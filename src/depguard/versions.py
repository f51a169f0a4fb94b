"""Version ranges as each ecosystem defines them: PEP 440 specifiers (``packaging``) for PyPI,
node-semver ranges (:mod:`depguard.npm_semver`) for npm. Approvals and allowlist entries use
these to say which versions they cover."""

from __future__ import annotations

import re
from collections.abc import Iterable

from depguard.model import Ecosystem

_BARE_PEP440 = re.compile(r"[0-9][0-9A-Za-z.!+-]*")


class InvalidRange(ValueError):
    """The text is not a version range of its ecosystem."""


def checked(text: str, ecosystem: Ecosystem) -> str:
    """``text`` as a range of ``ecosystem`` (a bare PyPI version means exactly that version:
    ``2.1.0`` -> ``==2.1.0``); raises :class:`InvalidRange`."""
    text = text.strip()
    if ecosystem is Ecosystem.PYPI:
        from packaging.specifiers import InvalidSpecifier, SpecifierSet

        text = _pep440(text)
        try:
            SpecifierSet(text)
        except InvalidSpecifier:
            raise InvalidRange(f"invalid version specifier {text!r}") from None
        return text
    from depguard.npm_semver import RangeError, parse_range

    try:
        parse_range(text)
    except RangeError:
        raise InvalidRange(f"invalid npm version range {text!r}") from None
    return text


def _pep440(text: str) -> str:
    text = text.strip()
    return f"=={text}" if _BARE_PEP440.fullmatch(text) else text


def allows(text: str, version: str, ecosystem: Ecosystem) -> bool | None:
    """Whether the range ``text`` takes ``version`` (prereleases count when named); None when
    either cannot be read."""
    if ecosystem is Ecosystem.PYPI:
        from packaging.specifiers import InvalidSpecifier, SpecifierSet
        from packaging.version import InvalidVersion, Version

        try:
            spec = SpecifierSet(_pep440(text))
        except InvalidSpecifier:
            return None
        try:
            Version(version)
        except InvalidVersion:  # only arbitrary equality (===) can name it
            return True if spec.contains(version, prereleases=True) else None
        return spec.contains(version, prereleases=True)
    from depguard.npm_semver import RangeError, parse_range, parse_version

    parsed = parse_version(version)
    if parsed is None:
        return None
    try:
        return parse_range(text).satisfied_by(parsed)
    except RangeError:
        return None


def matching(text: str, versions: Iterable[str], ecosystem: Ecosystem) -> list[str]:
    """The ``versions`` the range takes."""
    return [v for v in versions if allows(text, v, ecosystem)]


def exact(text: str, ecosystem: Ecosystem) -> str | None:
    """The one version the range names, when it names exactly one (``==2.31.0``,
    ``===2.31.0``, npm ``1.3.0``); else None."""
    spec = text.strip()
    if ecosystem is Ecosystem.NPM:
        from depguard.npm_semver import exact_version

        return exact_version(spec)
    if "," in spec or "*" in spec:
        return None
    for operator in ("===", "=="):
        if spec.startswith(operator):
            return spec[len(operator) :].strip() or None
    return None
