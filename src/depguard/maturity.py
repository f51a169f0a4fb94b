"""How established a package is, from the evidence alone: the facts the risk signals share.

Established means *used*: in the bundled popularity snapshot (the most downloaded packages,
and on npm the most depended on), or downloaded at least ``established_downloads`` times a
month by the live count. Age alone never establishes anything: placeholders and dormant squats
are never taken down, so a year on the index says nothing about safety.

Unknown stays unknown: a missing creation date is never "new", a missing download count is
never "few". Only a creation date the registry gave counts as an age (a mirror's copy dates
are not one: the npm mirror reachable here omits ``time.created``, which then stays unknown).
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


def under_a_year(evidence: Evidence, thresholds: Thresholds, now: datetime) -> bool:
    """First release younger than ``young_days`` (a year; only when the date is known)."""
    age = age_days(evidence.info, now)
    return age is not None and age < thresholds.young_days


def is_established(evidence: Evidence, thresholds: Thresholds) -> bool:
    """Used: popular (in the snapshot), or downloaded at least ``established_downloads`` times
    a month. Never by age."""
    if is_popular(evidence):
        return True
    count = evidence.downloads.last_month
    return count is not None and count >= thresholds.established_downloads


def usage_unknown_or_low(evidence: Evidence, thresholds: Thresholds) -> bool:
    """Not established, and no live count shows real use (``low_downloads`` or more)."""
    if is_established(evidence, thresholds):
        return False
    count = evidence.downloads.last_month
    return count is None or count < thresholds.low_downloads
