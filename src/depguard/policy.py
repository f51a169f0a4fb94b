"""From findings to a verdict: severities, the risk score, the allowlist and the denylist.

* Each finding's severity (from the catalog, or ``[tool.depguard.severity]``) implies a verdict
  on its own: high blocks, medium warns, low informs.
* The risk score is the sum of the active findings' weights (each finding id once, at its
  heaviest: the same fact about several versions is one piece of evidence), capped at 100; a
  score at or above ``block_score`` blocks and at or above ``warn_score`` warns, so several
  weak signals together can block where none would alone.
* The verdict is the worse of the two.
* A matching, unexpired allowlist entry allows the package, except when the index says it does
  not exist or is quarantined; a denylist entry blocks it. ``--require-allowlist`` blocks
  anything without an entry.
* ``--fail-open`` turns ``registry-error`` into a warning.
* A package only something else brings in (``direct`` false) that warns as a typosquat or a
  placeholder (a maintained look-alike only informs), and is not itself established, is
  blocked: no maintained package depends on a
  look-alike by accident, and nobody who could fix the name chose it.
* A package referenced only by imports guarded with ``try: ... except ImportError`` is judged
  one severity lower.
* Weak signals compound: a package that is not used (young, or no usage figure above
  ``low_downloads``) and shows three or more of one or two releases, no repository, a single
  maintainer, tiny or no files, no description is warned (`weak-signals`); with a look-alike
  name, the hallucination shape, a placeholder, a missing module or an import name it is
  blocked. The finding's message names the facts in plain words.

Weights: each finding carries a :class:`~depguard.model.Tier` chosen by its signal; the points
of each tier are declared with the finding id (:mod:`depguard.findings`). A weight configured
for an id sets its normal tier and scales its other tiers in proportion, so a configured value
equal to the default changes nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import replace

from depguard import findings as F
from depguard.allowlist import Allowlist, Entry
from depguard.config import Settings
from depguard.model import Evidence, Finding, PackageReport, Severity, Verdict
from depguard.weak_signals import compound

UNSUPPRESSIBLE = frozenset(
    {F.NOT_FOUND.id, F.QUARANTINED.id, F.DENYLISTED.id, F.DEPENDENCY_CONFUSION.id}
)
"""Findings an allowlist entry cannot waive: the index itself says the package is gone or bad,
or an internal name has a public twin (only the entry's ``public_twin`` approves that one)."""


TRANSITIVE_BLOCKS = frozenset({F.TYPOSQUAT.id, F.PLACEHOLDER.id})
"""Findings that block a package only something else brings in: no maintained package depends
on a look-alike or a placeholder by accident, and nobody chose it who could fix the name."""


def _transitive(evidence: Evidence, findings: list[Finding], settings: Settings) -> list[Finding]:
    from depguard.maturity import is_established

    if is_established(evidence, settings.thresholds):
        return findings
    chain = " → ".join((*evidence.package.via, evidence.package.name))
    return [
        replace(
            f,
            severity=Severity.HIGH,
            message=f"{f.message} (brought in by {chain})",
            evidence={**f.evidence, "transitive": True},
        )
        if f.id in TRANSITIVE_BLOCKS and f.severity is Severity.MEDIUM and not f.suppressed
        else f
        for f in findings
    ]


def judge(
    evidence: Evidence,
    found: Iterable[Finding],
    settings: Settings,
    allowlist: Allowlist,
    today: dt.date,
) -> PackageReport:
    package = evidence.package
    findings = [_with_configured_severity(f, settings) for f in found]
    midnight = dt.datetime.combine(today, dt.time(), tzinfo=dt.timezone.utc)
    together = compound(evidence, findings, settings.thresholds, midnight)
    if together is not None:
        findings.append(_with_configured_severity(together, settings))

    if settings.fail_open:
        findings = [
            replace(f, severity=Severity.MEDIUM) if f.id == F.REGISTRY_ERROR.id else f
            for f in findings
        ]
    if not package.direct and package.via:
        findings = _transitive(evidence, findings, settings)
    if package.dependencies and package.only_guarded_imports:
        findings = [
            replace(f, severity=f.severity.lowered(), evidence={**f.evidence, "guarded": True})
            for f in findings
        ]

    deny = allowlist.find("deny", package.ecosystem, package.normalized)
    if deny is not None and not deny.expired(today):
        findings.insert(
            0,
            F.DENYLISTED.make(
                f"on the team denylist: {deny.describe()}",
                source=deny.source,
                reason=deny.reason,
            ),
        )

    allowed: Entry | None = None
    not_covered: str | None = None
    allow = allowlist.find("allow", package.ecosystem, package.normalized)
    if allow is not None and deny is None:
        versions = _chosen_versions(evidence)
        if allow.expired(today):
            findings.append(
                F.ALLOWLIST_EXPIRED.make(
                    f"allowlist entry expired on {allow.expires}: {allow.describe()}",
                    source=allow.source,
                    expires=allow.expires.isoformat() if allow.expires else None,
                )
            )
        elif allow.covers(versions) is not True:
            shown = ", ".join(versions) or "an unknown version"
            not_covered = f"the allowlist entry covers {allow.version}, not {shown}"
        else:
            allowed = allow

    if allowed is None and deny is None and (settings.require_allowlist or not_covered):
        message = not_covered or "not on the allowlist"
        findings.append(
            F.NOT_ALLOWLISTED.make(
                f"{message} (--require-allowlist)" if settings.require_allowlist else message,
                severity=None if settings.require_allowlist else Severity.LOW,
            )
        )

    if allowed is not None:
        note = f"allowlisted: {allowed.describe()}"
        findings = [f if f.id in UNSUPPRESSIBLE else replace(f, suppressed=note) for f in findings]

    active = [f for f in findings if not f.suppressed]
    risk = min(100, score(active, settings))
    verdict = Verdict.worst(*(f.severity.verdict for f in active))
    thresholds = settings.thresholds
    if risk >= thresholds.block_score:
        verdict = Verdict.BLOCK
    elif risk >= thresholds.warn_score:
        verdict = Verdict.worst(verdict, Verdict.WARN)
    if (
        package.dependencies
        and package.only_guarded_imports
        and verdict is Verdict.BLOCK
        and all(f.severity is not Severity.HIGH for f in active)
    ):
        verdict = Verdict.WARN  # the score alone cannot block an optional import

    return PackageReport(
        package=package,
        lookup=evidence.lookup,
        downloads=evidence.downloads,
        findings=tuple(_ordered(findings)),
        verdict=verdict,
        risk=risk,
        allowlisted=allowed.describe() if allowed else None,
    )


def _with_configured_severity(finding: Finding, settings: Settings) -> Finding:
    configured = settings.severity.get(finding.id)
    if configured is None or configured is finding.severity:
        return finding
    return replace(finding, severity=configured)


def score(active: Sequence[Finding], settings: Settings) -> int:
    """The sum of the findings' weights, each finding id counted once (its heaviest): one fact
    about several versions (a monorepo pinning three versions that each run an install script)
    is one piece of evidence, not three."""
    heaviest: dict[str, int] = {}
    for finding in active:
        heaviest[finding.id] = max(heaviest.get(finding.id, 0), weight(finding, settings))
    return sum(heaviest.values())


def weight(finding: Finding, settings: Settings) -> int:
    """Points ``finding`` adds to the risk score: its tier's default, or, when the id has a
    configured weight, that weight for the normal tier and the other tiers scaled by the same
    factor (``typosquat = 90`` doubles 45 and 10 and 5 alike; ``typosquat = 45`` changes
    nothing)."""
    kind = F.CATALOG.get(finding.id)
    if kind is None:
        return 0
    default = kind.points(finding.tier)
    configured = settings.weights.get(finding.id)
    if configured is None or configured == kind.weight:
        return default
    if kind.weight == 0:
        return configured if default == 0 else default
    return min(100, round(default * configured / kind.weight))


def _chosen_versions(evidence: Evidence) -> list[str]:
    from depguard.chosen import chosen_versions

    return list(chosen_versions(evidence.package, evidence.info))


_ORDER = {Severity.HIGH: 0, Severity.MEDIUM: 1, Severity.LOW: 2}


def _ordered(findings: list[Finding]) -> list[Finding]:
    """Worst first; `weak-signals` sorts with the warnings, after the findings it sums up, so
    the reason line reads "imitates `x`; ...; several weak signals together (...)"."""

    def rank(f: Finding) -> int:
        if f.id == F.WEAK_SIGNALS.id:
            return max(_ORDER[f.severity], _ORDER[Severity.MEDIUM])
        return _ORDER[f.severity]

    return sorted(findings, key=lambda f: (f.suppressed is not None, rank(f)))


def exit_code(worst: Verdict, fail_on: str) -> int:
    """0 when the run passes the gate, 1 when it does not (usage errors are 2, elsewhere)."""
    if fail_on == "never":
        return 0
    threshold = Verdict.WARN if fail_on == "warn" else Verdict.BLOCK
    return 1 if worst.at_least(threshold) else 0
