"""The code imports a module under a package that does not contain it: the newest wheel's file
list (read by the pipeline from the zip's central directory, cached by its hash) has no such
module, so installing the package cannot make the import work and the name is wrong whatever
the registry holds. Only for packages reached from an ``import`` that are not popular.
"""

from __future__ import annotations

from collections.abc import Iterator

from depguard import findings as F
from depguard.model import Evidence, Finding, LookupStatus
from depguard.sanitize import clean
from depguard.signals import Context


def check(evidence: Evidence, context: Context) -> Iterator[Finding]:
    listing = evidence.wheel
    if listing is None or not listing.missing or evidence.lookup.status is not LookupStatus.FOUND:
        return
    modules = ", ".join(f"`{clean(m, 60)}`" for m in listing.missing[:3])
    has = ", ".join(clean(m, 40) for m in listing.top_level[:4]) or "no module at all"
    yield F.MODULE_MISSING.make(
        f"does not provide {modules}: its newest wheel ({clean(listing.wheel, 80)}) installs "
        f"{has}; installing it will not make the import work",
        missing=[clean(m, 100) for m in listing.missing],
        wheel=clean(listing.wheel, 200),
        provides=[clean(m, 100) for m in listing.top_level[:20]],
    )
