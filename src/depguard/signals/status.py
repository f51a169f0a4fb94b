"""Project status markers (PEP 792) and npm deprecation of the chosen version."""

from __future__ import annotations

from collections.abc import Iterator

from depguard import findings as F
from depguard.chosen import chosen_versions
from depguard.model import Evidence, Finding
from depguard.sanitize import clean
from depguard.signals import Context


def check(evidence: Evidence, context: Context) -> Iterator[Finding]:
    info = evidence.info
    if info is None:
        return
    reason = clean(info.status_reason, 200) if info.status_reason else None
    suffix = f": {reason}" if reason else ""
    index = info.ecosystem.index_label
    if info.status == "quarantined":
        yield F.QUARANTINED.make(
            f"quarantined by {index}{suffix}", status=info.status, reason=reason
        )
    elif info.status == "archived":
        yield F.ARCHIVED.make(f"archived on {index}{suffix}", status=info.status, reason=reason)
    elif info.status == "deprecated":
        yield F.DEPRECATED.make(f"deprecated on {index}{suffix}", status=info.status, reason=reason)
    else:
        yield from _deprecated_versions(evidence)


def _deprecated_versions(evidence: Evidence) -> Iterator[Finding]:
    info = evidence.info
    if info is None or not info.deprecated:
        return
    for version in chosen_versions(evidence.package, info):
        message = info.deprecated.get(version)
        if message is not None:
            text = clean(message, 200)
            yield F.DEPRECATED.make(
                f"version {clean(version, 50)} is deprecated: {text}"
                if text
                else f"version {clean(version, 50)} is deprecated",
                version=version,
                reason=text,
            )
