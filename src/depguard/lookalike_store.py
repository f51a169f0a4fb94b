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
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from depguard import __version__, lookalike
from depguard.lookalike import Index
from depguard.popularity import Snapshot

FORMAT = 1
"""Bump when the index layout or its rules change without a version change."""


@dataclass
class _Place:
    directory: Path | None = None


_PLACE = _Place()


def use(directory: Path | None) -> None:
    """Keep indexes in ``directory`` from now on (None: build in memory, keep nothing)."""
    _PLACE.directory = directory


def _path(snap: Snapshot) -> Path | None:
    directory = _PLACE.directory
    if directory is None:
        return None
    digest = hashlib.sha256(f"{FORMAT}|{__version__}|{snap.ecosystem.value}|".encode())
    with contextlib.suppress(OSError):  # the rules themselves: any change builds a new file
        digest.update(Path(lookalike.__file__).read_bytes())
    for key, (_, rank, downloads) in snap.entries.items():
        digest.update(f"{key}\t{rank}\t{downloads}\n".encode())
    return directory / "lookalike" / f"{snap.ecosystem.value}-{digest.hexdigest()[:20]}.json"


def load(snap: Snapshot) -> Index | None:
    path = _path(snap)
    if path is None:
        return None
    try:
        state: Any = json.loads(path.read_bytes())
        return Index.restore(snap, state) if isinstance(state, dict) else None
    except (OSError, ValueError, KeyError, TypeError):
        return None


def save(index: Index) -> None:
    path = _path(index.snapshot)
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
