"""Which packages need their newest wheel's file list (module-missing), and what it says.

A package reached from an ``import`` that is on the public PyPI index and not popular: its
newest wheel is listed (:mod:`depguard.registries.wheel_modules`, by range requests, cached by
the wheel's hash) and compared with the modules the code imports under it. Pure functions; the
pipeline does the reading.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from depguard.model import Ecosystem, LookupStatus, NamedIn, Package, WheelListing
from depguard.names import normalize
from depguard.popularity import snapshot

_STATEMENT = re.compile(r"^\s*(?:from\s+([\w.]+)\s+import|import\s+([\w.]+))")


def imported(package: Package) -> tuple[str, ...]:
    """The modules the code imports under ``package`` (dotted for namespace packages, else the
    top-level name), in order of first mention."""
    found: dict[str, None] = {}
    for dep in package.dependencies:
        if dep.named_in is not NamedIn.IMPORT:
            continue
        module = dep.imported_as
        if module is None and dep.detail:
            match = _STATEMENT.match(dep.detail)
            if match:
                module = (match.group(1) or match.group(2)).split(".")[0]
        found[module or dep.name.replace("-", "_")] = None
    return tuple(found)


def wanted(
    packages: Iterable[Package], statuses: Mapping[tuple[Ecosystem, str], LookupStatus]
) -> dict[str, tuple[str, ...]]:
    """Normalized name → imported modules, for the packages whose wheel should be read."""
    popular = snapshot(Ecosystem.PYPI)
    out: dict[str, tuple[str, ...]] = {}
    for package in packages:
        if package.ecosystem is not Ecosystem.PYPI or package.normalized in popular:
            continue
        if statuses.get((package.ecosystem, package.normalized)) is not LookupStatus.FOUND:
            continue
        modules = imported(package)
        if modules:
            out[package.normalized] = modules
    return out


def listing(
    wheel: str, modules: frozenset[str], namespaces: frozenset[str], imports: Iterable[str]
) -> WheelListing:
    """What the wheel installs, and which of ``imports`` it does not provide."""
    top = sorted({name.split(".", 1)[0] for name in modules | namespaces})
    tops = {normalize(Ecosystem.PYPI, name) for name in top}

    def provides(module: str) -> bool:
        if "." in module:  # inside a namespace: the dotted module or a package above it
            parts = module.split(".")
            return any(".".join(parts[:n]) in modules for n in range(len(parts), 0, -1))
        return normalize(Ecosystem.PYPI, module) in tops

    missing = tuple(m for m in imports if not provides(m))
    return WheelListing(wheel, tuple(top), missing)
