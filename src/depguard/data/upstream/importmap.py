"""From what each project installs to the import-name map: ranked, de-noised, written as TSV.

Every module a project installs becomes a key naming that project; a key several projects
install lists them all, most downloaded first (the first is the one a person means). Keys:

* a top-level module or package (``yaml``, ``cv2``, ``PIL``), kind ``module``;
* a module inside a namespace package (``google.protobuf``, ``azure.storage.blob``), kind
  ``module``, with the namespace itself (``google``, ``azure.storage``) as a key of kind
  ``namespace`` that lists everyone who installs into it;
* a project whose file could not be read is taken to install the module named like itself;
* a "namespace" only one project installs into (a package that forgot its ``__init__.py``,
  or a namespace with a single popular member) is folded into one ``module`` key.

A key is written when it tells something a name cannot: when its only provider's name is the
module's own name (``requests`` → requests) it is left out, because the reader assumes exactly
that for a module the map does not list. Dotted keys are always kept: without them a lookup
would stop at the namespace, which names no single distribution.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from depguard.data.upstream.crawl import ProjectRecord
from depguard.data.upstream.modules import Provided
from depguard.model import Ecosystem
from depguard.names import normalize

MODULE = "module"
NAMESPACE = "namespace"
MAX_NAMESPACE_PROVIDERS = 25
"""A namespace lists at most this many of its providers (azure has hundreds)."""


@dataclass(frozen=True)
class Entry:
    name: str
    kind: str
    distributions: tuple[str, ...]
    total: int
    """How many distributions provide the key (``distributions`` may be cut short)."""


def build(records: Iterable[ProjectRecord], downloads: Mapping[str, int | None]) -> list[Entry]:
    """The map's entries, sorted by key. ``downloads`` is keyed by normalized project name."""
    module_providers: dict[str, set[str]] = {}
    namespace_providers: dict[str, set[str]] = {}
    container_children: dict[str, dict[str, frozenset[str]]] = {}
    display: dict[str, str] = {}
    for record in records:
        display[record.project] = record.name
        found = record.provided()
        if record.kind == "error":
            found = _assumed(record)
        for module in found.modules:
            module_providers.setdefault(module, set()).add(record.project)
        for namespace in found.namespaces:
            namespace_providers.setdefault(namespace, set()).add(record.project)
        for container in found.containers:
            children = _children(container, found.modules | found.namespaces)
            container_children.setdefault(container, {})[record.project] = children
    for container, by_project in container_children.items():
        if len(by_project) >= 2 and not _same_package(list(by_project.values())):
            namespace_providers.setdefault(container, set()).update(by_project)

    def ranked(projects: Iterable[str]) -> tuple[str, ...]:
        return tuple(
            sorted(projects, key=lambda p: (-(downloads.get(p) or 0), display.get(p) or p))
        )

    kinds: dict[str, str] = {}
    providers: dict[str, set[str]] = {}
    for name in sorted(set(module_providers) | set(namespace_providers), key=_depth):
        from_namespace = namespace_providers.get(name, set())
        everyone = module_providers.get(name, set()) | from_namespace
        if _folded_into(name, kinds, providers, everyone):
            continue
        kinds[name] = NAMESPACE if len(from_namespace) >= 2 else MODULE
        providers[name] = everyone

    entries = []
    for name in sorted(kinds):
        order = ranked(providers[name])
        if "." not in name and len(order) == 1 and normalize(Ecosystem.PYPI, name) == order[0]:
            continue  # the name says it all
        shown = order[:MAX_NAMESPACE_PROVIDERS] if kinds[name] == NAMESPACE else order
        entries.append(
            Entry(name, kinds[name], tuple(display.get(p, p) for p in shown), len(order))
        )
    return entries


def _assumed(record: ProjectRecord) -> Provided:
    """A project whose file could not be read (an sdist over the size bound) is taken to
    install the module named like itself, so that it still ranks among the providers of that
    name (pyspark, which databricks-connect also installs)."""
    guess = record.project.replace("-", "_")
    return Provided(frozenset({guess} if guess.isidentifier() else ()), frozenset())


def _children(package: str, names: Iterable[str]) -> frozenset[str]:
    prefix = package + "."
    return frozenset(n[len(prefix) :].split(".", 1)[0] for n in names if n.startswith(prefix))


def _same_package(children: Sequence[frozenset[str]]) -> bool:
    """Distributions that each ship a package holding only subpackages ship one package
    twice (keras and keras-nightly) when most subpackages are common to all of them, and
    share a namespace (nvidia-cublas-cu12, nvidia-curand-cu12) when they have none in common."""
    common = frozenset.intersection(*children)
    every = frozenset.union(*children)
    return bool(every) and len(common) * 2 >= len(every)


def _depth(name: str) -> tuple[int, str]:
    return (name.count("."), name)


def _folded_into(
    name: str, kinds: Mapping[str, str], providers: Mapping[str, set[str]], everyone: set[str]
) -> bool:
    """True when a shallower module key already says who provides ``name``."""
    parts = name.split(".")
    for depth in range(len(parts) - 1, 0, -1):
        prefix = ".".join(parts[:depth])
        if prefix in kinds:
            return kinds[prefix] == MODULE and everyone == providers[prefix]
    return False


def header(*, date: str, projects: int, popular_date: str, kinds: Mapping[str, int]) -> list[str]:
    """The file's header: what it holds, where it comes from, how complete it is."""
    unread = projects - kinds.get("wheel", 0) - kinds.get("sdist", 0)
    return [
        f"snapshot-date: {date}",
        f"Import names of the {projects} most-downloaded PyPI projects (pypi-popular.tsv,",
        f"snapshot {popular_date}) and the distributions that install them:",
        "name<TAB>kind<TAB>distributions, most downloaded first. kind is module, or namespace",
        "(a namespace package several distributions install into; at most "
        f"{MAX_NAMESPACE_PROVIDERS} are listed,",
        "then +N for the rest). A module a distribution installs under its own name",
        "(requests -> requests) is left out; every module inside a namespace package is kept.",
        "Source: the file list of each project's newest wheel on PyPI (else its sdist), read",
        f"{date}: {kinds.get('wheel', 0)} wheels, {kinds.get('sdist', 0)} sdists; "
        f"{unread} projects not read ({kinds.get('no-files', 0)} without files, "
        f"{kinds.get('missing', 0)} not found,",
        f"{kinds.get('error', 0)} unreadable or over the size bound).",
        "Licence: facts (module and file names) from public package metadata; the ranking",
        "comes from pypi-popular.tsv (see SOURCES.md).",
        "Refresh: python -m depguard.data.refresh import-names",
    ]


def render(entries: Sequence[Entry], header: Sequence[str]) -> str:
    """The TSV file: ``#`` header lines, then ``name<TAB>kind<TAB>dist,dist,...``."""
    lines = [f"# {line}" if line else "#" for line in header]
    for entry in entries:
        listed = ",".join(entry.distributions)
        if entry.total > len(entry.distributions):
            listed += f",+{entry.total - len(entry.distributions)}"
        lines.append(f"{entry.name}\t{entry.kind}\t{listed}")
    return "\n".join(lines) + "\n"
