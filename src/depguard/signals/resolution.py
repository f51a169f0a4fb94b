"""What a resolution or a lock says of the version that would be installed: uploaded within the
cooldown (``new-release``: the file a resolution chose, or a locked or pinned version's files
as the Python index dates them), or dependencies that cannot be known without building."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

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
    dated = list(_upload_times(evidence))
    if not dated:
        return  # only real upload times count: none known, nothing said
    version, uploaded = max(dated, key=lambda pair: pair[1])
    age = (context.now - uploaded).total_seconds() / 3600.0
    if age >= hours:
        return
    shown = describe_age(max(age, 0.0) / 24.0)
    yield F.NEW_RELEASE.make(
        f"{version} was uploaded {shown} ago, inside the {hours}-hour cooldown",
        version=version,
        uploaded=uploaded.isoformat().replace("+00:00", "Z"),
        age_hours=round(age, 1),
        min_release_age_hours=hours,
    )


def _upload_times(evidence: Evidence) -> Iterator[tuple[str, datetime]]:
    """(version, upload time) of each version the references select: a resolution knows the
    file it chose; a locked or pinned version is looked up in the index's recent uploads."""
    info = evidence.info
    recent = info.recent_uploads if info is not None else {}
    for dep in evidence.package.dependencies:
        version = dep.pinned_version
        if not version:
            continue
        if dep.uploaded is not None:
            yield version, dep.uploaded
        elif version in recent:
            yield version, recent[version]


def dependencies_unknown(evidence: Evidence) -> Iterator[Finding]:
    for dep in evidence.package.dependencies:
        if dep.dependencies_unknown and dep.version:
            yield F.DEPENDENCIES_UNKNOWN.make(
                f"{dep.version}: {dep.dependencies_unknown}",
                version=dep.version,
                reason=dep.dependencies_unknown,
            )
            return
