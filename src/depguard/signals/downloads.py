"""Few recent downloads, when a downloads API said so (an unknown count is never "few")."""

from __future__ import annotations

from collections.abc import Iterator

from depguard import findings as F
from depguard.maturity import is_popular
from depguard.model import Evidence, Finding, LookupStatus
from depguard.signals import Context


def check(evidence: Evidence, context: Context) -> Iterator[Finding]:
    count = evidence.downloads.last_month
    if count is None or evidence.lookup.status is not LookupStatus.FOUND or is_popular(evidence):
        return
    if count < context.thresholds.low_downloads:
        yield F.LOW_DOWNLOADS.make(
            f"{count:,} download{'' if count == 1 else 's'} last month",
            downloads_last_month=count,
            downloads_source=evidence.downloads.source,
        )
