"""Reading Python sources and notebooks for their imports, many files at a time.

Parsing is the cost (CPython's parser, ~70 ms per MB), so large trees are parsed by a pool of
worker processes, one per core. Nothing read is ever imported or executed.
"""

from __future__ import annotations

import gc
import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from depguard.errors import ManifestError
from depguard.model import InputError
from depguard.sources.python_imports import (
    SOURCE_LIMIT,
    ImportRef,
    decode_source,
    scan_notebook,
    scan_source,
)

if TYPE_CHECKING:
    from depguard.cache import Cache

POOL_THRESHOLD = 150
"""Below this many files, parsing in this process is faster than starting workers."""
BATCH = 40


@dataclass(frozen=True)
class FileImports:
    path: str
    """The path as shown in the report."""
    refs: tuple[ImportRef, ...]
    errors: tuple[InputError, ...] = ()


def scan_file(path: Path, display: str) -> FileImports:
    """The imports of one .py/.pyi file or .ipynb notebook; problems become InputErrors."""
    try:
        size = path.stat().st_size
        if size > SOURCE_LIMIT:
            raise ManifestError(f"larger than {SOURCE_LIMIT // (1024 * 1024)} MiB; not read")
        data = path.read_bytes()
        if path.suffix.lower() == ".ipynb":
            from depguard.sources.reading import decode

            refs, problems = scan_notebook(decode(data))
            errors = tuple(InputError(display, line, message) for line, message in problems)
            return FileImports(display, tuple(refs), errors)
        return FileImports(display, tuple(scan_source(decode_source(data))))
    except ManifestError as exc:
        return FileImports(display, (), (InputError(display, exc.line, exc.message),))
    except OSError as exc:
        return FileImports(
            display, (), (InputError(display, None, f"cannot read: {exc.strerror or exc}"),)
        )


def _scan_batch(batch: Sequence[tuple[str, str]]) -> list[FileImports]:
    # AST nodes hold no reference cycles: the cyclic collector only slows parsing down.
    enabled = gc.isenabled()
    gc.disable()
    try:
        return [scan_file(Path(path), display) for path, display in batch]
    finally:
        if enabled:
            gc.enable()


def scan_files(
    items: Sequence[tuple[Path, str]],
    cache: Cache | None = None,
    meanwhile: Callable[[], None] | None = None,
) -> list[FileImports]:
    """Scan (path, display) pairs; results keep the order. Files whose bytes were scanned
    before come from ``cache``; the others are parsed, in parallel when there are many.
    ``meanwhile`` is called once, while worker processes parse (if any)."""
    if cache is None or not cache.enabled:
        return _parse_files(items, meanwhile)
    from depguard.sources import scan_cache

    results: dict[int, FileImports] = {}
    misses: list[tuple[int, Path, str, str]] = []
    for index, (path, display) in enumerate(items):
        try:
            if path.stat().st_size > SOURCE_LIMIT:
                raise OSError  # scan_file says why
            data = path.read_bytes()
        except OSError:
            misses.append((index, path, display, ""))
            continue
        cache_key = scan_cache.key(data, path.suffix)
        hit = scan_cache.load(cache, cache_key, display)
        if hit is None:
            misses.append((index, path, display, cache_key))
        else:
            results[index] = hit
    parsed = _parse_files([(path, display) for _, path, display, _ in misses], meanwhile)
    for (index, _, _, cache_key), scan in zip(misses, parsed, strict=True):
        results[index] = scan
        if cache_key:
            scan_cache.store(cache, cache_key, scan)
    return [results[index] for index in range(len(items))]


def _parse_files(
    items: Sequence[tuple[Path, str]], meanwhile: Callable[[], None] | None = None
) -> list[FileImports]:
    pairs = [(str(path), display) for path, display in items]
    workers = min(os.cpu_count() or 1, 8)
    if len(pairs) < POOL_THRESHOLD or workers < 2:
        if meanwhile is not None:
            meanwhile()
        return _scan_batch(pairs)
    batches = [pairs[i : i + BATCH] for i in range(0, len(pairs), BATCH)]
    try:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        method = "fork" if sys.platform == "linux" else "spawn"
        context = multiprocessing.get_context(method)
        with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
            pending = pool.map(_scan_batch, batches)  # submits every batch now
            if meanwhile is not None:
                meanwhile()  # this process's own work, while the workers parse
                meanwhile = None
            results = list(pending)
    except (OSError, RuntimeError, ImportError):
        results = [_scan_batch(pairs)]  # no process pool here (sandbox, frozen app): one core
    if meanwhile is not None:
        meanwhile()
    return [scan for batch in results for scan in batch]
