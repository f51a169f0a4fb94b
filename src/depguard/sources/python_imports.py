"""The import statements of Python sources and notebooks, read with ``ast``.

Nothing is imported or run: files are parsed, never executed. Found are ``import a.b``,
``from a.b import c`` (at any depth: in functions, classes, ``if TYPE_CHECKING:`` blocks), and
``importlib.import_module("literal")`` / ``__import__("literal")``. Relative imports are local
and are not reported. An import inside ``try:`` whose handlers catch ``ImportError`` (or
``ModuleNotFoundError``, ``Exception``, ``BaseException``, or everything) is marked guarded, and
so is the fallback import inside such a handler.
"""

from __future__ import annotations

import ast
import bisect
import io
import json
import re
import tokenize
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import cast

from depguard.errors import ManifestError

SOURCE_LIMIT = 5 * 1024 * 1024
"""Largest source file read (bytes)."""

GUARDING = frozenset({"ImportError", "ModuleNotFoundError", "Exception", "BaseException"})
_IMPORT_FUNCTIONS = frozenset({"import_module", "__import__"})
_MAGIC = re.compile(r"^\s*[%!?]")
_TRY_NODES: tuple[type[ast.AST], ...] = tuple(
    t for t in (getattr(ast, "Try", None), getattr(ast, "TryStar", None)) if t is not None
)


@dataclass(frozen=True)
class ImportRef:
    """One absolute import, as written."""

    module: str
    line: int
    statement: str
    guarded: bool = False
    names: tuple[str, ...] = ()
    """For ``from a import b, c``: the imported names (``b``, ``c``), which may be submodules."""
    cell: int | None = None
    conditional: bool = False
    """Reached only on some paths: inside a function, an ``if`` (availability checks, settings,
    ``TYPE_CHECKING``), a loop or a ``try``; not an unconditional module-level import."""
    python: str | None = None
    """Under ``if sys.version_info >= (3, N)``: the oldest Python ("3.N") that runs it."""

    @property
    def top(self) -> str:
        return self.module.split(".", 1)[0]


def decode_source(data: bytes) -> str:
    """Source text, honouring a PEP 263 coding cookie or BOM; ManifestError when undecodable."""
    if b"\x00" in data:
        raise ManifestError("binary file (contains NUL bytes); not Python source")
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    except SyntaxError as exc:
        raise ManifestError(f"bad encoding declaration: {exc.msg}") from None
    try:
        return data.decode(encoding)
    except (UnicodeDecodeError, LookupError) as exc:
        line = data[: getattr(exc, "start", 0)].count(b"\n") + 1
        raise ManifestError(f"cannot decode as {encoding}", line) from None


_DYNAMIC = re.compile(r"(?:import_module|__import__)[ \t]*\(")
_IMPORT_MODULE_ALIAS = re.compile(r"\bimport_module[ \t]+as[ \t]+([A-Za-z_][A-Za-z0-9_]*)")


def scan_source(text: str, *, cell: int | None = None) -> list[ImportRef]:
    """The imports of one module's source. Raises ManifestError on a syntax error."""
    try:
        tree = ast.parse(text)
    except SyntaxError as exc:
        # Newer syntax than the running Python knows, or a broken file: tree-sitter's Python
        # grammar (current, and independent of the running Python) tells which; the imports
        # are read from the tokens, which every Python 3 tokenizes alike.
        from depguard.sources.python_tokens import grammar_error, scan_tokens

        if "too many" in (exc.msg or ""):  # a limit of every CPython (nesting), not new syntax
            raise ManifestError(f"cannot parse: {exc.msg}", exc.lineno) from None
        broken_at = grammar_error(text)
        if broken_at is not None:
            raise ManifestError(f"syntax error: {exc.msg}", broken_at or exc.lineno) from None
        return scan_tokens(text, cell=cell)
    except RecursionError:
        raise ManifestError("cannot parse: nested too deeply") from None
    except MemoryError:
        raise ManifestError("cannot parse: too large") from None
    except ValueError as exc:  # e.g. a NUL byte in the source
        raise ManifestError(f"cannot parse: {str(exc)[:100]}") from None
    dynamic: list[int] = []
    if "import_module" in text or "__import__" in text:
        pattern = _DYNAMIC
        aliases = set(_IMPORT_MODULE_ALIAS.findall(text))
        if aliases:  # `from importlib import import_module as load`: find load(...) too
            names = "|".join(sorted(re.escape(a) for a in aliases))
            pattern = re.compile(rf"(?:import_module|__import__|\b(?:{names}))[ \t]*\(")
        line, position = 1, 0
        for match in pattern.finditer(text):
            line += text.count("\n", position, match.start())
            position = match.start()
            dynamic.append(line)
    return _Visitor(cell, dynamic).run(tree)


