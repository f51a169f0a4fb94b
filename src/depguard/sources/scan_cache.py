"""Remembering what each source file imports, by content: a tree that has not changed is not
parsed again, and neither is the other side of ``--diff`` where the files are the same.

Keys are the SHA-256 of a file's bytes (with the scanner's version), so a renamed, moved or
re-checked-out file still hits, and a changed one never does. Values are JSON.
"""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING, Any

from depguard.model import InputError
from depguard.sources.python_imports import ImportRef

if TYPE_CHECKING:
    from depguard.cache import Cache
    from depguard.sources.python_code import FileImports

SCANNER_VERSION = 4
"""Bump when the scanner's answer for the same bytes changes."""
TTL = 30 * 24 * 3600.0


def key(data: bytes, suffix: str) -> str:
    digest = hashlib.sha256(data).hexdigest()
    return f"imports|{SCANNER_VERSION}|{suffix.lower()}|{digest}"


def load(cache: Cache, cache_key: str, display: str) -> FileImports | None:
    from depguard.sources.python_code import FileImports

    entry = cache.get(cache_key)
    if entry is None or not isinstance(entry.value, dict):
        return None
    try:
        refs = tuple(
            ImportRef(
                str(m),
                int(line),
                str(statement),
                bool(guarded),
                tuple(names),
                cell,
                bool(conditional),
                None if python is None else str(python),
            )
            for m, line, statement, guarded, names, cell, conditional, python in entry.value["refs"]
        )
        errors = tuple(
            InputError(display, line, str(message)) for line, message in entry.value["errors"]
        )
    except (KeyError, TypeError, ValueError):
        return None  # a damaged entry is a miss
    return FileImports(display, refs, errors)


def store(cache: Cache, cache_key: str, scan: FileImports) -> None:
    value: dict[str, Any] = {
        "refs": [
            [
                r.module,
                r.line,
                r.statement,
                r.guarded,
                list(r.names),
                r.cell,
                r.conditional,
                r.python,
            ]
            for r in scan.refs
        ],
        "errors": [[e.line, e.message] for e in scan.errors],
    }
    cache.set(cache_key, value, TTL)
