"""Weak signals compound: facts that are common one at a time in honest small packages
describe, together, a placeholder or a squat (see the policy). Pure: reads the evidence and
the findings the signals already made.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from depguard import findings as F
from depguard.config import Thresholds
from depguard.maturity import is_established, under_a_year
from depguard.model import Evidence, Finding, LookupStatus, Severity
from depguard.sanitize import clean
from depguard.substance import zero_version_only

LEAST = 3
"""Thin facts besides unknown or young usage that together warn."""

SHAPES = {
    F.TYPOSQUAT.id: "a look-alike name",
    F.NAME_PATTERN.id: "the shape of a hallucinated name",
    F.PLACEHOLDER.id: "an empty package",
    F.MODULE_MISSING.id: "a missing module",
    F.IMPORT_NAME.id: "another package's import name",
}
"""Findings that turn a thin package from warned into blocked, in plain words."""


def compound(
    evidence: Evidence, findings: Sequence[Finding], thresholds: Thresholds, now: datetime
) -> Finding | None:
    info = evidence.info
    if evidence.lookup.status is not LookupStatus.FOUND or info is None:
        return None
    if info.status == "quarantined" or is_established(evidence, thresholds):
        return None
    active = {f.id: f for f in findings if not f.suppressed}
    count = evidence.downloads.last_month
    if F.RECENTLY_CREATED.id in active or under_a_year(evidence, thresholds, now):
        usage = "young"
    elif count is None:
        usage = "no usage figure"
    elif count < thresholds.low_downloads:
        usage = f"{count:,} downloads last month"
    else:
        return None
    facts: list[str] = []
    if F.FEW_RELEASES.id in active:
        facts.append(active[F.FEW_RELEASES.id].message)
    if F.NO_REPOSITORY.id in active:
        facts.append("no repository")
    if F.SINGLE_MAINTAINER.id in active:
        facts.append("one maintainer")
    placeholder = active.get(F.PLACEHOLDER.id)
    if placeholder is not None and not placeholder.evidence.get("declared"):
        facts.append("tiny files")
    if zero_version_only(info):
        facts.append(f"only version {clean(info.latest_version or '', 20)}")
    if F.EMPTY_DESCRIPTION.id in active:
        facts.append("no description")
    if len(facts) < LEAST:
        return None
    shapes = [words for id, words in SHAPES.items() if id in active]
    listed = ", ".join([usage, *facts])
    if shapes:
        return F.WEAK_SIGNALS.make(
            f"weak signals together: {listed}, with {' and '.join(shapes)}",
            severity=Severity.HIGH,
            facts=[usage, *facts],
            together_with=shapes,
        )
    return F.WEAK_SIGNALS.make(
        f"weak signals together: {listed}",
        facts=[usage, *facts],
    )