def scan_notebook(text: str) -> tuple[list[ImportRef], list[tuple[int | None, str]]]:
    """Imports of a notebook's code cells, each at its line in the .ipynb file.

    Returns (imports, errors); an error is (line, message) for a cell that does not parse, and
    the other cells are still read. IPython magics and shell escapes are skipped.
    """
    try:
        document = json.loads(text)
    except (ValueError, RecursionError) as exc:
        raise ManifestError(f"not a notebook (invalid JSON: {str(exc)[:100]})") from None
    cells = document.get("cells") if isinstance(document, dict) else None
    if not isinstance(cells, list):
        raise ManifestError("not a notebook (no 'cells' list)")
    source_lines = _source_lines(text)
    refs: list[ImportRef] = []
    errors: list[tuple[int | None, str]] = []
    for number, cell in enumerate(cells, start=1):
        if not isinstance(cell, dict):
            continue
        start = source_lines[number - 1] if number - 1 < len(source_lines) else None
        if cell.get("cell_type") != "code":
            continue
        source = cell.get("source", "")
        code = "".join(source) if isinstance(source, list) else str(source)
        code = "\n".join("" if _MAGIC.match(line) else line for line in code.split("\n"))
        try:
            found = scan_source(code, cell=number)
        except ManifestError as exc:
            where = None if start is None or exc.line is None else start + exc.line - 1
            errors.append((where, f"cell {number}: {exc.message}"))
            continue
        for ref in found:
            line = ref.line if start is None else start + ref.line - 1
            refs.append(replace(ref, line=line, cell=number))
    return refs, errors


def _source_lines(text: str) -> list[int | None]:
    """For each cell (in order), the file line of its first source line, when pretty-printed."""
    starts: list[int | None] = []
    lines = text.splitlines()
    for index, line in enumerate(lines):
        stripped = line.strip()
        if stripped.startswith('"source":'):
            inline = stripped[len('"source":') :].strip()
            starts.append(index + 1 if inline.startswith(('"', '["')) else index + 2)
    if len(starts) == 1 and len(lines) == 1:
        return []
    return starts


_SIMPLE_STATEMENTS = tuple(
    getattr(ast, name)
    for name in (
        "Expr",
        "Assign",
        "AugAssign",
        "AnnAssign",
        "Return",
        "Raise",
        "Pass",
        "Delete",
        "Global",
        "Nonlocal",
        "Break",
        "Continue",
        "Assert",
        "TypeAlias",
    )
    if hasattr(ast, name)
)


class _Visitor:
    """Walks statements only (imports are statements), and expressions only on the lines
    where a dynamic import call was seen: a small fraction of the tree."""

    def __init__(self, cell: int | None, dynamic_lines: list[int]) -> None:
        self.cell = cell
        self.dynamic_lines = dynamic_lines
        self.importlib_aliases = {"importlib"}
        self.import_module_aliases: set[str] = set()

    def run(self, tree: ast.Module) -> list[ImportRef]:
        found: list[ImportRef] = []
        # (statements, guarded by an ImportError handler, conditional, oldest Python)
        stack: list[tuple[list[ast.stmt], bool, bool, str | None]] = [
            (tree.body, False, False, None)
        ]
        while stack:
            body, guarded, conditional, python = stack.pop()
            start = len(found)
            for statement in body:
                if isinstance(statement, ast.Import):
                    found.extend(self._import(statement, guarded))
                elif isinstance(statement, ast.ImportFrom):
                    found.extend(self._import_from(statement, guarded))
                elif isinstance(statement, _TRY_NODES):
                    node = cast(ast.Try, statement)  # Try and TryStar share these fields
                    inner = guarded or any(_catches_import_error(h) for h in node.handlers)
                    stack.append((node.body, inner, conditional or inner, python))
                    # A handler's import is the fallback of the guarded one (try: import ujson
                    # except ImportError: import json): optional in the same way.
                    for h in node.handlers:
                        stack.append((h.body, guarded or _catches_import_error(h), True, python))
                    stack.append((node.orelse, guarded, True, python))  # when nothing raised
                    stack.append((node.finalbody, guarded, conditional, python))
                elif isinstance(statement, ast.If):
                    newer, older = _version_guard(statement.test)
                    stack.append((statement.body, guarded, True, newer or python))
                    stack.append((statement.orelse, guarded, True, older or python))
                elif isinstance(statement, (ast.ClassDef, ast.With, ast.AsyncWith)):
                    stack.append((statement.body, guarded, conditional, python))
                elif not isinstance(statement, _SIMPLE_STATEMENTS):
                    # functions, loops, match: reached only on some paths
                    for field in ("body", "orelse", "finalbody"):
                        block: list[ast.stmt] | None = getattr(statement, field, None)
                        if block:
                            stack.append((block, guarded, True, python))
                    for case in getattr(statement, "cases", ()) or ():
                        stack.append((case.body, guarded, True, python))
                if self.dynamic_lines and self._spans_dynamic(statement):
                    found.extend(self._dynamic_calls(statement, guarded))
            if conditional or python:
                found[start:] = [
                    replace(ref, conditional=ref.conditional or conditional, python=python)
                    for ref in found[start:]
                ]
        found.sort(key=lambda ref: ref.line)
        return found

    def _spans_dynamic(self, node: ast.stmt) -> bool:
        first = node.lineno
        last = node.end_lineno or first
        index = bisect.bisect_left(self.dynamic_lines, first)
        return index < len(self.dynamic_lines) and self.dynamic_lines[index] <= last

    def _dynamic_calls(self, statement: ast.stmt, guarded: bool) -> Iterator[ImportRef]:
        """Calls in this statement's own expressions (nested statements are walked apart)."""
        pending: list[ast.AST] = [
            child for child in ast.iter_child_nodes(statement) if not isinstance(child, ast.stmt)
        ]
        while pending:
            node = pending.pop()
            if isinstance(node, ast.Call):
                ref = self._dynamic(node, guarded)
                if ref is not None:
                    yield ref
            pending.extend(
                child for child in ast.iter_child_nodes(node) if not isinstance(child, ast.stmt)
            )

    def _import(self, node: ast.Import, guarded: bool) -> Iterator[ImportRef]:
        for alias in node.names:
            if alias.name == "importlib":
                self.importlib_aliases.add(alias.asname or "importlib")
            yield ImportRef(
                alias.name, node.lineno, f"import {alias.name}", guarded, cell=self.cell
            )

    def _import_from(self, node: ast.ImportFrom, guarded: bool) -> Iterator[ImportRef]:
        if node.level or not node.module:
            return  # relative: local code
        names = tuple(a.name for a in node.names if a.name != "*")
        if node.module == "importlib":
            for alias in node.names:
                if alias.name == "import_module":
                    self.import_module_aliases.add(alias.asname or "import_module")
        shown = ", ".join(names[:3]) + (", ..." if len(names) > 3 else "") or "*"
        yield ImportRef(
            node.module,
            node.lineno,
            f"from {node.module} import {shown}",
            guarded,
            names,
            cell=self.cell,
        )

    def _dynamic(self, node: ast.Call, guarded: bool) -> ImportRef | None:
        func = node.func
        name = None
        if isinstance(func, ast.Name) and (
            func.id == "__import__" or func.id in self.import_module_aliases
        ):
            name = func.id
        elif (
            isinstance(func, ast.Attribute)
            and func.attr in _IMPORT_FUNCTIONS
            and isinstance(func.value, ast.Name)
            and func.value.id in self.importlib_aliases
        ):
            name = f"{func.value.id}.{func.attr}"
        if name is None or not node.args:
            return None
        first = node.args[0]
        if not isinstance(first, ast.Constant) or not isinstance(first.value, str):
            return None
        module = first.value.strip()
        if not module or module.startswith(".") or not is_dotted_name(module):
            return None
        return ImportRef(module, node.lineno, f'{name}("{module}")', guarded, cell=self.cell)


