"""Does the package exist on its index? A 404 is the hallucination signal."""

from __future__ import annotations

from collections.abc import Iterator

from depguard import findings as F
from depguard.model import Evidence, Finding, LookupStatus, Severity, Tier
from depguard.sanitize import clean
from depguard.shapes import shape
from depguard.signals import Context


def check(evidence: Evidence, context: Context) -> Iterator[Finding]:
    lookup = evidence.lookup
    package = evidence.package
    index = package.ecosystem.index_label
    if lookup.status is LookupStatus.NOT_FOUND:
        suggestions = context.lookalikes.suggestions(package.ecosystem, package.normalized)
        shaped = shape(package.ecosystem, package.normalized)
        if not suggestions and shaped is not None:
            suggestions = [shaped[0]]  # requests-helper: the popular name it was built on
        hint = f" — did you mean `{clean(suggestions[0], 80)}`?" if suggestions else ""
        if package.dependencies and package.only_conditional_imports:
            # Code that imports it only when available (an accelerator backend, a vendor SDK,
            # a company's private extension): the policy judges it one severity lower, a
            # warning; in tests or docs as well, information. An unconditional module-level
            # import in shipped code still blocks.
            yield F.NOT_FOUND.make(
                f"imported only when available; not on {index}{hint}",
                severity=Severity.MEDIUM if package.only_secondary_imports else None,
                registry=index,
                suggestions=suggestions,
                conditional=True,
                tier=Tier.WEAK,
            )
            return
        yield F.NOT_FOUND.make(
            f"does not exist on {index}{hint}", registry=index, suggestions=suggestions
        )
    elif lookup.status is LookupStatus.ERROR:
        yield F.REGISTRY_ERROR.make(
            f"{index} could not be asked: {clean(lookup.error, 200)}",
            error=clean(lookup.error, 500),
        )
    elif lookup.status is LookupStatus.OFFLINE:
        yield F.UNVERIFIED.make(
            f"not checked against {index} (offline, nothing cached)",
        )
