"""Lockfile entries resolved from a registry other than the configured one."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlsplit

from depguard import endpoints
from depguard import findings as F
from depguard.model import Ecosystem, Evidence, Finding
from depguard.sanitize import clean
from depguard.signals import Context


def check(evidence: Evidence, context: Context) -> Iterator[Finding]:
    package = evidence.package
    if package.ecosystem is not Ecosystem.NPM:
        return
    expected = expected_registries(package.name, context)
    reported: set[str] = set()
    for dep in package.dependencies:
        if not dep.resolved or any(_under(dep.resolved, base) for base in expected):
            continue
        origin = _origin(dep.resolved)
        if origin in reported:
            continue
        reported.add(origin)
        where = clean(str(dep.location), 120)
        yield F.UNEXPECTED_REGISTRY.make(
            f"{where} resolves it from {clean(origin, 120)}, not the configured registry "
            f"{clean(expected[0], 120)}",
            resolved=clean(dep.resolved, 300),
            expected=list(expected),
        )


def expected_registries(name: str, context: Context) -> tuple[str, ...]:
    """Where ``name`` may come from: its scope's registry, else the configured one (and the
    public registry, which npm itself swaps for the configured one)."""
    if name.startswith("@") and "/" in name:
        scoped = context.npm_scopes.get(name.split("/", 1)[0])
        if scoped:
            return (scoped,)
    return tuple(dict.fromkeys((context.npm_registry, endpoints.NPM_REGISTRY)))


def _under(url: str, base: str) -> bool:
    a, b = urlsplit(url), urlsplit(base)
    if (a.hostname or "").lower() != (b.hostname or "").lower() or a.port != b.port:
        return False
    prefix = b.path.rstrip("/") + "/"
    return (a.path.rstrip("/") + "/").startswith(prefix)


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.netloc else url[:80]
