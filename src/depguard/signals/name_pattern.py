"""The shape language models give invented packages: a popular name plus a generic word
(``requests-helper``, ``secure-flask``, ``numpy-utils``), registered by nobody established.

Weighs by what the registry says: a young package of that shape warns (and with its youth
blocks), an unknown one informs, an established one barely counts. Names that already imitate
a popular package are left to the typosquat signal.
"""

from __future__ import annotations

from collections.abc import Iterator

from depguard import findings as F
from depguard import lookalike
from depguard.maturity import is_established, is_young
from depguard.model import Evidence, Finding, LookupStatus, Severity, Tier
from depguard.sanitize import clean
from depguard.shapes import shape
from depguard.signals import Context


def check(evidence: Evidence, context: Context) -> Iterator[Finding]:
    package = evidence.package
    if not package.from_index or evidence.lookup.status is LookupStatus.NOT_FOUND:
        return
    found = shape(package.ecosystem, package.normalized)
    if found is None or lookalike.matches(package.ecosystem, package.normalized):
        return
    base, word = found
    message = f"shaped like a hallucinated name (`{clean(base, 80)}` + `{clean(word, 20)}`)"
    if is_young(evidence, context.thresholds, context.now):
        yield F.NAME_PATTERN.make(
            message, severity=Severity.MEDIUM, tier=Tier.STRONG, similar_to=base, word=word
        )
    elif is_established(evidence, context.thresholds):
        yield F.NAME_PATTERN.make(
            message, tier=Tier.MINIMAL, similar_to=base, word=word, established=True
        )
    else:
        yield F.NAME_PATTERN.make(message, similar_to=base, word=word)
