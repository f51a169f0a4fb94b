"""``--format json``: one object, a stable contract (``schema`` is bumped on breaking change).

::

    {"schema": 1, "tool": {...}, "packages": [{"ecosystem", "name", "normalized", "specifier",
      "locations": [{"path", "line"}], "direct", "via" (transitive ones only), "verdict", "risk",
      "findings": [{"id", "severity", "message", ...evidence}], "metadata": {"exists", "created",
      "latest_release", "releases", "maintainers", "downloads_last_month", "downloads_source",
      "repository", ...}}],
     "errors": [{"id": "parse-error", ...}], "notices": [...], "summary": {...}}
"""

from __future__ import annotations

import json as _json
import re
from typing import Any

from depguard import __version__
from depguard.model import PackageReport, Report, Verdict
from depguard.sanitize import clean

SCHEMA = 1


def document(report: Report) -> dict[str, Any]:
    return {
        "schema": SCHEMA,
        "tool": {"name": "depguard", "version": __version__},
        "packages": [_package(p) for p in report.packages],
        "errors": [
            {
                "id": "parse-error",
                "severity": "high",
                "path": e.path,
                "line": e.line,
                "message": clean(e.message, 500),
            }
            for e in report.errors
        ],
        "notices": [clean(n, 500) for n in report.notices],
        "summary": {
            "allow": report.count(Verdict.ALLOW),
            "warn": report.count(Verdict.WARN),
            "block": report.count(Verdict.BLOCK),
            "errors": len(report.errors),
            "worst": report.worst.value,
        },
    }


# Invisible or direction-changing characters are written as \uXXXX escapes: the JSON value is
# unchanged, and nothing that reorders or hides text reaches a terminal that shows the report.
_INVISIBLE = re.compile("[\u0080-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]")


def render(report: Report) -> str:
    text = _json.dumps(document(report), indent=2, ensure_ascii=False)
    return _INVISIBLE.sub(lambda m: f"\\u{ord(m.group()):04x}", text) + "\n"


def _package(p: PackageReport) -> dict[str, Any]:
    package = p.package
    info = p.lookup.info
    exists = p.lookup.exists
    metadata: dict[str, Any] = {
        "exists": exists,
        "created": None,
        "latest_release": None,
        "latest_version": None,
        "releases": None,
        "maintainers": None,
        "downloads_last_month": p.downloads.last_month,
        "downloads_source": p.downloads.source,
        "repository": None,
        "summary": None,
        "status": None,
        "organization": None,
    }
    if info is not None:
        metadata.update(
            created=_iso(info.created),
            latest_release=_iso(info.latest_release),
            latest_version=info.latest_version,
            releases=info.releases,
            maintainers=[clean(m, 100) for m in info.maintainers]
            if info.maintainers is not None
            else None,
            repository=clean(info.repository, 500) or None,
            summary=clean(info.summary, 500) or None,
            status=info.status,
            organization=info.organization,
        )
        if info.files is not None:
            metadata["files"] = [
                {"filename": clean(f.filename, 200), "size": f.size, "kind": f.kind}
                for f in info.files
            ]
        if info.dependencies is not None:
            metadata["dependencies"] = info.dependencies
        if info.install_scripts is not None:
            metadata["install_scripts"] = info.install_scripts
        if info.provenance is not None:
            metadata["provenance"] = info.provenance
    if p.downloads.rank is not None:
        metadata["popularity_rank"] = p.downloads.rank
    return {
        "ecosystem": package.ecosystem.value,
        "name": package.name,
        "normalized": package.normalized,
        "specifier": ", ".join(package.specifiers),
        "versions": list(package.pinned_versions),
        "aliases": sorted(
            {clean(d.installed_as, 214) for d in package.dependencies if d.installed_as}
        ),
        "locations": [loc.to_json() for loc in package.locations],
        "direct": package.direct,
        **({} if package.direct else {"via": [clean(n, 214) for n in package.via]}),
        "verdict": p.verdict.value,
        "risk": p.risk,
        "reason": clean(p.reason, 500),
        "findings": [f.to_json() for f in p.findings],
        "allowlisted": p.allowlisted,
        "lookup": {
            "status": p.lookup.status.value,
            "from_cache": p.lookup.from_cache,
            "stale": p.lookup.stale,
            "error": p.lookup.error,
        },
        "metadata": metadata,
    }


def _iso(value: Any) -> str | None:
    return None if value is None else value.isoformat().replace("+00:00", "Z")