def _version_guard(test: ast.expr) -> tuple[str | None, str | None]:
    """For ``sys.version_info >= (3, N)`` (or ``>``, ``<``, ``<=``, either side): the oldest
    Python of the body and of the ``else`` branch, as "3.N". In ``A and B`` either part
    guards the body (not the ``else`` branch)."""
    if isinstance(test, ast.BoolOp) and isinstance(test.op, ast.And):
        for value in test.values:
            newer, _ = _version_guard(value)
            if newer:
                return newer, None
        return None, None
    if not isinstance(test, ast.Compare) or len(test.ops) != 1:
        return None, None
    left, op, right = test.left, test.ops[0], test.comparators[0]
    if _is_version_info(right):  # (3, 11) <= sys.version_info
        left, right = right, left
        op = {ast.LtE: ast.GtE(), ast.Lt: ast.Gt(), ast.GtE: ast.LtE(), ast.Gt: ast.Lt()}.get(
            type(op), op
        )
    if not _is_version_info(left) or not isinstance(right, ast.Tuple) or len(right.elts) < 2:
        return None, None
    parts = [
        e.value
        for e in right.elts[:2]
        if isinstance(e, ast.Constant)
        and isinstance(e.value, int)
        and not isinstance(e.value, bool)
    ]
    if len(parts) != 2:
        return None, None
    major, minor = parts
    at = f"{major}.{minor}"
    after = f"{major}.{minor + 1}"
    if isinstance(op, ast.GtE):
        return at, None
    if isinstance(op, ast.Gt):
        return after, None
    if isinstance(op, ast.Lt):
        return None, at
    if isinstance(op, ast.LtE):
        return None, after
    return None, None


def _is_version_info(node: ast.expr) -> bool:
    if isinstance(node, ast.Attribute) and node.attr == "version_info":
        return isinstance(node.value, ast.Name) and node.value.id == "sys"
    return isinstance(node, ast.Name) and node.id in ("version_info", "PY_VERSION")


def _catches_import_error(handler: ast.ExceptHandler) -> bool:
    kind = handler.type
    if kind is None:
        return True
    candidates = kind.elts if isinstance(kind, ast.Tuple) else [kind]
    for candidate in candidates:
        if isinstance(candidate, ast.Name) and candidate.id in GUARDING:
            return True
        if isinstance(candidate, ast.Attribute) and candidate.attr in GUARDING:
            return True
    return False


_DOTTED = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$")


def is_dotted_name(text: str) -> bool:
    return bool(_DOTTED.match(text))
