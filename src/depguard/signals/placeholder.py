"""A package with no substance: its newest release has no files or only tiny ones and no
dependencies, or it says it is a placeholder, a reserved name, a security holding package or a
research package (see :mod:`depguard.substance`). Popular packages are never judged here.

A package that says so itself, or that has no files at all, weighs strongly; tiny files alone
weigh normally (warn), and with other weak signals or a suspicious name the policy blocks.
"""

from __future__ import annotations

from collections.abc import Iterator

from depguard import findings as F
from depguard.maturity import is_established
from depguard.model import Evidence, Finding, LookupStatus, Severity, Tier
from depguard.sanitize import clean
from depguard.signals import Context
from depguard.substance import emptiness


def check(evidence: Evidence, context: Context) -> Iterator[Finding]:
    info = evidence.info
    if evidence.lookup.status is not LookupStatus.FOUND or info is None:
        return
    if info.status == "quarantined" or is_established(evidence, context.thresholds):
        return
    empty = emptiness(info)
    if empty is None:
        return
    strong = empty.declared or empty.no_files
    yield F.PLACEHOLDER.make(
        f"no substance: {clean(empty.reason, 160)}",
        severity=Severity.HIGH if empty.declared else None,
        tier=Tier.STRONG if strong else Tier.NORMAL,
        declared=empty.declared,
        files=[
            {"filename": clean(f.filename, 200), "size": f.size, "kind": f.kind}
            for f in (info.files or ())[:3]
        ],
    )
