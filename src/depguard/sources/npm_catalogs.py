"""Dependency catalogs: the ranges that ``"name": "catalog:"`` specs stand for (and the
workspace's package globs, which ``pnpm-workspace.yaml`` keeps beside them).

pnpm keeps them in ``pnpm-workspace.yaml`` at the workspace root: ``catalog:`` (the default
catalog, also reachable as ``catalogs.default``) and ``catalogs: {<name>: {...}}`` for
``catalog:<name>``. Bun keeps the same two keys in the root ``package.json`` (at its top level or
inside its ``workspaces`` object). A catalog entry maps a package name to a spec like any other
(a range, a tag, an ``npm:`` alias). The YAML is read with PyYAML's safe loader only.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from depguard.errors import ManifestError
from depguard.sources.reading import read_text

PNPM_WORKSPACE = "pnpm-workspace.yaml"
DEFAULT = "default"


@dataclass(frozen=True)
class Catalogs:
    """The catalogs of one workspace, from one file."""

    source: str
    """The file they were read from, as displayed."""
    named: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    packages: tuple[str, ...] = ()
    """The workspace's package globs (``packages:`` of ``pnpm-workspace.yaml``)."""
    error: str | None = None
    """Why the file could not be read (then ``named`` is empty)."""

    def spec(self, catalog: str, package: str) -> str | None:
        """The spec ``catalog`` gives ``package``, or None when it has no such entry."""
        return self.named.get(catalog or DEFAULT, {}).get(package)


def catalog_name(raw: str) -> str | None:
    """``catalog:`` -> ``"default"``, ``catalog:react18`` -> ``"react18"``; None for other specs."""
    text = raw.strip()
    if not text.lower().startswith("catalog:"):
        return None
    return text[len("catalog:") :].strip() or DEFAULT


def from_mapping(document: Mapping[str, object], source: str) -> Catalogs | None:
    """The catalogs a ``pnpm-workspace.yaml`` or root ``package.json`` document declares, or None
    when it declares none."""
    found: dict[str, Mapping[str, str]] = {}
    default = document.get("catalog")
    if isinstance(default, Mapping):
        found[DEFAULT] = _entries(default)
    named = document.get("catalogs")
    if isinstance(named, Mapping):
        for name, entries in named.items():
            if isinstance(entries, Mapping):
                found.setdefault(str(name), _entries(entries))
    listed = document.get("packages")
    packages = tuple(
        p.strip().rstrip("/").removeprefix("./")
        for p in (listed if isinstance(listed, list) else ())
        if isinstance(p, str)
    )
    if not found and default is None and named is None and not packages:
        return None
    return Catalogs(source, found, packages)


def read_pnpm_workspace(path: Path, source: str) -> Catalogs | None:
    """The catalogs of a ``pnpm-workspace.yaml`` (an unreadable file is a Catalogs with its
    error, so a spec that needs it can say why it cannot be resolved)."""
    import yaml

    try:
        text = read_text(path)
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        document = yaml.load(text, Loader=loader)  # noqa: S506 - a safe loader
    except ManifestError as exc:
        return Catalogs(source, error=exc.message)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 1})" if mark is not None else ""
        problem = getattr(exc, "problem", None) or "invalid YAML"
        return Catalogs(source, error=f"{problem}{where}")
    except RecursionError:
        return Catalogs(source, error="nested too deeply")
    if document is None:
        return None
    if not isinstance(document, Mapping):
        return Catalogs(source, error="expected a mapping at the top level")
    return from_mapping(document, source)


def _entries(table: Mapping[object, object]) -> dict[str, str]:
    return {str(k): str(v) for k, v in table.items() if isinstance(v, (str, int, float))}
