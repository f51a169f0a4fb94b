"""The chosen version: yanked, or not a release at all."""

from __future__ import annotations

from collections.abc import Iterator

from packaging.version import InvalidVersion, Version

from depguard import findings as F
from depguard.model import Ecosystem, Evidence, Finding
from depguard.sanitize import clean
from depguard.signals import Context


def check(evidence: Evidence, context: Context) -> Iterator[Finding]:
    info = evidence.info
    if info is None or not info.exists or not info.versions:
        return
    for pinned in evidence.package.pinned_versions:
        version = _match(info.ecosystem, pinned, info.versions)
        shown = clean(pinned, 60)
        if version is None:
            latest = f" (latest is {clean(info.latest_version, 60)})" if info.latest_version else ""
            yield F.UNKNOWN_VERSION.make(
                f"version {shown} does not exist{latest}",
                version=pinned,
                latest=info.latest_version,
            )
            continue
        if version in info.yanked:
            reason = clean(info.yanked[version], 200)
            yield F.YANKED.make(
                f"version {shown} is yanked" + (f": {reason}" if reason else ""),
                version=version,
                reason=reason or None,
            )


def _match(ecosystem: Ecosystem, pinned: str, versions: tuple[str, ...]) -> str | None:
    """The published version string equal to ``pinned`` (PEP 440 equality for PyPI)."""
    if pinned in versions:
        return pinned
    if ecosystem is not Ecosystem.PYPI:
        return None
    try:
        wanted = Version(pinned)
    except InvalidVersion:
        return None
    for candidate in versions:
        try:
            if Version(candidate) == wanted:
                return candidate
        except InvalidVersion:
            continue
    return None
