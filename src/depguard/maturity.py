"""How established a package is, from the evidence alone: the facts the risk signals share.

Unknown stays unknown: a missing creation date is never "new", a missing download count is
never "few". The age of a package whose creation date the registry did not give is bounded
below by its latest release (it is at least that old), which is enough to call it established.
"""

from __future__ import annotations

from datetime import datetime

from depguard.config import Thresholds
from depguard.model import Evidence, PackageInfo
from depguard.popularity import snapshot
from depguard.timeutil import age_in_days


def age_days(info: PackageInfo | None, now: datetime) -> float | None:
    """Days since the first release, when the registry said when that was."""
    if info is None or info.created is None:
        return None
    return age_in_days(info.created, now)


def minimum_age_days(info: PackageInfo | None, now: datetime) -> float | None:
    """Days the package has existed at least: its creation date, else its latest release."""
    if info is None:
        return None
    known = info.created or info.latest_release
    return None if known is None else age_in_days(known, now)


def is_popular(evidence: Evidence) -> bool:
    """Listed in the bundled popularity snapshot (the most-downloaded packages)."""
    package = evidence.package
    return package.normalized in snapshot(package.ecosystem)


def is_young(evidence: Evidence, thresholds: Thresholds, now: datetime) -> bool:
    """First release younger than ``recent_days`` (only when the creation date is known)."""
    age = age_days(evidence.info, now)
    return age is not None and age < thresholds.recent_days


def is_established(evidence: Evidence, thresholds: Thresholds, now: datetime) -> bool:
    """Popular, or downloaded at least ``established_downloads`` times a month, or on the index
    for at least ``established_days``: registries take malicious look-alikes down within days,
    so a package that has stayed that long has been seen by many."""
    if is_popular(evidence):
        return True
    count = evidence.downloads.last_month
    if count is not None and count >= thresholds.established_downloads:
        return True
    age = minimum_age_days(evidence.info, now)
    return age is not None and age >= thresholds.established_days
