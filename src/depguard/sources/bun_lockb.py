"""``bun.lockb``: Bun's binary lockfile (before Bun 1.2). Not read: a notice says so, so that
nothing is skipped silently; ``bun.lock``, the text lockfile that replaced it, is read."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from depguard.sources import SourceResult

if TYPE_CHECKING:
    from depguard.sources.context import ReadContext


def read(path: Path, display: str, context: ReadContext) -> SourceResult:
    """The source interface (:mod:`depguard.sources.context`)."""
    result = SourceResult()
    if path.with_name("bun.lock").is_file():
        return result  # the text lock beside it is read
    result.notices.append(
        f"{display}: Bun's binary lockfile is not read (what it locks beyond package.json is "
        "not judged); `bun install --save-text-lockfile` writes bun.lock, which is"
    )
    return result
