"""What a resolution or a lock says of the version that would be installed: uploaded within the
cooldown (``new-release``), or dependencies that cannot be known without building."""

from __future__ import annotations

from collections.abc import Iterator

from depguard import findings as F
from depguard.model import Evidence, Finding
from depguard.signals import Context
from depguard.timeutil import describe_age


def check(evidence: Evidence, context: Context) -> Iterator[Finding]:
    yield from new_release(evidence, context)
    yield from dependencies_unknown(evidence)


def new_release(evidence: Evidence, context: Context) -> Iterator[Finding]:
    hours = context.thresholds.min_release_age
    if hours <= 0:
        return
    dated = [d for d in evidence.package.dependencies if d.uploaded is not None and d.version]
    if not dated:
        return  # only real upload times count: none known, nothing said
    newest = max(dated, key=lambda d: d.uploaded or context.now)
    assert newest.uploaded is not None
    age = (context.now - newest.uploaded).total_seconds() / 3600.0
    if age >= hours:
        return
    shown = describe_age(max(age, 0.0) / 24.0)
    yield F.NEW_RELEASE.make(
        f"{newest.version} was uploaded {shown} ago, inside the {hours}-hour cooldown",
        version=newest.version,
        uploaded=newest.uploaded.isoformat().replace("+00:00", "Z"),
        age_hours=round(age, 1),
        min_release_age_hours=hours,
    )


def dependencies_unknown(evidence: Evidence) -> Iterator[Finding]:
    for dep in evidence.package.dependencies:
        if dep.dependencies_unknown and dep.version:
            yield F.DEPENDENCIES_UNKNOWN.make(
                f"{dep.version}: {dep.dependencies_unknown}",
                version=dep.version,
                reason=dep.dependencies_unknown,
            )
            return
