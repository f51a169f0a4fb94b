"""Evidence records for signal tests, built from the registry documents recorded in fixtures/."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from depguard.allowlist import Allowlist
from depguard.config import Settings
from depguard.model import (
    Dependency,
    Downloads,
    Ecosystem,
    Evidence,
    Location,
    Lookup,
    LookupStatus,
    NamedIn,
    Package,
    PackageInfo,
    PackageReport,
)
from depguard.names import normalize
from depguard.policy import judge
from depguard.registries.pypi_document import parse_project
from depguard.signals import Context, evaluate

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
NOW = dt.datetime(2026, 11, 24, tzinfo=dt.timezone.utc)


def recorded(document: str, name: str | None = None) -> PackageInfo:
    """A PyPI project document from fixtures/, parsed by depguard's own parser."""
    body = (FIXTURES / "pypi" / "json" / f"{document}.json").read_bytes()
    return parse_project(body, name or document)


def evidence(
    name: str,
    info: PackageInfo | None = None,
    *,
    status: LookupStatus | None = None,
    ecosystem: Ecosystem = Ecosystem.PYPI,
    downloads: Downloads | None = None,
    named_in: NamedIn = NamedIn.REQUIREMENT,
) -> Evidence:
    key = normalize(ecosystem, name)
    dep = Dependency(ecosystem, name, Location("requirements.txt", 1), key, named_in=named_in)
    if status is None:
        status = LookupStatus.FOUND if info is not None else LookupStatus.OFFLINE
    return Evidence(
        package=Package(ecosystem, name, key, (dep,)),
        lookup=Lookup(status, info),
        downloads=downloads or Downloads.unknown(),
    )


def report(
    item: Evidence, now: dt.datetime = NOW, settings: Settings | None = None
) -> PackageReport:
    settings = settings or Settings()
    context = Context(now=now, thresholds=settings.thresholds)
    return judge(item, evaluate(item, context), settings, Allowlist(), now.date())


def ids(item: PackageReport) -> list[str]:
    return [f.id for f in item.findings if not f.suppressed]


def points(item: PackageReport, finding_id: str, settings: Settings | None = None) -> int:
    """What the policy counts for one finding of ``item`` in the risk score."""
    from depguard.policy import weight

    found = next(f for f in item.findings if f.id == finding_id)
    return weight(found, settings or Settings())


def finding(item: PackageReport, finding_id: str) -> dict[str, object]:
    found = next(f for f in item.findings if f.id == finding_id)
    return found.to_json()
