"""Known vulnerabilities of the version that would be installed."""

from __future__ import annotations

from collections.abc import Iterator

from depguard import findings as F
from depguard.model import Evidence, Finding, Vulnerability
from depguard.sanitize import clean
from depguard.signals import Context


def check(evidence: Evidence, context: Context) -> Iterator[Finding]:
    info = evidence.info
    if info is None or not info.exists:
        return
    pins = evidence.package.pinned_versions
    latest = info.latest_version
    if not pins:
        if info.vulnerabilities:
            yield _finding(info.vulnerabilities, latest, "latest release", source="project")
        return
    for version in pins:
        own = evidence.version_vulnerabilities.get(version)
        if own is not None:
            if own:
                yield _finding(own, version, "pinned version", source="version")
        elif version == latest:
            if info.vulnerabilities:
                yield _finding(info.vulnerabilities, version, "pinned version", source="project")
        elif info.vulnerabilities:
            yield _finding(
                info.vulnerabilities,
                latest,
                f"latest release (the list for {clean(version, 40)} is not served by this index)",
                source="latest-release",
                pinned=version,
            )


def _finding(
    vulns: tuple[Vulnerability, ...],
    version: str | None,
    which: str,
    *,
    source: str,
    pinned: str | None = None,
) -> Finding:
    ids = [clean(v.id, 40) for v in vulns]
    shown = ", ".join(ids[:3]) + (f" and {len(ids) - 3} more" if len(ids) > 3 else "")
    fixed = sorted({clean(f, 40) for v in vulns for f in v.fixed_in})
    hint = f"; fixed in {', '.join(fixed[:3])}" if fixed else ""
    count = len(vulns)
    return F.VULNERABLE.make(
        f"{count} known vulnerabilit{'y' if count == 1 else 'ies'} in the {which} "
        f"{clean(version, 40)}: {shown}{hint}",
        version=version,
        vulnerabilities_of=source,
        pinned=pinned,
        vulnerabilities=[{**v.to_json(), "summary": clean(v.summary, 200) or None} for v in vulns],
    )
