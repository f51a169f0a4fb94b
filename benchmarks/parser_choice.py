"""Reading imports: CPython's `ast`, the token reader, and tree-sitter, on the same files.

    python benchmarks/parser_choice.py [--files 5000] [--max-bytes 200000]

The files are the same distinct real Python files as benchmarks/import_scan_speed.py (the
packages installed here, then the standard library), plus a file of Python 3.12-3.14 syntax
(PEP 758 `except A, B:`, PEP 695 `type` and generics, PEP 701 f-strings). Each reader runs over
all of them in this one process, one core, and the CPU time is printed, with how many files it
could not read. tree-sitter (with its Python grammar) is measured when it is installed
(`pip install tree-sitter tree-sitter-python`); it is not a dependency of depguard.

What depguard does: `ast` first (fastest here, and exact), the token reader only for a file
`ast` cannot parse. The "depguard" line is that combination.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "benchmarks"))

NEW_SYNTAX = """
type Alias[T] = list[T]
class Box[T]:
    def get[U](self, other: U) -> T: ...
try:
    import ujson as json
except ImportError, ModuleNotFoundError:
    import json
def f(x):
    import lazy_thing
    return f"{x["a"]}" + f'{'nested'}'
"""


def sources(count: int, max_bytes: int) -> list[str]:
    from import_scan_speed import real_sources

    found: list[str] = []
    for source in real_sources(max_bytes):
        try:
            found.append(source.read_text(encoding="utf-8"))
        except (UnicodeDecodeError, OSError):
            continue
        if len(found) >= count - 1:
            break
    return [*found, NEW_SYNTAX]


def measure(name: str, read: Callable[[str], object], texts: list[str]) -> None:
    failed = 0
    started = time.process_time()
    for text in texts:
        try:
            read(text)
        except Exception:
            failed += 1
    elapsed = time.process_time() - started
    size = sum(len(t) for t in texts) / 1e6
    print(f"  {name:<34} {elapsed:6.2f} s CPU  ({size / elapsed:5.1f} MB/s)  {failed} unread")


def tree_sitter_reader() -> Callable[[str], object] | None:
    try:
        import tree_sitter
        import tree_sitter_python
    except ImportError:
        return None
    language = tree_sitter.Language(tree_sitter_python.language())
    parser = tree_sitter.Parser(language)
    query = tree_sitter.Query(language, "(import_statement) @i (import_from_statement) @f")
    cursor = tree_sitter.QueryCursor(query)

    def read(text: str) -> object:
        tree = parser.parse(text.encode("utf-8"))
        return cursor.captures(tree.root_node)

    return read


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=5000)
    parser.add_argument("--max-bytes", type=int, default=200_000)
    options = parser.parse_args()

    import ast

    from depguard.sources.python_imports import scan_source
    from depguard.sources.python_tokens import scan_tokens

    texts = sources(options.files, options.max_bytes)
    size = sum(len(t) for t in texts) / 1e6
    print(f"{len(texts)} files, {size:.0f} MB of Python, one core (CPU time, this process)")
    measure("ast.parse only", ast.parse, texts)
    measure("depguard (ast, tokens on failure)", scan_source, texts)
    measure("token reader on every file", scan_tokens, texts)
    reader = tree_sitter_reader()
    if reader is None:
        print("  tree-sitter: not installed (pip install tree-sitter tree-sitter-python)")
    else:
        measure("tree-sitter parse + import query", reader, texts)


if __name__ == "__main__":
    main()
