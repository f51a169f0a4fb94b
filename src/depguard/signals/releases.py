"""Only one or two releases: the history of a placeholder or a squat."""

from __future__ import annotations

from collections.abc import Iterator

from depguard import findings as F
from depguard.maturity import is_popular
from depguard.model import Evidence, Finding
from depguard.signals import Context


def check(evidence: Evidence, context: Context) -> Iterator[Finding]:
    info = evidence.info
    if info is None or not info.exists or info.releases is None or is_popular(evidence):
        return
    if 0 < info.releases <= context.thresholds.few_releases:
        count = info.releases
        yield F.FEW_RELEASES.make(f"{count} release{'' if count == 1 else 's'}", releases=count)
