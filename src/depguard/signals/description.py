"""No summary and no description: placeholders rarely document themselves."""

from __future__ import annotations

from collections.abc import Iterator

from depguard import findings as F
from depguard.maturity import is_popular
from depguard.model import Evidence, Finding
from depguard.signals import Context


def check(evidence: Evidence, context: Context) -> Iterator[Finding]:
    info = evidence.info
    if info is None or not info.exists or is_popular(evidence):
        return
    if info.has_description is False:
        yield F.EMPTY_DESCRIPTION.make("no description")
