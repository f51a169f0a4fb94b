"""A single account controls every release (from the index's ownership data only: free-text
author fields name people, not accounts)."""

from __future__ import annotations

from collections.abc import Iterator

from depguard import findings as F
from depguard.maturity import is_popular
from depguard.model import Evidence, Finding
from depguard.sanitize import clean
from depguard.signals import Context


def check(evidence: Evidence, context: Context) -> Iterator[Finding]:
    info = evidence.info
    if info is None or info.maintainers is None or info.maintainers_source == "metadata":
        return
    if len(info.maintainers) == 1 and not info.organization and not is_popular(evidence):
        yield F.SINGLE_MAINTAINER.make(
            f"single maintainer ({clean(info.maintainers[0], 60)})",
            maintainers=[clean(info.maintainers[0], 100)],
        )
