"""``--format sarif``: SARIF 2.1.0 for code scanning (GitHub, GitLab, Azure DevOps, IDEs).

* One rule per finding id, generated from :data:`depguard.findings.CATALOG`.
* One result per flagged package, finding and place it is declared or imported (a manifest or
  source line, relative to the repository root under ``%SRCROOT%``); input errors are results of
  ``parse-error``. Only findings that carry the verdict are results: low-severity notes ride
  along in the message unless they are all a package has (a score-only verdict).
* The level is the package's verdict: block is ``error``, warn is ``warning``.
* ``partialFingerprints`` hash the rule, ecosystem, normalized name and file, never the line, so
  code scanning keeps tracking an alert when unrelated lines move.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any
from urllib.parse import quote

from depguard import __version__
from depguard.findings import CATALOG, FindingType
from depguard.model import Finding, InputError, PackageReport, Report, Severity, Verdict
from depguard.report.advice import active, suggestion
from depguard.report.paths import is_virtual, repo_relative
from depguard.sanitize import clean

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://github.com/depguard/depguard"
ROOT_ID = "%SRCROOT%"
FINGERPRINT = "depguardFinding/v1"

LEVEL = {Verdict.BLOCK: "error", Verdict.WARN: "warning", Verdict.ALLOW: "note"}
DEFAULT_LEVEL = {Severity.HIGH: "error", Severity.MEDIUM: "warning", Severity.LOW: "note"}
SECURITY_SEVERITY = {Severity.HIGH: "8.0", Severity.MEDIUM: "5.0", Severity.LOW: "2.0"}


def render(report: Report) -> str:
    return json.dumps(document(report), indent=2, ensure_ascii=False) + "\n"


def document(report: Report) -> dict[str, Any]:
    index = {rule_id: n for n, rule_id in enumerate(CATALOG)}
    results: list[dict[str, Any]] = []
    for item in report.packages:
        if item.verdict is not Verdict.ALLOW:
            results.extend(_package_results(report, item, index))
    results.extend(_error_result(report, error, index) for error in report.errors)
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": "depguard",
                "version": __version__,
                "semanticVersion": __version__,
                "informationUri": INFORMATION_URI,
                "rules": [_rule(kind) for kind in CATALOG.values()],
            }
        },
        "invocations": [
            {
                "executionSuccessful": True,
                "toolExecutionNotifications": [
                    {"level": "warning", "message": {"text": _text(notice, 500)}}
                    for notice in report.notices
                ],
            }
        ],
        "results": results,
        "properties": {
            "summary": {
                "packages": len(report.packages),
                "block": report.count(Verdict.BLOCK),
                "warn": report.count(Verdict.WARN),
                "allow": report.count(Verdict.ALLOW),
                "errors": len(report.errors),
                "worst": report.worst.value,
            }
        },
    }
    if report.root:
        run["originalUriBaseIds"] = {ROOT_ID: {"uri": Path(report.root).resolve().as_uri() + "/"}}
    return {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}


def _rule(kind: FindingType) -> dict[str, Any]:
    return {
        "id": kind.id,
        "name": "".join(part.capitalize() for part in kind.id.split("-")),
        "shortDescription": {"text": kind.title},
        "fullDescription": {"text": kind.help},
        "help": {"text": kind.help, "markdown": f"**{kind.title}.** {kind.help}"},
        "defaultConfiguration": {"level": DEFAULT_LEVEL[kind.severity]},
        "properties": {
            "tags": ["security", "supply-chain", "dependencies"],
            "precision": "high",
            "security-severity": SECURITY_SEVERITY[kind.severity],
        },
    }


def _carrying(item: PackageReport) -> list[Finding]:
    """The findings that make the verdict: medium and high, or all when none is."""
    findings = active(item)
    strong = [f for f in findings if f.severity is not Severity.LOW]
    return strong or findings


def _package_results(
    report: Report, item: PackageReport, index: dict[str, int]
) -> list[dict[str, Any]]:
    package = item.package
    info = item.lookup.info
    name = clean(package.name, 100)
    spec = clean(", ".join(package.specifiers), 80)
    advice = suggestion(item)
    label = f"{name} {spec}".strip() + f" ({package.ecosystem.index_label})"
    properties: dict[str, Any] = {
        "ecosystem": package.ecosystem.value,
        "package": name,
        "normalized": clean(package.normalized, 100),
        "specifier": spec,
        "verdict": item.verdict.value,
        "risk": item.risk,
    }
    if info is not None:
        properties["summary"] = clean(info.summary, 300)
        if info.maintainers is not None:
            properties["maintainers"] = [clean(m, 100) for m in info.maintainers]
    results = []
    for finding in _carrying(item):
        others = [_text(f.message, 200) for f in active(item) if f is not finding]
        text = f"{_text(label)}: {_text(finding.message)}."
        if others:
            text += f" Also: {'; '.join(others[:4])}."
        if advice:
            text += f" {_text(advice, 400)}"
        locations = package.locations or ()
        places = [_location(report, loc.path, loc.line) for loc in locations] or [None]
        for place in places:
            result: dict[str, Any] = {
                "ruleId": finding.id,
                "ruleIndex": index.get(finding.id, -1),
                "level": LEVEL[item.verdict],
                "message": {"text": text},
                "partialFingerprints": {
                    FINGERPRINT: _hash(
                        finding.id,
                        package.ecosystem.value,
                        package.normalized,
                        place["uri"] if place else "",
                    )
                },
                "properties": {**properties, "severity": finding.severity.value},
            }
            if result["ruleIndex"] < 0:
                del result["ruleIndex"]
            if place is not None:
                result["locations"] = [place["location"]]
            results.append(result)
    return results


def _error_result(report: Report, error: InputError, index: dict[str, int]) -> dict[str, Any]:
    place = _location(report, error.path, error.line)
    message = _text(error.message, 500)
    result: dict[str, Any] = {
        "ruleId": "parse-error",
        "ruleIndex": index["parse-error"],
        "level": "error",
        "message": {"text": f"{_text(error.path, 200)}: {message}"},
        "partialFingerprints": {
            FINGERPRINT: _hash(
                "parse-error", place["uri"] if place else clean(error.path), error.text or message
            )
        },
    }
    if place is not None:
        result["locations"] = [place["location"]]
    return result


def _location(report: Report, path: str, line: int | None) -> dict[str, Any] | None:
    if is_virtual(path):
        return None
    relative = repo_relative(report, path)
    artifact: dict[str, Any]
    if relative is not None:
        uri = quote(relative, safe="/")
        artifact = {"uri": uri, "uriBaseId": ROOT_ID}
    else:
        uri = Path(path).resolve().as_uri()
        artifact = {"uri": uri}
    physical: dict[str, Any] = {"artifactLocation": artifact}
    if line is not None and line > 0:
        physical["region"] = {"startLine": line}
    return {"uri": uri, "location": {"physicalLocation": physical}}


def _text(value: object, limit: int = 300) -> str:
    """Plain SARIF message text: brackets escaped so no viewer reads them as embedded links."""
    return clean(value, limit).replace("[", "\\[").replace("]", "\\]")


def _hash(*parts: str) -> str:
    return hashlib.sha256("\x00".join(parts).encode("utf-8", "replace")).hexdigest()
