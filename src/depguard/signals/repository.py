"""No source repository in the registry metadata: the code cannot be reviewed elsewhere."""

from __future__ import annotations

from collections.abc import Iterator

from depguard import findings as F
from depguard.maturity import is_popular
from depguard.model import Evidence, Finding
from depguard.signals import Context


def check(evidence: Evidence, context: Context) -> Iterator[Finding]:
    info = evidence.info
    if info is None or not info.exists or info.status == "quarantined" or is_popular(evidence):
        return
    if info.repository is None:
        yield F.NO_REPOSITORY.make("no repository", homepage=info.homepage)
