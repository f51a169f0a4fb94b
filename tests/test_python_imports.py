"""The Python import scanner: ast only, never executing; a fast walker held to a full walk."""

from __future__ import annotations

import json
from pathlib import Path

from depguard.sources.python_imports import scan_notebook, scan_source


def test_scanner_never_runs_code(tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    source = f"open({str(marker)!r}, 'w').write('x')\nimport six\n"
    assert [r.module for r in scan_source(source)] == ["six"]
    assert not marker.exists()


def test_scanner_details() -> None:
    refs = scan_source("""\
from typing import TYPE_CHECKING
if TYPE_CHECKING:
    import numpy
class A:
    def method(self):
        from requests.adapters import HTTPAdapter
try:
    import ujson as json
except (ValueError, ModuleNotFoundError):
    import json
else:
    import after_try
""")
    by_module = {r.module: r for r in refs}
    assert set(by_module) == {"typing", "numpy", "requests.adapters", "ujson", "json", "after_try"}
    assert by_module["ujson"].guarded and by_module["json"].guarded  # the fallback too
    assert not by_module["after_try"].guarded
    assert by_module["requests.adapters"].line == 6


def test_notebook_scanner_reports_cells_separately() -> None:
    text = json.dumps(
        {
            "cells": [
                {"cell_type": "code", "source": "import six"},
                {"cell_type": "code", "source": "x = (\n"},
            ]
        }
    )
    refs, errors = scan_notebook(text)
    assert [r.module for r in refs] == ["six"] and refs[0].cell == 1
    assert len(errors) == 1 and "cell 2" in errors[0][1]


def _reference_imports(text: str) -> list[tuple[str, int, bool]]:
    """A plain full-tree walk: the slow, obvious way, to hold the fast walker to."""
    import ast

    out: list[tuple[str, int, bool]] = []

    def visit(node: ast.AST, guarded: bool) -> None:
        if isinstance(node, ast.Import):
            out.extend((a.name, node.lineno, guarded) for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            if not node.level and node.module:
                out.append((node.module, node.lineno, guarded))
        elif isinstance(node, ast.Try):
            from depguard.sources.python_imports import _catches_import_error

            inner = guarded or any(_catches_import_error(h) for h in node.handlers)
            for child in node.body:
                visit(child, inner)
            for handler in node.handlers:
                visit(handler, guarded or _catches_import_error(handler))
            for child in (*node.orelse, *node.finalbody):
                visit(child, guarded)
            return
        for child in ast.iter_child_nodes(node):
            visit(child, guarded)

    visit(ast.parse(text), False)
    return sorted(out, key=lambda item: item[1])


def test_fast_walker_matches_a_full_walk_on_real_code() -> None:
    import httpx
    import packaging
    import rich

    checked = 0
    for package in (httpx, packaging, rich):
        for path in sorted(Path(package.__file__).parent.rglob("*.py")):
            text = path.read_text(encoding="utf-8")
            fast = [
                (r.module, r.line, r.guarded) for r in scan_source(text) if "(" not in r.statement
            ]  # dynamic imports: the reference has none
            assert fast == _reference_imports(text), path
            checked += 1
    assert checked > 100
