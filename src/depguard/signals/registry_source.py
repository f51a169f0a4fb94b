"""Lockfile entries locked from a registry or index other than the configured one.

The same for every ecosystem: a lock records where each entry comes from (npm's ``resolved``
tarball URL, the index a Python lock names); anything not under the configured index, its
public default, or an index the project itself declares for the entry (``Dependency.indexes``)
is reported.
"""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlsplit

from depguard import endpoints
from depguard import findings as F
from depguard.model import Dependency, Ecosystem, Evidence, Finding
from depguard.sanitize import clean
from depguard.signals import Context


def check(evidence: Evidence, context: Context) -> Iterator[Finding]:
    package = evidence.package
    expected = expected_registries(package.ecosystem, package.name, context)
    label = "registry" if package.ecosystem is Ecosystem.NPM else "index"
    reported: set[str] = set()
    for dep in package.dependencies:
        if not dep.resolved or _expected(dep, expected):
            continue
        origin = _origin(dep.resolved)
        if origin in reported:
            continue
        reported.add(origin)
        where = clean(str(dep.location), 120)
        yield F.UNEXPECTED_REGISTRY.make(
            f"{where} resolves it from {clean(origin, 120)}, not the configured {label} "
            f"{clean(expected[0], 120)}",
            resolved=clean(dep.resolved, 300),
            expected=[*expected, *(clean(i, 300) for i in dep.indexes)],
        )


def expected_registries(ecosystem: Ecosystem, name: str, context: Context) -> tuple[str, ...]:
    """Where ``name`` may come from. npm: its scope's registry, else the configured one (and
    the public registry, which npm and Yarn swap for the configured one). PyPI: the configured
    index and the public one, with its file host. Both: every index the run knows (configured
    or declared by the project)."""
    known = tuple(context.index_urls.get(ecosystem.value, ()))
    if ecosystem is Ecosystem.PYPI:
        return tuple(dict.fromkeys((context.index_url, *endpoints.PYPI_PUBLIC, *known)))
    if name.startswith("@") and "/" in name:
        scoped = context.npm_scopes.get(name.split("/", 1)[0])
        if scoped:
            return (scoped,)
    return tuple(dict.fromkeys((context.npm_registry, *endpoints.NPM_PUBLIC, *known)))


def _expected(dep: Dependency, expected: tuple[str, ...]) -> bool:
    assert dep.resolved is not None
    return any(_under(dep.resolved, base) for base in (*expected, *dep.indexes))


def _under(url: str, base: str) -> bool:
    a, b = urlsplit(url), urlsplit(base)
    if (a.hostname or "").lower() != (b.hostname or "").lower() or a.port != b.port:
        return False
    prefix = b.path.rstrip("/") + "/"
    return (a.path.rstrip("/") + "/").startswith(prefix)


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.netloc else url[:80]
