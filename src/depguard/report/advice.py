"""What a person should do about a flagged package, read from its findings' evidence.

Signals record what they know in evidence keys (``suggestions`` for a name that does not exist,
``similar_to`` for a look-alike, ``provided_by`` for an import, ``fixed_in`` inside a
vulnerability, ...). Every format turns them into the same one-line suggestion, falling back to
the catalog's help text for the most serious finding.
"""

from __future__ import annotations

from collections.abc import Iterable

from depguard.findings import CATALOG
from depguard.model import Finding, JSONValue, PackageReport
from depguard.sanitize import clean

MAX_NAMES = 5


def active(item: PackageReport) -> list[Finding]:
    """The findings that count (not waived by the allowlist), most serious first."""
    return [f for f in item.findings if not f.suppressed]


def look_alikes(item: PackageReport) -> list[str]:
    """Popular names this package may have been meant as (``suggestions``, ``similar_to``)."""
    names: list[str] = []
    for finding in item.findings:
        for key in ("similar_to", "suggestions", "did_you_mean"):
            names.extend(_names(finding.evidence.get(key)))
    unique = [n for n in dict.fromkeys(names) if n and n != item.package.name]
    return unique[:MAX_NAMES]


def suggestion(item: PackageReport) -> str:
    """One sentence: what to do about this package (already sanitised)."""
    findings = active(item)
    if not findings:
        return ""
    alikes = look_alikes(item)
    ids = {f.id for f in findings}
    if alikes and ids & {"not-found", "typosquat", "import-name", "name-pattern", "stdlib-name"}:
        return "Did you mean " + " or ".join(alikes[:3]) + "? Fix the name or remove it."
    for finding in findings:
        text = _specific(finding)
        if text:
            return text
    kind = CATALOG.get(findings[0].id)
    return clean(kind.help, 400) if kind else ""


def _specific(finding: Finding) -> str:
    evidence = finding.evidence
    if finding.id == "undeclared-import":
        provider = clean(evidence.get("provided_by"), 100)
        if provider:
            return f"Declare {provider} in a manifest, or remove the import."
    if finding.id == "import-name":
        names = _names(evidence.get("suggestion")) or _names(evidence.get("distribution"))
        if names:
            return f"Install {names[0]} instead."
    if finding.id == "vulnerable":
        fixed = sorted(
            {
                clean(version, 40)
                for vuln in _dicts(evidence.get("vulnerabilities"))
                for version in _strings(vuln.get("fixed_in"))
            }
        )
        if fixed:
            return f"Upgrade to a fixed version ({', '.join(fixed[:3])})."
    return ""


def _names(value: JSONValue) -> list[str]:
    if isinstance(value, str):
        return [clean(value, 100)]
    if isinstance(value, dict):
        return _names(value.get("name"))
    if isinstance(value, list):
        return [name for item in value for name in _names(item)]
    return []


def _dicts(value: JSONValue) -> Iterable[dict[str, JSONValue]]:
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def _strings(value: JSONValue) -> list[str]:
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []
