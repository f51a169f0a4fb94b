"""Keeping the look-alike index between runs, in the cache directory.

Building the index from a snapshot takes about a tenth of a second; reading it back as JSON
takes a good deal less. The file is named by a digest of everything it was built from (the
snapshot's names and ranks, the index format, depguard's version and the index's own source),
so a new snapshot or a new rule builds a new file. It is JSON, never pickle: a cache directory
restored from somewhere untrusted cannot run code, and a file that does not parse, or does not
fit, is rebuilt. Nothing here can stop a run: any error means "build in memory".
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any

from depguard import __version__, lookalike
from depguard.lookalike import Index
from depguard.model import Ecosystem
from depguard.popularity import Snapshot, snapshot

FORMAT = 2
"""Bump when the index layout or its rules change without a version change."""


_IN_MEMORY: dict[tuple[Ecosystem, Path | None], Index] = {}
"""Indexes this process already has: a long-lived process (``depguard mcp``) reads each once.
The bundled snapshot cannot change under a running process, so neither can its index."""


def obtain(ecosystem: Ecosystem, directory: Path | None) -> Index:
    """The index for ``ecosystem``: kept in ``directory`` by an earlier run, else built from the
    bundled snapshot and kept there (None: built in memory, nothing kept)."""
    held = _IN_MEMORY.get((ecosystem, directory))
    if held is not None:
        return held
    snap = snapshot(ecosystem)
    index = load(snap, directory)
    if index is None:
        index = lookalike.Index(snap)
        save(index, directory)
    _IN_MEMORY[ecosystem, directory] = index
    return index


def _path(snap: Snapshot, directory: Path | None) -> Path | None:
    if directory is None:
        return None
    digest = hashlib.sha256(f"{FORMAT}|{__version__}|{snap.ecosystem.value}|".encode())
    with contextlib.suppress(OSError):  # the rules themselves: any change builds a new file
        digest.update(Path(lookalike.__file__).read_bytes())
    for key, (_, rank, downloads) in snap.entries.items():
        digest.update(f"{key}\t{rank}\t{downloads}\n".encode())
    return directory / "lookalike" / f"{snap.ecosystem.value}-{digest.hexdigest()[:20]}.json"


def load(snap: Snapshot, directory: Path | None) -> Index | None:
    path = _path(snap, directory)
    if path is None:
        return None
    try:
        state: Any = json.loads(path.read_bytes())
        return Index.restore(snap, state) if _fits(state, len(snap.entries)) else None
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _ints(values: Any, below: int) -> bool:
    """A list (or dict view) of ints in ``range(below)``, checked at C speed."""
    if not isinstance(values, (list, type({}.values()))):
        return False
    if not set(map(type, values)) <= {int}:
        return False
    return not values or (min(values) >= 0 and max(values) < below)


def _fits(state: Any, targets: int) -> bool:
    """The shape an index needs: consistent alias tables, and every reference in range (a file
    that passes this cannot make a lookup fail later)."""
    if not isinstance(state, dict):
        return False
    texts = state.get("alias_text")
    if not isinstance(texts, list) or not set(map(type, texts)) <= {str}:
        return False
    aliases = len(texts)
    if not _ints(state.get("alias_target"), targets) or not _ints(state.get("alias_core"), 3):
        return False
    if len(state["alias_target"]) != aliases or len(state["alias_core"]) != aliases:
        return False
    for name in ("exact", "folded", "near"):
        table = state.get(name)
        if not (isinstance(table, list) and len(table) == 2):
            return False
        one, more = table
        if not isinstance(one, dict) or not _ints(one.values(), aliases):
            return False
        if not isinstance(more, dict) or not all(_ints(v, aliases) for v in more.values()):
            return False
    for name in Index.TABLES:
        table = state.get(name)
        if not isinstance(table, dict) or not all(_ints(v, targets) for v in table.values()):
            return False
    return all(
        isinstance(state.get(name), list) and all(isinstance(w, str) for w in state[name])
        for name in ("families", "scopes")
    )


def save(index: Index, directory: Path | None) -> None:
    path = _path(index.snapshot, directory)
    if path is None:
        return
    with contextlib.suppress(OSError):
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, name = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        temporary = Path(name)
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                json.dump(index.state(), out, separators=(",", ":"))
            temporary.replace(path)
        finally:
            temporary.unlink(missing_ok=True)
