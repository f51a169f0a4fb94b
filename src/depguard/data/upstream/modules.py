"""Which modules a distribution installs, from the file names in its wheel (or sdist).

A wheel's members are laid out as they land in ``site-packages``: a directory with an
``__init__`` is a regular package, ``x.py`` / ``x.cpython-311-x86_64-linux-gnu.so`` / ``x.pyd``
are single-file modules, and ``name-1.0.data/purelib/`` or ``platlib/`` hold more of the same.
A directory without ``__init__`` is a namespace package (PEP 420, or setuptools' ``-nspkg.pth``
style): what the distribution really provides is one level down, so ``google/protobuf/`` in
the protobuf wheel gives the module ``google.protobuf`` under the namespace ``google``.
pkgutil-style namespaces keep an ``__init__.py`` that calls ``extend_path``; the caller reads
those few files (see :func:`namespace_candidates`) and passes the ones that are namespaces in.

Metadata (``*.dist-info``), other ``.data`` directories (scripts, headers, data), type-stub
packages (``x-stubs``), caches, bundled shared libraries (``x.libs``) and the generic names
of test and documentation trees are not modules anyone means to import from a distribution.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from depguard.model import Ecosystem
from depguard.names import normalize

IGNORED_NAMES = frozenset(
    {
        "test",
        "tests",
        "testing",
        "doc",
        "docs",
        "example",
        "examples",
        "benchmark",
        "benchmarks",
        "conftest",
        "setup",
        "__init__",
        "__main__",
        "__pycache__",
    }
)
"""Names skipped wherever they appear: test, documentation, example and build trees."""
GENERIC_TOP_LEVEL = frozenset(
    {
        "_version",
        "api",
        "app",
        "apps",
        "assets",
        "base",
        "bench",
        "bin",
        "build",
        "build_backend",
        "cli",
        "client",
        "common",
        "config",
        "constants",
        "core",
        "data",
        "demo",
        "demos",
        "external",
        "extras",
        "helpers",
        "include",
        "internal",
        "lib",
        "libs",
        "main",
        "misc",
        "models",
        "notebooks",
        "plugins",
        "resources",
        "sample",
        "samples",
        "script",
        "scripts",
        "server",
        "settings",
        "shared",
        "src",
        "static",
        "templates",
        "third_party",
        "tools",
        "util",
        "utils",
        "vendor",
        "version",
    }
)
"""Generic names that wheels leak at the top level by mistake. No distribution is the one a
person means by ``import utils``, so the map says nothing about them. Inside a namespace they
are real (``azure.common``, ``opentelemetry.util``) and kept."""
_IGNORED_PATTERN = re.compile(r"^(?:tests?_|setup_)|_tests?$")
"""Test modules and build helpers (``test_foo``, ``foo_test``, ``setup_cython``)."""

_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_EXTENSION = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*)(?:\.[A-Za-z0-9_-]+)?\.(?:so|pyd)$")
_SHARED_LIBRARY = re.compile(r"^lib[^.]*\.so$")
"""``libfoo.so`` with no Python ABI tag: a bundled C library, not an extension module."""
_SOURCE = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*)\.py$")
_LIB_DATA = re.compile(r"^[^/]+\.data/(?:purelib|platlib)/")
_INIT = re.compile(r"^__init__(?:\.py|(?:\.[A-Za-z0-9_-]+)?\.(?:so|pyd))$")
_NAMESPACE_CALL = re.compile(r"\b(?:extend_path|declare_namespace)\s*\(")


@dataclass
class _Dir:
    files: set[str] = field(default_factory=set)
    dirs: dict[str, _Dir] = field(default_factory=dict)

    def child(self, name: str) -> _Dir:
        return self.dirs.setdefault(name, _Dir())

    def has_init(self) -> bool:
        return any(_INIT.match(f) for f in self.files)

    def has_code(self) -> bool:
        return any(module_name(f) for f in self.files) or any(
            d.has_code() for n, d in self.dirs.items() if n != "__pycache__"
        )


@dataclass(frozen=True)
class Provided:
    """What a distribution installs: ``modules`` (dotted for those inside a namespace),
    ``namespaces``, and ``containers``: regular packages whose only code is ``__init__.py``
    and subpackages (``nvidia/__init__.py`` in every nvidia-* wheel), whose subpackages are
    listed in ``modules`` too. A container several distributions install is a namespace in all
    but name; the map decides that across distributions."""

    modules: frozenset[str]
    namespaces: frozenset[str]
    containers: frozenset[str] = frozenset()


def ignored(name: str, *, top_level: bool = True) -> bool:
    """True for names the map leaves out (see :data:`IGNORED_NAMES` and
    :data:`GENERIC_TOP_LEVEL`)."""
    if name in IGNORED_NAMES or _IGNORED_PATTERN.search(name):
        return True
    return top_level and name in GENERIC_TOP_LEVEL


def module_name(filename: str) -> str | None:
    """The module a file at package level defines (``x.py``, ``x.*.so``, ``x.pyd``), if any."""
    if _SHARED_LIBRARY.match(filename):
        return None
    match = _SOURCE.match(filename) or _EXTENSION.match(filename)
    return match.group(1) if match else None


def wheel_paths(members: Iterable[str]) -> list[str]:
    """Install-relative paths of a wheel's members: ``.data/purelib|platlib`` folded in,
    metadata, scripts, headers and directories left out."""
    out = []
    for raw in members:
        name = raw.replace("\\", "/").lstrip("/")
        if not name or name.endswith("/"):
            continue
        lib = _LIB_DATA.match(name)
        if lib:
            name = name[lib.end() :]
        top = name.split("/", 1)[0]
        if top.endswith((".dist-info", ".data", ".egg-info")):
            continue
        out.append(name)
    return out


def _tree(paths: Iterable[str]) -> _Dir:
    root = _Dir()
    for path in paths:
        parts = [p for p in path.split("/") if p and p != "."]
        if not parts or ".." in parts:
            continue
        node = root
        for part in parts[:-1]:
            node = node.child(part)
        node.files.add(parts[-1])
    return root


def namespace_candidates(paths: Iterable[str]) -> list[str]:
    """``__init__.py`` files that may declare a pkgutil/pkg_resources namespace: those of
    packages that hold nothing but their ``__init__.py`` and subpackages."""
    found: list[str] = []

    def walk(node: _Dir, prefix: str) -> None:
        for name, child in sorted(node.dirs.items()):
            if not _IDENTIFIER.match(name) or ignored(name, top_level=not prefix):
                continue
            path = f"{prefix}{name}"
            if "__init__.py" in child.files and _is_container(child):
                found.append(f"{path}/__init__.py")
                walk(child, f"{path}/")
            elif not child.has_init():
                walk(child, f"{path}/")

    walk(_tree(paths), "")
    return found


def declares_namespace(init_source: str) -> bool:
    """True when an ``__init__.py`` only extends a namespace (pkgutil or pkg_resources)."""
    return bool(_NAMESPACE_CALL.search(init_source))


def provided(paths: Iterable[str], declared_namespaces: Iterable[str] = ()) -> Provided:
    """The modules and namespaces installed by these (install-relative) paths.

    ``declared_namespaces`` are dotted package names known to be namespaces although they
    have an ``__init__`` (``namespace_packages.txt``, or an ``__init__.py`` calling
    ``extend_path``)."""
    declared = {n.strip() for n in declared_namespaces if n.strip()}
    modules: set[str] = set()
    namespaces: set[str] = set()
    containers: set[str] = set()

    def walk(node: _Dir, prefix: str) -> None:
        for filename in node.files:
            name = module_name(filename)
            if name and not ignored(name, top_level=not prefix):
                modules.add(prefix + name)
        for name, child in node.dirs.items():
            if not _IDENTIFIER.match(name) or ignored(name, top_level=not prefix):
                continue
            if not child.has_code():
                continue
            dotted = prefix + name
            if not child.has_init() or dotted in declared:
                namespaces.add(dotted)
                walk(child, dotted + ".")
                continue
            modules.add(dotted)
            if _is_container(child):
                containers.add(dotted)
                walk(child, dotted + ".")  # its own __init__ is skipped as a name

    walk(_tree(paths), "")
    return Provided(frozenset(modules), frozenset(namespaces), frozenset(containers))


def _is_container(node: _Dir) -> bool:
    code = {f for f in node.files if module_name(f)}
    return all(_INIT.match(f) for f in code) and any(
        d.has_code()
        for n, d in node.dirs.items()
        if _IDENTIFIER.match(n) and not ignored(n, top_level=False)
    )


def sdist_paths(members: Iterable[str]) -> tuple[list[str], str]:
    """An sdist's member names relative to where its packages live (``src/`` when it has one),
    and that prefix inside the archive."""
    stripped = []
    for raw in members:
        name = raw.replace("\\", "/").lstrip("/")
        _, _, rest = name.partition("/")
        if rest and not rest.endswith("/"):
            stripped.append(rest)
    src = [p[4:] for p in stripped if p.startswith("src/")]
    if any(module_name(p.rsplit("/", 1)[-1]) for p in src):
        return src, "src/"
    return stripped, ""


def sdist_provided(
    paths: list[str],
    project: str,
    top_level: Iterable[str] | None,
    declared_namespaces: Iterable[str] = (),
) -> Provided:
    """What an sdist would install.

    With the ``top_level.txt`` setuptools writes into the sdist's ``.egg-info``: exactly those
    names, found in the source tree (at its root, or under ``lib/``) to tell namespaces apart,
    and taken as they are when their source is elsewhere (a C extension, a custom
    ``package_dir``). Without it: the regular packages at the root of the source tree (or under
    ``lib/``), a namespace directory the project is named after (``jaraco/`` for
    jaraco.functools) and a single-file module named like the project (the layouts flit and
    hatch build), never the scripts, tools and notebooks that sit beside them."""
    wanted = None if top_level is None else {t.strip() for t in top_level if t.strip()}
    if not _packages(paths):
        inside = [p[4:] for p in paths if p.startswith("lib/")]
        paths = inside if _packages(inside) else paths
    regular = _packages(paths)
    project_key = _canonical(project)

    def keep(path: str) -> bool:
        top, _, rest = path.partition("/")
        if not rest:
            name = module_name(top)
            if name is None:
                return False
            return name in wanted if wanted is not None else _canonical(name) == project_key
        if wanted is not None:
            return top in wanted
        return top in regular or project_key.startswith(_canonical(top) + "-")

    found = provided([p for p in paths if keep(p)], declared_namespaces)
    if wanted is None:
        return found
    seen = {name.split(".", 1)[0] for name in found.modules | found.namespaces}
    unseen = {name for name in wanted - seen if _IDENTIFIER.match(name) and not ignored(name)}
    return Provided(found.modules | unseen, found.namespaces, found.containers)


def _packages(paths: Iterable[str]) -> set[str]:
    """Top-level directories of ``paths`` that are regular packages."""
    return {p.split("/")[0] for p in paths if p.count("/") == 1 and _INIT.match(p.split("/")[1])}


def _canonical(name: str) -> str:
    return normalize(Ecosystem.PYPI, name)
