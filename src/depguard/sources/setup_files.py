"""setuptools' own manifests: ``setup.cfg`` and the literal arguments of ``setup.py``.

A project whose ``pyproject.toml`` says ``dynamic = ["dependencies"]`` (or has none) keeps its
dependencies here. ``setup.cfg`` is plain INI: ``[options] install_requires``, ``setup_requires``
and ``tests_require`` and each key of ``[options.extras_require]``, one requirement a line.
``setup.py`` is read through its syntax tree, never executed: the ``install_requires``,
``extras_require``, ``setup_requires`` and ``tests_require`` arguments of its ``setup(...)``
call, when they are literals (or names bound to literals at module level). When they are
computed (read from a file, built by a function), the run says so in a notice: depguard does
not run build code to find out, and nothing is guessed.
"""

from __future__ import annotations

import ast
from pathlib import Path
from typing import TYPE_CHECKING

from depguard.model import Location, NamedIn
from depguard.sources import SourceResult
from depguard.sources.reading import read_into

if TYPE_CHECKING:
    from depguard.sources.context import ReadContext

REQUIRES = {
    "install_requires": (NamedIn.PROJECT, None),
    "setup_requires": (NamedIn.BUILD, None),
    "tests_require": (NamedIn.OPTIONAL, "tests"),
}
EXTRAS = "extras_require"


def read(path: Path, display: str, context: ReadContext) -> SourceResult:
    """The source interface (:mod:`depguard.sources.context`)."""
    result = SourceResult()
    text = read_into(path, display, result)
    if text is not None:
        parse = parse_setup_py if path.name.lower() == "setup.py" else parse_setup_cfg
        result.extend(parse(text, display))
    return result


def _add(
    result: SourceResult, text: str, display: str, line: int, named_in: NamedIn, group: str | None
) -> None:
    from depguard.sources.pyproject import pep508_dependency

    text = text.split(" #", 1)[0].strip()
    if not text or text.startswith("#"):
        return
    found = pep508_dependency(text, Location(display, line), named_in, group)
    if isinstance(found, str):
        result.error(display, line, f"invalid requirement {text!r}: {found}", text)
    else:
        result.dependencies.append(found)


# -- setup.cfg ---------------------------------------------------------------------------------
def parse_setup_cfg(text: str, display: str) -> SourceResult:
    """The requirements of a ``setup.cfg``, each at its line."""
    result = SourceResult()
    section = ""
    key: str | None = None
    for number, raw in enumerate(text.splitlines(), start=1):
        stripped = raw.strip()
        if not stripped or stripped.startswith(("#", ";")):
            continue
        if stripped.startswith("[") and stripped.endswith("]"):
            section, key = stripped[1:-1].strip().lower(), None
            continue
        continued = raw[:1] in (" ", "\t") and key is not None
        if not continued:
            name, sep, value = stripped.partition("=")
            if not sep:
                name, sep, value = stripped.partition(":")
            key = name.strip().lower().replace("-", "_") if sep else None
            stripped = value.strip()
            if not stripped or key is None:
                continue
        target = _cfg_target(section, key)
        if target is not None:
            _add(result, stripped, display, number, *target)
    return result


def _cfg_target(section: str, key: str | None) -> tuple[NamedIn, str | None] | None:
    if key is None:
        return None
    if section == "options" and key in REQUIRES:
        return REQUIRES[key]
    if section == "options.extras_require":
        return NamedIn.OPTIONAL, key
    return None


# -- setup.py ----------------------------------------------------------------------------------
def parse_setup_py(text: str, display: str) -> SourceResult:
    """The literal requirement arguments of ``setup(...)``; a notice when they are computed."""
    result = SourceResult()
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return result  # read as code too, which reports the syntax error
    literals = _module_literals(tree)
    calls = [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and _called(node.func) == "setup"
    ]
    computed: list[str] = []
    for call in calls:
        for keyword in call.keywords:
            name = keyword.arg
            if name is None:
                computed.append("**kwargs")
                continue
            value = keyword.value
            if isinstance(value, ast.Name) and value.id in literals:
                value = literals[value.id]
            if name in REQUIRES:
                named_in, group = REQUIRES[name]
                if not _strings(value, result, display, named_in, group):
                    computed.append(name)
            elif name == EXTRAS:
                if not isinstance(value, ast.Dict):
                    computed.append(name)
                    continue
                for key_node, listed in zip(value.keys, value.values, strict=True):
                    items = (
                        literals.get(listed.id, listed) if isinstance(listed, ast.Name) else listed
                    )
                    if not isinstance(key_node, ast.Constant) or not isinstance(
                        key_node.value, str
                    ):
                        computed.append(name)
                    elif not _strings(items, result, display, NamedIn.OPTIONAL, key_node.value):
                        computed.append(f"{name}[{key_node.value!r}]")
    if computed:
        shown = ", ".join(dict.fromkeys(computed))
        result.notices.append(
            f"{display}: {shown} computed by build code; depguard does not run setup.py, so "
            "those dependencies are not known (list them in a requirements file to check them)"
        )
    return result


def _called(func: ast.expr) -> str | None:
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return None


def _module_literals(tree: ast.Module) -> dict[str, ast.expr]:
    """Module-level ``NAME = [...]`` / ``(...)`` / ``{...}`` bindings (the last one wins)."""
    found: dict[str, ast.expr] = {}
    for statement in tree.body:
        if isinstance(statement, ast.Assign) and len(statement.targets) == 1:
            target, value = statement.targets[0], statement.value
        elif isinstance(statement, ast.AnnAssign) and statement.value is not None:
            target, value = statement.target, statement.value
        else:
            continue
        if isinstance(target, ast.Name) and isinstance(value, (ast.List, ast.Tuple, ast.Dict)):
            found[target.id] = value
    return found


def _strings(
    node: ast.expr, result: SourceResult, display: str, named_in: NamedIn, group: str | None
) -> bool:
    """Add each string of a literal list/tuple (or one string); False when not literal."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        for offset, line in enumerate(node.value.splitlines()):
            _add(result, line, display, node.lineno + offset, named_in, group)
        return True
    if not isinstance(node, (ast.List, ast.Tuple)):
        return False
    literal = True
    for item in node.elts:
        if isinstance(item, ast.Constant) and isinstance(item.value, str):
            _add(result, item.value, display, item.lineno, named_in, group)
        else:
            literal = False
    return literal
