"""Risk signals: small pure functions from evidence to findings.

A signal never touches the network or the disk: the pipeline hands it the evidence (the
package's references, the registry lookup, download counts) and a context (thresholds, the
current time). Each signal lives in its own module and reports findings declared in
:mod:`depguard.findings`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime

from depguard import endpoints
from depguard.config import Thresholds
from depguard.model import Evidence, Finding


@dataclass(frozen=True)
class Context:
    now: datetime
    thresholds: Thresholds = field(default_factory=Thresholds)
    offline: bool = False
    npm_registry: str = endpoints.NPM_REGISTRY
    npm_scopes: Mapping[str, str] = field(default_factory=dict)


Signal = Callable[[Evidence, Context], Iterable[Finding]]


def all_signals() -> tuple[Signal, ...]:
    """Every signal, in the order their findings are listed within one severity: what the name
    says (it needs no registry), then what the index says, then the metadata."""
    from depguard.signals import (
        description,
        direct_url,
        downloads,
        existence,
        import_name,
        install_scripts,
        maintainers,
        name_pattern,
        recent,
        registry_source,
        releases,
        repository,
        resolution,
        status,
        stdlib_name,
        typosquat,
        undeclared,
        versions,
        vulnerable,
    )

    return (
        stdlib_name.check,
        typosquat.check,
        name_pattern.check,
        import_name.check,
        existence.check,
        status.check,
        recent.check,
        releases.check,
        repository.check,
        downloads.check,
        maintainers.check,
        description.check,
        direct_url.check,
        versions.check,
        vulnerable.check,
        undeclared.check,
        import_name.check_imported,
        install_scripts.check,
        registry_source.check,
        resolution.check,
    )


def evaluate(
    evidence: Evidence, context: Context, signals: Iterable[Signal] | None = None
) -> list[Finding]:
    findings: list[Finding] = []
    for signal in signals if signals is not None else all_signals():
        findings.extend(signal(evidence, context))
    return findings
