"""The shape language models give invented packages, and combosquats: a popular name plus
generic words or another popular name (``requests-helper``, ``secure-flask``, ``axios-lite``,
``node-mysql-orm``), registered by nobody established (see :mod:`depguard.shapes`). Reported
with ``kind: "combination"`` and the popular part as ``similar_to``.

Weighs by what the registry says: a young package of that shape warns (and with its youth
blocks), an unknown one informs, an established one barely counts. Names that already imitate
a popular package are left to the typosquat signal.
"""

from __future__ import annotations

from collections.abc import Iterator

from depguard import findings as F
from depguard.maturity import is_established, is_young
from depguard.model import Evidence, Finding, JSONValue, LookupStatus, Severity, Tier
from depguard.sanitize import clean
from depguard.shapes import combination
from depguard.signals import Context


def check(evidence: Evidence, context: Context) -> Iterator[Finding]:
    package = evidence.package
    if not package.from_index or evidence.lookup.status is LookupStatus.NOT_FOUND:
        return
    found = combination(package.ecosystem, package.normalized)
    if found is None or context.lookalikes.matches(package.ecosystem, package.normalized):
        return
    base, word = found.popular, found.word
    message = f"shaped like a hallucinated name (`{clean(base, 80)}` + `{clean(word, 40)}`)"
    facts: dict[str, JSONValue] = {
        "similar_to": base,
        "kind": "combination",
        "word": word,
        "added": list(found.added),
        "similar_to_rank": found.rank,
    }
    if is_young(evidence, context.thresholds, context.now):
        yield F.NAME_PATTERN.make(message, severity=Severity.MEDIUM, tier=Tier.STRONG, **facts)
    elif is_established(evidence, context.thresholds):
        yield F.NAME_PATTERN.make(message, tier=Tier.MINIMAL, established=True, **facts)
    else:
        yield F.NAME_PATTERN.make(message, **facts)
