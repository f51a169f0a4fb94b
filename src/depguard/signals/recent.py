"""A package whose first release is recent: squatters register hallucinated names quickly."""

from __future__ import annotations

from collections.abc import Iterator

from depguard import findings as F
from depguard.maturity import age_days, is_popular
from depguard.model import Evidence, Finding, Tier
from depguard.signals import Context
from depguard.timeutil import describe_age


def check(evidence: Evidence, context: Context) -> Iterator[Finding]:
    info = evidence.info
    age = age_days(info, context.now)
    if info is None or age is None or is_popular(evidence):
        return  # an unknown creation date is never "recent"
    thresholds = context.thresholds
    if age >= thresholds.recent_days:
        return
    created = info.created.isoformat() if info.created else None
    message = f"created {describe_age(max(age, 0.0))} ago"
    very = age < thresholds.very_recent_days
    tier = Tier.STRONG if very else Tier.NORMAL
    yield F.RECENTLY_CREATED.make(message, tier=tier, created=created, age_days=round(age, 1))
