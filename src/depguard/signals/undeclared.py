"""Code that imports a third-party package no manifest declares."""

from __future__ import annotations

from collections.abc import Iterator

from depguard import findings as F
from depguard.model import Evidence, Finding, LookupStatus, NamedIn, Severity, Tier
from depguard.sanitize import clean
from depguard.signals import Context


def check(evidence: Evidence, context: Context) -> Iterator[Finding]:
    package = evidence.package
    imports = [d for d in package.dependencies if d.named_in is NamedIn.IMPORT]
    if not imports or len(imports) != len(package.dependencies):
        return  # declared somewhere (or not imported at all)
    first = imports[0]
    statement = clean(first.detail, 80) if first.detail else clean(first.name, 80)
    provider = clean(package.name, 80)
    where = clean(str(first.location), 120)
    more = f" (+{len(imports) - 1} more)" if len(imports) > 1 else ""
    if first.imported_as and first.imported_as != package.name:
        message = (
            f"imported as {clean(first.imported_as, 60)} at {where}{more} but declared in no "
            f"manifest; the module is provided by {provider}"
        )
    else:
        message = f"imported at {where}{more} but declared in no manifest"
    from depguard.maturity import is_established

    # Hygiene, not risk: an established package the code uses without declaring it is
    # information (shown with --verbose and in JSON), never a warning that gates.
    established = evidence.lookup.status is LookupStatus.FOUND and is_established(
        evidence, context.thresholds
    )
    yield F.UNDECLARED_IMPORT.make(
        message,
        severity=Severity.LOW if established else None,
        tier=Tier.MINIMAL if established else Tier.NORMAL,
        provided_by=package.name,
        import_name=first.imported_as or first.name,
        statement=statement,
        guarded=all(d.guarded for d in imports),
        established=established,
    )
