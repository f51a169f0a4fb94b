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
from typing import TYPE_CHECKING

from depguard import endpoints
from depguard.config import Thresholds
from depguard.lookalike import Lookalikes
from depguard.model import Evidence, Finding

if TYPE_CHECKING:
    from depguard.indexes import Declared


@dataclass(frozen=True)
class Context:
    now: datetime
    thresholds: Thresholds = field(default_factory=Thresholds)
    offline: bool = False
    index_url: str = endpoints.PYPI_INDEX
    npm_registry: str = endpoints.NPM_REGISTRY
    npm_scopes: Mapping[str, str] = field(default_factory=dict)
    lookalikes: Lookalikes = field(default_factory=Lookalikes)
    """The look-alike indexes, built or loaded by the pipeline (in memory when not given)."""
    approved_twins: Mapping[tuple[str, str], str] = field(default_factory=dict)
    """(ecosystem, normalized name) -> the allowlist's ``public_twin`` for an internal name."""
    merging: tuple[Declared, ...] = ()
    """Project index declarations that pick among indexes by version (``--extra-index-url``)."""
    public_urls: Mapping[str, str] = field(default_factory=dict)
    """Ecosystem -> the configured public index (a mirror may stand in for the default)."""
    index_urls: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    """Ecosystem -> every index of the run: configured, and declared by the project."""


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
        module_missing,
        name_pattern,
        placeholder,
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
        placeholder.check,
        module_missing.check,
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
    if signals is None:
        from depguard.signals.private import private_signals

        signals = private_signals() if evidence.private else all_signals()
    for signal in signals:
        findings.extend(signal(evidence, context))
    return findings
