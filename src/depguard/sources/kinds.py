"""The registry of input kinds: which files depguard reads, and which module reads each.

Adding a format is one module under :mod:`depguard.sources` that defines
``read(path, display, context)`` (see :mod:`depguard.sources.context`) plus one line in
:data:`KINDS`. A kind is chosen by file name alone (lower-cased): exact names first, then
glob patterns, in the order of :data:`KINDS`. A pattern with a ``/`` also names the folder the
file is in (``requirements/*.txt``).
"""

from __future__ import annotations

import fnmatch
import importlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, cast

from depguard.model import Ecosystem

if TYPE_CHECKING:
    from depguard.sources import SourceResult
    from depguard.sources.context import ReadContext, Reader


@dataclass(frozen=True)
class Kind:
    name: str
    """What ``--as`` takes and the report calls it."""
    reader: str
    """The module under depguard.sources whose ``read`` reads it ("" for code read in bulk)."""
    files: tuple[str, ...]
    """File names (globs, lower-case) of this kind."""
    ecosystem: Ecosystem | None = None
    lockfile: bool = False
    code: bool = False
    """Source code: read only while imports are (``--no-imports`` skips it)."""
    not_files: tuple[str, ...] = ()
    """Names that match ``files`` but are not this kind."""
    also_code: bool = False
    """A manifest that is source code as well (``setup.py``): its imports are read too."""
    _exact: frozenset[str] = field(init=False, repr=False, compare=False)
    _pattern: re.Pattern[str] | None = field(init=False, repr=False, compare=False)
    _not: re.Pattern[str] | None = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        globs = [g for g in self.files if any(c in g for c in "*?[")]
        object.__setattr__(self, "_exact", frozenset(set(self.files) - set(globs)))
        object.__setattr__(self, "_pattern", _compile(globs))
        object.__setattr__(self, "_not", _compile(self.not_files))

    def __str__(self) -> str:
        return self.name

    def matches(self, name: str, folder: str) -> bool:
        """Whether a file called ``name`` (lower-case) in ``folder`` is of this kind."""
        if name in self._exact:
            return True
        if self._pattern is None:
            return False
        if not (self._pattern.match(name) or self._pattern.match(f"{folder}/{name}")):
            return False
        return self._not is None or not self._not.match(name)

    def read(self, path: Path, display: str, context: ReadContext) -> SourceResult:
        module = importlib.import_module(f"depguard.sources.{self.reader}")
        return cast("Reader", module.read)(path, display, context)


def _compile(globs: list[str] | tuple[str, ...]) -> re.Pattern[str] | None:
    if not globs:
        return None
    return re.compile("|".join(f"(?:{fnmatch.translate(g)})" for g in globs))


_JS = ("*.js", "*.mjs", "*.cjs", "*.jsx", "*.ts", "*.tsx", "*.mts", "*.cts")
_REQ = ("requirements*.txt", "requirements*.in", "constraints*.txt", "constraints*.in")
PYPI, NPM = Ecosystem.PYPI, Ecosystem.NPM

REQUIREMENTS = Kind(
    "requirements", "requirements", (*_REQ, "requirements/*.txt", "requirements/*.in"), PYPI
)
PYPROJECT = Kind("pyproject", "pyproject", ("pyproject.toml",), PYPI)
SETUP_CFG = Kind("setup.cfg", "setup_files", ("setup.cfg",), PYPI)
SETUP_PY = Kind("setup.py", "setup_files", ("setup.py",), PYPI, also_code=True)
PACKAGE_JSON = Kind("package.json", "package_json", ("package.json",), NPM)
PACKAGE_LOCK = Kind(
    "package-lock", "package_lock", ("package-lock.json", "npm-shrinkwrap.json"), NPM, True
)
PYTHON = Kind("python", "", ("*.py", "*.pyi"), PYPI, code=True)
NOTEBOOK = Kind("notebook", "", ("*.ipynb",), PYPI, code=True)
JAVASCRIPT = Kind(
    "javascript", "js_imports", _JS, NPM, code=True, not_files=("*.d.ts", "*.min.js", "*.bundle.js")
)

# fmt: off
KINDS: tuple[Kind, ...] = (
    REQUIREMENTS,
    PYPROJECT,
    SETUP_CFG,
    SETUP_PY,
    PACKAGE_JSON,
    PACKAGE_LOCK,
    Kind("poetry.lock", "poetry_lock", ("poetry.lock",), PYPI, lockfile=True),
    Kind("uv.lock", "uv_lock", ("uv.lock",), PYPI, lockfile=True),
    Kind("pylock", "pylock", ("pylock.toml", "pylock.*.toml"), PYPI, lockfile=True),
    Kind("Pipfile.lock", "pipfile_lock", ("pipfile.lock",), PYPI, lockfile=True),
    Kind("pdm.lock", "pdm_lock", ("pdm.lock",), PYPI, lockfile=True),
    Kind("pnpm-lock", "pnpm_lock", ("pnpm-lock.yaml",), NPM, lockfile=True),
    Kind("yarn.lock", "yarn_lock", ("yarn.lock",), NPM, lockfile=True),
    Kind("bun.lock", "bun_lock", ("bun.lock",), NPM, lockfile=True),
    Kind("bun.lockb", "bun_lockb", ("bun.lockb",), NPM, lockfile=True),
    PYTHON,
    NOTEBOOK,
    JAVASCRIPT,
)
"""Every kind, in the order a file name is tried against them."""
# fmt: on

BY_NAME = {kind.name: kind for kind in KINDS}


def classify(path: Path) -> Kind | None:
    """What kind of input a file is, from its name alone."""
    name = path.name.lower()
    kind = _INDEX.exact.get(name)
    if kind is not None:
        return kind
    match = _INDEX.names.match(name) or _INDEX.folders.match(f"{path.parent.name.lower()}/{name}")
    if match is None or match.lastgroup is None:
        return None
    kind = KINDS[int(match.lastgroup[1:].split("_")[0])]
    if kind.matches(name, path.parent.name.lower()):
        return kind
    # excluded by that kind's not_files: a later kind may still want it
    later = KINDS[KINDS.index(kind) + 1 :]
    return next((k for k in later if k.matches(name, path.parent.name.lower())), None)


class _Index:
    """Every kind's names in one lookup: the walk classifies each file of a tree."""

    def __init__(self, kinds: tuple[Kind, ...]) -> None:
        self.exact: dict[str, Kind] = {}
        names: list[str] = []
        folders: list[str] = []
        for number, kind in enumerate(kinds):
            for glob in kind.files:
                if not any(c in glob for c in "*?["):
                    self.exact.setdefault(glob, kind)
                    continue
                target = folders if "/" in glob else names
                target.append(f"(?P<k{number}_{len(target)}>{fnmatch.translate(glob)})")
        self.names = re.compile("|".join(names) or "(?!)")
        self.folders = re.compile("|".join(folders) or "(?!)")


_INDEX = _Index(KINDS)


def named(name: str) -> Kind | None:
    """The kind ``--as NAME`` means (its name, or a file name of that kind)."""
    lowered = name.strip().lower()
    return BY_NAME.get(lowered) or classify(Path(lowered))


def choices() -> str:
    return ", ".join(kind.name for kind in KINDS if not kind.code)
